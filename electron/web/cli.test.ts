/**
 * The CLI as a user runs it, in real processes: one writer per library (a second command
 * on a served library refuses, naming the holder; after the server is killed with
 * SIGKILL the next command takes the stale lock over; backup names the ways that work
 * while a host runs), a damaged library (exit 3 with the ways out, the file untouched,
 * then `restore --latest`), a newer library (update first), and command lines that must
 * leave the data folder exactly as it was (usage errors, nothing to replace or restore,
 * no built renderer, a port in use).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import sqlite3 from 'sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { VERBATIM_APPLICATION_ID } from '../services/libraryFile';
import { LATEST_SCHEMA_VERSION } from '../services/migrations';

const ROOT = path.resolve(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const CLI = path.join(ROOT, 'electron', 'web', 'cli.ts');
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'verbatim-cli-'));
  dirs.push(dir);
  return dir;
}

/** A stand-in for the built renderer (out/renderer), so `serve` runs without `npm run build`. */
const RENDERER_DIR = tempDir();
writeFileSync(path.join(RENDERER_DIR, 'index.html'), '<!doctype html><title>Verbatim</title>');

function cli(args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(TSX, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, VERBATIM_DATA_DIR: '', VERBATIM_RENDERER_DIR: RENDERER_DIR, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every file in `dir` (recursively) with its bytes, to show a command changed nothing. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const file = path.join(entry.parentPath, entry.name);
      out[path.relative(dir, file)] = createHash('sha256').update(readFileSync(file)).digest('hex');
    }
  }
  return out;
}

describe('verbatim CLI', () => {
  it('refuses a second writer while a web host serves the library, and takes over after the host is SIGKILLed', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'verbatim-cli-'));
    dirs.push(dir);
    // Run the CLI under node directly (no tsx wrapper process), so the pid in the lock is the one we kill.
    const server = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', '--port', '0', '--data-dir', dir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, VERBATIM_RENDERER_DIR: RENDERER_DIR } });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      server.stdout!.on('data', (c: Buffer) => {
        output += c.toString();
        if (output.includes('Open: ')) resolve();
      });
      server.stderr!.on('data', (c: Buffer) => (output += c.toString()));
      server.once('exit', (code) => reject(new Error(`serve exited ${code}: ${output}`)));
    });
    const lock = JSON.parse(readFileSync(path.join(dir, 'library.lock'), 'utf8')) as { pid: number; host: string; startedAt: string };
    expect(lock).toMatchObject({ pid: server.pid, host: 'web' });

    const refused = cli(['memos', '--data-dir', dir]);
    expect(refused.status).toBe(4);
    expect(refused.stderr).toContain(`already open in a Verbatim web host (process ${server.pid}, since ${lock.startedAt})`);
    expect(refused.stderr).not.toContain('POST /api/library.backup'); // the backup advice is for backup and restore only
    const backup = cli(['backup', '--data-dir', dir]);
    expect(backup.status).toBe(4);
    expect(backup.stderr).toContain('To back up or restore while it runs, do it there: the Backups button in the app or the web page, or POST /api/library.backup');

    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGKILL');
    await exited;
    const after = cli(['memos', '--data-dir', dir]);
    expect(after.stderr).toBe('');
    expect(after.status).toBe(0);
    expect(JSON.parse(after.stdout)).toEqual([]);
    expect(readdirSync(dir)).not.toContain('library.lock'); // released when the command ended
  }, 120_000);

  it('on a damaged library says what to do (exit 3, file untouched), then restore --latest brings the backup back', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'verbatim-cli-'));
    dirs.push(dir);
    expect(cli(['call', 'memos.create', '{"title":"Backed up"}', '--data-dir', dir]).status).toBe(0);
    const backup = cli(['backup', '--data-dir', dir]);
    expect(backup.status).toBe(0);
    expect(backup.stdout).toMatch(/^backed up to .*library-.*\.sqlite/);
    const file = path.join(dir, 'library.sqlite');
    writeFileSync(file, 'a shopping list, not a library');
    const hash = createHash('sha256').update(readFileSync(file)).digest('hex');

    const refused = cli(['memos', '--data-dir', dir]);
    expect(refused.status).toBe(3);
    expect(refused.stderr).toContain('not an SQLite database at all');
    expect(refused.stderr).toContain('npm run cli -- restore --latest');
    expect(refused.stderr).toContain('npm run cli -- new-library');
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(hash);

    const restored = cli(['restore', '--latest', '--data-dir', dir]);
    expect(restored.status).toBe(0);
    expect(restored.stdout).toContain('Restored the backup library-');
    const damaged = readdirSync(dir).find((n) => n.startsWith('library.damaged-'))!;
    expect(createHash('sha256').update(readFileSync(path.join(dir, damaged))).digest('hex')).toBe(hash);
    const memos = cli(['memos', '--data-dir', dir]);
    expect((JSON.parse(memos.stdout) as { title: string }[]).map((m) => m.title)).toEqual(['Backed up']);
  }, 120_000);

  it('checks the command line before opening the library: a mistake exits 2 with usage and leaves the folder empty', () => {
    const dir = tempDir();
    const cases: [string[], string][] = [
      [['restore'], '“restore” needs one backup'],
      [['bogus'], 'Unknown command “bogus”'],
      [[], 'No command given'],
      [['import'], '“import” needs at least one file'],
      [['export-pdf', 'm1'], '“export-pdf” needs a memo id and an output file'],
      [['call'], '“call” needs a method name'],
      [['call', 'memos.nope'], '“memos.nope” is not a method'],
      [['call', 'memos.create', '{title:'], 'The arguments are not valid JSON'],
      [['memos', 'extra'], '“memos” takes no arguments'],
      [['serve', '--port', 'eighty'], '--port must be a whole number'],
    ];
    for (const [args, message] of cases) {
      const r = cli([...args, '--data-dir', dir]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr).toContain('usage: verbatim <serve|');
      expect(readdirSync(dir), args.join(' ')).toEqual([]); // no library, lock, -wal or -shm
    }
  }, 120_000);

  it('new-library and restore --latest refuse (exit 1) when there is nothing to replace or restore, changing nothing', () => {
    const empty = tempDir();
    const noLibrary = cli(['new-library', '--data-dir', empty]);
    expect(noLibrary.status).toBe(1);
    expect(noLibrary.stderr).toContain(`There is no library in ${empty} yet, so there is nothing to replace; nothing was changed.`);
    const noBackup = cli(['restore', '--latest', '--data-dir', empty]);
    expect(noBackup.status).toBe(1);
    expect(noBackup.stderr).toContain(`There is no backup in ${path.join(empty, 'backups')}, so there is nothing to restore; nothing was changed.`);
    expect(readdirSync(empty)).toEqual([]);

    const dir = tempDir();
    expect(cli(['call', 'memos.create', '{"title":"Kept"}', '--data-dir', dir]).status).toBe(0);
    const before = snapshot(dir);
    const fine = cli(['new-library', '--data-dir', dir]);
    expect(fine.status).toBe(1);
    expect(fine.stderr).toContain('opens fine, so it was left as it is');
    expect(cli(['restore', '--latest', '--data-dir', dir]).status).toBe(1);
    expect(snapshot(dir)).toEqual(before);
  }, 120_000);

  it('restore takes the path backup printed, and refuses a backup file outside the backups folder', () => {
    const dir = tempDir();
    expect(cli(['call', 'memos.create', '{"title":"In the backup"}', '--data-dir', dir]).status).toBe(0);
    const backup = cli(['backup', '--data-dir', dir]);
    const printed = /^backed up to (.*\.sqlite) \(/.exec(backup.stdout)![1]!;
    expect(path.dirname(printed)).toBe(path.join(dir, 'backups'));
    expect(cli(['call', 'memos.create', '{"title":"After the backup"}', '--data-dir', dir]).status).toBe(0);

    const elsewhere = path.join(tempDir(), path.basename(printed));
    copyFileSync(printed, elsewhere);
    const before = snapshot(dir);
    const refused = cli(['restore', elsewhere, '--data-dir', dir]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(`is not in this library's backups folder (${path.join(dir, 'backups')})`);
    expect(snapshot(dir)).toEqual(before);

    const restored = cli(['restore', printed, '--data-dir', dir]);
    expect(restored.stderr).toBe('');
    expect(restored.status).toBe(0);
    expect(restored.stdout).toContain(`Restored ${path.basename(printed)}.`);
    const memos = cli(['memos', '--data-dir', dir]);
    expect((JSON.parse(memos.stdout) as { title: string }[]).map((m) => m.title)).toEqual(['In the backup']);
  }, 120_000);

  it('on a library whose migration fails says what to do (exit 3) instead of a generic error', async () => {
    const dir = tempDir();
    expect(cli(['call', 'memos.create', '{"title":"Kept"}', '--data-dir', dir]).status).toBe(0);
    // Schema 3 claimed, but memo_revisions (migration 4's table) is already there: migration 4 fails.
    await new Promise<void>((resolve, reject) => {
      const db = new sqlite3.Database(path.join(dir, 'library.sqlite'), (err) => {
        if (err) return reject(err);
        db.exec('PRAGMA user_version = 3;', (e) => db.close(() => (e ? reject(e) : resolve())));
      });
    });
    const r = cli(['memos', '--data-dir', dir]);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('could not be brought up to this version of Verbatim: step 4 (revisions)');
    expect(r.stderr).toContain('npm run cli -- new-library');
    expect(r.stderr).not.toContain('memos failed'); // not the generic error
  }, 120_000);

  it('on a library from a newer Verbatim says to update first, then the other ways out, and leaves the file', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'library.sqlite');
    await new Promise<void>((resolve, reject) => {
      const db = new sqlite3.Database(file, (err) => {
        if (err) return reject(err);
        db.exec(`PRAGMA application_id = ${VERBATIM_APPLICATION_ID}; CREATE TABLE sources(x); CREATE TABLE quotes(x); CREATE TABLE memos(x); PRAGMA user_version = ${LATEST_SCHEMA_VERSION + 1};`, (e) => db.close(() => (e ? reject(e) : resolve())));
      });
    });
    const before = snapshot(dir);
    const r = cli(['memos', '--data-dir', dir]);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('written by a newer version of Verbatim');
    const advice = r.stderr.slice(r.stderr.indexOf('left untouched'));
    const update = advice.indexOf('Update Verbatim to open it');
    expect(update).toBeGreaterThan(0);
    expect(advice.indexOf('npm run cli -- new-library')).toBeGreaterThan(update);
    expect(advice).toContain('the library is not damaged');
    expect(advice).not.toContain('What you can do (the file is kept either way'); // the damaged-library wording
    expect(snapshot(dir)).toEqual(before);
  }, 120_000);

  it('serve refuses to start without a built renderer, and names a port in use', async () => {
    const dir = tempDir();
    const unbuilt = tempDir();
    const noBuild = cli(['serve', '--port', '0', '--data-dir', dir], { VERBATIM_RENDERER_DIR: unbuilt });
    expect(noBuild.status).toBe(1);
    expect(noBuild.stderr).toContain(`There is no built renderer in ${unbuilt}: run \`npm run build\` first (or \`npm run web\``);
    expect(readdirSync(dir)).toEqual([]);

    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const busy = cli(['serve', '--port', String(port), '--data-dir', dir]);
      expect(busy.status).toBe(1);
      expect(busy.stderr).toContain(`Port ${port} is in use; choose another with --port`);
      expect(busy.stderr).not.toContain('listen EADDRINUSE');
      expect(readdirSync(dir)).not.toContain('library.lock'); // the library was closed again
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  }, 120_000);
});
