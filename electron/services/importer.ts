/**
 * Turning a file or a paste into a source: decode, check, extract text and metadata.
 *
 * - .txt / .text: the text as it is (line endings normalized to LF, a BOM dropped);
 *   the title is the first non-empty line.
 * - .md / .markdown: rendered by marked, sanitized by DOMPurify, and read as text like
 *   HTML (so quotes never pick up `*` or `#`); the title is the first heading
 *   (ATX `# Title` or setext), else the first line.
 * - .html / .htm / .xhtml: parsed by jsdom (scripts never run), the article found by
 *   Mozilla Readability, sanitized by DOMPurify; the text is the sanitized article's
 *   text, one paragraph per block. Title, byline, site name, date and URL come from
 *   the page's metadata. Readability's cost grows faster than the page, so pages with
 *   more than {@link READABILITY_MAX_ELEMENTS} elements are read whole (minus navigation,
 *   headers, footers and forms), and pages over {@link MAX_HTML_ELEMENTS} elements or
 *   nested deeper than {@link MAX_HTML_DEPTH} are refused before they are parsed.
 *
 * Every refusal is an ApiError with a code from the contract and a message for the user.
 * Runs under plain Node; never imports 'electron'.
 */
import { JSDOM, VirtualConsole } from 'jsdom';
import iconv from 'iconv-lite';
import { marked } from 'marked';
import createDOMPurify from 'dompurify';
import { Readability } from '@mozilla/readability';
import { ApiError, MAX_IMPORT_BYTES } from '../../shared/contract';
import { cslDateFromInput, LANGUAGE_TAG_PATTERN, type CslItem, type CslName } from '../../shared/model';
import { cslDateFromIso, declaredMetadata, parseByline } from './pageMetadata';

/** What the importer makes of a file: the CSL item, the text quotes anchor in, sanitized HTML if any. */
export interface ImportedDocument {
  csl: CslItem;
  text: string;
  html: string | null;
  mediaType: string;
  /**
   * For paged originals (PDF): where each page starts in `text`, in order, as UTF-16
   * offsets, with the page's label ("iv", "12") for citation locators. Null otherwise.
   */
  pages?: PageStart[] | null;
}

/** Where one page of a paged original starts in the imported text. */
export interface PageStart {
  /** UTF-16 offset into the imported text where the page's text begins. */
  start: number;
  /** The page's label as printed (PDF page labels), else its 1-based number as a string. */
  label: string;
}

type Kind = 'text' | 'markdown' | 'html';

const KIND_BY_EXTENSION: Record<string, Kind> = {
  txt: 'text',
  text: 'text',
  md: 'markdown',
  markdown: 'markdown',
  html: 'html',
  htm: 'html',
  xhtml: 'html',
};

const MEDIA_TYPE: Record<Kind, string> = { text: 'text/plain', markdown: 'text/markdown', html: 'text/html' };

/** Pages with more elements than this are read whole instead of through Readability (real articles have 300-3,000). */
export const READABILITY_MAX_ELEMENTS = 4000;

/** Pages with more elements than this are refused: parsing and sanitizing them would take many seconds. */
export const MAX_HTML_ELEMENTS = 50_000;

/** Pages nested deeper than this are refused: jsdom's parser slows with the square of the depth and overflows its stack near 10,000. */
export const MAX_HTML_DEPTH = 400;

/** File name extensions the importer accepts, for messages and file pickers. */
export const IMPORTABLE_EXTENSIONS = Object.keys(KIND_BY_EXTENSION).map((e) => `.${e}`);

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`;
}

/**
 * True when the bytes look like a binary file: a NUL byte, or more than 10 % control
 * characters other than tab, CR, LF and form feed, in the first 8 KiB (the heuristic
 * git and file(1) use). UTF-16 with a BOM is text.
 */
export function looksBinary(bytes: Uint8Array): boolean {
  if (hasUtf16Bom(bytes)) return false;
  const head = bytes.subarray(0, 8192);
  let control = 0;
  for (const b of head) {
    if (b === 0) return true;
    if (b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 12) control += 1;
  }
  return head.length > 0 && control / head.length > 0.1;
}

function hasUtf16Bom(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
}

/**
 * Byte offset where the first invalid UTF-8 sequence starts (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF), or -1 when the bytes are valid.
 */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k += 1) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/**
 * Decode a file's bytes to a string: UTF-16 when it starts with a UTF-16 BOM, else
 * strict UTF-8 (a UTF-8 BOM is dropped). For HTML that is not valid UTF-8, the charset
 * its `<meta>` declares is used (e.g. windows-1252, Shift_JIS), decoded by iconv-lite.
 * @throws ApiError `invalid_encoding` with the byte offset of the first invalid sequence.
 */
export function decodeText(bytes: Uint8Array, fileName: string, kind: Kind): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    if (kind === 'html') {
      const head = new TextDecoder('latin1').decode(bytes.subarray(0, 4096));
      const charset = /<meta[^>]+charset=["']?([\w-]+)/i.exec(head)?.[1];
      // A <meta> that claims UTF-16 means UTF-8 (HTML Living Standard, "prescan a byte stream").
      // Decoded with iconv-lite: Node's own TextDecoder reads windows-1252 as ISO-8859-1,
      // turning curly quotes and dashes (0x91-0x97) into control characters.
      if (charset && !/^utf-?(8|16)/i.test(charset) && iconv.encodingExists(charset)) {
        return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), charset);
      }
    }
    const at = Math.max(0, firstInvalidUtf8Offset(bytes));
    throw new ApiError('invalid_encoding', `“${fileName}” is not valid UTF-8 text (the first bad byte is at offset ${at}). Save it as UTF-8 and import it again.`);
  }
}

/** The first non-empty line, trimmed, at most 300 characters; '' when there is none. */
export function firstLineTitle(text: string): string {
  const line = text.split('\n').find((l) => l.trim().length > 0) ?? '';
  return line.trim().slice(0, 300);
}

/** The first Markdown heading (ATX `# x` or setext `x\n===`), without its markup; else the first line. */
export function markdownTitle(text: string): string {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const atx = /^ {0,3}#{1,6}[ \t]+(.+?)[ \t#]*$/.exec(lines[i]!);
    if (atx) return atx[1]!.trim().slice(0, 300);
    if (i + 1 < lines.length && lines[i]!.trim() && /^ {0,3}(=+|-+)[ \t]*$/.test(lines[i + 1]!)) return lines[i]!.trim().slice(0, 300);
  }
  return firstLineTitle(text);
}

/** Today as a CSL date (for `accessed`). */
export function cslToday(now = new Date()): NonNullable<CslItem['accessed']> {
  return { 'date-parts': [[now.getUTCFullYear(), now.getUTCMonth() + 1, now.getUTCDate()]] };
}

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

const PURIFY_CONFIG = { USE_PROFILES: { html: true }, FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select'] };

/** Sanitize HTML with DOMPurify (default safe profile: no scripts, handlers, javascript: URLs, forms). */
export function sanitizeHtml(html: string, window: JSDOM['window']): string {
  const purify = createDOMPurify(window as unknown as Parameters<typeof createDOMPurify>[0]);
  return purify.sanitize(html, PURIFY_CONFIG);
}

/** Sanitize an element's content with DOMPurify, returning the clean tree (no re-parse). */
function sanitizeToDom(root: Element, window: JSDOM['window']): HTMLElement {
  const purify = createDOMPurify(window as unknown as Parameters<typeof createDOMPurify>[0]);
  return purify.sanitize(root, { ...PURIFY_CONFIG, RETURN_DOM: true }) as unknown as HTMLElement;
}

/** A jsdom that parses only: no scripts, no resources, and the page's own CSS errors not logged. */
function parseHtml(source: string): JSDOM {
  // jsdom reports CSS it cannot parse and the like as "jsdomError"s of the page; they are
  // about the imported page, not about Verbatim, so they are not forwarded to our log.
  const virtualConsole = new VirtualConsole();
  return new JSDOM(source, { contentType: 'text/html', virtualConsole });
}

function metaContent(doc: Document, selectors: string[]): string | null {
  for (const selector of selectors) {
    const value = doc.querySelector(selector)?.getAttribute('content')?.trim();
    if (value) return value;
  }
  return null;
}

/** Count start tags without parsing (an upper bound check before jsdom builds a tree). */
function countStartTags(source: string): number {
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

function importHtml(source: string, fileName: string): ImportedDocument {
  const depth = estimateNestingDepth(source);
  if (depth > MAX_HTML_DEPTH) {
    throw new ApiError('unsupported_file', `“${fileName}” nests its elements ${depth.toLocaleString('en-US')} levels deep; Verbatim imports pages nested up to ${MAX_HTML_DEPTH} levels (articles use a few dozen).`);
  }
  const tags = countStartTags(source);
  if (tags > MAX_HTML_ELEMENTS) {
    throw new ApiError(
      'unsupported_file',
      `“${fileName}” has about ${tags.toLocaleString('en-US')} HTML elements; Verbatim imports pages of up to ${MAX_HTML_ELEMENTS.toLocaleString('en-US')} (news articles have a few thousand). Save the article alone, or as text.`,
    );
  }
  const dom = parseHtml(source);
  try {
    const doc = dom.window.document;
    const elements = doc.getElementsByTagName('*').length;
    const article = elements <= READABILITY_MAX_ELEMENTS ? new Readability(doc.cloneNode(true) as Document, { charThreshold: 100 }).parse() : null;
    let contentRoot: Element;
    if (article?.content) {
      contentRoot = doc.createElement('div');
      contentRoot.innerHTML = article.content;
    } else {
      contentRoot = doc.body ?? doc.documentElement;
      for (const el of Array.from(contentRoot.querySelectorAll('nav, header, footer, aside, form, script, style, noscript, template'))) el.remove();
    }
    const clean = sanitizeToDom(contentRoot, dom.window);
    const html = clean.innerHTML;
    const text = htmlToText(clean);
    if (!text.trim()) throw new ApiError('empty_file', `“${fileName}” has no readable text.`);
    const title = (article?.title || doc.title || '').trim() || firstLineTitle(text);
    const csl: CslItem = { type: 'webpage', title };
    const byline = article?.byline ?? metaContent(doc, ['meta[name="author"]']);
    if (byline) {
      const author = parseByline(byline);
      if (author.length > 0) csl.author = author;
    }
    const site = article?.siteName ?? metaContent(doc, ['meta[property="og:site_name"]']);
    if (site) csl['container-title'] = site.trim();
    const issued = cslDateFromIso(article?.publishedTime ?? metaContent(doc, ['meta[property="article:published_time"]']));
    if (issued) csl.issued = issued;
    const url = safeHttpUrl(doc.querySelector('link[rel="canonical"]')?.getAttribute('href') ?? metaContent(doc, ['meta[property="og:url"]']));
    if (url) csl.URL = url;
    const lang = article?.lang ?? doc.documentElement.getAttribute('lang');
    if (lang && LANGUAGE_TAG_PATTERN.test(lang)) csl.language = lang;
    if (csl['container-title'] || csl.issued) csl.type = 'article-newspaper';
    // What the page declares (citation_*, JSON-LD) is laid over what Readability found.
    return { csl: declaredMetadata(doc, csl), text, html, mediaType: MEDIA_TYPE.html };
  } finally {
    dom.window.close();
  }
}

/** Markdown rendered by marked (GitHub-flavoured), sanitized, and read as text like HTML. */
function importMarkdown(source: string, fileName: string): ImportedDocument {
  // YAML front matter (--- ... --- at the very start) is metadata, not text; its title wins.
  const frontMatter = /^---\n([\s\S]*?)\n(?:---|\.\.\.)\n/.exec(source.replace(/\r\n?/g, '\n'));
  const markdown = source.replace(/\r\n?/g, '\n').slice(frontMatter ? frontMatter[0].length : 0);
  const fmTitle = frontMatter ? /^title:\s*["']?(.+?)["']?\s*$/m.exec(frontMatter[1]!)?.[1] : undefined;
  if (!markdown.trim()) throw new ApiError('empty_file', `“${fileName}” holds only white space: there is nothing to import.`);
  const rendered = marked.parse(markdown, { async: false, gfm: true });
  const dom = parseHtml('<!doctype html><body></body>');
  try {
    const container = dom.window.document.createElement('div');
    container.innerHTML = rendered;
    const clean = sanitizeToDom(container, dom.window);
    const text = htmlToText(clean);
    if (!text.trim()) throw new ApiError('empty_file', `“${fileName}” has no readable text.`);
    const title = fmTitle?.trim() || markdownTitle(markdown).replace(/[*_`]/g, '') || firstLineTitle(text);
    return { csl: { type: 'document', title }, text, html: clean.innerHTML, mediaType: MEDIA_TYPE.markdown };
  } finally {
    dom.window.close();
  }
}

/** The URL normalized by the WHATWG URL parser when it is absolute http(s); otherwise null. Quotes and spaces come out percent-encoded. */
export function safeHttpUrl(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null; // not a URL: the field is left out, as if the page had none
  }
}

/** The importer's kind for a file name, by extension. @throws ApiError `unsupported_file`. */
export function kindOf(fileName: string): Kind {
  const ext = /\.([^.\\/]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? '';
  const kind = KIND_BY_EXTENSION[ext];
  if (!kind) {
    throw new ApiError('unsupported_file', `Verbatim cannot import “${fileName}”: it imports ${IMPORTABLE_EXTENSIONS.join(', ')} files.`);
  }
  return kind;
}

/**
 * Read a file's bytes into an {@link ImportedDocument}.
 * @throws ApiError `empty_file`, `file_too_large`, `unsupported_file` (unknown extension or binary), `invalid_encoding`.
 */
export async function importFile(fileName: string, bytes: Uint8Array): Promise<ImportedDocument> {
  const kind = kindOf(fileName);
  if (bytes.length === 0) throw new ApiError('empty_file', `“${fileName}” is empty: there is nothing to import.`);
  if (bytes.length > MAX_IMPORT_BYTES) {
    throw new ApiError('file_too_large', `“${fileName}” is ${formatBytes(bytes.length)}; Verbatim imports files up to ${formatBytes(MAX_IMPORT_BYTES)}. Split it into smaller parts.`);
  }
  if (looksBinary(bytes)) {
    throw new ApiError('unsupported_file', `“${fileName}” looks like a binary file, not text (or it is UTF-16 text without a byte-order mark). Verbatim imports ${IMPORTABLE_EXTENSIONS.join(', ')} files in UTF-8.`);
  }
  const decoded = decodeText(bytes, fileName, kind).replace(/^\uFEFF/, '');
  if (kind === 'html') return importHtml(decoded, fileName);
  if (kind === 'markdown') return importMarkdown(decoded, fileName);
  return importPlainText(decoded, 'text', fileName);
}

/**
 * Text into an {@link ImportedDocument}: CRLF and CR become LF and unpaired surrogates
 * U+FFFD; nothing else changes. (`kind` "markdown" keeps the Markdown source as text.)
 * @throws ApiError `empty_file` when only white space remains.
 */
export function importPlainText(raw: string, kind: 'text' | 'markdown', label: string, title?: string): ImportedDocument {
  // Unpaired surrogates cannot be stored as UTF-8: make them U+FFFD here, so the stored
  // text and the offsets quotes are cut from stay the same string.
  const text = raw.replace(/\r\n?/g, '\n').toWellFormed();
  if (!text.trim()) {
    throw new ApiError('empty_file', label === 'paste' ? 'The pasted text is empty: there is nothing to import.' : `“${label}” holds only white space: there is nothing to import.`);
  }
  const derived = kind === 'markdown' ? markdownTitle(text) : firstLineTitle(text);
  return { csl: { type: 'document', title: (title ?? '').trim() || derived }, text, html: null, mediaType: MEDIA_TYPE[kind] };
}
