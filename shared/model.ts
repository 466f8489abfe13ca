/**
 * Verbatim's data model, in the field's standard terms.
 *
 * - Bibliographic metadata is a CSL-JSON item (Citation Style Language 1.0.2,
 *   https://docs.citationstyles.org/en/stable/specification.html#appendix-iv-variables).
 * - A quote is a W3C Web Annotation on a source's text, located by a
 *   TextQuoteSelector and a TextPositionSelector (https://www.w3.org/TR/annotation-model/#selectors).
 * - A memo is a Lexical editor state, persisted as its JSON serialization.
 *
 * Types are derived from the zod schemas (`z.infer`) and never written twice.
 * Pure module: no Node, no DOM, no Electron.
 */
import { z } from 'zod';

/** An opaque identifier (a UUID made by the store). */
export const Id = z.string().min(1).max(100);

/** ISO 8601 timestamp string in UTC, e.g. "2026-11-29T12:00:00.000Z". */
export const Timestamp = z.string();

/** Longest value Verbatim accepts in one CSL field (characters). */
const CSL_TEXT_MAX = 20_000;

const CslText = z.string().max(CSL_TEXT_MAX);

/**
 * A CSL-JSON name. Either a personal name (family/given with optional particles)
 * or an institutional name kept whole in `literal` (e.g. "Amazon Web Services").
 * Every part is a string (citeproc-js fails on anything else), and a name has at
 * least one of family, given or literal.
 */
export const CslName = z
  .object({
    family: CslText.optional(),
    given: CslText.optional(),
    'dropping-particle': CslText.optional(),
    'non-dropping-particle': CslText.optional(),
    suffix: CslText.optional(),
    literal: CslText.optional(),
    'comma-suffix': z.union([z.boolean(), z.string(), z.number()]).optional(),
    'static-ordering': z.union([z.boolean(), z.string(), z.number()]).optional(),
    'parse-names': z.union([z.boolean(), z.string(), z.number()]).optional(),
  })
  .strict()
  .refine((n) => [n.family, n.given, n.literal].some((v) => v !== undefined && v.trim() !== ''), 'a name needs a family name, a given name or a literal (institutional) name');
export type CslName = z.infer<typeof CslName>;

const DatePart = z.union([z.number().int(), z.string().regex(/^-?\d{1,4}$/)]);

/**
 * A CSL-JSON date: `date-parts` is [[year, month?, day?]] (month 1-12, day 1-31), or two
 * such for a range; `raw` and `literal` carry dates that could not be parsed; `circa`
 * marks an approximate date; `season` 1-4 or a name.
 */
export const CslDate = z
  .object({
    'date-parts': z
      .array(
        z
          .array(DatePart)
          .min(1)
          .max(3)
          .refine((p) => p.length < 2 || (Number(p[1]) >= 1 && Number(p[1]) <= 12), 'the month must be 1 to 12')
          .refine((p) => p.length < 3 || (Number(p[2]) >= 1 && Number(p[2]) <= 31), 'the day must be 1 to 31'),
      )
      .min(1)
      .max(2)
      .optional(),
    raw: CslText.optional(),
    literal: CslText.optional(),
    circa: z.union([z.boolean(), z.string(), z.number()]).optional(),
    season: z.union([z.string(), z.number()]).optional(),
  })
  .strict();
export type CslDate = z.infer<typeof CslDate>;

/**
 * CSL 1.0.2 locator terms a quote or citation may use (appendix III, "Locators"), most
 * used first. citeproc-js prints them per style and locale: "p. 4", "para. 7", "S. 4".
 */
export const LOCATOR_LABELS = ['paragraph', 'page', 'section', 'chapter', 'line', 'note', 'figure', 'table', 'column', 'folio', 'volume', 'number', 'part', 'timestamp'] as const;
export type LocatorLabel = (typeof LOCATOR_LABELS)[number];
export const LocatorLabel = z.enum(LOCATOR_LABELS);

/** A locator term from a stored node or file; one Verbatim does not know becomes "page" (CSL's default locator). */
export function locatorLabelOrPage(label: string): LocatorLabel {
  return (LOCATOR_LABELS as readonly string[]).includes(label) ? (label as LocatorLabel) : 'page';
}

/** A BCP 47 language tag as CSL and HTML use them: "en", "en-US", "de-DE", "zh-Hant-TW". */
export const LANGUAGE_TAG_PATTERN = /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*$/;

/** A DOI without the resolver or "doi:" in front ("https://doi.org/10.1/x" → "10.1/x"), as CSL's DOI variable holds it. */
export function bareDoi(doi: string): string {
  return doi.trim().replace(/^(https?:\/\/(dx\.)?doi\.org\/|doi:\s*)/i, '');
}

/** `value` with `fn` applied to every string in it, through arrays and plain objects (keys untouched). */
export function mapStrings<T>(value: T, fn: (text: string) => string): T {
  if (typeof value === 'string') return fn(value) as T;
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, fn)])) as T;
  return value;
}

/** CSL 1.0.2 name variables (appendix IV). */
export const CSL_NAME_VARIABLES = [
  'author', 'chair', 'collection-editor', 'compiler', 'composer', 'container-author', 'contributor', 'curator', 'director', 'editor',
  'editorial-director', 'executive-producer', 'guest', 'host', 'illustrator', 'interviewer', 'narrator', 'organizer', 'original-author',
  'performer', 'producer', 'recipient', 'reviewed-author', 'script-writer', 'series-creator', 'translator',
] as const;

/** CSL 1.0.2 date variables (appendix IV). */
export const CSL_DATE_VARIABLES = ['accessed', 'available-date', 'event-date', 'issued', 'original-date', 'submitted'] as const;

/** The CSL item types Verbatim offers in its metadata form (a subset of CSL 1.0.2's list). */
export const CSL_TYPES = [
  'article-newspaper',
  'article-magazine',
  'article-journal',
  'webpage',
  'post-weblog',
  'report',
  'book',
  'chapter',
  'legal_case',
  'legislation',
  'document',
] as const;

/** What a CSL `URL` may be: an absolute http(s) address without spaces, quotation marks, angle brackets or the like. */
export const CSL_URL_PATTERN = /^https?:\/\/[^\s"<>\\^`{|}]+$/i;

const Names = z.array(CslName).max(1000).optional();
const NAME_SHAPE = Object.fromEntries(CSL_NAME_VARIABLES.map((v) => [v, Names])) as Record<(typeof CSL_NAME_VARIABLES)[number], typeof Names>;
const DATE_SHAPE = Object.fromEntries(CSL_DATE_VARIABLES.map((v) => [v, CslDate.optional()])) as Record<(typeof CSL_DATE_VARIABLES)[number], z.ZodOptional<typeof CslDate>>;

/**
 * A CSL-JSON item (CSL 1.0.2). Name variables hold {@link CslName} lists, date variables
 * {@link CslDate}s, and every other variable a string or a number, as citeproc-js
 * expects; anything else is refused here rather than failing later in a citation.
 * Variables Verbatim does not edit are kept as they came. `id` is set by the store to
 * the source's id.
 */
const CslItemKnown = z.object({
    id: z.union([z.string(), z.number()]).optional(),
    type: z.string().max(100).default('article-newspaper'),
    title: CslText.optional(),
    'container-title': CslText.optional(),
    publisher: CslText.optional(),
    URL: z.string().max(4000).regex(CSL_URL_PATTERN, 'the URL must be an http or https address without spaces, quotation marks or angle brackets').optional(),
    language: z.string().max(100).optional(),
    ...NAME_SHAPE,
    ...DATE_SHAPE,
  });

/** A CSL-JSON item: the typed variables above, plus any other CSL variable (string or number). */
export type CslItem = z.infer<typeof CslItemKnown> & { [variable: string]: unknown };

export const CslItem: z.ZodType<CslItem, z.input<typeof CslItemKnown> & { [variable: string]: unknown }> = CslItemKnown.catchall(
  z.union([CslText, z.number()]),
) as never;

/** Where a source's text came from. `mediaType` is the IANA media type read. */
export const SourceOrigin = z.object({
  kind: z.enum(['sample', 'file', 'paste', 'bibliography', 'url']),
  fileName: z.string().nullable(),
  /** For kind "url": the address the page was fetched from (after redirects). */
  url: z.string().optional(),
  mediaType: z.string(),
  byteLength: z.number().int().nonnegative(),
});
export type SourceOrigin = z.infer<typeof SourceOrigin>;

/** Where one page of a paged original starts in the source's text: a UTF-16 offset, and the page's label as printed ("iv", "12"). */
export const SourcePage = z.object({ start: z.number().int().nonnegative(), label: z.string().min(1) });
export type SourcePage = z.infer<typeof SourcePage>;

/**
 * A tag as attached to a quote or source (issue 6): its id and display name. Names are
 * unique in the library compared after NFC normalization and lower-casing
 * ({@link tagNameKey}); the display name keeps the case it was created or renamed with.
 */
export const TagRef = z.object({ id: Id, name: z.string() });
export type TagRef = z.infer<typeof TagRef>;

/** Longest tag or project name, in UTF-16 code units. */
export const MAX_TAG_NAME = 100;

/**
 * A tag or project name as stored: NFC, trimmed, inner runs of white space made one space.
 * @throws Error with a message for the user when nothing is left or it is longer than {@link MAX_TAG_NAME}.
 */
export function cleanName(name: string, what: 'tag' | 'project'): string {
  const clean = name.normalize('NFC').replace(/\s+/gu, ' ').trim();
  if (clean === '') throw new Error(`A ${what} needs a name.`);
  if (clean.length > MAX_TAG_NAME) throw new Error(`A ${what} name can be at most ${MAX_TAG_NAME} characters.`);
  return clean;
}

/** The key two tag (or project) names are compared by: {@link cleanName}'s form, lower-cased (Unicode, not just ASCII). "Économie" and "économie" are one tag. */
export function tagNameKey(cleanedName: string): string {
  return cleanedName.toLowerCase().normalize('NFC');
}

/** A source as listed in the library: no text, with its rendered reference. */
export const SourceSummary = z.object({
  id: Id,
  csl: CslItem,
  /**
   * The source's citation key: author, year and first title word ("paul2021parler"), unique
   * in the library and kept when the metadata changes, so pandoc's `[@key]` stays valid.
   */
  citationKey: z.string(),
  /** The source's title, or "Untitled source" when the CSL item has none. */
  title: z.string(),
  quoteCount: z.number().int().nonnegative(),
  /** Length of `text` in UTF-16 code units. */
  textLength: z.number().int().nonnegative(),
  /** How many of its quotes need the user: changed (the wording moved on) or orphaned (not found) after the text changed. */
  needsReview: z.number().int().nonnegative(),
  /** True when the file it was imported from is kept in the library (it can be read again). */
  hasOriginal: z.boolean(),
  origin: SourceOrigin,
  /** The source's tags, by name (issue 6). */
  tags: z.array(TagRef),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type SourceSummary = z.infer<typeof SourceSummary>;

/**
 * A whole source. `text` is the text quotes are anchored in (offsets are UTF-16
 * code units, as in JavaScript strings and the DOM); `html` is the sanitized
 * article HTML for sources imported from HTML, otherwise null. `contentHash` is
 * the SHA-256 of `text`, hex.
 */
export const Source = SourceSummary.extend({
  text: z.string(),
  html: z.string().nullable(),
  contentHash: z.string(),
  /** For paged originals (PDF): where each page starts in `text`, in order; null otherwise. */
  pages: z.array(SourcePage).nullable(),
});
export type Source = z.infer<typeof Source>;

/** Where a quote stands against its source's current text (see `anchorQuote` in shared/selectors.ts). */
export const ANCHOR_STATUSES = ['anchored', 'changed', 'orphaned'] as const;

/**
 * A quote's anchoring: `anchored` (its text is at `textPosition`), `changed` (only an
 * approximate match was found: `candidate` is that passage and its text, waiting for the
 * user to accept it; `exact` keeps the old wording meanwhile) or `orphaned` (the passage
 * is gone from the source; the quote is kept, with its last known position).
 */
export const QuoteAnchor = z.object({
  status: z.enum(ANCHOR_STATUSES),
  candidate: z.object({ exact: z.string(), start: z.number().int().nonnegative(), end: z.number().int().nonnegative() }).nullable(),
});
export type QuoteAnchor = z.infer<typeof QuoteAnchor>;

/** W3C TextQuoteSelector: the exact text with a little context either side. */
export const TextQuoteSelector = z.object({
  type: z.literal('TextQuoteSelector'),
  exact: z.string().min(1),
  prefix: z.string(),
  suffix: z.string(),
});
export type TextQuoteSelector = z.infer<typeof TextQuoteSelector>;

/** W3C TextPositionSelector: [start, end) offsets into the source's text, UTF-16 code units. */
export const TextPositionSelector = z.object({
  type: z.literal('TextPositionSelector'),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
});
export type TextPositionSelector = z.infer<typeof TextPositionSelector>;

/**
 * A saved quote. `exact` (inside `textQuote`) is verbatim from the source:
 * curly quotes, apostrophes and dashes are kept as they are.
 * `citation` is the in-text citation in the default style (plain text), rendered by citeproc-js.
 */
export const Quote = z.object({
  id: Id,
  sourceId: Id,
  sourceTitle: z.string(),
  textQuote: TextQuoteSelector,
  textPosition: TextPositionSelector,
  /** Where the quote sits in its source, as a CSL locator: `locator` "7" with `locatorLabel` "paragraph" (default, computed from its position) or "page". '' for none. */
  locator: z.string(),
  locatorLabel: LocatorLabel,
  anchor: QuoteAnchor,
  speaker: z.string(),
  note: z.string(),
  citation: z.string(),
  /** The quote's tags, by name (issue 6). */
  tags: z.array(TagRef),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Quote = z.infer<typeof Quote>;

/** A memo as listed in the library. */
export const MemoSummary = z.object({
  id: Id,
  title: z.string(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type MemoSummary = z.infer<typeof MemoSummary>;

/** Node types a memo may hold: Lexical's rich-text, list and link nodes, and Verbatim's linked quote. */
export const MEMO_NODE_TYPES = ['paragraph', 'heading', 'quote', 'list', 'listitem', 'text', 'linebreak', 'tab', 'link', 'autolink', 'linked-quote', 'citation'] as const;

const LEAF_NODE_TYPES = new Set(['text', 'linebreak', 'tab', 'linked-quote', 'citation']);

/** Node types that may stand directly under the root (Lexical's root holds blocks only). */
const BLOCK_NODE_TYPES = new Set(['paragraph', 'heading', 'quote', 'list', 'linked-quote']);

/** How deep a memo's nodes may nest (lists in lists in lists...). Lexical documents written by hand rarely pass 10. */
export const MEMO_MAX_DEPTH = 40;

/** Why a memo document is not one Verbatim can edit, or null when it is fine. Iterative, so any depth is safe. */
export function memoContentProblem(content: { root: { children: unknown[] } }): string | null {
  const stack: { node: unknown; depth: number; path: string }[] = content.root.children.map((node, i) => ({ node, depth: 1, path: `root.children.${i}` }));
  const known = new Set<string>(MEMO_NODE_TYPES);
  while (stack.length > 0) {
    const { node, depth, path } = stack.pop()!;
    if (depth > MEMO_MAX_DEPTH) return `${path}: nodes nest deeper than ${MEMO_MAX_DEPTH} levels`;
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return `${path}: not a node`;
    const record = node as Record<string, unknown>;
    if (typeof record.type !== 'string' || !known.has(record.type)) return `${path}: unknown node type ${JSON.stringify(record.type)}`;
    if (record.type === 'text' && typeof record.text !== 'string') return `${path}: a text node without text`;
    if (record.type === 'linked-quote' && (typeof record.quoteId !== 'string' || record.quoteId === '' || typeof record.sourceId !== 'string' || record.sourceId === '' || typeof record.snapshot !== 'string')) {
      return `${path}: a linked quote needs string quoteId, sourceId and snapshot`;
    }
    // Version 2 adds the writer's shortening (null: the quote in full); version 1 has none.
    if (record.type === 'linked-quote' && record.shortened !== undefined && record.shortened !== null && typeof record.shortened !== 'string') {
      return `${path}: a linked quote's shortened text must be a string or null`;
    }
    if (depth === 1 && !BLOCK_NODE_TYPES.has(record.type)) return `${path}: a ${record.type} node cannot stand at the top level of a memo (only paragraphs, headings, quotes, lists and linked quotes can)`;
    if ((record.type === 'citation' || record.type === 'linked-quote') && typeof record.version !== 'number') return `${path}: a ${record.type} node needs a numeric version`;
    if (record.type === 'citation') {
      if (typeof record.sourceId !== 'string' || record.sourceId === '') return `${path}: a citation needs a non-empty string sourceId`;
      for (const [key, max] of [['locator', 1000], ['label', 100], ['prefix', 1000], ['suffix', 1000]] as const) {
        if (record[key] !== undefined && (typeof record[key] !== 'string' || record[key].length > max)) return `${path}: a citation's ${key} must be a string of at most ${max} characters`;
      }
      if (record.suppressAuthor !== undefined && typeof record.suppressAuthor !== 'boolean') return `${path}: a citation's suppressAuthor must be true or false`;
    }
    if (record.children !== undefined && LEAF_NODE_TYPES.has(record.type)) return `${path}: a ${record.type} node has no children`;
    if (record.children !== undefined) {
      if (!Array.isArray(record.children)) return `${path}.children: not a list`;
      record.children.forEach((child, i) => stack.push({ node: child, depth: depth + 1, path: `${path}.children.${i}` }));
    }
  }
  return null;
}

/**
 * A serialized Lexical editor state as stored: `{ root: { type: 'root', children: [...] } }`.
 * `shared/memoDocument.ts` reads it for export.
 */
export const StoredMemoContent = z.looseObject({
  root: z.looseObject({
    type: z.literal('root'),
    children: z.array(z.unknown()).max(100_000),
  }),
});

/**
 * What a memo save must be: a document Verbatim's editor can open, whose nodes are all of
 * {@link MEMO_NODE_TYPES}, nested at most {@link MEMO_MAX_DEPTH} deep. (Stored documents are
 * read as {@link StoredMemoContent}, so one damaged in the file still reaches the editor,
 * which says what it cannot read instead of the memo vanishing.)
 */
export const MemoContent = StoredMemoContent.superRefine((content, ctx) => {
  const problem = memoContentProblem(content);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
export type MemoContent = z.infer<typeof MemoContent>;

/** Where a note style's notes go in a memo's PDF: at the foot of each page, or all together before the bibliography. */
export const NOTE_PLACEMENTS = ['footnotes', 'endnotes'] as const;

/**
 * How a memo cites: its CSL style (a built-in id such as "apa" or a style the user
 * added), its locale ('' for the style's default-locale, else a tag such as "de-DE"),
 * and, for note styles, where the notes are printed.
 */
export const MemoSettings = z.object({
  citationStyle: z.string().min(1).max(200),
  locale: z.string().max(20).refine((v) => v === '' || LANGUAGE_TAG_PATTERN.test(v), 'a locale is a language tag such as en-US'),
  notePlacement: z.enum(NOTE_PLACEMENTS),
});
export type MemoSettings = z.infer<typeof MemoSettings>;

/** The settings of a new memo: APA 7, its own locale, footnotes. */
export const DEFAULT_MEMO_SETTINGS: MemoSettings = { citationStyle: 'apa', locale: '', notePlacement: 'footnotes' };

/**
 * A whole memo. `revision` counts saves (starts at 0); a save names the revision it
 * was based on so that two windows cannot overwrite each other unseen.
 */
export const Memo = MemoSummary.extend({
  content: StoredMemoContent,
  revision: z.number().int().nonnegative(),
  settings: MemoSettings,
});
export type Memo = z.infer<typeof Memo>;

/** An empty memo document: one empty paragraph, as Lexical itself creates. */
export function emptyMemoContent(): MemoContent {
  return {
    root: {
      type: 'root',
      version: 1,
      direction: null,
      format: '',
      indent: 0,
      children: [
        { type: 'paragraph', version: 1, direction: null, format: '', indent: 0, children: [], textFormat: 0, textStyle: '' },
      ],
    },
  };
}

/** The title shown for a source whose CSL item has no title. */
export const UNTITLED_SOURCE = 'Untitled source';

/** A source's display title: the CSL title, trimmed, or {@link UNTITLED_SOURCE}. */
export function sourceTitle(csl: CslItem): string {
  const t = (csl.title ?? '').trim();
  return t.length > 0 ? t : UNTITLED_SOURCE;
}

/**
 * Parse what a user types as a date, "YYYY", "YYYY-MM" or "YYYY-MM-DD" (ISO 8601
 * calendar dates, year 1-9999), into a CSL date. An approximate date is written
 * "ca. 1920", "circa 1920" or "1920~" (EDTF's approximate mark) and gets CSL's `circa`;
 * a range is two dates joined by "/" (EDTF's interval), "2000-03-15/2000-03-17".
 * '' gives undefined (no date).
 * @throws Error with a message for the user when the text is not such a date.
 */
export function cslDateFromInput(input: string): CslDate | undefined {
  let value = input.trim();
  if (value === '') return undefined;
  // A range, "2000-03-15/2000-03-17" (EDTF's interval): both ends as CSL date-parts.
  const ends = value.split('/');
  if (ends.length === 2) {
    const [from, to] = ends.map((end) => cslDateFromInput(end));
    if (!from || !to) throw new Error(`“${value}”: a range needs a date on both sides of “/”.`);
    return { 'date-parts': [from['date-parts']![0]!, to['date-parts']![0]!], ...(from.circa || to.circa ? { circa: true } : {}) };
  }
  const approximate = /^(?:ca?\.|circa|approx\.?)\s*/i.exec(value) ?? /~$/.exec(value);
  if (approximate) {
    value = value.replace(approximate[0], '').trim();
    const exact = cslDateFromInput(value);
    if (!exact) throw new Error(`“${input.trim()}” has no date after “${approximate[0].trim()}”.`);
    return { ...exact, circa: true };
  }
  const m = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/.exec(value);
  if (!m) throw new Error(`“${value}” is not a date: write YYYY, YYYY-MM or YYYY-MM-DD.`);
  const year = Number(m[1]);
  const month = m[2] ? Number(m[2]) : undefined;
  const day = m[3] ? Number(m[3]) : undefined;
  if (year < 1) throw new Error(`“${value}”: the year must be 1 or later.`);
  if (month !== undefined && (month < 1 || month > 12)) throw new Error(`“${value}”: the month must be 1 to 12.`);
  if (day !== undefined && month !== undefined) {
    const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
    if (day < 1 || day > days) throw new Error(`“${value}”: that month has ${days} days.`);
  }
  return { 'date-parts': [[year, ...(month !== undefined ? [month] : []), ...(day !== undefined ? [day] : [])]] };
}

/** A CSL date as "YYYY", "YYYY-MM" or "YYYY-MM-DD" (a range as two joined by "/", with "ca. " when approximate) for a form field; `raw`/`literal` as they are; '' for none. */
export function cslDateToInput(date: CslDate | undefined): string {
  if (!date) return '';
  const parts = date['date-parts'];
  if (parts && parts.length > 0 && parts[0]!.length > 0) {
    const one = (p: readonly (string | number)[]) => p.map((n, i) => (i === 0 ? String(n).padStart(4, '0') : String(n).padStart(2, '0'))).join('-');
    const text = parts.slice(0, 2).map(one).join('/');
    return date.circa && date.circa !== 'false' && date.circa !== 0 ? `ca. ${text}` : text;
  }
  return date.raw ?? date.literal ?? '';
}
