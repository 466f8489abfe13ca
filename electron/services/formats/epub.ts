/**
 * EPUB (2 and 3) import, read straight from the package: META-INF/container.xml names
 * the package document (OPF); its spine gives the reading order of the XHTML chapters;
 * each chapter is sanitized and read as text like imported HTML; its Dublin Core
 * metadata gives title, creators, date, language, publisher and ISBN.
 *
 * The package is opened through {@link GuardedZip} (entry count and unpacked size
 * limited: ZIP bombs are refused). Books whose chapters are encrypted (DRM) are refused;
 * font obfuscation (which EPUB allows for embedded fonts) is not DRM and is ignored.
 *
 * Runs under plain Node; never imports 'electron'.
 */
import { ApiError } from '../../../shared/contract';
import { LANGUAGE_TAG_PATTERN, type CslItem, type CslName } from '../../../shared/model';
import { cslDateFromIso, parseByline } from '../pageMetadata';
import { firstLineTitle, type ImportedDocument } from './common';
import { countStartTags, estimateNestingDepth, MAX_HTML_DEPTH, MAX_HTML_ELEMENTS, parseBodyFragment, parseHtml, parseXml, readHtmlElement, withoutDoctype } from './html';
import { DEFAULT_ZIP_LIMITS, GuardedZip, type ZipLimits } from './zip';

/** The media type recorded for imported EPUB books. */
export const EPUB_MEDIA_TYPE = 'application/epub+zip';

const DC = 'http://purl.org/dc/elements/1.1/';
const OPF = 'http://www.idpf.org/2007/opf';
/** Encryption algorithms EPUB uses to obfuscate embedded fonts: not DRM. */
const FONT_OBFUSCATION = new Set(['http://www.idpf.org/2008/embedding', 'http://ns.adobe.com/pdf/enc#RC']);
const CHAPTER_TYPES = new Set(['application/xhtml+xml', 'text/html', 'application/x-dtbook+xml']);

/** MARC relator codes of creators, and the CSL name variable each becomes (others are left out). */
const ROLE_VARIABLES: Record<string, 'author' | 'editor' | 'translator' | 'illustrator'> = { aut: 'author', edt: 'editor', trl: 'translator', ill: 'illustrator' };

/** A path inside the package: `href` (percent-encoded, relative) resolved against the folder `base` ("OEBPS/"), without "#fragment". */
export function resolvePackagePath(base: string, href: string): string {
  let path = href.split('#')[0]!;
  try {
    path = decodeURIComponent(path);
  } catch {
    // a malformed escape: the name is used as written
  }
  const parts = (path.startsWith('/') ? path.slice(1) : base + path).split('/');
  const out: string[] = [];
  for (const part of parts) {
    if (part === '..') out.pop();
    else if (part !== '.' && part !== '') out.push(part);
  }
  return out.join('/');
}

/**
 * The CSL name of one creator. Its file-as form ("Fuente, Ana de la", "García Márquez,
 * Gabriel") is the more exact: read by {@link parseByline} when that gives one personal
 * name, else split at its one comma; without one, the display name is read by parseByline.
 */
function creatorName(display: string, fileAs: string | null): CslName[] {
  const sortForm = fileAs?.replace(/\s+/g, ' ').trim() ?? '';
  const inverted = /^([^,]+),\s*([^,]+)$/.exec(sortForm);
  if (inverted) {
    const parsed = parseByline(sortForm);
    if (parsed.length === 1 && parsed[0]!.family) return parsed;
    return [{ family: inverted[1]!.trim(), given: inverted[2]!.trim() }];
  }
  return parseByline(display);
}

/** The book's metadata from its OPF document (EPUB 2 attributes and EPUB 3 refinements both read). */
function opfMetadata(opf: Document): CslItem {
  const metadata = opf.getElementsByTagNameNS(OPF, 'metadata')[0] ?? opf.documentElement;
  const dc = (name: string) => Array.from(metadata.getElementsByTagNameNS(DC, name));
  const text = (el: Element | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
  // EPUB 3: <meta refines="#id" property="role|file-as|title-type">value</meta>
  const refinements = new Map<string, Map<string, string>>();
  for (const meta of Array.from(metadata.getElementsByTagNameNS(OPF, 'meta'))) {
    const target = meta.getAttribute('refines')?.replace(/^#/, '');
    const property = meta.getAttribute('property');
    if (!target || !property) continue;
    if (!refinements.has(target)) refinements.set(target, new Map());
    refinements.get(target)!.set(property, text(meta));
  }
  const refined = (el: Element, property: string) => {
    const id = el.getAttribute('id');
    return (id && refinements.get(id)?.get(property)) || null;
  };
  const csl: CslItem = { type: 'book' };
  const names: Partial<Record<'author' | 'editor' | 'translator' | 'illustrator', CslName[]>> = {};
  const titles = dc('title').filter((t) => text(t));
  const main = titles.find((t) => refined(t, 'title-type') === 'main') ?? titles[0];
  if (main) csl.title = text(main).slice(0, 300);
  for (const creator of dc('creator')) {
    const display = text(creator);
    if (!display) continue;
    const role = (creator.getAttributeNS(OPF, 'role') || creator.getAttribute('opf:role') || refined(creator, 'role') || 'aut').trim().toLowerCase();
    const variable = ROLE_VARIABLES[role];
    if (!variable) continue;
    const fileAs = creator.getAttributeNS(OPF, 'file-as') || creator.getAttribute('opf:file-as') || refined(creator, 'file-as');
    names[variable] = [...(names[variable] ?? []), ...creatorName(display, fileAs)];
  }
  Object.assign(csl, names);
  const dates = dc('date');
  const published = dates.find((d) => /publication/i.test(d.getAttributeNS(OPF, 'event') || d.getAttribute('opf:event') || '')) ?? dates.find((d) => !(d.getAttributeNS(OPF, 'event') || d.getAttribute('opf:event')));
  const issued = cslDateFromIso(text(published));
  if (issued) csl.issued = issued;
  const language = text(dc('language')[0]);
  if (language && LANGUAGE_TAG_PATTERN.test(language)) csl.language = language;
  const publisher = text(dc('publisher')[0]);
  if (publisher) csl.publisher = publisher.slice(0, 300);
  for (const id of dc('identifier')) {
    const value = text(id);
    const scheme = id.getAttributeNS(OPF, 'scheme') || id.getAttribute('opf:scheme') || '';
    const isbn = /^urn:isbn:/i.test(value) || /^isbn$/i.test(scheme) ? value.replace(/^urn:isbn:/i, '').replace(/[\s-]/g, '') : null;
    if (isbn && /^(\d{9}[\dX]|\d{13})$/i.test(isbn)) {
      csl.ISBN = isbn;
      break;
    }
  }
  return csl;
}

/**
 * Read an .epub file into an {@link ImportedDocument}: `text` is the spine's chapters in
 * reading order, each read like imported HTML (one paragraph per block, blank lines
 * between), chapters separated by a blank line (chapters without text, like a cover
 * image, are skipped); `html` the chapters' sanitized HTML, each in a `<section>`, images
 * removed; CSL type "book" with title (the main dc:title), authors (dc:creator with role
 * "aut" or none; "edt", "trl", "ill" become editor, translator, illustrator), issued
 * (dc:date, the publication event if marked), language, publisher and ISBN.
 *
 * @throws ApiError `unsupported_file` when the file is not a ZIP package or not an EPUB
 *   (no container or package document), is DRM-protected, over the package limits (a ZIP
 *   bomb), or has a chapter too large or deeply nested to read; `empty_file` when no
 *   chapter has text.
 */
export async function importEpub(bytes: Uint8Array, fileName: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<ImportedDocument> {
  const zip = await GuardedZip.open(bytes, { fileName, what: 'an EPUB book' }, limits);
  const notEpub = (why: string) => new ApiError('unsupported_file', `“${fileName}” is not a readable EPUB book: ${why}.`);

  // The package document: container.xml's first OPF rootfile, else the only .opf in the package.
  let opfPath: string | null = null;
  const container = await zip.text('META-INF/container.xml');
  if (container) {
    const dom = parseXml(container);
    if (dom) {
      const rootfiles = Array.from(dom.window.document.getElementsByTagNameNS('*', 'rootfile'));
      const rootfile = rootfiles.find((r) => r.getAttribute('media-type') === 'application/oebps-package+xml') ?? rootfiles[0];
      opfPath = rootfile?.getAttribute('full-path') ? resolvePackagePath('', rootfile.getAttribute('full-path')!) : null;
      dom.window.close();
    }
  }
  if (!opfPath) {
    const opfs = zip.names().filter((n) => /\.opf$/i.test(n));
    if (opfs.length === 1) opfPath = opfs[0]!;
  }
  if (!opfPath) throw notEpub('it has no META-INF/container.xml naming its package document (.opf)');
  const opfText = await zip.text(opfPath);
  if (opfText === null) throw notEpub(`its package document “${opfPath}” is missing`);
  const opfDom = parseXml(opfText);
  if (!opfDom) throw notEpub(`its package document “${opfPath}” is not well-formed XML`);
  const base = opfPath.includes('/') ? opfPath.slice(0, opfPath.lastIndexOf('/') + 1) : '';
  let chapters: string[];
  let metadata: ReturnType<typeof opfMetadata>;
  try {
    const opf = opfDom.window.document;
    const manifest = new Map<string, { href: string; type: string }>();
    for (const item of Array.from(opf.getElementsByTagNameNS(OPF, 'item'))) {
      const id = item.getAttribute('id');
      const href = item.getAttribute('href');
      if (id && href) manifest.set(id, { href, type: (item.getAttribute('media-type') ?? '').toLowerCase() });
    }
    chapters = [];
    for (const ref of Array.from(opf.getElementsByTagNameNS(OPF, 'itemref'))) {
      const item = manifest.get(ref.getAttribute('idref') ?? '');
      if (item && (CHAPTER_TYPES.has(item.type) || /\.x?html?$/i.test(item.href))) chapters.push(resolvePackagePath(base, item.href));
    }
    metadata = opfMetadata(opf);
  } finally {
    opfDom.window.close();
  }
  if (chapters.length === 0) throw notEpub('its spine lists no XHTML chapters');

  // DRM: chapters listed as encrypted in META-INF/encryption.xml with anything but font obfuscation.
  const encryption = await zip.text('META-INF/encryption.xml');
  if (encryption) {
    const dom = parseXml(encryption);
    const encrypted = new Set<string>();
    if (dom) {
      for (const data of Array.from(dom.window.document.getElementsByTagNameNS('*', 'EncryptedData'))) {
        const algorithm = data.getElementsByTagNameNS('*', 'EncryptionMethod')[0]?.getAttribute('Algorithm') ?? '';
        const uri = data.getElementsByTagNameNS('*', 'CipherReference')[0]?.getAttribute('URI');
        if (uri && !FONT_OBFUSCATION.has(algorithm)) encrypted.add(resolvePackagePath('', uri));
      }
      dom.window.close();
    }
    if (chapters.some((c) => encrypted.has(c))) {
      throw new ApiError('unsupported_file', `“${fileName}” is protected by DRM (its chapters are encrypted), so Verbatim cannot read it. Import a DRM-free edition.`);
    }
  }

  const html = parseHtml('<!doctype html><body></body>');
  const texts: string[] = [];
  const sections: string[] = [];
  let elements = 0;
  try {
    for (const path of chapters) {
      const source = await zip.text(path);
      if (source === null) continue; // listed but missing: the rest of the book still imports
      const depth = estimateNestingDepth(source);
      if (depth > MAX_HTML_DEPTH) {
        throw new ApiError('unsupported_file', `“${fileName}”: the chapter “${path}” nests its elements ${depth.toLocaleString('en-US')} levels deep; Verbatim reads chapters nested up to ${MAX_HTML_DEPTH} levels.`);
      }
      elements += countStartTags(source);
      if (elements > 10 * MAX_HTML_ELEMENTS) {
        throw new ApiError('unsupported_file', `“${fileName}” has more than ${(10 * MAX_HTML_ELEMENTS).toLocaleString('en-US')} HTML elements in its chapters; Verbatim reads books of up to that many (a long novel has a few tens of thousands).`);
      }
      const body = chapterBody(source);
      const container = parseBodyFragment(body, html.window); // not innerHTML: quadratic in jsdom (html.ts)
      const chapter = readHtmlElement(container, html.window, { dropImages: true });
      if (!chapter.text.trim()) continue;
      texts.push(chapter.text);
      sections.push(`<section>${chapter.html}</section>`);
    }
  } finally {
    html.window.close();
  }
  const text = texts.join('\n\n');
  if (!text.trim()) throw new ApiError('empty_file', `“${fileName}” has no readable text in its chapters.`);
  const csl: CslItem = { ...metadata, title: metadata.title || firstLineTitle(text) };
  return { csl, text, html: sections.join('\n'), mediaType: EPUB_MEDIA_TYPE };
}

/**
 * The inner HTML of a chapter's <body>, serialized so the HTML parser reads it as the
 * XHTML parser did (`<a id="x"/>` stays empty): parsed as XHTML when it is well-formed,
 * else as HTML (EPUB 2 books often carry HTML entities like &nbsp; that XML does not know).
 */
function chapterBody(source: string): string {
  const xml = parseXml(source, 'application/xhtml+xml');
  if (xml) {
    try {
      const doc = xml.window.document;
      const body = doc.getElementsByTagNameNS('http://www.w3.org/1999/xhtml', 'body')[0] ?? doc.documentElement;
      // The XML serializer marks each top-level element with its namespace; HTML needs none.
      return body.innerHTML.replaceAll(' xmlns="http://www.w3.org/1999/xhtml"', '');
    } catch {
      // not serializable as XML (a stray character): read it as HTML below
    } finally {
      xml.window.close();
    }
  }
  const dom = parseHtml(withoutDoctype(source));
  try {
    return dom.window.document.body?.innerHTML ?? '';
  } finally {
    dom.window.close();
  }
}
