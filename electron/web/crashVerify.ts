/**
 * The crash test's judge (issue 5, item 2): what the driver knows it sent and had
 * acknowledged, what the library holds after a SIGKILL, and the rule between them.
 *
 * The rule, per tracked memo and quote:
 * - every change acknowledged (an `{ ok: true }` answer received) before the kill is
 *   there: the memo's title, content and revision are exactly those of its last
 *   acknowledged version, or of a later version that was in flight (sent, not answered);
 *   never an older one, never one that was answered with an error;
 * - nothing is partially applied: a memo's title, content and revision all belong to one
 *   and the same version (each save is one transaction), a quote keeps its range;
 * - nothing appears that no request made: a memo or quote the model does not track must
 *   be the result of a create that was in flight.
 * The file itself must pass `PRAGMA integrity_check` and `PRAGMA foreign_key_check`
 * ({@link inspectLibraryFile}).
 *
 * Versions are told apart by their memo title or quote note, which the driver makes
 * unique per request (`[#<seq>]`, see {@link versionTag}). Pure except for
 * {@link inspectLibraryFile}, which reads a file through its own sqlite3 connection.
 */
import { isDeepStrictEqual } from 'node:util';
import sqlite3 from 'sqlite3';

/** One version of a memo: what a create or save request set (or what was found at a baseline). */
export interface MemoVersion {
  /** The request's sequence number (unique across the run); -1 for a baseline found in the file. */
  seq: number;
  title: string;
  /** The Lexical state (compared deeply, key order ignored). */
  content: unknown;
  /** The memo's revision after this version: 0 for a create, the save's baseRevision + 1 for a save. */
  revision: number;
}

/** A memo the driver knows exists (its create was acknowledged, or it was there at a baseline). */
export interface TrackedMemo {
  id: string;
  /** The last acknowledged version (or the baseline). */
  acked: MemoVersion;
  /** Versions sent after `acked` whose answer never came, in the order sent. */
  inFlight: MemoVersion[];
  /** Versions answered with an error: they must not be in the file. */
  refused: MemoVersion[];
}

/** One version of a quote's note. */
export interface QuoteVersion {
  seq: number;
  note: string;
}

/** A quote the driver knows exists. `start`/`end` are its TextPositionSelector, as stored (UTF-16 code units). */
export interface TrackedQuote {
  id: string;
  start: number;
  end: number;
  acked: QuoteVersion;
  inFlight: QuoteVersion[];
  refused: QuoteVersion[];
}

/** A memos.create that was sent and not answered: the memo may or may not exist. */
export interface PendingMemoCreate {
  seq: number;
  title: string;
  /** The content a new memo gets (the empty Lexical document). */
  content: unknown;
}

/** A quotes.create that was sent and not answered; `start`/`end` as the store will keep them (white space trimmed). */
export interface PendingQuoteCreate {
  seq: number;
  start: number;
  end: number;
  note: string;
}

/** Everything the driver knows about the library. */
export interface DriverModel {
  memos: Map<string, TrackedMemo>;
  quotes: Map<string, TrackedQuote>;
  pendingMemoCreates: PendingMemoCreate[];
  pendingQuoteCreates: PendingQuoteCreate[];
}

/** A memo as found in the library (through the contract or the file). */
export interface ObservedMemo {
  id: string;
  title: string;
  content: unknown;
  revision: number;
}

/** A quote as found in the library. */
export interface ObservedQuote {
  id: string;
  start: number;
  end: number;
  note: string;
}

/** What the library holds. */
export interface ObservedLibrary {
  memos: ObservedMemo[];
  quotes: ObservedQuote[];
}

/** What {@link verifyLibrary} found. */
export interface Verification {
  /** One precise sentence per broken rule; empty when the library is as it must be. */
  violations: string[];
  /** Tracked memos and quotes whose acknowledged state was confirmed (each counts once). */
  ackedChecked: number;
  /** Requests in flight at the kill whose change is in the library. */
  inFlightCommitted: number;
  /** Requests in flight at the kill whose change is not in the library. */
  inFlightNotCommitted: number;
  /** The observed library as the new acknowledged baseline (nothing in flight), to drive the next round. */
  next: DriverModel;
}

/** An empty model. */
export function emptyModel(): DriverModel {
  return { memos: new Map(), quotes: new Map(), pendingMemoCreates: [], pendingQuoteCreates: [] };
}

/** The tag that makes a title or note unique to request `seq`: `[#seq]`. */
export function versionTag(seq: number): string {
  return `[#${seq}]`;
}

/** The request number in a title or note made with {@link versionTag}, or null. */
export function tagOf(text: string): number | null {
  const match = /\[#(\d+)\]/.exec(text);
  return match ? Number(match[1]) : null;
}

/** Where a title or note that matches no allowed version came from, for the message. */
function describeOrigin(text: string, ackedSeq: number): string {
  const seq = tagOf(text);
  if (seq === null) return 'a version no request of this run wrote';
  if (seq < ackedSeq) return `request #${seq}, older than the last acknowledged request #${ackedSeq}`;
  return seq === ackedSeq ? `the tag of request #${seq} but not its text` : `request #${seq}, which was not sent for it`;
}

const short = (text: string) => JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);

/**
 * Check an observed library against the model (the rule is in this file's header).
 * Never throws; every broken rule becomes one entry of `violations`.
 */
export function verifyLibrary(model: DriverModel, observed: ObservedLibrary, label = 'library'): Verification {
  const violations: string[] = [];
  let ackedChecked = 0;
  let inFlightCommitted = 0;
  let inFlightNotCommitted = 0;
  const next = emptyModel();

  const memosById = new Map(observed.memos.map((m) => [m.id, m]));
  for (const tracked of model.memos.values()) {
    const found = memosById.get(tracked.id);
    if (!found) {
      violations.push(`${label}: memo ${tracked.id} is missing; its version ${short(tracked.acked.title)} (revision ${tracked.acked.revision}) was acknowledged.`);
      inFlightNotCommitted += tracked.inFlight.length;
      continue;
    }
    memosById.delete(tracked.id);
    const candidates = [tracked.acked, ...tracked.inFlight];
    const index = candidates.findIndex((v) => v.title === found.title);
    if (index < 0) {
      const refused = tracked.refused.find((v) => v.title === found.title);
      violations.push(
        refused
          ? `${label}: memo ${tracked.id} holds ${short(found.title)} from request #${refused.seq}, which was answered with an error; its last acknowledged version is ${short(tracked.acked.title)}.`
          : `${label}: memo ${tracked.id} holds ${short(found.title)} (${describeOrigin(found.title, tracked.acked.seq)}) instead of its last acknowledged version ${short(tracked.acked.title)} or a later one in flight.`,
      );
      next.memos.set(found.id, { id: found.id, acked: { seq: tagOf(found.title) ?? -1, title: found.title, content: found.content, revision: found.revision }, inFlight: [], refused: [] });
      continue;
    }
    const version = candidates[index]!;
    if (found.revision !== version.revision) {
      violations.push(`${label}: memo ${tracked.id} is partially applied: it has the title of request #${version.seq} (${short(version.title)}) but revision ${found.revision}, not ${version.revision}.`);
    }
    if (!isDeepStrictEqual(found.content, version.content)) {
      violations.push(`${label}: memo ${tracked.id} is partially applied: it has the title of request #${version.seq} (${short(version.title)}) but not that request's content.`);
    }
    ackedChecked += 1;
    if (index > 0) inFlightCommitted += 1;
    inFlightNotCommitted += tracked.inFlight.length - index;
    next.memos.set(found.id, { id: found.id, acked: { ...version, revision: found.revision, content: found.content }, inFlight: [], refused: [] });
  }

  const memoCreates = new Map(model.pendingMemoCreates.map((p) => [p.title, p]));
  const memoCreatesSeen = new Set<string>();
  for (const found of memosById.values()) {
    const pending = memoCreates.get(found.title);
    if (!pending) {
      violations.push(`${label}: memo ${found.id} (${short(found.title)}) is in the library, but no acknowledged or in-flight create made it.`);
    } else if (memoCreatesSeen.has(found.title)) {
      violations.push(`${label}: memo ${found.id} (${short(found.title)}) is a second memo from the one create request #${pending.seq}.`);
    } else {
      memoCreatesSeen.add(found.title);
      inFlightCommitted += 1;
      if (found.revision !== 0) violations.push(`${label}: memo ${found.id} from in-flight create #${pending.seq} has revision ${found.revision}, not 0.`);
      if (!isDeepStrictEqual(found.content, pending.content)) violations.push(`${label}: memo ${found.id} from in-flight create #${pending.seq} does not hold a new memo's content.`);
    }
    next.memos.set(found.id, { id: found.id, acked: { seq: pending?.seq ?? tagOf(found.title) ?? -1, title: found.title, content: found.content, revision: found.revision }, inFlight: [], refused: [] });
  }
  inFlightNotCommitted += model.pendingMemoCreates.length - memoCreatesSeen.size;

  const quotesById = new Map(observed.quotes.map((q) => [q.id, q]));
  for (const tracked of model.quotes.values()) {
    const found = quotesById.get(tracked.id);
    if (!found) {
      violations.push(`${label}: quote ${tracked.id} is missing; it was acknowledged with the note ${short(tracked.acked.note)}.`);
      inFlightNotCommitted += tracked.inFlight.length;
      continue;
    }
    quotesById.delete(tracked.id);
    if (found.start !== tracked.start || found.end !== tracked.end) {
      violations.push(`${label}: quote ${tracked.id} covers [${found.start}, ${found.end}), not its acknowledged [${tracked.start}, ${tracked.end}).`);
    }
    const candidates = [tracked.acked, ...tracked.inFlight];
    const index = candidates.findIndex((v) => v.note === found.note);
    if (index < 0) {
      const refused = tracked.refused.find((v) => v.note === found.note);
      violations.push(
        refused
          ? `${label}: quote ${tracked.id} holds the note of request #${refused.seq}, which was answered with an error; its last acknowledged note is ${short(tracked.acked.note)}.`
          : `${label}: quote ${tracked.id} holds the note ${short(found.note)} (${describeOrigin(found.note, tracked.acked.seq)}) instead of its last acknowledged note ${short(tracked.acked.note)} or a later one in flight.`,
      );
      next.quotes.set(found.id, { id: found.id, start: found.start, end: found.end, acked: { seq: tagOf(found.note) ?? -1, note: found.note }, inFlight: [], refused: [] });
      continue;
    }
    ackedChecked += 1;
    if (index > 0) inFlightCommitted += 1;
    inFlightNotCommitted += tracked.inFlight.length - index;
    next.quotes.set(found.id, { id: found.id, start: found.start, end: found.end, acked: candidates[index]!, inFlight: [], refused: [] });
  }

  const quoteCreates = new Map(model.pendingQuoteCreates.map((p) => [p.note, p]));
  const quoteCreatesSeen = new Set<string>();
  for (const found of quotesById.values()) {
    const pending = quoteCreates.get(found.note);
    if (!pending) {
      violations.push(`${label}: quote ${found.id} (note ${short(found.note)}) is in the library, but no acknowledged or in-flight create made it.`);
    } else if (quoteCreatesSeen.has(found.note)) {
      violations.push(`${label}: quote ${found.id} is a second quote from the one create request #${pending.seq}.`);
    } else {
      quoteCreatesSeen.add(found.note);
      inFlightCommitted += 1;
      if (found.start !== pending.start || found.end !== pending.end) {
        violations.push(`${label}: quote ${found.id} from in-flight create #${pending.seq} covers [${found.start}, ${found.end}), not the requested [${pending.start}, ${pending.end}).`);
      }
    }
    next.quotes.set(found.id, { id: found.id, start: found.start, end: found.end, acked: { seq: pending?.seq ?? tagOf(found.note) ?? -1, note: found.note }, inFlight: [], refused: [] });
  }
  inFlightNotCommitted += model.pendingQuoteCreates.length - quoteCreatesSeen.size;

  return { violations, ackedChecked, inFlightCommitted, inFlightNotCommitted, next };
}

/** What {@link inspectLibraryFile} found. */
export interface FileInspection {
  /** Integrity and foreign-key problems, and any failure to open or read the file; empty when sound. */
  problems: string[];
  /** The memos and quotes in the file, or null when they could not be read. */
  library: ObservedLibrary | null;
}

function query<T>(db: sqlite3.Database, sql: string): Promise<T[]> {
  return new Promise((resolve, reject) => db.all(sql, [], (err: Error | null, rows: T[]) => (err ? reject(err) : resolve(rows))));
}

/**
 * Open a library file read-only through a connection of its own (not the host's), run
 * `PRAGMA integrity_check` (must answer the single row 'ok') and `PRAGMA
 * foreign_key_check` (must answer no row), and read its memos (`id, title, content,
 * revision`) and quotes (`id, pos_start, pos_end, note`). Read-only, so SQLite reads the
 * WAL but does not checkpoint it: the host still does its own recovery on restart.
 * Never throws: a file that cannot be opened or read is a problem like any other.
 */
export async function inspectLibraryFile(file: string): Promise<FileInspection> {
  const problems: string[] = [];
  let db: sqlite3.Database;
  try {
    db = await new Promise<sqlite3.Database>((resolve, reject) => {
      const opened: sqlite3.Database = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (err: Error | null) => (err ? reject(err) : resolve(opened)));
    });
  } catch (error) {
    return { problems: [`${file}: cannot be opened: ${(error as Error).message}`], library: null };
  }
  let library: ObservedLibrary | null = null;
  try {
    try {
      const rows = await query<{ integrity_check: string }>(db, 'PRAGMA integrity_check');
      const messages = rows.map((r) => r.integrity_check);
      if (messages.length !== 1 || messages[0] !== 'ok') problems.push(`${file}: PRAGMA integrity_check says: ${messages.slice(0, 10).join('; ')}`);
    } catch (error) {
      problems.push(`${file}: PRAGMA integrity_check failed: ${(error as Error).message}`);
    }
    try {
      const rows = await query<{ table: string; rowid: number | null; parent: string; fkid: number }>(db, 'PRAGMA foreign_key_check');
      for (const r of rows.slice(0, 10)) problems.push(`${file}: PRAGMA foreign_key_check: row ${r.rowid} of ${r.table} refers to a missing row of ${r.parent} (constraint ${r.fkid}).`);
      if (rows.length > 10) problems.push(`${file}: PRAGMA foreign_key_check: ${rows.length - 10} more rows refer to missing rows.`);
    } catch (error) {
      problems.push(`${file}: PRAGMA foreign_key_check failed: ${(error as Error).message}`);
    }
    try {
      const memoRows = await query<{ id: string; title: string; content: string; revision: number }>(db, 'SELECT id, title, content, revision FROM memos');
      const quoteRows = await query<{ id: string; pos_start: number; pos_end: number; note: string }>(db, 'SELECT id, pos_start, pos_end, note FROM quotes');
      const memos: ObservedMemo[] = [];
      for (const r of memoRows) {
        try {
          memos.push({ id: r.id, title: r.title, content: JSON.parse(r.content) as unknown, revision: r.revision });
        } catch (error) {
          problems.push(`${file}: memo ${r.id} holds content that is not JSON: ${(error as Error).message}`);
        }
      }
      library = { memos, quotes: quoteRows.map((r) => ({ id: r.id, start: r.pos_start, end: r.pos_end, note: r.note })) };
    } catch (error) {
      problems.push(`${file}: memos and quotes cannot be read: ${(error as Error).message}`);
    }
  } finally {
    await new Promise<void>((resolve) =>
      db.close((err: Error | null) => {
        if (err) problems.push(`${file}: closing the check's connection failed: ${err.message}`);
        resolve();
      }),
    );
  }
  return { problems, library };
}
