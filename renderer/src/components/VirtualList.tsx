/**
 * A virtualized list for the library's panes (TanStack Virtual's `useVirtualizer`): only
 * the rows in view (plus `overscan` on each side) are in the DOM, each measured as it
 * renders (`measureElement`), so rows may differ in height (quote cards do).
 *
 * What a plain list gave for free and this keeps:
 * - keyboard: ArrowUp/ArrowDown (and Home/End) inside the list move focus to the row's
 *   first focusable control in the previous/next row, scrolling it into view first; Tab
 *   still walks the controls of the rows in the DOM;
 * - focus: the row holding focus stays rendered while it is scrolled out of view (it is
 *   added to the rendered range), so focus is never dropped to the page;
 * - the active row (the open source or memo) is scrolled into view when it changes;
 * - paging: `onNearEnd` is called when the last rendered row is within `pageAhead` rows of
 *   the end of `items`, so the owner can fetch the next page from the contract.
 *
 * Rows are `<li>` elements, absolutely positioned inside a `<ul>` whose height is the
 * list's total size; the scroll element is the one `scrollRef` points at (the section's body).
 */
import { Fragment, useCallback, useEffect, useRef, useState, type CSSProperties, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual';

/** What a row must put on its `<li>`: the measuring ref, its index and its position. */
export interface VirtualRowProps {
  ref: (node: HTMLLIElement | null) => void;
  'data-index': number;
  style: CSSProperties;
}

interface Props<T> {
  items: readonly T[];
  /** A stable key per item (its id). */
  getKey(item: T): string;
  /** Estimated row height in px, before a row is measured. */
  estimateSize: number;
  /** Space between rows in px. */
  gap?: number;
  /** The `<ul>`'s class (kept for styles and the e2e page object). */
  className: string;
  /** The scrolling element: the section's body. */
  scrollRef: RefObject<HTMLElement | null>;
  /** Index of the row to keep in view (the open source or memo), or -1. */
  activeIndex?: number;
  /** Called when the rendered range nears the end of `items` (fetch the next page). */
  onNearEnd?: () => void;
  /** How many rows before the end `onNearEnd` fires. Default 20. */
  pageAhead?: number;
  renderRow(item: T, index: number, row: VirtualRowProps): ReactNode;
}

/** The controls that take focus when the arrow keys move to a row: its main button first. */
const ROW_FOCUS = '.list-item, .quote-card-open, button, [tabindex]';

export function VirtualList<T>({ items, getKey, estimateSize, gap = 0, className, scrollRef, activeIndex = -1, onNearEnd, pageAhead = 20, renderRow }: Props<T>) {
  const [focusedIndex, setFocusedIndex] = useState(-1);
  const focusedRef = useRef(-1);
  focusedRef.current = focusedIndex;
  const rangeExtractor = useCallback((range: Range) => {
    const indexes = defaultRangeExtractor(range);
    const f = focusedRef.current;
    if (f >= 0 && f < range.count && !indexes.includes(f)) {
      indexes.push(f);
      indexes.sort((a, b) => a - b);
    }
    return indexes;
  }, []);
  const virtualizer = useVirtualizer<HTMLElement, HTMLLIElement>({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => estimateSize,
    getItemKey: (index) => getKey(items[index]!),
    overscan: 6,
    gap,
    rangeExtractor,
  });
  const virtualItems = virtualizer.getVirtualItems();
  // The scroll element is a parent's, whose ref React attaches only after this list's layout
  // effects ran on mount: render once more after mount so the virtualizer finds it.
  const [, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const listRef = useRef<HTMLUListElement>(null);

  useEffect(() => {
    if (activeIndex >= 0 && activeIndex < items.length) virtualizer.scrollToIndex(activeIndex, { align: 'auto' });
    // Only when the active row (or the list's length) changes, not on every scroll.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [activeIndex, items.length]);

  const lastRendered = virtualItems.length ? virtualItems[virtualItems.length - 1]!.index : -1;
  useEffect(() => {
    if (onNearEnd && items.length > 0 && lastRendered >= items.length - pageAhead) onNearEnd();
  }, [onNearEnd, lastRendered, items.length, pageAhead]);

  const focusRow = (index: number) => {
    virtualizer.scrollToIndex(index, { align: 'auto' });
    setFocusedIndex(index);
    // The row may render only after the scroll: try on the next frames until it is there.
    let tries = 0;
    const attempt = () => {
      const row = listRef.current?.querySelector<HTMLElement>(`:scope > li[data-index="${index}"]`);
      const target = row?.querySelector<HTMLElement>(ROW_FOCUS);
      if (target) target.focus();
      else if (tries++ < 10) requestAnimationFrame(attempt);
    };
    requestAnimationFrame(attempt);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const row = (event.target as HTMLElement).closest<HTMLElement>('li[data-index]');
    if (!row || row.parentElement !== listRef.current) return;
    const index = Number(row.dataset.index);
    const next = event.key === 'ArrowDown' ? index + 1 : event.key === 'ArrowUp' ? index - 1 : event.key === 'Home' ? 0 : event.key === 'End' ? items.length - 1 : null;
    if (next === null) return;
    event.preventDefault();
    if (next >= 0 && next < items.length && next !== index) focusRow(next);
  };

  return (
    <ul
      ref={listRef}
      className={`${className} virtual-list`}
      style={{ height: virtualizer.getTotalSize(), position: 'relative' }}
      onKeyDown={onKeyDown}
      onFocus={(event) => {
        const row = (event.target as HTMLElement).closest<HTMLElement>('li[data-index]');
        if (row && row.parentElement === listRef.current) setFocusedIndex(Number(row.dataset.index));
      }}
      onBlur={(event) => {
        if (!listRef.current?.contains(event.relatedTarget as Node | null)) setFocusedIndex(-1);
      }}
    >
      {virtualItems.map((v) => (
        <Fragment key={v.key}>
          {renderRow(items[v.index]!, v.index, {
            ref: virtualizer.measureElement,
            'data-index': v.index,
            style: { position: 'absolute', top: 0, left: 0, width: '100%', transform: `translateY(${v.start}px)` },
          })}
        </Fragment>
      ))}
    </ul>
  );
}
