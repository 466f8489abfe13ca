/**
 * What every memo editor shares: the node classes a memo may hold, the theme's class
 * names, and the link check. The memo pane's editor and the read-only preview in History
 * use the same ones, so a revision looks as the memo did.
 */
import { AutoLinkNode, LinkNode } from '@lexical/link';
import { ListItemNode, ListNode } from '@lexical/list';
import { HeadingNode, QuoteNode } from '@lexical/rich-text';
import { safeLinkUrl } from '../../../shared/printHtml';
import { CitationNode } from './nodes/CitationNode';
import { LinkedQuoteNode } from './nodes/LinkedQuoteNode';

/** Lexical theme: class names styled in styles.css. */
export const MEMO_THEME = {
  paragraph: 'memo-p',
  heading: { h1: 'memo-h1', h2: 'memo-h2', h3: 'memo-h3' },
  list: { ul: 'memo-ul', ol: 'memo-ol', listitem: 'memo-li', nested: { listitem: 'memo-li-nested' } },
  link: 'memo-link',
  quote: 'memo-quote',
  text: { bold: 'memo-bold', italic: 'memo-italic', underline: 'memo-underline', strikethrough: 'memo-strike', code: 'memo-code' },
};

/** The node classes a memo may hold (shared/model.ts MEMO_NODE_TYPES names their types). */
export const MEMO_NODES = [HeadingNode, QuoteNode, ListNode, ListItemNode, LinkNode, AutoLinkNode, LinkedQuoteNode, CitationNode];

/**
 * Link URLs the editor accepts (http, https, mailto: shared/printHtml.ts safeLinkUrl).
 * Module-level on purpose: a new function on each render makes LinkPlugin re-register,
 * which breaks undo into one step per keystroke.
 */
export const isSafeLink = (url: string): boolean => safeLinkUrl(url) !== null;
