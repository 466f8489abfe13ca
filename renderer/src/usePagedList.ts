/**
 * A list read from the contract one page at a time (`sources.page`, `quotes.page`,
 * `memos.page`): the renderer holds only the pages scrolled to, never the whole library.
 *
 * `fetchPage(offset, limit)` answers `{ items, total, offset }`. The first page is read
 * whenever `key` changes (filters, sort, a library change); `loadMore()` reads the next
 * page, once at a time. Answers to an older `key` are dropped (a slow first page can
 * never overwrite a newer list). On a reload after a library change the list keeps as
 * many rows as were loaded (up to `maxReload`), so the scroll position holds.
 */
import { useCallback, useEffect, useRef, useState } from 'react';

export interface Page<T> {
  items: T[];
  total: number;
  offset: number;
}

export interface PagedList<T> {
  items: T[];
  /** How many rows the whole list has (from the last page read). */
  total: number;
  /** True once the first page for the current key has arrived. */
  loaded: boolean;
  /** Read the next page, unless all rows are loaded or a read is under way. */
  loadMore(): void;
}

/**
 * @param fetchPage reads rows [offset, offset+limit) of the list; rejections go to `onError`.
 * @param key the list's identity: a new key reads the list again from its first page.
 * @param pageSize rows per page (default 200).
 */
export function usePagedList<T>(fetchPage: (offset: number, limit: number) => Promise<Page<T>>, key: string, onError: (error: unknown) => void, pageSize = 200, maxReload = 2000): PagedList<T> {
  const [state, setState] = useState<{ key: string; items: T[]; total: number; loaded: boolean }>({ key: '', items: [], total: 0, loaded: false });
  const generation = useRef(0);
  const loading = useRef(false);
  const stateRef = useRef(state);
  stateRef.current = state;
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;
  const errorRef = useRef(onError);
  errorRef.current = onError;

  useEffect(() => {
    const gen = ++generation.current;
    loading.current = true;
    const keep = Math.min(Math.max(pageSize, stateRef.current.items.length), maxReload);
    fetchRef.current(0, keep).then(
      (page) => {
        if (gen !== generation.current) return;
        loading.current = false;
        setState({ key, items: page.items, total: page.total, loaded: true });
      },
      (error: unknown) => {
        if (gen !== generation.current) return;
        loading.current = false;
        errorRef.current(error);
      },
    );
  }, [key, pageSize, maxReload]);

  const loadMore = useCallback(() => {
    const current = stateRef.current;
    if (loading.current || !current.loaded || current.items.length >= current.total) return;
    const gen = generation.current;
    loading.current = true;
    fetchRef.current(current.items.length, pageSize).then(
      (page) => {
        if (gen !== generation.current) return;
        loading.current = false;
        setState((s) => (s.items.length === page.offset ? { ...s, items: [...s.items, ...page.items], total: page.total } : s));
      },
      (error: unknown) => {
        if (gen !== generation.current) return;
        loading.current = false;
        errorRef.current(error);
      },
    );
  }, [pageSize]);

  return { items: state.items, total: state.total, loaded: state.loaded, loadMore };
}
