/**
 * CitationNode: an inline citation of a source without a quote ("as Paul argues (Paul,
 * 2021, para. 4)"), with an optional CSL locator, prefix ("see") and suffix ("emphasis
 * added"). What it shows comes from citeproc-js through the memo's style: the in-text
 * citation, or the note number in a note style. Its view is `CitationComponent`.
 *
 * JSON (version 1): `{ type: 'citation', version: 1, sourceId, locator, label, prefix, suffix, suppressAuthor }`.
 */
import type { JSX } from 'react';
import { DecoratorNode, type DOMExportOutput, type LexicalNode, type LexicalUpdateJSON, type NodeKey, type SerializedLexicalNode, type Spread } from 'lexical';
import { CITATION_TYPE, CITATION_VERSION } from '../../../../shared/memoDocument';
import { CitationComponent } from './CitationComponent';

/** A citation's fields: the source and how it is cited. `label` is a CSL locator term (default "page"). */
export type CitationFields = {
  sourceId: string;
  locator: string;
  label: string;
  prefix: string;
  suffix: string;
  /** The sentence names the author: cite without it ("(2021, p. 4)"). */
  suppressAuthor: boolean;
};

export type SerializedCitationNode = Spread<{ sourceId: string; locator: string; label: string; prefix: string; suffix: string; suppressAuthor?: boolean }, SerializedLexicalNode>;

export class CitationNode extends DecoratorNode<JSX.Element> {
  __fields: CitationFields;

  static override getType(): string {
    return CITATION_TYPE;
  }

  static override clone(node: CitationNode): CitationNode {
    return new CitationNode({ ...node.__fields }, node.__key);
  }

  static override importJSON(json: SerializedCitationNode): CitationNode {
    return $createCitationNode({ sourceId: json.sourceId, locator: json.locator ?? '', label: json.label ?? 'page', prefix: json.prefix ?? '', suffix: json.suffix ?? '', suppressAuthor: json.suppressAuthor === true }).updateFromJSON(json);
  }

  constructor(fields: CitationFields, key?: NodeKey) {
    super(key);
    this.__fields = fields;
  }

  override updateFromJSON(json: LexicalUpdateJSON<SerializedCitationNode>): this {
    return super.updateFromJSON(json);
  }

  override exportJSON(): SerializedCitationNode {
    return { ...super.exportJSON(), type: CITATION_TYPE, version: CITATION_VERSION, ...this.getLatest().__fields };
  }

  override createDOM(): HTMLElement {
    const span = document.createElement('span');
    span.className = 'citation-node';
    return span;
  }

  override updateDOM(): false {
    return false;
  }

  override exportDOM(): DOMExportOutput {
    const cite = document.createElement('cite');
    cite.setAttribute('data-verbatim-source-id', this.__fields.sourceId);
    return { element: cite };
  }

  override isInline(): true {
    return true;
  }

  override isKeyboardSelectable(): boolean {
    return true;
  }

  override getTextContent(): string {
    return '';
  }

  getFields(): CitationFields {
    return { ...this.getLatest().__fields };
  }

  /** Replace the locator, label, prefix and suffix (the source stays). */
  setFields(fields: Omit<CitationFields, 'sourceId'>): void {
    const writable = this.getWritable();
    writable.__fields = { ...writable.__fields, ...fields };
  }

  override decorate(): JSX.Element {
    return <CitationComponent nodeKey={this.getKey()} />;
  }
}

export function $createCitationNode(fields: CitationFields): CitationNode {
  return new CitationNode(fields);
}

export function $isCitationNode(node: LexicalNode | null | undefined): node is CitationNode {
  return node instanceof CitationNode;
}
