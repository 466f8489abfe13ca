/**
 * W3C Web Annotation selectors over a source's text
 * (https://www.w3.org/TR/annotation-model/#text-quote-selector and #text-position-selector).
 *
 * Offsets are UTF-16 code units into the source's stored text, [start, end), as
 * JavaScript strings and DOM Ranges count them. Pure functions; no DOM.
 */
import { ApiError } from './contract';
import type { TextPositionSelector, TextQuoteSelector } from './model';
import { normalizedText, normalizeForMatching, toNormalizedOffset, toVerbatimRange, type NormalizedText } from './normalize';
import approxSearch from 'approx-string-match';

/** How many characters of context a TextQuoteSelector keeps on each side (Hypothesis uses 32). */
export const SELECTOR_CONTEXT_CHARS = 32;

/** The two selectors that locate a quote. */
export interface QuoteSelectors {
  textQuote: TextQuoteSelector;
  textPosition: TextPositionSelector;
}

const isSpace = (ch: string): boolean => /\s/u.test(ch);
/** A letter, number, punctuation mark or symbol: something a reader can see (not only spaces, zero-width or combining marks). */
const VISIBLE = /[\p{L}\p{N}\p{P}\p{S}]/u;
const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;

/**
 * Describe the range [start, end) of `text` by a TextQuoteSelector and a TextPositionSelector.
 *
 * Whitespace at either edge of the range is left out (a reader selection often
 * catches a trailing space or line break); what remains is kept verbatim: curly
 * quotes, apostrophes, dashes and inner line breaks are not touched. A range edge
 * inside a surrogate pair is moved outward so no character is cut in half.
 *
 * Prefix and suffix never cut a surrogate pair either (a half pair cannot be stored).
 *
 * @throws ApiError `invalid_selection` when the range lies outside the text or holds
 *   nothing visible (only white space, zero-width characters or lone combining marks).
 */
export function describeTextRange(text: string, start: number, end: number, contextChars = SELECTOR_CONTEXT_CHARS): QuoteSelectors {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > text.length || start >= end) {
    throw new ApiError('invalid_selection', `The selection [${start}, ${end}) does not lie inside the source's text (length ${text.length}).`);
  }
  let s = start;
  let e = end;
  if (s > 0 && isLowSurrogate(text.charCodeAt(s))) s -= 1;
  if (e < text.length && isLowSurrogate(text.charCodeAt(e))) e += 1;
  while (s < e && isSpace(text[s]!)) s += 1;
  while (e > s && isSpace(text[e - 1]!)) e -= 1;
  if (s >= e || !VISIBLE.test(text.slice(s, e))) {
    throw new ApiError('invalid_selection', 'The selection holds no text, only white space. Select the words you want to quote.');
  }
  // Context that would start or end inside a surrogate pair takes one unit less.
  let prefixStart = Math.max(0, s - contextChars);
  if (prefixStart > 0 && isLowSurrogate(text.charCodeAt(prefixStart))) prefixStart += 1;
  let suffixEnd = Math.min(text.length, e + contextChars);
  if (suffixEnd < text.length && isLowSurrogate(text.charCodeAt(suffixEnd))) suffixEnd -= 1;
  return {
    textQuote: {
      type: 'TextQuoteSelector',
      exact: text.slice(s, e),
      prefix: text.slice(prefixStart, s),
      suffix: text.slice(e, suffixEnd),
    },
    textPosition: { type: 'TextPositionSelector', start: s, end: e },
  };
}

function commonSuffixLength(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n += 1;
  return n;
}

function commonPrefixLength(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n += 1;
  return n;
}

/**
 * Where a quote was found, and how:
 * - `anchored`: the text at [start, end) equals the quote's `exact`, verbatim or under
 *   the normalized view (`shared/normalize.ts`: quote styles, dashes, white space,
 *   hyphenation); `exact` is the text there now, verbatim. `method` says which selector
 *   held: the TextPositionSelector, or the TextQuoteSelector (the passage moved, or only
 *   its typography changed).
 * - `changed`: only an approximate match was found (the wording changed); [start, end)
 *   is that passage and `exact` its text now; `similarity` is 1 − edits / length of the
 *   quote, in the normalized view (at least {@link FUZZY_MIN_SIMILARITY}).
 * - `orphaned`: the passage is not in the text any more.
 */
export type AnchorOutcome =
  | { status: 'anchored'; method: 'position' | 'quote'; start: number; end: number; exact: string }
  | { status: 'changed'; method: 'fuzzy'; start: number; end: number; exact: string; similarity: number }
  | { status: 'orphaned' };

/** A fuzzy match must keep at least this share of the quote (1 − edits / length) to count; below it the quote is an orphan. */
export const FUZZY_MIN_SIMILARITY = 0.7;

/** How far (characters, each side, at least) around its old place a quote is first looked for fuzzily. */
export const FUZZY_NEAR_CHARS = 5_000;

/** A fuzzy match near the old place with at least this similarity is taken without searching the whole text. */
export const FUZZY_NEAR_ENOUGH = 0.9;

/** Quotes shorter than this (normalized) are never matched fuzzily: a few letters with errors match anywhere. */
export const FUZZY_MIN_LENGTH = 12;

/**
 * Find where a quote sits in `text` now. The order is Hypothesis's:
 * 1. the TextPositionSelector, when the text there is still `exact` with the same prefix
 *    and suffix around it;
 * 2. the TextQuoteSelector in the normalized view: every occurrence of `exact`, scored
 *    by how much of the stored prefix and suffix still surround it, ties going to the
 *    occurrence nearest the old position;
 * 3. an approximate match (Myers' bit-parallel edit-distance search, via
 *    approx-string-match, the library Hypothesis uses) allowing up to 30 % of the
 *    quote's characters to differ, scored as Hypothesis's `matchQuote` does: the quote's
 *    similarity weighs 50, prefix 20, suffix 20, position 2. It looks near the old place
 *    first ({@link FUZZY_NEAR_CHARS}) and takes a match there that keeps 90 % of the
 *    quote; otherwise it searches the whole text.
 * Otherwise the quote is orphaned. `view` may pass the text's normalized view when many
 * quotes of one text are anchored (it is computed otherwise).
 */
export function anchorQuote(text: string, selectors: QuoteSelectors, view: NormalizedText = normalizeForMatching(text)): AnchorOutcome {
  const { exact, prefix, suffix } = selectors.textQuote;
  const { start, end } = selectors.textPosition;
  if (
    end - start === exact.length &&
    text.slice(start, end) === exact &&
    text.slice(Math.max(0, start - prefix.length), start) === prefix &&
    text.slice(end, end + suffix.length) === suffix
  ) {
    return { status: 'anchored', method: 'position', start, end, exact };
  }
  const nExact = normalizedText(exact).trim();
  if (nExact === '') return { status: 'orphaned' };
  const nPrefix = normalizedText(prefix);
  const nSuffix = normalizedText(suffix);
  const expected = toNormalizedOffset(view, start);
  const hay = view.text;
  let best: { start: number; score: number; distance: number } | null = null;
  for (let i = hay.indexOf(nExact); i !== -1; i = hay.indexOf(nExact, i + 1)) {
    const score = contextScore(hay, i, i + nExact.length, nPrefix, nSuffix);
    const distance = Math.abs(i - expected);
    if (!best || score > best.score || (score === best.score && distance < best.distance)) best = { start: i, score, distance };
  }
  if (best) {
    const range = toVerbatimRange(view, best.start, best.start + nExact.length);
    return { status: 'anchored', method: 'quote', ...range, exact: text.slice(range.start, range.end) };
  }
  if (nExact.length < FUZZY_MIN_LENGTH) return { status: 'orphaned' };
  const maxErrors = Math.floor(nExact.length * (1 - FUZZY_MIN_SIMILARITY));
  const bestMatch = (from: number, to: number): { start: number; end: number; similarity: number; score: number } | null => {
    let found: { start: number; end: number; similarity: number; score: number } | null = null;
    for (const hit of approxSearch(hay.slice(from, to), nExact, maxErrors)) {
      const m = { start: hit.start + from, end: hit.end + from, errors: hit.errors };
      const similarity = 1 - m.errors / nExact.length;
      const prefixSimilarity = nPrefix.length ? commonSuffixLength(hay.slice(Math.max(0, m.start - nPrefix.length), m.start), nPrefix) / nPrefix.length : 1;
      const suffixSimilarity = nSuffix.length ? commonPrefixLength(hay.slice(m.end, m.end + nSuffix.length), nSuffix) / nSuffix.length : 1;
      const positionSimilarity = 1 - Math.abs(m.start - expected) / Math.max(1, hay.length);
      const score = (50 * similarity + 20 * prefixSimilarity + 20 * suffixSimilarity + 2 * positionSimilarity) / 92;
      if (!found || score > found.score) found = { start: m.start, end: m.end, similarity, score };
    }
    return found;
  };
  // Near the old place first (edits seldom move a passage far, and the whole text of a long,
  // repetitive source costs much more): a close match there is taken; otherwise the whole text.
  const reach = Math.max(FUZZY_NEAR_CHARS, 3 * nExact.length);
  const nearFrom = Math.max(0, expected - reach);
  const nearTo = Math.min(hay.length, expected + nExact.length + reach);
  let fuzzy = bestMatch(nearFrom, nearTo);
  if ((!fuzzy || fuzzy.similarity < FUZZY_NEAR_ENOUGH) && (nearFrom > 0 || nearTo < hay.length)) {
    const whole = bestMatch(0, hay.length);
    if (whole && (!fuzzy || whole.score > fuzzy.score)) fuzzy = whole;
  }
  if (!fuzzy || fuzzy.end <= fuzzy.start) return { status: 'orphaned' };
  // The cheapest match may leave out an edge of the passage (dropping "“There is " costs fewer
  // edits than inserting "absolutely "): where the old context still stands just outside the
  // match, the passage runs up to it.
  const window = maxErrors + 1;
  const prefixTail = nPrefix.slice(-16);
  if (prefixTail.trim().length >= 4) {
    const from = Math.max(0, fuzzy.start - window - prefixTail.length);
    const at = hay.slice(from, fuzzy.start + prefixTail.length).lastIndexOf(prefixTail);
    if (at !== -1 && from + at + prefixTail.length <= fuzzy.start + window) fuzzy.start = Math.min(fuzzy.start, from + at + prefixTail.length);
  }
  const suffixHead = nSuffix.slice(0, 16);
  if (suffixHead.trim().length >= 4) {
    const from = Math.max(0, fuzzy.end - suffixHead.length);
    const at = hay.slice(from, fuzzy.end + window + suffixHead.length).indexOf(suffixHead);
    if (at !== -1 && from + at >= fuzzy.end - window) fuzzy.end = Math.max(fuzzy.end, from + at);
  }
  const range = toWholeWords(text, toVerbatimRange(view, fuzzy.start, fuzzy.end));
  return { status: 'changed', method: 'fuzzy', ...range, exact: text.slice(range.start, range.end), similarity: Math.round(fuzzy.similarity * 1000) / 1000 };
}

const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;

/**
 * Widen [start, end) of `text` so that it neither starts nor ends inside a word: an
 * approximate match may begin in the middle of a word that grew ("abs|olutely" after
 * "absolutely" was inserted), and a quote must hold whole words. Offsets in UTF-16 code units.
 */
export function toWholeWords(text: string, range: { start: number; end: number }): { start: number; end: number } {
  let { start, end } = range;
  const wordAt = (i: number) => i >= 0 && i < text.length && WORD_CHAR.test(String.fromCodePoint(text.codePointAt(i)!));
  while (start > 0 && wordAt(start) && wordAt(start - 1)) start -= 1;
  while (end < text.length && wordAt(end - 1) && wordAt(end)) end += 1;
  return { start, end };
}

/** How much of the normalized prefix and suffix still surround [start, end) of `hay`, in characters. */
function contextScore(hay: string, start: number, end: number, prefix: string, suffix: string): number {
  return commonSuffixLength(hay.slice(Math.max(0, start - prefix.length), start), prefix) + commonPrefixLength(hay.slice(end, end + suffix.length), suffix);
}

/**
 * The number (1-based) of the paragraph that holds offset `offset` of `text`, where
 * paragraphs are separated by a blank line (a line break, optional spaces, a line break),
 * as every importer writes them. This is the "para." locator APA 7 (§8.28) asks for when a
 * source has no page numbers. An offset past the end counts as in the last paragraph.
 */
export function paragraphNumberAt(text: string, offset: number): number {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  // Leading blank lines do not start a paragraph; count separators after the first visible character.
  const firstVisible = before.search(/\S/);
  if (firstVisible < 0) return 1;
  return 1 + (before.slice(firstVisible).match(/\n[^\S\n]*\n\s*/g)?.length ?? 0);
}

/**
 * The locator Verbatim computes for a quote at [start, end) of a source's text: in a
 * paged source (PDF, `pages` from its import), the page label where the quote starts,
 * or "12-13" when it runs onto a later page (CSL 1.0.2 locators are ranges with a
 * hyphen; the style formats them); otherwise the paragraph number ({@link paragraphNumberAt}).
 */
export function autoLocator(text: string, pages: readonly { start: number; label: string }[] | null | undefined, start: number, end: number): { locator: string; label: 'page' | 'paragraph' } {
  if (pages && pages.length > 0) {
    const pageAt = (offset: number): string => {
      let label = pages[0]!.label;
      for (const p of pages) {
        if (p.start > offset) break;
        label = p.label;
      }
      return label;
    };
    const first = pageAt(start);
    const last = pageAt(Math.max(start, end - 1));
    return { locator: first === last ? first : `${first}-${last}`, label: 'page' };
  }
  return { locator: String(paragraphNumberAt(text, start)), label: 'paragraph' };
}

/**
 * Carry a paged source's page starts over to an edited text: each page's first 40
 * characters (with the 32 before them as context) are anchored in the new text like a
 * quote ({@link anchorQuote}); a page whose opening words cannot be found any more is
 * merged into the page before it. The first page always starts at 0. Returns the page
 * starts in order, UTF-16 offsets into `after`.
 */
export function movePageStarts(before: string, pages: readonly { start: number; label: string }[], after: string): { start: number; label: string }[] {
  const view = normalizeForMatching(after);
  const out: { start: number; label: string }[] = [];
  for (const [i, page] of pages.entries()) {
    if (i === 0) {
      out.push({ start: 0, label: page.label });
      continue;
    }
    const exact = before.slice(page.start, page.start + 40);
    if (page.start >= before.length || exact.trim() === '') continue;
    const selectors: QuoteSelectors = {
      textQuote: { type: 'TextQuoteSelector', exact, prefix: before.slice(Math.max(0, page.start - SELECTOR_CONTEXT_CHARS), page.start), suffix: '' },
      textPosition: { type: 'TextPositionSelector', start: page.start, end: page.start + exact.length },
    };
    const found = anchorQuote(after, selectors, view);
    if (found.status === 'orphaned') continue;
    if (found.start > out[out.length - 1]!.start) out.push({ start: found.start, label: page.label });
  }
  return out;
}
