/**
 * DOMPurify in Node, on one long-lived jsdom window, for HTML the services make from
 * data: citation and bibliography HTML from citeproc-js before it is stored in print HTML
 * or sent to the renderer.
 */
import { JSDOM } from 'jsdom';
import createDOMPurify from 'dompurify';
import { CITATION_HTML_ALLOWLIST } from '../../shared/printHtml';

let purifier: ReturnType<typeof createDOMPurify> | null = null;

function purify(): ReturnType<typeof createDOMPurify> {
  purifier ??= createDOMPurify(new JSDOM('<!doctype html>').window as unknown as Parameters<typeof createDOMPurify>[0]);
  return purifier;
}

/** Allow only the inline formatting and links citeproc-js produces: i, b, em, strong, span, sup, sub, div, a with class and href. */
export function purifyCitationHtml(html: string): string {
  return purify().sanitize(html, CITATION_HTML_ALLOWLIST);
}
