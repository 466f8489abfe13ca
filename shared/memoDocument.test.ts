import { describe, expect, it } from 'vitest';
import { citesInOrder } from './memoDocument';
import type { MemoContent } from './model';

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
