/**
 * Defense in depth for HTML the renderer injects: citation and bibliography HTML from
 * citeproc-js (which already escapes item text) passes DOMPurify with a tiny allow-list.
 */
import DOMPurify from 'dompurify';
import { CITATION_HTML_ALLOWLIST } from '../../shared/printHtml';

/** Sanitize citeproc-js output: inline formatting, spans and divs with classes, links. */
export function sanitizeCitationHtml(html: string): string {
  return DOMPurify.sanitize(html, CITATION_HTML_ALLOWLIST);
}
