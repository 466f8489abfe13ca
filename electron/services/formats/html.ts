/**
 * The HTML machinery every importer shares: parsing without running anything (jsdom),
 * sanitizing (DOMPurify), reading sanitized HTML as text one paragraph per block, and
 * cheap size checks done on the source before a tree is built. Also an XML parser for
 * the XML inside DOCX and EPUB packages.
 *
 * Used by the HTML, Markdown, DOCX, EPUB and MHTML imports, so that text is cut into
 * paragraphs the same way whatever the file was. Runs under plain Node; never imports
 * 'electron'.
 */
import { JSDOM, VirtualConsole } from 'jsdom';
import createDOMPurify from 'dompurify';

/** Pages with more elements than this are refused: parsing and sanitizing them would take many seconds. */
export const MAX_HTML_ELEMENTS = 50_000;

/** Pages nested deeper than this are refused: jsdom's parser slows with the square of the depth and overflows its stack near 10,000. */
export const MAX_HTML_DEPTH = 400;

const BLOCK_TAGS = new Set([
  'ADDRESS', 'ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'DD', 'DETAILS', 'DIV', 'DL', 'DT', 'FIELDSET', 'FIGCAPTION', 'FIGURE', 'FOOTER',
  'FORM', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HEADER', 'HR', 'LI', 'MAIN', 'NAV', 'OL', 'P', 'PRE', 'SECTION', 'SUMMARY', 'TABLE',
  'TR', 'UL', 'CAPTION', 'TD', 'TH',
]);

/**
 * The readable text of an HTML fragment: one paragraph per block element, paragraphs
 * separated by a blank line, white space inside a paragraph collapsed as a browser
 * would (except in <pre>), `<br>` kept as a line break.
 */
export function htmlToText(root: Element): string {
  const paragraphs: string[] = [];
  let current = '';
  const flush = () => {
    const p = current.replace(/[ \t\f\r]+\n/g, '\n').replace(/\n[ \t\f\r]+/g, '\n').trim();
    if (p) paragraphs.push(p);
    current = '';
  };
  // An explicit stack, not recursion: a page may nest elements thousands deep.
  type Step = { node: Node; pre: boolean } | { close: true };
  const stack: Step[] = [{ node: root, pre: false }];
  while (stack.length > 0) {
    const step = stack.pop()!;
    if ('close' in step) {
      flush();
      continue;
    }
    const { node, pre } = step;
    if (node.nodeType === 3) {
      const data = node.nodeValue ?? '';
      current += pre ? data : data.replace(/[ \t\n\r\f]+/g, ' ');
      continue;
    }
    if (node.nodeType !== 1 && node.nodeType !== 11) continue;
    const tag = node.nodeType === 1 ? (node as Element).tagName.toUpperCase() : '#FRAGMENT';
    if (tag === 'BR') {
      current += '\n';
      continue;
    }
    if (tag === 'SCRIPT' || tag === 'STYLE' || tag === 'TEMPLATE' || tag === 'NOSCRIPT') continue;
    const block = BLOCK_TAGS.has(tag);
    if (block) {
      flush();
      stack.push({ close: true });
    }
    const children = node.childNodes;
    for (let i = children.length - 1; i >= 0; i -= 1) stack.push({ node: children[i]!, pre: pre || tag === 'PRE' });
  }
  flush();
  return paragraphs.map((p) => p.replace(/ +/g, ' ')).join('\n\n');
}

// Style attributes go too: the reader shows text, and CSS can still carry url(javascript:…) or
// fetch a remote image (url(http://…)) wherever the HTML is shown (found by e2e/xss.e2e.ts).
const PURIFY_CONFIG = { USE_PROFILES: { html: true }, FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select'], FORBID_ATTR: ['style'] };

/** Sanitize HTML with DOMPurify (default safe profile: no scripts, handlers, javascript: URLs, forms, style attributes). */
export function sanitizeHtml(html: string, window: JSDOM['window']): string {
  const purify = createDOMPurify(window as unknown as Parameters<typeof createDOMPurify>[0]);
  return purify.sanitize(html, PURIFY_CONFIG);
}

/** Sanitize an element's content with DOMPurify, returning the clean tree (no re-parse); the tree belongs to `window`'s document. */
export function sanitizeToDom(root: Element, window: JSDOM['window']): HTMLElement {
  const purify = createDOMPurify(window as unknown as Parameters<typeof createDOMPurify>[0]);
  return purify.sanitize(root, { ...PURIFY_CONFIG, RETURN_DOM: true }) as unknown as HTMLElement;
}

/** A jsdom that parses only: no scripts, no resources, and the page's own CSS errors not logged. Close its window when done. */
export function parseHtml(source: string): JSDOM {
  // jsdom reports CSS it cannot parse and the like as "jsdomError"s of the page; they are
  // about the imported page, not about Verbatim, so they are not forwarded to our log.
  const virtualConsole = new VirtualConsole();
  return new JSDOM(source, { contentType: 'text/html', virtualConsole });
}

/** A document type declaration with its internal subset (`<!DOCTYPE x [ <!ENTITY …> ]>`). */
const DOCTYPE = /<!DOCTYPE[^>[]*(?:\[[\s\S]*?\]\s*)?>/gi;

/**
 * The source without its document type declaration. jsdom's XML parser does expand the
 * entities a DTD's internal subset declares, so a 3 KB file declaring a 1 MB entity used
 * 300 times would fill the heap ("billion laughs"); without the declaration such
 * references are undefined and the document is not well-formed (refused, or read as
 * HTML, where `&big;` stays literal text).
 */
export function withoutDoctype(source: string): string {
  return source.replace(DOCTYPE, '');
}

/**
 * Parse XML (or XHTML with `contentType` 'application/xhtml+xml') with jsdom's XML parser,
 * after removing any DTD ({@link withoutDoctype}: its entities are never expanded; external
 * ones never fetched). Returns null when the text is not well-formed. Close the returned
 * window when done.
 */
export function parseXml(source: string, contentType: 'application/xml' | 'application/xhtml+xml' = 'application/xml'): JSDOM | null {
  try {
    return new JSDOM(withoutDoctype(source), { contentType, virtualConsole: new VirtualConsole() });
  } catch {
    return null; // not well-formed: the caller says what it was reading
  }
}

/** Options for {@link readHtmlElement} and {@link readHtmlFragment}. */
export interface ReadHtmlOptions {
  /**
   * Remove `<img>` (and `<picture>`, `<svg>`) from the clean HTML: for packages (DOCX,
   * EPUB) whose images live inside the archive, so their references lead nowhere.
   */
  dropImages?: boolean;
}

/**
 * Sanitize `root`'s content (DOMPurify) and read it: the clean HTML (`html`, serialized)
 * and its text by {@link htmlToText} (`text`). `root` is not changed.
 */
export function readHtmlElement(root: Element, window: JSDOM['window'], options: ReadHtmlOptions = {}): { html: string; text: string } {
  const clean = sanitizeToDom(root, window);
  if (options.dropImages) for (const el of Array.from(clean.querySelectorAll('img, picture, svg'))) el.remove();
  return { html: clean.innerHTML, text: htmlToText(clean) };
}

/**
 * An HTML fragment (a body's content) parsed into a `<div>` of `window`'s document, as
 * `div.innerHTML = fragment` would, but in linear time: jsdom's fragment parsing moves each
 * parsed node out of a temporary container, and each move recomputes the node's index among
 * its siblings, so a fragment of n siblings costs O(n²) (50,000 paragraphs: minutes). So the
 * fragment is parsed as a whole document, `<body><div>fragment</div></body>` (DOMParser:
 * document parsing appends, and stays linear), and that div is returned. When the fragment
 * closes the div itself (a stray `</div>`, so content landed after it), it is parsed through
 * innerHTML instead, so the result is always what innerHTML gives.
 */
export function parseBodyFragment(fragment: string, window: JSDOM['window']): HTMLElement {
  const doc = new window.DOMParser().parseFromString(`<!doctype html><html><head></head><body><div>${fragment}</div></body></html>`, 'text/html');
  const wrapper = doc.body.firstChild;
  if (doc.body.childNodes.length === 1 && wrapper?.nodeName === 'DIV') return wrapper as HTMLElement;
  const container = window.document.createElement('div');
  container.innerHTML = fragment;
  return container;
}

/** {@link readHtmlElement} for an HTML fragment given as a string (parsed by {@link parseBodyFragment} in a throwaway jsdom). */
export function readHtmlFragment(fragment: string, options: ReadHtmlOptions = {}): { html: string; text: string } {
  const dom = parseHtml('<!doctype html><body></body>');
  try {
    return readHtmlElement(parseBodyFragment(fragment, dom.window), dom.window, options);
  } finally {
    dom.window.close();
  }
}

/** Count start tags without parsing (an upper bound check before jsdom builds a tree). */
export function countStartTags(source: string): number {
  let n = 0;
  const re = /<[a-zA-Z]/g;
  while (re.exec(source)) n += 1;
  return n;
}

// Container elements that HTML never closes implicitly, so open minus close tags is their nesting.
const NESTING_TAGS = /<(\/?)(?:div|span|section|article|main|aside|blockquote|table|ul|ol|dl|font|b|i|em|strong|a|u|small|center|nav|header|footer|figure|fieldset|q|sub|sup|mark|s|del|ins)\b[^>]*>/gi;

/** The deepest nesting of container elements, counted on the source without parsing it. */
export function estimateNestingDepth(source: string): number {
  let depth = 0;
  let max = 0;
  NESTING_TAGS.lastIndex = 0;
  for (let m = NESTING_TAGS.exec(source); m; m = NESTING_TAGS.exec(source)) {
    depth = m[1] ? Math.max(0, depth - 1) : depth + 1;
    if (depth > max) max = depth;
  }
  return max;
}
