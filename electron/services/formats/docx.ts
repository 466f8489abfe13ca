/**
 * Word (.docx) import: mammoth turns the document into semantic HTML (headings,
 * paragraphs, lists, tables, links, footnotes), which is then sanitized and read as text
 * exactly like imported HTML (one paragraph per block; no Readability: the whole
 * document is the article). Title, authors and language come from the package's core
 * properties (docProps/core.xml).
 *
 * The package is opened through {@link GuardedZip} first, so a ZIP bomb is refused before
 * mammoth unpacks anything. Images are not read (their bytes stay in the package; the
 * stored HTML has none), and mammoth never follows links to files outside the package.
 *
 * Runs under plain Node; never imports 'electron'.
 */
import mammoth from 'mammoth';
import { ApiError } from '../../../shared/contract';
import { LANGUAGE_TAG_PATTERN, type CslItem } from '../../../shared/model';
import { authorsFromMetadata, firstLineTitle, sensibleTitle, type ImportedDocument } from './common';
import { parseBodyFragment, parseHtml, parseXml, readHtmlElement } from './html';
import { DEFAULT_ZIP_LIMITS, GuardedZip, type ZipLimits } from './zip';

/** The media type recorded for imported Word documents. */
export const DOCX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const DC = 'http://purl.org/dc/elements/1.1/';
const CORE_PROPERTIES = /\/metadata\/core-properties$/;

/** Word's usual paragraph styles that mammoth's default map leaves as plain paragraphs. */
const STYLE_MAP = ["p[style-name='Title'] => h1:fresh", "p[style-name='Subtitle'] => h2:fresh", "p[style-name='Quote'] => blockquote > p:fresh", "p[style-name='Intense Quote'] => blockquote > p:fresh"];

/** Title, creator and language from a package's core properties; each null when absent. */
export interface CoreProperties {
  title: string | null;
  creator: string | null;
  language: string | null;
}

/**
 * The core properties (dc:title, dc:creator, dc:language) of an Office Open XML package:
 * the part named by the package relationship of type core-properties, else
 * docProps/core.xml. All null when the part is missing or not well-formed XML.
 */
export async function readCoreProperties(zip: GuardedZip): Promise<CoreProperties> {
  const none: CoreProperties = { title: null, creator: null, language: null };
  let partName = 'docProps/core.xml';
  const rels = await zip.text('_rels/.rels');
  const relsDom = rels ? parseXml(rels) : null;
  if (relsDom) {
    const rel = Array.from(relsDom.window.document.getElementsByTagNameNS('*', 'Relationship')).find((r) => CORE_PROPERTIES.test(r.getAttribute('Type') ?? ''));
    const target = rel?.getAttribute('Target');
    if (target) partName = target.replace(/^\//, '');
    relsDom.window.close();
  }
  const core = await zip.text(partName);
  const dom = core ? parseXml(core) : null;
  if (!dom) return none;
  try {
    const value = (name: string) => dom.window.document.getElementsByTagNameNS(DC, name)[0]?.textContent?.replace(/\s+/g, ' ').trim() || null;
    return { title: value('title'), creator: value('creator'), language: value('language') };
  } finally {
    dom.window.close();
  }
}

/**
 * Read a .docx file into an {@link ImportedDocument}: `text` one paragraph per block
 * (headings, paragraphs, list items, table cells, footnotes at the end) separated by blank
 * lines, a line break in a paragraph kept as "\n", characters as Word stores them (soft
 * hyphens U+00AD and non-breaking hyphens U+2011 included); `html` the sanitized HTML
 * without images; CSL type "document"; title from dc:title when it is a real title
 * ({@link sensibleTitle}), else the first heading, else the first line; authors from
 * dc:creator (split on ";" and " and "); language from dc:language.
 *
 * @throws ApiError `unsupported_file` when the file is not a ZIP package (an old .doc, say)
 *   or not a Word document, is damaged or over the package limits (a ZIP bomb);
 *   `empty_file` when it holds no text.
 */
export async function importDocx(bytes: Uint8Array, fileName: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<ImportedDocument> {
  const zip = await GuardedZip.open(
    bytes,
    { fileName, what: 'a Word document (.docx)', notZipHint: 'Documents from Word 97–2003 (.doc) or other programs must be saved as .docx first.' },
    limits,
  );
  // Unpack every part once under the size guard (whatever its name: a relationship may point
  // mammoth at "styles.dat"), so mammoth then reads only parts known to be small.
  for (const name of zip.names()) await zip.bytes(name);
  if (!zip.has('[Content_Types].xml')) {
    throw new ApiError('unsupported_file', `“${fileName}” is a ZIP archive but not a Word document (.docx): it has no [Content_Types].xml, which every Office document has.`);
  }
  let converted: string;
  try {
    const result = await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
      {
        styleMap: STYLE_MAP,
        externalFileAccess: false,
        // Images are left in the package: an <img> without a source, removed after sanitizing.
        convertImage: mammoth.images.imgElement(() => Promise.resolve({ src: '' })),
      },
    );
    converted = result.value;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (/main document part/i.test(reason)) {
      throw new ApiError('unsupported_file', `“${fileName}” is an Office package but not a Word document: it has no main document part (word/document.xml). Save it as a Word document (.docx) and import that.`);
    }
    if (/xmldom|parse error|not well-formed|unclosed|unexpected close/i.test(reason)) {
      throw new ApiError('unsupported_file', `“${fileName}” is a damaged Word document: a part inside it is not well-formed XML. Open it in Word or LibreOffice (they can often repair it), save it as .docx again, and import that.`);
    }
    const firstLine = reason.split('\n')[0]!.replace(/\s+/g, ' ').trim().slice(0, 200).replace(/\.$/, '');
    throw new ApiError('unsupported_file', `“${fileName}” cannot be read as a Word document (${firstLine}). Open it in Word or LibreOffice, save it as .docx again, and import that.`);
  }
  const core = await readCoreProperties(zip);
  const dom = parseHtml('<!doctype html><body></body>');
  try {
    const container = parseBodyFragment(converted, dom.window); // not innerHTML: quadratic in jsdom (html.ts)
    // Footnotes end with a link back to their mark ("↑"): navigation, not text.
    for (const back of Array.from(container.querySelectorAll('a[href^="#footnote-ref-"], a[href^="#endnote-ref-"], a[href^="#comment-ref-"]'))) back.remove();
    const heading = container.querySelector('h1, h2, h3, h4, h5, h6')?.textContent?.replace(/\s+/g, ' ').trim().slice(0, 300) || null;
    const { html, text } = readHtmlElement(container, dom.window, { dropImages: true });
    if (!text.trim()) throw new ApiError('empty_file', `“${fileName}” has no readable text.`);
    const csl: CslItem = { type: 'document', title: sensibleTitle(core.title) ?? heading ?? firstLineTitle(text) };
    const authors = authorsFromMetadata(core.creator);
    if (authors.length > 0) csl.author = authors;
    if (core.language && LANGUAGE_TAG_PATTERN.test(core.language)) csl.language = core.language;
    return { csl, text, html, mediaType: DOCX_MEDIA_TYPE };
  } finally {
    dom.window.close();
  }
}
