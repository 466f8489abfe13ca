import { describe, expect, it } from 'vitest';
import { acceptLinkedQuoteText, citesInOrder, linkedQuotePlainText, linkedQuotesInOrder, linkedQuoteView } from './memoDocument';
import { memoContentProblem, type MemoContent } from './model';

const text = (t: string) => ({ type: 'text', version: 1, text: t });
const cite = (sourceId: string) => ({ type: 'citation', version: 1, sourceId, locator: '', label: 'page', prefix: '', suffix: '' });
const quote = (quoteId: string) => ({ type: 'linked-quote', version: 1, quoteId, sourceId: 's', snapshot: 'x' });
const doc = (...children: object[]): MemoContent => ({ root: { type: 'root', children } });

describe('citesInOrder', () => {
  it('lists linked quotes and citations in document order, grouping a citation that directly follows another', () => {
    const content = doc(
      { type: 'paragraph', version: 1, children: [text('Claims'), cite('a'), text(' '), cite('b'), text(' and then'), cite('c')] },
      quote('q1'),
      { type: 'list', version: 1, children: [{ type: 'listitem', version: 1, children: [cite('d'), cite('e')] }] },
    );
    expect(citesInOrder(content).map((c) => (c.kind === 'quote' ? `q:${c.node.quoteId}` : `c:${c.node.sourceId}${c.groupWithPrevious ? '+' : ''}`))).toEqual(['c:a', 'c:b+', 'c:c', 'q:q1', 'c:d', 'c:e+']);
  });
});

describe('linked quotes, version 1 and 2', () => {
  const SPOKE = '“There is no merit to these claims,”';

  it('reads a version 1 node as not shortened, and a version 2 node with its shortening', () => {
    expect(linkedQuotesInOrder(doc(quote('q1'), { type: 'linked-quote', version: 2, quoteId: 'q2', sourceId: 's', snapshot: SPOKE, shortened: '“There is no merit …' }))).toEqual([
      { type: 'linked-quote', version: 1, quoteId: 'q1', sourceId: 's', snapshot: 'x', shortened: null },
      { type: 'linked-quote', version: 2, quoteId: 'q2', sourceId: 's', snapshot: SPOKE, shortened: '“There is no merit …' },
    ]);
  });

  it('a memo may hold either version; a shortening that is not text is refused', () => {
    expect(memoContentProblem(doc(quote('q1')))).toBeNull();
    expect(memoContentProblem(doc({ type: 'linked-quote', version: 2, quoteId: 'q', sourceId: 's', snapshot: 'x', shortened: null }))).toBeNull();
    expect(memoContentProblem(doc({ type: 'linked-quote', version: 2, quoteId: 'q', sourceId: 's', snapshot: 'x', shortened: 'x' }))).toBeNull();
    expect(memoContentProblem(doc({ type: 'linked-quote', version: 2, quoteId: 'q', sourceId: 's', snapshot: 'x', shortened: 5 }))).toBe("root.children.0: a linked quote's shortened text must be a string or null");
  });
});

describe('linkedQuoteView', () => {
  const SPOKE = '“There is no merit to these claims,”';
  const STRAIGHT = '"There is no merit to these claims,"';

  it('shows the store’s text, unmarked, when it is the snapshot', () => {
    expect(linkedQuoteView({ snapshot: SPOKE, shortened: null }, { exact: SPOKE, anchorStatus: 'anchored' })).toEqual({ text: SPOKE, full: SPOKE, shortened: false, staleShortening: null, drift: null, marks: [] });
  });

  it('shows the shortening in its written form ("..." as "…")', () => {
    expect(linkedQuoteView({ snapshot: SPOKE, shortened: '“There is no merit...' }, { exact: SPOKE })).toEqual({ text: '“There is no merit …', full: SPOKE, shortened: true, staleShortening: null, drift: null, marks: [] });
  });

  it('marks drift with the quoted and the current text, and shows a shortening only while it fits the current text', () => {
    expect(linkedQuoteView({ snapshot: SPOKE, shortened: '… no merit …' }, { exact: STRAIGHT })).toEqual({
      text: '… no merit …',
      full: STRAIGHT,
      shortened: true,
      staleShortening: null,
      drift: { quoted: SPOKE, now: STRAIGHT },
      marks: ['drift'],
    });
    expect(linkedQuoteView({ snapshot: SPOKE, shortened: '“There is no merit …' }, { exact: STRAIGHT })).toEqual({
      text: STRAIGHT,
      full: STRAIGHT,
      shortened: false,
      staleShortening: '“There” is punctuated differently in the quote ("There): punctuation can be dropped only next to an ellipsis (…).',
      drift: { quoted: SPOKE, now: STRAIGHT },
      marks: ['drift'],
    });
  });

  it('marks changed and orphaned quotes, and a deleted one (showing its snapshot)', () => {
    expect(linkedQuoteView({ snapshot: SPOKE }, { exact: SPOKE, anchorStatus: 'changed' }).marks).toEqual(['changed']);
    expect(linkedQuoteView({ snapshot: SPOKE }, { exact: STRAIGHT, anchorStatus: 'orphaned' }).marks).toEqual(['drift', 'orphaned']);
    expect(linkedQuoteView({ snapshot: SPOKE, shortened: '… these claims,”' }, null)).toEqual({ text: '… these claims,”', full: SPOKE, shortened: true, staleShortening: null, drift: null, marks: ['missing'] });
  });

  it('gives copied text the dagger and notes of the marks', () => {
    expect(linkedQuotePlainText(linkedQuoteView({ snapshot: SPOKE }, { exact: SPOKE }))).toBe(SPOKE);
    expect(linkedQuotePlainText(linkedQuoteView({ snapshot: SPOKE, shortened: '… no merit …' }, { exact: STRAIGHT }))).toBe('… no merit …†\n† Text changed in the source since it was quoted; the current text is given.');
    expect(linkedQuotePlainText(linkedQuoteView({ snapshot: SPOKE }, { exact: SPOKE, anchorStatus: 'orphaned' }))).toBe(`${SPOKE}†\n† This passage is no longer found in the source; the quoted text is given.`);
    expect(linkedQuotePlainText(linkedQuoteView({ snapshot: SPOKE }, null))).toBe(`${SPOKE}\n[This quote is no longer in the library.]`);
  });
});

describe('acceptLinkedQuoteText', () => {
  const SPOKE = '“There is no merit to these claims,”';
  const STRAIGHT = '"There is no merit to these claims,"';

  it('takes the new text as the snapshot; keeps a shortening that still fits, in its written form', () => {
    expect(acceptLinkedQuoteText({ shortened: null }, STRAIGHT)).toEqual({ snapshot: STRAIGHT, shortened: null, dropped: null });
    expect(acceptLinkedQuoteText({ shortened: '... no merit ...' }, STRAIGHT)).toEqual({ snapshot: STRAIGHT, shortened: '… no merit …', dropped: null });
  });

  it('drops a shortening that no longer fits, saying why', () => {
    expect(acceptLinkedQuoteText({ shortened: '“There is no merit …' }, STRAIGHT)).toEqual({
      snapshot: STRAIGHT,
      shortened: null,
      dropped: '“There” is punctuated differently in the quote ("There): punctuation can be dropped only next to an ellipsis (…).',
    });
    expect(acceptLinkedQuoteText({ shortened: '“There is no merit …' }, SPOKE).dropped).toBeNull();
  });
});

describe('a linked quote from a PDF reads as text', () => {
  it('shows and shortens the quote with the line-end hyphenation undone; the drift check compares the stored text', () => {
    const exact = 'The inter-\nnational court met\nin June.';
    const record = { exact, anchorStatus: 'anchored' as const };
    const view = linkedQuoteView({ snapshot: exact, shortened: null }, record);
    expect([view.text, view.full, view.drift]).toEqual(['The international court met in June.', 'The international court met in June.', null]);
    const short = linkedQuoteView({ snapshot: exact, shortened: 'The international court met …' }, record);
    expect([short.text, short.shortened]).toEqual(['The international court met …', true]);
  });
});
