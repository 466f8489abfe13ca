import { describe, expect, it } from 'vitest';
import { CslItem, cslDateFromInput, cslDateToInput, memoContentProblem, sourceTitle } from './model';

describe('dates typed in the metadata form', () => {
  it.each([
    ['2021', { 'date-parts': [[2021]] }],
    ['2021-01', { 'date-parts': [[2021, 1]] }],
    ['2021-1-11', { 'date-parts': [[2021, 1, 11]] }],
    ['2024-02-29', { 'date-parts': [[2024, 2, 29]] }],
    ['', undefined],
  ])('%j is %j', (input, expected) => {
    expect(cslDateFromInput(input)).toEqual(expected);
  });

  it.each([
    ['2023-02-29', 'that month has 28 days'],
    ['2021-13', 'the month must be 1 to 12'],
    ['11 January 2021', 'write YYYY, YYYY-MM or YYYY-MM-DD'],
    ['0000', 'the year must be 1 or later'],
  ])('%j is refused: %s', (input, message) => {
    expect(() => cslDateFromInput(input)).toThrow(message);
  });

  it('writes dates back as the form shows them', () => {
    expect(cslDateToInput({ 'date-parts': [[2021, 1, 5]] })).toBe('2021-01-05');
    expect(cslDateToInput({ raw: 'Spring 2021' })).toBe('Spring 2021');
    expect(cslDateToInput(undefined)).toBe('');
  });
});

describe('CslItem', () => {
  it('keeps CSL variables it does not type, as strings or numbers', () => {
    const item = CslItem.parse({ type: 'article-journal', title: 'T', volume: 12, page: '4-9', DOI: '10.1/x' });
    expect(item).toEqual({ type: 'article-journal', title: 'T', volume: 12, page: '4-9', DOI: '10.1/x' });
  });

  it('gives an untitled source a title to show', () => {
    expect(sourceTitle({ type: 'webpage', title: '  ' })).toBe('Untitled source');
  });
});

describe('date ranges and approximate dates', () => {
  it('reads ranges and approximate dates, and writes them back the same way', () => {
    expect(cslDateFromInput('2000-03-15/2000-03-17')).toEqual({ 'date-parts': [[2000, 3, 15], [2000, 3, 17]] });
    expect(cslDateToInput({ 'date-parts': [[2000, 3, 15], [2000, 3, 17]] })).toBe('2000-03-15/2000-03-17');
    expect(cslDateFromInput('ca. 1920')).toEqual({ 'date-parts': [[1920]], circa: true });
    expect(cslDateToInput({ 'date-parts': [[1920]], circa: true })).toBe('ca. 1920');
    expect(() => cslDateFromInput('2000/')).toThrow('a range needs a date on both sides');
    expect(() => cslDateFromInput('2021-13')).toThrow('the month must be 1 to 12');
  });
});

describe('memo documents the editor and the printer can both read', () => {
  const doc = (...children: unknown[]) => ({ root: { children } });
  const p = (...children: unknown[]) => ({ type: 'paragraph', version: 1, children });
  const cite = (extra: Record<string, unknown>) => ({ type: 'citation', version: 1, sourceId: 's1', ...extra });

  it('accepts a citation inside a paragraph', () => {
    expect(memoContentProblem(doc(p(cite({ locator: '4', label: 'page' }))))).toBeNull();
  });

  it('refuses citations the printer would drop: empty source, no numeric version, an over-long label', () => {
    expect(memoContentProblem(doc(p(cite({ sourceId: '' }))))).toBe('root.children.0.children.0: a citation needs a non-empty string sourceId');
    expect(memoContentProblem(doc(p(cite({ version: '1' }))))).toBe('root.children.0.children.0: a citation node needs a numeric version');
    expect(memoContentProblem(doc(p(cite({ label: 'x'.repeat(101) }))))).toBe("root.children.0.children.0: a citation's label must be a string of at most 100 characters");
  });

  it('refuses inline nodes at the top level, where Lexical cannot open them', () => {
    expect(memoContentProblem(doc(cite({})))).toBe('root.children.0: a citation node cannot stand at the top level of a memo (only paragraphs, headings, quotes, lists and linked quotes can)');
    expect(memoContentProblem(doc({ type: 'text', text: 'loose', version: 1 }))).toMatch(/a text node cannot stand at the top level/);
  });
});
