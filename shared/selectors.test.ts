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
    expect(anchorQuote(text, selectors)).toEqual({ start: second, end: second + 7 });
  });

  it('finds the quote by its text and context after text was inserted before it', () => {
    const edited = `Preface added. ${text}`;
    expect(anchorQuote(edited, selectors)).toEqual({ start: second + 15, end: second + 22 });
  });

  it('tells two occurrences apart by prefix and suffix, not by nearness', () => {
    // After the edit, the first "The cat" sits exactly at the old position of the second one.
    const edited = `${'x'.repeat(second)}The cat sat. The dog sat. The cat ran.`;
    const expected = edited.lastIndexOf('The cat');
    expect(anchorQuote(edited, selectors)).toEqual({ start: expected, end: expected + 7 });
  });

  it('returns null when the quote is gone', () => {
    expect(anchorQuote('Nothing of the kind here.', selectors)).toBeNull();
  });
});
