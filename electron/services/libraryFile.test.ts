import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sqlite3 from 'sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { Database } from './db';
import { inspectLibraryFile, LibraryOpenError, VERBATIM_APPLICATION_ID, type LibraryDamageKind } from './libraryFile';
import { LOCK_FILE_NAME } from './lock';
import { LATEST_SCHEMA_VERSION } from './migrations';
import { LIBRARY_FILE_NAME } from './services';
import { openTestLibrary } from './testing';

const dirs: string[] = [];
function freshDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'verbatim-damage-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Write an SQLite file with `sql` through a plain connection (rollback journal, no WAL). */
async function sqliteFile(file: string, sql: string): Promise<void> {
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const d: sqlite3.Database = new sqlite3.Database(file, (e) => (e ? reject(e) : resolve(d)));
  });
  await new Promise<void>((resolve, reject) => db.exec(sql, (e) => (e ? reject(e) : resolve())));
  await new Promise<void>((resolve, reject) => db.close((e) => (e ? reject(e) : resolve())));
}

/** A real library made by this build, closed, then switched back to a rollback journal so that the test file is one file. */
async function realLibrary(dir: string): Promise<string> {
  const lib = await openTestLibrary(dir);
  await lib.call('memos.create', { title: 'Kept' });
  await lib.services.close();
  const file = path.join(dir, LIBRARY_FILE_NAME);
  await sqliteFile(file, 'PRAGMA journal_mode = DELETE;');
  return file;
}

/** Open the data folder with the services and return the LibraryOpenError they throw; asserts the file, its folder and the lock are as before. */
async function refusal(dir: string): Promise<LibraryOpenError> {
  const file = path.join(dir, LIBRARY_FILE_NAME);
  const before = sha(file);
  const listing = readdirSync(dir).sort();
  let caught: unknown;
  try {
    const lib = await openTestLibrary(dir);
    await lib.services.close();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(LibraryOpenError);
  expect(sha(file)).toBe(before);
  expect(readdirSync(dir).sort()).toEqual(listing); // no -wal, -shm or lock left behind
  expect(existsSync(path.join(dir, LOCK_FILE_NAME))).toBe(false);
  return caught as LibraryOpenError;
}

describe('opening a file that is not a library this build can open', () => {
  const cases: [string, LibraryDamageKind, (file: string) => Promise<void>, RegExp][] = [
    ['a text file', 'not_sqlite', async (f) => writeFileSync(f, 'Dear diary, this is not a database.\n'.repeat(200)), /not an SQLite database at all/],
    ['another program’s SQLite database', 'foreign', (f) => sqliteFile(f, 'CREATE TABLE contacts(name TEXT); INSERT INTO contacts VALUES (\'Ada\');'), /made by another program \(1 table, not one of Verbatim's\)/],
    ['another program’s SQLite database with two tables', 'foreign', (f) => sqliteFile(f, 'CREATE TABLE contacts(name TEXT); CREATE TABLE calls(at TEXT);'), /made by another program \(2 tables, none of them Verbatim's\)/],
    ['another program’s database with its own application id', 'foreign', (f) => sqliteFile(f, 'PRAGMA application_id = 1234; CREATE TABLE sources(x);'), /application id 1234/],
    ['a library from a newer Verbatim', 'newer', (f) => sqliteFile(f, `PRAGMA application_id = ${VERBATIM_APPLICATION_ID}; CREATE TABLE sources(x); PRAGMA user_version = ${LATEST_SCHEMA_VERSION + 7};`), new RegExp(`newer version of Verbatim \\(schema ${LATEST_SCHEMA_VERSION + 7}`)],
  ];
  for (const [what, kind, make, message] of cases) {
    it(`refuses ${what} as ${kind}, leaving it byte for byte`, async () => {
      const dir = freshDir();
      await make(path.join(dir, LIBRARY_FILE_NAME));
      const error = await refusal(dir);
      expect(error.kind).toBe(kind);
      expect(error.message).toMatch(message);
      expect(error.message).toContain('left untouched');
    });
  }

  it('refuses a named pipe (FIFO) or a folder at the library path as unreadable, leaving it there', async () => {
    for (const make of [(f: string) => expect(spawnSync('mkfifo', [f]).status).toBe(0), (f: string) => mkdirSync(f)]) {
      const dir = freshDir();
      const file = path.join(dir, LIBRARY_FILE_NAME);
      make(file);
      const listing = readdirSync(dir).sort();
      const error = await openTestLibrary(dir).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(LibraryOpenError);
      expect(error).toMatchObject({ kind: 'unreadable', message: expect.stringMatching(/is (a named pipe \(FIFO\)|a folder), not a file.*left untouched/s) });
      const stats = lstatSync(file);
      expect(stats.isFIFO() || stats.isDirectory()).toBe(true);
      expect(readdirSync(dir).sort()).toEqual(listing); // no -wal, -shm or lock left behind
    }
  });

  it('refuses a library whose schema page is damaged as corrupt', async () => {
    const dir = freshDir();
    const file = await realLibrary(dir);
    const bytes = readFileSync(file);
    bytes.fill(0xa5, 100, 4096); // page 1 after the 100-byte header: the schema table's b-tree
    writeFileSync(file, bytes);
    const error = await refusal(dir);
    expect(error.kind).toBe('corrupt');
    expect(error.message).toMatch(/damaged/);
  });

  it('refuses a library with a damaged data page (quick_check) as corrupt', async () => {
    const dir = freshDir();
    const file = await realLibrary(dir);
    const bytes = readFileSync(file);
    const pageSize = bytes.readUInt16BE(16);
    const pages = bytes.length / pageSize;
    expect(pages).toBeGreaterThan(4);
    // Scramble the cell area of every page after the first: the b-trees no longer add up.
    for (let p = 1; p < pages; p += 1) bytes.fill(0x33, p * pageSize + 8, p * pageSize + pageSize);
    writeFileSync(file, bytes);
    const error = await refusal(dir);
    expect(error.kind).toBe('corrupt');
  });
});

describe('opening a library', () => {
  it('stamps the application id on a library made before the stamp, and accepts an empty file', async () => {
    const dir = freshDir();
    const file = await realLibrary(dir);
    await sqliteFile(file, 'PRAGMA application_id = 0;');
    expect(await inspectLibraryFile(file)).toEqual({ kind: 'library', schemaVersion: LATEST_SCHEMA_VERSION, stamped: false });
    const lib = await openTestLibrary(dir);
    expect((await lib.call('memos.list', {})).map((m) => m.title)).toEqual(['Kept']);
    await lib.services.close();
    expect(await inspectLibraryFile(file)).toEqual({ kind: 'library', schemaVersion: LATEST_SCHEMA_VERSION, stamped: true });

    const empty = freshDir();
    writeFileSync(path.join(empty, LIBRARY_FILE_NAME), '');
    const fresh = await openTestLibrary(empty);
    expect((await fresh.call('sources.list', {})).length).toBe(1); // the sample
    await fresh.dispose();
  });

  it('inspects a library left by a killed process (with its -wal) and reads the committed changes', async () => {
    const dir = freshDir();
    const file = path.join(dir, LIBRARY_FILE_NAME);
    const lib = await openTestLibrary(dir);
    await lib.call('memos.create', { title: 'In the WAL' });
    // While the connection is open the change is in library.sqlite-wal, not yet in the main file.
    expect(readFileSync(`${file}-wal`).length).toBeGreaterThan(0);
    expect(await inspectLibraryFile(file)).toEqual({ kind: 'library', schemaVersion: LATEST_SCHEMA_VERSION, stamped: true });
    await lib.services.close();
  });

  it('maps a read-only connection to SQLITE_READONLY on write', async () => {
    const dir = freshDir();
    const file = await realLibrary(dir);
    const db = await Database.open(file, { readOnly: true });
    await expect(db.run("UPDATE memos SET title = 'x'")).rejects.toMatchObject({ code: 'SQLITE_READONLY' });
    await db.close();
  });
});
