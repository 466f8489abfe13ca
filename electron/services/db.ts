/**
 * A promise wrapper over the npm package `sqlite3` (node-sqlite3, N-API) with one rule:
 * every operation goes through one queue, so a transaction's statements never
 * interleave with another caller's. `transaction(fn)` runs BEGIN IMMEDIATE / COMMIT and
 * rolls back when `fn` throws. `close()` drains the queue first, so no write is cut off.
 *
 * Runs under plain Node; never imports 'electron'.
 */
import sqlite3 from 'sqlite3';

/** A value SQLite can bind. */
export type SqlValue = string | number | bigint | null | Buffer | Uint8Array;

/** The statements a transaction body may run (the same connection, inside the queue). */
export interface SqlExecutor {
  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number; lastID: number }>;
  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  exec(sql: string): Promise<void>;
}

function wrap(db: sqlite3.Database): SqlExecutor {
  return {
    run: (sql, params = []) =>
      new Promise((resolve, reject) => {
        db.run(sql, params as unknown[], function (this: sqlite3.RunResult, err: Error | null) {
          if (err) reject(err);
          else resolve({ changes: this.changes, lastID: this.lastID });
        });
      }),
    get: <T>(sql: string, params: readonly SqlValue[] = []) =>
      new Promise<T | undefined>((resolve, reject) => {
        db.get(sql, params as unknown[], (err: Error | null, row: T | undefined) => (err ? reject(err) : resolve(row)));
      }),
    all: <T>(sql: string, params: readonly SqlValue[] = []) =>
      new Promise<T[]>((resolve, reject) => {
        db.all(sql, params as unknown[], (err: Error | null, rows: T[]) => (err ? reject(err) : resolve(rows)));
      }),
    exec: (sql) => new Promise((resolve, reject) => db.exec(sql, (err: Error | null) => (err ? reject(err) : resolve()))),
  };
}

/** An open SQLite database file with a serial operation queue. */
export class Database {
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private sql: SqlExecutor;

  private constructor(
    private db: sqlite3.Database,
    readonly file: string,
    private readonly readOnly: boolean,
  ) {
    this.sql = wrap(db);
  }

  /**
   * Open (or create) the database at `file` with WAL journaling, foreign keys on,
   * synchronous=NORMAL (durable across application crashes in WAL mode; see
   * https://www.sqlite.org/pragma.html#pragma_synchronous) and a 5 s busy timeout.
   *
   * With `readOnly` the file is opened read-only and nothing is set that writes (no WAL
   * switch): every write then fails with SQLITE_READONLY (see {@link storageError}).
   *
   * Setting journal_mode=WAL writes the file's header, so callers that do not yet know the
   * file is a Verbatim library check it first (`inspectLibraryFile` in libraryFile.ts).
   *
   * @throws Error from SQLite when the file cannot be opened (the message names the file;
   *   the SQLite code, e.g. SQLITE_CANTOPEN, is kept in `code`).
   */
  static async open(file: string, options: { readOnly?: boolean } = {}): Promise<Database> {
    const readOnly = options.readOnly ?? false;
    const database = new Database(await openRaw(file, readOnly), file, readOnly);
    await database.exec(readOnly ? 'PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;' : CONNECTION_PRAGMAS);
    return database;
  }

  /**
   * Close the connection, run `work` (which may move, replace or copy the file: a restore),
   * then open `file` again with the same settings. Runs in the queue, so no other
   * statement runs while the file is closed; every later call sees the new file. When
   * `work` throws, the file is reopened as it is and the error is rethrown.
   */
  swapFile(work: () => Promise<void>): Promise<void> {
    return this.enqueue(async () => {
      await closeRaw(this.db);
      let failure: unknown = null;
      try {
        await work();
      } catch (error) {
        failure = error;
      }
      this.db = await openRaw(this.file, this.readOnly);
      this.sql = wrap(this.db);
      await this.sql.exec(this.readOnly ? 'PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;' : CONNECTION_PRAGMAS);
      if (failure) throw failure;
    });
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('The library database is closed.'));
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number; lastID: number }> {
    return this.enqueue(() => this.sql.run(sql, params));
  }

  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    return this.enqueue(() => this.sql.get<T>(sql, params));
  }

  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return this.enqueue(() => this.sql.all<T>(sql, params));
  }

  exec(sql: string): Promise<void> {
    return this.enqueue(() => this.sql.exec(sql));
  }

  /**
   * Run `body` in one transaction (BEGIN IMMEDIATE takes the write lock up front).
   * Commits when it resolves; rolls back and rethrows when it throws.
   */
  transaction<T>(body: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.enqueue(async () => {
      await this.sql.exec('BEGIN IMMEDIATE');
      try {
        const result = await body(this.sql);
        await this.sql.exec('COMMIT');
        return result;
      } catch (error) {
        await this.sql.exec('ROLLBACK').catch((rollbackError: unknown) => {
          // Keep the original error; SQLite already rolled back if ROLLBACK itself fails.
          (error as { rollbackError?: unknown }).rollbackError = rollbackError;
        });
        throw error;
      }
    });
  }

  /** Wait for queued work, then close the file. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.queue;
    this.closed = true;
    await closeRaw(this.db);
  }
}

/** Per-connection settings of a writable library connection. */
const CONNECTION_PRAGMAS = 'PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;';

function openRaw(file: string, readOnly: boolean): Promise<sqlite3.Database> {
  return new Promise<sqlite3.Database>((resolve, reject) => {
    const flags = readOnly ? sqlite3.OPEN_READONLY : sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE;
    const db: sqlite3.Database = new sqlite3.Database(file, flags, (err: Error | null) =>
      err ? reject(Object.assign(new Error(`Cannot open the library file ${file}: ${err.message}`), { code: (err as { code?: string }).code })) : resolve(db),
    );
  });
}

function closeRaw(db: sqlite3.Database): Promise<void> {
  return new Promise<void>((resolve, reject) => db.close((err: Error | null) => (err ? reject(err) : resolve())));
}

/**
 * SQLite result codes that mean the storage under the library failed, not the request:
 * https://www.sqlite.org/rescode.html (READONLY: the file or folder cannot be written;
 * FULL: the disk or the file's size limit is reached; IOERR: the OS reported a read or
 * write error; CANTOPEN: the file or its journal cannot be opened; BUSY: another
 * connection holds the write lock past the busy timeout).
 */
export const STORAGE_ERROR_CODES = ['SQLITE_READONLY', 'SQLITE_FULL', 'SQLITE_IOERR', 'SQLITE_CANTOPEN', 'SQLITE_BUSY'] as const;

/**
 * The plain message for a storage failure, or null when `error` is not one (node-sqlite3
 * puts the primary result code in `error.code`). Every such failure happens inside a
 * transaction or a single autocommit statement, so SQLite has rolled it back and the
 * library is as it was before the change.
 */
export function storageError(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !(STORAGE_ERROR_CODES as readonly string[]).includes(code)) return null;
  const tail = 'this change was not saved. Your library is as it was before it.';
  switch (code as (typeof STORAGE_ERROR_CODES)[number]) {
    case 'SQLITE_FULL':
      return `The disk is full; ${tail} Free some space and try again.`;
    case 'SQLITE_READONLY':
      return `The library's folder or file cannot be written (it is read-only); ${tail}`;
    case 'SQLITE_IOERR':
      return `The disk reported an error while writing; ${tail} Check the disk, then try again.`;
    case 'SQLITE_CANTOPEN':
      return `The library file could not be opened for writing; ${tail}`;
    case 'SQLITE_BUSY':
      return `Another program is writing to the library; ${tail} Try again in a moment.`;
  }
}
