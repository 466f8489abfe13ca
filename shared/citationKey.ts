/**
 * Citation keys: a short, stable, unique name for each source ("paul2021parler"), as
 * Better BibTeX makes them for Zotero, so a memo exported to Markdown can cite with
 * pandoc's `[@key]` syntax (https://pandoc.org/MANUAL.html#citation-syntax).
 *
 * The key is the first author's family name (or an institution's first word), the year
 * issued ("nd" without one) and the first title word that is not a stop word, all folded
 * to ASCII letters and digits in lower case. A key taken already gets "a", "b", ... "z",
 * then "aa"..., as BibTeX users expect. Pure.
 */
import type { CslItem, CslName } from './model';

/** Title words skipped when the key takes the first word of the title (English, German, French articles and prepositions). */
const STOP_WORDS = new Set(['a', 'an', 'the', 'of', 'on', 'in', 'at', 'to', 'for', 'and', 'or', 'der', 'die', 'das', 'ein', 'eine', 'le', 'la', 'les', 'un', 'une', 'des', 'du', 'de', 'el', 'los']);

/** Fold to lower-case ASCII letters and digits: "Großhaupt" → "grosshaupt", "Tkalčić" → "tkalcic", "Œuvre" → "oeuvre". */
export function foldToAscii(text: string): string {
  // Letters Unicode does not decompose into a base letter and accents are spelled out first.
  return text
    .replace(/[ßẞ]/g, 'ss')
    .replace(/[æÆ]/g, 'ae')
    .replace(/[œŒ]/g, 'oe')
    .replace(/[øØ]/g, 'o')
    .replace(/[łŁ]/g, 'l')
    .replace(/[đĐðÐ]/g, 'd')
    .replace(/[þÞ]/g, 'th')
    .replace(/[ħĦ]/g, 'h')
    .replace(/ı/g, 'i')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

function nameWord(name: CslName | undefined): string {
  if (!name) return '';
  if (name.literal) return foldToAscii(name.literal.split(/\s+/).find((w) => foldToAscii(w) !== '' && !STOP_WORDS.has(foldToAscii(w))) ?? '');
  return foldToAscii(name.family ?? name.given ?? '');
}

/** The key a source would get if no other source had it: "paul2021parler"; "source" parts stand in for what is missing. */
export function citationKeyBase(csl: CslItem): string {
  const names = csl.author ?? csl.editor ?? csl['container-author'];
  const who = nameWord(names?.[0]) || foldToAscii((csl['container-title'] ?? '').split(/\s+/).find((w) => w && !STOP_WORDS.has(foldToAscii(w))) ?? '') || 'anon';
  const year = csl.issued?.['date-parts']?.[0]?.[0];
  const rawYear = /\b(\d{4})\b/.exec(csl.issued?.raw ?? csl.issued?.literal ?? '')?.[1];
  const when = year !== undefined && String(year) !== '' ? String(year) : (rawYear ?? 'nd');
  // An elided article or preposition ("L'Étranger", "d'Artagnan") is a stop word too.
  const title = (csl.title ?? '').replace(/(^|[\s(["“‘'])[ld]['’](?=\p{L})/giu, '$1');
  const word = title.split(/[\s\-–—:;,.!?"“”‘’'()[\]]+/).map(foldToAscii).find((w) => w !== '' && !STOP_WORDS.has(w)) ?? '';
  return `${who.slice(0, 30)}${when}${word.slice(0, 20)}`;
}

/** The n-th disambiguating suffix: 0 → "", 1 → "a", 26 → "z", 27 → "aa". */
function suffix(n: number): string {
  let out = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) out = String.fromCharCode(97 + ((k - 1) % 26)) + out;
  return out;
}

/** `base`, or `base` + "a", "b", ... : the first that `taken` says is free (compared case-insensitively by the caller). */
export function uniqueCitationKey(base: string, taken: (key: string) => boolean): string {
  for (let n = 0; ; n += 1) {
    const key = base + suffix(n);
    if (!taken(key)) return key;
  }
}

/** What a user may type as a citation key: letters, digits and `_-:.#$%&+?<>~/` as pandoc allows, starting with a letter, digit or `_`; at most 100 characters. */
export const CITATION_KEY_PATTERN = /^[\p{L}\p{N}_][\p{L}\p{N}_\-:.#$%&+?<>~/]{0,99}$/u;
