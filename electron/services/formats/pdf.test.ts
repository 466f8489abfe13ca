import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importFile } from '../importer';
import { importPdf, layoutPageText, MAX_PDF_PAGES, textRuns, type PdfTextRun } from './pdf';
import { errorOf } from '../testing';

// Fixtures are made by electron/services/formats/make-fixtures.ts; the expected strings below are read from what it writes.
const fixture = (name: string) => new Uint8Array(readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))));


describe('PDF text', () => {
  it('lays out a hand-written three-page PDF: lines, paragraphs, hyphens and curly quotes as they are, page labels i, ii, 1', async () => {
    const bytes = fixture('labelled.pdf');
    const doc = await importFile('labelled.pdf', bytes);
    expect(doc.text).toBe(
      'Harbour Trade in Transition\n\n' +
        'A study of inter-\nnational shipping after 2020.\n\n' +
        'The port authority said: “We have\nnever moved more containers.”\n\n' +
        // page ii: two runs on one baseline joined by a space; the raised note mark stays on its line
        'Same line, two runs.\nContainers rose by a third.1\n\n' +
        'Introduction\n\nTrade grew fastest where\nports were “open all night.”',
    );
    expect(doc.pages).toEqual([
      { start: 0, label: 'i' },
      { start: doc.text.indexOf('Same line'), label: 'ii' },
      { start: doc.text.indexOf('Introduction'), label: '1' },
    ]);
    expect(doc.pages!.map((p) => doc.text.slice(p.start, p.start + 12))).toEqual(['Harbour Trad', 'Same line, t', 'Introduction']);
    expect(doc.pages![1]!.start).toBe(143);
    expect(doc.html).toBeNull();
    expect(doc.mediaType).toBe('application/pdf');
    expect(bytes.length).toBe(readFileSync(fileURLToPath(new URL('./fixtures/labelled.pdf', import.meta.url))).length); // the caller's bytes are not taken over
  });

  it('reads the Info dictionary: title, authors split on ";", and the catalog language (its CreationDate is not a publication date)', async () => {
    const doc = await importFile('labelled.pdf', fixture('labelled.pdf'));
    expect(doc.csl).toEqual({
      type: 'document',
      title: 'Harbour Trade in Transition: A Working Paper',
      author: [
        { given: 'Jane', family: 'Doe' },
        { given: 'John', family: 'Roe' },
      ],
      language: 'en-GB',
    });
  });

  it('reads a PDF printed by Chromium, with its embedded fonts', async () => {
    const bytes = fixture('two-pages.pdf');
    const doc = await importFile('two-pages.pdf', bytes);
    expect(doc.text).toBe('The report looks at inter-\nnational shipping.\n\n“We were surprised,” the harbour master said.\n\nPage two begins here.');
    expect(doc.pages).toEqual([
      { start: 0, label: '1' },
      { start: 94, label: '2' },
    ]);
    expect(doc.text.slice(94)).toBe('Page two begins here.');
    expect(doc.csl.title).toBe('Shipping Notes'); // the <title> Chromium writes as Info Title
    expect(doc.csl.author).toBeUndefined();
    // The file has a CreationDate (the day Chromium printed it), which is not a publication date: no issued date.
    expect(Buffer.from(bytes).toString('latin1')).toMatch(/CreationDate \(D:\d{8}/);
    expect(doc.csl.issued).toBeUndefined();
  });

  it('prefers a real XMP title to a word processor caption, and reads XMP creators, DOI, journal and publication date', async () => {
    const doc = await importFile('xmp.pdf', fixture('xmp.pdf'));
    expect(doc.text).toBe('Body of a paper that declares its metadata in XMP.');
    expect(doc.csl).toEqual({
      type: 'article',
      title: 'Tides and Trade: Évian to Rotterdam',
      author: [
        { given: 'Ana', 'non-dropping-particle': 'de la', family: 'Fuente' },
        { given: 'Marieke', 'non-dropping-particle': 'van der', family: 'Berg' },
      ],
      issued: { 'date-parts': [[2020, 5, 4]] }, // prism:publicationDate, not the Info CreationDate (2020-01-01)
      DOI: '10.1234/tides.2020.7',
      'container-title': 'Journal of Port Studies',
    });
    expect(doc.pages).toEqual([{ start: 0, label: '1' }]);
  });

  it('reads Japanese in a font that is not embedded, through the character maps pdfjs-dist ships', async () => {
    const doc = await importFile('cjk.pdf', fixture('cjk.pdf'));
    expect(doc.text).toBe('日本の港\n横浜と神戸。');
    expect(doc.csl).toEqual({ type: 'document', title: '日本の港', language: 'ja' });
  });

  it('gives a blank page the start of the next page with text, and keeps its number', async () => {
    const doc = await importFile('gap.pdf', fixture('gap.pdf'));
    expect(doc.text).toBe('Before the blank page.\n\nAfter the blank page.');
    expect(doc.pages).toEqual([
      { start: 0, label: '1' },
      { start: 24, label: '2' },
      { start: 24, label: '3' },
    ]);
    expect(doc.text.slice(24)).toBe('After the blank page.');
  });

  it('titles a PDF by its first line when its metadata holds placeholders, and leaves the placeholder author out', async () => {
    const doc = await importFile('untitled.pdf', fixture('untitled.pdf'));
    expect(doc.text).toBe('Notes from the harbour\n\nWritten on the quay, in March.');
    expect(doc.csl).toEqual({ type: 'document', title: 'Notes from the harbour' });
  });
});

describe('PDF refusals', () => {
  it('a scan without a text layer asks for OCR', async () => {
    const e = await errorOf(() => importFile('scan.pdf', fixture('no-text.pdf')));
    expect([e.code, e.message]).toEqual([
      'unsupported_file',
      '“scan.pdf” has no text layer: its page is an image (a scan), so there is no text to quote. Run OCR on it first (for example with OCRmyPDF, or your scanner\'s or PDF editor\'s “recognize text”), then import the result.',
    ]);
  });

  it('a password-protected PDF (a real RC4 one; it opens with "secret")', async () => {
    const e = await errorOf(() => importFile('locked.pdf', fixture('encrypted.pdf')));
    expect([e.code, e.message]).toEqual([
      'unsupported_file',
      '“locked.pdf” is protected by a password, and Verbatim cannot open encrypted PDFs. Open it in a PDF viewer with its password and save or print an unprotected copy, then import that.',
    ]);
    const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const opened = await getDocument({ data: fixture('encrypted.pdf'), password: 'secret', isEvalSupported: false, verbosity: 0 }).promise;
    const items = (await (await opened.getPage(1)).getTextContent()).items;
    expect(items.map((i) => ('str' in i ? i.str : ''))).toEqual(['This text is only readable with the password.']);
    await opened.destroy();
  });

  it('corrupt bytes behind a PDF header', async () => {
    const bytes = new TextEncoder().encode('%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R\nthis is not a PDF body \x00\x01\x02\n%%EOF');
    const e = await errorOf(() => importFile('broken.pdf', bytes));
    expect([e.code, e.message]).toEqual([
      'unsupported_file',
      '“broken.pdf” cannot be read as a PDF (Invalid PDF structure): it is damaged or not a PDF. If it opens in a PDF viewer, save or print it as a new PDF and import that.',
    ]);
  });

  it('a PDF cut short (a broken download)', async () => {
    const whole = fixture('labelled.pdf');
    const e = await errorOf(() => importFile('cut.pdf', whole.subarray(0, Math.floor(whole.length * 0.6))));
    expect([e.code, e.message]).toEqual([
      'unsupported_file',
      '“cut.pdf” cannot be read as a PDF (Invalid PDF structure): it is damaged or not a PDF. If it opens in a PDF viewer, save or print it as a new PDF and import that.',
    ]);
  });

  it('a file named .pdf that is not one', async () => {
    const e = await errorOf(() => importFile('page.pdf', new TextEncoder().encode('<!doctype html><p>Saved with the wrong name.</p>')));
    expect([e.code, e.message]).toEqual([
      'unsupported_file',
      '“page.pdf” is not a PDF: it does not start with a PDF header. Check that it is the file you meant, or give it its real extension.',
    ]);
  });

  it('more pages than the limit', async () => {
    expect(MAX_PDF_PAGES).toBe(2000);
    const e = await errorOf(() => importPdf(fixture('labelled.pdf'), 'long.pdf', { maxPages: 2 }));
    expect([e.code, e.message]).toEqual(['unsupported_file', '“long.pdf” has 3 pages; Verbatim imports PDFs of up to 2 pages. Split it (by chapter, say) and import the parts.']);
  });
});

describe('PDF layout', () => {
  const run = (str: string, along: number, across: number, options: Partial<PdfTextRun> = {}): PdfTextRun => ({ str, along, across, width: str.length * 6, size: 12, eol: false, ...options });

  it('starts a paragraph at a gap wider than the usual line spacing, and at a new column', () => {
    const runs = [
      run('Column one, line one,', 72, 700),
      run('line two.', 72, 686),
      run('line three,', 72, 672),
      run('After a gap.', 72, 644),
      run('Column two starts higher.', 320, 700),
      run('And goes on.', 320, 686),
    ];
    expect(layoutPageText(runs)).toBe('Column one, line one,\nline two.\nline three,\n\nAfter a gap.\n\nColumn two starts higher.\nAnd goes on.');
  });

  it('keeps double-spaced lines in one paragraph when every gap is the same', () => {
    const runs = [run('Double', 72, 700), run('spaced', 72, 676), run('lines', 72, 652), run('here.', 72, 628)];
    expect(layoutPageText(runs)).toBe('Double\nspaced\nlines\nhere.');
  });

  it('adds a space between runs only where there is a gap and no space already', () => {
    const runs = [run('Tight', 72, 700), run('ly', 72 + 30, 700), run('gap', 72 + 30 + 12 + 20, 700), run(' spaced', 72 + 30 + 12 + 20 + 18 + 10, 700)];
    expect(layoutPageText(runs)).toBe('Tightly gap spaced');
  });

  it('reads text rotated a quarter turn like upright text', () => {
    // 12 pt text turned 90° counter-clockwise ([0 12 -12 0 x y]): lines run up the page, each next line 14 pt to the right.
    const item = (str: string, x: number, y: number) => ({ str, dir: 'ltr', transform: [0, 12, -12, 0, x, y], width: str.length * 6, height: 12, hasEOL: false });
    const runs = textRuns([item('First line of', 100, 200), item('the turned', 114, 200), item('page.', 114, 266), { type: 'endMarkedContent' }, item('New paragraph.', 142, 200)]);
    expect(runs.map((r) => [r.along, r.across, r.size].map(Math.round))).toEqual([
      [200, -100, 12],
      [200, -114, 12],
      [266, -114, 12],
      [200, -142, 12],
    ]);
    expect(layoutPageText(runs)).toBe('First line of\nthe turned page.\n\nNew paragraph.');
  });

  it('returns an empty string for a page without text', () => {
    expect(layoutPageText([run('', 0, 0, { eol: true }), run('   ', 72, 700)])).toBe('');
  });

});
