/**
 * Telling a Verbatim library from anything else before a single byte is written.
 *
 * Opening a file read-write and switching it to WAL rewrites its header, and a read-only
 * open of a WAL file creates `-wal` and `-shm` files beside it. So a file is first
 * inspected through a read-only connection that cannot write at all (SQLite's
 * `immutable=1` URI parameter, https://www.sqlite.org/uri.html#uriimmutable) when no
 * `-wal` file exists, or a plain read-only one when it does (after a crash the WAL holds
 * committed transactions that must be read). Only a file found to be ours (or empty) is
 * then opened for writing, stamped with {@link VERBATIM_APPLICATION_ID} and migrated.
 *
 * Runs under plain Node; never imports 'electron'.
 */
import { existsSync, openSync, readSync, closeSync, statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import sqlite3 from 'sqlite3';
import { Database } from './db';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, NewerSchemaError, migrate, schemaVersion } from './migrations';

/**
 * Verbatim's `PRAGMA application_id` ("VRBT" in ASCII), stamped into every library this
 * build creates or opens (https://www.sqlite.org/fileformat.html#application_id), so a
 * SQLite file written by another program is never taken for a library.
 */
export const VERBATIM_APPLICATION_ID = 0x56524254;

/** Tables every Verbatim library has had since schema 1 (how a library from before the stamp is recognised). */
const CORE_TABLES = ['sources', 'quotes', 'memos'] as const;

/** The first 16 bytes of every SQLite 3 database (https://www.sqlite.org/fileformat.html#magic_header_string). */
const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * Why a library file cannot be opened:
 * - `not_sqlite`: the file is not an SQLite database at all;
 * - `foreign`: an SQLite database, but not a Verbatim library;
 * - `newer`: a library written by a newer Verbatim (schema version above this build's);
 * - `corrupt`: SQLite reports the file damaged (SQLITE_CORRUPT / NOTADB, or quick_check not ok);
 * - `unreadable`: the file cannot be read (permissions, I/O error);
 * - `migration_failed`: a library this build knows, but bringing it up to this build's
 *   schema failed (the failed step was rolled back; earlier steps were kept).
 */
export type LibraryDamageKind = 'not_sqlite' | 'foreign' | 'newer' | 'corrupt' | 'unreadable' | 'migration_failed';

/**
 * Thrown when the library file is not one this build can open. The file is left byte for
 * byte as it was (`untouched`, the default) or, for `migration_failed`, at the last schema
 * step that succeeded; the message says which.
 */
export class LibraryOpenError extends Error {
  constructor(
    readonly kind: LibraryDamageKind,
    readonly file: string,
    detail: string,
    untouched = true,
  ) {
    super(untouched ? `${detail} The file was left untouched: ${file}` : `${detail} (File: ${file})`);
    this.name = 'LibraryOpenError';
  }
}

/** What {@link inspectLibraryFile} found: a file to create, or a library (stamped or not yet) at a schema version. */
export type LibraryFileState = { kind: 'new' } | { kind: 'library'; schemaVersion: number; stamped: boolean };

interface ReadOnlyConnection {
  all<T>(sql: string): Promise<T[]>;
  close(): Promise<void>;
}

/** Open `file` so that nothing can be written or created beside it (see the module comment). */
async function openForInspection(file: string): Promise<ReadOnlyConnection> {
  const hasWal = existsSync(`${file}-wal`) && statSync(`${file}-wal`).size > 0;
  const name = hasWal ? file : `${pathToFileURL(file).href}?immutable=1`;
  const flags = hasWal ? sqlite3.OPEN_READONLY : sqlite3.OPEN_READONLY | sqlite3.OPEN_URI;
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const handle: sqlite3.Database = new sqlite3.Database(name, flags, (err: Error | null) => (err ? reject(err) : resolve(handle)));
  });
  return {
    all: <T>(sql: string) => new Promise<T[]>((resolve, reject) => db.all(sql, [], (err: Error | null, rows: T[]) => (err ? reject(err) : resolve(rows)))),
    close: () => new Promise<void>((resolve, reject) => db.close((err: Error | null) => (err ? reject(err) : resolve()))),
  };
}

function readHeader(file: string): Buffer {
  const fd = openSync(file, 'r');
  try {
    const header = Buffer.alloc(SQLITE_MAGIC.length);
    const read = readSync(fd, header, 0, header.length, 0);
    return header.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/**
 * Classify the file at `file` without writing anything (anything but a regular file, e.g. a
 * folder or a FIFO, is refused as `unreadable`): missing or 0 bytes (or an empty
 * SQLite file) is `new`; a Verbatim library gives its schema version and whether it
 * carries the application id. `check` chooses `PRAGMA quick_check` (on open: O(size),
 * skips index cross-checks) or the full `integrity_check` (for backups).
 *
 * @throws LibraryOpenError with the reason when the file is not a library this build can open.
 */
export async function inspectLibraryFile(file: string, check: 'quick_check' | 'integrity_check' = 'quick_check'): Promise<LibraryFileState> {
  let size: number;
  try {
    const stats = statSync(file);
    if (!stats.isFile()) {
      const what = stats.isDirectory() ? 'a folder' : stats.isFIFO() ? 'a named pipe (FIFO)' : stats.isSocket() ? 'a socket' : 'a device or other special file';
      throw new LibraryOpenError('unreadable', file, `The library path is ${what}, not a file, so it cannot be a Verbatim library. Move it out of the way (or use another --data-dir).`);
    }
    size = stats.size;
  } catch (error) {
    if (error instanceof LibraryOpenError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'new' };
    throw new LibraryOpenError('unreadable', file, `The library file cannot be read (${(error as Error).message}).`);
  }
  if (size === 0) return { kind: 'new' };
  let header: Buffer;
  try {
    header = readHeader(file);
  } catch (error) {
    throw new LibraryOpenError('unreadable', file, `The library file cannot be read (${(error as Error).message}).`);
  }
  if (!header.equals(SQLITE_MAGIC)) {
    throw new LibraryOpenError('not_sqlite', file, 'This file is not a Verbatim library: it is not an SQLite database at all.');
  }
  let conn: ReadOnlyConnection;
  try {
    conn = await openForInspection(file);
  } catch (error) {
    throw classifySqliteError(file, error);
  }
  try {
    const [{ application_id: appId } = { application_id: 0 }] = await conn.all<{ application_id: number }>('PRAGMA application_id');
    const [{ user_version: version } = { user_version: 0 }] = await conn.all<{ user_version: number }>('PRAGMA user_version');
    const tables = new Set((await conn.all<{ name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table'")).map((r) => r.name));
    const ours = appId === VERBATIM_APPLICATION_ID || (appId === 0 && version >= 1 && CORE_TABLES.every((t) => tables.has(t)));
    if (!ours) {
      if (appId === 0 && version === 0 && tables.size === 0) return { kind: 'new' };
      const what = appId !== 0 ? `application id ${appId}` : tables.size === 1 ? "1 table, not one of Verbatim's" : `${tables.size} tables, none of them Verbatim's`;
      throw new LibraryOpenError('foreign', file, `This file is an SQLite database made by another program (${what}), not a Verbatim library.`);
    }
    if (version > LATEST_SCHEMA_VERSION) throw new LibraryOpenError('newer', file, new NewerSchemaError(version).message.replace(/ It was left untouched\.$/, ''));
    const rows = await conn.all<Record<string, string>>(`PRAGMA ${check}`);
    const findings = rows.map((r) => Object.values(r)[0]);
    if (findings.length !== 1 || findings[0] !== 'ok') {
      throw new LibraryOpenError('corrupt', file, `The library file is damaged (SQLite ${check}: ${findings.slice(0, 3).join('; ')}).`);
    }
    return { kind: 'library', schemaVersion: version, stamped: appId === VERBATIM_APPLICATION_ID };
  } catch (error) {
    throw error instanceof LibraryOpenError ? error : classifySqliteError(file, error);
  } finally {
    await conn.close().catch(() => undefined); // a read-only handle: nothing to lose if closing it fails
  }
}

function classifySqliteError(file: string, error: unknown): LibraryOpenError {
  const code = (error as { code?: string }).code ?? '';
  const message = (error as Error).message;
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') return new LibraryOpenError('corrupt', file, `The library file is damaged (${message}).`);
  return new LibraryOpenError('unreadable', file, `The library file cannot be read (${message}).`);
}

/**
 * Inspect, then open `file` for writing (WAL), stamp the application id on a library
 * that lacks it, and migrate it to this build's schema.
 * @returns the database and the migration versions applied (`[1, …]` for a new library).
 * @throws LibraryOpenError (file untouched) or SQLite errors while migrating.
 */
export async function openLibraryDatabase(file: string): Promise<{ db: Database; applied: number[] }> {
  const state = await inspectLibraryFile(file);
  const db = await Database.open(file);
  try {
    if (state.kind === 'new' || !state.stamped) await db.exec(`PRAGMA application_id = ${VERBATIM_APPLICATION_ID}`);
    const applied = await migrateOrExplain(db);
    return { db, applied };
  } catch (error) {
    await db.close();
    throw error;
  }
}

/**
 * Run the pending migrations on `db` (migrations/index.ts: each in its own transaction).
 * @returns the versions applied.
 * @throws LibraryOpenError `migration_failed` naming the step that failed and SQLite's
 *   reason (that step was rolled back; earlier ones stay), or `newer`.
 */
export async function migrateOrExplain(db: Database): Promise<number[]> {
  try {
    return await migrate(db);
  } catch (error) {
    if (error instanceof NewerSchemaError) throw new LibraryOpenError('newer', db.file, error.message.replace(/ It was left untouched\.$/, ''));
    const at = await schemaVersion(db).catch(() => null);
    const step = at === null ? undefined : MIGRATIONS.find((m) => m.version > at);
    const which = step ? `step ${step.version} (${step.name}) of bringing it up to this version failed` : 'bringing it up to this version failed';
    throw new LibraryOpenError(
      'migration_failed',
      db.file,
      `This library could not be brought up to this version of Verbatim: ${which}: ${(error as Error).message}. That step was undone; the library is at schema ${at ?? 'unknown'}.`,
      false,
    );
  }
}
