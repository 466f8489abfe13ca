/**
 * W3C Web Annotation selectors over a source's text
 * (https://www.w3.org/TR/annotation-model/#text-quote-selector and #text-position-selector).
 *
 * Offsets are UTF-16 code units into the source's stored text, [start, end), as
 * JavaScript strings and DOM Ranges count them. Pure functions; no DOM.
 */
import { ApiError } from './contract';
import type { TextPositionSelector, TextQuoteSelector } from './model';

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
 * Find where a quote sits in `text` now.
 *
 * Order (as Hypothesis anchors): the TextPositionSelector when the text there still
 * equals `exact` with the same prefix and suffix around it; otherwise every occurrence
 * of `exact`, scored by how much of the stored prefix and suffix still surround it, ties
 * going to the occurrence nearest the old position (so an unchanged position wins a tie,
 * but not against an occurrence whose context matches better). Returns null when
 * `exact` no longer occurs (fuzzy anchoring is a later step, see issue 4).
 */
export function anchorQuote(text: string, selectors: QuoteSelectors): { start: number; end: number } | null {
  const { exact, prefix, suffix } = selectors.textQuote;
  const { start, end } = selectors.textPosition;
  if (
    end - start === exact.length &&
    text.slice(start, end) === exact &&
    text.slice(Math.max(0, start - prefix.length), start) === prefix &&
    text.slice(end, end + suffix.length) === suffix
  ) {
    return { start, end };
  }
  let best: { start: number; score: number; distance: number } | null = null;
  for (let i = text.indexOf(exact); i !== -1; i = text.indexOf(exact, i + 1)) {
    const score = commonSuffixLength(text.slice(Math.max(0, i - prefix.length), i), prefix) + commonPrefixLength(text.slice(i + exact.length, i + exact.length + suffix.length), suffix);
    const distance = Math.abs(i - start);
    if (!best || score > best.score || (score === best.score && distance < best.distance)) best = { start: i, score, distance };
  }
  return best ? { start: best.start, end: best.start + exact.length } : null;
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
