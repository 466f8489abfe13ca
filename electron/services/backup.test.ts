import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { MemoContent } from '../../shared/model';
import { backupDue, backupsDir, createBackup, fileStamp, listBackups, recoverLibraryFile, restoreBackupOnline } from './backup';
import { LibraryOpenError } from './libraryFile';
import { LibraryLockedError } from './lock';
import { resolveKeepBackups } from './paths';
import { LIBRARY_FILE_NAME, openServices } from './services';
import { openTestLibrary, RESOURCES_DIR, type TestLibrary } from './testing';

const dirs: string[] = [];
const libs: TestLibrary[] = [];
function freshDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'verbatim-backup-'));
  dirs.push(dir);
  return dir;
}
async function library(dir = freshDir()): Promise<TestLibrary> {
  const lib = await openTestLibrary(dir);
  libs.push(lib);
  return lib;
}
afterEach(async () => {
  for (const lib of libs.splice(0)) await lib.services.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function paragraph(text: string): MemoContent {
  return { root: { type: 'root', version: 1, children: [{ type: 'paragraph', version: 1, children: [{ type: 'text', version: 1, text }] }] } } as unknown as MemoContent;
}
/** Set PRAGMA user_version of a closed library file (to fake a library from an older schema). */
async function setUserVersion(file: string, version: number): Promise<void> {
  const { Database } = await import('./db');
  const db = await Database.open(file);
  await db.exec(`PRAGMA user_version = ${version}`);
  await db.close();
}
const textOf = (content: MemoContent) => JSON.stringify(content).match(/"text":"([^"]*)"/)?.[1];

describe('backups', () => {
  it('makes a verified copy named library-<UTC stamp>.sqlite and lists it newest first', async () => {
    const lib = await library();
    const made = await lib.call('library.backup', {});
    expect(made.name).toMatch(/^library-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z\.sqlite$/);
    expect(made.name).toBe(`library-${fileStamp(new Date(made.createdAt))}.sqlite`);
    const file = path.join(backupsDir(lib.dataDir), made.name);
    expect(made.bytes).toBe(readFileSync(file).length);
    expect(readdirSync(backupsDir(lib.dataDir))).toEqual([made.name]); // no .partial left
    const second = await lib.call('library.backup', {});
    expect((await lib.call('library.backups', {})).map((b) => b.name)).toEqual([second.name, made.name]);
    // The copy is a library: opening it shows the same sources.
    const other = freshDir();
    writeFileSync(path.join(other, LIBRARY_FILE_NAME), readFileSync(file));
    const copy = await library(other);
    expect((await copy.call('sources.list', {})).map((s) => s.id)).toEqual((await lib.call('sources.list', {})).map((s) => s.id));
  });

  it('keeps only the newest N library-* backups and never prunes before-restore files', async () => {
    const lib = await library();
    const t0 = Date.parse('2025-01-01T00:00:00.000Z');
    const names: string[] = [];
    for (let i = 0; i < 5; i += 1) names.push((await createBackup(lib.services.store.db, lib.dataDir, 3, new Date(t0 + i * 60_000))).name);
    writeFileSync(path.join(backupsDir(lib.dataDir), 'before-restore-2020-01-01T00-00-00-000Z.sqlite'), 'kept');
    await createBackup(lib.services.store.db, lib.dataDir, 3, new Date(t0 + 10 * 60_000));
    const listed = listBackups(lib.dataDir);
    expect(listed.filter((b) => b.kind === 'backup').map((b) => b.createdAt)).toEqual([
      new Date(t0 + 10 * 60_000).toISOString(),
      new Date(t0 + 4 * 60_000).toISOString(),
      new Date(t0 + 3 * 60_000).toISOString(),
    ]);
    expect(listed.filter((b) => b.kind === 'before-restore').map((b) => b.name)).toEqual(['before-restore-2020-01-01T00-00-00-000Z.sqlite']);
  });

  it('is due when there is none or the newest is 24 h old', async () => {
    const lib = await library();
    expect(backupDue(lib.dataDir)).toBe(true);
    const made = await lib.call('library.backup', {});
    const at = Date.parse(made.createdAt);
    expect(backupDue(lib.dataDir, new Date(at + 23 * 3600_000))).toBe(false);
    expect(backupDue(lib.dataDir, new Date(at + 24 * 3600_000))).toBe(true);
  });

  it('runs on start-up when due (not for a library just created)', async () => {
    const dir = freshDir();
    const lib = await openTestLibrary(dir);
    expect(await lib.services.startupBackup).toBeNull(); // just created: nothing to back up yet
    await lib.services.close();
    const again = await openServices({ host: 'web', dataDir: dir, resourcesDir: RESOURCES_DIR, version: 't', printPdf: async () => new Uint8Array(), logError: () => undefined, startupBackupDelayMs: 0, warmCitations: false });
    const made = (await again.startupBackup) as { name: string };
    expect(listBackups(dir).map((b) => b.name)).toEqual([made.name]);
    await again.close();
    const third = await openServices({ host: 'web', dataDir: dir, resourcesDir: RESOURCES_DIR, version: 't', printPdf: async () => new Uint8Array(), logError: () => undefined, startupBackupDelayMs: 0, warmCitations: false });
    expect(await third.startupBackup).toBeNull(); // the one above is less than a day old
    await third.close();
  });

  it('restores a backup in the same services object, keeping the current file aside', async () => {
    const lib = await library();
    const memo = await lib.call('memos.create', { title: 'Draft' });
    const saved = await lib.call('memos.save', { id: memo.id, title: 'Draft', content: paragraph('before the backup'), baseRevision: memo.revision });
    const backup = await lib.call('library.backup', {});
    await lib.call('memos.save', { id: memo.id, title: 'Draft', content: paragraph('after the backup'), baseRevision: saved.revision });
    const extra = await lib.call('memos.create', { title: 'Written after' });

    const result = await lib.call('library.restore', { name: backup.name });
    expect(result.restored).toBe(backup.name);
    expect(result.keptAs).toMatch(/^before-restore-.*\.sqlite$/);
    // Every handler now sees the restored data.
    expect(textOf((await lib.call('memos.get', { id: memo.id })).content)).toBe('before the backup');
    expect((await lib.call('memos.list', {})).map((m) => m.id)).not.toContain(extra.id);
    // ... and can write to it.
    const after = await lib.call('memos.create', { title: 'After restore' });
    expect((await lib.call('memos.list', {})).map((m) => m.id)).toContain(after.id);

    // The library as it was before the restore is kept, and holds the later work.
    await lib.services.close();
    const aside = freshDir();
    writeFileSync(path.join(aside, LIBRARY_FILE_NAME), readFileSync(path.join(backupsDir(lib.dataDir), result.keptAs)));
    const kept = await library(aside);
    expect(textOf((await kept.call('memos.get', { id: memo.id })).content)).toBe('after the backup');
    expect((await kept.call('memos.list', {})).map((m) => m.id)).toContain(extra.id);
  });

  it('restores at the same moment keep each library aside under its own name; a second restore while one runs is refused', async () => {
    const lib = await library();
    const db = lib.services.store.db;
    await lib.call('memos.create', { title: 'In the backup' });
    const backup = await lib.call('library.backup', {});
    const same = new Date('2025-06-01T12:00:00.000Z');
    const kept: { keptAs: string; title: string }[] = [];
    for (const title of ['Before restore one', 'Before restore two', 'Before restore three']) {
      await lib.call('memos.create', { title });
      const { keptAs } = await restoreBackupOnline(db, lib.dataDir, backup.name, same);
      kept.push({ keptAs, title });
    }
    expect(new Set(kept.map((k) => k.keptAs)).size).toBe(3);
    expect(kept[0]!.keptAs).toBe(`before-restore-${fileStamp(same)}.sqlite`);
    // Two restores asked for at once: one runs, the other is refused with `conflict`.
    await lib.call('memos.create', { title: 'Before the concurrent pair' });
    const pair = await Promise.all([lib.services.dispatch('library.restore', { name: backup.name }), lib.services.dispatch('library.restore', { name: backup.name })]);
    expect(pair.filter((r) => r.ok).length).toBe(1);
    expect(pair.find((r) => !r.ok)).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/A restore is already running/) } });
    const winner = pair.find((r) => r.ok)!.value as { keptAs: string };
    kept.push({ keptAs: winner.keptAs, title: 'Before the concurrent pair' });
    expect((await lib.call('memos.list', {})).map((m) => m.title)).toEqual(['In the backup']);
    await lib.services.close();
    // Each kept file exists and holds the library as it was just before its restore.
    for (const { keptAs, title } of kept) {
      const aside = freshDir();
      writeFileSync(path.join(aside, LIBRARY_FILE_NAME), readFileSync(path.join(backupsDir(lib.dataDir), keptAs)));
      const copy = await library(aside);
      expect((await copy.call('memos.list', {})).map((m) => m.title).sort()).toEqual(['In the backup', title].sort());
    }
  });

  it('refuses a backup whose migration fails, leaving the library in place and usable', async () => {
    const lib = await library();
    await lib.call('memos.create', { title: 'In the backup' });
    const backup = await lib.call('library.backup', {});
    await lib.call('memos.create', { title: 'Written after the backup' });
    // The backup claims schema 3 but already has memo_revisions, so migration 4 (CREATE TABLE memo_revisions) fails.
    await setUserVersion(path.join(backupsDir(lib.dataDir), backup.name), 3);
    const before = readdirSync(lib.dataDir).sort();
    const r = await lib.services.dispatch('library.restore', { name: backup.name });
    expect(r).toMatchObject({ ok: false, error: { code: 'storage', message: expect.stringMatching(/step 4 \(revisions\).*Your library was not changed/s) } });
    expect((await lib.call('memos.list', {})).map((m) => m.title).sort()).toEqual(['In the backup', 'Written after the backup']);
    expect(listBackups(lib.dataDir).filter((b) => b.kind === 'before-restore')).toEqual([]);
    expect(readdirSync(lib.dataDir).sort()).toEqual(before); // no .restoring copy left
    // ... and the library still takes writes, and opens again afterwards.
    await lib.call('memos.create', { title: 'After the refusal' });
    await lib.services.close();
    const again = await library(lib.dataDir);
    expect((await again.call('memos.list', {})).length).toBe(3);
  });

  it('a library whose migration fails at open is a LibraryOpenError (migration_failed) naming the step', async () => {
    const dir = freshDir();
    await (await openTestLibrary(dir)).services.close();
    await setUserVersion(path.join(dir, LIBRARY_FILE_NAME), 3);
    const error = await openTestLibrary(dir).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LibraryOpenError);
    expect(error).toMatchObject({ kind: 'migration_failed', message: expect.stringMatching(/step 4 \(revisions\).*memo_revisions already exists/s) });
    await expect(openTestLibrary(dir)).rejects.toBeInstanceOf(LibraryOpenError); // the lock was released: the same refusal, not "locked"
  });

  it('refuses an unknown or path-like backup name with not_found, and a damaged backup with storage, changing nothing', async () => {
    const lib = await library();
    await lib.call('memos.create', { title: 'Stays' });
    for (const name of ['library-2025-01-01T00-00-00-000Z.sqlite', '../library.sqlite', 'before-restore-x.sqlite']) {
      const r = await lib.services.dispatch('library.restore', { name });
      expect(r).toMatchObject({ ok: false, error: { code: 'not_found' } });
    }
    const bad = 'library-2024-01-01T00-00-00-000Z.sqlite';
    const { mkdirSync } = await import('node:fs');
    mkdirSync(backupsDir(lib.dataDir), { recursive: true });
    writeFileSync(path.join(backupsDir(lib.dataDir), bad), 'SQLite format 3\0' + 'garbage'.repeat(1000));
    const r = await lib.services.dispatch('library.restore', { name: bad });
    expect(r).toMatchObject({ ok: false, error: { code: 'storage' } });
    expect((await lib.call('memos.list', {})).map((m) => m.title)).toContain('Stays');
    expect(listBackups(lib.dataDir).filter((b) => b.kind === 'before-restore')).toEqual([]);
  });
});

describe('a backups folder with stray entries', () => {
  const stray = { dangling: 'library-2030-01-01T00-00-00-000Z.sqlite', folder: 'library-2031-01-01T00-00-00-000Z.sqlite' };
  function openAgain(dir: string, logged: string[]) {
    return openServices({ host: 'web', dataDir: dir, resourcesDir: RESOURCES_DIR, version: 't', printPdf: async () => new Uint8Array(), logError: (m) => logged.push(m), startupBackupDelayMs: 0, warmCitations: false });
  }

  it('a dangling symbolic link and a folder named like backups are not listed, and the host still starts', async () => {
    const dir = freshDir();
    const first = await openTestLibrary(dir);
    await first.call('memos.create', { title: 'Kept' });
    await first.services.close();
    mkdirSync(path.join(backupsDir(dir), stray.folder), { recursive: true });
    symlinkSync(path.join(dir, 'nowhere.sqlite'), path.join(backupsDir(dir), stray.dangling));
    expect(listBackups(dir)).toEqual([]);
    const logged: string[] = [];
    const services = await openAgain(dir, logged);
    try {
      // Neither stray entry counts as a backup, so the daily one is due and is made.
      const made = (await services.startupBackup) as { name: string };
      expect(listBackups(dir).map((b) => b.name)).toEqual([made.name]);
      const memos = await services.dispatch('memos.list', {});
      expect(memos.ok && (memos.value as { title: string }[]).map((m) => m.title)).toEqual(['Kept']);
    } finally {
      await services.close();
    }
    expect(logged).toEqual([]);
  });

  it('a folder named like an old backup is never pruned, and later backups still succeed and prune the real old ones', async () => {
    const lib = await library();
    const db = lib.services.store.db;
    const t0 = Date.parse('2025-01-01T00:00:00.000Z');
    const folder = 'library-2020-01-01T00-00-00-000Z.sqlite'; // older than every real backup: first in line for pruning
    mkdirSync(path.join(backupsDir(lib.dataDir), folder), { recursive: true });
    const logged: string[] = [];
    const log = (m: string) => logged.push(m);
    const a = await createBackup(db, lib.dataDir, 1, new Date(t0), log);
    const b = await createBackup(db, lib.dataDir, 1, new Date(t0 + 60_000), log);
    const c = await createBackup(db, lib.dataDir, 1, new Date(t0 + 120_000), log);
    expect([a, b, c].map((x) => x.kind)).toEqual(['backup', 'backup', 'backup']);
    expect(readdirSync(backupsDir(lib.dataDir)).sort()).toEqual([folder, c.name].sort());
    expect(listBackups(lib.dataDir).map((x) => x.name)).toEqual([c.name]);
    expect(logged).toEqual([]);
  });

  it('a backups "folder" that is a file is logged at start-up and the library still opens', async () => {
    const dir = freshDir();
    await (await openTestLibrary(dir)).services.close();
    writeFileSync(backupsDir(dir), 'not a folder');
    const logged: string[] = [];
    const services = await openAgain(dir, logged);
    try {
      expect(await services.startupBackup).toBeNull();
      expect(logged).toEqual(['The backups folder could not be read, so no start-up backup was made']);
      expect((await services.dispatch('sources.list', {})).ok).toBe(true);
    } finally {
      await services.close();
    }
  });
});

describe('recovering a library that cannot be opened', () => {
  async function damaged(): Promise<{ dir: string; file: string; backupName: string; badHash: string }> {
    const dir = freshDir();
    const lib = await openTestLibrary(dir);
    await lib.call('memos.create', { title: 'In the backup' });
    const { name } = await lib.call('library.backup', {});
    await lib.services.close();
    const file = path.join(dir, LIBRARY_FILE_NAME);
    writeFileSync(file, 'this is no longer a database');
    return { dir, file, backupName: name, badHash: createHash('sha256').update(readFileSync(file)).digest('hex') };
  }

  it('restore-latest: moves the damaged file aside as library.damaged-<stamp>.sqlite and opens the newest backup', async () => {
    const { dir, file, backupName, badHash } = await damaged();
    await expect(openTestLibrary(dir)).rejects.toBeInstanceOf(LibraryOpenError);
    const result = await recoverLibraryFile(dir, file, 'restore-latest');
    expect(result.restored).toBe(backupName);
    expect(path.basename(result.movedTo!)).toMatch(/^library\.damaged-.*\.sqlite$/);
    expect(createHash('sha256').update(readFileSync(result.movedTo!)).digest('hex')).toBe(badHash);
    const lib = await library(dir);
    expect((await lib.call('memos.list', {})).map((m) => m.title)).toEqual(['In the backup']);
  });

  it('new-library: moves the damaged file aside and a new library (with the sample) opens', async () => {
    const { dir, file, badHash } = await damaged();
    const result = await recoverLibraryFile(dir, file, 'new-library');
    expect(result.restored).toBeNull();
    expect(createHash('sha256').update(readFileSync(result.movedTo!)).digest('hex')).toBe(badHash);
    expect(existsSync(file)).toBe(false);
    const lib = await library(dir);
    expect(await lib.call('memos.list', {})).toEqual([]);
    expect((await lib.call('sources.list', {})).length).toBe(1);
  });

  it('restore-latest without a usable backup says so and moves nothing', async () => {
    const dir = freshDir();
    const file = path.join(dir, LIBRARY_FILE_NAME);
    writeFileSync(file, 'not a database');
    await expect(recoverLibraryFile(dir, file, 'restore-latest')).rejects.toThrow(/no usable backup/);
    expect(readFileSync(file, 'utf8')).toBe('not a database');
    expect(readdirSync(dir)).toEqual([LIBRARY_FILE_NAME]);
  });
});

describe('one writer per library', () => {
  it('a second services object on the same folder is refused until the first closes', async () => {
    const lib = await library();
    await expect(openTestLibrary(lib.dataDir)).rejects.toBeInstanceOf(LibraryLockedError);
    await lib.services.close();
    const second = await library(lib.dataDir);
    expect((await second.call('sources.list', {})).length).toBe(1);
  });
});

describe('--keep-backups', () => {
  it('reads the flag, then VERBATIM_KEEP_BACKUPS, then the default, and refuses nonsense', () => {
    expect(resolveKeepBackups(['serve', '--keep-backups', '3'], { VERBATIM_KEEP_BACKUPS: '7' }, 10)).toBe(3);
    expect(resolveKeepBackups(['--keep-backups=4'], {}, 10)).toBe(4);
    expect(resolveKeepBackups([], { VERBATIM_KEEP_BACKUPS: '7' }, 10)).toBe(7);
    expect(resolveKeepBackups([], {}, 10)).toBe(10);
    for (const bad of ['0', '-1', '2.5', 'ten', '1001']) expect(() => resolveKeepBackups(['--keep-backups', bad], {}, 10)).toThrow(/whole number from 1 to 1000/);
    expect(() => resolveKeepBackups([], { VERBATIM_KEEP_BACKUPS: 'x' }, 10)).toThrow(/VERBATIM_KEEP_BACKUPS/);
  });
});
