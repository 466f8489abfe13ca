import { describe, expect, it } from 'vitest';
import { wordDiff } from './wordDiff';

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
