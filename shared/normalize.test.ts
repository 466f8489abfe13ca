import { describe, expect, it } from 'vitest';
import { normalizeForMatching, normalizedText, readingText, toNormalizedOffset, toVerbatimRange } from './normalize';

describe('normalizeForMatching', () => {
  it('treats quote styles, apostrophes and dashes as equal', () => {
    expect(normalizedText('“Parler’s business—now,” „gut“ « oui » ‘x’')).toBe(`"Parler's business-now," "gut" " oui " 'x'`);
    expect(normalizedText('a–b a‑b a−b')).toBe('a-b a-b a-b');
  });

  it('collapses white space runs (line breaks, tabs, no-break and narrow no-break spaces) to one space', () => {
    expect(normalizedText('one \n\n\t two\u00A0three\u202Ffour')).toBe('one two three four');
  });

  it('drops soft hyphens and zero-width spaces', () => {
    expect(normalizedText('inter\u00ADnational\u200B law\uFEFF')).toBe('international law');
  });

  it('undoes hyphenation at a line end before a lower-case letter, and only there', () => {
    expect(normalizedText('inter-\nnational')).toBe('international');
    expect(normalizedText('inter- \n  national')).toBe('international');
    expect(normalizedText('COVID-\n19')).toBe('COVID- 19'); // a digit follows: a real hyphen
    expect(normalizedText('Anglo-\nSaxon')).toBe('Anglo- Saxon'); // capital follows: kept
    expect(normalizedText('well - \nknown')).toBe('well - known'); // a dash between words, not hyphenation
  });

  it('composes combining marks (NFC) and keeps case', () => {
    expect(normalizedText('Cafe\u0301 Amazon')).toBe('Café Amazon');
    expect(normalizedText('Cafe\u0301')).toBe('Café'.normalize('NFC'));
  });

  it('maps every normalized range back to the verbatim range it came from', () => {
    const original = 'A  “quote”\u00AD—\n here, inter-\nnational, Cafe\u0301.';
    const view = normalizeForMatching(original);
    expect(view.text).toBe('A "quote"- here, international, Café.');
    const find = (s: string) => {
      const at = view.text.indexOf(s);
      const r = toVerbatimRange(view, at, at + s.length);
      return original.slice(r.start, r.end);
    };
    expect(find('"quote"')).toBe('“quote”');
    expect(find('international')).toBe('inter-\nnational');
    expect(find('Café')).toBe('Cafe\u0301');
    expect(find('- here')).toBe('—\n here');
    expect(view.starts.length).toBe(view.text.length);
    expect(() => toVerbatimRange(view, 3, 3)).toThrow(RangeError);
  });

  it('finds the normalized offset of a verbatim offset', () => {
    const original = 'ab  \n cd';
    const view = normalizeForMatching(original); // "ab cd"
    expect(toNormalizedOffset(view, 0)).toBe(0);
    expect(toNormalizedOffset(view, 2)).toBe(2); // the run of spaces starts at 2
    expect(toNormalizedOffset(view, 6)).toBe(3); // "c"
    expect(toNormalizedOffset(view, original.length)).toBe(view.text.length);
  });

  it('keeps surrogate pairs whole', () => {
    const view = normalizeForMatching('x 😀 y');
    expect(view.text).toBe('x 😀 y');
    expect(toVerbatimRange(view, 2, 4)).toEqual({ start: 2, end: 4 });
  });
});

describe('readingText', () => {
  it('joins words hyphenated at a line end and lines inside a paragraph; keeps paragraph breaks and the source’s marks', () => {
    expect(readingText('The inter-\nnational court’s “ruling”\nwas final.\n\nNew para—here.')).toBe('The international court’s “ruling” was final.\n\nNew para—here.');
    expect(readingText('COVID-\n19 and Anglo-\nSaxon, well -\nknown')).toBe('COVID-19 and Anglo-Saxon, well - known');
    expect(readingText('juris\u00ADdiction')).toBe('jurisdiction');
    expect(readingText('plain text')).toBe('plain text');
  });
});
