import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiError } from './contract';
import { anchorQuote, describeTextRange, SELECTOR_CONTEXT_CHARS } from './selectors';

const SAMPLE = readFileSync(path.join(__dirname, '..', 'electron', 'resources', 'samples', 'parler-sues-amazon.txt'), 'utf8');

describe('describeTextRange', () => {
  it('keeps the exact text verbatim, curly quotes, apostrophe and em dash included', () => {
    const exact = '“It will kill Parler’s business—at the very time it is set to skyrocket,”';
    const start = SAMPLE.indexOf(exact);
    expect(start).toBeGreaterThan(0);
    const sel = describeTextRange(SAMPLE, start, start + exact.length);
    expect(sel.textQuote.exact).toBe(exact);
    expect(sel.textQuote.exact).toContain('\u2019'); // right single quotation mark
    expect(sel.textQuote.exact).toContain('\u2014'); // em dash
    expect(sel.textPosition).toEqual({ type: 'TextPositionSelector', start, end: start + exact.length });
    expect(sel.textQuote.prefix).toBe(SAMPLE.slice(start - SELECTOR_CONTEXT_CHARS, start));
    expect(sel.textQuote.suffix).toBe(SAMPLE.slice(start + exact.length, start + exact.length + SELECTOR_CONTEXT_CHARS));
  });

  it('leaves white space at the edges out of the quote', () => {
    const text = 'one\n\n  two words  \n\nthree';
    const sel = describeTextRange(text, 3, text.length - 5);
    expect(sel.textQuote.exact).toBe('two words');
    expect(sel.textPosition.start).toBe(text.indexOf('two'));
    expect(sel.textPosition.end).toBe(text.indexOf('two') + 'two words'.length);
  });

  it('keeps context short at the start and end of the text', () => {
    const sel = describeTextRange('abc def', 0, 3);
    expect(sel.textQuote).toEqual({ type: 'TextQuoteSelector', exact: 'abc', prefix: '', suffix: ' def' });
  });

  it('does not cut a surrogate pair in half', () => {
    const text = 'a 😀 b';
    const sel = describeTextRange(text, 3, 6); // starts inside the emoji's pair
    expect(sel.textQuote.exact).toBe('😀 b');
  });

  it('keeps prefix and suffix from cutting a surrogate pair', () => {
    const text = `x${'😀'.repeat(40)}aTARGET${'😀'.repeat(40)}`;
    const start = text.indexOf('TARGET');
    const sel = describeTextRange(text, start, start + 6);
    expect(sel.textQuote.prefix.isWellFormed()).toBe(true);
    expect(sel.textQuote.suffix.isWellFormed()).toBe(true);
    expect(sel.textQuote.prefix.endsWith('😀a')).toBe(true);
    expect(sel.textQuote.prefix.length).toBe(SELECTOR_CONTEXT_CHARS - 1);
  });

  it.each([
    ['\u200b\u200b', 'zero-width spaces'],
    ['\u0301', 'a lone combining mark'],
  ])('refuses a selection of only %j (%s)', (invisible) => {
    const text = `before ${invisible} after`;
    expect(() => describeTextRange(text, 7, 7 + invisible.length)).toThrow(/only white space/);
  });

  it.each([
    [0, 0, 'empty range'],
    [5, 2, 'reversed'],
    [-1, 2, 'negative'],
    [0, 99, 'past the end'],
  ])('refuses a range that is %s..%s (%s)', (start, end) => {
    expect(() => describeTextRange('short text', start, end)).toThrow(ApiError);
  });

  it('refuses a range holding only white space, with a clear message', () => {
    const text = 'para one\n\npara two';
    try {
      describeTextRange(text, 8, 10);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).code).toBe('invalid_selection');
      expect((error as ApiError).message).toMatch(/only white space/);
    }
  });
});

describe('anchorQuote', () => {
  const text = 'The cat sat. The dog sat. The cat ran.';
  const second = text.lastIndexOf('The cat');
  const selectors = describeTextRange(text, second, second + 'The cat'.length);

  it('uses the position when the text there is unchanged', () => {
    expect(anchorQuote(text, selectors)).toEqual({ status: 'anchored', method: 'position', start: second, end: second + 7, exact: 'The cat' });
  });

  it('finds the quote by its text and context after text was inserted before it', () => {
    const edited = `Preface added. ${text}`;
    expect(anchorQuote(edited, selectors)).toEqual({ status: 'anchored', method: 'quote', start: second + 15, end: second + 22, exact: 'The cat' });
  });

  it('tells two occurrences apart by prefix and suffix, not by nearness', () => {
    // After the edit, the first "The cat" sits exactly at the old position of the second one.
    const edited = `${'x'.repeat(second)}The cat sat. The dog sat. The cat ran.`;
    const expected = edited.lastIndexOf('The cat');
    expect(anchorQuote(edited, selectors)).toMatchObject({ status: 'anchored', start: expected, end: expected + 7 });
  });

  it('orphans a short quote that is gone (no fuzzy match for a few letters)', () => {
    expect(anchorQuote('Nothing of the kind here.', selectors)).toEqual({ status: 'orphaned' });
  });
});

/** Levenshtein distance (insertions, deletions, substitutions), the textbook O(n·m) table. */
function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const row = [i];
    for (let j = 1; j <= b.length; j += 1) row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length]!;
}

describe('anchorQuote on the sample after edits to the source', () => {
  const exact = '“There is no merit to these claims,” said the spokesperson.';
  const start = SAMPLE.indexOf(exact);
  const selectors = describeTextRange(SAMPLE, start, start + exact.length);

  it('text inserted before: the quote moves and keeps its text', () => {
    const edited = `Editor’s note: this story was updated on 12 January.\n\n${SAMPLE}`;
    const shift = 'Editor’s note: this story was updated on 12 January.\n\n'.length;
    expect(anchorQuote(edited, selectors)).toEqual({ status: 'anchored', method: 'quote', start: start + shift, end: start + shift + exact.length, exact });
  });

  it('white space changed (line break and no-break space inside the quote): found, and `exact` is the new text verbatim', () => {
    const changed = '“There is no\nmerit to these\u00A0claims,”  said the spokesperson.';
    const edited = SAMPLE.replace(exact, changed);
    expect(anchorQuote(edited, selectors)).toEqual({ status: 'anchored', method: 'quote', start, end: start + changed.length, exact: changed });
  });

  it('quote styles swapped (curly to straight, em dash to hyphens): found as the same passage', () => {
    const edited = SAMPLE.replaceAll('“', '"').replaceAll('”', '"').replaceAll('’', "'").replaceAll('—', '--');
    const straight = '"There is no merit to these claims," said the spokesperson.';
    const at = edited.indexOf(straight);
    expect(at).toBeGreaterThan(0);
    expect(anchorQuote(edited, selectors)).toEqual({ status: 'anchored', method: 'quote', start: at, end: at + straight.length, exact: straight });
  });

  it('a word changed: flagged as changed, with the new passage', () => {
    const changed = '“There is no basis for these claims,” said the spokesperson.';
    const edited = SAMPLE.replace(exact, changed);
    const outcome = anchorQuote(edited, selectors);
    expect(outcome).toMatchObject({ status: 'changed', method: 'fuzzy', start, end: start + changed.length, exact: changed });
    // Similarity is 1 - (Levenshtein distance / quote length), computed here by the textbook dynamic programme.
    expect(outcome.status === 'changed' && outcome.similarity).toBeCloseTo(1 - levenshtein(exact, changed) / exact.length, 3);
  });

  it('a word inserted at the start: the new passage starts with the whole new word, never inside it', () => {
    const changed = '“There is absolutely no merit to these claims,” said the spokesperson.';
    const edited = SAMPLE.replace(exact, changed);
    expect(anchorQuote(edited, selectors)).toMatchObject({ status: 'changed', start, end: start + changed.length, exact: changed });
  });

  it('words added at the end: the new passage runs up to the old context after it', () => {
    const changed = '“There is no merit to these claims,” said the spokesperson on Monday.';
    const edited = SAMPLE.replace(exact, changed);
    expect(anchorQuote(edited, selectors)).toMatchObject({ status: 'changed', start, end: start + changed.length, exact: changed });
  });

  it('in a text of identical paragraphs all changed alike, the changed quote stays at its own place', () => {
    const para = 'The quick brown fox jumps over the lazy dog near the harbour wall.\n\n';
    const text = para.repeat(400);
    const at = para.length * 250 + 4;
    const sel = describeTextRange(text, at, at + 40);
    const edited = text.replaceAll('fox', 'cat');
    expect(anchorQuote(edited, sel)).toMatchObject({ status: 'changed', start: at, exact: edited.slice(at, at + sel.textQuote.exact.length) });
  });

  it('the passage deleted: orphaned', () => {
    const edited = SAMPLE.replace(exact, '');
    expect(anchorQuote(edited, selectors)).toEqual({ status: 'orphaned' });
  });

  it('a hyphenated line end from a PDF still matches the unhyphenated quote', () => {
    const q = 'violations of antitrust law';
    const at = SAMPLE.indexOf(q);
    const sel = describeTextRange(SAMPLE, at, at + q.length);
    const edited = SAMPLE.replace('violations of antitrust law', 'violations of anti-\ntrust law');
    expect(anchorQuote(edited, sel)).toEqual({ status: 'anchored', method: 'quote', start: at, end: at + 'violations of anti-\ntrust law'.length, exact: 'violations of anti-\ntrust law' });
  });
});
