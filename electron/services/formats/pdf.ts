/**
 * PDF import: the text layer of every page, read with Mozilla's pdf.js (pdfjs-dist,
 * legacy build for Node), laid out as lines and paragraphs, plus where each page starts
 * and its printed label, and the metadata the file declares.
 *
 * pdf.js runs in the import worker (importPool.ts: time and memory limits) with its "fake
 * worker" (the same thread; Node has no web workers); it never
 * evaluates code from the file (`isEvalSupported: false`), loads no fonts into anything
 * (`disableFontFace`, no system fonts) and fetches nothing: it sees the bytes, plus the
 * character maps and standard-font data pdfjs-dist ships, read from its own folder.
 *
 * The text keeps the PDF's characters as they are: a hyphen at a line end stays, and so
 * does a soft hyphen or a ligature (text normalization is off). The matching layer
 * (shared/normalize.ts) treats "inter-\nnational" as "international"; the stored text
 * does not pretend the line break was not there.
 *
 * Runs under plain Node; never imports 'electron'.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { ApiError } from '../../../shared/contract';
import { bareDoi, LANGUAGE_TAG_PATTERN, type CslItem } from '../../../shared/model';
import { cslDateFromIso } from '../pageMetadata';
import { authorsFromMetadata, firstLineTitle, sensibleTitle, type ImportedDocument, type PageStart } from './common';
import { MAX_PDF_DECODED_BYTES, measureDecodedStreams } from './pdfStreams';
import { memoryError } from '../importPool';

/** PDFs with more pages than this are refused (a 2,000-page PDF is a whole shelf; reading one takes minutes). */
export const MAX_PDF_PAGES = 2000;

/** The media type recorded for imported PDFs. */
export const PDF_MEDIA_TYPE = 'application/pdf';

/** Limits for {@link importPdf}; tests lower them. */
export interface PdfOptions {
  /** Most pages accepted; default {@link MAX_PDF_PAGES}. */
  maxPages?: number;
  /**
   * Most bytes the PDF's non-image Flate streams may decode to, together; default
   * {@link MAX_PDF_DECODED_BYTES}. (Time is limited by the import worker: importPool.ts.)
   */
  maxDecodedBytes?: number;
}

/**
 * One piece of text as pdf.js reports it, reduced to what layout needs. Coordinates are
 * PDF user-space units (1/72 inch) with y growing upwards, as in the page's content.
 */
export interface PdfTextRun {
  /** The characters, as the PDF maps them to Unicode. */
  str: string;
  /** Position of the run's start along its line (x for upright text). */
  along: number;
  /** Position of the run's baseline across lines (y for upright text, larger is higher). */
  across: number;
  /** Advance of the run along its line, in the same units. */
  width: number;
  /** Font size in user-space units (the height of an em). */
  size: number;
  /** pdf.js saw the line end after this run. */
  eol: boolean;
}

interface Line {
  text: string;
  across: number;
  start: number;
  end: number;
  size: number;
}

/** Distance across lines below which two runs are on the same line, as a fraction of the larger font size (superscripts stay on their line). */
const SAME_LINE = 0.5;
/** A gap between lines more than this many times the page's usual line spacing starts a new paragraph. */
const PARAGRAPH_GAP = 1.4;
/** Usual line spacing assumed, in font sizes, when a page has too few lines to measure it. */
const DEFAULT_LEADING = 1.2;

/**
 * The text of one page from its runs, in the order the PDF draws them (which is the
 * reading order of nearly every PDF, columns included): runs on the same baseline join
 * into a line (with a space where the gap between them is wider than a quarter of the
 * font size and neither side has one), lines within a paragraph are separated by "\n",
 * and paragraphs by "\n\n". A paragraph ends where the gap to the next line is more than
 * {@link PARAGRAPH_GAP} times the page's usual line spacing (the lower quartile of its
 * gaps), or where the next line is higher on the page than the last (a new column).
 * Lines are trimmed; empty lines dropped. Returns '' for a page without text.
 */
export function layoutPageText(runs: readonly PdfTextRun[]): string {
  const lines: Line[] = [];
  let current: Line | null = null;
  let breakBefore = false;
  for (const run of runs) {
    if (run.str.length === 0) {
      if (run.eol) breakBefore = true;
      continue;
    }
    const sameLine = current !== null && !breakBefore && Math.abs(run.across - current.across) <= SAME_LINE * Math.max(run.size, current.size, 1);
    if (current && sameLine) {
      const gap = run.along - current.end;
      if (gap > 0.25 * Math.max(run.size, 1) && !/\s$/u.test(current.text) && !/^\s/u.test(run.str)) current.text += ' ';
      current.text += run.str;
      current.end = Math.max(current.end, run.along + run.width);
      current.size = Math.max(current.size, run.size);
    } else {
      current = { text: run.str, across: run.across, start: run.along, end: run.along + run.width, size: run.size };
      lines.push(current);
    }
    breakBefore = run.eol;
  }
  const kept = lines.map((l) => ({ ...l, text: l.text.trim() })).filter((l) => l.text.length > 0);
  if (kept.length === 0) return '';
  // The page's usual line spacing: the lower quartile of the downward gaps between lines.
  const gaps: number[] = [];
  for (let i = 1; i < kept.length; i += 1) {
    const gap = kept[i - 1]!.across - kept[i]!.across;
    if (gap > 0 && gap < 4 * Math.max(kept[i]!.size, kept[i - 1]!.size)) gaps.push(gap);
  }
  gaps.sort((a, b) => a - b);
  let out = kept[0]!.text;
  for (let i = 1; i < kept.length; i += 1) {
    const prev = kept[i - 1]!;
    const line = kept[i]!;
    const gap = prev.across - line.across;
    const size = Math.max(1, Math.min(prev.size, line.size));
    const leading = gaps.length >= 3 ? gaps[Math.floor((gaps.length - 1) / 4)]! : Math.min(DEFAULT_LEADING * size, ...gaps);
    const newParagraph = gap <= -SAME_LINE * size || gap > PARAGRAPH_GAP * leading;
    out += (newParagraph ? '\n\n' : '\n') + line.text;
  }
  return out;
}

/**
 * The runs of a pdf.js text content (`page.getTextContent().items`), in order, measured
 * along and across their own text direction (from each item's transform matrix), so a
 * page whose text is rotated lays out like an upright one. Marked-content markers and
 * other items without `str` are skipped.
 */
export function textRuns(items: readonly unknown[]): PdfTextRun[] {
  const runs: PdfTextRun[] = [];
  for (const item of items) {
    if (!item || typeof item !== 'object' || !('str' in item)) continue;
    const { str, transform, width, height, hasEOL } = item as { str: string; transform: number[]; width: number; height: number; hasEOL: boolean };
    const [a = 1, b = 0, c = 0, d = 1, e = 0, f = 0] = transform;
    // The text's direction from the matrix: runs are measured along and across it, so rotated pages read like upright ones.
    const angle = Math.atan2(b, a);
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    const size = Math.hypot(c, d) || Math.hypot(a, b) || height || 0;
    runs.push({ str, along: e * cos + f * sin, across: -e * sin + f * cos, width: Math.abs(width) || 0, size, eol: hasEOL === true });
  }
  return runs;
}

type PdfjsModule = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjsModule: Promise<PdfjsModule> | null = null;

/** pdf.js, loaded on the first PDF import, or up front by the import worker (it is large, and an ES module that this CommonJS code must import dynamically). */
export function loadPdfjs(): Promise<PdfjsModule> {
  pdfjsModule ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return pdfjsModule;
}

let dataDir: string | null | undefined;

/**
 * pdfjs-dist's folder, for the character maps (cmaps/: CJK fonts that are not embedded)
 * and the standard fonts' data (standard_fonts/) it ships; files read from disk, never
 * fetched. Null when it cannot be found, and pdf.js then does without them.
 */
function pdfjsDataDir(): string | null {
  if (dataDir === undefined) {
    try {
      dataDir = path.dirname(createRequire(__filename).resolve('pdfjs-dist/package.json'));
    } catch {
      dataDir = null;
    }
  }
  return dataDir;
}

/** What pdf.js tells about a PDF that cannot be opened, as the user's message. */
function openFailure(error: unknown, fileName: string): ApiError {
  const name = error && typeof error === 'object' && 'name' in error ? String((error as { name: unknown }).name) : '';
  if (name === 'PasswordException') {
    return new ApiError(
      'unsupported_file',
      `“${fileName}” is protected by a password, and Verbatim cannot open encrypted PDFs. Open it in a PDF viewer with its password and save or print an unprotected copy, then import that.`,
    );
  }
  const reason = error instanceof Error && error.message ? ` (${error.message.replace(/\.$/, '')})` : '';
  return new ApiError('unsupported_file', `“${fileName}” cannot be read as a PDF${reason}: it is damaged or not a PDF. If it opens in a PDF viewer, save or print it as a new PDF and import that.`);
}

/** A string from pdf.js's metadata: the value when it is a non-empty string, else null. */
function str(value: unknown): string | null {
  return typeof value === 'string' && value.trim() ? value.trim() : null;
}

/**
 * Read a PDF's text layer into an {@link ImportedDocument}: `text` is the pages' text
 * (laid out by {@link layoutPageText}) separated by blank lines; `pages` gives each page's
 * start offset in `text` (UTF-16 code units; a page without text starts where the next
 * page's text does) and its label (the PDF's page labels, else "1", "2", …); `html` is
 * null; `mediaType` is "application/pdf".
 *
 * Metadata: title from XMP dc:title, else the Info dictionary's Title, when either is a
 * real title ({@link sensibleTitle}), else the first line of text; authors from Info
 * Author (split on ";" and " and "), else XMP dc:creator; issued from XMP
 * prism:publicationDate / prism:coverDate (never the file's CreationDate); DOI and journal from
 * XMP prism:doi and prism:publicationName; language from the document's /Lang. The type is
 * "article" when a DOI or journal is declared, else "document".
 *
 * @throws ApiError `unsupported_file` when the file is not a PDF or is damaged, is
 *   password-protected, has more than `options.maxPages` pages, or has no text layer (a
 *   scan that needs OCR first); `import_too_much_memory` when its Flate streams decode to
 *   more than `options.maxDecodedBytes` (formats/pdfStreams.ts: measured before pdf.js
 *   inflates anything, so a "Flate bomb" costs no memory).
 */
export async function importPdf(bytes: Uint8Array, fileName: string, options: PdfOptions = {}): Promise<ImportedDocument> {
  const maxPages = options.maxPages ?? MAX_PDF_PAGES;
  const maxDecodedBytes = options.maxDecodedBytes ?? MAX_PDF_DECODED_BYTES;
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  if (!head.includes('%PDF-')) {
    throw new ApiError('unsupported_file', `“${fileName}” is not a PDF: it does not start with a PDF header. Check that it is the file you meant, or give it its real extension.`);
  }
  const decoded = await measureDecodedStreams(bytes, maxDecodedBytes);
  if (decoded.overBudget) throw memoryError(fileName, maxDecodedBytes / (1024 * 1024));
  const pdfjs = await loadPdfjs();
  const data = pdfjsDataDir();
  const task = pdfjs.getDocument({
    // A copy: pdf.js may take the buffer over, and the caller's bytes must stay intact.
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    useWorkerFetch: false,
    disableAutoFetch: true,
    disableStream: true,
    disableRange: true,
    stopAtErrors: false,
    verbosity: pdfjs.VerbosityLevel.ERRORS,
    ...(data ? { cMapUrl: `${path.join(data, 'cmaps')}${path.sep}`, cMapPacked: true, standardFontDataUrl: `${path.join(data, 'standard_fonts')}${path.sep}` } : {}),
  });
  try {
    return await readDocument(task, fileName, maxPages);
  } finally {
    await task.destroy().catch(() => undefined);
  }
}

type LoadingTask = ReturnType<PdfjsModule['getDocument']>;

async function readDocument(task: LoadingTask, fileName: string, maxPages: number): Promise<ImportedDocument> {
  let doc: Awaited<LoadingTask['promise']>;
  try {
    doc = await task.promise;
  } catch (error) {
    throw openFailure(error, fileName);
  }
  if (doc.numPages > maxPages) {
    throw new ApiError(
      'unsupported_file',
      `“${fileName}” has ${doc.numPages.toLocaleString('en-US')} pages; Verbatim imports PDFs of up to ${maxPages.toLocaleString('en-US')} pages. Split it (by chapter, say) and import the parts.`,
    );
  }
  let labels: string[] | null = null;
  try {
    labels = await doc.getPageLabels();
  } catch {
    labels = null; // broken /PageLabels: pages are numbered 1, 2, … instead
  }
  let text = '';
  const pages: PageStart[] = [];
  const pending: number[] = []; // pages without text, waiting for the next page's start
  for (let n = 1; n <= doc.numPages; n += 1) {
    let pageText = '';
    try {
      const page = await doc.getPage(n);
      const content = await page.getTextContent({ disableNormalization: true });
      pageText = layoutPageText(textRuns(content.items));
      page.cleanup();
    } catch (error) {
      throw openFailure(error, fileName);
    }
    const label = labels?.[n - 1]?.trim() || String(n);
    if (!pageText) {
      pending.push(pages.length);
      pages.push({ start: 0, label });
      continue;
    }
    if (text) text += '\n\n';
    for (const i of pending.splice(0)) pages[i]!.start = text.length;
    pages.push({ start: text.length, label });
    text += pageText;
  }
  for (const i of pending) pages[i]!.start = text.length;
  if (!text.trim()) {
    throw new ApiError(
      'unsupported_file',
      `“${fileName}” has no text layer: its ${doc.numPages === 1 ? 'page is an image' : `${doc.numPages} pages are images`} (a scan), so there is no text to quote. Run OCR on it first (for example with OCRmyPDF, or your scanner's or PDF editor's “recognize text”), then import the result.`,
    );
  }
  // Unpaired surrogates cannot be stored as UTF-8 (see importPlainText); same length, so page starts hold.
  text = text.toWellFormed();
  const csl = await pdfMetadata(doc, text);
  return { csl, text, html: null, mediaType: PDF_MEDIA_TYPE, pages };
}

async function pdfMetadata(doc: { getMetadata(): Promise<{ info: unknown; metadata: { get(name: string): unknown } | null }> }, text: string): Promise<CslItem> {
  let info: Record<string, unknown> = {};
  let xmp: { get(name: string): unknown } | null = null;
  try {
    const meta = await doc.getMetadata();
    info = meta.info && typeof meta.info === 'object' ? (meta.info as Record<string, unknown>) : {};
    xmp = meta.metadata;
  } catch {
    // Unreadable metadata: the text still imports, titled by its first line.
  }
  const x = (name: string) => {
    const value = xmp?.get(name);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : str(value);
  };
  const xs = (name: string) => {
    const value = x(name);
    return Array.isArray(value) ? (value[0] ?? null) : value;
  };
  const csl: CslItem = { type: 'document', title: sensibleTitle(xs('dc:title')) ?? sensibleTitle(str(info.Title)) ?? firstLineTitle(text) };
  const infoAuthors = authorsFromMetadata(str(info.Author));
  const authors = infoAuthors.length > 0 ? infoAuthors : authorsFromMetadata(x('dc:creator'));
  if (authors.length > 0) csl.author = authors;
  // Only a declared publication date: the file's CreationDate is when it was made or printed
  // (a page printed today would be cited as today's), so it is not taken as the issued date.
  const issued = cslDateFromIso(xs('prism:publicationdate')) ?? cslDateFromIso(xs('prism:coverdate'));
  if (issued) csl.issued = issued;
  const doi = xs('prism:doi') ?? /^(?:doi:|https?:\/\/(?:dx\.)?doi\.org\/)(10\.\S+)$/i.exec(xs('dc:identifier') ?? '')?.[1] ?? null;
  if (doi && /^10\.\d{4,9}\/\S+$/.test(bareDoi(doi))) csl.DOI = bareDoi(doi);
  const journal = xs('prism:publicationname');
  if (journal) csl['container-title'] = journal;
  if (csl.DOI || journal) csl.type = 'article';
  const lang = str(info.Language);
  if (lang && LANGUAGE_TAG_PATTERN.test(lang)) csl.language = lang;
  return csl;
}
