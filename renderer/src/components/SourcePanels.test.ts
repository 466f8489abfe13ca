import { describe, expect, it } from 'vitest';
import { suggestionRange, wordDiff } from './SourcePanels';

describe('wordDiff', () => {
  it('marks the words that changed and keeps the rest', () => {
    expect(wordDiff('There is no merit to these claims, said he.', 'There is no basis for these claims, said he.')).toEqual([
      { kind: 'same', text: 'There is no' },
      { kind: 'ins', text: ' basis for' },
      { kind: 'del', text: ' merit to' },
      { kind: 'same', text: ' these claims, said he.' },
    ]);
  });

  it('a cut at the end and an insertion at the start', () => {
    expect(wordDiff('one two three', 'zero one two')).toEqual([
      { kind: 'ins', text: 'zero' },
      { kind: 'same', text: ' one two' },
      { kind: 'del', text: ' three' },
    ]);
  });
});

describe('suggestionRange', () => {
  it('keeps the quotation marks around a quotation split by its attribution, so the saved passage is balanced', () => {
    const text = 'He said: “There is no merit,” said the spokesperson. “However, it is clear.” Then';
    const a = text.indexOf('There');
    const b = text.indexOf('clear.') + 'clear.'.length;
    const parts = [
      { start: a, end: text.indexOf(',”') + 1 },
      { start: text.indexOf('However'), end: b },
    ];
    const r = suggestionRange(text, { start: a, end: b, parts });
    expect(text.slice(r.start, r.end)).toBe('“There is no merit,” said the spokesperson. “However, it is clear.”');
  });

  it('French marks with their no-break spaces; a one-part quotation is kept as found', () => {
    const text = '« Nous partons », a-t-il dit. « Demain. »';
    const a = text.indexOf('Nous');
    const b = text.indexOf('Demain.') + 'Demain.'.length;
    const r = suggestionRange(text, { start: a, end: b, parts: [{ start: a, end: text.indexOf(' »') }, { start: text.indexOf('Demain'), end: b }] });
    expect(text.slice(r.start, r.end)).toBe(text);
    expect(suggestionRange(text, { start: a, end: a + 4, parts: [{ start: a, end: a + 4 }] })).toEqual({ start: a, end: a + 4 });
  });
});
