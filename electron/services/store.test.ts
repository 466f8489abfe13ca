import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyMemoContent } from '../../shared/model';
import { Database } from './db';
import { LATEST_SCHEMA_VERSION, migrate, NewerSchemaError, schemaVersion } from './migrations';
import { ftsQuery } from './store';
import { openTestLibrary, RESOURCES_DIR, type TestLibrary } from './testing';

const SAMPLE_TEXT = readFileSync(path.join(RESOURCES_DIR, 'samples', 'parler-sues-amazon.txt'), 'utf8');

let dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'verbatim-db-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

describe('migrations', () => {
  it('bring an empty file to the latest schema, in WAL mode with foreign keys on', async () => {
    const db = await Database.open(path.join(tempDir(), 'a.sqlite'));
    expect(await schemaVersion(db)).toBe(0);
    expect(await migrate(db)).toEqual([1, 2, 3, 4, 5]);
    expect(await schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    const tables = (await db.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type IN ('table') ORDER BY name")).map((r) => r.name);
    expect(tables).toEqual(expect.arrayContaining(['memos', 'quotes', 'quotes_fts', 'sources', 'styles']));
    expect((await db.get<{ journal_mode: string }>('PRAGMA journal_mode'))?.journal_mode).toBe('wal');
    expect((await db.get<{ foreign_keys: number }>('PRAGMA foreign_keys'))?.foreign_keys).toBe(1);
    expect(await migrate(db)).toEqual([]); // idempotent
    await db.close();
  });

  it('refuse a file from a newer schema and leave it untouched', async () => {
    const file = path.join(tempDir(), 'newer.sqlite');
    const db = await Database.open(file);
    await db.exec('CREATE TABLE future (x); PRAGMA user_version = 99;');
    await expect(migrate(db)).rejects.toBeInstanceOf(NewerSchemaError);
    expect(await schemaVersion(db)).toBe(99);
    expect(await db.all("SELECT name FROM sqlite_master WHERE name = 'sources'")).toEqual([]);
    await db.close();
  });

  it('roll back a migration that fails, leaving the version where it was', async () => {
    const db = await Database.open(path.join(tempDir(), 'broken.sqlite'));
    const broken = [{ version: 1, name: 'broken', sql: 'CREATE TABLE ok (x); CREATE TABLE ok (x);' }];
    await expect(migrate(db, broken)).rejects.toThrow(/already exists/);
    expect(await schemaVersion(db)).toBe(0);
    expect(await db.all("SELECT name FROM sqlite_master WHERE name = 'ok'")).toEqual([]);
    await db.close();
  });
});

describe('Database.transaction', () => {
  it('rolls back every statement when the body throws', async () => {
    const db = await Database.open(path.join(tempDir(), 't.sqlite'));
    await db.exec('CREATE TABLE t (x INTEGER)');
    await expect(
      db.transaction(async (tx) => {
        await tx.run('INSERT INTO t VALUES (1)');
        await tx.run('INSERT INTO t VALUES (2)');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await db.all('SELECT x FROM t')).toEqual([]);
    await db.transaction(async (tx) => {
      await tx.run('INSERT INTO t VALUES (3)');
    });
    expect(await db.all('SELECT x FROM t')).toEqual([{ x: 3 }]);
    await db.close();
  });
});

describe('ftsQuery', () => {
  it.each([
    ['merit', '"merit"*'],
    ['no merit', '"no"* "merit"*'],
    ['"no merit"', '"no merit"'],
    ['AND OR NOT', '"AND"* "OR"* "NOT"*'],
    ['col:umn ^x* (y)', '"col"* "umn"* "x"* "y"*'],
    ['   ', null],
    ['"" ***', null],
  ])('turns %j into %j', (input, expected) => {
    expect(ftsQuery(input)).toBe(expected);
  });
});

describe('the library', () => {
  let lib: TestLibrary;
  beforeEach(async () => {
    lib = await openTestLibrary();
  });
  afterEach(async () => {
    await lib.dispose();
  });

  it('holds the sample article on first start, once', async () => {
    const sources = await lib.call('sources.list', {});
    expect(sources.map((s) => s.title)).toEqual(['Parler Sues Amazon']);
    const sample = await lib.call('sources.get', { id: sources[0]!.id });
    expect(sample.text).toBe(SAMPLE_TEXT.replace(/\r\n?/g, '\n'));
    expect(sample.origin.kind).toBe('sample');
    await lib.services.close();
    const reopened = await openTestLibrary(lib.dataDir);
    expect((await reopened.call('sources.list', {})).length).toBe(1);
    lib = reopened;
  });

  it('creates, lists, updates and deletes quotes with verbatim selectors', async () => {
    const [sample] = await lib.call('sources.list', {});
    const exact = '“There is no merit to these claims,”';
    const start = SAMPLE_TEXT.indexOf(exact);
    const quote = await lib.call('quotes.create', { sourceId: sample!.id, start, end: start + exact.length, speaker: ' Amazon spokesperson ', note: 'Issued the same day.' });
    expect(quote.textQuote.exact).toBe(exact);
    expect(quote.textQuote.prefix).toBe(SAMPLE_TEXT.slice(start - 32, start));
    expect(quote.textPosition).toEqual({ type: 'TextPositionSelector', start, end: start + exact.length });
    expect(quote.speaker).toBe('Amazon spokesperson');
    expect(quote.citation).toBe('(Parler Sues Amazon, n.d.)');
    expect((await lib.call('sources.list', {}))[0]!.quoteCount).toBe(1);

    const updated = await lib.call('quotes.update', { id: quote.id, speaker: 'AWS spokesperson', note: '' });
    expect(updated.speaker).toBe('AWS spokesperson');
    expect(updated.textQuote.exact).toBe(exact);
    expect(await lib.call('quotes.delete', { id: quote.id })).toEqual({ deleted: true });
    expect(await lib.call('quotes.delete', { id: quote.id })).toEqual({ deleted: false });
    expect(await lib.call('quotes.list', {})).toEqual([]);
  });

  it('searches quote text, speaker and note with FTS5, prefixes and diacritics included', async () => {
    const src = await lib.call('sources.importText', { text: 'Zürich notes\n\nThe café in Zürich was closed. Officials declined to comment. A merit review follows.' });
    const text = (await lib.call('sources.get', { id: src.id })).text;
    const save = (needle: string, speaker = '', note = '') => {
      const i = text.indexOf(needle);
      return lib.call('quotes.create', { sourceId: src.id, start: i, end: i + needle.length, speaker, note });
    };
    const cafe = await save('The café in Zürich was closed.', 'Anna Muster', 'weekend');
    const officials = await save('Officials declined to comment.', 'City hall');
    const merit = await save('A merit review follows.', '', 'check with the ombudsman');
    const ids = async (query: string) => (await lib.call('quotes.list', { query })).map((q) => q.id).sort();
    expect(await ids('zurich')).toEqual([cafe.id]); // diacritics folded
    expect(await ids('cafe')).toEqual([cafe.id]);
    expect(await ids('decl')).toEqual([officials.id]); // prefix
    expect(await ids('muster')).toEqual([cafe.id]); // speaker
    expect(await ids('ombuds')).toEqual([merit.id]); // note
    expect(await ids('"declined to"')).toEqual([officials.id]); // phrase
    expect(await ids('"to declined"')).toEqual([]);
    expect(await ids('city comment')).toEqual([officials.id]); // all terms, across columns
    expect(await ids('NOT OR (')).toEqual([]); // operators are words, never a syntax error
    await lib.call('quotes.update', { id: merit.id, speaker: 'Ombudsman', note: '' });
    expect(await ids('ombudsman')).toEqual([merit.id]); // index follows updates
    await lib.call('quotes.delete', { id: officials.id });
    expect(await ids('declined')).toEqual([]); // and deletes
  });

  it('reports text length in UTF-16 code units, emoji and NUL included, and stores the text whole', async () => {
    const text = 'Title 😀😀\n\nbefore\u0000after';
    const src = await lib.call('sources.importText', { text });
    expect(src.textLength).toBe(text.length);
    expect((await lib.call('sources.get', { id: src.id })).text).toBe(text);
  });

  it('deletes a source with its quotes in one transaction', async () => {
    const src = await lib.call('sources.importText', { text: 'Title\n\nOne two three four.' });
    await lib.call('quotes.create', { sourceId: src.id, start: 7, end: 10 });
    await lib.call('quotes.create', { sourceId: src.id, start: 11, end: 14 });
    expect(await lib.call('sources.delete', { id: src.id })).toEqual({ deletedQuotes: 2 });
    expect((await lib.call('quotes.list', {})).length).toBe(0);
    await expect(lib.call('sources.get', { id: src.id })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('saves memos with revisions and refuses a stale save without changing anything', async () => {
    const memo = await lib.call('memos.create', { title: 'Draft' });
    expect(memo.revision).toBe(0);
    expect(memo.content).toEqual(emptyMemoContent());
    const content = { root: { type: 'root' as const, children: [{ type: 'paragraph', children: [{ type: 'text', text: 'Hello', format: 0 }] }] } };
    expect((await lib.call('memos.save', { id: memo.id, title: 'Draft 1', content, baseRevision: 0 })).revision).toBe(1);
    await expect(lib.call('memos.save', { id: memo.id, title: 'Stale', content: emptyMemoContent(), baseRevision: 0 })).rejects.toMatchObject({ code: 'conflict' });
    const stored = await lib.call('memos.get', { id: memo.id });
    expect(stored.title).toBe('Draft 1');
    expect(stored.content).toEqual(content);
    expect(stored.revision).toBe(1);
    expect((await lib.call('memos.list', {})).map((m) => m.title)).toEqual(['Draft 1']);
    expect(await lib.call('memos.delete', { id: memo.id })).toEqual({ deleted: true });
  });

  it('keeps CSL fields it does not know through a metadata update', async () => {
    const [sample] = await lib.call('sources.list', {});
    const csl = { type: 'article-newspaper', title: 'Parler Sues Amazon', author: [{ literal: 'Amazon Web Services' }], 'container-title': 'Example Daily', issued: { 'date-parts': [[2021, 1, 11]] }, note: 'kept as is' };
    const updated = await lib.call('sources.updateMetadata', { id: sample!.id, csl });
    expect(updated.csl).toEqual({ ...csl, id: sample!.id });
  });
});

describe('CSL metadata that citeproc-js cannot take', () => {
  let lib: TestLibrary;
  beforeEach(async () => {
    lib = await openTestLibrary();
  });
  afterEach(async () => {
    await lib.dispose();
  });

  it.each([
    ['an object as a plain variable', { volume: { a: 1 } }],
    ['a number in a name', { editor: [{ family: 5 }] }],
    ['null in a name list', { translator: [null] }],
    ['an empty name', { author: [{}] }],
    ['month 13', { issued: { 'date-parts': [[2021, 13, 1]] } }],
    ['a URL with a quotation mark', { URL: 'https://example.com/a" style="x' }],
    ['a javascript: URL', { URL: 'javascript:alert(1)' }],
  ])('refuses %s with invalid_arguments and changes nothing', async (_label, extra) => {
    const [sample] = await lib.call('sources.list', {});
    const result = await lib.services.dispatch('sources.updateMetadata', { id: sample!.id, csl: { type: 'book', title: 'T', ...extra } });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_arguments' } });
    expect((await lib.call('sources.get', { id: sample!.id })).csl.title).toBe('Parler Sues Amazon');
  });

  it('reads a stored item with a bad field without it, so the source and its quotes stay usable', async () => {
    const [sample] = await lib.call('sources.list', {});
    await lib.call('quotes.create', { sourceId: sample!.id, start: 0, end: 6 });
    await lib.services.store.db.run('UPDATE sources SET csl = ? WHERE id = ?', [JSON.stringify({ type: 'book', title: 'Kept title', volume: { a: 1 }, editor: [{ family: 5 }] }), sample!.id]);
    const source = await lib.call('sources.get', { id: sample!.id });
    expect(source.csl).toEqual({ type: 'book', title: 'Kept title', id: sample!.id });
    const [quote] = await lib.call('quotes.list', {});
    expect(quote!.citation).toBe('(Kept Title, n.d.)');
  });
});

describe('memo documents', () => {
  let lib: TestLibrary;
  beforeEach(async () => {
    lib = await openTestLibrary();
  });
  afterEach(async () => {
    await lib.dispose();
  });

  const para = (text: string) => ({ type: 'paragraph', children: [{ type: 'text', text }] });

  it.each([
    ['an unknown node type', [para('a'), { type: 'alien', children: [] }], 'root.children.1: unknown node type "alien"'],
    ['a text node without text', [{ type: 'paragraph', children: [{ type: 'text' }] }], 'root.children.0.children.0: a text node without text'],
    ['a linked quote without ids', [{ type: 'linked-quote', quoteId: 5, sourceId: 's', snapshot: '' }], 'a linked quote needs string quoteId'],
    ['nodes nested too deep', [Array.from({ length: 60 }).reduce<object>((inner) => ({ type: 'list', children: [{ type: 'listitem', children: [inner] }] }), para('deep'))], 'nest deeper than 40 levels'],
    ['a child that is not a node', [null], 'root.children.0: not a node'],
  ])('refuses a save with %s, keeping the stored memo', async (_label, children, message) => {
    const memo = await lib.call('memos.create', { title: 'M' });
    const result = await lib.services.dispatch('memos.save', { id: memo.id, title: 'M', baseRevision: 0, content: { root: { type: 'root', children } } });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_arguments', message: expect.stringContaining(message as string) } });
    expect((await lib.call('memos.get', { id: memo.id })).revision).toBe(0);
  });
});
