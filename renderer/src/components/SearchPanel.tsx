/**
 * Library search: the filter bar and the grouped results of `search.query`.
 *
 * - `useLibrarySearch` runs the query 150 ms after the last keystroke (prefix matching
 *   while typing is the service's: its last word is a prefix) and drops any answer that
 *   is not for the latest query and filters.
 * - `SearchResults` shows quotes, sources and memos in groups, best match first, each
 *   with its snippet: the snippet's parts are rendered as text, the matched words in
 *   `<mark>` (never as HTML). A quote hit is a draggable card like the library's.
 * - Keyboard: ArrowDown in the search box goes to the first result; ArrowUp/ArrowDown
 *   move between results across groups, Home/End to the first/last, Enter opens one,
 *   Escape goes back to the search box.
 */
import { Fragment, useEffect, useRef, useState, type DragEvent, type KeyboardEvent, type RefObject } from 'react';
import type { LibraryFilters, SnippetPart } from '../../../shared/contract';
import { QUOTE_DRAG_MIME, type QuoteDragPayload } from '../../../shared/memoDocument';
import { api } from '../api';

/** The quote filters the library and search share (the contract's own type). */
export type { LibraryFilters };

export type SearchAnswer = Awaited<ReturnType<(typeof api)['search.query']>>;

/** Filters without empty values, as the contract takes them. */
export function cleanFilters(filters: LibraryFilters): LibraryFilters {
  const out: LibraryFilters = {};
  if (filters.sourceId) out.sourceId = filters.sourceId;
  if (filters.tagId) out.tagId = filters.tagId;
  if (filters.projectId) out.projectId = filters.projectId;
  if (filters.used !== undefined) out.used = filters.used;
  if (filters.speaker?.trim()) out.speaker = filters.speaker.trim();
  if (filters.addedFrom) out.addedFrom = filters.addedFrom;
  if (filters.addedTo) out.addedTo = filters.addedTo;
  return out;
}

/**
 * The answer to `query` under `filters`, searched 150 ms after they last changed; null
 * while the query is empty. Errors go to `onError`; a late answer to an older query is dropped.
 */
export function useLibrarySearch(query: string, filters: LibraryFilters, version: number, onError: (error: unknown) => void): { answer: SearchAnswer | null; pending: boolean } {
  const [answer, setAnswer] = useState<{ for: string; value: SearchAnswer } | null>(null);
  const latest = useRef('');
  const errorRef = useRef(onError);
  errorRef.current = onError;
  const q = query.trim();
  const clean = cleanFilters(filters);
  const key = JSON.stringify([q, clean, version]);
  useEffect(() => {
    latest.current = key;
    if (!q) return;
    const timer = window.setTimeout(() => {
      api['search.query']({ q, filters: clean, limit: 50 }).then(
        (value) => latest.current === key && setAnswer({ for: key, value }),
        (error: unknown) => latest.current === key && errorRef.current(error),
      );
    }, 150);
    return () => window.clearTimeout(timer);
    // `key` covers q and the filters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  if (!q) return { answer: null, pending: false };
  return { answer: answer?.value ?? null, pending: answer?.for !== key };
}

/** A snippet: its parts as text, the matched words marked. */
export function Snippet({ parts }: { parts: readonly SnippetPart[] }) {
  return (
    <span className="snippet" dir="auto">
      {parts.map((part, i) => (part.hit ? <mark key={i}>{part.text}</mark> : <Fragment key={i}>{part.text}</Fragment>))}
    </span>
  );
}

interface ResultsProps {
  query: string;
  answer: SearchAnswer | null;
  pending: boolean;
  searchRef: RefObject<HTMLInputElement | null>;
  /** Results list element, so the search box's ArrowDown can reach it. */
  resultsRef: RefObject<HTMLDivElement | null>;
  onOpenQuote(id: string, sourceId: string): void;
  onOpenSource(id: string): void;
  onOpenMemo(id: string): void;
}

/** Move focus to the first search result, if there is one; true if it moved. */
export function focusFirstResult(results: HTMLElement | null): boolean {
  const first = results?.querySelector<HTMLElement>('[data-result]');
  first?.focus();
  return !!first;
}

export function SearchResults({ query, answer, pending, searchRef, resultsRef, onOpenQuote, onOpenSource, onOpenMemo }: ResultsProps) {
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const all = Array.from(resultsRef.current?.querySelectorAll<HTMLElement>('[data-result]') ?? []);
    const at = all.indexOf(document.activeElement as HTMLElement);
    if (event.key === 'Escape') {
      event.preventDefault();
      searchRef.current?.focus();
      return;
    }
    if (at < 0) return;
    const next = event.key === 'ArrowDown' ? at + 1 : event.key === 'ArrowUp' ? at - 1 : event.key === 'Home' ? 0 : event.key === 'End' ? all.length - 1 : null;
    if (next === null) return;
    event.preventDefault();
    if (next < 0) searchRef.current?.focus();
    else all[Math.min(next, all.length - 1)]?.focus();
  };
  const total = answer ? answer.quotes.length + answer.sources.length + answer.memos.length : 0;
  return (
    <section className="library-section search-results" aria-label="Search results" aria-busy={pending}>
      <header className="library-section-header">
        <h2>
          Search results{' '}
          {answer && (
            <span className="count" data-testid="search-total">
              {answer.total.quotes + answer.total.sources + answer.total.memos}
            </span>
          )}
        </h2>
        {pending && <span className="spinner" aria-label="Searching" />}
      </header>
      <div className="library-section-body" ref={resultsRef} onKeyDown={onKeyDown}>
        {!answer ? (
          <p className="empty">Searching…</p>
        ) : total === 0 ? (
          <p className="empty" data-testid="no-results">
            Nothing matches “{query.trim()}”. Try fewer words, a shorter word start, or clear the filters.
          </p>
        ) : (
          <>
            {answer.quotes.length > 0 && (
              <ResultGroup title="Quotes" shown={answer.quotes.length} total={answer.total.quotes}>
                <ul className="quote-list search-quote-list">
                  {answer.quotes.map((hit) => (
                    <QuoteHitCard key={hit.id} hit={hit} onOpen={() => onOpenQuote(hit.id, hit.sourceId)} />
                  ))}
                </ul>
              </ResultGroup>
            )}
            {answer.sources.length > 0 && (
              <ResultGroup title="Sources" shown={answer.sources.length} total={answer.total.sources}>
                <TitledHits hits={answer.sources} idAttribute="data-source-id" onOpen={onOpenSource} />
              </ResultGroup>
            )}
            {answer.memos.length > 0 && (
              <ResultGroup title="Memos" shown={answer.memos.length} total={answer.total.memos}>
                <TitledHits hits={answer.memos} idAttribute="data-memo-id" onOpen={onOpenMemo} />
              </ResultGroup>
            )}
          </>
        )}
      </div>
    </section>
  );
}

function ResultGroup({ title, shown, total, children }: { title: string; shown: number; total: number; children: React.ReactNode }) {
  return (
    <div className="search-group" role="group" aria-label={`${title} found`}>
      <h3 className="search-group-title">
        {title} <span className="count">{shown < total ? `${shown} of ${total}` : total}</span>
      </h3>
      {children}
    </div>
  );
}

function QuoteHitCard({ hit, onOpen }: { hit: SearchAnswer['quotes'][number]; onOpen(): void }) {
  const onDragStart = (event: DragEvent) => {
    const payload: QuoteDragPayload = { v: 1, quoteId: hit.id };
    event.dataTransfer.setData(QUOTE_DRAG_MIME, JSON.stringify(payload));
    event.dataTransfer.setData('text/plain', hit.exact);
    event.dataTransfer.effectAllowed = 'copy';
  };
  return (
    <li className="quote-card search-hit" draggable onDragStart={onDragStart} data-quote-id={hit.id} title="Drag into a memo, or open it in its source">
      <button type="button" className="quote-card-open" data-result onClick={onOpen}>
        <blockquote className="quote-card-text">
          <Snippet parts={hit.snippet} />
        </blockquote>
        <div className="quote-card-meta">
          {hit.speaker && <span className="quote-card-speaker">{hit.speaker}</span>}
          <span className="quote-card-citation">{hit.sourceTitle}</span>
        </div>
      </button>
    </li>
  );
}

/** Source or memo hits: each its title and highlighted snippet, a button that opens it (the id also in `idAttribute`, for tests and styling). */
function TitledHits({ hits, idAttribute, onOpen }: { hits: readonly { id: string; title: string; snippet: SearchAnswer['sources'][number]['snippet'] }[]; idAttribute: 'data-source-id' | 'data-memo-id'; onOpen(id: string): void }) {
  return (
    <ul className="search-hit-list">
      {hits.map((hit) => (
        <li key={hit.id} className="search-hit" {...{ [idAttribute]: hit.id }}>
          <button type="button" className="list-item" data-result onClick={() => onOpen(hit.id)}>
            <span className="list-item-title">{hit.title}</span>
            <Snippet parts={hit.snippet} />
          </button>
        </li>
      ))}
    </ul>
  );
}
