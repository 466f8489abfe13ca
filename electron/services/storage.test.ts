/**
 * Storage failures through the real SQLite paths: a genuinely full database file
 * (`PRAGMA max_page_count` caps the file, so SQLite fails the write with SQLITE_FULL, the
 * same code a full disk gives) and a connection that may not write (`PRAGMA query_only`
 * makes SQLite answer SQLITE_READONLY, as a read-only folder or file does; as root a
 * chmod'ed folder would still be writable, so that cannot be used here).
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MemoContent } from '../../shared/model';
import { backupsDir } from './backup';
import { storageError } from './db';
import { openTestLibrary, type TestLibrary } from './testing';

/**
 * A disk that refuses file copies on demand: while `refuseCopies.code` is set, node:fs's
 * copyFileSync (which backup.ts uses to copy a backup for a restore) fails with that errno,
 * as the kernel reports a full (ENOSPC), read-only (EROFS) or forbidden (EACCES) target.
 */
const refuseCopies = vi.hoisted(() => ({ code: null as string | null }));
vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  return {
    ...actual,
    copyFileSync: (...args: Parameters<typeof actual.copyFileSync>) => {
      if (refuseCopies.code) throw Object.assign(new Error(`${refuseCopies.code}: refused, copyfile '${String(args[0])}'`), { code: refuseCopies.code, syscall: 'copyfile' });
      return actual.copyFileSync(...args);
    },
  };
});

let lib: TestLibrary;
beforeEach(async () => {
  lib = await openTestLibrary();
});
afterEach(async () => {
  await lib.dispose();
});

function paragraph(text: string): MemoContent {
  return { root: { type: 'root', version: 1, children: [{ type: 'paragraph', version: 1, children: [{ type: 'text', version: 1, text }] }] } } as unknown as MemoContent;
}

async function integrity(): Promise<string> {
  const rows = await lib.services.store.db.all<{ integrity_check: string }>('PRAGMA integrity_check');
  return rows.map((r) => r.integrity_check).join('; ');
}

describe('a full disk', () => {
  it('refuses a memo save with `storage` and a plain message; the memo stays as last saved', async () => {
    const memo = await lib.call('memos.create', { title: 'Notes' });
    const saved = await lib.call('memos.save', { id: memo.id, title: 'Notes', content: paragraph('the last good words'), baseRevision: memo.revision });
    const db = lib.services.store.db;
    const [{ page_count: pages }] = (await db.all<{ page_count: number }>('PRAGMA page_count')) as [{ page_count: number }];
    await db.exec(`PRAGMA max_page_count = ${pages}`); // the file may not grow: the next large write hits SQLITE_FULL

    const result = await lib.services.dispatch('memos.save', { id: memo.id, title: 'Notes, longer', content: paragraph('x'.repeat(400_000)), baseRevision: saved.revision });
    expect(result).toEqual({ ok: false, error: { code: 'storage', message: 'The disk is full; this change was not saved. Your library is as it was before it. Free some space and try again.' } });

    const after = await lib.call('memos.get', { id: memo.id });
    expect(after.title).toBe('Notes');
    expect(after.revision).toBe(saved.revision);
    expect(JSON.stringify(after.content)).toContain('the last good words');
    expect(await integrity()).toBe('ok');

    // A multi-row change (a source and its text) is rolled back whole as well.
    const sourcesBefore = await lib.call('sources.list', {});
    const imported = await lib.services.dispatch('sources.importText', { text: 'A long pasted article. '.repeat(30_000) });
    expect(imported).toMatchObject({ ok: false, error: { code: 'storage' } });
    expect(await lib.call('sources.list', {})).toEqual(sourcesBefore);
    expect(await integrity()).toBe('ok');

    // Once there is room again, the same save goes through.
    await db.exec('PRAGMA max_page_count = 1073741823');
    const retried = await lib.call('memos.save', { id: memo.id, title: 'Notes, longer', content: paragraph('y'.repeat(400_000)), baseRevision: saved.revision });
    expect(retried.revision).toBe(saved.revision + 1);
  });
});

describe('a read-only library', () => {
  it('refuses writes with `storage` (SQLITE_READONLY) and changes nothing', async () => {
    const memo = await lib.call('memos.create', { title: 'Read-only' });
    await lib.services.store.db.exec('PRAGMA query_only = ON');
    const result = await lib.services.dispatch('memos.save', { id: memo.id, title: 'Changed', content: paragraph('new'), baseRevision: memo.revision });
    expect(result).toEqual({ ok: false, error: { code: 'storage', message: "The library's folder or file cannot be written (it is read-only); this change was not saved. Your library is as it was before it." } });
    expect((await lib.call('memos.get', { id: memo.id })).title).toBe('Read-only');
    // Reading still works.
    expect((await lib.call('memos.list', {})).length).toBe(1);
    await lib.services.store.db.exec('PRAGMA query_only = OFF');
  });
});

describe('a restore the disk refuses', () => {
  it('answers `storage` with a plain message for ENOSPC, EROFS and EACCES, and the library is as it was', async () => {
    await lib.call('memos.create', { title: 'In the backup' });
    const backup = await lib.call('library.backup', {});
    await lib.call('memos.create', { title: 'After the backup' });
    const expected: Record<string, string> = {
      ENOSPC: 'The disk is full, so the restore could not be made. Your library was not changed. Free some space and try again.',
      EROFS: 'The data folder is on a read-only disk, so the restore could not be made. Your library was not changed.',
      EACCES: 'Verbatim may not write in the data folder (permission denied), so the restore could not be made. Your library was not changed.',
    };
    const listing = readdirSync(lib.dataDir).sort();
    try {
      for (const [code, message] of Object.entries(expected)) {
        refuseCopies.code = code;
        expect(await lib.services.dispatch('library.restore', { name: backup.name })).toEqual({ ok: false, error: { code: 'storage', message } });
        expect((await lib.call('memos.list', {})).map((m) => m.title).sort()).toEqual(['After the backup', 'In the backup']);
        expect(readdirSync(lib.dataDir).sort()).toEqual(listing); // no .restoring copy left
        expect(readdirSync(backupsDir(lib.dataDir))).toEqual([backup.name]); // nothing kept aside: nothing was moved
      }
    } finally {
      refuseCopies.code = null;
    }
    // With room again the same restore goes through.
    const done = await lib.call('library.restore', { name: backup.name });
    expect(existsSync(path.join(backupsDir(lib.dataDir), done.keptAs))).toBe(true);
    expect((await lib.call('memos.list', {})).map((m) => m.title)).toEqual(['In the backup']);
  });
});

describe('storageError', () => {
  it('names each storage code plainly and leaves other errors alone', () => {
    expect(storageError(Object.assign(new Error('x'), { code: 'SQLITE_IOERR' }))).toMatch(/^The disk reported an error while writing; this change was not saved/);
    expect(storageError(Object.assign(new Error('x'), { code: 'SQLITE_BUSY' }))).toMatch(/^Another program is writing to the library/);
    expect(storageError(Object.assign(new Error('x'), { code: 'SQLITE_CANTOPEN' }))).toMatch(/could not be opened for writing/);
    expect(storageError(Object.assign(new Error('x'), { code: 'SQLITE_CONSTRAINT' }))).toBeNull();
    expect(storageError(new Error('plain'))).toBeNull();
    expect(storageError(null)).toBeNull();
  });
});
