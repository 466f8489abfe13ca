/**
 * What the library indexes about a memo (issue 6): its plain text (for the memo full-text
 * index, `memos.plain_text` / `memos_fts`) and its cites in document order (the backlinks
 * index, `memo_quote_links`). Both are written in the same transaction as the memo itself
 * (`LibraryStore.saveMemo`, `restoreRevision`; migration 0005 for memos from before), so the
 * index never disagrees with the memo.
 * Runs under plain Node; never imports 'electron'.
 */
import { citesInOrder, LINKED_QUOTE_TYPE, walkNodes } from '../../shared/memoDocument';
import { memoContentProblem, StoredMemoContent, type MemoContent } from '../../shared/model';
import type { SqlExecutor } from './db';

/** One cite of a memo: its 0-based place among the memo's cites (`citesInOrder`), the quote (null for a plain citation) and the source. */
export interface MemoLink {
  position: number;
  quoteId: string | null;
  sourceId: string;
}

/** Node types that start a new line in the plain text. */
const BLOCKS = new Set(['paragraph', 'heading', 'quote', 'listitem', LINKED_QUOTE_TYPE]);

/**
 * A memo's text without markup: blocks (paragraphs, headings, block quotes, list items,
 * linked quotes) on lines of their own, text nodes as written, line breaks and tabs kept;
 * a linked quote reads as the writer's shortening if any, else its snapshot; citation nodes
 * add nothing (their source is indexed as a source). Nodes of unknown shape add nothing.
 */
export function memoPlainText(content: MemoContent): string {
  const parts: string[] = [];
  for (const node of walkNodes(content)) {
    if (BLOCKS.has(node.type) && parts.length > 0) parts.push('\n');
    if (node.type === 'text' && typeof node.text === 'string') parts.push(node.text);
    else if (node.type === 'linebreak') parts.push('\n');
    else if (node.type === 'tab') parts.push('\t');
    else if (node.type === LINKED_QUOTE_TYPE) {
      const shown = typeof node.shortened === 'string' ? node.shortened : typeof node.snapshot === 'string' ? node.snapshot : '';
      parts.push(shown);
    }
  }
  return parts.join('').replace(/\n{2,}/g, '\n').trim();
}

/** The memo's cites in document order, as backlink rows. */
export function memoLinks(content: MemoContent): MemoLink[] {
  return citesInOrder(content).map((cite, position) =>
    cite.kind === 'quote' ? { position, quoteId: cite.node.quoteId, sourceId: cite.node.sourceId } : { position, quoteId: null, sourceId: cite.node.sourceId },
  );
}

/**
 * Plain text and backlink rows of a memo's stored content (JSON text or parsed). Content
 * that is not a Lexical document (a damaged row) indexes as empty: no text, no links; the
 * memo itself is untouched and still opens in the editor, which says what it cannot read.
 */
export function memoIndexRows(content: string | MemoContent): { plainText: string; links: MemoLink[] } {
  let parsed: unknown = content;
  if (typeof content === 'string') {
    try {
      parsed = JSON.parse(content);
    } catch {
      return { plainText: '', links: [] };
    }
  }
  const checked = StoredMemoContent.safeParse(parsed);
  if (!checked.success || memoContentProblem(checked.data) !== null) return { plainText: '', links: [] };
  const doc = checked.data as MemoContent;
  return { plainText: memoPlainText(doc), links: memoLinks(doc) };
}

/**
 * Rewrite a memo's backlink rows from its content, inside the caller's transaction (the one
 * that writes the memo). Returns the plain text for the caller to store in `memos.plain_text`.
 */
export async function writeMemoIndex(tx: SqlExecutor, memoId: string, content: string | MemoContent): Promise<string> {
  const { plainText, links } = memoIndexRows(content);
  await tx.run('DELETE FROM memo_quote_links WHERE memo_id = ?', [memoId]);
  for (let i = 0; i < links.length; i += 200) {
    const chunk = links.slice(i, i + 200);
    await tx.run(
      `INSERT INTO memo_quote_links (memo_id, position, quote_id, source_id) VALUES ${chunk.map(() => '(?, ?, ?, ?)').join(', ')}`,
      chunk.flatMap((l) => [memoId, l.position, l.quoteId, l.sourceId]),
    );
  }
  return plainText;
}
