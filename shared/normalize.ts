/**
 * The normalized view of a text that matching works on (anchoring, finding quotes
 * again after a re-import), with a map back to offsets in the verbatim text.
 *
 * Verbatim keeps every source's characters as they are: the stored text and every
 * quote's `exact` are never normalized. Only comparisons go through this view, so a
 * quote saved with curly quotes still finds its passage after the source comes back
 * with straight ones, and a PDF's "inter-\nnational" matches "international".
 *
 * What is treated as equal (rules from the issue "anchor quotes so they never drift",
 * after what Hypothesis and Readability do):
 * - Unicode NFC (a letter and its combining marks compose: "e\u0301" = "é");
 * - every run of white space, including line breaks, tabs, no-break spaces (U+00A0,
 *   U+202F, U+2007) and the other Unicode spaces, is one " ";
 * - double quotation marks “ ” „ ‟ « » ″ and " are all `"`; single quotation marks and
 *   apostrophes ‘ ’ ‚ ‛ ‹ › ′ ʼ and ' are all `'`;
 * - hyphens and dashes ‐ ‑ ‒ – — ― − ﹘ ﹣ － are all "-";
 * - soft hyphens (U+00AD) and zero-width spaces, joiners' neighbours U+200B, U+2060 and
 *   U+FEFF are dropped;
 * - a hyphen at a line end between two letters, where the next line starts with a
 *   lower-case letter, is dropped with the line break ("inter-\nnational" =
 *   "international"), as a PDF's hyphenation would be undone.
 *
 * Case is kept: "Amazon" and "amazon" stay different.
 * Offsets are UTF-16 code units, as JavaScript strings count them. Pure; no DOM.
 */

/** A text's normalized view and the way back. */
export interface NormalizedText {
  /** The normalized text. */
  readonly text: string;
  /**
   * `starts[i]` is the offset in the verbatim text where normalized code unit `i` comes
   * from; `ends[i]` is the offset just after it. A range [s, e) of `text` (e > s) is
   * the verbatim range [starts[s], ends[e - 1]).
   */
  readonly starts: Uint32Array;
  readonly ends: Uint32Array;
}

const DOUBLE_QUOTES = /["\u201C\u201D\u201E\u201F\u00AB\u00BB\u2033\u301D\u301E\uFF02]/u;
const SINGLE_QUOTES = /['\u2018\u2019\u201A\u201B\u2039\u203A\u2032\u02BC\uFF07]/u;
const DASHES = /[\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uFE58\uFE63\uFF0D-]/u;
const DROPPED = /[\u00AD\u200B\u2060\uFEFF]/u;
const SPACE = /\s/u;
const LETTER = /\p{L}/u;
const LOWER = /\p{Ll}/u;
const COMBINING = /\p{M}/u;

/** One character of the normalized view, or null when the character is dropped. */
function foldChar(ch: string): string | null {
  if (DROPPED.test(ch)) return null;
  if (DOUBLE_QUOTES.test(ch)) return '"';
  if (SINGLE_QUOTES.test(ch)) return "'";
  if (DASHES.test(ch)) return '-';
  return ch;
}

/**
 * The normalized view of `original` (rules in this module's comment), with its offset map.
 * Linear in the text's length; a 1 MB text takes a few tens of milliseconds.
 */
export function normalizeForMatching(original: string): NormalizedText {
  const out: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  const push = (s: string, from: number, to: number): void => {
    for (let k = 0; k < s.length; k += 1) {
      out.push(s[k]!);
      starts.push(from);
      ends.push(to);
    }
  };
  let i = 0;
  const n = original.length;
  while (i < n) {
    const code = original.codePointAt(i)!;
    const ch = String.fromCodePoint(code);
    const width = ch.length;
    if (DROPPED.test(ch)) {
      i += width;
      continue;
    }
    // White space: one " " for the whole run (soft hyphens and zero-width characters inside the run are part of it).
    if (SPACE.test(ch)) {
      let j = i + width;
      while (j < n && (SPACE.test(original[j]!) || DROPPED.test(original[j]!))) j += 1;
      push(' ', i, j);
      i = j;
      continue;
    }
    // A hyphen at a line end inside a word: "inter-\nnational" reads "international".
    if (DASHES.test(ch) && i > 0 && LETTER.test(original[i - 1]!)) {
      let j = i + 1;
      while (j < n && (original[j] === ' ' || original[j] === '\t' || original[j] === '\r')) j += 1;
      if (original[j] === '\n') {
        j += 1;
        while (j < n && (original[j] === ' ' || original[j] === '\t')) j += 1;
        if (j < n && LOWER.test(String.fromCodePoint(original.codePointAt(j)!))) {
          i = j;
          continue;
        }
      }
    }
    // A base character with its combining marks, composed (NFC) as one cluster.
    let j = i + width;
    while (j < n) {
      const next = String.fromCodePoint(original.codePointAt(j)!);
      if (!COMBINING.test(next)) break;
      j += next.length;
    }
    if (j > i + width) {
      push(original.slice(i, j).normalize('NFC'), i, j);
      i = j;
      continue;
    }
    const folded = foldChar(ch);
    if (folded !== null) push(folded.normalize('NFC'), i, i + width);
    i += width;
  }
  return { text: out.join(''), starts: Uint32Array.from(starts), ends: Uint32Array.from(ends) };
}

/** Shorthand: the normalized text alone (for comparing two strings under the same rules). */
export function normalizedText(original: string): string {
  return normalizeForMatching(original).text;
}

/**
 * The verbatim range that the normalized range [start, end) of `view` comes from.
 * @throws RangeError when the range is empty or lies outside the normalized text.
 */
export function toVerbatimRange(view: NormalizedText, start: number, end: number): { start: number; end: number } {
  if (!(start >= 0 && end > start && end <= view.text.length)) throw new RangeError(`[${start}, ${end}) is not a range of the normalized text (length ${view.text.length}).`);
  return { start: view.starts[start]!, end: view.ends[end - 1]! };
}

/**
 * The normalized offset for verbatim offset `offset`: the first normalized code unit
 * that comes from at or after it (the normalized length when none does). Binary search.
 */
export function toNormalizedOffset(view: NormalizedText, offset: number): number {
  let lo = 0;
  let hi = view.starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (view.starts[mid]! < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A quote as a reader should see it in a memo, on a card or in a PDF: a hyphen that only
 * broke a word at a line end is taken out ("inter-\nnational" reads "international",
 * the same rule as the normalized view), a real hyphen at a line end stays and joins
 * ("Anglo-\nSaxon" reads "Anglo-Saxon"), and a single line break inside a paragraph
 * (a PDF's or a hard-wrapped text's line end) becomes a space. Paragraph breaks (a blank
 * line) stay. Every other character is the source's own: quote marks, dashes, spaces.
 * The stored `exact` is never changed; this is for display and export only.
 */
export function readingText(exact: string): string {
  return exact
    .replace(/(\p{L})[-\u2010\u00AD][ \t]*\r?\n[ \t]*(?=\p{Ll})/gu, '$1')
    .replace(/([\p{L}\p{N}])-[ \t]*\r?\n[ \t]*(?=\S)/gu, '$1-')
    .replace(/\u00AD/g, '')
    .replace(/([^\n])[ \t]*\r?\n[ \t]*(?=[^\s])/g, '$1 ');
}
