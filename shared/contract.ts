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
import { CslItem, Id, LocatorLabel, Memo, MemoContent, MemoSettings, MemoSummary, NOTE_PLACEMENTS, Quote, Source, SourceSummary, StoredMemoContent } from './model';

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
  'conflict', // a memo save based on an older revision
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
    summary: 'All sources, newest first, without their text.',
    args: Empty,
    result: z.array(SourceSummary),
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
    summary: 'Quotes, newest first; `sourceId` narrows to one source, `query` is a full-text search (FTS5) over text, speaker and note; `ids` fetches those quotes.',
    args: z
      .object({
        sourceId: Id.optional(),
        query: z.string().max(500).optional(),
        ids: z.array(Id).max(5000).optional(),
        limit: z.number().int().min(1).max(5000).optional(),
      })
      .strict(),
    result: z.array(Quote),
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
    summary: 'Delete a quote. Memos that use it show a marked placeholder.',
    args: ById,
    result: z.object({ deleted: z.boolean() }),
  },
  'memos.list': {
    summary: 'All memos, most recently edited first.',
    args: Empty,
    result: z.array(MemoSummary),
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
