/**
 * How a linked-quote node finds its quote's store record outside React: the copy paths
 * (`exportDOM` for HTML, `getTextContent` for plain text) run in the node, which holds
 * only the quote's id. The memo pane registers, per editor, a function that answers from
 * the quotes it has loaded.
 */
import { $getEditor, type LexicalEditor } from 'lexical';
import type { LinkedQuoteRecord } from '../../../../shared/memoDocument';

/** A quote's record by id: the record, `null` when the store no longer has the quote, `undefined` when not loaded (yet). */
export type QuoteLookup = (quoteId: string) => LinkedQuoteRecord | null | undefined;

const lookups = new WeakMap<LexicalEditor, QuoteLookup>();

/** Register `lookup` for `editor`; returns the function that removes it. */
export function registerQuoteLookup(editor: LexicalEditor, lookup: QuoteLookup): () => void {
  lookups.set(editor, lookup);
  return () => {
    if (lookups.get(editor) === lookup) lookups.delete(editor);
  };
}

/**
 * The record of `quoteId` for `editor` (or, inside an editor read or update, the active
 * editor); `undefined` when unknown (no editor, nothing registered, not loaded).
 */
export function lookUpQuote(quoteId: string, editor?: LexicalEditor): LinkedQuoteRecord | null | undefined {
  let target = editor;
  if (!target) {
    try {
      target = $getEditor();
    } catch {
      return undefined; // read outside an editor (editorState.read without one): the node's own snapshot is used
    }
  }
  return lookups.get(target)?.(quoteId);
}
