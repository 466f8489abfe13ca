/**
 * The library store: sources, quotes and memos in one SQLite file.
 *
 * Rows are read into the contract's model types (`shared/model.ts`); every change that
 * touches more than one row runs in one transaction. Quote selectors are computed here
 * from the stored text, so `exact` is always verbatim from the source.
 * Runs under plain Node; never imports 'electron'.
 */
import { createHash, randomUUID } from 'node:crypto';
import { ApiError, type QuoteSort } from '../../shared/contract';
import { CITATION_KEY_PATTERN, citationKeyBase, uniqueCitationKey } from '../../shared/citationKey';
import { CslItem, DEFAULT_MEMO_SETTINGS, emptyMemoContent, LOCATOR_LABELS, SourcePage, sourceTitle, TagRef, type LocatorLabel, type Memo, type MemoContent, type MemoSettings, type MemoSummary, type QuoteAnchor, type Source, type SourceOrigin, type SourceSummary } from '../../shared/model';
import { normalizedText, normalizeForMatching } from '../../shared/normalize';
import { anchorQuote, autoLocator, describeTextRange, type QuoteSelectors } from '../../shared/selectors';
import type { Database, SqlExecutor } from './db';
import { writeMemoIndex } from './memoIndex';

/** A quote row as the store keeps it (the citation is added by the services). */
export interface StoredQuote extends QuoteSelectors {
  id: string;
  sourceId: string;
  sourceTitle: string;
  sourceCsl: CslItem;
  locator: string;
  locatorLabel: LocatorLabel;
  anchor: QuoteAnchor;
  speaker: string;
  note: string;
  /** Its tags, A-Z (issue 6). */
  tags: TagRef[];
  createdAt: string;
  updatedAt: string;
}

interface SourceRow {
  id: string;
  csl: string;
  citation_key: string | null;
  text_length: number;
  origin: string;
  created_at: string;
  updated_at: string;
  quote_count: number;
  needs_review: number;
  has_original: number;
  tags_json: string;
  text?: string;
  pages?: string | null;
  html?: string | null;
  content_hash?: string;
}

interface QuoteRow {
  id: string;
  source_id: string;
  exact: string;
  prefix: string;
  suffix: string;
  pos_start: number;
  pos_end: number;
  locator: string;
  locator_label: string;
  locator_auto: number;
  anchor_status: string;
  candidate_exact: string | null;
  candidate_start: number | null;
  candidate_end: number | null;
  speaker: string;
  note: string;
  created_at: string;
  updated_at: string;
  source_csl: string;
  tags_json: string;
}

interface MemoRow {
  id: string;
  title: string;
  content?: string;
  revision?: number;
  citation_style?: string;
  locale?: string;
  note_placement?: string;
  created_at: string;
  updated_at: string;
}

/** What a new source is made of. */
export interface NewSource {
  csl: CslItem;
  text: string;
  html: string | null;
  origin: SourceOrigin;
  /** Page starts for a paged original (PDF). */
  pages?: readonly SourcePage[] | null;
  /** The file the source was read from, kept byte for byte so it can be read again. */
  original?: OriginalFile | null;
}

/** A source's original file as kept in the library. */
export interface OriginalFile {
  fileName: string;
  mediaType: string;
  bytes: Uint8Array;
}

/** What replacing a source's text did to its quotes (see {@link LibraryStore.replaceSourceText}). */
export interface ReanchorReport {
  /** Found where they were. */
  unchanged: number;
  /** Found elsewhere, or with only typographic differences (quote marks, dashes, spaces): updated. */
  moved: number;
  /** Only an approximate match: flagged for review with the old and the new text. */
  changed: number;
  /** Not found: kept as orphans. */
  orphaned: number;
  /** True when the new text is the same as the old (nothing was re-anchored). */
  sameText: boolean;
}

/**
 * Filters, sort and page for {@link LibraryStore.listQuotes} (the `quotes.list` contract
 * arguments; see QuoteListArgs in shared/contract.ts for each one's meaning).
 */
export interface QuoteFilter {
  sourceId?: string;
  query?: string;
  ids?: readonly string[];
  tagId?: string;
  projectId?: string;
  used?: boolean;
  speaker?: string;
  addedFrom?: string;
  addedTo?: string;
  sort?: QuoteSort;
  offset?: number;
  limit?: number;
}

/** Filters and page for {@link LibraryStore.listSources}. */
export interface SourceFilter {
  tagId?: string;
  projectId?: string;
  offset?: number;
  limit?: number;
}

/** Filters and page for {@link LibraryStore.listMemos}. */
export interface MemoFilter {
  projectId?: string;
  offset?: number;
  limit?: number;
}

/** Largest page any list returns (rows). */
export const MAX_PAGE = 5000;

/**
 * SQL conditions on the quote alias `q` for the filters they share with search
 * (search.ts): source, tag, project, used in a memo, speaker, date added. Appends to
 * `where`/`params`.
 */
export function quoteFilterSql(filter: Pick<QuoteFilter, 'sourceId' | 'tagId' | 'projectId' | 'used' | 'speaker' | 'addedFrom' | 'addedTo'>, where: string[], params: (string | number)[]): void {
  if (filter.sourceId) {
    where.push('q.source_id = ?');
    params.push(filter.sourceId);
  }
  if (filter.tagId) {
    where.push('q.id IN (SELECT quote_id FROM quote_tags WHERE tag_id = ?)');
    params.push(filter.tagId);
  }
  if (filter.projectId) {
    where.push('q.id IN (SELECT quote_id FROM project_quotes WHERE project_id = ?)');
    params.push(filter.projectId);
  }
  if (filter.used === true) where.push('q.id IN (SELECT quote_id FROM memo_quote_links WHERE quote_id IS NOT NULL)');
  if (filter.used === false) where.push('NOT EXISTS (SELECT 1 FROM memo_quote_links l WHERE l.quote_id = q.id)');
  if (filter.speaker !== undefined) {
    // The first term lets SQLite use quotes_by_speaker, whose first column is (speaker = '').
    where.push("(q.speaker = '') = ? AND q.speaker = ? COLLATE NOCASE");
    params.push(filter.speaker.trim() === '' ? 1 : 0, filter.speaker.trim());
  }
  dateBoundsSql('q.created_at', filter, where, params);
}

/**
 * Conditions `column` >= addedFrom and <= addedTo. A bare date "YYYY-MM-DD" as `addedTo`
 * includes that whole UTC day (compared as < the next day); timestamps compare as they are
 * (ISO 8601 UTC strings order as times do).
 */
export function dateBoundsSql(column: string, bounds: { addedFrom?: string; addedTo?: string }, where: string[], params: (string | number)[]): void {
  if (bounds.addedFrom) {
    where.push(`${column} >= ?`);
    params.push(bounds.addedFrom);
  }
  if (bounds.addedTo) {
    const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(bounds.addedTo);
    if (day) {
      where.push(`${column} < ?`);
      params.push(new Date(Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]) + 1)).toISOString().slice(0, 10));
    } else {
      where.push(`${column} <= ?`);
      params.push(bounds.addedTo);
    }
  }
}

/** Parse a `tags_json` column (a JSON array of {id, name}); anything else is no tags. */
function parseTags(json: string | null | undefined): TagRef[] {
  if (!json) return [];
  const parsed = TagRef.array().safeParse(JSON.parse(json));
  return parsed.success ? parsed.data : [];
}

/** SQL for the tags of the row `owner` (e.g. 's.id') through `linkTable` (`quote_tags`/`source_tags`) on `column`, as a JSON array, A-Z. */
function tagsJsonSql(linkTable: string, column: string, owner: string): string {
  return `(SELECT json_group_array(json_object('id', x.id, 'name', x.name)) FROM (SELECT t.id, t.name FROM ${linkTable} lt JOIN tags t ON t.id = lt.tag_id WHERE lt.${column} = ${owner} ORDER BY t.name_key) x) AS tags_json`;
}

const SOURCE_COLUMNS = `s.id, s.csl, s.citation_key, s.text_length, s.origin, s.created_at, s.updated_at,
  (SELECT count(*) FROM quotes q WHERE q.source_id = s.id) AS quote_count,
  (SELECT count(*) FROM quotes q WHERE q.source_id = s.id AND q.anchor_status <> 'anchored') AS needs_review,
  EXISTS (SELECT 1 FROM source_files f WHERE f.source_id = s.id) AS has_original,
  ${tagsJsonSql('source_tags', 'source_id', 's.id')}`;

const QUOTE_COLUMNS = `q.id, q.source_id, q.exact, q.prefix, q.suffix, q.pos_start, q.pos_end, q.locator, q.locator_label, q.locator_auto, q.speaker, q.note,
  q.anchor_status, q.candidate_exact, q.candidate_start, q.candidate_end, q.created_at, q.updated_at, s.csl AS source_csl,
  ${tagsJsonSql('quote_tags', 'quote_id', 'q.id')}`;

/** Parse stored page starts; anything malformed counts as none (the source is then cited by paragraph). */
function parsePages(json: string | null | undefined): SourcePage[] | null {
  if (!json) return null;
  const parsed = SourcePage.array().safeParse(JSON.parse(json));
  return parsed.success && parsed.data.length > 0 ? parsed.data : null;
}

function nowIso(): string {
  return new Date().toISOString();
}

/** A revision's `size`: UTF-8 bytes of its title plus its content JSON. */
function revisionSize(title: string, contentJson: string): number {
  return Buffer.byteLength(title, 'utf8') + Buffer.byteLength(contentJson, 'utf8');
}

/** SHA-256 of a string's UTF-8 bytes, hex. */
export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Read a stored CSL item. Variables that do not validate (written by an older build or
 * by hand) are left out of what is returned, so one bad field never makes a source, its
 * quotes or its citations unreadable; the stored JSON itself is not changed.
 */
export function parseCsl(json: string, id: string): CslItem {
  const raw: unknown = JSON.parse(json);
  let parsed = CslItem.safeParse(raw);
  if (!parsed.success && raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    const bad = new Set(parsed.error.issues.map((issue) => String(issue.path[0])));
    parsed = CslItem.safeParse(Object.fromEntries(Object.entries(raw).filter(([key]) => !bad.has(key))));
  }
  return parsed.success ? { ...parsed.data, id } : { type: 'document', id };
}

function toSourceSummary(row: SourceRow): SourceSummary {
  const csl = parseCsl(row.csl, row.id);
  return {
    id: row.id,
    csl,
    citationKey: row.citation_key ?? '',
    title: sourceTitle(csl),
    quoteCount: row.quote_count,
    textLength: row.text_length,
    needsReview: row.needs_review,
    hasOriginal: row.has_original === 1,
    origin: JSON.parse(row.origin) as SourceOrigin,
    tags: parseTags(row.tags_json),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toStoredQuote(row: QuoteRow): StoredQuote {
  const csl = parseCsl(row.source_csl, row.source_id);
  return {
    id: row.id,
    sourceId: row.source_id,
    sourceTitle: sourceTitle(csl),
    sourceCsl: csl,
    textQuote: { type: 'TextQuoteSelector', exact: row.exact, prefix: row.prefix, suffix: row.suffix },
    textPosition: { type: 'TextPositionSelector', start: row.pos_start, end: row.pos_end },
    locator: row.locator,
    locatorLabel: (LOCATOR_LABELS as readonly string[]).includes(row.locator_label) ? (row.locator_label as LocatorLabel) : 'paragraph',
    anchor: {
      status: row.anchor_status === 'changed' || row.anchor_status === 'orphaned' ? row.anchor_status : 'anchored',
      candidate:
        row.anchor_status === 'changed' && row.candidate_exact !== null && row.candidate_start !== null && row.candidate_end !== null
          ? { exact: row.candidate_exact, start: row.candidate_start, end: row.candidate_end }
          : null,
    },
    speaker: row.speaker,
    note: row.note,
    tags: parseTags(row.tags_json),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toMemoSettings(row: MemoRow): MemoSettings {
  return {
    citationStyle: row.citation_style || DEFAULT_MEMO_SETTINGS.citationStyle,
    locale: row.locale ?? '',
    notePlacement: row.note_placement === 'endnotes' ? 'endnotes' : 'footnotes',
  };
}

/** A CSL style the user added, as stored. */
export interface StoredStyle {
  id: string;
  title: string;
  xml: string;
  fileName: string | null;
  createdAt: string;
}

/** Why a memo revision was kept: a save ('edit', coalesced), the state just before a restore, or an edit refused as stale. */
export type RevisionReason = 'edit' | 'before-restore' | 'conflict';

/** A memo revision as listed (newest first by `savedAt`); timestamps are ISO 8601 UTC. */
export interface StoredRevisionSummary {
  id: string;
  memoId: string;
  reason: RevisionReason;
  title: string;
  /** The memo's `revision` counter this state had (for 'conflict': the counter the refused edit was based on). */
  memoRevision: number;
  /** UTF-8 bytes of title plus content JSON. */
  size: number;
  /** When the row was first written: the start of its coalescing window. */
  createdAt: string;
  /** When the state it holds was saved (the last save coalesced into it). */
  savedAt: string;
}

/** A memo revision with its Lexical content. */
export interface StoredRevision extends StoredRevisionSummary {
  content: MemoContent;
}

/**
 * How memo history is kept (all durations in milliseconds):
 * - `coalesceMs`: a save updates the memo's newest revision in place when that revision is an
 *   'edit' first written less than this long ago; otherwise it adds a revision. So continuous
 *   editing leaves about one revision per `coalesceMs`, each holding the state at its last save.
 *   'before-restore' and 'conflict' revisions are never updated, and a save after one starts a new revision.
 * - retention, applied to a memo in the transaction of each of its saves and restores
 *   (see {@link revisionsToPrune}): every revision saved within `keepAllMs` is kept; older
 *   ones within `dailyForMs`, only the newest of each UTC day; older ones are dropped; and
 *   at most `maxPerMemo` 'edit' and 'before-restore' revisions in all (the newest).
 * - 'conflict' revisions (refused stale saves) are kept apart under the same age rule, at
 *   most `maxConflictsPerMemo` (the newest), so a burst of refused saves never pushes the
 *   memo's real history out; a refused save identical to the memo's newest revision, when
 *   that is a conflict, is not stored again.
 * The memo's current state is always in `memos`, whatever the history keeps.
 */
export interface RevisionPolicy {
  coalesceMs: number;
  keepAllMs: number;
  dailyForMs: number;
  maxPerMemo: number;
  maxConflictsPerMemo: number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/** Five minutes of editing per revision; all of the last day, one a day for 30 days, at most 200 per memo plus the newest 20 refused (conflict) saves. */
export const DEFAULT_REVISION_POLICY: Readonly<RevisionPolicy> = Object.freeze({ coalesceMs: 5 * MINUTE_MS, keepAllMs: DAY_MS, dailyForMs: 30 * DAY_MS, maxPerMemo: 200, maxConflictsPerMemo: 20 });

/** What a {@link LibraryStore} may be given; tests pass a clock and a shorter policy. */
export interface StoreOptions {
  /** The clock for memo saves, restores and revision times. Default: the system clock. */
  now?: () => Date;
  /** Overrides of {@link DEFAULT_REVISION_POLICY}. */
  revisions?: Partial<RevisionPolicy>;
}

/**
 * Which revisions of one memo the retention rule of {@link RevisionPolicy} drops at `now`
 * (ms since the epoch). `revisions` may come in any order; ties in `savedAt` are broken by
 * `order` (higher is newer). A revision saved after `now` (a clock that went back) counts as new.
 * 'conflict' revisions are judged apart from the others, with `maxConflictsPerMemo` as
 * their cap, so they never evict an 'edit' or 'before-restore' revision; a revision
 * without `reason` counts as an 'edit'.
 * Returns the ids to delete.
 */
export function revisionsToPrune(revisions: readonly { id: string; savedAt: number; order: number; reason?: RevisionReason }[], now: number, policy: RevisionPolicy): string[] {
  const conflicts = revisions.filter((r) => r.reason === 'conflict');
  const history = revisions.filter((r) => r.reason !== 'conflict');
  return [...pruneByAge(history, now, policy, policy.maxPerMemo), ...pruneByAge(conflicts, now, policy, policy.maxConflictsPerMemo)];
}

/** The age rule of {@link RevisionPolicy} over one group of revisions, keeping at most `max`. */
function pruneByAge(revisions: readonly { id: string; savedAt: number; order: number }[], now: number, policy: RevisionPolicy, max: number): string[] {
  const newestFirst = [...revisions].sort((a, b) => b.savedAt - a.savedAt || b.order - a.order);
  const drop: string[] = [];
  const daysSeen = new Set<number>();
  let kept = 0;
  for (const r of newestFirst) {
    const age = now - r.savedAt;
    let keep: boolean;
    if (age < policy.keepAllMs) keep = true;
    else if (age < policy.dailyForMs) {
      const day = Math.floor(r.savedAt / DAY_MS);
      keep = !daysSeen.has(day);
      daysSeen.add(day);
    } else keep = false;
    if (keep && kept >= max) keep = false;
    if (keep) kept += 1;
    else drop.push(r.id);
  }
  return drop;
}

interface RevisionRow {
  id: string;
  memo_id: string;
  reason: string;
  title: string;
  memo_revision: number;
  size: number;
  created_at: string;
  saved_at: string;
  content?: string;
}

const REVISION_COLUMNS = 'id, memo_id, reason, title, memo_revision, size, created_at, saved_at';

function toRevisionSummary(row: RevisionRow): StoredRevisionSummary {
  const reason: RevisionReason = row.reason === 'before-restore' || row.reason === 'conflict' ? row.reason : 'edit';
  return { id: row.id, memoId: row.memo_id, reason, title: row.title, memoRevision: row.memo_revision, size: row.size, createdAt: row.created_at, savedAt: row.saved_at };
}

const NOT_FOUND_MEMO = 'That memo is not in the library (it may have been deleted).';

const NOT_FOUND_SOURCE = 'That source is not in the library (it may have been deleted).';

/**
 * A free citation key for `csl`: its own `citation-key` when it has a usable one (made
 * unique with a, b, c... if another source holds it; such a key is pinned), else
 * {@link citationKeyBase} made unique the same way (not pinned: it follows the metadata).
 * Keys compare case-insensitively (pandoc's keys are case-sensitive, but two keys that
 * differ only in case confuse people and BibTeX).
 */
function freeCitationKey(taken: ReadonlySet<string>, csl: CslItem): { key: string; pinned: boolean } {
  const own = typeof csl['citation-key'] === 'string' ? csl['citation-key'].trim() : '';
  const pinned = own !== '' && CITATION_KEY_PATTERN.test(own);
  const base = pinned ? own : citationKeyBase(csl);
  return { key: uniqueCitationKey(base, (k) => taken.has(k.toLowerCase())), pinned };
}

/** Every citation key in the library but `exceptId`'s, lower-cased (one read, so a batch of thousands allocates keys in memory). */
async function takenKeys(tx: SqlExecutor, exceptId: string | null): Promise<Set<string>> {
  // Lower-cased here, not by SQLite: its lower() and NOCASE fold ASCII letters only ("Ö" stays "Ö").
  const rows = await tx.all<{ k: string }>('SELECT citation_key AS k FROM sources WHERE citation_key IS NOT NULL AND id IS NOT ?', [exceptId]);
  return new Set(rows.map((r) => r.k.toLowerCase()));
}

function toMemoSummary(row: MemoRow): MemoSummary {
  return { id: row.id, title: row.title, createdAt: row.created_at, updatedAt: row.updated_at };
}

/**
 * Turn what a user types into a safe FTS5 MATCH expression: every word becomes a
 * quoted prefix term (`"word"*`), a "quoted phrase" stays a phrase, and all terms must
 * match (implicit AND). FTS5 operators typed by the user are taken as words, so no
 * input can make the query fail to parse (https://www.sqlite.org/fts5.html#full_text_query_syntax).
 * Returns null when nothing searchable remains.
 */
export function ftsQuery(input: string): string | null {
  const terms: string[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  for (let m = re.exec(input); m; m = re.exec(input)) {
    const phrase = m[1];
    const word = m[2];
    if (phrase !== undefined) {
      const words = phrase.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
      if (words.length > 0) terms.push(`"${words.join(' ')}"`);
    } else if (word !== undefined) {
      for (const w of word.split(/[^\p{L}\p{N}]+/u).filter(Boolean)) terms.push(`"${w}"*`);
    }
  }
  return terms.length > 0 ? terms.join(' ') : null;
}

/** The FROM, WHERE (with its parameters) and ORDER BY of a quote list; null when it can match nothing (an empty `ids`, a query of punctuation only). */
function quoteQuery(filter: QuoteFilter): { from: string; where: string; params: (string | number)[]; order: string } | null {
  const where: string[] = [];
  const params: (string | number)[] = [];
  let from = 'quotes q JOIN sources s ON s.id = q.source_id';
  let order = 'q.created_at DESC, q.rowid DESC';
  const query = filter.query !== undefined && filter.query.trim() !== '';
  if (query) {
    const match = ftsQuery(filter.query!);
    if (match === null) return null;
    from = 'quotes_fts f JOIN quotes q ON q.rowid = f.rowid JOIN sources s ON s.id = q.source_id';
    where.push('quotes_fts MATCH ?');
    params.push(match);
    order = 'bm25(quotes_fts), q.created_at DESC';
  } else if (filter.sourceId) order = 'q.pos_start, q.pos_end, q.rowid';
  quoteFilterSql(filter, where, params);
  if (filter.ids) {
    if (filter.ids.length === 0) return null;
    where.push(`q.id IN (${filter.ids.map(() => '?').join(',')})`);
    params.push(...filter.ids);
  }
  if (filter.sort === 'added') order = 'q.created_at DESC, q.rowid DESC';
  else if (filter.sort === 'speaker') order = "q.speaker = '', q.speaker COLLATE NOCASE, q.created_at, q.rowid";
  else if (filter.sort === 'source-order') order = filter.sourceId ? 'q.pos_start, q.pos_end, q.rowid' : 's.created_at DESC, s.rowid DESC, q.pos_start, q.pos_end, q.rowid';
  return { from, where: where.length ? `WHERE ${where.join(' AND ')}` : '', params, order };
}

/** WHERE of a source list. */
function sourceWhere(filter: SourceFilter): { where: string; params: string[] } {
  const where: string[] = [];
  const params: string[] = [];
  if (filter.tagId) {
    where.push('s.id IN (SELECT source_id FROM source_tags WHERE tag_id = ?)');
    params.push(filter.tagId);
  }
  if (filter.projectId) {
    where.push('s.id IN (SELECT source_id FROM project_sources WHERE project_id = ?)');
    params.push(filter.projectId);
  }
  return { where: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}

/** WHERE of a memo list. */
function memoWhere(filter: MemoFilter): { where: string; params: string[] } {
  if (!filter.projectId) return { where: '', params: [] };
  return { where: 'WHERE m.id IN (SELECT memo_id FROM project_memos WHERE project_id = ?)', params: [filter.projectId] };
}

/** Keep (or replace) a source's original file. */
async function putOriginal(tx: SqlExecutor, sourceId: string, file: OriginalFile, now: string): Promise<void> {
  await tx.run('INSERT OR REPLACE INTO source_files (source_id, file_name, media_type, bytes, sha256, created_at) VALUES (?, ?, ?, ?, ?, ?)', [
    sourceId,
    file.fileName,
    file.mediaType,
    Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength),
    createHash('sha256').update(file.bytes).digest('hex'),
    now,
  ]);
}

/** Repository over one open {@link Database}. */
export class LibraryStore {
  private readonly clock: () => Date;
  /** The revision policy in force (defaults with the options' overrides). */
  readonly revisionPolicy: Readonly<RevisionPolicy>;

  constructor(
    readonly db: Database,
    options: StoreOptions = {},
  ) {
    this.clock = options.now ?? (() => new Date());
    this.revisionPolicy = Object.freeze({ ...DEFAULT_REVISION_POLICY, ...options.revisions });
  }

  /** Sources, newest first: all of them, or the page `filter` asks for (tag, project, offset, limit up to {@link MAX_PAGE}). */
  async listSources(filter: SourceFilter = {}): Promise<SourceSummary[]> {
    const { where, params } = sourceWhere(filter);
    const page = filter.limit !== undefined || filter.offset ? ` LIMIT ${Math.min(filter.limit ?? MAX_PAGE, MAX_PAGE)} OFFSET ${filter.offset ?? 0}` : '';
    const rows = await this.db.all<SourceRow>(`SELECT ${SOURCE_COLUMNS} FROM sources s ${where} ORDER BY s.created_at DESC, s.rowid DESC${page}`, params);
    return rows.map(toSourceSummary);
  }

  /** How many sources `filter`'s tag and project match. */
  async countSources(filter: SourceFilter = {}): Promise<number> {
    const { where, params } = sourceWhere(filter);
    return (await this.db.get<{ n: number }>(`SELECT count(*) AS n FROM sources s ${where}`, params))?.n ?? 0;
  }

  /** One source with text. @throws ApiError `not_found`. */
  async getSource(id: string): Promise<Source> {
    const row = await this.db.get<SourceRow>(`SELECT ${SOURCE_COLUMNS}, s.text, s.html, s.content_hash, s.pages FROM sources s WHERE s.id = ?`, [id]);
    if (!row) throw new ApiError('not_found', NOT_FOUND_SOURCE);
    return { ...toSourceSummary(row), text: row.text ?? '', html: row.html ?? null, contentHash: row.content_hash ?? '', pages: parsePages(row.pages) };
  }

  /** Add a source with a fresh citation key; returns its summary. */
  async insertSource(input: NewSource): Promise<SourceSummary> {
    const id = await this.db.transaction(async (tx) => this.insertSourceIn(tx, input, await takenKeys(tx, null)));
    return this.getSourceSummary(id);
  }

  /** Add several sources in one transaction: all or none. Returns their summaries in order. */
  async insertSources(inputs: readonly NewSource[]): Promise<SourceSummary[]> {
    const ids = await this.db.transaction(async (tx) => {
      const taken = await takenKeys(tx, null);
      const out: string[] = [];
      for (const input of inputs) out.push(await this.insertSourceIn(tx, input, taken));
      return out;
    });
    return this.sourcesByIds(ids);
  }

  /** Insert one source; its key is added to `taken`. */
  private async insertSourceIn(tx: SqlExecutor, input: NewSource, taken: Set<string>): Promise<string> {
    const id = randomUUID();
    const now = nowIso();
    const { key, pinned } = freeCitationKey(taken, input.csl);
    taken.add(key.toLowerCase());
    const { 'citation-key': _key, ...rest } = input.csl;
    const csl = { ...rest, id };
    await tx.run(
      'INSERT INTO sources (id, csl, citation_key, citation_key_pinned, text, text_length, html, content_hash, origin, pages, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [id, JSON.stringify(csl), key, pinned ? 1 : 0, input.text, input.text.length, input.html, sha256(input.text), JSON.stringify(input.origin), input.pages?.length ? JSON.stringify(input.pages) : null, now, now],
    );
    if (input.original) await putOriginal(tx, id, input.original, now);
    return id;
  }

  /** One source without text. @throws ApiError `not_found`. */
  async getSourceSummary(id: string): Promise<SourceSummary> {
    const row = await this.db.get<SourceRow>(`SELECT ${SOURCE_COLUMNS} FROM sources s WHERE s.id = ?`, [id]);
    if (!row) throw new ApiError('not_found', NOT_FOUND_SOURCE);
    return toSourceSummary(row);
  }

  /**
   * Replace a source's CSL item (its `id` is forced to the source's id). A citation key
   * Verbatim made follows the new metadata ("anonndparler" becomes "paul2021parler" once
   * an author and date are filled in; it stays when the metadata would make the same
   * key); a key the user set or a file gave (pinned) stays; `citationKey` sets and pins
   * a new one; a `citation-key` in `csl` (from a bibliography file) pins that key.
   * @throws ApiError `not_found`; `invalid_arguments` when the new key is malformed or another source has it.
   */
  async updateMetadata(id: string, csl: CslItem, citationKey?: string): Promise<SourceSummary> {
    await this.db.transaction(async (tx) => {
      const row = await tx.get<{ citation_key: string | null; citation_key_pinned: number }>('SELECT citation_key, citation_key_pinned FROM sources WHERE id = ?', [id]);
      if (!row) throw new ApiError('not_found', NOT_FOUND_SOURCE);
      let key = row.citation_key;
      let pinned = row.citation_key_pinned === 1;
      const wanted = citationKey?.trim();
      if (wanted !== undefined && wanted !== key) {
        if (!CITATION_KEY_PATTERN.test(wanted)) throw new ApiError('invalid_arguments', `“${wanted.slice(0, 120)}” cannot be a citation key: use letters, digits and _-:. (up to 100), starting with a letter, digit or _.`);
        const holder = await this.sourceWithKey(tx, wanted, id);
        if (holder) throw new ApiError('invalid_arguments', `The citation key “${wanted}” is already used by “${sourceTitle(parseCsl(holder.csl, holder.id))}”.`);
        key = wanted;
        pinned = true;
      } else if (!pinned || !key) {
        // A key Verbatim made follows the metadata (as Better BibTeX's unpinned keys do); the
        // new metadata's own citation-key (from a bibliography file) pins it.
        const fresh = citationKeyBase(csl) === citationKeyBase(await this.storedCsl(tx, id)) && key && !(typeof csl['citation-key'] === 'string' && csl['citation-key'].trim()) ? { key, pinned: false } : freeCitationKey(await takenKeys(tx, id), csl);
        key = fresh.key;
        pinned = fresh.pinned;
      }
      const { 'citation-key': _key, ...rest } = csl;
      await tx.run('UPDATE sources SET csl = ?, citation_key = ?, citation_key_pinned = ?, updated_at = ? WHERE id = ?', [JSON.stringify({ ...rest, id }), key, pinned ? 1 : 0, nowIso(), id]);
    });
    return this.getSourceSummary(id);
  }

  /** The source (other than `exceptId`) whose key equals `key`, compared in lower case as JavaScript folds it. */
  private async sourceWithKey(tx: SqlExecutor, key: string, exceptId: string): Promise<{ id: string; csl: string } | undefined> {
    const rows = await tx.all<{ id: string; citation_key: string }>('SELECT id, citation_key FROM sources WHERE id <> ? AND citation_key IS NOT NULL', [exceptId]);
    const holder = rows.find((r) => r.citation_key.toLowerCase() === key.toLowerCase());
    return holder ? tx.get<{ id: string; csl: string }>('SELECT id, csl FROM sources WHERE id = ?', [holder.id]) : undefined;
  }

  private async storedCsl(tx: SqlExecutor, id: string): Promise<CslItem> {
    const row = await tx.get<{ csl: string }>('SELECT csl FROM sources WHERE id = ?', [id]);
    return parseCsl(row?.csl ?? '{}', id);
  }

  /** Delete a source and (by cascade) its quotes, in one transaction. Returns how many quotes went with it. */
  async deleteSource(id: string): Promise<number> {
    return this.db.transaction(async (tx) => {
      const row = await tx.get<{ n: number }>('SELECT count(*) AS n FROM quotes WHERE source_id = ?', [id]);
      const result = await tx.run('DELETE FROM sources WHERE id = ?', [id]);
      if (result.changes === 0) throw new ApiError('not_found', NOT_FOUND_SOURCE);
      return row?.n ?? 0;
    });
  }

  /**
   * Save [start, end) of a source's text as a quote. Reads the text and writes the
   * quote in one transaction, so the selectors match the text they were cut from.
   * @throws ApiError `not_found`, `invalid_selection`.
   */
  async createQuote(input: { sourceId: string; start: number; end: number; speaker?: string; note?: string }): Promise<StoredQuote> {
    const id = randomUUID();
    await this.db.transaction(async (tx) => {
      const source = await tx.get<{ text: string; pages: string | null }>('SELECT text, pages FROM sources WHERE id = ?', [input.sourceId]);
      if (!source) throw new ApiError('not_found', NOT_FOUND_SOURCE);
      const sel = describeTextRange(source.text, input.start, input.end);
      const now = nowIso();
      const at = autoLocator(source.text, parsePages(source.pages), sel.textPosition.start, sel.textPosition.end);
      await tx.run(
        `INSERT INTO quotes (id, source_id, exact, match_text, prefix, suffix, pos_start, pos_end, locator, locator_label, locator_auto, speaker, note, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)`,
        [id, input.sourceId, sel.textQuote.exact, normalizedText(sel.textQuote.exact), sel.textQuote.prefix, sel.textQuote.suffix, sel.textPosition.start, sel.textPosition.end, at.locator, at.label, (input.speaker ?? '').trim(), (input.note ?? '').trim(), now, now],
      );
    });
    return this.getQuote(id);
  }

  /** One quote. @throws ApiError `not_found`. */
  async getQuote(id: string): Promise<StoredQuote> {
    const row = await this.db.get<QuoteRow>(`SELECT ${QUOTE_COLUMNS} FROM quotes q JOIN sources s ON s.id = q.source_id WHERE q.id = ?`, [id]);
    if (!row) throw new ApiError('not_found', 'That quote is not in the library (it may have been deleted).');
    return toStoredQuote(row);
  }

  /**
   * Quotes matching every filter given (see {@link QuoteFilter}), in `filter.sort` order, or
   * by default: best match first for a full-text `query` (FTS5 bm25), in text order for one
   * source, else newest first. `offset`/`limit` page (default limit 1000, at most {@link MAX_PAGE}).
   * Every order has an index (EXPLAIN QUERY PLAN in organisation.test.ts).
   */
  async listQuotes(filter: QuoteFilter = {}): Promise<StoredQuote[]> {
    const query = this.quoteListSql(filter);
    if (!query) return [];
    const rows = await this.db.all<QuoteRow>(query.sql, query.params);
    return rows.map(toStoredQuote);
  }

  /** The SELECT {@link listQuotes} runs for `filter` and its parameters (for EXPLAIN QUERY PLAN in tests and the benchmark); null when nothing can match. */
  quoteListSql(filter: QuoteFilter): { sql: string; params: (string | number)[] } | null {
    const sql = quoteQuery(filter);
    if (!sql) return null;
    const limit = Math.min(filter.limit ?? 1000, MAX_PAGE);
    return { sql: `SELECT ${QUOTE_COLUMNS} FROM ${sql.from} ${sql.where} ORDER BY ${sql.order} LIMIT ${limit} OFFSET ${Math.trunc(filter.offset ?? 0)}`, params: sql.params };
  }

  /** How many quotes match `filter` (its sort and page ignored). */
  async countQuotes(filter: QuoteFilter = {}): Promise<number> {
    const sql = quoteQuery(filter);
    if (!sql) return 0;
    return (await this.db.get<{ n: number }>(`SELECT count(*) AS n FROM ${sql.from} ${sql.where}`, sql.params))?.n ?? 0;
  }

  /**
   * Change a quote's speaker, note and locator; fields left undefined keep their value.
   * An empty `locator` with label "paragraph" puts back the paragraph number computed from the quote's position.
   * @throws ApiError `not_found`.
   */
  async updateQuote(id: string, patch: { speaker?: string; note?: string; locator?: string; locatorLabel?: LocatorLabel }): Promise<StoredQuote> {
    await this.db.transaction(async (tx) => {
      const row = await tx.get<{ speaker: string; note: string; locator: string; locator_label: string; locator_auto: number; pos_start: number; pos_end: number; source_id: string }>(
        'SELECT speaker, note, locator, locator_label, locator_auto, pos_start, pos_end, source_id FROM quotes WHERE id = ?',
        [id],
      );
      if (!row) throw new ApiError('not_found', 'That quote is not in the library (it may have been deleted).');
      let label = patch.locatorLabel ?? row.locator_label;
      let locator = patch.locator !== undefined ? patch.locator.trim() : row.locator;
      let auto = row.locator_auto;
      if (patch.locator !== undefined || patch.locatorLabel !== undefined) {
        auto = 0;
        if (locator === '' && (label === 'paragraph' || label === 'page')) {
          // Empty: computed again from the quote's place (its page in a paged source, else its paragraph), and kept in step from now on.
          const source = await tx.get<{ text: string; pages: string | null }>('SELECT text, pages FROM sources WHERE id = ?', [row.source_id]);
          const at = autoLocator(source?.text ?? '', parsePages(source?.pages), row.pos_start, row.pos_end);
          if (at.label === label) {
            locator = at.locator;
            auto = 1;
          } else if (label === 'paragraph') {
            ({ locator, label } = at);
            auto = 1;
          }
        }
      }
      await tx.run('UPDATE quotes SET speaker = ?, note = ?, locator = ?, locator_label = ?, locator_auto = ?, updated_at = ? WHERE id = ?', [
        (patch.speaker ?? row.speaker).trim(),
        (patch.note ?? row.note).trim(),
        locator,
        label,
        auto,
        nowIso(),
        id,
      ]);
    });
    return this.getQuote(id);
  }

  /**
   * Replace a source's text (a re-import, a re-read of its original, or an edit) and
   * re-anchor every quote against the new text, all in one transaction
   * (`anchorQuote`: position, then the normalized quote, then a fuzzy match). A quote
   * found is updated: position, context, `exact` (the new text's own characters, which
   * differ from the old only in typography) and its computed locator. A quote found only
   * approximately becomes `changed`, with the match as its candidate and its old wording
   * kept until the user accepts; a quote not found becomes `orphaned`, kept with its
   * last position. The source's metadata is not touched. `original` replaces the kept
   * file when given.
   * @throws ApiError `not_found`.
   */
  async replaceSourceText(id: string, next: { text: string; html: string | null; pages?: readonly SourcePage[] | null; original?: OriginalFile | null }): Promise<ReanchorReport> {
    return this.db.transaction(async (tx) => {
      const source = await tx.get<{ content_hash: string }>('SELECT content_hash FROM sources WHERE id = ?', [id]);
      if (!source) throw new ApiError('not_found', NOT_FOUND_SOURCE);
      const now = nowIso();
      const hash = sha256(next.text);
      const pages = next.pages?.length ? next.pages : null;
      await tx.run('UPDATE sources SET text = ?, text_length = ?, html = ?, content_hash = ?, pages = ?, updated_at = ? WHERE id = ?', [
        next.text,
        next.text.length,
        next.html,
        hash,
        pages ? JSON.stringify(pages) : null,
        now,
        id,
      ]);
      if (next.original) await putOriginal(tx, id, next.original, now);
      const report: ReanchorReport = { unchanged: 0, moved: 0, changed: 0, orphaned: 0, sameText: hash === source.content_hash };
      const quotes = await tx.all<QuoteRow>(`SELECT ${QUOTE_COLUMNS} FROM quotes q JOIN sources s ON s.id = q.source_id WHERE q.source_id = ?`, [id]);
      const view = normalizeForMatching(next.text);
      for (const row of quotes) {
        const q = toStoredQuote(row);
        const outcome = anchorQuote(next.text, q, view);
        let sel: QuoteSelectors | null = null;
        if (outcome.status !== 'orphaned') {
          try {
            sel = describeTextRange(next.text, outcome.start, outcome.end);
          } catch (error) {
            // A match on invisible characters only cannot be a quote: this quote is an orphan, and the edit goes on.
            if (!(error instanceof ApiError) || error.code !== 'invalid_selection') throw error;
          }
        }
        if (outcome.status === 'orphaned' || !sel) {
          report.orphaned += 1;
          await tx.run("UPDATE quotes SET anchor_status = 'orphaned', candidate_exact = NULL, candidate_start = NULL, candidate_end = NULL WHERE id = ?", [q.id]);
          continue;
        }
        const at = autoLocator(next.text, pages, sel.textPosition.start, sel.textPosition.end);
        const locator = row.locator_auto === 1 ? at : { locator: row.locator, label: row.locator_label };
        if (outcome.status === 'changed') {
          report.changed += 1;
          // The old wording stays the quote's `exact` (and its context) until the user accepts the new one.
          await tx.run("UPDATE quotes SET anchor_status = 'changed', candidate_exact = ?, candidate_start = ?, candidate_end = ?, pos_start = ?, pos_end = ?, locator = ?, locator_label = ? WHERE id = ?", [
            sel.textQuote.exact,
            sel.textPosition.start,
            sel.textPosition.end,
            sel.textPosition.start,
            sel.textPosition.end,
            locator.locator,
            locator.label,
            q.id,
          ]);
          continue;
        }
        const same = outcome.method === 'position' && q.anchor.status === 'anchored';
        if (same) report.unchanged += 1;
        else report.moved += 1;
        await tx.run("UPDATE quotes SET anchor_status = 'anchored', candidate_exact = NULL, candidate_start = NULL, candidate_end = NULL, exact = ?, match_text = ?, prefix = ?, suffix = ?, pos_start = ?, pos_end = ?, locator = ?, locator_label = ?, updated_at = ? WHERE id = ?", [
          sel.textQuote.exact,
          normalizedText(sel.textQuote.exact),
          sel.textQuote.prefix,
          sel.textQuote.suffix,
          sel.textPosition.start,
          sel.textPosition.end,
          locator.locator,
          locator.label,
          same ? row.updated_at : now,
          q.id,
        ]);
      }
      return report;
    });
  }

  /**
   * Anchor a quote to the range [start, end) of its source's current text: accepting the
   * new wording of a `changed` quote (its candidate range), or re-attaching an orphan to a
   * passage the user selected. The quote's `exact` becomes that text, verbatim; memos that
   * hold the old text show a drift mark until the writer accepts it.
   * @throws ApiError `not_found`, `invalid_selection`.
   */
  async reanchorQuote(id: string, start: number, end: number): Promise<StoredQuote> {
    await this.db.transaction(async (tx) => {
      const row = await tx.get<{ source_id: string; locator_auto: number }>('SELECT source_id, locator_auto FROM quotes WHERE id = ?', [id]);
      if (!row) throw new ApiError('not_found', 'That quote is not in the library (it may have been deleted).');
      const source = await tx.get<{ text: string; pages: string | null }>('SELECT text, pages FROM sources WHERE id = ?', [row.source_id]);
      const text = source?.text ?? '';
      const sel = describeTextRange(text, start, end);
      const at = autoLocator(text, parsePages(source?.pages), sel.textPosition.start, sel.textPosition.end);
      await tx.run(
        `UPDATE quotes SET anchor_status = 'anchored', candidate_exact = NULL, candidate_start = NULL, candidate_end = NULL, exact = ?, match_text = ?, prefix = ?, suffix = ?, pos_start = ?, pos_end = ?,
           locator = CASE WHEN locator_auto = 1 THEN ? ELSE locator END, locator_label = CASE WHEN locator_auto = 1 THEN ? ELSE locator_label END, updated_at = ? WHERE id = ?`,
        [sel.textQuote.exact, normalizedText(sel.textQuote.exact), sel.textQuote.prefix, sel.textQuote.suffix, sel.textPosition.start, sel.textPosition.end, at.locator, at.label, nowIso(), id],
      );
    });
    return this.getQuote(id);
  }

  /** The file a source was imported from, or null when none is kept (pasted text, the sample, sources from before version 3). @throws ApiError `not_found`. */
  async getOriginal(id: string): Promise<OriginalFile | null> {
    const row = await this.db.get<{ file_name: string; media_type: string; bytes: Buffer | null; id: string }>(
      'SELECT s.id, f.file_name, f.media_type, f.bytes FROM sources s LEFT JOIN source_files f ON f.source_id = s.id WHERE s.id = ?',
      [id],
    );
    if (!row) throw new ApiError('not_found', NOT_FOUND_SOURCE);
    return row.bytes ? { fileName: row.file_name, mediaType: row.media_type, bytes: new Uint8Array(row.bytes) } : null;
  }

  /** Delete a quote; false when there was none. */
  async deleteQuote(id: string): Promise<boolean> {
    const result = await this.db.run('DELETE FROM quotes WHERE id = ?', [id]);
    return result.changes > 0;
  }

  /** Memos, most recently edited first: all of them, or the page `filter` asks for (project, offset, limit up to {@link MAX_PAGE}). */
  async listMemos(filter: MemoFilter = {}): Promise<MemoSummary[]> {
    const { where, params } = memoWhere(filter);
    const page = filter.limit !== undefined || filter.offset ? ` LIMIT ${Math.min(filter.limit ?? MAX_PAGE, MAX_PAGE)} OFFSET ${filter.offset ?? 0}` : '';
    const rows = await this.db.all<MemoRow>(`SELECT m.id, m.title, m.created_at, m.updated_at FROM memos m ${where} ORDER BY m.updated_at DESC, m.rowid DESC${page}`, params);
    return rows.map(toMemoSummary);
  }

  /** How many memos `filter`'s project matches. */
  async countMemos(filter: MemoFilter = {}): Promise<number> {
    const { where, params } = memoWhere(filter);
    return (await this.db.get<{ n: number }>(`SELECT count(*) AS n FROM memos m ${where}`, params))?.n ?? 0;
  }

  /** Create an empty memo. */
  async createMemo(title: string): Promise<Memo> {
    const id = randomUUID();
    const now = nowIso();
    await this.db.run('INSERT INTO memos (id, title, content, revision, created_at, updated_at) VALUES (?, ?, ?, 0, ?, ?)', [id, title, JSON.stringify(emptyMemoContent()), now, now]);
    return this.getMemo(id);
  }

  /** One memo. @throws ApiError `not_found`. */
  async getMemo(id: string): Promise<Memo> {
    const row = await this.db.get<MemoRow>('SELECT id, title, content, revision, citation_style, locale, note_placement, created_at, updated_at FROM memos WHERE id = ?', [id]);
    if (!row) throw new ApiError('not_found', 'That memo is not in the library (it may have been deleted).');
    return { ...toMemoSummary(row), content: JSON.parse(row.content ?? '{}') as MemoContent, revision: row.revision ?? 0, settings: toMemoSettings(row) };
  }

  /** Change a memo's citation settings (not a content edit: the revision stays). @throws ApiError `not_found`. */
  async updateMemoSettings(id: string, patch: Partial<MemoSettings>): Promise<MemoSettings> {
    return this.db.transaction(async (tx) => {
      const row = await tx.get<MemoRow>('SELECT id, title, citation_style, locale, note_placement, created_at, updated_at FROM memos WHERE id = ?', [id]);
      if (!row) throw new ApiError('not_found', 'That memo is not in the library (it may have been deleted).');
      const next = { ...toMemoSettings(row), ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as MemoSettings;
      await tx.run('UPDATE memos SET citation_style = ?, locale = ?, note_placement = ? WHERE id = ?', [next.citationStyle, next.locale, next.notePlacement, id]);
      return next;
    });
  }

  /** Styles the user added, oldest first. */
  async listStyles(): Promise<StoredStyle[]> {
    const rows = await this.db.all<{ id: string; title: string; xml: string; file_name: string | null; created_at: string }>('SELECT id, title, xml, file_name, created_at FROM styles ORDER BY created_at, rowid');
    return rows.map((r) => ({ id: r.id, title: r.title, xml: r.xml, fileName: r.file_name, createdAt: r.created_at }));
  }

  /** Store a style the user added (already checked by the caller). Replaces one with the same id. */
  async putStyle(style: Omit<StoredStyle, 'createdAt'>): Promise<StoredStyle> {
    const createdAt = nowIso();
    await this.db.run('INSERT OR REPLACE INTO styles (id, title, xml, file_name, created_at) VALUES (?, ?, ?, ?, ?)', [style.id, style.title, style.xml, style.fileName, createdAt]);
    return { ...style, createdAt };
  }

  /** Remove a user style; memos that used it fall back to the default style. False when there was none. */
  async removeStyle(id: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const result = await tx.run('DELETE FROM styles WHERE id = ?', [id]);
      if (result.changes > 0) await tx.run("UPDATE memos SET citation_style = 'apa' WHERE citation_style = ?", [id]);
      return result.changes > 0;
    });
  }

  /**
   * Save a memo's title and content, if `baseRevision` is still the stored revision, and
   * keep its history, all in one transaction: the new state goes into the memo's newest
   * revision when that is an 'edit' first written less than `coalesceMs` ago, else into a
   * new 'edit' revision; then the retention rule prunes the memo's history
   * ({@link RevisionPolicy}). A stale save changes nothing in the memo, but its title and
   * content are kept as a 'conflict' revision, so no words are lost.
   * Returns the new revision and the save time (ISO 8601 UTC).
   * @throws ApiError `not_found`, or `conflict` when another save came first.
   */
  async saveMemo(id: string, title: string, content: MemoContent, baseRevision: number): Promise<{ revision: number; updatedAt: string }> {
    const outcome = await this.db.transaction(async (tx) => {
      const row = await tx.get<{ revision: number }>('SELECT revision FROM memos WHERE id = ?', [id]);
      if (!row) throw new ApiError('not_found', NOT_FOUND_MEMO);
      const now = this.clock();
      const json = JSON.stringify(content);
      if (row.revision !== baseRevision) {
        // The same refused edit sent again (a retrying client) is kept once.
        const newest = await tx.get<{ reason: string; title: string; content: string; memo_revision: number }>('SELECT reason, title, content, memo_revision FROM memo_revisions WHERE memo_id = ? ORDER BY saved_at DESC, rowid DESC LIMIT 1', [id]);
        const repeat = newest?.reason === 'conflict' && newest.title === title && newest.content === json && newest.memo_revision === baseRevision;
        if (!repeat) await this.insertRevision(tx, id, 'conflict', title, json, baseRevision, now);
        await this.pruneRevisions(tx, id, now);
        return null;
      }
      const updatedAt = now.toISOString();
      const revision = row.revision + 1;
      const plainText = await writeMemoIndex(tx, id, content);
      await tx.run('UPDATE memos SET title = ?, content = ?, plain_text = ?, revision = ?, updated_at = ? WHERE id = ?', [title, json, plainText, revision, updatedAt, id]);
      const latest = await tx.get<{ id: string; reason: string; created_at: string }>('SELECT id, reason, created_at FROM memo_revisions WHERE memo_id = ? ORDER BY saved_at DESC, rowid DESC LIMIT 1', [id]);
      const age = latest ? now.getTime() - Date.parse(latest.created_at) : Number.NaN;
      if (latest && latest.reason === 'edit' && age >= 0 && age < this.revisionPolicy.coalesceMs) {
        await tx.run('UPDATE memo_revisions SET title = ?, content = ?, memo_revision = ?, size = ?, saved_at = ? WHERE id = ?', [title, json, revision, revisionSize(title, json), updatedAt, latest.id]);
      } else {
        await this.insertRevision(tx, id, 'edit', title, json, revision, now);
      }
      await this.pruneRevisions(tx, id, now);
      return { revision, updatedAt };
    });
    if (!outcome) {
      throw new ApiError('conflict', 'This memo was changed elsewhere (another window?) since it was opened here. Reopen it to see the latest version; this edit is kept in the memo’s History.');
    }
    return outcome;
  }

  /** Add one revision row. */
  private async insertRevision(tx: SqlExecutor, memoId: string, reason: RevisionReason, title: string, contentJson: string, memoRevision: number, at: Date): Promise<string> {
    const id = randomUUID();
    const iso = at.toISOString();
    await tx.run('INSERT INTO memo_revisions (id, memo_id, reason, title, content, memo_revision, size, created_at, saved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', [
      id,
      memoId,
      reason,
      title,
      contentJson,
      memoRevision,
      revisionSize(title, contentJson),
      iso,
      iso,
    ]);
    return id;
  }

  /** Apply the retention rule to one memo's history. */
  private async pruneRevisions(tx: SqlExecutor, memoId: string, now: Date): Promise<void> {
    const rows = await tx.all<{ id: string; saved_at: string; rowid: number; reason: RevisionReason }>('SELECT id, saved_at, rowid, reason FROM memo_revisions WHERE memo_id = ?', [memoId]);
    const drop = revisionsToPrune(
      rows.map((r) => ({ id: r.id, savedAt: Date.parse(r.saved_at), order: r.rowid, reason: r.reason })),
      now.getTime(),
      this.revisionPolicy,
    );
    for (let i = 0; i < drop.length; i += 500) {
      const chunk = drop.slice(i, i + 500);
      await tx.run(`DELETE FROM memo_revisions WHERE id IN (${chunk.map(() => '?').join(',')})`, chunk);
    }
  }

  /** A memo's revisions, newest first (by save time), without content. @throws ApiError `not_found` when there is no such memo. */
  async listRevisions(memoId: string): Promise<StoredRevisionSummary[]> {
    return this.db.transaction(async (tx) => {
      if (!(await tx.get('SELECT 1 AS one FROM memos WHERE id = ?', [memoId]))) throw new ApiError('not_found', NOT_FOUND_MEMO);
      const rows = await tx.all<RevisionRow>(`SELECT ${REVISION_COLUMNS} FROM memo_revisions WHERE memo_id = ? ORDER BY saved_at DESC, rowid DESC`, [memoId]);
      return rows.map(toRevisionSummary);
    });
  }

  /** One revision with its content. @throws ApiError `not_found`. */
  async getRevision(id: string): Promise<StoredRevision> {
    const row = await this.db.get<RevisionRow>(`SELECT ${REVISION_COLUMNS}, content FROM memo_revisions WHERE id = ?`, [id]);
    if (!row) throw new ApiError('not_found', 'That revision is not in the memo’s history (it may have been pruned, or its memo deleted).');
    return { ...toRevisionSummary(row), content: JSON.parse(row.content ?? '{}') as MemoContent };
  }

  /**
   * Make a revision's title and content the memo's current state, in one transaction: the
   * memo as it is now is first kept as a 'before-restore' revision (never coalesced), then
   * the memo takes the revision's title and content and its revision counter goes up by one;
   * the history is pruned as after a save. The memo's citation settings stay.
   * @throws ApiError `not_found` (memo, or a revision not of this memo), `conflict` when
   *   `baseRevision` is not the memo's current revision (nothing changes then).
   */
  async restoreRevision(memoId: string, revisionId: string, baseRevision: number): Promise<Memo> {
    await this.db.transaction(async (tx) => {
      const memo = await tx.get<{ title: string; content: string; revision: number }>('SELECT title, content, revision FROM memos WHERE id = ?', [memoId]);
      if (!memo) throw new ApiError('not_found', NOT_FOUND_MEMO);
      const rev = await tx.get<{ title: string; content: string }>('SELECT title, content FROM memo_revisions WHERE id = ? AND memo_id = ?', [revisionId, memoId]);
      if (!rev) throw new ApiError('not_found', 'That revision is not in this memo’s history (it may have been pruned).');
      if (memo.revision !== baseRevision) {
        throw new ApiError('conflict', 'This memo was changed elsewhere (another window?) since it was opened here, so nothing was restored. Reopen it and try again.');
      }
      const now = this.clock();
      await this.insertRevision(tx, memoId, 'before-restore', memo.title, memo.content, memo.revision, now);
      const plainText = await writeMemoIndex(tx, memoId, rev.content);
      await tx.run('UPDATE memos SET title = ?, content = ?, plain_text = ?, revision = ?, updated_at = ? WHERE id = ?', [rev.title, rev.content, plainText, memo.revision + 1, now.toISOString(), memoId]);
      await this.pruneRevisions(tx, memoId, now);
    });
    return this.getMemo(memoId);
  }

  /** Delete a memo; false when there was none. */
  async deleteMemo(id: string): Promise<boolean> {
    const result = await this.db.run('DELETE FROM memos WHERE id = ?', [id]);
    return result.changes > 0;
  }

  /** Summaries of the given sources in the order asked (ids not in the library are left out). Reads in chunks of 500 ids. */
  async sourcesByIds(ids: readonly string[]): Promise<SourceSummary[]> {
    const unique = [...new Set(ids)];
    const found = new Map<string, SourceSummary>();
    for (let i = 0; i < unique.length; i += 500) {
      const chunk = unique.slice(i, i + 500);
      const rows = await this.db.all<SourceRow>(`SELECT ${SOURCE_COLUMNS} FROM sources s WHERE s.id IN (${chunk.map(() => '?').join(',')})`, chunk);
      for (const row of rows) found.set(row.id, toSourceSummary(row));
    }
    return unique.flatMap((id) => (found.has(id) ? [found.get(id)!] : []));
  }

  /** CSL items of the given sources, by id (missing ids are left out). */
  async cslItems(ids: readonly string[]): Promise<Map<string, CslItem>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const rows = await this.db.all<{ id: string; csl: string }>(`SELECT id, csl FROM sources WHERE id IN (${unique.map(() => '?').join(',')})`, unique);
    return new Map(rows.map((r) => [r.id, parseCsl(r.csl, r.id)]));
  }
}
