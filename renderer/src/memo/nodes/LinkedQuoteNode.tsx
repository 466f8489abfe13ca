/**
 * LinkedQuoteNode: a block in a memo that stands for a saved quote. It holds the quote's
 * id, its source's id, a snapshot of the quote's text when it was inserted (or when the
 * writer last accepted a change of it) and the writer's shortening with ellipses, if any;
 * what it shows (the verbatim text, its marks and the citation) comes from the store, so
 * the text cannot be edited inside the memo, only shortened (checked by
 * `checkShortening`). Its view is `LinkedQuoteComponent` (node and view split as the
 * Lexical playground's ImageNode does).
 *
 * JSON (version 2): `{ type: 'linked-quote', version: 2, quoteId, sourceId, snapshot, shortened }`,
 * `shortened` a string or null (the quote in full). Version 1 has no `shortened` and
 * reads as not shortened.
 *
 * Copying (HTML through `exportDOM`, plain text through `getTextContent`) gives what the
 * block shows: the shortening when it fits, the store's current text, and a dagger with
 * a note when the quote is marked (see `linkedQuoteView` in shared/memoDocument.ts).
 */
import type { JSX } from 'react';
import { DecoratorNode, type DOMExportOutput, type LexicalEditor, type LexicalNode, type LexicalUpdateJSON, type NodeKey, type SerializedLexicalNode, type Spread } from 'lexical';
import { LINKED_QUOTE_TYPE, LINKED_QUOTE_VERSION, linkedQuoteNotes, linkedQuotePlainText, linkedQuoteView, MISSING_QUOTE_NOTE, type LinkedQuoteView } from '../../../../shared/memoDocument';
import { LinkedQuoteComponent } from './LinkedQuoteComponent';
import { lookUpQuote } from './quoteLookup';

export type SerializedLinkedQuoteNode = Spread<{ quoteId: string; sourceId: string; snapshot: string; shortened?: string | null }, SerializedLexicalNode>;

export class LinkedQuoteNode extends DecoratorNode<JSX.Element> {
  __quoteId: string;
  __sourceId: string;
  __snapshot: string;
  __shortened: string | null;

  static override getType(): string {
    return LINKED_QUOTE_TYPE;
  }

  static override clone(node: LinkedQuoteNode): LinkedQuoteNode {
    return new LinkedQuoteNode(node.__quoteId, node.__sourceId, node.__snapshot, node.__shortened, node.__key);
  }

  /** Reads version 1 (no `shortened`) and version 2. */
  static override importJSON(json: SerializedLinkedQuoteNode): LinkedQuoteNode {
    const shortened = typeof json.shortened === 'string' ? json.shortened : null;
    return $createLinkedQuoteNode(json.quoteId, json.sourceId, json.snapshot, shortened).updateFromJSON(json);
  }

  constructor(quoteId: string, sourceId: string, snapshot: string, shortened: string | null = null, key?: NodeKey) {
    super(key);
    this.__quoteId = quoteId;
    this.__sourceId = sourceId;
    this.__snapshot = snapshot;
    this.__shortened = shortened;
  }

  override updateFromJSON(json: LexicalUpdateJSON<SerializedLinkedQuoteNode>): this {
    return super.updateFromJSON(json);
  }

  override exportJSON(): SerializedLinkedQuoteNode {
    return {
      ...super.exportJSON(),
      type: LINKED_QUOTE_TYPE,
      version: LINKED_QUOTE_VERSION,
      quoteId: this.__quoteId,
      sourceId: this.__sourceId,
      snapshot: this.__snapshot,
      shortened: this.__shortened,
    };
  }

  override createDOM(): HTMLElement {
    const div = document.createElement('div');
    div.className = 'linked-quote-block';
    return div;
  }

  override updateDOM(): false {
    return false;
  }

  /** What the block shows, from the store's record when the memo pane has it (else from the node alone, unmarked). */
  private view(editor?: LexicalEditor): LinkedQuoteView {
    const latest = this.getLatest();
    const record = lookUpQuote(latest.__quoteId, editor);
    return linkedQuoteView({ snapshot: latest.__snapshot, shortened: latest.__shortened }, record === undefined ? { exact: latest.__snapshot } : record);
  }

  /** A block quotation of the text as shown, with the dagger and note of its marks (as in the PDF). */
  override exportDOM(editor: LexicalEditor): DOMExportOutput {
    const view = this.view(editor);
    const blockquote = document.createElement('blockquote');
    blockquote.setAttribute('data-verbatim-quote-id', this.__quoteId);
    const text = document.createElement('p');
    text.textContent = view.text;
    blockquote.append(text);
    const notes = linkedQuoteNotes(view);
    const note = document.createElement('p');
    if (view.marks.includes('missing')) note.textContent = MISSING_QUOTE_NOTE;
    else if (notes.length > 0) {
      const dagger = document.createElement('sup');
      dagger.textContent = '†';
      text.append(dagger);
      note.textContent = `† ${notes.join(' ')}`;
    }
    if (note.textContent) blockquote.append(note);
    return { element: blockquote };
  }

  override isInline(): false {
    return false;
  }

  override isKeyboardSelectable(): boolean {
    return true;
  }

  override getTextContent(): string {
    return `${linkedQuotePlainText(this.view())}\n\n`;
  }

  getQuoteId(): string {
    return this.getLatest().__quoteId;
  }

  getSnapshot(): string {
    return this.getLatest().__snapshot;
  }

  /** The writer's shortening (as stored), or null when the quote is shown in full. */
  getShortened(): string | null {
    return this.getLatest().__shortened;
  }

  /** Set the writer's shortening (already accepted by `checkShortening`), or null to show the quote in full. */
  setShortened(shortened: string | null): void {
    this.getWritable().__shortened = shortened;
  }

  /** Accept the store's current text: the snapshot becomes `exact`, and the shortening `shortened` (kept or dropped by the caller). */
  setSnapshot(snapshot: string, shortened: string | null): void {
    const writable = this.getWritable();
    writable.__snapshot = snapshot;
    writable.__shortened = shortened;
  }

  override decorate(): JSX.Element {
    return <LinkedQuoteComponent nodeKey={this.getKey()} quoteId={this.__quoteId} snapshot={this.__snapshot} shortened={this.__shortened} />;
  }
}

export function $createLinkedQuoteNode(quoteId: string, sourceId: string, snapshot: string, shortened: string | null = null): LinkedQuoteNode {
  return new LinkedQuoteNode(quoteId, sourceId, snapshot, shortened);
}

export function $isLinkedQuoteNode(node: LexicalNode | null | undefined): node is LinkedQuoteNode {
  return node instanceof LinkedQuoteNode;
}
