/**
 * Reading a memo's serialized Lexical state without Lexical: the node shapes Verbatim
 * writes (Lexical 0.52's exportJSON formats plus our linked-quote node), the
 * linked quotes in document order, what a linked quote shows (its shortening, and its
 * marks when its text drifted or its source changed), and the drag-and-drop payloads.
 *
 * Pure, no DOM: the services use it to collect cites and to print, the renderer to
 * name the MIME types it drags.
 */
import { z } from 'zod';
import { checkShortening, shortenedText } from './ellipsis';
import { readingText } from './normalize';
import type { MemoContent, QuoteAnchor } from './model';

/** Lexical node type of a linked quote. */
export const LINKED_QUOTE_TYPE = 'linked-quote';

/**
 * Version of the linked-quote node's JSON; bump with a migration in `importJSON`.
 * 1: `{ quoteId, sourceId, snapshot }`; 2 adds `shortened` (a version 1 node reads as not shortened).
 */
export const LINKED_QUOTE_VERSION = 2;

/**
 * A linked quote as persisted in a memo: the quote's id (the text and citation shown
 * come from the store), a snapshot of its `exact` when it was inserted or when the
 * writer last accepted a change of it, to detect drift and to show something if the
 * quote is later deleted, and the writer's shortening with ellipses (`null`: the quote
 * in full; absent in version 1). A shortening is checked with `checkShortening` against
 * the full text whenever it is shown or printed.
 */
export const SerializedLinkedQuote = z.looseObject({
  type: z.literal(LINKED_QUOTE_TYPE),
  version: z.number().int(),
  quoteId: z.string().min(1),
  sourceId: z.string().min(1),
  snapshot: z.string(),
  shortened: z.string().nullable().default(null),
});
export type SerializedLinkedQuote = z.infer<typeof SerializedLinkedQuote>;

/** What the store says about a linked quote's quote: its current text and, when known, its anchoring. */
export interface LinkedQuoteRecord {
  exact: string;
  /** The quote's anchor status (`Quote.anchor.status`); taken as 'anchored' when not given. */
  anchorStatus?: QuoteAnchor['status'];
}

/**
 * A mark on a linked quote, shown on its block and printed with it:
 * - `drift`: the quote's text in the library is no longer the text that was quoted into
 *   the memo (the source was edited or re-imported); the current text is shown until the
 *   writer accepts it ("Accept new text"), which clears the mark;
 * - `changed`: the source's wording changed and only an approximate match was found; the
 *   quote keeps the wording it was saved with until it is reviewed in the library;
 * - `orphaned`: the passage is no longer found in the source; the quote is kept as it was;
 * - `missing`: the quote was deleted from the library; the memo keeps what it showed.
 */
export type LinkedQuoteMark = 'drift' | 'changed' | 'orphaned' | 'missing';

/**
 * The notes printed under a marked quote (PDF export, copied text), for a reader who
 * has never seen Verbatim. (A deleted quote prints its own placeholder note.)
 */
export const LINKED_QUOTE_NOTES: Readonly<Record<Exclude<LinkedQuoteMark, 'missing'>, string>> = {
  drift: 'Text changed in the source since it was quoted; the current text is given.',
  changed: 'The source now words this passage differently; the quoted text is given.',
  orphaned: 'This passage is no longer found in the source; the quoted text is given.',
};

/** The note of a linked quote whose quote was deleted from the library. */
export const MISSING_QUOTE_NOTE = '[This quote is no longer in the library.]';

/** What a linked quote shows and prints, worked out from its node and the store's record (see {@link linkedQuoteView}). */
export interface LinkedQuoteView {
  /** The text to show: the writer's shortening when it fits the full text, else the full text. */
  text: string;
  /** The full text: the store's current `exact`, or the node's snapshot when the quote was deleted. */
  full: string;
  /** True when `text` is the writer's shortening. */
  shortened: boolean;
  /**
   * Why the writer's shortening is not shown (it no longer fits the full text, because the
   * source changed), or null. The shortening is kept in the memo until accepted or replaced.
   */
  staleShortening: string | null;
  /** When the store's text differs from the snapshot: what was quoted, and what the store holds now. */
  drift: { quoted: string; now: string } | null;
  /** The marks to show and print, in this order: missing, drift, changed, orphaned. */
  marks: LinkedQuoteMark[];
}

/**
 * What a linked quote shows, as the memo's block, the copy paths and the PDF printer all
 * show it. `record` is the store's quote, or null when it was deleted.
 *
 * The full text is the store's `exact` as it reads ({@link readingText}: a PDF's
 * line-end hyphenation undone, a paragraph's lines joined); a shortening is
 * shown only while `checkShortening(full, shortened)` accepts it (in its written form,
 * ellipses as "…"). A store text that differs from the snapshot is marked as drift.
 */
export function linkedQuoteView(node: { snapshot: string; shortened?: string | null }, record: LinkedQuoteRecord | null): LinkedQuoteView {
  // Shown as it reads: a PDF's line-end hyphenation undone, the lines of a paragraph joined (the stored text is untouched).
  const full = readingText(record ? record.exact : node.snapshot);
  const marks: LinkedQuoteMark[] = [];
  if (!record) marks.push('missing');
  const drift = record && record.exact !== node.snapshot ? { quoted: node.snapshot, now: record.exact } : null;
  if (drift) marks.push('drift');
  if (record?.anchorStatus === 'changed' || record?.anchorStatus === 'orphaned') marks.push(record.anchorStatus);
  let text = full;
  let shortened = false;
  let staleShortening: string | null = null;
  if (node.shortened != null) {
    const check = checkShortening(full, node.shortened);
    if (check.ok) {
      text = shortenedText(check.segments);
      shortened = true;
    } else staleShortening = check.reason;
  }
  return { text, full, shortened, staleShortening, drift, marks };
}

/** The plain text of a linked quote for copying: its text, then, when marked, "†" and the notes on a line of their own. */
export function linkedQuotePlainText(view: LinkedQuoteView): string {
  if (view.marks.includes('missing')) return `${view.text}\n${MISSING_QUOTE_NOTE}`;
  const notes = linkedQuoteNotes(view);
  return notes.length > 0 ? `${view.text}†\n† ${notes.join(' ')}` : view.text;
}

/**
 * The printed notes of a quote's marks (drift, changed, orphaned), in order; none for an
 * unmarked or deleted quote. A quote that is changed or orphaned in the library prints
 * that note alone: its drift note would say the opposite about which text is given.
 */
export function linkedQuoteNotes(view: LinkedQuoteView): string[] {
  const flagged = view.marks.includes('changed') || view.marks.includes('orphaned');
  return view.marks.flatMap((mark) => (mark === 'missing' || (mark === 'drift' && flagged) ? [] : [LINKED_QUOTE_NOTES[mark]]));
}

/**
 * Accepting the store's current text for a drifted linked quote: the snapshot becomes
 * `exact`; a shortening is kept when it still fits the new text, else it is dropped and
 * `dropped` says why (to tell the writer).
 */
export function acceptLinkedQuoteText(node: { shortened?: string | null }, exact: string): { snapshot: string; shortened: string | null; dropped: string | null } {
  if (node.shortened == null) return { snapshot: exact, shortened: null, dropped: null };
  const check = checkShortening(readingText(exact), node.shortened);
  return check.ok ? { snapshot: exact, shortened: shortenedText(check.segments), dropped: null } : { snapshot: exact, shortened: null, dropped: check.reason };
}

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
