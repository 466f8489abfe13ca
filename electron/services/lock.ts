/**
 * One writer per library: a lock file `<dataDir>/library.lock`, created exclusively
 * (`open(..., 'wx')`, O_CREAT|O_EXCL, atomic on local file systems), holding
 * `{pid, host, startedAt}`. A second web host, CLI or Electron app on the same data
 * folder finds the file and refuses with a {@link LibraryLockedError} naming the holder.
 *
 * A lock whose process is gone (killed with SIGKILL, power loss) is stale and taken over:
 * the pid no longer exists, or (Linux) the process now using that pid started after the
 * lock was written, so it is a different program that reused the number.
 *
 * Runs under plain Node; never imports 'electron'.
 */
import { closeSync, lstatSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';

/** Name of the lock file inside the data folder. */
export const LOCK_FILE_NAME = 'library.lock';

/** Which program holds a library: `electron` (the desktop app), `web` (the web host), `cli` (a one-shot command). */
export type LockHost = 'electron' | 'web' | 'cli';

/** What the lock file holds. `startedAt` is an ISO 8601 UTC time. */
export interface LockOwner {
  pid: number;
  host: LockHost;
  startedAt: string;
}

const HOST_NAMES: Record<LockHost, string> = { electron: 'the Verbatim app', web: 'a Verbatim web host', cli: 'a Verbatim command (CLI)' };

/** Thrown when another live process holds the library. */
export class LibraryLockedError extends Error {
  constructor(
    readonly owner: LockOwner,
    readonly lockFile: string,
  ) {
    super(
      `This library is already open in ${HOST_NAMES[owner.host] ?? owner.host} (process ${owner.pid}, since ${owner.startedAt}). ` +
        `Only one program may write to it at a time: close that one first, or use another --data-dir. (Lock file: ${lockFile})`,
    );
    this.name = 'LibraryLockedError';
  }
}

/** A held lock; `release()` removes the file if it is still ours (idempotent). */
export interface LibraryLock {
  readonly file: string;
  readonly owner: LockOwner;
  release(): void;
}

/** True when a process with this pid exists (EPERM: it exists but belongs to another user). */
function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * When the process `pid` started, in ms since the epoch, on Linux (`/proc/<pid>/stat`
 * field 22 in clock ticks since boot, plus `btime` from /proc/stat; USER_HZ is 100 on
 * every Linux architecture Node runs on). Null elsewhere or when unreadable.
 */
function processStartMs(pid: number): number | null {
  if (process.platform !== 'linux') return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]); // field 22 overall; fields[0] is field 3
    const btime = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]);
    if (!Number.isFinite(ticks) || !Number.isFinite(btime)) return null;
    return btime * 1000 + (ticks / 100) * 1000;
  } catch {
    return null; // no /proc entry: the caller already knows from kill(0) whether it lives
  }
}

/** True when `owner` names a process that still runs and is the one that wrote the lock. */
export function ownerAlive(owner: LockOwner): boolean {
  if (!Number.isInteger(owner.pid) || owner.pid <= 0 || !pidAlive(owner.pid)) return false;
  const started = processStartMs(owner.pid);
  const locked = Date.parse(owner.startedAt);
  // A process that started well after the lock was written reused the pid (btime has 1 s resolution).
  if (started !== null && Number.isFinite(locked) && started > locked + 2000) return false;
  return true;
}

/** A lock file younger than this with no readable owner is still being written by its taker. */
const FRESH_LOCK_MS = 2000;

function lockAgeMs(file: string): number {
  try {
    return Date.now() - statSync(file).mtimeMs;
  } catch {
    return Infinity; // gone: the retry loop finds out
  }
}

function readOwner(file: string): LockOwner | null {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockOwner>;
    if (typeof parsed.pid !== 'number' || typeof parsed.host !== 'string' || typeof parsed.startedAt !== 'string') return null;
    return parsed as LockOwner;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw error;
    return null; // unreadable or half-written JSON: its writer died between create and write
  }
}

/**
 * Refuse to treat `file` as a lock when something other than a regular file is there (a
 * folder, a symbolic link, a FIFO): Verbatim never wrote it, so it is left alone.
 * @throws Error saying what is there and what to do; nothing when it is a regular file or gone.
 */
function notARegularFile(file: string): void {
  let stats;
  try {
    stats = lstatSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // released meanwhile: the retry loop takes it
    throw error;
  }
  if (stats.isFile()) return;
  const what = stats.isDirectory() ? 'a folder' : stats.isSymbolicLink() ? 'a symbolic link' : 'not a regular file';
  throw new Error(`The library lock ${file} is ${what}, which Verbatim never makes, so it was left as it is and the library was not opened. Move or remove it, then try again.`);
}

/**
 * Take the library lock in `dataDir` for this process.
 * @throws LibraryLockedError when a live process holds it; Error when something other than a regular file is at the lock's path (left as it is); fs errors (e.g. EACCES, EROFS) as they come.
 */
export function acquireLibraryLock(dataDir: string, host: LockHost, now: () => Date = () => new Date()): LibraryLock {
  const file = path.join(dataDir, LOCK_FILE_NAME);
  const owner: LockOwner = { pid: process.pid, host, startedAt: now().toISOString() };
  for (let attempt = 0; attempt < 5; attempt += 1) {
    let fd: number;
    try {
      fd = openSync(file, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      notARegularFile(file); // a folder or link there is not ours to move
      let holder: LockOwner | null;
      try {
        holder = readOwner(file);
      } catch {
        continue; // released between our open and read: try again
      }
      if (holder && ownerAlive(holder)) throw new LibraryLockedError(holder, file);
      if (!holder && lockAgeMs(file) < FRESH_LOCK_MS) {
        // Just created and not yet written: its taker is between open and write. Not stale.
        throw new Error(`Another Verbatim is opening this library right now (lock file ${file}); try again in a moment.`);
      }
      // Stale: move it away atomically (only one taker's rename succeeds), then try again.
      try {
        renameSync(file, `${file}.stale-${process.pid}`);
        unlinkSync(`${file}.stale-${process.pid}`);
      } catch (renameError) {
        if ((renameError as NodeJS.ErrnoException).code !== 'ENOENT') throw renameError;
      }
      continue;
    }
    try {
      writeSync(fd, JSON.stringify(owner));
    } finally {
      closeSync(fd);
    }
    let held = true;
    return {
      file,
      owner,
      release() {
        if (!held) return;
        held = false;
        try {
          const current = readOwner(file);
          if (current && current.pid === owner.pid && current.startedAt === owner.startedAt) unlinkSync(file);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        }
      },
    };
  }
  throw new Error(`Could not take the library lock ${file}: it kept changing (another program is starting on this library at the same moment).`);
}
