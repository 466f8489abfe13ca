/**
 * Reading a memo's serialized Lexical state without Lexical: the node shapes Verbatim
 * writes (Lexical 0.52's exportJSON formats plus our linked-quote node), the
 * linked quotes in document order, and the drag-and-drop payloads.
 *
 * Pure, no DOM: the services use it to collect cites and to print, the renderer to
 * name the MIME types it drags.
 */
import { z } from 'zod';
import type { MemoContent } from './model';

/** Lexical node type of a linked quote. */
export const LINKED_QUOTE_TYPE = 'linked-quote';

/** Version of the linked-quote node's JSON; bump with a migration in `importJSON`. */
export const LINKED_QUOTE_VERSION = 1;

/**
 * A linked quote as persisted in a memo: the quote's id (the text and citation shown
 * come from the store) and a snapshot of its `exact` when it was inserted, to detect drift
 * and to show something if the quote is later deleted.
 */
export const SerializedLinkedQuote = z.looseObject({
  type: z.literal(LINKED_QUOTE_TYPE),
  version: z.number().int(),
  quoteId: z.string().min(1),
  sourceId: z.string().min(1),
  snapshot: z.string(),
});
export type SerializedLinkedQuote = z.infer<typeof SerializedLinkedQuote>;

/** Any serialized Lexical node, loosely: a type and maybe children. */
export interface SerializedNodeLike {
  type: string;
  children?: SerializedNodeLike[];
  [key: string]: unknown;
}

/** Depth-first, document-order walk of every node under the root. */
export function* walkNodes(content: MemoContent): Generator<SerializedNodeLike> {
  const stack: SerializedNodeLike[] = [...(content.root.children as SerializedNodeLike[])].reverse();
  while (stack.length > 0) {
    const node = stack.pop()!;
    yield node;
    if (Array.isArray(node.children)) for (let i = node.children.length - 1; i >= 0; i -= 1) stack.push(node.children[i]!);
  }
}

/** The memo's linked quotes in document order (a node that does not parse is skipped, never guessed at). */
export function linkedQuotesInOrder(content: MemoContent): SerializedLinkedQuote[] {
  const out: SerializedLinkedQuote[] = [];
  for (const node of walkNodes(content)) {
    if (node.type !== LINKED_QUOTE_TYPE) continue;
    const parsed = SerializedLinkedQuote.safeParse(node);
    if (parsed.success) out.push(parsed.data);
  }
  return out;
}

/** Lexical node type of a plain citation of a source (no quote), inline in the text. */
export const CITATION_TYPE = 'citation';

/** Version of the citation node's JSON. */
export const CITATION_VERSION = 1;

/**
 * A plain citation as persisted in a memo: the source cited and the optional locator
 * (`label` a CSL locator term, default "page"), prefix ("see") and suffix ("emphasis added").
 */
export const SerializedCitation = z.looseObject({
  type: z.literal(CITATION_TYPE),
  version: z.number().int(),
  sourceId: z.string().min(1),
  locator: z.string().max(1000).default(''),
  label: z.string().max(100).default('page'),
  prefix: z.string().max(1000).default(''),
  suffix: z.string().max(1000).default(''),
  suppressAuthor: z.boolean().default(false),
});
export type SerializedCitation = z.infer<typeof SerializedCitation>;

/**
 * One cite of a memo in document order: a linked quote, or a plain citation.
 * `groupWithPrevious` marks a citation that directly follows another citation (nothing
 * but white space between them): the two print as one citation, "(Doe, 2020; Roe, 2021)".
 */
export type MemoCite = { kind: 'quote'; node: SerializedLinkedQuote } | { kind: 'citation'; node: SerializedCitation; groupWithPrevious: boolean };

/** True when `previous` (the sibling before a citation, white-space text skipped) is itself a citation. */
export function isCitationGroupNeighbour(siblings: readonly SerializedNodeLike[], index: number): boolean {
  for (let i = index - 1; i >= 0; i -= 1) {
    const node = siblings[i]!;
    if (node.type === 'text' && typeof node.text === 'string' && node.text.trim() === '') continue;
    return node.type === CITATION_TYPE;
  }
  return false;
}

/**
 * Every cite of the memo (linked quotes and plain citations) in document order, the
 * order citeproc-js must see them in for ibid., note numbers and disambiguation.
 * A node that does not parse is skipped, never guessed at.
 */
export function citesInOrder(content: MemoContent): MemoCite[] {
  const out: MemoCite[] = [];
  const visit = (siblings: readonly SerializedNodeLike[]) => {
    siblings.forEach((node, index) => {
      if (node.type === LINKED_QUOTE_TYPE) {
        const parsed = SerializedLinkedQuote.safeParse(node);
        if (parsed.success) out.push({ kind: 'quote', node: parsed.data });
      } else if (node.type === CITATION_TYPE) {
        const parsed = SerializedCitation.safeParse(node);
        if (parsed.success) out.push({ kind: 'citation', node: parsed.data, groupWithPrevious: isCitationGroupNeighbour(siblings, index) });
      }
      if (Array.isArray(node.children)) visit(node.children);
    });
  };
  // Iterative enough: memo documents are checked to nest at most MEMO_MAX_DEPTH (40) levels.
  visit(content.root.children as SerializedNodeLike[]);
  return out;
}

/** MIME type of a quote card dragged from the library; payload {@link QuoteDragPayload}. Lower case, as Chromium requires. */
export const QUOTE_DRAG_MIME = 'application/x-verbatim-quote';

/** MIME type of a reader selection dragged into a memo; payload {@link SelectionDragPayload}. */
export const SELECTION_DRAG_MIME = 'application/x-verbatim-selection';

/** Drag payload of a saved quote: `{ v: 1, quoteId }`; the quote itself is read from the store. */
export const QuoteDragPayload = z.object({ v: z.literal(1), quoteId: z.string().min(1) });
export type QuoteDragPayload = z.infer<typeof QuoteDragPayload>;

/**
 * Drag payload of a reader selection, to be saved as a quote on drop. Offsets as in
 * TextPositionSelector; speaker and note as typed in the save popover, if any.
 */
export const SelectionDragPayload = z.object({
  v: z.literal(1),
  sourceId: z.string().min(1),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  speaker: z.string().max(500).optional(),
  note: z.string().max(20000).optional(),
});
export type SelectionDragPayload = z.infer<typeof SelectionDragPayload>;
