/**
 * Writes the small test files for the PDF, DOCX, EPUB and MHTML importers into
 * electron/services/formats/fixtures/. Every file is made here from text written in this
 * script (nothing is copied from elsewhere), so the tests' expected strings can be worked
 * out by reading this file.
 *
 *   npx tsx electron/services/formats/make-fixtures.ts            all fixtures
 *   npx tsx electron/services/formats/make-fixtures.ts --no-chromium   all but the Chromium-printed PDF
 *
 * Hand-written PDFs (exact bytes, deterministic): labelled.pdf (three pages labelled
 * i, ii, 1 through /PageLabels; Info title, authors, date, /Lang), xmp.pdf (XMP title,
 * creators, DOI, journal; a window-caption Info title), untitled.pdf (placeholder title
 * and author), cjk.pdf (Japanese in a font that is not embedded, read through the
 * character maps pdfjs-dist ships), gap.pdf (a blank page between two pages of text), no-text.pdf (a page with only a filled rectangle, like a scan),
 * encrypted.pdf (RC4 40-bit, user password "secret", owner password "owner").
 * two-pages.pdf is printed by headless Chromium (/usr/bin/chromium, as the web host's PDF
 * export does), so it has real embedded fonts; it carries Chromium's creation date, so
 * it changes each time it is made.
 * DOCX and EPUB are zipped with JSZip (fixed dates, so deterministic); page.mhtml is
 * written as Chrome saves a page ("Save as… Webpage, Single File").
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { latin1, writePdf } from './pdfWrite';

const OUT = path.resolve(__dirname, 'fixtures');
const FIXED_DATE = new Date(Date.UTC(2024, 0, 1, 12, 0, 0));

// ---------------------------------------------------------------------------- PDF writing


/** WinAnsiEncoding codes for the few characters above ASCII used below. */
const WIN_ANSI: Record<string, number> = { '“': 0x93, '”': 0x94, '‘': 0x91, '’': 0x92, '–': 0x96, '—': 0x97, 'é': 0xe9 };

/** A PDF literal string in WinAnsiEncoding: "(…)" with \ ( ) escaped and other bytes as octal escapes. */
function pdfString(text: string): string {
  let out = '(';
  for (const ch of text) {
    if (ch === '\\' || ch === '(' || ch === ')') out += `\\${ch}`;
    else if (ch.charCodeAt(0) < 0x80) out += ch;
    else {
      const code = WIN_ANSI[ch];
      if (code === undefined) throw new Error(`no WinAnsi code for ${ch}`);
      out += `\\${code.toString(8)}`;
    }
  }
  return `${out})`;
}

/** A PDF text string in UTF-16BE with a byte-order mark, as hex: for Info values with any character. */
function pdfTextString(text: string): string {
  let hex = 'FEFF';
  for (let i = 0; i < text.length; i += 1) hex += text.charCodeAt(i).toString(16).padStart(4, '0').toUpperCase();
  return `<${hex}>`;
}

/** An indirect object's body: a dictionary and stream (bytes given as a Latin-1 string). */
function stream(dict: string, data: string): string {
  return `<< ${dict} /Length ${data.length} >>\nstream\n${data}\nendstream`;
}


const FONTS = '/Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >> /F2 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >> >>';

/**
 * A PDF of US-letter pages with Helvetica text. Object 1 is the catalog, 2 the page
 * tree, then per page its page object and content stream, then `extra` objects (the
 * first extra object is number 3 + 2 × pages).
 */
function simplePdf(contents: string[], options: { catalog?: string; extra?: string[]; trailer?: string; fonts?: string } = {}): Uint8Array {
  const pageIds = contents.map((_, i) => 3 + 2 * i);
  const bodies = [
    `<< /Type /Catalog /Pages 2 0 R ${options.catalog ?? ''} >>`,
    `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${contents.length} >>`,
  ];
  contents.forEach((content, i) => {
    bodies.push(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << ${options.fonts ?? FONTS} >> /Contents ${pageIds[i]! + 1} 0 R >>`);
    bodies.push(stream('', content));
  });
  bodies.push(...(options.extra ?? []));
  return writePdf(bodies, `/Root 1 0 R ${options.trailer ?? ''}`);
}

/** Text lines at a position: BT, font, leading, then one Tj per line with T* between. */
function textBlock(font: 'F1' | 'F2', size: number, leading: number, x: number, y: number, lines: string[]): string {
  return `BT /${font} ${size} Tf ${leading} TL ${x} ${y} Td ${lines.map(pdfString).map((s) => `${s} Tj`).join(' T* ')} ET\n`;
}

function labelledPdf(): Uint8Array {
  const page1 =
    textBlock('F2', 18, 22, 72, 720, ['Harbour Trade in Transition']) +
    textBlock('F1', 12, 14, 72, 690, ['A study of inter-', 'national shipping after 2020.']) +
    textBlock('F1', 12, 14, 72, 648, ['The port authority said: “We have', 'never moved more containers.”']);
  // Two runs on one baseline (a gap between them), and a superscript note mark raised with Ts.
  const page2 =
    textBlock('F1', 12, 14, 72, 720, ['Same line,']) +
    textBlock('F1', 12, 14, 200, 720, ['two runs.']) +
    `BT /F1 12 Tf 72 706 Td ${pdfString('Containers rose by a third.')} Tj /F1 8 Tf 4 Ts (1) Tj 0 Ts ET\n`;
  const page3 = textBlock('F2', 14, 18, 72, 720, ['Introduction']) + textBlock('F1', 12, 14, 72, 696, ['Trade grew fastest where', 'ports were “open all night.”']);
  const info = 3 + 2 * 3;
  return simplePdf([page1, page2, page3], {
    catalog: '/PageLabels << /Nums [0 << /S /r >> 2 << /S /D >>] >> /Lang (en-GB)',
    extra: [`<< /Title ${pdfTextString('Harbour Trade in Transition: A Working Paper')} /Author (Jane Doe; John Roe) /CreationDate (D:20210111093000+01'00') /Producer (make-format-fixtures) >>`],
    trailer: `/Info ${info} 0 R`,
  });
}

function xmpPdf(): Uint8Array {
  const xmp = `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:prism="http://prismstandard.org/namespaces/basic/2.0/">
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">Tides and Trade: Évian to Rotterdam</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>Ana de la Fuente</rdf:li><rdf:li>Marieke van der Berg</rdf:li></rdf:Seq></dc:creator>
   <prism:doi>10.1234/tides.2020.7</prism:doi>
   <prism:publicationName>Journal of Port Studies</prism:publicationName>
   <prism:publicationDate>2020-05-04</prism:publicationDate>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;
  const xmpBytes = Buffer.from(xmp, 'utf8').toString('latin1'); // the stream holds UTF-8 bytes
  const page = textBlock('F1', 11, 13, 72, 720, ['Body of a paper that declares its metadata in XMP.']);
  const metadata = 3 + 2;
  const info = metadata + 1;
  return simplePdf([page], {
    catalog: `/Metadata ${metadata} 0 R`,
    extra: [stream('/Type /Metadata /Subtype /XML', xmpBytes), '<< /Title (Microsoft Word - draft7.docx) /CreationDate (D:20200101) >>'],
    trailer: `/Info ${info} 0 R`,
  });
}

function untitledPdf(): Uint8Array {
  const page = textBlock('F2', 16, 20, 72, 720, ['Notes from the harbour']) + textBlock('F1', 12, 14, 72, 690, ['Written on the quay, in March.']);
  return simplePdf([page], { extra: ['<< /Title (untitled) /Author (Administrator) /CreationDate (D:201903) >>'], trailer: `/Info ${3 + 2} 0 R` });
}

/**
 * Japanese text in a CID font that is not embedded, with the predefined CMap UniJIS-UCS2-H
 * (codes are UCS-2): pdf.js needs the character maps pdfjs-dist ships to read it.
 */
function cjkPdf(): Uint8Array {
  const font =
    '/Font << /F3 << /Type /Font /Subtype /Type0 /BaseFont /KozMinPro-Regular /Encoding /UniJIS-UCS2-H /DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /KozMinPro-Regular ' +
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (Japan1) /Supplement 4 >> /DW 1000 /FontDescriptor << /Type /FontDescriptor /FontName /KozMinPro-Regular /Flags 4 ' +
    '/FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >> >>] >> >>';
  const ucs2 = (text: string) => `<${Array.from(text, (c) => c.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()).join('')}>`;
  const page = `BT /F3 14 Tf 72 720 Td ${ucs2('日本の港')} Tj 0 -20 Td ${ucs2('横浜と神戸。')} Tj ET\n`;
  return simplePdf([page], { fonts: font, catalog: '/Lang (ja)' });
}

/** Three pages, the middle one blank (a separator page): it has no text, but keeps its place and number. */
function gapPdf(): Uint8Array {
  return simplePdf([textBlock('F1', 12, 14, 72, 720, ['Before the blank page.']), '', textBlock('F1', 12, 14, 72, 720, ['After the blank page.'])]);
}

function noTextPdf(): Uint8Array {
  // What a scan looks like to a text reader: marks on the page, no text.
  return simplePdf(['0.8 g 72 300 468 420 re f\n0 g 90 680 m 500 680 l S\n']);
}

// RC4 and the standard security handler, revision 2 (PDF 1.7, 7.6.3): a real encrypted PDF.
function rc4(key: Uint8Array, data: Uint8Array): Uint8Array {
  const s = Array.from({ length: 256 }, (_, i) => i);
  let j = 0;
  for (let i = 0; i < 256; i += 1) {
    j = (j + s[i]! + key[i % key.length]!) & 0xff;
    [s[i], s[j]] = [s[j]!, s[i]!];
  }
  const out = new Uint8Array(data.length);
  let i = 0;
  j = 0;
  for (let k = 0; k < data.length; k += 1) {
    i = (i + 1) & 0xff;
    j = (j + s[i]!) & 0xff;
    [s[i], s[j]] = [s[j]!, s[i]!];
    out[k] = data[k]! ^ s[(s[i]! + s[j]!) & 0xff]!;
  }
  return out;
}

const PASSWORD_PAD = Uint8Array.from([
  0x28, 0xbf, 0x4e, 0x5e, 0x4e, 0x75, 0x8a, 0x41, 0x64, 0x00, 0x4e, 0x56, 0xff, 0xfa, 0x01, 0x08, 0x2e, 0x2e, 0x00, 0xb6, 0xd0, 0x68, 0x3e, 0x80, 0x2f, 0x0c, 0xa9, 0xfe, 0x64,
  0x53, 0x69, 0x7a,
]);
const md5 = (...parts: Uint8Array[]) => new Uint8Array(createHash('md5').update(Buffer.concat(parts)).digest());
const padded = (password: string) => Uint8Array.from([...latin1(password), ...PASSWORD_PAD].slice(0, 32));
const hex = (bytes: Uint8Array) => `<${Buffer.from(bytes).toString('hex').toUpperCase()}>`;

function encryptedPdf(): Uint8Array {
  const id = md5(latin1('verbatim encrypted fixture'));
  const permissions = -44; // print and copy denied, as a publisher's locked PDF would be
  const p = new Uint8Array(4);
  new DataView(p.buffer).setInt32(0, permissions, true);
  const o = rc4(md5(padded('owner')).subarray(0, 5), padded('secret'));
  const key = md5(padded('secret'), o, p, id).subarray(0, 5);
  const u = rc4(key, PASSWORD_PAD);
  const objectKey = (num: number) => md5(key, Uint8Array.from([num & 0xff, (num >> 8) & 0xff, (num >> 16) & 0xff, 0, 0])).subarray(0, 10);
  const content = textBlock('F1', 12, 14, 72, 720, ['This text is only readable with the password.']);
  const sealed = Buffer.from(rc4(objectKey(4), latin1(content))).toString('latin1');
  const bodies = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << ${FONTS} >> /Contents 4 0 R >>`,
    stream('', sealed),
    `<< /Filter /Standard /V 1 /R 2 /O ${hex(o)} /U ${hex(u)} /P ${permissions} >>`,
  ];
  return writePdf(bodies, `/Root 1 0 R /Encrypt 5 0 R /ID [${hex(id)} ${hex(id)}]`);
}

/** Two A4 pages printed by headless Chromium, as the app's own PDF export prints. */
async function chromiumPdf(): Promise<Uint8Array | null> {
  const executablePath = process.env.VERBATIM_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) return null;
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--no-first-run'] });
  try {
    const page = await browser.newPage();
    await page.setContent(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shipping Notes</title>
<style>body { font-family: 'DejaVu Serif', serif; font-size: 12pt; line-height: 1.3; margin: 0; } p { margin: 0 0 12pt 0; }</style></head>
<body><p>The report looks at inter-<br>national shipping.</p><p>“We were surprised,” the harbour master said.</p>
<p style="break-before: page">Page two begins here.</p></body></html>`);
    const pdf = await page.pdf({ format: 'A4', margin: { top: '2cm', bottom: '2cm', left: '2cm', right: '2cm' } });
    return new Uint8Array(pdf);
  } finally {
    await browser.close();
  }
}

// ------------------------------------------------------------------------------ packages

function zipFile(): JSZip {
  return new JSZip();
}

async function zipBytes(zip: JSZip): Promise<Uint8Array> {
  for (const file of Object.values(zip.files)) file.date = FIXED_DATE;
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE', compressionOptions: { level: 9 } });
}

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

function run(text: string, props = ''): string {
  return `<w:r>${props ? `<w:rPr>${props}</w:rPr>` : ''}<w:t xml:space="preserve">${text}</w:t></w:r>`;
}

function paragraph(content: string, style?: string): string {
  return `<w:p>${style ? `<w:pPr><w:pStyle w:val="${style}"/></w:pPr>` : ''}${content}</w:p>`;
}

/** A Word document: title, a bold run, a heading, a line break, a soft hyphen, a link, a table and a footnote. */
async function docx(core: { title: string; creator: string } | null, withTitleParagraph: boolean): Promise<Uint8Array> {
  const zip = zipFile();
  zip.file(
    '[Content_Types].xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>`,
  );
  zip.file(
    '_rels/.rels',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`,
  );
  zip.file(
    'word/_rels/document.xml.rels',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://example.org/report" TargetMode="External"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>`,
  );
  zip.file(
    'word/styles.xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="${W}"><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style><w:style w:type="paragraph" w:styleId="FootnoteText"><w:name w:val="footnote text"/></w:style><w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/></w:style></w:styles>`,
  );
  zip.file(
    'word/footnotes.xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:footnotes xmlns:w="${W}"><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:id="1"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr><w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>${run(' Port authority, annual report.')}</w:p></w:footnote></w:footnotes>`,
  );
  const body = [
    withTitleParagraph ? paragraph(run('Harbour Report 2021'), 'Title') : '',
    paragraph(run('The ') + run('port', '<w:b/>') + run(' grew by a third.')),
    paragraph(run('Findings'), 'Heading1'),
    paragraph(run('“We are pleased,” said the director.') + '<w:r><w:br/></w:r>' + run('A second line, same paragraph.')),
    paragraph(run('Inter') + '<w:r><w:softHyphen/></w:r>' + run('national trade rose') + '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="1"/></w:r>' + run('.')),
    paragraph(run('See ') + `<w:hyperlink r:id="rId2">${run('the report')}</w:hyperlink>` + run('.')),
    `<w:tbl><w:tr><w:tc>${paragraph(run('Year'))}</w:tc><w:tc>${paragraph(run('Containers'))}</w:tc></w:tr><w:tr><w:tc>${paragraph(run('2021'))}</w:tc><w:tc>${paragraph(run('1,200'))}</w:tc></w:tr></w:tbl>`,
  ].join('');
  zip.file('word/document.xml', `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="${W}" xmlns:r="${R}"><w:body>${body}</w:body></w:document>`);
  zip.file(
    'docProps/core.xml',
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>${core?.title ?? ''}</dc:title><dc:creator>${core?.creator ?? ''}</dc:creator><dc:language>en-GB</dc:language><dcterms:created xsi:type="dcterms:W3CDTF">2021-03-01T10:00:00Z</dcterms:created></cp:coreProperties>`,
  );
  return zipBytes(zip);
}

/** An EPUB 3 book: spine order differs from manifest order, a chapter file name with a space, roles and file-as in refinements. */
async function epub(): Promise<Uint8Array> {
  const zip = zipFile();
  zip.file('mimetype', 'application/epub+zip', { compression: 'STORE' });
  zip.file(
    'META-INF/container.xml',
    `<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>`,
  );
  zip.file(
    'OEBPS/content.opf',
    `<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid" xml:lang="en">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="uid">urn:isbn:9780000000002</dc:identifier>
    <dc:title id="t1">Tides of Trade</dc:title>
    <meta refines="#t1" property="title-type">main</meta>
    <dc:title id="t2">A Harbour History</dc:title>
    <meta refines="#t2" property="title-type">subtitle</meta>
    <dc:creator id="c1">Ana de la Fuente</dc:creator>
    <meta refines="#c1" property="role" scheme="marc:relators">aut</meta>
    <meta refines="#c1" property="file-as">Fuente, Ana de la</meta>
    <dc:creator id="c2">Gabriel García Márquez</dc:creator>
    <meta refines="#c2" property="file-as">García Márquez, Gabriel</meta>
    <dc:creator id="c3">John Roe</dc:creator>
    <meta refines="#c3" property="role" scheme="marc:relators">trl</meta>
    <dc:date>2019-06-01</dc:date>
    <dc:language>en-GB</dc:language>
    <dc:publisher>Harbour Press</dc:publisher>
    <meta property="dcterms:modified">2024-01-01T12:00:00Z</meta>
  </metadata>
  <manifest>
    <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
    <item id="ch2" href="text/ch2.xhtml" media-type="application/xhtml+xml"/>
    <item id="ch1" href="text/chapter%201.xhtml" media-type="application/xhtml+xml"/>
    <item id="cover" href="cover.xhtml" media-type="application/xhtml+xml"/>
    <item id="css" href="style.css" media-type="text/css"/>
  </manifest>
  <spine>
    <itemref idref="cover" linear="no"/>
    <itemref idref="ch1"/>
    <itemref idref="ch2"/>
  </spine>
</package>`,
  );
  const xhtml = (title: string, body: string) =>
    `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="en"><head><title>${title}</title><link rel="stylesheet" href="../style.css"/></head>
<body>${body}</body></html>`;
  zip.file('OEBPS/nav.xhtml', xhtml('Contents', '<nav epub:type="toc"><ol><li><a href="text/chapter%201.xhtml">Chapter One</a></li><li><a href="text/ch2.xhtml">Chapter Two</a></li></ol></nav>'));
  zip.file('OEBPS/cover.xhtml', xhtml('Cover', '<div><img src="cover.jpg" alt="Cover"/></div>'));
  zip.file(
    'OEBPS/text/chapter 1.xhtml',
    xhtml('Chapter One', '<section epub:type="chapter"><h1>Chapter One</h1><p>It was a “quiet” port.</p><p>Ships came &amp; went.<br/>Nobody   counted them.<a id="p3"/></p></section>'),
  );
  zip.file(
    'OEBPS/text/ch2.xhtml',
    xhtml('Chapter Two', '<section><h1>Chapter Two</h1><p onclick="alert(1)">Trade grew <em>again</em>.</p><script>alert(2)</script><p><img src="../map.png" alt="Map"/></p></section>'),
  );
  zip.file('OEBPS/style.css', 'p { text-indent: 1em; }');
  return zipBytes(zip);
}

// ---------------------------------------------------------------------------------- MHTML

/** Quoted-printable (RFC 2045) of UTF-8 text, with soft line breaks at 76 columns, as Chrome writes it. */
function quotedPrintable(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  let out = '';
  let line = '';
  for (const b of bytes) {
    const ch = b === 0x3d || b < 0x20 || b > 0x7e ? `=${b.toString(16).toUpperCase().padStart(2, '0')}` : String.fromCharCode(b);
    if (line.length + ch.length > 75) {
      out += `${line}=\r\n`;
      line = '';
    }
    line += ch;
  }
  return out + line;
}

function mhtml(): Uint8Array {
  const boundary = '----MultipartBoundary--Q8yKxXj7Lz----';
  const html = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Harbour sets a record</title></head><body><article><h1>Harbour sets a record</h1><p>The port moved more containers than in any year before, the authority said on Monday; it expects the growth to continue.</p><p>“We are very pleased,” said the director. Café owners on the quay agreed = business was good.</p><p>Ships queued for days in the spring, and the night shifts were extended until the end of the summer season.</p></article></body></html>`;
  const text = [
    'From: <Saved by Blink>',
    'Snapshot-Content-Location: https://news.example.org/2021/01/harbour-record',
    'Subject: Harbour sets a record',
    'Date: Mon, 11 Jan 2021 18:00:00 -0000',
    'MIME-Version: 1.0',
    'Content-Type: multipart/related;',
    '\ttype="text/html";',
    `\tboundary="${boundary}"`,
    '',
    '',
    `--${boundary}`,
    'Content-Type: text/html',
    'Content-ID: <frame-1@mhtml.blink>',
    'Content-Transfer-Encoding: quoted-printable',
    'Content-Location: https://news.example.org/2021/01/harbour-record',
    '',
    quotedPrintable(html),
    `--${boundary}`,
    'Content-Type: image/png',
    'Content-Transfer-Encoding: base64',
    'Content-Location: https://news.example.org/logo.png',
    '',
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
    `--${boundary}--`,
    '',
  ].join('\r\n');
  return latin1(text);
}

// ---------------------------------------------------------------------------------- main

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const write = (name: string, bytes: Uint8Array) => {
    writeFileSync(path.join(OUT, name), bytes);
    console.log(`${name.padEnd(18)} ${bytes.length.toLocaleString('en-US').padStart(7)} bytes`);
  };
  write('labelled.pdf', labelledPdf());
  write('xmp.pdf', xmpPdf());
  write('untitled.pdf', untitledPdf());
  write('no-text.pdf', noTextPdf());
  write('cjk.pdf', cjkPdf());
  write('gap.pdf', gapPdf());
  write('encrypted.pdf', encryptedPdf());
  if (!process.argv.includes('--no-chromium')) {
    const printed = await chromiumPdf();
    if (printed) write('two-pages.pdf', printed);
    else console.warn('two-pages.pdf: no Chromium found (set VERBATIM_CHROMIUM); the existing file is kept.');
  }
  write('report.docx', await docx({ title: 'Harbour Report 2021: Annual Figures', creator: 'Jane Doe; John Roe' }, true));
  write('untitled.docx', await docx({ title: '', creator: 'Microsoft Office User' }, false));
  write('book.epub', await epub());
  write('page.mhtml', mhtml());
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
