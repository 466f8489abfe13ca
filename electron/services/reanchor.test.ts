/**
 * Re-anchoring quotes when a source's text changes (re-import, re-read, edit), and
 * importing by URL. Expected positions are found with indexOf on the texts written here,
 * paragraph numbers by counting the paragraphs by hand.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestLibrary, type TestLibrary } from './testing';
import { fetchForImport } from './urlImport';

const enc = (s: string) => Buffer.from(s, 'utf8').toString('base64');

const A = 'The harbour master counted forty boats before dawn.';
const B = '“We will not leave,” said Okafor.';
const C = 'The council promised a decision within three weeks.';
const D = 'Nobody applauded when the mayor arrived.';
const V1 = ['Harbour notes', A, B, C, `${D} The rain kept falling.`].join('\n\n');
const V2 = [
  'Harbour notes',
  'An editor’s note was added at the top.', // everything after moves by one paragraph
  A,
  B.replaceAll('“', '"').replaceAll('”', '"'), // only the quote marks changed
  C.replace('three weeks', 'a month'), // the wording changed
  'The rain kept falling.', // D was cut
].join('\n\n');

describe('re-importing a changed file', () => {
  let lib: TestLibrary;
  let sourceId: string;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    lib = await openTestLibrary();
    const source = await lib.call('sources.import', { fileName: 'harbour.txt', dataBase64: enc(V1) });
    sourceId = source.id;
    expect(source.hasOriginal).toBe(true);
    for (const [name, exact] of Object.entries({ A, B, C, D })) {
      const start = V1.indexOf(exact);
      ids[name] = (await lib.call('quotes.create', { sourceId, start, end: start + exact.length })).id;
    }
    // The writer typed a page for B: a typed locator is kept when the quote moves.
    await lib.call('quotes.update', { id: ids.B!, locator: '7', locatorLabel: 'page' });
  });
  afterAll(() => lib.dispose());

  const quote = async (name: string) => (await lib.call('quotes.list', { ids: [ids[name]!] }))[0]!;

  it('reports what happened to each quote', async () => {
    const { report, source } = await lib.call('sources.reimport', { id: sourceId, fileName: 'harbour-v2.txt', dataBase64: enc(V2) });
    expect(report).toEqual({ unchanged: 0, moved: 2, changed: 1, orphaned: 1, sameText: false });
    expect(source.needsReview).toBe(2);
    expect(source.title).toBe('Harbour notes'); // metadata kept
    expect((await lib.call('sources.get', { id: sourceId })).text).toBe(V2);
  });

  it('a moved quote follows its passage, and its computed paragraph locator too', async () => {
    const a = await quote('A');
    const at = V2.indexOf(A);
    expect([a.anchor.status, a.textQuote.exact, a.textPosition.start, a.textPosition.end]).toEqual(['anchored', A, at, at + A.length]);
    expect([a.locator, a.locatorLabel]).toEqual(['3', 'paragraph']); // was paragraph 2
  });

  it('a quote whose marks changed takes the source’s new characters; a typed locator stays', async () => {
    const b = await quote('B');
    const straight = '"We will not leave," said Okafor.';
    expect([b.anchor.status, b.textQuote.exact, b.textPosition.start]).toEqual(['anchored', straight, V2.indexOf(straight)]);
    expect([b.locator, b.locatorLabel]).toEqual(['7', 'page']);
  });

  it('a quote whose wording changed is flagged with the old and the new text', async () => {
    const c = await quote('C');
    const now = 'The council promised a decision within a month.';
    expect(c.anchor).toEqual({ status: 'changed', candidate: { exact: now, start: V2.indexOf(now), end: V2.indexOf(now) + now.length } });
    expect(c.textQuote.exact).toBe(C); // the old wording until the user accepts
  });

  it('a quote whose passage was cut is kept as an orphan', async () => {
    const d = await quote('D');
    expect([d.anchor.status, d.textQuote.exact, d.anchor.candidate]).toEqual(['orphaned', D, null]);
  });

  it('accepting the new wording anchors the quote to it', async () => {
    const c = await quote('C');
    const accepted = await lib.call('quotes.reanchor', { id: c.id, start: c.anchor.candidate!.start, end: c.anchor.candidate!.end });
    expect([accepted.anchor.status, accepted.textQuote.exact, accepted.locator]).toEqual(['anchored', 'The council promised a decision within a month.', '5']);
    expect((await lib.call('sources.list', {})).find((s) => s.id === sourceId)!.needsReview).toBe(1);
  });

  it('an orphan comes back when its passage does, and nothing was ever deleted', async () => {
    const { report } = await lib.call('sources.reimport', { id: sourceId, fileName: 'harbour.txt', dataBase64: enc(V1) });
    // A, B and D are found again (B's curly marks are back: a typographic change); C's accepted wording is gone again.
    expect(report).toEqual({ unchanged: 0, moved: 3, changed: 1, orphaned: 0, sameText: false });
    const d = await quote('D');
    expect([d.anchor.status, d.textPosition.start]).toEqual(['anchored', V1.indexOf(D)]);
    expect(await lib.call('quotes.list', { sourceId })).toHaveLength(4);
  });

  it('re-reading the kept original changes nothing when it is the same', async () => {
    const { report } = await lib.call('sources.reread', { id: sourceId });
    expect(report).toEqual({ unchanged: 3, moved: 0, changed: 1, orphaned: 0, sameText: true });
  });

  it('editing the text re-anchors too (the text is cleaned like a paste: CRLF to LF)', async () => {
    const edited = V1.replace(A, `${A} (Corrected.)`).replace(/\n/g, '\r\n');
    const { report } = await lib.call('sources.updateText', { id: sourceId, text: edited });
    expect(report.orphaned).toBe(0);
    const a = await quote('A');
    expect(a.textPosition.start).toBe(edited.replace(/\r\n/g, '\n').indexOf(A));
  });
});

describe('re-reading and editing: refusals', () => {
  it('a pasted source has no original to re-read; an empty edit is refused and changes nothing', async () => {
    const lib = await openTestLibrary();
    try {
      const pasted = await lib.call('sources.importText', { text: 'Title\n\nBody text here.' });
      expect(pasted.hasOriginal).toBe(false);
      await expect(lib.call('sources.reread', { id: pasted.id })).rejects.toMatchObject({ code: 'not_found', message: expect.stringContaining('keeps no original file') });
      await expect(lib.call('sources.updateText', { id: pasted.id, text: '  \n ' })).rejects.toMatchObject({ code: 'empty_file' });
      expect((await lib.call('sources.get', { id: pasted.id })).text).toBe('Title\n\nBody text here.');
      await expect(lib.call('sources.reimport', { id: pasted.id, fileName: 'x.exe', dataBase64: enc('MZ') })).rejects.toMatchObject({ code: 'unsupported_file' });
      expect((await lib.call('sources.get', { id: pasted.id })).text).toBe('Title\n\nBody text here.');
    } finally {
      await lib.dispose();
    }
  });
});

describe('import by URL', () => {
  let server: http.Server;
  let base: string;
  let lib: TestLibrary;
  const page = '<!doctype html><html lang="en"><head><title>Tide tables</title></head><body><article><h1>Tide tables</h1><p>The tide came in twice, as it always does, and the boats rose with it.</p><p>Nobody was surprised by the second tide that afternoon.</p></article></body></html>';
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/article') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
      else if (req.url === '/moved') res.writeHead(301, { location: '/article' }).end();
      else if (req.url === '/photo') res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from([0x89, 0x50]));
      else if (req.url === '/latin1') res.writeHead(200, { 'content-type': 'text/html; charset=windows-1252' }).end(Buffer.from('<html><head><title>Caf\xe9 notes</title></head><body><article><p>The caf\xe9 opened at dawn and the harbour workers came in for coffee before the first shift.</p></article></body></html>', 'latin1'));
      else if (req.url === '/mislabelled') res.writeHead(200, { 'content-type': 'text/html' }).end(readFileSync(path.join(__dirname, 'formats', 'fixtures', 'labelled.pdf')));
      else if (req.url === '/to-file') res.writeHead(302, { location: 'file:///etc/passwd' }).end();
      else if (req.url === '/loop') res.writeHead(302, { location: '/loop' }).end();
      else res.writeHead(404, { 'content-type': 'text/plain' }).end('nope');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    lib = await openTestLibrary();
  });
  afterAll(async () => {
    await lib.dispose();
    await new Promise((resolve) => server.close(resolve));
  });

  it('imports a page, following redirects, cites it by the address it came from and keeps the file', async () => {
    const source = await lib.call('sources.importUrl', { url: `${base}/moved` });
    expect(source.title).toBe('Tide tables');
    expect(source.csl.URL).toBe(`${base}/article`);
    expect(source.origin).toEqual({ kind: 'url', fileName: '127.0.0.1.html', url: `${base}/article`, mediaType: 'text/html', byteLength: Buffer.byteLength(page) });
    expect(source.hasOriginal).toBe(true);
    expect((await lib.call('sources.get', { id: source.id })).text).toContain('Nobody was surprised by the second tide that afternoon.');
  });

  it('decodes a page by the charset its HTTP header names, and knows a PDF by its bytes whatever its label', async () => {
    const cafe = await lib.call('sources.importUrl', { url: `${base}/latin1` });
    expect(cafe.title).toBe('Café notes');
    expect((await lib.call('sources.get', { id: cafe.id })).text).toContain('The café opened at dawn');
    // The file is kept as the server sent it, with its charset: reading it again gives the same text.
    expect((await lib.call('sources.reread', { id: cafe.id })).report.sameText).toBe(true);
    const pdf = await lib.call('sources.importUrl', { url: `${base}/mislabelled` });
    expect([pdf.origin.mediaType, pdf.title]).toEqual(['application/pdf', 'Harbour Trade in Transition: A Working Paper']);
  });

  it('says which redirect it would not follow', async () => {
    await expect(lib.call('sources.importUrl', { url: `${base}/to-file` })).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('redirected to a file: address, which Verbatim does not follow') });
    await expect(lib.call('sources.importUrl', { url: `${base}/loop` })).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('redirected more than 10 times') });
  });

  it('says clearly what went wrong, and adds nothing', async () => {
    const before = (await lib.call('sources.list', {})).length;
    await expect(lib.call('sources.importUrl', { url: `${base}/missing` })).rejects.toMatchObject({ code: 'unavailable', message: expect.stringMatching(/answered 404 Not Found .* Save the page from your browser/) });
    await expect(lib.call('sources.importUrl', { url: `${base}/photo` })).rejects.toMatchObject({ code: 'unsupported_file', message: expect.stringContaining('image/png') });
    await expect(lib.call('sources.importUrl', { url: 'ftp://example.org/a' })).rejects.toMatchObject({ code: 'invalid_arguments', message: expect.stringContaining('not ftp: addresses') });
    // A port nobody listens on: refused, as when the machine is offline the lookup fails.
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(lib.call('sources.importUrl', { url: `http://127.0.0.1:${port}/a` })).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('refused the connection') });
    expect((await lib.call('sources.list', {})).length).toBe(before);
  });

  it('an offline machine: a failed lookup is reported as offline', async () => {
    // The fetch is what fails when offline: undici throws TypeError('fetch failed') with the DNS error as its cause.
    const failing = (async () => {
      throw Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('getaddrinfo EAI_AGAIN example.org'), { code: 'EAI_AGAIN' }) });
    }) as typeof fetch;
    await expect(fetchForImport('example.org/news', failing)).rejects.toMatchObject({ code: 'unavailable', message: expect.stringMatching(/could not look up example\.org: this computer seems to be offline/) });
  });
});

describe('search reads the normalized view of each quote', () => {
  it('finds a PDF-style hyphenated word and a soft-hyphenated one by the whole word; `exact` stays verbatim', async () => {
    const lib = await openTestLibrary();
    try {
      const text = 'Report\n\nThe inter-\nnational court met. Its juris\u00ADdiction was disputed.';
      const source = await lib.call('sources.importText', { text });
      const exact = 'The inter-\nnational court met. Its juris\u00ADdiction was disputed.';
      const start = text.indexOf(exact);
      const saved = await lib.call('quotes.create', { sourceId: source.id, start, end: start + exact.length });
      expect(saved.textQuote.exact).toBe(exact);
      expect((await lib.call('quotes.list', { query: 'international' })).map((q) => q.id)).toEqual([saved.id]);
      expect((await lib.call('quotes.list', { query: 'jurisdiction' })).map((q) => q.id)).toEqual([saved.id]);
      expect(await lib.call('quotes.list', { query: 'national' })).toEqual([]); // no longer a word of its own once the hyphenation is undone
    } finally {
      await lib.dispose();
    }
  });
});

describe('a paged source (PDF)', () => {
  // labelled.pdf (electron/services/formats/fixtures, made by electron/services/formats/make-fixtures.ts) has three pages labelled i, ii and 1;
  // its text is worked out in formats/pdf.test.ts: page ii opens with "Same line, two runs.", page 1 with "Introduction".
  const pdf = readFileSync(path.join(__dirname, 'formats', 'fixtures', 'labelled.pdf'));

  it('keeps its page starts, and quotes are cited by the printed page label', async () => {
    const lib = await openTestLibrary();
    try {
      const summary = await lib.call('sources.import', { fileName: 'labelled.pdf', dataBase64: pdf.toString('base64') });
      expect([summary.hasOriginal, summary.origin.mediaType]).toEqual([true, 'application/pdf']);
      const source = await lib.call('sources.get', { id: summary.id });
      const pageII = source.text.indexOf('Same line, two runs.');
      const page1 = source.text.indexOf('Introduction');
      expect(source.pages).toEqual([
        { start: 0, label: 'i' },
        { start: pageII, label: 'ii' },
        { start: page1, label: '1' },
      ]);
      const onII = await lib.call('quotes.create', { sourceId: source.id, start: pageII, end: pageII + 'Same line, two runs.'.length });
      expect([onII.locator, onII.locatorLabel]).toEqual(['ii', 'page']);
      // A quote running from page ii onto page 1 is cited as a range.
      const across = await lib.call('quotes.create', { sourceId: source.id, start: source.text.indexOf('Containers rose'), end: page1 + 'Introduction'.length });
      expect([across.locator, across.locatorLabel]).toEqual(['ii-1', 'page']);
      // The hyphenated line end stays in the quote's text, and search finds the whole word.
      const hyph = source.text.indexOf('inter-\nnational');
      const q = await lib.call('quotes.create', { sourceId: source.id, start: hyph, end: hyph + 'inter-\nnational shipping'.length });
      expect(q.textQuote.exact).toBe('inter-\nnational shipping');
      expect((await lib.call('quotes.list', { query: 'international' })).map((x) => x.id)).toEqual([q.id]);
      // Reading the kept original again finds every quote where it was.
      const { report } = await lib.call('sources.reread', { id: source.id });
      expect(report).toEqual({ unchanged: 3, moved: 0, changed: 0, orphaned: 0, sameText: true });
      // Editing the text by hand: the pages follow the edit, and so do the page locators.
      const added = 'Editor’s note: corrected.\n\n';
      await lib.call('sources.updateText', { id: source.id, text: added + source.text });
      const edited = await lib.call('sources.get', { id: source.id });
      expect(edited.pages).toEqual([
        { start: 0, label: 'i' },
        { start: pageII + added.length, label: 'ii' },
        { start: page1 + added.length, label: '1' },
      ]);
      const again = new Map((await lib.call('quotes.list', { ids: [onII.id, across.id] })).map((x) => [x.id, `${x.locatorLabel} ${x.locator}`]));
      expect([again.get(onII.id), again.get(across.id)]).toEqual(['page ii', 'page ii-1']);
    } finally {
      await lib.dispose();
    }
  });
});

describe('migration 3 on a library from a development build without text_length', () => {
  it('adds the column with each text’s length in UTF-16 code units', async () => {
    const { Database } = await import('./db');
    const { migrate, MIGRATIONS } = await import('./migrations');
    const { mkdtempSync, rmSync } = await import('node:fs');
    const os = await import('node:os');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'verbatim-old-'));
    const db = await Database.open(path.join(dir, 'library.sqlite'));
    try {
      await migrate(db, [MIGRATIONS[0]!]);
      // What those builds had: the same table without the column.
      await db.exec('ALTER TABLE sources DROP COLUMN text_length');
      await db.run("INSERT INTO sources (id, csl, text, html, content_hash, origin, created_at, updated_at) VALUES ('s1', '{\"type\":\"document\"}', 'Caf\u00e9 😀', NULL, 'h', '{\"kind\":\"paste\",\"fileName\":null,\"mediaType\":\"text/plain\",\"byteLength\":1}', 'x', 'x')");
      expect(await migrate(db)).toEqual([2, 3, 4, 5]);
      expect(await db.get('SELECT text_length FROM sources')).toEqual({ text_length: 'Café 😀'.length });
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a match on invisible characters only', () => {
  it('makes that quote an orphan instead of refusing the whole edit', async () => {
    const lib = await openTestLibrary();
    try {
      const text = `Intro line.\n\nx${'\u200D'.repeat(20)} tail text here.`;
      const source = await lib.call('sources.importText', { text });
      const quote = await lib.call('quotes.create', { sourceId: source.id, start: 13, end: 34 });
      const { report } = await lib.call('sources.updateText', { id: source.id, text: `Different intro.\n\n${'\u200D'.repeat(20)} other.` });
      expect(report.orphaned).toBe(1);
      expect((await lib.call('quotes.list', { ids: [quote.id] }))[0]!.anchor.status).toBe('orphaned');
      expect((await lib.call('sources.get', { id: source.id })).text).toBe(`Different intro.\n\n${'\u200D'.repeat(20)} other.`);
    } finally {
      await lib.dispose();
    }
  });

  it('an address with a password is refused without echoing it', async () => {
    await expect(fetchForImport('http://user:secret@example.org/a')).rejects.toMatchObject({ code: 'invalid_arguments', message: expect.not.stringContaining('secret') });
  });
});
