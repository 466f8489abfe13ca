/**
 * Drops into the memo: a quote card from the library (QUOTE_DRAG_MIME), a selection from
 * the reader (SELECTION_DRAG_MIME, saved as a quote first), or a linked quote moved
 * within the memo (MOVE_BLOCK_MIME). Each lands as a LinkedQuoteNode exactly where it
 * is dropped: inside a paragraph the paragraph is split there; on another quote block
 * it goes after that block.
 *
 * DRAGOVER must call preventDefault for our MIME types or `drop` never fires; the drop
 * point comes from document.caretRangeFromPoint (see TOOLCHAIN.md).
 */
import { useEffect, useState } from 'react';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { $isListItemNode, $isListNode } from '@lexical/list';
import { $insertNodeToNearestRoot, mergeRegister } from '@lexical/utils';
import {
  $createParagraphNode,
  $createRangeSelection,
  $createRangeSelectionFromDom,
  $getNearestNodeFromDOMNode,
  $getNodeByKey,
  $getRoot,
  $getSelection,
  $isNodeSelection,
  $isRangeSelection,
  $isDecoratorNode,
  $isElementNode,
  $isTextNode,
  $setSelection,
  COMMAND_PRIORITY_HIGH,
  DRAGOVER_COMMAND,
  DROP_COMMAND,
  type LexicalEditor,
  type LexicalNode,
  type RangeSelection,
} from 'lexical';
import { QUOTE_DRAG_MIME, QuoteDragPayload, SELECTION_DRAG_MIME, SelectionDragPayload } from '../../../../shared/memoDocument';
import type { Quote } from '../../../../shared/model';
import { $createLinkedQuoteNode, $isLinkedQuoteNode } from '../nodes/LinkedQuoteNode';

/** MIME type for moving a linked quote inside the memo; the payload is its node key. */
export const MOVE_BLOCK_MIME = 'application/x-verbatim-move-block';

const OUR_TYPES = [QUOTE_DRAG_MIME, SELECTION_DRAG_MIME, MOVE_BLOCK_MIME];

/** Where a drop lands: after or before a block, at a caret inside text, or at the end. */
type DropTarget = { kind: 'after'; key: string } | { kind: 'before'; key: string } | { kind: 'caret'; selection: RangeSelection } | { kind: 'end' };

function caretRangeAt(x: number, y: number): Range | null {
  if (typeof document.caretRangeFromPoint === 'function') return document.caretRangeFromPoint(x, y);
  const pos = (document as Document & { caretPositionFromPoint?: (x: number, y: number) => { offsetNode: Node; offset: number } | null }).caretPositionFromPoint?.(x, y);
  if (!pos) return null;
  const range = document.createRange();
  range.setStart(pos.offsetNode, pos.offset);
  return range;
}

/** Must run inside editor.update(). */
function $dropTargetAt(editor: LexicalEditor, x: number, y: number): DropTarget {
  const root = editor.getRootElement();
  const range = caretRangeAt(x, y);
  if (!root || !range || !root.contains(range.startContainer)) return { kind: 'end' };
  // In the gap between two blocks the caret lands on the root itself: go between them.
  if (range.startContainer === root) {
    const before = root.childNodes[range.startOffset - 1];
    const after = root.childNodes[range.startOffset];
    const beforeNode = before ? $getNearestNodeFromDOMNode(before) : null;
    if (beforeNode) return { kind: 'after', key: beforeNode.getKey() }; // root's children are top-level blocks
    const afterNode = after ? $getNearestNodeFromDOMNode(after) : null;
    if (afterNode) return { kind: 'before', key: afterNode.getKey() };
    return { kind: 'end' };
  }
  const near = $getNearestNodeFromDOMNode(range.startContainer);
  if (near && $isDecoratorNode(near)) return { kind: 'after', key: near.getKey() };
  const domSelection = window.getSelection();
  if (!domSelection) return { kind: 'end' };
  domSelection.removeAllRanges();
  domSelection.addRange(range);
  const selection = $createRangeSelectionFromDom(domSelection, editor);
  return selection ? { kind: 'caret', selection } : { kind: 'end' };
}

/** Insert `node` at `target`. Must run inside editor.update(). */
function $insertAt(target: DropTarget, node: LexicalNode): void {
  if (target.kind === 'after' || target.kind === 'before') {
    const anchor = $getNodeByKey(target.key);
    if (anchor) {
      if (target.kind === 'after') anchor.insertAfter(node);
      else anchor.insertBefore(node);
      return;
    }
  }
  if (target.kind === 'caret' && $getNodeByKey(target.selection.anchor.key)?.isAttached() && $getNodeByKey(target.selection.focus.key)?.isAttached()) {
    // At the very start or end of a block, go before or after it: splitting there would
    // leave an empty paragraph behind. In the middle, split the block at the caret.
    const point = target.selection.focus;
    const block = point.getNode().getTopLevelElement();
    if (block && $isElementNode(block)) {
      const textBefore = $textBetween(block.getKey(), 0, 'element', point.key, point.offset, point.type);
      const textAfter = $textBetween(point.key, point.offset, point.type, block.getKey(), block.getChildrenSize(), 'element');
      // Dropped on an empty paragraph, or at the start of a block: go before it (an empty
      // paragraph then stays below the quote to type in, and drops in a row stack up).
      if (textBefore.trim() === '') {
        block.insertBefore(node);
        return;
      }
      if (textAfter.trim() === '') {
        block.insertAfter(node);
        if (!node.getNextSibling()) node.insertAfter($createParagraphNode());
        return;
      }
    }
    $setSelection(target.selection);
    $insertNodeToNearestRoot(node);
    $trimSplitEdges(node);
    $continueNumbering(node);
    return;
  }
  const rootNode = $getRoot();
  rootNode.append(node);
  if (!node.getNextSibling()) rootNode.append($createParagraphNode());
}

/** The text between two points (Lexical point keys, offsets and types). Must run inside editor.update(). */
function $textBetween(fromKey: string, fromOffset: number, fromType: 'text' | 'element', toKey: string, toOffset: number, toType: 'text' | 'element'): string {
  const range = $createRangeSelection();
  range.anchor.set(fromKey, fromOffset, fromType);
  range.focus.set(toKey, toOffset, toType);
  return range.getTextContent();
}

/**
 * A paragraph split by a drop keeps the space that stood at the split: drop it, so the
 * halves read "…differently." / "The filing…" and not " The filing…".
 */
function $trimSplitEdges(node: LexicalNode): void {
  const before = node.getPreviousSibling();
  const after = node.getNextSibling();
  const last = $isElementNode(before) ? before.getLastDescendant() : null;
  const first = $isElementNode(after) ? after.getFirstDescendant() : null;
  if ($isTextNode(last) && /\s$/.test(last.getTextContent())) {
    const trimmed = last.getTextContent().replace(/\s+$/, '');
    if (trimmed) last.setTextContent(trimmed);
    else last.remove();
  }
  if ($isTextNode(first) && /^\s/.test(first.getTextContent())) {
    const trimmed = first.getTextContent().replace(/^\s+/, '');
    if (trimmed) first.setTextContent(trimmed);
    else first.remove();
  }
}

/**
 * Insert `node` where the memo's cursor is (as a drop at that point would), after a
 * selected block, or at the end when the memo has no selection. Must run inside editor.update().
 */
export function $insertAtSelection(node: LexicalNode): void {
  const selection = $getSelection();
  if ($isRangeSelection(selection)) {
    $insertAt({ kind: 'caret', selection: selection.clone() }, node);
    return;
  }
  const selected = $isNodeSelection(selection) ? selection.getNodes().at(-1) : null;
  $insertAt(selected ? { kind: 'after', key: selected.getTopLevelElement()?.getKey() ?? selected.getKey() } : { kind: 'end' }, node);
}

/** A numbered list split by a drop goes on counting after the quote (3., not 1.). */
function $continueNumbering(node: LexicalNode): void {
  const before = node.getPreviousSibling();
  const after = node.getNextSibling();
  if ($isListNode(before) && $isListNode(after) && before.getListType() === 'number' && after.getListType() === 'number') {
    const items = before.getChildren().filter((child) => !($isListItemNode(child) && child.getChildren().every((c) => $isListNode(c)))).length;
    after.setStart(before.getStart() + items);
  }
}

function readJson(dataTransfer: DataTransfer, type: string): unknown {
  const raw = dataTransfer.getData(type);
  if (!raw) return null;
  try {
    return JSON.parse(raw);
  } catch {
    return null; // a payload that is not ours; the caller reports "could not read"
  }
}

/**
 * Where a drop at (x, y) would land, as the screen shows it: a horizontal line between
 * blocks, or a caret inside a paragraph that would be split there. Reads the DOM only,
 * following the same rules as {@link $dropTargetAt} and {@link $insertAt}; null when the
 * point is not over the editor.
 */
export function dropIndicatorAt(root: HTMLElement, x: number, y: number): { left: number; top: number; width: number; height: number } | null {
  const range = caretRangeAt(x, y);
  if (!range || !root.contains(range.startContainer)) return null;
  const rootBox = root.getBoundingClientRect();
  const line = (top: number) => ({ left: rootBox.left, top: top - 1, width: rootBox.width, height: 2 });
  if (range.startContainer === root) {
    const before = root.childNodes[range.startOffset - 1] as Element | undefined;
    const after = root.childNodes[range.startOffset] as Element | undefined;
    if (before && after) return line((before.getBoundingClientRect().bottom + after.getBoundingClientRect().top) / 2);
    return line(before ? before.getBoundingClientRect().bottom : (after?.getBoundingClientRect().top ?? rootBox.top));
  }
  let block: Node | null = range.startContainer;
  while (block && block.parentNode !== root) block = block.parentNode;
  if (!(block instanceof Element)) return null;
  const box = block.getBoundingClientRect();
  if (range.startContainer instanceof Element ? range.startContainer.closest('[contenteditable="false"]') : range.startContainer.parentElement?.closest('[contenteditable="false"]')) return line(box.bottom);
  const before = document.createRange();
  before.setStart(block, 0);
  before.setEnd(range.startContainer, range.startOffset);
  if (before.toString().trim() === '') return line(box.top);
  const after = document.createRange();
  after.setStart(range.startContainer, range.startOffset);
  after.setEnd(block, block.childNodes.length);
  if (after.toString().trim() === '') return line(box.bottom);
  const caret = range.getClientRects()[0] ?? range.getBoundingClientRect();
  return { left: caret.left - 1, top: caret.top, width: 2, height: Math.max(caret.height, 16) };
}

interface Props {
  /** Load a quote by id from the store (and remember it for display). */
  loadQuote(quoteId: string): Promise<Quote | null>;
  /** Save a reader selection as a quote. */
  createQuote(payload: SelectionDragPayload): Promise<Quote | null>;
  onError(message: string): void;
}

export function QuoteDropPlugin({ loadQuote, createQuote, onError }: Props) {
  const [editor] = useLexicalComposerContext();
  const [indicator, setIndicator] = useState<{ left: number; top: number; width: number; height: number } | null>(null);

  // Hide the drop indicator when the drag leaves the editor or ends anywhere.
  useEffect(() => {
    const hide = () => setIndicator(null);
    const onLeave = (event: DragEvent) => {
      const root = editor.getRootElement();
      if (root && !root.contains(event.relatedTarget as Node | null)) hide();
    };
    document.addEventListener('dragend', hide);
    document.addEventListener('drop', hide);
    const unregister = editor.registerRootListener((root, prev) => {
      prev?.removeEventListener('dragleave', onLeave);
      root?.addEventListener('dragleave', onLeave);
    });
    return () => {
      document.removeEventListener('dragend', hide);
      document.removeEventListener('drop', hide);
      unregister();
    };
  }, [editor]);

  useEffect(() => {
    const insertQuote = (target: DropTarget, quote: Quote) => {
      editor.update(() => {
        $insertAt(target, $createLinkedQuoteNode(quote.id, quote.sourceId, quote.textQuote.exact));
      });
    };
    return mergeRegister(
      editor.registerCommand(
        DRAGOVER_COMMAND,
        (event: DragEvent) => {
          const types = Array.from(event.dataTransfer?.types ?? []);
          if (!types.some((t) => OUR_TYPES.includes(t))) return false;
          event.preventDefault();
          if (event.dataTransfer) event.dataTransfer.dropEffect = types.includes(MOVE_BLOCK_MIME) ? 'move' : 'copy';
          const root = editor.getRootElement();
          setIndicator(root ? dropIndicatorAt(root, event.clientX, event.clientY) : null);
          return true;
        },
        COMMAND_PRIORITY_HIGH,
      ),
      editor.registerCommand(
        DROP_COMMAND,
        (event: DragEvent) => {
          const dt = event.dataTransfer;
          if (!dt) return false;
          const types = Array.from(dt.types);
          if (!types.some((t) => OUR_TYPES.includes(t))) return false;
          event.preventDefault();
          // Command listeners run inside an editor update, so $-functions work here directly.
          const target = $dropTargetAt(editor, event.clientX, event.clientY);
          if (types.includes(MOVE_BLOCK_MIME)) {
            const key = dt.getData(MOVE_BLOCK_MIME);
            const node = $getNodeByKey(key);
            if ($isLinkedQuoteNode(node) && !(target.kind === 'after' && target.key === key)) {
              node.remove();
              $insertAt(target, node);
            }
            return true;
          }
          if (types.includes(QUOTE_DRAG_MIME)) {
            const payload = QuoteDragPayload.safeParse(readJson(dt, QUOTE_DRAG_MIME));
            if (!payload.success) {
              onError('Could not read the dragged quote.');
              return true;
            }
            void loadQuote(payload.data.quoteId).then((quote) => {
              if (quote) insertQuote(target, quote);
              else onError('That quote is no longer in the library.');
            });
            return true;
          }
          const payload = SelectionDragPayload.safeParse(readJson(dt, SELECTION_DRAG_MIME));
          if (!payload.success) {
            onError('Could not read the dragged selection.');
            return true;
          }
          void createQuote(payload.data).then((quote) => {
            if (quote) insertQuote(target, quote);
          });
          return true;
        },
        COMMAND_PRIORITY_HIGH,
      ),
    );
  }, [editor, loadQuote, createQuote, onError]);

  return indicator ? <div className="drop-indicator" data-testid="drop-indicator" style={{ left: indicator.left, top: indicator.top, width: indicator.width, height: indicator.height }} /> : null;
}
