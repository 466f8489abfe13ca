import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importFile } from '../importer';
import { decodeQuotedPrintable, parseContentType, readMhtml } from './mhtml';
import { errorOf } from '../testing';

// page.mhtml is made by electron/services/formats/make-fixtures.ts (as Chrome writes "Webpage, Single File"); the expected values are read from what it writes.
const fixture = (name: string) => new Uint8Array(readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))));
const bytesOf = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
const utf8 = (b: Uint8Array) => new TextDecoder().decode(b);


const ARTICLE = (extra = '') =>
  `<!DOCTYPE html><html lang="de"><head><title>Hafen</title>${extra}</head><body><article><p>Der Hafen hat im vergangenen Jahr mehr Container umgeschlagen als je zuvor, teilte die Beh\xf6rde mit.</p><p>\x84Wir sind zufrieden\x93, sagte die Direktorin \x96 und l\xe4chelte.</p></article></body></html>`;

describe('MHTML', () => {
  it('imports the page a browser saved: quoted-printable UTF-8 undone, Readability, the snapshot URL and day', async () => {
    const doc = await importFile('page.mhtml', fixture('page.mhtml'));
    // Readability takes the <h1> as the title and leaves it out of the text, as it does for .html.
    expect(doc.text).toBe(
      'The port moved more containers than in any year before, the authority said on Monday; it expects the growth to continue.\n\n' +
        '“We are very pleased,” said the director. Café owners on the quay agreed = business was good.\n\n' +
        'Ships queued for days in the spring, and the night shifts were extended until the end of the summer season.',
    );
    expect(doc.csl).toEqual({
      type: 'webpage',
      title: 'Harbour sets a record',
      URL: 'https://news.example.org/2021/01/harbour-record', // Content-Location: the page has no canonical link
      accessed: { 'date-parts': [[2021, 1, 11]] }, // the Date it was saved
      language: 'en',
    });
    expect(doc.mediaType).toBe('multipart/related');
    expect(doc.html).toContain('<p>“We are very pleased,” said the director.');
  });

  it('finds the HTML part, its charset and location', () => {
    const page = readMhtml(fixture('page.mhtml'), 'page.mhtml');
    expect(page.charset).toBeNull();
    expect(page.location).toBe('https://news.example.org/2021/01/harbour-record');
    expect(page.savedOn).toBe('2021-01-11');
    expect(utf8(page.html).startsWith('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">')).toBe(true);
    expect(utf8(page.html)).toContain('Café owners on the quay agreed = business');
  });

  it('decodes quoted-printable: soft line breaks, =XX bytes of UTF-8 in either case, trailing white space, a stray "="', () => {
    const qp = 'Caf=C3=A9 =E2=80=9Cquo=\r\nted=E2=80=9D   \r\nnext line =3D x=e2=80=94y =ZZ end=\nsoft';
    expect(utf8(decodeQuotedPrintable(qp))).toBe('Café “quoted”\nnext line = x—y =ZZ endsoft');
    expect(utf8(decodeQuotedPrintable('=E2=80=\r\n=9C'))).toBe('“'); // a character split across a soft break
  });

  it('reads base64 parts, the charset a part declares (windows-1252), LF line ends, and nested multiparts; a canonical link beats Content-Location', () => {
    const html = ARTICLE('<link rel="canonical" href="https://example.de/hafen">');
    const base64 = Buffer.from(html, 'latin1').toString('base64').replace(/.{76}/g, '$&\n');
    const message = [
      'MIME-Version: 1.0',
      'Content-Type: multipart/related; boundary=outer; type="multipart/alternative"',
      '',
      'Preamble text that is not a part.',
      '--outer',
      'Content-Type: multipart/alternative; boundary="inner"',
      '',
      '--inner',
      'Content-Type: text/plain; charset=us-ascii',
      '',
      'Plain version.',
      '--inner',
      'Content-Type: text/html; charset="windows-1252"',
      'Content-Transfer-Encoding: base64',
      'Content-Location: https://example.de/hafen?ref=mail',
      '',
      base64,
      '--inner--',
      '--outer--',
      '',
    ].join('\n');
    const page = readMhtml(bytesOf(message), 'hafen.mht');
    expect(page.charset).toBe('windows-1252');
    expect(page.location).toBe('https://example.de/hafen?ref=mail');
    expect(Buffer.from(page.html).toString('latin1')).toBe(html);
    return importFile('hafen.mht', bytesOf(message)).then((doc) => {
      expect(doc.text).toBe('Der Hafen hat im vergangenen Jahr mehr Container umgeschlagen als je zuvor, teilte die Behörde mit.\n\n„Wir sind zufrieden“, sagte die Direktorin – und lächelte.');
      expect(doc.csl.URL).toBe('https://example.de/hafen');
      expect(doc.csl.language).toBe('de');
    });
  });

  it('takes the root part named by the "start" parameter', () => {
    const message = [
      'Content-Type: multipart/related; boundary="b"; start="<root@x>"',
      '',
      '--b',
      'Content-Type: text/html',
      '',
      '<p>A frame, not the page.</p>',
      '--b',
      'Content-Type: text/html',
      'Content-ID: <root@x>',
      '',
      '<p>The page.</p>',
      '--b--',
    ].join('\r\n');
    expect(utf8(readMhtml(bytesOf(message), 'x.mhtml').html)).toBe('<p>The page.</p>');
  });

  it('parses Content-Type parameters, quoted or not', () => {
    const { type, params } = parseContentType('Multipart/Related; type="text/html"; boundary="----Multi;part--x----"; charset=UTF-8');
    expect(type).toBe('multipart/related');
    expect(Object.fromEntries(params)).toEqual({ type: 'text/html', boundary: '----Multi;part--x----', charset: 'UTF-8' });
  });
});

describe('MHTML refusals', () => {
  it('an archive without an HTML part', async () => {
    const message = ['Content-Type: multipart/related; boundary="b"', '', '--b', 'Content-Type: image/png', 'Content-Transfer-Encoding: base64', '', 'iVBORw0KGgo=', '--b--', ''].join('\r\n');
    const e = await errorOf(() => importFile('images.mhtml', bytesOf(message)));
    expect([e.code, e.message]).toEqual([
      'unsupported_file',
      '“images.mhtml” holds no web page: none of its MIME parts is HTML (text/html). Save the page again with your browser, or save it as .html.',
    ]);
  });

  it('a file that is not a MIME message', async () => {
    const e = await errorOf(() => importFile('notes.mht', bytesOf('Just notes, saved with the wrong extension.\n')));
    expect([e.code, e.message]).toEqual([
      'unsupported_file',
      '“notes.mht” is not an MHTML web archive: it has no MIME Content-Type header. Save the page again with your browser (“Save as… Webpage, Single File”), or save it as .html.',
    ]);
  });

  it('a multipart without a boundary', async () => {
    const e = await errorOf(() => importFile('odd.mhtml', bytesOf('Content-Type: multipart/related\r\n\r\n<p>text</p>')));
    expect(e.code).toBe('unsupported_file');
    expect(e.message).toBe('“odd.mhtml” holds no web page: none of its MIME parts is HTML (text/html). Save the page again with your browser, or save it as .html.');
  });
});
