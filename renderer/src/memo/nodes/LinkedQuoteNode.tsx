/**
 * LinkedQuoteNode: a block in a memo that stands for a saved quote. It holds the quote's
 * id, its source's id and a snapshot of the quote's text when it was inserted; what it
 * shows (the verbatim text and the citation) comes from the store, so the text cannot
 * be edited inside the memo. Its view is `LinkedQuoteComponent` (node and view split as
 * the Lexical playground's ImageNode does).
 *
 * JSON (version 1): `{ type: 'linked-quote', version: 1, quoteId, sourceId, snapshot }`.
 */
import type { JSX } from 'react';
import { DecoratorNode, type DOMExportOutput, type LexicalNode, type LexicalUpdateJSON, type NodeKey, type SerializedLexicalNode, type Spread } from 'lexical';
import { LINKED_QUOTE_TYPE, LINKED_QUOTE_VERSION } from '../../../../shared/memoDocument';
import { LinkedQuoteComponent } from './LinkedQuoteComponent';

export type SerializedLinkedQuoteNode = Spread<{ quoteId: string; sourceId: string; snapshot: string }, SerializedLexicalNode>;

export class LinkedQuoteNode extends DecoratorNode<JSX.Element> {
  __quoteId: string;
  __sourceId: string;
  __snapshot: string;

  static override getType(): string {
    return LINKED_QUOTE_TYPE;
  }

  static override clone(node: LinkedQuoteNode): LinkedQuoteNode {
    return new LinkedQuoteNode(node.__quoteId, node.__sourceId, node.__snapshot, node.__key);
  }

  static override importJSON(json: SerializedLinkedQuoteNode): LinkedQuoteNode {
    return $createLinkedQuoteNode(json.quoteId, json.sourceId, json.snapshot).updateFromJSON(json);
  }

  constructor(quoteId: string, sourceId: string, snapshot: string, key?: NodeKey) {
    super(key);
    this.__quoteId = quoteId;
    this.__sourceId = sourceId;
    this.__snapshot = snapshot;
  }

  override updateFromJSON(json: LexicalUpdateJSON<SerializedLinkedQuoteNode>): this {
    return super.updateFromJSON(json);
  }

  override exportJSON(): SerializedLinkedQuoteNode {
    return { ...super.exportJSON(), type: LINKED_QUOTE_TYPE, version: LINKED_QUOTE_VERSION, quoteId: this.__quoteId, sourceId: this.__sourceId, snapshot: this.__snapshot };
  }

  override createDOM(): HTMLElement {
    const div = document.createElement('div');
    div.className = 'linked-quote-block';
    return div;
  }

  override updateDOM(): false {
    return false;
  }

  override exportDOM(): DOMExportOutput {
    const blockquote = document.createElement('blockquote');
    blockquote.textContent = this.__snapshot;
    blockquote.setAttribute('data-verbatim-quote-id', this.__quoteId);
    return { element: blockquote };
  }

  override isInline(): false {
    return false;
  }

  override isKeyboardSelectable(): boolean {
    return true;
  }

  override getTextContent(): string {
    return `${this.getLatest().__snapshot}\n\n`;
  }

  getQuoteId(): string {
    return this.getLatest().__quoteId;
  }

  override decorate(): JSX.Element {
    return <LinkedQuoteComponent nodeKey={this.getKey()} quoteId={this.__quoteId} snapshot={this.__snapshot} />;
  }
}

export function $createLinkedQuoteNode(quoteId: string, sourceId: string, snapshot: string): LinkedQuoteNode {
  return new LinkedQuoteNode(quoteId, sourceId, snapshot);
}

export function $isLinkedQuoteNode(node: LexicalNode | null | undefined): node is LinkedQuoteNode {
  return node instanceof LinkedQuoteNode;
}
