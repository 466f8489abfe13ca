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

/**
 * A CSL-JSON name. Either a personal name (family/given with optional particles)
 * or an institutional name kept whole in `literal` (e.g. "Amazon Web Services").
 */
export const CslName = z.looseObject({
  family: z.string().optional(),
  given: z.string().optional(),
  'dropping-particle': z.string().optional(),
  'non-dropping-particle': z.string().optional(),
  suffix: z.string().optional(),
  literal: z.string().optional(),
});
export type CslName = z.infer<typeof CslName>;

/**
 * A CSL-JSON date: `date-parts` is [[year, month?, day?]] (month 1-12, day 1-31);
 * `raw` and `literal` carry dates that could not be parsed; `circa` marks an approximate date.
 */
export const CslDate = z.looseObject({
  'date-parts': z.array(z.array(z.union([z.number().int(), z.string()])).min(1).max(3)).min(1).max(2).optional(),
  raw: z.string().optional(),
  literal: z.string().optional(),
  circa: z.union([z.boolean(), z.string(), z.number()]).optional(),
});
export type CslDate = z.infer<typeof CslDate>;

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

/**
 * A CSL-JSON item. Only the fields Verbatim edits are typed; any other CSL
 * variable is kept as it came (looseObject), so nothing is lost on a round trip.
 * `id` is set by the store to the source's id.
 */
export const CslItem = z.looseObject({
  id: z.string().optional(),
  type: z.string().default('article-newspaper'),
  title: z.string().optional(),
  author: z.array(CslName).optional(),
  'container-title': z.string().optional(),
  publisher: z.string().optional(),
  issued: CslDate.optional(),
  accessed: CslDate.optional(),
  URL: z.string().optional(),
  language: z.string().optional(),
});
export type CslItem = z.infer<typeof CslItem>;

/** Where a source's text came from. `mediaType` is the IANA media type read. */
export const SourceOrigin = z.object({
  kind: z.enum(['sample', 'file', 'paste']),
  fileName: z.string().nullable(),
  mediaType: z.string(),
  byteLength: z.number().int().nonnegative(),
});
export type SourceOrigin = z.infer<typeof SourceOrigin>;

/** A source as listed in the library: no text, with its rendered reference. */
export const SourceSummary = z.object({
  id: Id,
  csl: CslItem,
  /** The source's title, or "Untitled source" when the CSL item has none. */
  title: z.string(),
  quoteCount: z.number().int().nonnegative(),
  /** Length of `text` in UTF-16 code units. */
  textLength: z.number().int().nonnegative(),
  origin: SourceOrigin,
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
});
export type Source = z.infer<typeof Source>;

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
  speaker: z.string(),
  note: z.string(),
  citation: z.string(),
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

/**
 * A serialized Lexical editor state: `{ root: { type: 'root', children: [...] } }`.
 * Validated loosely here (Lexical owns its node formats); `shared/memoDocument.ts`
 * reads it for export.
 */
export const MemoContent = z.looseObject({
  root: z.looseObject({
    type: z.literal('root'),
    children: z.array(z.looseObject({ type: z.string() })),
  }),
});
export type MemoContent = z.infer<typeof MemoContent>;

/**
 * A whole memo. `revision` counts saves (starts at 0); a save names the revision it
 * was based on so that two windows cannot overwrite each other unseen.
 */
export const Memo = MemoSummary.extend({
  content: MemoContent,
  revision: z.number().int().nonnegative(),
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
 * calendar dates, year 1-9999), into a CSL date. '' gives undefined (no date).
 * @throws Error with a message for the user when the text is not such a date.
 */
export function cslDateFromInput(input: string): CslDate | undefined {
  const value = input.trim();
  if (value === '') return undefined;
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

/** A CSL date as "YYYY", "YYYY-MM" or "YYYY-MM-DD" for a form field; `raw`/`literal` as they are; '' for none. */
export function cslDateToInput(date: CslDate | undefined): string {
  if (!date) return '';
  const parts = date['date-parts']?.[0];
  if (parts && parts.length > 0) {
    return parts.map((p, i) => (i === 0 ? String(p).padStart(4, '0') : String(p).padStart(2, '0'))).join('-');
  }
  return date.raw ?? date.literal ?? '';
}
