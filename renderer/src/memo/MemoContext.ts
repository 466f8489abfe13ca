/**
 * What linked-quote components read from the memo around them: the quotes (from the
 * store, by id), the citation of each linked-quote node (by node key, in document
 * order from one citeproc-js engine), and how to open a quote's source.
 */
import { createContext, useContext } from 'react';
import type { RenderedCitation } from '../../../shared/contract';
import type { Quote } from '../../../shared/model';

export interface MemoContextValue {
  /** Quotes by id; `null` marks a quote the store no longer has; absent means not loaded yet. */
  quotes: ReadonlyMap<string, Quote | null>;
  /** Citation per linked-quote node key. */
  citations: ReadonlyMap<string, RenderedCitation>;
  /** Open the quote's source in the reader, scrolled to the passage. */
  openQuote(quoteId: string): void;
}

export const MemoContext = createContext<MemoContextValue>({ quotes: new Map(), citations: new Map(), openQuote: () => undefined });

export function useMemoContext(): MemoContextValue {
  return useContext(MemoContext);
}
