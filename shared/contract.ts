/**
 * The one contract between the renderer and a host (Electron main or the web host).
 *
 * Every method the renderer may call is declared here once: its argument schema, its
 * result schema and a one-line summary. Both hosts dispatch through the same table
 * (`electron/services/dispatch.ts`) and validate with these schemas, so a call with
 * wrong arguments gets a typed `invalid_arguments` error, never a crash.
 *
 * A call's outcome is a {@link CallResult}: `{ ok: true, value }` or
 * `{ ok: false, error: { code, message } }`.
 */
import { z } from 'zod';
import { METHOD_NAMES, type MethodName } from './methods';
import { CslItem, Id, LocatorLabel, MAX_TAG_NAME, Memo, MemoContent, MemoSettings, MemoSummary, NOTE_PLACEMENTS, Quote, Source, SourceSummary, StoredMemoContent } from './model';

/** Largest file the importer reads, in bytes (10 MiB). Larger files are refused with `file_too_large`. */
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

/** Largest pasted text, in UTF-16 code units (same bound as files, so a paste is never worse than a file). */
export const MAX_PASTE_CHARS = MAX_IMPORT_BYTES;

/** Every error code a method may return. */
export const ERROR_CODES = [
  'invalid_arguments', // the arguments do not match the method's schema
  'unknown_method', // no such method in this contract
  'not_found', // the id names nothing in the store
  'empty_file', // the file or paste has no text
  'file_too_large', // over MAX_IMPORT_BYTES
  'unsupported_file', // not text (binary), or a type Verbatim does not import
  'invalid_encoding', // not valid UTF-8 / UTF-16
  'import_timeout', // reading a file took longer than the import worker allows (electron/services/importPool.ts)
  'import_too_much_memory', // reading a file needed more memory than the import worker allows
  'invalid_selection', // a quote range that spans nothing or lies outside the text
  'conflict', // a memo save based on an older revision; a tag or project renamed onto a name another one has
  'in_use', // deleting something memos still use (quotes.delete without force); the message names the memos
  'invalid_style', // a CSL style file that cannot be used
  'invalid_bibliography', // a BibTeX/RIS/CSL-JSON file with no entry that could be read
  'unsupported', // this host cannot do this (e.g. a save dialog in the web host)
  'unavailable', // a needed program is missing (e.g. no Chromium for PDF export)
  'storage', // the disk is full, the folder read-only, an I/O error or another writer (SQLite FULL, READONLY, IOERR, CANTOPEN, BUSY): the change was rolled back
  'internal', // anything else; the message says what
] as const;
export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** The error half of a {@link CallResult}. `message` is written for the user. */
export const ApiErrorShape = z.object({ code: ErrorCode, message: z.string() });
export type ApiErrorShape = z.infer<typeof ApiErrorShape>;

/** The outcome of any call: the value, or a typed error. */
export type CallResult<T> = { ok: true; value: T } | { ok: false; error: ApiErrorShape };

/** An error thrown by services and turned into `{ ok: false, error }` by the dispatcher. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Why a memo revision was kept (see `LibraryStore.saveMemo` and `restoreRevision`). */
export const RevisionReason = z.enum(['edit', 'before-restore', 'conflict']);

/**
 * A memo revision as listed: `savedAt` is when the state it holds was saved, `createdAt` when
 * the revision was first written (ISO 8601 UTC); `memoRevision` the memo's revision counter that
 * state had; `size` the UTF-8 bytes of title plus content JSON.
 */
export const MemoRevisionSummary = z.object({
  id: Id,
  memoId: Id,
  reason: RevisionReason,
  title: z.string(),
  memoRevision: z.number().int().nonnegative(),
  size: z.number().int().nonnegative(),
  createdAt: z.string(),
  savedAt: z.string(),
});
export type MemoRevisionSummary = z.infer<typeof MemoRevisionSummary>;

/** A memo revision with its Lexical content (read as stored, like `Memo.content`). */
export const MemoRevision = MemoRevisionSummary.extend({ content: StoredMemoContent });
export type MemoRevision = z.infer<typeof MemoRevision>;

const Empty = z.object({}).strict();
const ById = z.object({ id: Id }).strict();
const Base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');

/** A rendered citation or bibliography entry: HTML (from citeproc-js's html format) and plain text. */
export const RenderedCitation = z.object({ html: z.string(), text: z.string() });
export type RenderedCitation = z.infer<typeof RenderedCitation>;

/** A rendered cite: its text and, in a note style, the number of its note (null in in-text styles and for missing sources). */
export const RenderedCite = RenderedCitation.extend({ noteNumber: z.number().int().positive().nullable() });
export type RenderedCite = z.infer<typeof RenderedCite>;

const CiteText = z.string().max(1000);

/**
 * One cite in a memo, in document order: the source cited and, for a linked quote, the
 * quote (whose stored locator is used unless `locator` is given). `label` is a CSL
 * locator term; `prefix` and `suffix` are printed around the cite ("see", "emphasis added");
 * `suppressAuthor` leaves the author out when the sentence names them ("Paul (2021) argues");
 * `groupWithPrevious` joins the cite to the one before in one citation (its own text is then '').
 */
export const CiteRef = z
  .object({ sourceId: Id, quoteId: Id.optional(), locator: CiteText.optional(), label: LocatorLabel.optional(), prefix: CiteText.optional(), suffix: CiteText.optional(), suppressAuthor: z.boolean().optional(), groupWithPrevious: z.boolean().optional() })
  .strict();
export type CiteRef = z.infer<typeof CiteRef>;

/** A citation style as listed: id, title, class (in-text or note), whether it has a bibliography, and whether it ships with the app. */
export const StyleSummary = z.object({
  id: z.string(),
  title: z.string(),
  class: z.enum(['in-text', 'note']),
  hasBibliography: z.boolean(),
  defaultLocale: z.string().nullable(),
  builtIn: z.boolean(),
});
export type StyleSummary = z.infer<typeof StyleSummary>;

/** A line-numbered problem in an imported bibliography file. */
export const BibliographyProblem = z.object({ line: z.number().int().positive(), kind: z.enum(['skipped', 'warning']), message: z.string() });
export type BibliographyProblem = z.infer<typeof BibliographyProblem>;

/**
 * What replacing a source's text did to its quotes: how many were found where they were,
 * moved (or changed only in typography: quote marks, dashes, spaces) and were updated,
 * changed wording (flagged for review), or could not be found (kept as orphans).
 */
export const ReanchorReport = z.object({
  unchanged: z.number().int().nonnegative(),
  moved: z.number().int().nonnegative(),
  changed: z.number().int().nonnegative(),
  orphaned: z.number().int().nonnegative(),
  /** True when the new text is the same as the old. */
  sameText: z.boolean(),
});
export type ReanchorReport = z.infer<typeof ReanchorReport>;

const FileUpload = {
  fileName: z.string().min(1).max(1000),
  // Files over MAX_IMPORT_BYTES get a clear `file_too_large` from the importer; this
  // bound only keeps absurd strings from being decoded at all.
  dataBase64: Base64.max(64 * 1024 * 1024, `The file is far larger than Verbatim imports (${MAX_IMPORT_BYTES / (1024 * 1024)} MB).`),
};

/**
 * A quotation found in a source's text (shared/quoteDetection.ts): its parts (the words
 * inside the quotation marks; a quotation split by its attribution has two or more),
 * [start, end) from the first part's start to the last part's end (what is saved as one
 * quote), the quoted words joined for display, the speaker it is attributed to, how sure
 * the detector is, and why. `savedQuoteId` names a saved quote of the source that covers
 * the same passage.
 */
export const QuoteSuggestion = z.object({
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  parts: z.array(z.object({ start: z.number().int().nonnegative(), end: z.number().int().nonnegative() })).min(1),
  text: z.string(),
  speaker: z.string().nullable(),
  confidence: z.enum(['high', 'medium', 'low']),
  reason: z.string(),
  savedQuoteId: Id.nullable(),
});
export type QuoteSuggestion = z.infer<typeof QuoteSuggestion>;

/** Bibliography formats Verbatim reads and writes. */
export const BIBLIOGRAPHY_FORMATS = ['csl-json', 'bibtex', 'biblatex', 'ris'] as const;

/** A backup of the library (`library.*` methods): its file name in the data folder's `backups/`, when it was made (ISO 8601 UTC), its size, and whether it is a backup or the library kept aside before a restore. */
export const BackupInfo = z.object({ name: z.string(), createdAt: z.string(), bytes: z.number().int().nonnegative(), kind: z.enum(['backup', 'before-restore']) });
export type BackupInfo = z.infer<typeof BackupInfo>;

// ---- Issue 6: search, tags, projects, backlinks, paged lists ----------------------------------

const IdList = z.array(Id).max(10_000);

/** A page of a list: `offset` rows skipped (default 0), at most `limit` returned. */
const Paging = { offset: z.number().int().nonnegative().max(10_000_000).optional(), limit: z.number().int().min(1).max(5000).optional() };

/** A calendar date "YYYY-MM-DD" or an ISO 8601 timestamp; a bare date as `addedTo` includes that whole day (UTC). */
const DateBound = z.string().regex(/^\d{4}-\d{2}-\d{2}(T[0-9:.]+Z)?$/, 'a date is YYYY-MM-DD or an ISO 8601 UTC timestamp');

/** Ways to sort the quote list: by source (the library's source order, newest source first, then position in the text), by date added (newest first), by speaker (A-Z ignoring case, quotes without a speaker last, then oldest first). */
export const QUOTE_SORTS = ['source-order', 'added', 'speaker'] as const;
export type QuoteSort = (typeof QUOTE_SORTS)[number];

/**
 * Filters shared by the quote list and search. `tagId`: carries that tag; `projectId`: in that
 * project; `used`: true for quotes some memo uses (a linked quote), false for the others;
 * `speaker`: exactly that speaker (case ignored for ASCII letters); `addedFrom`/`addedTo`: created
 * in [from, to] (see {@link DateBound}).
 */
const QuoteFilters = {
  sourceId: Id.optional(),
  tagId: Id.optional(),
  projectId: Id.optional(),
  used: z.boolean().optional(),
  speaker: z.string().max(500).optional(),
  addedFrom: DateBound.optional(),
  addedTo: DateBound.optional(),
};

/** The quote filters the library lists and search share, as the renderer holds them. */
export type LibraryFilters = z.infer<z.ZodObject<typeof QuoteFilters>>;

/** Arguments of `quotes.list` / `quotes.page`. */
const QuoteListArgs = z
  .object({
    ...QuoteFilters,
    query: z.string().max(500).optional(),
    ids: z.array(Id).max(5000).optional(),
    sort: z.enum(QUOTE_SORTS).optional(),
    ...Paging,
  })
  .strict();

/** A piece of a search snippet: text as stored (never HTML), `hit` true for the words that matched. Render each part as text, a hit marked. */
export const SnippetPart = z.object({ text: z.string(), hit: z.boolean() });
export type SnippetPart = z.infer<typeof SnippetPart>;

/** What `search.query` searches. */
export const SEARCH_KINDS = ['quote', 'source', 'memo'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

/** A quote found by search: `rank` is FTS5 bm25 with the weights in electron/services/search.ts (lower is better); `snippet` from its text, speaker or note. */
export const QuoteHit = z.object({ id: Id, sourceId: Id, sourceTitle: z.string(), speaker: z.string(), exact: z.string(), snippet: z.array(SnippetPart), rank: z.number(), createdAt: z.string() });
export type QuoteHit = z.infer<typeof QuoteHit>;
/** A source found by search: `snippet` from its title, authors, container title or text. */
export const SourceHit = z.object({ id: Id, title: z.string(), citationKey: z.string(), snippet: z.array(SnippetPart), rank: z.number(), createdAt: z.string() });
export type SourceHit = z.infer<typeof SourceHit>;
/** A memo found by search: `snippet` from its title or text. */
export const MemoHit = z.object({ id: Id, title: z.string(), snippet: z.array(SnippetPart), rank: z.number(), updatedAt: z.string() });
export type MemoHit = z.infer<typeof MemoHit>;

/** A tag with how many quotes and sources carry it. */
export const Tag = z.object({ id: Id, name: z.string(), quoteCount: z.number().int().nonnegative(), sourceCount: z.number().int().nonnegative() });
export type Tag = z.infer<typeof Tag>;

/** A project (a collection): its members are counted; deleting it never deletes them. */
export const Project = z.object({
  id: Id,
  name: z.string(),
  sourceCount: z.number().int().nonnegative(),
  quoteCount: z.number().int().nonnegative(),
  memoCount: z.number().int().nonnegative(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Project = z.infer<typeof Project>;

/**
 * A memo that uses a quote or source: `count` cites of it (linked quotes, and for a source
 * also plain citations), `firstPosition` the 0-based index of the first of them among the
 * memo's cites in document order (`citesInOrder` in shared/memoDocument.ts), so the editor
 * can scroll to it. Most recently edited memo first.
 */
export const Backlink = z.object({ memoId: Id, memoTitle: z.string(), count: z.number().int().positive(), firstPosition: z.number().int().nonnegative(), memoUpdatedAt: z.string() });
export type Backlink = z.infer<typeof Backlink>;

const TagName = z.string().min(1).max(MAX_TAG_NAME * 2);

/** A page of a list and how many rows the whole list has. */
function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int().nonnegative(), offset: z.number().int().nonnegative() });
}

const SourceListArgs = z.object({ tagId: Id.optional(), projectId: Id.optional(), ...Paging }).strict();
const MemoListArgs = z.object({ projectId: Id.optional(), ...Paging }).strict();
const ProjectItems = z.object({ id: Id, sourceIds: IdList.optional(), quoteIds: IdList.optional(), memoIds: IdList.optional() }).strict();

/** The contract table: method name -> argument schema, result schema, summary. */
export const contract = {
  'app.info': {
    summary: 'What host this is, where the library lives, and the app version.',
    args: Empty,
    result: z.object({
      version: z.string(),
      host: z.enum(['electron', 'web']),
      dataFile: z.string(),
      /** Locales shipped with the app, for the memo's locale menu. */
      locales: z.array(z.string()),
    }),
  },
  // library.*: backups and restore (electron/services/backup.ts).
  'library.backup': {
    summary: 'Back up the library now (a verified copy in the data folder’s backups/, the newest N kept). `storage` when it cannot be written.',
    args: Empty,
    result: BackupInfo,
  },
  'library.backups': {
    summary: 'The backups, newest first (and the libraries kept aside before a restore).',
    args: Empty,
    result: z.array(BackupInfo),
  },
  'library.restore': {
    summary: 'Replace the library with a backup: the current file is kept aside first (backups/before-restore-<time>.sqlite, never deleted), the backup is checked, put in place and reopened. The renderer reloads after it. `not_found` for an unknown name.',
    args: z.object({ name: z.string().min(1).max(200) }).strict(),
    result: z.object({ restored: z.string(), keptAs: z.string() }),
  },
  'sources.list': {
    summary: 'Sources, newest first, without their text: all of them unless `limit` is given; `tagId`/`projectId` narrow the list. `sources.page` gives the total too.',
    args: SourceListArgs,
    result: z.array(SourceSummary),
  },
  'sources.page': {
    summary: 'A page of the source list (as `sources.list`; `limit` default 100) with the number of sources the filters match.',
    args: SourceListArgs,
    result: pageOf(SourceSummary),
  },
  'sources.backlinks': {
    summary: 'The memos that cite a source (its linked quotes and plain citations), most recently edited first, with where the first cite is. `not_found` for an unknown source.',
    args: ById,
    result: z.array(Backlink),
  },
  'sources.get': {
    summary: 'One source with its text (and sanitized HTML for HTML imports).',
    args: ById,
    result: Source,
  },
  'sources.import': {
    summary: 'Import a file (.txt, .md, .html, .mhtml, .pdf, .docx, .epub) as a new source; the file is kept in the library. `dataBase64` is the file as it is on disk.',
    args: z.object(FileUpload).strict(),
    result: SourceSummary,
  },
  'sources.importUrl': {
    summary: 'Fetch a web page (or a PDF) by its http(s) URL and import it like a file. Offline: `unavailable` with what to do instead.',
    args: z.object({ url: z.string().min(1).max(4000) }).strict(),
    result: SourceSummary,
  },
  'sources.reimport': {
    summary: "Replace a source's text with a new version of its file and re-anchor every quote (metadata is kept). The new file is kept in place of the old.",
    args: z.object({ id: Id, ...FileUpload }).strict(),
    result: z.object({ source: SourceSummary, report: ReanchorReport }),
  },
  'sources.reread': {
    summary: "Read a source's kept original file again (after Verbatim's importer improved) and re-anchor every quote. `not_found` when no original is kept.",
    args: ById,
    result: z.object({ source: SourceSummary, report: ReanchorReport }),
  },
  'sources.suggestQuotes': {
    summary: 'The quotations a source contains, with the speaker each is attributed to, in text order: suggestions to save as quotes.',
    args: ById,
    result: z.array(QuoteSuggestion),
  },
  'sources.updateText': {
    summary: "Replace a source's text with the user's edit (its sanitized HTML is dropped) and re-anchor every quote.",
    args: z.object({ id: Id, text: z.string().max(MAX_PASTE_CHARS) }).strict(),
    result: z.object({ source: SourceSummary, report: ReanchorReport }),
  },
  'sources.importText': {
    summary: 'Turn pasted text into a new source; the title is the first line unless given.',
    args: z.object({ text: z.string().max(MAX_PASTE_CHARS, `The pasted text is longer than Verbatim imports (${MAX_PASTE_CHARS / (1024 * 1024)} M characters).`), title: z.string().max(1000).optional() }).strict(),
    result: SourceSummary,
  },
  'sources.updateMetadata': {
    summary: "Replace a source's CSL-JSON metadata (its id is kept); `citationKey` renames its citation key (unique in the library).",
    args: z.object({ id: Id, csl: CslItem, citationKey: z.string().max(200).optional() }).strict(),
    result: SourceSummary,
  },
  'sources.importBibliography': {
    summary:
      'Read a BibTeX, BibLaTeX, RIS or CSL-JSON file: each entry becomes a source (metadata only), or with `targetSourceId` the first entry becomes that source’s metadata. Entries that cannot be read are reported by line; when none can, nothing changes.',
    args: z.object({ fileName: z.string().min(1).max(1000), text: z.string().max(MAX_IMPORT_BYTES), targetSourceId: Id.optional() }).strict(),
    result: z.object({ created: z.array(SourceSummary), updated: SourceSummary.nullable(), problems: z.array(BibliographyProblem), format: z.string() }),
  },
  'sources.exportBibliography': {
    summary: 'Write the given sources as CSL-JSON, BibTeX, BibLaTeX or RIS, with their citation keys.',
    args: z.object({ ids: z.array(Id).min(1).max(100_000), format: z.enum(BIBLIOGRAPHY_FORMATS) }).strict(),
    result: z.object({ fileName: z.string(), mediaType: z.string(), text: z.string() }),
  },
  'sources.delete': {
    summary: 'Delete a source and its quotes. Memos keep a marked placeholder for each lost quote.',
    args: ById,
    result: z.object({ deletedQuotes: z.number().int().nonnegative() }),
  },
  'quotes.create': {
    summary: "Save the range [start, end) of a source's text as a quote; the store computes the selectors.",
    args: z
      .object({
        sourceId: Id,
        start: z.number().int().nonnegative(),
        end: z.number().int().nonnegative(),
        speaker: z.string().max(500).optional(),
        note: z.string().max(20000).optional(),
      })
      .strict(),
    result: Quote,
  },
  'quotes.list': {
    summary:
      'Quotes matching every filter, newest first (of one source: in text order; with `query`, a full-text search over text, speaker and note: best match first); `sort` orders them otherwise (QUOTE_SORTS); `ids` fetches those quotes; `offset`/`limit` (default 1000) page. `quotes.page` gives the total too.',
    args: QuoteListArgs,
    result: z.array(Quote),
  },
  'quotes.page': {
    summary: 'A page of the quote list (as `quotes.list`; `limit` default 100) with the number of quotes the filters match.',
    args: QuoteListArgs,
    result: pageOf(Quote),
  },
  'quotes.backlinks': {
    summary: 'The memos that use a quote (linked-quote nodes), most recently edited first, with where the first use is. `not_found` for an unknown quote.',
    args: ById,
    result: z.array(Backlink),
  },
  'quotes.update': {
    summary: "Change a quote's speaker, note or locator (its text is the source's and cannot change). An empty paragraph locator is computed again from the quote's position.",
    args: z.object({ id: Id, speaker: z.string().max(500).optional(), note: z.string().max(20000).optional(), locator: z.string().max(100).optional(), locatorLabel: LocatorLabel.optional() }).strict(),
    result: Quote,
  },
  'quotes.cite': {
    summary: 'A quote with its citation in a style, as plain text and HTML, for the clipboard. In a note style the note follows the quote.',
    args: z.object({ id: Id, styleId: z.string().max(200).optional(), locale: MemoSettings.shape.locale.optional() }).strict(),
    result: z.object({ text: z.string(), html: z.string() }),
  },
  'quotes.reanchor': {
    summary: "Anchor a quote to [start, end) of its source's current text: accept a changed quote's new wording, or re-attach an orphan to a selected passage. Its text becomes that passage, verbatim.",
    args: z.object({ id: Id, start: z.number().int().nonnegative(), end: z.number().int().nonnegative() }).strict(),
    result: Quote,
  },
  'quotes.delete': {
    summary: 'Delete a quote. When memos use it, `in_use` naming them and nothing deleted, unless `force`; then it goes and those memos show a marked missing-quote placeholder.',
    args: z.object({ id: Id, force: z.boolean().optional() }).strict(),
    result: z.object({ deleted: z.boolean() }),
  },
  'memos.list': {
    summary: 'Memos, most recently edited first: all of them unless `limit` is given; `projectId` narrows the list. `memos.page` gives the total too.',
    args: MemoListArgs,
    result: z.array(MemoSummary),
  },
  'memos.page': {
    summary: 'A page of the memo list (as `memos.list`; `limit` default 100) with the number of memos the filters match.',
    args: MemoListArgs,
    result: pageOf(MemoSummary),
  },
  'search.query': {
    summary:
      'One search over quotes, sources and memos (FTS5: diacritics folded, the last word a prefix while typing, "phrases" in double quotes, bm25 ranking), grouped by kind, best first, with snippets as text parts. Filters narrow each kind that has them; a kind without a filter asked for (speaker for sources and memos, tag and used for memos) is left out. Any input is safe: operators are taken as words.',
    args: z
      .object({
        q: z.string().max(500),
        kinds: z.array(z.enum(SEARCH_KINDS)).min(1).max(3).optional(),
        filters: z.object(QuoteFilters).strict().optional(),
        limit: z.number().int().min(1).max(200).optional(),
      })
      .strict(),
    result: z.object({
      quotes: z.array(QuoteHit),
      sources: z.array(SourceHit),
      memos: z.array(MemoHit),
      total: z.object({ quotes: z.number().int().nonnegative(), sources: z.number().int().nonnegative(), memos: z.number().int().nonnegative() }),
    }),
  },
  'tags.list': {
    summary: 'Every tag, A-Z, with how many quotes and sources carry it.',
    args: Empty,
    result: z.array(Tag),
  },
  'tags.add': {
    summary: 'Put a tag on quotes and sources, creating it unless one with that name exists (case and Unicode form ignored). `not_found` (nothing changed) when an id names nothing.',
    args: z.object({ name: TagName, quoteIds: IdList.optional(), sourceIds: IdList.optional() }).strict(),
    result: Tag,
  },
  'tags.remove': {
    summary: 'Take a tag off quotes and sources (the tag stays, maybe on nothing). `not_found` for an unknown tag.',
    args: z.object({ tagId: Id, quoteIds: IdList.optional(), sourceIds: IdList.optional() }).strict(),
    result: Tag,
  },
  'tags.rename': {
    summary: 'Rename a tag. Onto the name of another tag: `conflict`, unless `merge`, which merges this tag into that one (as tags.merge).',
    args: z.object({ id: Id, name: TagName, merge: z.boolean().optional() }).strict(),
    result: Tag,
  },
  'tags.merge': {
    summary: 'Merge tags into one in one transaction: everything tagged with any of `fromIds` gets `intoId` (no duplicates), and the `fromIds` tags are deleted.',
    args: z.object({ fromIds: z.array(Id).min(1).max(1000), intoId: Id }).strict(),
    result: Tag,
  },
  'tags.delete': {
    summary: 'Delete a tag; quotes and sources lose it, nothing else changes.',
    args: ById,
    result: z.object({ deleted: z.boolean() }),
  },
  'projects.list': {
    summary: 'Every project, A-Z, with member counts.',
    args: Empty,
    result: z.array(Project),
  },
  'projects.create': {
    summary: 'Create a project. `conflict` when one has that name (case ignored).',
    args: z.object({ name: TagName }).strict(),
    result: Project,
  },
  'projects.rename': {
    summary: 'Rename a project. `conflict` when another has that name.',
    args: z.object({ id: Id, name: TagName }).strict(),
    result: Project,
  },
  'projects.delete': {
    summary: 'Delete a project (the collection only: its sources, quotes and memos stay in the library).',
    args: ById,
    result: z.object({ deleted: z.boolean() }),
  },
  'projects.addItems': {
    summary: 'Add sources, quotes and memos to a project (ones already in it stay once). `not_found` (nothing changed) when an id names nothing.',
    args: ProjectItems,
    result: Project,
  },
  'projects.removeItems': {
    summary: 'Take sources, quotes and memos out of a project (they stay in the library).',
    args: ProjectItems,
    result: Project,
  },
  'memos.create': {
    summary: 'Create an empty memo.',
    args: z.object({ title: z.string().max(500).optional() }).strict(),
    result: Memo,
  },
  'memos.get': {
    summary: 'One memo with its Lexical state.',
    args: ById,
    result: Memo,
  },
  'memos.save': {
    summary: "Save a memo's title and Lexical state in one transaction. `baseRevision` is the revision the edit started from; a stale one gets `conflict`.",
    args: z.object({ id: Id, title: z.string().max(500), content: MemoContent, baseRevision: z.number().int().nonnegative() }).strict(),
    result: z.object({ revision: z.number().int().nonnegative(), updatedAt: z.string() }),
  },
  'memos.updateSettings': {
    summary: "Change a memo's citation style, locale or note placement; its citations and bibliography re-render in that style.",
    args: z.object({ id: Id, citationStyle: z.string().min(1).max(200).optional(), locale: MemoSettings.shape.locale.optional(), notePlacement: z.enum(NOTE_PLACEMENTS).optional() }).strict(),
    result: MemoSettings,
  },
  'memos.delete': {
    summary: 'Delete a memo.',
    args: ById,
    result: z.object({ deleted: z.boolean() }),
  },
  // Memo revisions (issue 5): history kept by memos.save, browsed and restored here.
  'memos.revisions': {
    summary: "A memo's revisions, newest first, without content: saves coalesced into about one revision per 5 minutes of editing, the state before each restore, and edits refused as stale ('conflict').",
    args: ById,
    result: z.array(MemoRevisionSummary),
  },
  'memos.revision': {
    summary: 'One revision of a memo, with its title and Lexical content.',
    args: ById,
    result: MemoRevision,
  },
  'memos.restoreRevision': {
    summary: "In one transaction, keep the memo as it is as a 'before-restore' revision, then make the revision's title and content current (revision counter + 1). A stale `baseRevision` gets `conflict` and changes nothing.",
    args: z.object({ memoId: Id, revisionId: Id, baseRevision: z.number().int().nonnegative() }).strict(),
    result: Memo,
  },
  'citations.render': {
    summary:
      'Render the cites of one memo in document order with citeproc-js (one engine state per call, so ibid., note numbers and disambiguation hold), and its bibliography, in a style and locale (default APA 7, the style’s locale).',
    args: z.object({ styleId: z.string().min(1).max(200).optional(), locale: MemoSettings.shape.locale.optional(), cites: z.array(CiteRef).max(5000) }).strict(),
    result: z.object({
      style: StyleSummary,
      bibliographyHeading: z.string().nullable(),
      citations: z.array(RenderedCite),
      bibliography: z.array(RenderedCitation),
    }),
  },
  'styles.list': {
    summary: 'The citation styles: the built-in ones, then those the user added.',
    args: Empty,
    result: z.array(StyleSummary),
  },
  'styles.add': {
    summary: 'Check a CSL style file and add it to the library (`invalid_style` with the reason when it cannot be used).',
    args: z.object({ fileName: z.string().min(1).max(1000), xml: z.string().min(1).max(2 * 1024 * 1024) }).strict(),
    result: StyleSummary,
  },
  'styles.remove': {
    summary: 'Remove a style the user added; memos that used it go back to APA 7.',
    args: ById.extend({ id: z.string().min(1).max(200) }),
    result: z.object({ removed: z.boolean() }),
  },
  'memos.exportPdf': {
    summary: 'Print a memo to PDF (title, body, block quotations with citations, References, page numbers).',
    args: ById,
    result: z.object({ fileName: z.string(), pdfBase64: Base64, byteLength: z.number().int().positive() }),
  },
  'host.saveFile': {
    summary: 'Ask the user where to save a file (.pdf, .bib, .ris or .json; anything else is saved as .pdf) and write it (Electron: a save dialog). The web host answers `unsupported`; the browser downloads instead.',
    args: z.object({ suggestedName: z.string().min(1).max(255), dataBase64: Base64 }).strict(),
    result: z.object({ savedTo: z.string().nullable() }),
  },
} satisfies Record<MethodName, { summary: string; args: z.ZodType; result: z.ZodType }>;

/** The contract's type. */
export type Contract = typeof contract;

/** Argument type of a method (what the caller passes). */
export type ArgsOf<M extends MethodName> = z.input<Contract[M]['args']>;

/** Result type of a method (what the caller gets back). */
export type ResultOf<M extends MethodName> = z.output<Contract[M]['result']>;

// Compile-time check that METHOD_NAMES and the contract's keys are the same set.
type _SameKeys = [keyof Contract] extends [MethodName] ? ([MethodName] extends [keyof Contract] ? true : never) : never;
const _sameKeys: _SameKeys = true;
void _sameKeys;

/** True when `name` is a method of the contract (a guard for untrusted input). */
export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && (METHOD_NAMES as readonly string[]).includes(name);
}

/**
 * A typed client for the contract: one function per method, each returning the
 * value or throwing {@link ApiError}. Both hosts' clients are built with
 * {@link makeClient} from a transport.
 */
export type VerbatimApi = { [M in MethodName]: (args: ArgsOf<M>) => Promise<ResultOf<M>> };

/** Something that carries one call to a host and returns its {@link CallResult}. */
export type Transport = (method: MethodName, args: unknown) => Promise<CallResult<unknown>>;

/** Build a {@link VerbatimApi} over a transport; errors come back as thrown {@link ApiError}. */
export function makeClient(transport: Transport): VerbatimApi {
  const api = {} as Record<MethodName, (args: unknown) => Promise<unknown>>;
  for (const name of METHOD_NAMES) {
    api[name] = async (args: unknown) => {
      const result = await transport(name, args ?? {});
      if (result.ok) return result.value;
      throw new ApiError(result.error.code, result.error.message);
    };
  }
  return api as unknown as VerbatimApi;
}
