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
  private readonly sql: SqlExecutor;

  private constructor(
    private readonly db: sqlite3.Database,
    readonly file: string,
  ) {
    this.sql = wrap(db);
  }

  /**
   * Open (or create) the database at `file` with WAL journaling, foreign keys on,
   * synchronous=NORMAL (durable across application crashes in WAL mode; see
   * https://www.sqlite.org/pragma.html#pragma_synchronous) and a 5 s busy timeout.
   *
   * @throws Error from SQLite when the file cannot be opened (the message names the file).
   */
  static async open(file: string): Promise<Database> {
    const raw = await new Promise<sqlite3.Database>((resolve, reject) => {
      const db: sqlite3.Database = new sqlite3.Database(file, sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE, (err: Error | null) =>
        err ? reject(new Error(`Cannot open the library file ${file}: ${err.message}`)) : resolve(db),
      );
    });
    const database = new Database(raw, file);
    await database.exec('PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;');
    return database;
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
    await new Promise<void>((resolve, reject) => this.db.close((err: Error | null) => (err ? reject(err) : resolve())));
  }
}
