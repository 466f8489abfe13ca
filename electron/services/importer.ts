/**
 * Turning a file or a paste into a source: decode, check, extract text and metadata.
 *
 * - .txt / .text: the text as it is (line endings normalized to LF, a BOM dropped);
 *   the title is the first non-empty line.
 * - .md / .markdown: rendered by marked, sanitized by DOMPurify, and read as text like
 *   HTML (so quotes never pick up `*` or `#`); the title is the first heading
 *   (ATX `# Title` or setext), else the first line.
 * - .html / .htm / .xhtml: parsed by jsdom (scripts never run), cleaned of page chrome
 *   Readability keeps (navigation, skip links, dialogs, ad labels, share/related/comments
 *   blocks, the article header's kicker, byline and date line: formats/preclean.ts), the
 *   article found by Mozilla Readability, sanitized by DOMPurify; the text is the
 *   sanitized article's text, one paragraph per block, with the source's characters
 *   (soft hyphens included: matching drops them, see shared/normalize.ts). Title, byline, site name, date and URL come from
 *   the page's metadata. Readability's cost grows faster than the page, so pages with
 *   more than {@link READABILITY_MAX_ELEMENTS} elements are read whole (minus navigation,
 *   headers, footers and forms), and pages over {@link MAX_HTML_ELEMENTS} elements or
 *   nested deeper than {@link MAX_HTML_DEPTH} are refused before they are parsed.
 * - .mhtml / .mht (a page saved by a browser as one file): the page's HTML part is found
 *   by formats/mhtml.ts and imported like .html; its Content-Location is the URL when the
 *   page declares none, and the day it was saved is `accessed`.
 * - .pdf: the text layer page by page, with page starts and labels (formats/pdf.ts).
 * - .docx: mammoth's HTML, sanitized and read like HTML without Readability (formats/docx.ts).
 * - .epub: the spine's chapters in order, each read like HTML (formats/epub.ts).
 *
 * PDF, DOCX and EPUB are binary and skip the text checks; MHTML is decoded part by part.
 * Each format's reader refuses what it cannot read with a clear message (damaged, encrypted,
 * a scan without text, a ZIP bomb); anything else a reader throws is reported as an
 * unreadable file, never as a crash.
 *
 * Every kind but plain text is read in the import worker (importPool.ts: a worker thread with
 * a heap cap, an RSS watchdog and a wall-clock timeout that terminates it), so a hostile
 * file cannot stall or exhaust the host.
 *
 * Every refusal is an ApiError with a code from the contract and a message for the user.
 * Runs under plain Node; never imports 'electron'.
 */
import iconv from 'iconv-lite';
import { marked } from 'marked';
import { Readability } from '@mozilla/readability';
import { ApiError, MAX_IMPORT_BYTES } from '../../shared/contract';
import { LANGUAGE_TAG_PATTERN, type CslItem } from '../../shared/model';
import { cslDateFromIso, declaredMetadata, parseByline } from './pageMetadata';
import { ARTICLE_KIND_BY_EXTENSION, type ArticleKind } from '../../shared/importFormats';
import { firstLineTitle, formatBytes, type ImportedDocument } from './formats/common';
import { importDocx, DOCX_MEDIA_TYPE } from './formats/docx';
import { importEpub, EPUB_MEDIA_TYPE } from './formats/epub';
import { countStartTags, estimateNestingDepth, MAX_HTML_DEPTH, MAX_HTML_ELEMENTS, parseHtml, readHtmlFragment, sanitizeToDom, htmlToText } from './formats/html';
import { MHTML_MEDIA_TYPE, readMhtml } from './formats/mhtml';
import { dropRepeatedHeadline, precleanForReadability } from './formats/preclean';
import { importPdf, PDF_MEDIA_TYPE } from './formats/pdf';
import { sharedImportPool, type ImportPool } from './importPool';

export type { ImportedDocument, PageStart } from './formats/common';
export { firstLineTitle } from './formats/common';
export { estimateNestingDepth, htmlToText, MAX_HTML_DEPTH, MAX_HTML_ELEMENTS, sanitizeHtml } from './formats/html';

type Kind = ArticleKind;

const KIND_BY_EXTENSION: Readonly<Record<string, Kind>> = ARTICLE_KIND_BY_EXTENSION;

const MEDIA_TYPE: Record<Kind, string> = {
  text: 'text/plain',
  markdown: 'text/markdown',
  html: 'text/html',
  mhtml: MHTML_MEDIA_TYPE,
  pdf: PDF_MEDIA_TYPE,
  docx: DOCX_MEDIA_TYPE,
  epub: EPUB_MEDIA_TYPE,
};

/** Kinds read from their bytes by a format reader, not decoded as text first (so the binary check does not apply). */
const PACKAGED_KINDS = new Set<Kind>(['pdf', 'docx', 'epub', 'mhtml']);

/** What to say about a few formats Verbatim does not read but can be converted into one it does. */
const CONVERT_HINTS: Record<string, string> = {
  doc: 'Save it as .docx (Word or LibreOffice) and import that.',
  odt: 'Save it as .docx (LibreOffice: File › Save As) and import that.',
  rtf: 'Save it as .docx and import that.',
  pages: 'Export it as Word (.docx) and import that.',
  webarchive: 'Save the page again as “Web Page, Single File” (.mhtml) or as .html.',
  djvu: 'Convert it to PDF (with a text layer) and import that.',
};

/** Pages with more elements than this are read whole instead of through Readability (real articles have 300-3,000). */
export const READABILITY_MAX_ELEMENTS = 4000;

/** File name extensions the importer accepts, for messages and file pickers. */
export const IMPORTABLE_EXTENSIONS = Object.keys(KIND_BY_EXTENSION).map((e) => `.${e}`);

/** Extensions of the kinds read as text (which must be UTF-8 or UTF-16 with a BOM), for the binary-file message. */
const TEXT_EXTENSIONS = Object.entries(KIND_BY_EXTENSION)
  .filter(([, kind]) => !PACKAGED_KINDS.has(kind))
  .map(([ext]) => `.${ext}`);

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
 * `declaredCharset`, from the transport, comes before all of these (HTML Living Standard:
 * the Content-Type header's charset wins over the page's own).
 * @throws ApiError `invalid_encoding` with the byte offset of the first invalid sequence.
 */
export function decodeText(bytes: Uint8Array, fileName: string, kind: 'text' | 'markdown' | 'html', declaredCharset?: string | null): string {
  // A charset the transport declares (an HTTP header, an MHTML part's header) is used as declared,
  // leniently, as browsers do; UTF-16 is left to the byte-order mark.
  if (declaredCharset && !/^utf-?16/i.test(declaredCharset) && iconv.encodingExists(declaredCharset)) {
    return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), declaredCharset);
  }
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

function metaContent(doc: Document, selectors: string[]): string | null {
  for (const selector of selectors) {
    const value = doc.querySelector(selector)?.getAttribute('content')?.trim();
    if (value) return value;
  }
  return null;
}

/** What a saved page's wrapper (MHTML) knows about it besides its HTML. */
interface HtmlContext {
  /** Where the page was saved from: its URL when the page declares none. */
  location?: string | null;
  /** The day it was saved (ISO date), for `accessed` when the page has a URL. */
  savedOn?: string | null;
  /** The media type to record (default text/html). */
  mediaType?: string;
}

/**
 * Readability's article from a clone of `doc`, cleaned first by {@link precleanForReadability}
 * (navigation, dialogs, ad labels, share/related/comments blocks, the article header's
 * kicker, byline and date line; never the body, see formats/preclean.ts). `doc` itself is
 * not changed: the metadata is read from it as the page declares it.
 */
function readArticle(doc: Document): ReturnType<Readability['parse']> {
  const clone = doc.cloneNode(true) as Document;
  precleanForReadability(clone);
  return new Readability(clone, { charThreshold: 100 }).parse();
}

function importHtml(source: string, fileName: string, context: HtmlContext = {}): ImportedDocument {
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
    const article = elements <= READABILITY_MAX_ELEMENTS ? readArticle(doc) : null;
    let contentRoot: Element;
    if (article?.content) {
      contentRoot = doc.createElement('div');
      contentRoot.innerHTML = article.content;
      dropRepeatedHeadline(contentRoot, article.title);
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
    const url = safeHttpUrl(doc.querySelector('link[rel="canonical"]')?.getAttribute('href') ?? metaContent(doc, ['meta[property="og:url"]'])) ?? safeHttpUrl(context.location);
    if (url) csl.URL = url;
    const accessed = url ? cslDateFromIso(context.savedOn) : null;
    if (accessed) csl.accessed = accessed;
    const lang = article?.lang ?? doc.documentElement.getAttribute('lang');
    if (lang && LANGUAGE_TAG_PATTERN.test(lang)) csl.language = lang;
    if (csl['container-title'] || csl.issued) csl.type = 'article-newspaper';
    // What the page declares (citation_*, JSON-LD) is laid over what Readability found.
    return { csl: declaredMetadata(doc, csl), text, html, mediaType: context.mediaType ?? MEDIA_TYPE.html };
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
  const { html, text } = readHtmlFragment(rendered);
  if (!text.trim()) throw new ApiError('empty_file', `“${fileName}” has no readable text.`);
  const title = fmTitle?.trim() || markdownTitle(markdown).replace(/[*_`]/g, '') || firstLineTitle(text);
  return { csl: { type: 'document', title }, text, html, mediaType: MEDIA_TYPE.markdown };
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
    const hint = CONVERT_HINTS[ext];
    throw new ApiError('unsupported_file', `Verbatim cannot import “${fileName}”: it imports ${IMPORTABLE_EXTENSIONS.join(', ')} files.${hint ? ` ${hint}` : ''}`);
  }
  return kind;
}

/** The page in an MHTML file, decoded in its part's charset (else as an HTML file would be), imported like HTML. */
function importMhtml(bytes: Uint8Array, fileName: string): ImportedDocument {
  const page = readMhtml(bytes, fileName);
  if (page.html.length === 0) throw new ApiError('empty_file', `“${fileName}” holds an empty web page: there is nothing to import.`);
  const source = decodeText(page.html, fileName, 'html', page.charset);
  return importHtml(source.replace(/^\uFEFF/, ''), fileName, { location: page.location, savedOn: page.savedOn, mediaType: MEDIA_TYPE.mhtml });
}

/** A format reader's result; an error that is not an ApiError (a library's own failure) becomes `unsupported_file` naming the file. */
async function readPackaged(kind: Kind, fileName: string, read: () => Promise<ImportedDocument> | ImportedDocument): Promise<ImportedDocument> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof ApiError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    const what = kind === 'pdf' ? 'PDF' : kind === 'docx' ? 'Word document' : kind === 'epub' ? 'EPUB book' : 'web archive';
    throw new ApiError('unsupported_file', `“${fileName}” could not be read as a ${what} (${reason.slice(0, 200)}). It may be damaged.`);
  }
}

/** Options of {@link importFile} and {@link readFileInProcess}. */
export interface ImportFileOptions {
  /** The charset the file came with (an HTTP header's), for text kinds. */
  charset?: string | null;
  /** The pool whose worker reads the file; default the process's shared one (importPool.ts). */
  pool?: ImportPool;
}

/** The cheap checks done before any reader runs: the kind by extension, not empty, not over MAX_IMPORT_BYTES. */
function checkFile(fileName: string, bytes: Uint8Array): Kind {
  const kind = kindOf(fileName);
  if (bytes.length === 0) throw new ApiError('empty_file', `“${fileName}” is empty: there is nothing to import.`);
  if (bytes.length > MAX_IMPORT_BYTES) {
    throw new ApiError('file_too_large', `“${fileName}” is ${formatBytes(bytes.length)}; Verbatim imports files up to ${formatBytes(MAX_IMPORT_BYTES)}. Split it into smaller parts.`);
  }
  return kind;
}

/**
 * Read a file's bytes into an {@link ImportedDocument}; the kind comes from the file
 * name's extension ({@link IMPORTABLE_EXTENSIONS}). `pages` is set for PDFs only.
 * Plain text is read here; every other kind (PDF, DOCX, EPUB, HTML, MHTML, Markdown: parsers
 * of untrusted markup and binaries) is read by {@link readFileInProcess} in the import
 * worker, off the host's main thread and under its time and memory limits (importPool.ts).
 * `bytes` is not changed.
 * @throws ApiError `empty_file`, `file_too_large` (over MAX_IMPORT_BYTES), `unsupported_file`
 *   (unknown extension; a text file that is binary; a PDF, DOCX, EPUB or MHTML that is
 *   damaged, encrypted, a scan without text, too large inside, or not what its name says),
 *   `invalid_encoding`, `import_timeout` (reading took longer than the worker allows),
 *   `import_too_much_memory` (it needed more memory than allowed: a decompression bomb).
 */
export async function importFile(fileName: string, bytes: Uint8Array, options: ImportFileOptions = {}): Promise<ImportedDocument> {
  const kind = checkFile(fileName, bytes);
  if (kind === 'text') return readFileInProcess(fileName, bytes, options);
  return (options.pool ?? sharedImportPool()).read({ fileName, bytes, charset: options.charset ?? null });
}

/**
 * {@link importFile}'s reading, in the calling thread (the import worker calls this; so do
 * tests of a reader's output). `pdfDecodedBytes` is the budget for a PDF's decoded Flate
 * streams (formats/pdfStreams.ts). Same errors as importFile but the two limit errors other
 * than `import_too_much_memory` from that budget.
 */
export async function readFileInProcess(fileName: string, bytes: Uint8Array, options: { charset?: string | null; pdfDecodedBytes?: number } = {}): Promise<ImportedDocument> {
  const kind = checkFile(fileName, bytes);
  if (kind === 'pdf') return readPackaged(kind, fileName, () => importPdf(bytes, fileName, { maxDecodedBytes: options.pdfDecodedBytes }));
  if (kind === 'docx') return readPackaged(kind, fileName, () => importDocx(bytes, fileName));
  if (kind === 'epub') return readPackaged(kind, fileName, () => importEpub(bytes, fileName));
  if (kind === 'mhtml') return readPackaged(kind, fileName, () => importMhtml(bytes, fileName));
  if (looksBinary(bytes)) {
    throw new ApiError('unsupported_file', `“${fileName}” looks like a binary file, not text (or it is UTF-16 text without a byte-order mark). Verbatim imports ${TEXT_EXTENSIONS.join(', ')} files as text in UTF-8.`);
  }
  const decoded = decodeText(bytes, fileName, kind, options.charset).replace(/^\uFEFF/, '');
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
