import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireLibraryLock, LibraryLockedError, LOCK_FILE_NAME, type LockOwner } from './lock';

const dirs: string[] = [];
function freshDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'verbatim-lock-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The pid of a process that has exited (a child run to completion and reaped). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('library lock', () => {
  it('writes {pid, host, startedAt} and refuses a second taker, naming the holder', () => {
    const dir = freshDir();
    const now = new Date();
    const lock = acquireLibraryLock(dir, 'web', () => now);
    const written = JSON.parse(readFileSync(path.join(dir, LOCK_FILE_NAME), 'utf8')) as LockOwner;
    expect(written).toEqual({ pid: process.pid, host: 'web', startedAt: now.toISOString() });
    let refused: unknown;
    try {
      acquireLibraryLock(dir, 'cli');
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(LibraryLockedError);
    expect((refused as Error).message).toContain('a Verbatim web host');
    expect((refused as Error).message).toContain(`process ${process.pid}`);
    expect((refused as Error).message).toContain(`since ${now.toISOString()}`);
    // The refusal did not touch the holder's lock.
    expect(JSON.parse(readFileSync(path.join(dir, LOCK_FILE_NAME), 'utf8'))).toEqual(written);
    lock.release();
  });

  it('is released by release(), after which another taker gets it', () => {
    const dir = freshDir();
    const first = acquireLibraryLock(dir, 'electron');
    first.release();
    expect(existsSync(path.join(dir, LOCK_FILE_NAME))).toBe(false);
    const second = acquireLibraryLock(dir, 'cli');
    expect(JSON.parse(readFileSync(path.join(dir, LOCK_FILE_NAME), 'utf8')).host).toBe('cli');
    // Releasing the first again must not remove the second's lock.
    first.release();
    expect(existsSync(path.join(dir, LOCK_FILE_NAME))).toBe(true);
    second.release();
  });

  it('takes over a lock whose process is dead (after a SIGKILL)', () => {
    const dir = freshDir();
    const pid = deadPid();
    expect(pid).toBeGreaterThan(0);
    writeFileSync(path.join(dir, LOCK_FILE_NAME), JSON.stringify({ pid, host: 'web', startedAt: new Date().toISOString() }));
    const lock = acquireLibraryLock(dir, 'web');
    expect(JSON.parse(readFileSync(path.join(dir, LOCK_FILE_NAME), 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('takes over a lock whose pid now belongs to a process started after the lock was written (pid reuse)', () => {
    const dir = freshDir();
    // This process is alive, but it started long after 2001: the lock cannot be its own.
    writeFileSync(path.join(dir, LOCK_FILE_NAME), JSON.stringify({ pid: process.pid, host: 'electron', startedAt: '2001-01-01T00:00:00.000Z' }));
    if (process.platform === 'linux') {
      const lock = acquireLibraryLock(dir, 'cli');
      expect(JSON.parse(readFileSync(path.join(dir, LOCK_FILE_NAME), 'utf8')).host).toBe('cli');
      lock.release();
    } else {
      expect(() => acquireLibraryLock(dir, 'cli')).toThrow(LibraryLockedError);
    }
  });

  it('takes over a lock file that holds no readable owner (its writer died before writing it)', () => {
    const dir = freshDir();
    const file = path.join(dir, LOCK_FILE_NAME);
    writeFileSync(file, '');
    // Freshly made: its taker may be about to write it, so it is not taken over yet.
    expect(() => acquireLibraryLock(dir, 'web')).toThrow(/opening this library right now/);
    const old = new Date(Date.now() - 60_000);
    utimesSync(file, old, old);
    const lock = acquireLibraryLock(dir, 'web');
    expect(JSON.parse(readFileSync(path.join(dir, LOCK_FILE_NAME), 'utf8')).pid).toBe(process.pid);
    lock.release();
  });
  it('refuses a folder or a symbolic link at the lock path, leaving it where it is', () => {
    const dir = freshDir();
    const lockPath = path.join(dir, LOCK_FILE_NAME);
    mkdirSync(lockPath);
    writeFileSync(path.join(lockPath, 'inside'), 'kept');
    expect(() => acquireLibraryLock(dir, 'cli')).toThrow(/is a folder, which Verbatim never makes, so it was left as it is/);
    expect(lstatSync(lockPath).isDirectory()).toBe(true);
    expect(readFileSync(path.join(lockPath, 'inside'), 'utf8')).toBe('kept');
    rmSync(lockPath, { recursive: true });
    symlinkSync(path.join(dir, 'elsewhere'), lockPath);
    expect(() => acquireLibraryLock(dir, 'cli')).toThrow(/is a symbolic link/);
    expect(readlinkSync(lockPath)).toBe(path.join(dir, 'elsewhere'));
  });
});
