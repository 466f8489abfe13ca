import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METHOD_NAMES } from '../../shared/methods';
import { openTestLibrary, RESOURCES_DIR, type TestLibrary } from './testing';

const SAMPLE_TEXT = readFileSync(path.join(RESOURCES_DIR, 'samples', 'parler-sues-amazon.txt'), 'utf8');

let lib: TestLibrary;
beforeAll(async () => {
  lib = await openTestLibrary();
});
afterAll(async () => {
  await lib.dispose();
});

describe('dispatch', () => {
  it('answers an unknown method with a typed error', async () => {
    expect(await lib.services.dispatch('fs.readFile', {})).toEqual({ ok: false, error: { code: 'unknown_method', message: 'There is no method called "fs.readFile".' } });
    expect((await lib.services.dispatch(undefined, {})).ok).toBe(false);
  });

  it('answers wrong arguments with invalid_arguments that name the field', async () => {
    const result = await lib.services.dispatch('quotes.create', { sourceId: 'x', start: 'zero', end: 4 });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('invalid_arguments');
      expect(result.error.message).toMatch(/^quotes\.create: start: /);
    }
    for (const bad of [null, 42, 'text', [], { id: 1 }]) {
      const r = await lib.services.dispatch('sources.get', bad);
      expect(r.ok, JSON.stringify(bad)).toBe(false);
    }
  });

  it('has a handler for every contract method', () => {
    expect(Object.keys(lib.services.handlers).sort()).toEqual([...METHOD_NAMES].sort());
  });

  it('answers host.saveFile with unsupported in a host without dialogs', async () => {
    const result = await lib.services.dispatch('host.saveFile', { suggestedName: 'a.pdf', dataBase64: 'AA==' });
    expect(result).toMatchObject({ ok: false, error: { code: 'unsupported' } });
  });

  it('refuses a quote range that spans nothing, and keeps the library as it was', async () => {
    const [sample] = await lib.call('sources.list', {});
    const blank = SAMPLE_TEXT.indexOf('\n\n');
    const result = await lib.services.dispatch('quotes.create', { sourceId: sample!.id, start: blank, end: blank + 2 });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_selection' } });
    expect(await lib.call('quotes.list', {})).toEqual([]);
  });
});

describe('memos.exportPdf', () => {
  it('prints the memo through the shared print HTML with citations in document order and the bibliography', async () => {
    const [sample] = await lib.call('sources.list', {});
    await lib.call('sources.updateMetadata', { id: sample!.id, csl: { type: 'article-newspaper', title: 'Parler Sues Amazon', 'container-title': 'Example Daily', issued: { 'date-parts': [[2021, 1, 11]] } } });
    const exact = '“There is no merit to these claims,”';
    const start = SAMPLE_TEXT.indexOf(exact);
    const quote = await lib.call('quotes.create', { sourceId: sample!.id, start, end: start + exact.length });
    const memo = await lib.call('memos.create', { title: 'Export: test / 1' });
    const content = {
      root: {
        type: 'root' as const,
        children: [
          { type: 'paragraph', children: [{ type: 'text', text: 'Opening line.', format: 0 }] },
          { type: 'linked-quote', version: 1, quoteId: quote.id, sourceId: sample!.id, snapshot: exact },
          { type: 'linked-quote', version: 1, quoteId: 'deleted-quote', sourceId: sample!.id, snapshot: 'Gone but not forgotten' },
        ],
      },
    };
    await lib.call('memos.save', { id: memo.id, title: memo.title, content, baseRevision: 0 });
    const result = await lib.call('memos.exportPdf', { id: memo.id });
    expect(result.fileName).toBe('Export test 1.pdf');
    expect(Buffer.from(result.pdfBase64, 'base64').toString()).toBe('%PDF-1.7 test');
    const html = lib.printed.at(-1)!;
    expect(html).toContain('<p dir="auto">Opening line.</p>');
    // The quote opens the sample's 6th paragraph (counted by hand, the title line being the 1st): APA 7 §8.28 "para. 6".
    expect(html).toContain(`${exact} <span class="citation">(“Parler Sues Amazon,” 2021, para. 6)</span>`);
    expect(html).toContain('Gone but not forgotten');
    expect(html).toContain('<h2>References</h2>');
    // APA 7, 10.1: the article title is plain, the newspaper's name italic.
    expect(html).toContain('<div class="csl-entry">Parler Sues Amazon. (2021, January 11). <i>Example Daily</i>.</div>');
  });
});
