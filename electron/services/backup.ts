/**
 * Backups of the library: consistent copies made with SQLite's `VACUUM INTO`
 * (https://www.sqlite.org/lang_vacuum.html#vacuuminto), which reads one snapshot of the
 * open library through its own connection, so a backup never holds a half-written change.
 *
 * Layout, all inside the data folder:
 * - `backups/library-<UTC stamp>.sqlite`: a backup (on start-up once a day, and on demand);
 *   the newest N are kept (N from `--keep-backups` / VERBATIM_KEEP_BACKUPS, default 10);
 * - `backups/before-restore-<UTC stamp>.sqlite`: the library as it was before a restore;
 *   never deleted by Verbatim;
 * - `library.damaged-<UTC stamp>.sqlite`: a library that could not be opened, moved aside
 *   when the user chose to restore a backup or start a new library; never deleted.
 *
 * A backup is written to a `.partial` name, checked (read-only: integrity_check ok, our
 * application id, a schema this build knows), and only then renamed into place and older
 * ones pruned, so a failed backup never costs an older good one.
 *
 * Runs under plain Node; never imports 'electron'.
 */
import { existsSync, fsyncSync, mkdirSync, openSync, closeSync, readdirSync, renameSync, rmSync, statSync, lstatSync, copyFileSync, linkSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { ApiError } from '../../shared/contract';
import type { Database } from './db';
import { Database as LibraryDatabase } from './db';
import { inspectLibraryFile, LibraryOpenError, migrateOrExplain } from './libraryFile';

/** Name of the backups folder inside the data folder. */
export const BACKUPS_DIR_NAME = 'backups';

/** How many `library-*.sqlite` backups are kept when nothing else is configured. */
export const DEFAULT_KEEP_BACKUPS = 10;

/** A start-up backup is made when the newest backup is older than this (24 h), in ms. */
export const BACKUP_INTERVAL_MS = 24 * 60 * 60 * 1000;

/** One file in the backups folder: `kind` says whether Verbatim made it as a backup or kept it aside before a restore. */
export interface BackupInfo {
  name: string;
  /** ISO 8601 UTC time the copy was made (from its name). */
  createdAt: string;
  bytes: number;
  kind: 'backup' | 'before-restore';
}

const NAME_PATTERN = /^(library|before-restore)-(\d{4})-(\d{2})-(\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z\.sqlite$/;

/** `2025-03-04T05-06-07-089Z`: an ISO time that is a valid file name everywhere and sorts by time. */
export function fileStamp(date: Date): string {
  return date.toISOString().replace(/:/g, '-').replace('.', '-');
}

/** The backups folder of a data folder. */
export function backupsDir(dataDir: string): string {
  return path.join(dataDir, BACKUPS_DIR_NAME);
}

function parseName(name: string): { kind: BackupInfo['kind']; createdAt: string } | null {
  const m = NAME_PATTERN.exec(name);
  if (!m) return null;
  const [, prefix, y, mo, d, h, mi, s, ms] = m;
  return { kind: prefix === 'library' ? 'backup' : 'before-restore', createdAt: `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z` };
}

/**
 * The backups in `dataDir`, newest first. Only regular files named like a backup are
 * listed: other files, folders, symbolic links (dangling or not) and entries that vanish
 * while the folder is read are ignored, so a stray entry never hides or breaks the rest.
 * @throws Error (fs) when the backups folder exists but cannot be read (e.g. EACCES, ENOTDIR).
 */
export function listBackups(dataDir: string): BackupInfo[] {
  const dir = backupsDir(dataDir);
  if (!existsSync(dir)) return [];
  const out: BackupInfo[] = [];
  for (const name of readdirSync(dir)) {
    const parsed = parseName(name);
    if (!parsed) continue;
    let stats;
    try {
      stats = lstatSync(path.join(dir, name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // removed since readdir
      throw error;
    }
    if (!stats.isFile()) continue;
    out.push({ name, createdAt: parsed.createdAt, bytes: stats.size, kind: parsed.kind });
  }
  return out.sort((a, b) => (a.createdAt === b.createdAt ? a.name.localeCompare(b.name) : a.createdAt < b.createdAt ? 1 : -1));
}

/** The newest `library-*` backup, or null. */
export function latestBackup(dataDir: string): BackupInfo | null {
  return listBackups(dataDir).find((b) => b.kind === 'backup') ?? null;
}

/** True when no backup exists or the newest is at least {@link BACKUP_INTERVAL_MS} old. */
export function backupDue(dataDir: string, now: Date = new Date()): boolean {
  const latest = latestBackup(dataDir);
  return !latest || now.getTime() - Date.parse(latest.createdAt) >= BACKUP_INTERVAL_MS;
}

function fsyncFile(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Check that `file` is a sound Verbatim library (read-only; full integrity_check).
 * @throws LibraryOpenError saying what is wrong.
 */
export async function verifyBackupFile(file: string): Promise<void> {
  const state = await inspectLibraryFile(file, 'integrity_check');
  if (state.kind !== 'library' || !state.stamped) throw new LibraryOpenError('foreign', file, 'This copy is not a Verbatim library.');
}

/**
 * A plain `storage` error for a file copy, move or sync in a backup or restore that the
 * disk refused: ENOSPC/EDQUOT (full), EROFS (read-only), EACCES/EPERM (no permission), EIO
 * (the disk failed). Any other error is returned as it is.
 * @param what what could not be made ("the backup", "the restore").
 * @param unchanged what the user keeps (e.g. "Your library was not changed.").
 */
export function fileStorageError(error: unknown, what: string, unchanged: string): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  let why: string;
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      why = `The disk is full, so ${what} could not be made. ${unchanged} Free some space and try again.`;
      break;
    case 'EROFS':
      why = `The data folder is on a read-only disk, so ${what} could not be made. ${unchanged}`;
      break;
    case 'EACCES':
    case 'EPERM':
      why = `Verbatim may not write in the data folder (permission denied), so ${what} could not be made. ${unchanged}`;
      break;
    case 'EIO':
      why = `The disk reported an error, so ${what} could not be made. ${unchanged} Check the disk, then try again.`;
      break;
    default:
      return error;
  }
  return Object.assign(new ApiError('storage', why), { cause: error });
}

/** How backup.ts reports a failure it does not throw (the services pass their logger). */
export type BackupLog = (message: string, error: unknown) => void;

const consoleLog: BackupLog = (message, error) => console.error(message, error);

/**
 * Make a backup of the open library `db` into `<dataDir>/backups/`, verify it, then prune
 * `library-*` backups beyond the newest `keep` (a prune failure goes to `logError`; the
 * backup still counts as made).
 * @returns the new backup.
 * @throws ApiError `storage` when the disk refuses the copy (full, read-only, no permission: {@link fileStorageError}); Error when it fails verification or SQLite fails; the partial copy is removed and no older backup is pruned.
 */
export async function createBackup(db: Database, dataDir: string, keep: number = DEFAULT_KEEP_BACKUPS, now: Date = new Date(), logError: BackupLog = consoleLog): Promise<BackupInfo> {
  if (!Number.isInteger(keep) || keep < 1) throw new Error(`keep must be a whole number of at least 1, not ${keep}.`);
  const dir = backupsDir(dataDir);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw fileStorageError(error, 'the backup', 'Your library was not changed.');
  }
  let stamp = now;
  while (existsSync(path.join(dir, `library-${fileStamp(stamp)}.sqlite`))) stamp = new Date(stamp.getTime() + 1);
  const name = `library-${fileStamp(stamp)}.sqlite`;
  const final = path.join(dir, name);
  const partial = `${final}.partial`;
  rmSync(partial, { force: true });
  try {
    // VACUUM INTO takes a file name as a string literal; quotes are doubled as SQL requires.
    await db.exec(`VACUUM INTO '${partial.replace(/'/g, "''")}'`);
    fsyncFile(partial);
    await verifyBackupFile(partial);
    renameSync(partial, final);
  } catch (error) {
    rmSync(partial, { force: true });
    throw fileStorageError(error, 'the backup', 'Your library and the older backups were not changed.');
  }
  // The backup is made and sound: failing to prune older ones is logged, never reported as a failed backup.
  try {
    pruneBackups(dataDir, keep, (file, error) => logError(`An old backup could not be deleted (${file})`, error));
  } catch (error) {
    logError('Old backups could not be pruned', error);
  }
  return { name, createdAt: stamp.toISOString(), bytes: statSync(final).size, kind: 'backup' };
}

/**
 * Delete `library-*` backups beyond the newest `keep`; `before-restore-*` files are never
 * deleted, and only regular files are (see {@link listBackups}). A file that cannot be
 * deleted is passed to `onError` and the rest are still pruned; one already gone counts as removed.
 * @returns the names removed.
 * @throws Error when the folder cannot be listed, or from `onError` (by default it rethrows).
 */
export function pruneBackups(
  dataDir: string,
  keep: number,
  onError: (file: string, error: unknown) => void = (_file, error) => {
    throw error;
  },
): string[] {
  const old = listBackups(dataDir)
    .filter((b) => b.kind === 'backup')
    .slice(keep);
  const removed: string[] = [];
  for (const b of old) {
    const file = path.join(backupsDir(dataDir), b.name);
    try {
      rmSync(file, { force: true });
      removed.push(b.name);
    } catch (error) {
      onError(file, error);
    }
  }
  return removed;
}

/**
 * The path of backup `name` in `dataDir`, checked: only a name as {@link listBackups} gives
 * it (no folders, no `..`), of a file that exists.
 * @throws Error with a clear message otherwise.
 */
export function backupPath(dataDir: string, name: string): string {
  if (!parseName(name)) throw new Error(`“${name}” is not the name of a Verbatim backup (they look like library-2025-01-31T09-30-00-000Z.sqlite).`);
  const file = path.join(backupsDir(dataDir), name);
  if (!existsSync(file)) throw new Error(`There is no backup called “${name}” in ${backupsDir(dataDir)}.`);
  return file;
}

/** Move `file` and its `-wal` / `-shm` companions (if any) to `target` (+ the same suffixes). */
export function moveLibraryFile(file: string, target: string): void {
  renameSync(file, target);
  for (const suffix of ['-wal', '-shm']) if (existsSync(file + suffix)) renameSync(file + suffix, target + suffix);
}

/**
 * Put backup `source` in place as the library `file`: copy to `<file>.restoring`, fsync,
 * rename over. The caller has moved the old file aside (and closed any connection to it).
 */
export function installBackup(source: string, file: string): void {
  const temp = `${file}.restoring`;
  copyFileSync(source, temp);
  fsyncFile(temp);
  renameSync(temp, file);
}

/** True when nothing (not even a dangling link) is at `file`. */
function free(file: string): boolean {
  try {
    lstatSync(file);
    return false;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
}

/**
 * Move the closed library `file` (and its `-wal` / `-shm` companions, if any) into `dir` as
 * `<prefix>-<UTC stamp>.sqlite`, never replacing anything: the stamp starts at `now` and is
 * bumped a millisecond at a time until the name (and its companion names) are free. The
 * main file is hard-linked to the new name first (link fails with EEXIST rather than
 * overwrite) and only then unlinked; where hard links are not supported (EPERM, ENOTSUP,
 * EXDEV, EMLINK, ENOSYS) the name is checked and the file renamed, which is safe because
 * the caller holds the library lock and runs inside the database's queue.
 * @returns the name the file now has in `dir`.
 * @throws Error (fs) when the file cannot be moved; nothing is moved then.
 */
export function moveAsideWithoutOverwriting(file: string, dir: string, prefix: string, now: Date): string {
  for (let t = now.getTime(); ; t += 1) {
    const name = `${prefix}-${fileStamp(new Date(t))}.sqlite`;
    const target = path.join(dir, name);
    if (!free(target) || !free(`${target}-wal`) || !free(`${target}-shm`)) continue;
    try {
      linkSync(file, target);
      unlinkSync(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (code === 'EEXIST') continue; // taken between the check and the link
      if (!['EPERM', 'ENOTSUP', 'EXDEV', 'EMLINK', 'ENOSYS', 'EOPNOTSUPP'].includes(code)) throw error;
      renameSync(file, target); // no hard links here: the name was just found free
    }
    for (const suffix of ['-wal', '-shm']) if (existsSync(file + suffix)) renameSync(file + suffix, target + suffix);
    return name;
  }
}

/** Remove `file` and its `-wal` / `-shm` companions, if there. */
function removeWithCompanions(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
}

/**
 * Copy backup `source` to `temp`, then open the copy, migrate it to this build's schema and
 * run a full integrity_check on it, and close it (fsynced). The live library is not touched.
 * @throws LibraryOpenError (`migration_failed`, `corrupt`) when the copy cannot be brought up to date or is unsound; fs errors from the copy. `temp` is removed on any failure.
 */
async function prepareRestore(source: string, temp: string): Promise<void> {
  removeWithCompanions(temp); // left over from a restore cut off by a crash
  try {
    copyFileSync(source, temp);
    const copy = await LibraryDatabase.open(temp);
    try {
      await migrateOrExplain(copy);
      const rows = await copy.all<{ integrity_check: string }>('PRAGMA integrity_check');
      const findings = rows.map((r) => r.integrity_check);
      if (findings.length !== 1 || findings[0] !== 'ok') throw new LibraryOpenError('corrupt', source, `After bringing it up to this version the backup is damaged (SQLite integrity_check: ${findings.slice(0, 3).join('; ')}).`);
    } finally {
      await copy.close();
    }
    fsyncFile(temp);
  } catch (error) {
    removeWithCompanions(temp);
    throw error;
  }
}

/** Library files with a restore running in this process (one at a time per library). */
const restoresRunning = new Set<string>();

/**
 * Restore backup `name` while the library is open through `db`: verify the backup; copy it
 * beside the library as `<file>.restoring`, migrate that copy to this build's schema and
 * check it (integrity_check); then, in the database's queue with the connection closed,
 * move the current file into the backups folder as `before-restore-<stamp>.sqlite` (a free
 * name, chosen there: see {@link moveAsideWithoutOverwriting}), rename the prepared copy
 * into its place, and reopen. Until that rename the live library is untouched.
 * @returns the name the previous library was kept under.
 * @throws ApiError `conflict` when a restore of this library is already running;
 *   LibraryOpenError when the backup fails verification, migration or the check; ApiError
 *   `storage` when the disk refuses a copy or move ({@link fileStorageError}); Error when the
 *   name is not a backup (the library is as it was in every case).
 */
export async function restoreBackupOnline(db: Database, dataDir: string, name: string, now: Date = new Date()): Promise<{ keptAs: string }> {
  if (restoresRunning.has(db.file)) throw new ApiError('conflict', 'A restore is already running; wait for it to finish, then look at the library before restoring again.');
  restoresRunning.add(db.file);
  const temp = `${db.file}.restoring`;
  try {
    const source = backupPath(dataDir, name);
    await verifyBackupFile(source);
    await prepareRestore(source, temp);
    let keptAs = '';
    await db.swapFile(async () => {
      keptAs = moveAsideWithoutOverwriting(db.file, backupsDir(dataDir), 'before-restore', now);
      try {
        renameSync(temp, db.file);
      } catch (error) {
        moveLibraryFile(path.join(backupsDir(dataDir), keptAs), db.file); // put the library back as it was (nothing is at db.file now)
        throw error;
      }
    });
    return { keptAs };
  } catch (error) {
    throw fileStorageError(error, 'the restore', 'Your library was not changed.');
  } finally {
    removeWithCompanions(temp);
    restoresRunning.delete(db.file);
  }
}

/**
 * Recover a library that cannot be opened (no connection to it exists): move the file
 * aside as `library.damaged-<stamp>.sqlite` in the data folder, then put the newest
 * backup in its place (`restore-latest`) or leave no file, so a new library is created
 * on the next open (`new-library`). The caller holds the library lock.
 * @returns the damaged file's new name, the backup restored (if any), and newer backups skipped because they failed verification (with why).
 * @throws Error when `restore-latest` finds no backup (nothing is moved then).
 */
export async function recoverLibraryFile(dataDir: string, file: string, action: 'restore-latest' | 'new-library', now: Date = new Date()): Promise<{ movedTo: string | null; restored: string | null; skipped: string[] }> {
  let restored: BackupInfo | null = null;
  const skipped: string[] = [];
  if (action === 'restore-latest') {
    // The newest backup that passes verification (a damaged newest one is skipped, never deleted).
    for (const b of listBackups(dataDir).filter((x) => x.kind === 'backup')) {
      try {
        await verifyBackupFile(path.join(backupsDir(dataDir), b.name));
        restored = b;
        break;
      } catch (error) {
        skipped.push(`${b.name}: ${(error as Error).message}`); // reported; the next older one is tried
      }
    }
    if (!restored) {
      const why = skipped.length ? ` (${skipped.join(' ')})` : '';
      throw new Error(`There is no usable backup in ${backupsDir(dataDir)} to restore${why}. Start a new library instead (the damaged file is kept).`);
    }
  }
  let movedTo: string | null = null;
  if (existsSync(file)) movedTo = path.join(path.dirname(file), moveAsideWithoutOverwriting(file, path.dirname(file), 'library.damaged', now));
  if (restored) installBackup(path.join(backupsDir(dataDir), restored.name), file);
  return { movedTo, restored: restored?.name ?? null, skipped };
}
