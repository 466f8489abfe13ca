/**
 * What linked-quote and citation components read from the memo around them: the quotes
 * (from the store, by id), the rendered cite of each linked-quote or citation node (by
 * node key, in document order from one citeproc-js engine state), how to open a quote's
 * source, how to edit a citation's locator, and how to shorten a linked quote.
 */
import { createContext, useContext } from 'react';
import type { RenderedCite } from '../../../shared/contract';
import type { Quote } from '../../../shared/model';

export interface MemoContextValue {
  /** Quotes by id; `null` marks a quote the store no longer has; absent means not loaded yet. */
  quotes: ReadonlyMap<string, Quote | null>;
  /** Rendered cite per linked-quote or citation node key (with its note number in note styles). */
  citations: ReadonlyMap<string, RenderedCite>;
  /** Open the quote's source in the reader, scrolled to the passage. */
  openQuote(quoteId: string): void;
  /** Open the edit dialog of the citation node with this key. */
  editCitation(nodeKey: string): void;
  /** Open the shortening editor ("Shorten…") of the linked-quote node with this key. */
  shortenQuote(nodeKey: string): void;
}

export const MemoContext = createContext<MemoContextValue>({ quotes: new Map(), citations: new Map(), openQuote: () => undefined, editCitation: () => undefined, shortenQuote: () => undefined });

export function useMemoContext(): MemoContextValue {
  return useContext(MemoContext);
}
