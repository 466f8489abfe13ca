/**
 * Hostile files for the import worker's tests and measurements, generated in memory (no
 * big files are committed): a PDF "Flate bomb", a PDF whose form XObjects draw each other
 * 2^depth times, and DOCX / EPUB files with many paragraphs. Each is built from the PDF,
 * OOXML and EPUB structure written out here, so what the importer must say about it can be
 * worked out by reading this file. Test support only; not used by the app.
 */
import { deflateRawSync, constants as zlibConstants } from 'node:zlib';
import JSZip from 'jszip';
import { writePdf } from './pdfWrite';


const FONT = '/Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >> >>';

/**
 * A zlib stream (RFC 1950) that inflates to `mib` MiB of the byte 0x20 (spaces: valid content-stream
 * white space), made by repeating one sync-flushed raw-deflate block of 1 MiB; the Adler-32
 * is computed so strict inflaters accept it. About 1 KB per MiB.
 */
export function zlibBomb(mib: number): Buffer {
  const MiB = 1024 * 1024;
  const piece = deflateRawSync(Buffer.alloc(MiB, 0x20), { level: 9, finishFlush: zlibConstants.Z_SYNC_FLUSH });
  const final = deflateRawSync(Buffer.alloc(0)); // an empty final block
  // Adler-32 of n bytes of value v: A = 1 + n·v, B = n + v·n(n+1)/2, both mod 65521 (BigInt: n·n overflows).
  const n = BigInt(mib) * BigInt(MiB);
  const a = (1n + n * 0x20n) % 65521n;
  const b = (n + (0x20n * n * (n + 1n)) / 2n) % 65521n;
  const adler = Buffer.alloc(4);
  adler.writeUInt32BE(Number((b << 16n) | a));
  return Buffer.concat([Buffer.from([0x78, 0xda]), ...Array.from({ length: mib }, () => piece), final, adler]);
}

/**
 * A one-page PDF whose page content is a FlateDecode stream of `mib` MiB of spaces followed
 * by nothing else (so pdf.js must inflate all of it to find the page's text), plus a second,
 * tiny content stream with one line of text. Compressed size is about `mib` KB.
 */
export function flateBombPdf(mib: number): Uint8Array {
  const bomb = zlibBomb(mib).toString('latin1');
  const text = 'BT /F1 12 Tf 72 700 Td (After the padding.) Tj ET';
  return writePdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << ${FONT} >> /Contents [4 0 R 5 0 R] >>`,
    `<< /Length ${bomb.length} /Filter /FlateDecode >>\nstream\n${bomb}\nendstream`,
    `<< /Length ${text.length} >>\nstream\n${text}\nendstream`,
  ], '/Root 1 0 R');
}

/**
 * A small PDF whose page draws form XObject X0, and each Xi draws X(i+1) `fanOut` times,
 * `depth` forms in all; the last draws the word "deep". Reading its text means
 * interpreting fanOut^(depth-1) draws of the last form (2^29 for the defaults: it never ends).
 */
export function fanOutPdf(depth = 30, fanOut = 2): Uint8Array {
  const bodies = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << ${FONT} /XObject << /X0 5 0 R >> >> /Contents 4 0 R >>`,
  ];
  const page = '/X0 Do';
  bodies.push(`<< /Length ${page.length} >>\nstream\n${page}\nendstream`);
  for (let i = 0; i < depth; i += 1) {
    const last = i === depth - 1;
    const content = last ? 'BT /F1 12 Tf 72 700 Td (deep) Tj ET' : Array.from({ length: fanOut }, () => `/X${i + 1} Do`).join(' ');
    const resources = last ? `<< ${FONT} >>` : `<< /XObject << /X${i + 1} ${6 + i} 0 R >> >>`;
    bodies.push(`<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources ${resources} /Length ${content.length} >>\nstream\n${content}\nendstream`);
  }
  return writePdf(bodies, '/Root 1 0 R');
}

/** Paragraph i's text in the generated DOCX and EPUB: "Paragraph i says something quotable." */
export function paragraphText(i: number): string {
  return `Paragraph ${i} says something quotable.`;
}

/** A .docx whose body is `count` plain paragraphs ({@link paragraphText}), zipped with JSZip. */
export async function manyParagraphsDocx(count: number): Promise<Uint8Array> {
  const zip = new JSZip();
  const date = new Date(Date.UTC(2024, 0, 1));
  zip.file(
    '[Content_Types].xml',
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    { date },
  );
  zip.file(
    '_rels/.rels',
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
    { date },
  );
  const body = Array.from({ length: count }, (_, i) => `<w:p><w:r><w:t>${paragraphText(i + 1)}</w:t></w:r></w:p>`).join('');
  zip.file('word/document.xml', `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`, { date });
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

/** An EPUB 3 with one chapter of `count` paragraphs ({@link paragraphText}), title "Many Paragraphs". */
export async function manyParagraphsEpub(count: number): Promise<Uint8Array> {
  const zip = new JSZip();
  const date = new Date(Date.UTC(2024, 0, 1));
  zip.file('mimetype', 'application/epub+zip', { date, compression: 'STORE' });
  zip.file(
    'META-INF/container.xml',
    '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>',
    { date },
  );
  zip.file(
    'OEBPS/content.opf',
    '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:identifier id="id">urn:uuid:1</dc:identifier><dc:title>Many Paragraphs</dc:title><dc:language>en</dc:language></metadata><manifest><item id="c1" href="c1.xhtml" media-type="application/xhtml+xml"/></manifest><spine><itemref idref="c1"/></spine></package>',
    { date },
  );
  const body = Array.from({ length: count }, (_, i) => `<p>${paragraphText(i + 1)}</p>`).join('\n');
  zip.file('OEBPS/c1.xhtml', `<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>c1</title></head><body>${body}</body></html>`, { date });
  return zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}
