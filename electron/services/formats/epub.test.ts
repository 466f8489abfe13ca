import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importFile } from '../importer';
import { importEpub, resolvePackagePath } from './epub';
import { DEFAULT_ZIP_LIMITS, listZipEntries } from './zip';
import { rawZip, type RawZipEntry } from './zipTesting';
import { errorOf } from '../testing';

// book.epub is made by electron/services/formats/make-fixtures.ts; the expected values are read from what it writes.
const fixture = (name: string) => new Uint8Array(readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))));


const CONTAINER = '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>';

/** A minimal EPUB 2 package: content.opf at the root, the given chapters (entries, in spine order), plus any extra entries. */
function smallEpub(chapters: RawZipEntry[] | Record<string, string>, extra: RawZipEntry[] = [], metadata = '<dc:title>Small Book</dc:title>'): Uint8Array {
  const entries = Array.isArray(chapters) ? chapters : Object.entries(chapters).map(([name, data]) => ({ name, data }));
  const opf = `<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" xmlns:opf="http://www.idpf.org/2007/opf" version="2.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">${metadata}</metadata><manifest>${entries
    .map((entry, i) => `<item id="c${i}" href="${entry.name}" media-type="application/xhtml+xml"/>`)
    .join('')}</manifest><spine>${entries.map((_, i) => `<itemref idref="c${i}"/>`).join('')}</spine></package>`;
  return rawZip([
    { name: 'mimetype', data: 'application/epub+zip', method: 'store' },
    { name: 'META-INF/container.xml', data: CONTAINER },
    { name: 'content.opf', data: opf },
    ...entries,
    ...extra,
  ]);
}

describe('EPUB', () => {
  it('reads the chapters in spine order, sanitized, one paragraph per block', async () => {
    const doc = await importFile('book.epub', fixture('book.epub'));
    // Spine: cover (only an image: skipped), "text/chapter 1.xhtml" (href percent-encoded), then ch2; the manifest lists ch2 first.
    expect(doc.text).toBe('Chapter One\n\nIt was a “quiet” port.\n\nShips came & went.\nNobody counted them.\n\nChapter Two\n\nTrade grew again.');
    expect(doc.html).toBe(
      '<section><div><section><h1>Chapter One</h1><p>It was a “quiet” port.</p><p>Ships came &amp; went.<br>Nobody   counted them.<a id="p3"></a></p></section></div></section>\n' +
        '<section><div><section><h1>Chapter Two</h1><p>Trade grew <em>again</em>.</p><p></p></section></div></section>',
    );
    expect(doc.mediaType).toBe('application/epub+zip');
    expect(doc.pages).toBeUndefined();
  });

  it('reads the Dublin Core metadata: main title, authors with their file-as names, translator, date, language, publisher, ISBN', async () => {
    const doc = await importFile('book.epub', fixture('book.epub'));
    expect(doc.csl).toEqual({
      type: 'book',
      title: 'Tides of Trade',
      author: [
        { given: 'Ana', 'non-dropping-particle': 'de la', family: 'Fuente' },
        { family: 'García Márquez', given: 'Gabriel' },
      ],
      translator: [{ given: 'John', family: 'Roe' }],
      issued: { 'date-parts': [[2019, 6, 1]] },
      language: 'en-GB',
      publisher: 'Harbour Press',
      ISBN: '9780000000002',
    });
  });

  it('reads EPUB 2 opf: attributes, HTML entities in a chapter that is not well-formed XML, and titles by the first line when there is no dc:title', async () => {
    const bytes = smallEpub(
      { 'one.html': '<html><body><p>Caf&eacute; &nbsp;talk<p>Second&mdash;paragraph</body></html>' },
      [],
      '<dc:creator opf:role="aut" opf:file-as="Doe, Jane">Jane Doe</dc:creator><dc:creator opf:role="edt">John Roe</dc:creator><dc:date opf:event="modification">2024-01-01</dc:date><dc:date opf:event="publication">2001</dc:date><dc:identifier opf:scheme="ISBN">0-306-40615-2</dc:identifier>',
    );
    const doc = await importFile('old.epub', bytes);
    expect(doc.text).toBe('Café \u00a0talk\n\nSecond—paragraph');
    expect(doc.csl).toEqual({
      type: 'book',
      title: 'Café \u00a0talk',
      author: [{ family: 'Doe', given: 'Jane' }],
      editor: [{ given: 'John', family: 'Roe' }],
      issued: { 'date-parts': [[2001]] },
      ISBN: '0306406152',
    });
  });

  it('resolves hrefs against the package document, percent-decoded', () => {
    expect(resolvePackagePath('OEBPS/', 'text/chapter%201.xhtml#p3')).toBe('OEBPS/text/chapter 1.xhtml');
    expect(resolvePackagePath('OEBPS/text/', '../images/../ch2.xhtml')).toBe('OEBPS/ch2.xhtml');
    expect(resolvePackagePath('', '/top.xhtml')).toBe('top.xhtml');
  });
});

describe('EPUB refusals', () => {
  it('too many entries', async () => {
    const entries: RawZipEntry[] = Array.from({ length: DEFAULT_ZIP_LIMITS.maxEntries + 1 }, (_, i) => ({ name: `OEBPS/f${i}.txt`, data: '', method: 'store' as const }));
    const e = await errorOf(() => importFile('many.epub', rawZip(entries)));
    expect([e.code, e.message]).toEqual([
      'unsupported_file',
      '“many.epub” holds more than 10,000 files; Verbatim opens an EPUB book of up to 10,000 files (a real one has a few hundred at most). It may be damaged, or a ZIP bomb.',
    ]);
  });

  it('an entry that declares a huge size, before anything is unpacked', async () => {
    const bytes = smallEpub({ 'ch.xhtml': '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>Small.</p></body></html>' }, [{ name: 'big.bin', data: 'x', declaredSize: 0xfffffff0 }]);
    expect(listZipEntries(bytes)!.find((entry) => entry.name === 'big.bin')!.uncompressedSize).toBe(0xfffffff0);
    const e = await errorOf(() => importFile('declared.epub', bytes));
    expect([e.code, e.message]).toEqual(['unsupported_file', '“declared.epub” declares 4096.0 MB of content, more than the 50.0 MB Verbatim unpacks from an EPUB book. It may be a ZIP bomb.']);
  });

  it('a chapter that inflates far beyond what it declares is stopped while unpacking', async () => {
    // A chapter of 58 MB of zeros (about 57 KB deflated) that declares 100 bytes.
    const zeros = new Uint8Array(DEFAULT_ZIP_LIMITS.maxTotalBytes + 8 * 1024 * 1024);
    const bomb = smallEpub([{ name: 'bomb.xhtml', data: zeros, declaredSize: 100 }]);
    expect(bomb.length).toBeLessThan(100 * 1024);
    const e = await errorOf(() => importFile('bomb.epub', bomb));
    expect([e.code, e.message]).toEqual([
      'unsupported_file',
      '“bomb.epub” unpacks to more than 50.0 MB (its directory understates its sizes), the most Verbatim unpacks from an EPUB book. It may be a ZIP bomb.',
    ]);
  });

  it('a ZIP that is not an EPUB, and a file that is not a ZIP', async () => {
    const notEpub = rawZip([{ name: 'readme.txt', data: 'hello' }]);
    const e1 = await errorOf(() => importFile('archive.epub', notEpub));
    expect([e1.code, e1.message]).toEqual(['unsupported_file', '“archive.epub” is not a readable EPUB book: it has no META-INF/container.xml naming its package document (.opf).']);
    const e2 = await errorOf(() => importFile('text.epub', new TextEncoder().encode('Just some text, no archive.')));
    expect([e2.code, e2.message]).toEqual(['unsupported_file', '“text.epub” is not an EPUB book: it is not a ZIP package, or it is damaged (cut short).']);
  });

  it('a book whose chapters are encrypted (DRM), while obfuscated fonts are fine', async () => {
    const chapter = { 'ch.xhtml': '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>Readable.</p></body></html>' };
    const encryption = (uri: string, algorithm: string) =>
      `<?xml version="1.0"?><encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData><enc:EncryptionMethod Algorithm="${algorithm}"/><enc:CipherData><enc:CipherReference URI="${uri}"/></enc:CipherData></enc:EncryptedData></encryption>`;
    const drm = smallEpub(chapter, [{ name: 'META-INF/encryption.xml', data: encryption('ch.xhtml', 'http://www.w3.org/2001/04/xmlenc#aes128-cbc') }]);
    const e = await errorOf(() => importFile('drm.epub', drm));
    expect([e.code, e.message]).toEqual(['unsupported_file', '“drm.epub” is protected by DRM (its chapters are encrypted), so Verbatim cannot read it. Import a DRM-free edition.']);
    const fonts = smallEpub(chapter, [{ name: 'META-INF/encryption.xml', data: encryption('fonts/a.otf', 'http://www.idpf.org/2008/embedding') }]);
    expect((await importFile('fonts.epub', fonts)).text).toBe('Readable.');
  });

  it('a book without text', async () => {
    const e = await errorOf(() => importEpub(smallEpub({ 'ch.xhtml': '<html xmlns="http://www.w3.org/1999/xhtml"><body><img src="a.png"/></body></html>' }), 'pictures.epub'));
    expect([e.code, e.message]).toEqual(['empty_file', '“pictures.epub” has no readable text in its chapters.']);
  });
});

describe('DTD entities are never expanded', () => {
  it('an OPF declaring a large entity used many times imports with its title unexpanded (it used to fill the heap)', async () => {
    const JSZip = (await import('jszip')).default;
    const zip = await JSZip.loadAsync(fixture('book.epub'));
    const opf = (await zip.file('OEBPS/content.opf')!.async('string')).replace(/<dc:title[^>]*>[^<]*<\/dc:title>/, `<dc:title>${'&big;'.repeat(300)}</dc:title>`);
    zip.file('OEBPS/content.opf', `<?xml version="1.0"?>\n<!DOCTYPE package [<!ENTITY big "${'word '.repeat(20_000)}">]>\n${opf.replace(/^<\?xml[^>]*>\s*/, '')}`);
    const bytes = await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
    const outcome = await importFile('bomb.epub', bytes).then(
      (doc) => ({ ok: true as const, title: String(doc.csl.title ?? '') }),
      (error: Error & { code?: string }) => ({ ok: false as const, code: error.code }),
    );
    // Without its DTD the OPF's "&big;" is undefined: the package is refused as damaged, never expanded.
    expect(outcome).toEqual({ ok: false, code: 'unsupported_file' });
  });

  it('parseXml drops the DTD, so declared entities are undefined and the document is not well-formed', async () => {
    const { parseXml, withoutDoctype } = await import('./html');
    expect(withoutDoctype('<!DOCTYPE x [<!ENTITY a "b">]>\n<x>&a;</x>')).toBe('\n<x>&a;</x>');
    expect(parseXml('<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')).toBeNull();
    const plain = parseXml('<!DOCTYPE html><x>fine</x>');
    expect(plain?.window.document.documentElement.textContent).toBe('fine');
    plain?.window.close();
  });
});
