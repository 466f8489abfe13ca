/**
 * Versioned schema migrations, one numbered file each (as Signal Desktop keeps them).
 *
 * The schema version is SQLite's `PRAGMA user_version`. Each pending migration runs in
 * its own transaction together with the user_version bump, so a failure leaves the
 * file at the last good version. A file whose version is newer than this build knows
 * is refused, never touched.
 */
import type { Database, SqlExecutor } from '../db';
import { migration0001 } from './0001-initial';
import { migration0002 } from './0002-citations';
import { migration0003 } from './0003-anchoring';
import { migration0004 } from './0004-revisions';
import { migration0005 } from './0005-organisation-search';

/** One migration: the version it brings the schema to, a name, and its SQL. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** Data work after `sql`, in the same transaction (backfilling computed columns). */
  run?: (tx: SqlExecutor) => Promise<void>;
}

/** All migrations, in order. Append; never edit one that has shipped. */
export const MIGRATIONS: readonly Migration[] = [migration0001, migration0002, migration0003, migration0004, migration0005];

/** The schema version this build writes. */
export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** Thrown when the file's schema is newer than this build (it was written by a newer Verbatim). */
export class NewerSchemaError extends Error {
  constructor(readonly found: number) {
    super(`This library was written by a newer version of Verbatim (schema ${found}; this version knows up to ${LATEST_SCHEMA_VERSION}). It was left untouched.`);
    this.name = 'NewerSchemaError';
  }
}

/** Read PRAGMA user_version. */
export async function schemaVersion(db: Database): Promise<number> {
  const row = await db.get<{ user_version: number }>('PRAGMA user_version');
  return row?.user_version ?? 0;
}

/**
 * Bring the database up to {@link LATEST_SCHEMA_VERSION}. Returns the versions applied.
 * @throws NewerSchemaError when the file is from a newer build; SQLite errors as they come.
 */
export async function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  const current = await schemaVersion(db);
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  if (current > latest) throw new NewerSchemaError(current);
  const applied: number[] = [];
  for (const m of migrations) {
    if (m.version <= current) continue;
    await db.transaction(async (tx) => {
      await tx.exec(m.sql);
      if (m.run) await m.run(tx);
      await tx.exec(`PRAGMA user_version = ${Math.trunc(m.version)}`);
    });
    applied.push(m.version);
  }
  return applied;
}
