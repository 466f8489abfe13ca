/**
 * The import worker (importPool.ts): hostile files generated in formats/hostileFixtures.ts
 * are refused with the right code and message, the host keeps answering while a worker
 * runs, its memory does not grow by a bomb's size, a terminated worker is replaced, queued
 * reads each get their own result, and a normal file reads the same in the worker as in
 * the calling thread. Limits are lowered through options; no timing is asserted.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/contract';
import { fanOutPdf, flateBombPdf, manyParagraphsDocx, manyParagraphsEpub, paragraphText, zlibBomb } from './formats/hostileFixtures';
import { measureDecodedStreams } from './formats/pdfStreams';
import { importFile, readFileInProcess } from './importer';
import { ImportPool } from './importPool';
import { inflateSync } from 'node:zlib';

const fixture = (name: string) => new Uint8Array(readFileSync(path.join(__dirname, 'formats', 'fixtures', name)));

async function errorOf(run: () => Promise<unknown>): Promise<ApiError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected an ApiError, got a result');
}

const pools: ImportPool[] = [];
function pool(options: ConstructorParameters<typeof ImportPool>[0] = {}): ImportPool {
  const p = new ImportPool(options);
  pools.push(p);
  return p;
}
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
});

describe('hostile fixtures', () => {
  it('the zlib bomb inflates to exactly the size asked for, with a valid Adler-32 (so the PDF bomb is real)', () => {
    const bomb = zlibBomb(8);
    const out = inflateSync(bomb); // throws on a bad checksum
    expect(out.length).toBe(8 * 1024 * 1024);
    expect(out.every((b) => b === 0x20)).toBe(true);
    expect(bomb.length).toBeLessThan(8 * 1024 * 1024 / 500);
  });

  it('measures the bomb PDF’s decoded streams without keeping them: over a 16 MiB budget it stops, under a 64 MiB one it counts 32 MiB plus the text stream', async () => {
    const pdf = flateBombPdf(32);
    const over = await measureDecodedStreams(pdf, 16 * 1024 * 1024);
    expect(over.overBudget).toBe(true);
    expect(over.decodedBytes).toBeGreaterThan(16 * 1024 * 1024);
    const under = await measureDecodedStreams(pdf, 64 * 1024 * 1024);
    expect(under).toEqual({ decodedBytes: 32 * 1024 * 1024, overBudget: false, flateStreams: 1 }); // the text stream is not Flate
  });
});

describe('limits', () => {
  it('refuses a Flate-bomb PDF (4 GiB of spaces in 4 MB) with import_too_much_memory, and the host’s memory does not grow by the bomb’s size', async () => {
    const bytes = flateBombPdf(4096);
    expect(bytes.length).toBeLessThan(6 * 1024 * 1024);
    const before = process.memoryUsage.rss();
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage.rss());
    }, 20);
    const e = await errorOf(() => importFile('bomb.pdf', bytes, { pool: pool() }));
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage.rss());
    expect(e.code).toBe('import_too_much_memory');
    expect(e.message).toBe(
      'This PDF (“bomb.pdf”) needs more memory than Verbatim allows for one file (256 MB); it was not imported. It may be damaged or built to exhaust memory; if it opens in a viewer, save or print it as a new file and import that.',
    );
    // The worker (same process) loads pdf.js, jsdom and the file; 4 GiB decoded would be ~4,096 MB.
    expect((peak - before) / (1024 * 1024)).toBeLessThan(1024);
  });

  it('stops a PDF whose form XObjects draw each other 30 deep (2^29 draws) with import_timeout, while the host keeps answering; the next read gets a new worker', async () => {
    const p = pool({ timeoutMs: 3000 });
    const events: string[] = [];
    const reading = errorOf(() => importFile('fan-out.pdf', fanOutPdf(30, 2), { pool: p })).then((e) => {
      events.push('import settled');
      return e;
    });
    // Another call answers while the worker runs: the host's event loop is free.
    const other = await importFile('note.txt', new TextEncoder().encode('A note\nbody'));
    events.push('other call answered');
    expect(other.csl.title).toBe('A note');
    const e = await reading;
    expect(events).toEqual(['other call answered', 'import settled']);
    expect(e.code).toBe('import_timeout');
    expect(e.message).toBe(
      'Reading this file (“fan-out.pdf”) took longer than 3 s; it was stopped and nothing was imported. It may be damaged or unusually complex; if it opens in a viewer, save or print it as a new file and import that.',
    );
    expect(p.workersStarted).toBe(1);
    const doc = await importFile('labelled.pdf', fixture('labelled.pdf'), { pool: p });
    expect(doc.pages?.map((page) => page.label)).toEqual(['i', 'ii', '1']);
    expect(p.workersStarted).toBe(2);
  });

  it('a shallow fan-out PDF (4 levels: the text drawn 2^3 times) reads: the limit stops only what does not end', async () => {
    const doc = await importFile('fan-out-4.pdf', fanOutPdf(4, 2), { pool: pool({ timeoutMs: 60_000 }) });
    // 8 draws of "deep" at one spot: one line, no gaps between the runs (layoutPageText).
    expect(doc.text).toBe('deep'.repeat(8));
  });

  it('a worker that runs out of heap is refused with import_too_much_memory naming the heap cap', async () => {
    const p = pool({ heapMb: 64 });
    const e = await errorOf(async () => importFile('many.epub', await manyParagraphsEpub(40_000), { pool: p }));
    expect(e.code).toBe('import_too_much_memory');
    expect(e.message).toContain('This EPUB book (“many.epub”) needs more memory than Verbatim allows for one file (64 MB); it was not imported.');
  });
});

describe('queue and results', () => {
  it('several queued reads each get their own result, in one reused worker, a refusal among them', async () => {
    const p = pool();
    const docx = await manyParagraphsDocx(3);
    const epub = await manyParagraphsEpub(2);
    const results = await Promise.allSettled([
      importFile('a.docx', docx, { pool: p }),
      importFile('b.epub', epub, { pool: p }),
      importFile('c.pdf', new TextEncoder().encode('not a pdf'), { pool: p }),
      importFile('d.html', new TextEncoder().encode('<title>Page D</title><p>Only paragraph of D.</p>'), { pool: p }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    const [a, b, c, d] = results;
    expect(a.status === 'fulfilled' && a.value.text).toBe([1, 2, 3].map(paragraphText).join('\n\n'));
    expect(b.status === 'fulfilled' && b.value.text).toBe([1, 2].map(paragraphText).join('\n\n'));
    expect(b.status === 'fulfilled' && b.value.csl.title).toBe('Many Paragraphs');
    expect(c.status === 'rejected' && (c.reason as ApiError).code).toBe('unsupported_file');
    expect(d.status === 'fulfilled' && d.value.text).toBe('Only paragraph of D.');
    expect(p.workersStarted).toBe(1);
  });

  it.each(['labelled.pdf', 'report.docx', 'book.epub', 'page.mhtml'])('%s reads the same in the worker as in the calling thread', async (name) => {
    const bytes = fixture(name);
    const copy = new Uint8Array(bytes);
    const inWorker = await importFile(name, bytes, { pool: pool() });
    expect(bytes).toEqual(copy); // the caller's bytes are untouched
    expect(inWorker).toEqual(await readFileInProcess(name, bytes));
    expect(inWorker.text.length).toBeGreaterThan(50);
  });

  it('a DOCX and an EPUB of 20,000 paragraphs read every paragraph, in order', async () => {
    const p = pool();
    const expected = Array.from({ length: 20_000 }, (_, i) => paragraphText(i + 1)).join('\n\n');
    expect((await importFile('many.docx', await manyParagraphsDocx(20_000), { pool: p })).text).toBe(expected);
    expect((await importFile('many.epub', await manyParagraphsEpub(20_000), { pool: p })).text).toBe(expected);
  });
});
