import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { importFile, looksBinary } from '../importer';
import { rawZip } from './zipTesting';
import { errorOf } from '../testing';

// report.docx and untitled.docx are made by electron/services/formats/make-fixtures.ts; the expected values are read from what it writes.
const fixture = (name: string) => new Uint8Array(readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))));


describe('DOCX', () => {
  it('reads the document through mammoth and the HTML path: one paragraph per block, characters as Word stores them', async () => {
    const bytes = fixture('report.docx');
    expect(looksBinary(bytes)).toBe(true); // a ZIP: the text checks must not apply to it
    const doc = await importFile('report.docx', bytes);
    expect(doc.text).toBe(
      'Harbour Report 2021\n\n' +
        'The port grew by a third.\n\n' +
        'Findings\n\n' +
        '“We are pleased,” said the director.\nA second line, same paragraph.\n\n' +
        'Inter\u00ADnational trade rose[1].\n\n' + // the soft hyphen kept; the footnote mark as Word shows it
        'See the report.\n\n' +
        'Year\n\nContainers\n\n2021\n\n1,200\n\n' + // table cells
        'Port authority, annual report.', // the footnote, at the end, without its "↑" link back
    );
    expect(doc.html).toBe(
      '<div><h1>Harbour Report 2021</h1><p>The <strong>port</strong> grew by a third.</p><h1>Findings</h1><p>“We are pleased,” said the director.<br>A second line, same paragraph.</p>' +
        '<p>Inter\u00ADnational trade rose<sup><a href="#footnote-1" id="footnote-ref-1">[1]</a></sup>.</p><p>See <a href="https://example.org/report">the report</a>.</p>' +
        '<table><tbody><tr><td><p>Year</p></td><td><p>Containers</p></td></tr><tr><td><p>2021</p></td><td><p>1,200</p></td></tr></tbody></table>' +
        '<ol><li id="footnote-1"><p> Port authority, annual report. </p></li></ol></div>',
    );
    expect(doc.mediaType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect(doc.pages).toBeUndefined();
  });

  it('takes title, authors and language from docProps/core.xml', async () => {
    const doc = await importFile('report.docx', fixture('report.docx'));
    expect(doc.csl).toEqual({
      type: 'document',
      title: 'Harbour Report 2021: Annual Figures',
      author: [
        { given: 'Jane', family: 'Doe' },
        { given: 'John', family: 'Roe' },
      ],
      language: 'en-GB',
    });
  });

  it('titles a document without dc:title by its first heading, and leaves out a placeholder creator', async () => {
    const doc = await importFile('untitled.docx', fixture('untitled.docx'));
    expect(doc.text.startsWith('The port grew by a third.\n\nFindings\n\n')).toBe(true);
    expect(doc.csl).toEqual({ type: 'document', title: 'Findings', language: 'en-GB' });
  });
});

describe('DOCX refusals', () => {
  it('a .docx that is not a ZIP (an old .doc renamed, say)', async () => {
    const e = await errorOf(() => importFile('old.docx', new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0])));
    expect([e.code, e.message]).toEqual([
      'unsupported_file',
      '“old.docx” is not a Word document (.docx): it is not a ZIP package, or it is damaged (cut short). Documents from Word 97–2003 (.doc) or other programs must be saved as .docx first.',
    ]);
  });

  it('a ZIP that is not a Word document', async () => {
    const e = await errorOf(() => importFile('photos.docx', rawZip([{ name: 'photo.jpg', data: 'not really a photo' }])));
    expect([e.code, e.message]).toEqual(['unsupported_file', '“photos.docx” is a ZIP archive but not a Word document (.docx): it has no [Content_Types].xml, which every Office document has.']);
  });

  it('an Office package without a main document (a spreadsheet renamed)', async () => {
    const e = await errorOf(() =>
      importFile('sheet.docx', rawZip([{ name: '[Content_Types].xml', data: '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>' }, { name: 'xl/workbook.xml', data: '<workbook/>' }])),
    );
    expect([e.code, e.message]).toEqual([
      'unsupported_file',
      '“sheet.docx” is an Office package but not a Word document: it has no main document part (word/document.xml). Save it as a Word document (.docx) and import that.',
    ]);
  });

  it('a document whose XML is damaged', async () => {
    const zip = await JSZip.loadAsync(fixture('report.docx'));
    zip.file('word/document.xml', '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Cut off');
    const e = await errorOf(async () => importFile('broken.docx', await zip.generateAsync({ type: 'uint8array' })));
    expect([e.code, e.message]).toEqual([
      'unsupported_file',
      '“broken.docx” is a damaged Word document: a part inside it is not well-formed XML. Open it in Word or LibreOffice (they can often repair it), save it as .docx again, and import that.',
    ]);
  });

  it('a .docx cut short (a broken download)', async () => {
    const e = await errorOf(() => importFile('cut.docx', fixture('report.docx').subarray(0, 2000)));
    expect([e.code, e.message]).toEqual([
      'unsupported_file',
      '“cut.docx” is not a Word document (.docx): it is not a ZIP package, or it is damaged (cut short). Documents from Word 97–2003 (.doc) or other programs must be saved as .docx first.',
    ]);
  });

  it('a ZIP bomb: document.xml that declares 1 KB and inflates to 60 MB', async () => {
    const xml = new Uint8Array(60 * 1024 * 1024).fill(0x20);
    const e = await errorOf(() => importFile('bomb.docx', rawZip([{ name: '[Content_Types].xml', data: '<Types/>' }, { name: 'word/document.xml', data: xml, declaredSize: 1024 }])));
    expect([e.code, e.message]).toEqual([
      'unsupported_file',
      '“bomb.docx” unpacks to more than 50.0 MB (its directory understates its sizes), the most Verbatim unpacks from a Word document (.docx). It may be a ZIP bomb.',
    ]);
  });
});
