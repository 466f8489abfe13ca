/**
 * Memo links allow only http, https and mailto (issue 5 part 8), on every way a link can
 * enter the editor: the link dialog (parseLinkInput), LinkPlugin's validateUrl, and here,
 * a node transform for everything else: pasted HTML (Lexical's LinkNode imports any
 * <a href>), the Markdown `[text](url)` shortcut, and memo content loaded from the store
 * (a memo saved through the API can hold any URL). A link whose URL `safeLinkUrl` refuses
 * is replaced by its own children: the words stay, the link goes.
 */
import { AutoLinkNode, LinkNode } from '@lexical/link';
import { $unwrapNode } from '@lexical/utils';
import type { LexicalEditor } from 'lexical';
import { safeLinkUrl } from '../../../shared/printHtml';

function $unlinkUnsafe(node: LinkNode): void {
  if (safeLinkUrl(node.getURL()) === null) $unwrapNode(node);
}

/**
 * Register the transform on `editor` for links and autolinks; returns the unregister
 * function. Registering marks existing link nodes dirty, so links already in the document
 * (loaded content) are checked at once, not only new ones.
 */
export function registerSafeLinks(editor: LexicalEditor): () => void {
  const offLink = editor.registerNodeTransform(LinkNode, $unlinkUnsafe);
  const offAuto = editor.registerNodeTransform(AutoLinkNode, $unlinkUnsafe);
  return () => {
    offLink();
    offAuto();
  };
}
