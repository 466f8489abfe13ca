/**
 * The crash test's judge must be able to fail: each broken rule in constructed states
 * (an acknowledged change missing, an older save back, a half-applied save, a change
 * answered with an error applied, rows from nowhere, a damaged file, a dangling foreign
 * key) is reported, and sound states pass with the right counts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sqlite3 from 'sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestLibrary } from '../services/testing';
import { LIBRARY_FILE_NAME } from '../services/services';
import { emptyModel, inspectLibraryFile, tagOf, verifyLibrary, versionTag, type DriverModel, type MemoVersion, type ObservedLibrary } from './crashVerify';

const doc = (...texts: string[]) => ({ root: { type: 'root', children: texts.map((text) => ({ type: 'paragraph', children: [{ type: 'text', text }] })) } });

const v = (seq: number, revision: number, ...texts: string[]): MemoVersion => ({ seq, title: `Memo ${versionTag(seq)}`, content: doc(...texts), revision });

/** One memo M acknowledged at save #2 (revision 2) with save #3 in flight; one quote Q acknowledged with note #4, note #5 in flight. */
function model(): DriverModel {
  const m = emptyModel();
  m.memos.set('M', { id: 'M', acked: v(2, 2, 'a', 'b'), inFlight: [v(3, 3, 'a', 'b', 'c')], refused: [] });
  m.quotes.set('Q', { id: 'Q', start: 10, end: 20, acked: { seq: 4, note: `${versionTag(4)} kept` }, inFlight: [{ seq: 5, note: `${versionTag(5)} later` }], refused: [] });
  return m;
}

const memoAs = (version: MemoVersion) => ({ id: 'M', title: version.title, content: version.content, revision: version.revision });
const quoteWith = (note: string) => ({ id: 'Q', start: 10, end: 20, note });

describe('verifyLibrary', () => {
  it('passes the last acknowledged versions, counting the in-flight ones as not committed', () => {
    const result = verifyLibrary(model(), { memos: [memoAs(v(2, 2, 'a', 'b'))], quotes: [quoteWith(`${versionTag(4)} kept`)] });
    expect(result.violations).toEqual([]);
    expect(result).toMatchObject({ ackedChecked: 2, inFlightCommitted: 0, inFlightNotCommitted: 2 });
    expect(result.next.memos.get('M')).toEqual({ id: 'M', acked: v(2, 2, 'a', 'b'), inFlight: [], refused: [] });
  });

  it('passes later versions that were in flight, counting them as committed, and adopts them', () => {
    const result = verifyLibrary(model(), { memos: [memoAs(v(3, 3, 'a', 'b', 'c'))], quotes: [quoteWith(`${versionTag(5)} later`)] });
    expect(result.violations).toEqual([]);
    expect(result).toMatchObject({ ackedChecked: 2, inFlightCommitted: 2, inFlightNotCommitted: 0 });
    expect(result.next.memos.get('M')!.acked.seq).toBe(3);
    expect(result.next.quotes.get('Q')!.acked.note).toBe(`${versionTag(5)} later`);
  });

  it('ignores key order in the stored content (SQLite JSON goes through zod)', () => {
    const reordered = { root: { children: [{ children: [{ text: 'a', type: 'text' }], type: 'paragraph' }, { children: [{ text: 'b', type: 'text' }], type: 'paragraph' }], type: 'root' } };
    const result = verifyLibrary(model(), { memos: [{ ...memoAs(v(2, 2)), content: reordered }], quotes: [quoteWith(`${versionTag(4)} kept`)] });
    expect(result.violations).toEqual([]);
  });

  it('reports an acknowledged memo and quote that are missing', () => {
    const result = verifyLibrary(model(), { memos: [], quotes: [] });
    expect(result.violations).toEqual([
      'library: memo M is missing; its version "Memo [#2]" (revision 2) was acknowledged.',
      'library: quote Q is missing; it was acknowledged with the note "[#4] kept".',
    ]);
  });

  it('reports an older save that came back instead of the acknowledged one', () => {
    const result = verifyLibrary(model(), { memos: [memoAs(v(1, 1, 'a'))], quotes: [quoteWith(`${versionTag(4)} kept`)] });
    expect(result.violations).toEqual([
      'library: memo M holds "Memo [#1]" (request #1, older than the last acknowledged request #2) instead of its last acknowledged version "Memo [#2]" or a later one in flight.',
    ]);
  });

  it('reports a version altered after it was written, and one this memo was never sent', () => {
    const altered = verifyLibrary(model(), { memos: [{ ...memoAs(v(2, 2, 'a', 'b')), title: 'Memo [#2] (edited)' }], quotes: [quoteWith(`${versionTag(4)} kept`)] });
    expect(altered.violations).toEqual([
      'library: memo M holds "Memo [#2] (edited)" (the tag of request #2 but not its text) instead of its last acknowledged version "Memo [#2]" or a later one in flight.',
    ]);
    const foreign = verifyLibrary(model(), { memos: [memoAs(v(9, 3, 'z'))], quotes: [quoteWith('no tag')] });
    expect(foreign.violations).toEqual([
      'library: memo M holds "Memo [#9]" (request #9, which was not sent for it) instead of its last acknowledged version "Memo [#2]" or a later one in flight.',
      'library: quote Q holds the note "no tag" (a version no request of this run wrote) instead of its last acknowledged note "[#4] kept" or a later one in flight.',
    ]);
  });

  it('reports an older quote note that came back', () => {
    const result = verifyLibrary(model(), { memos: [memoAs(v(2, 2, 'a', 'b'))], quotes: [quoteWith(`${versionTag(1)} first`)] });
    expect(result.violations).toHaveLength(1);
    expect(result.violations[0]).toContain('quote Q holds the note "[#1] first" (request #1, older than the last acknowledged request #4)');
  });

  it('reports a save applied in part: the new title with the old revision, or with the old content', () => {
    const oldRevision = verifyLibrary(model(), { memos: [{ ...memoAs(v(3, 3, 'a', 'b', 'c')), revision: 2 }], quotes: [quoteWith(`${versionTag(4)} kept`)] });
    expect(oldRevision.violations).toEqual(['library: memo M is partially applied: it has the title of request #3 ("Memo [#3]") but revision 2, not 3.']);
    const oldContent = verifyLibrary(model(), { memos: [{ ...memoAs(v(3, 3)), content: doc('a', 'b') }], quotes: [quoteWith(`${versionTag(4)} kept`)] });
    expect(oldContent.violations).toEqual(['library: memo M is partially applied: it has the title of request #3 ("Memo [#3]") but not that request\'s content.']);
  });

  it('reports a save and a note that were answered with an error but are in the library', () => {
    const m = model();
    m.memos.get('M')!.refused.push(v(6, 3, 'x'));
    m.quotes.get('Q')!.refused.push({ seq: 7, note: `${versionTag(7)} refused` });
    const result = verifyLibrary(m, { memos: [memoAs(v(6, 3, 'x'))], quotes: [quoteWith(`${versionTag(7)} refused`)] });
    expect(result.violations).toEqual([
      'library: memo M holds "Memo [#6]" from request #6, which was answered with an error; its last acknowledged version is "Memo [#2]".',
      'library: quote Q holds the note of request #7, which was answered with an error; its last acknowledged note is "[#4] kept".',
    ]);
  });

  it('reports a quote whose range changed', () => {
    const result = verifyLibrary(model(), { memos: [memoAs(v(2, 2, 'a', 'b'))], quotes: [{ ...quoteWith(`${versionTag(4)} kept`), end: 21 }] });
    expect(result.violations).toEqual(['library: quote Q covers [10, 21), not its acknowledged [10, 20).']);
  });

  it('accepts rows from in-flight creates, counts both outcomes, and reports rows no request made', () => {
    const m = model();
    m.pendingMemoCreates.push({ seq: 8, title: 'Crash memo [#8]', content: doc() }, { seq: 9, title: 'Crash memo [#9]', content: doc() });
    m.pendingQuoteCreates.push({ seq: 10, start: 0, end: 5, note: '[#10] new' });
    const observed: ObservedLibrary = {
      memos: [memoAs(v(2, 2, 'a', 'b')), { id: 'N', title: 'Crash memo [#8]', content: doc(), revision: 0 }],
      quotes: [quoteWith(`${versionTag(4)} kept`), { id: 'R', start: 0, end: 5, note: '[#10] new' }],
    };
    const ok = verifyLibrary(m, observed);
    expect(ok.violations).toEqual([]);
    // M's #3 and Q's #5 and the memo create #9 were not committed; memo #8 and quote #10 were.
    expect(ok).toMatchObject({ inFlightCommitted: 2, inFlightNotCommitted: 3 });
    expect([...ok.next.memos.keys()].sort()).toEqual(['M', 'N']);
    expect(ok.next.quotes.get('R')).toEqual({ id: 'R', start: 0, end: 5, acked: { seq: 10, note: '[#10] new' }, inFlight: [], refused: [] });

    const stray = verifyLibrary(m, { memos: [...observed.memos, { id: 'X', title: 'Nobody made me', content: doc(), revision: 0 }], quotes: [...observed.quotes, { id: 'Y', start: 1, end: 2, note: '[#10] new' }] });
    expect(stray.violations).toEqual([
      'library: memo X ("Nobody made me") is in the library, but no acknowledged or in-flight create made it.',
      'library: quote Y is a second quote from the one create request #10.',
    ]);
  });

  it('reports an in-flight create that landed with the wrong revision, content or range', () => {
    const m = emptyModel();
    m.pendingMemoCreates.push({ seq: 1, title: 'Crash memo [#1]', content: doc() });
    m.pendingQuoteCreates.push({ seq: 2, start: 3, end: 9, note: '[#2]' });
    const result = verifyLibrary(m, { memos: [{ id: 'N', title: 'Crash memo [#1]', content: doc('x'), revision: 1 }], quotes: [{ id: 'R', start: 3, end: 8, note: '[#2]' }] });
    expect(result.violations).toEqual([
      'library: memo N from in-flight create #1 has revision 1, not 0.',
      'library: memo N from in-flight create #1 does not hold a new memo\'s content.',
      'library: quote R from in-flight create #2 covers [3, 8), not the requested [3, 9).',
    ]);
  });

  it('reads request numbers back from tags', () => {
    expect(tagOf(`Memo about ${versionTag(1234)} things`)).toBe(1234);
    expect(tagOf('no tag')).toBeNull();
  });
});

describe('inspectLibraryFile', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'verbatim-crashcheck-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** Run statements on a file through a plain sqlite3 connection (foreign keys off, as SQLite starts). */
  async function sql(file: string, statements: string): Promise<void> {
    const db = await new Promise<sqlite3.Database>((resolve, reject) => {
      const opened: sqlite3.Database = new sqlite3.Database(file, (err: Error | null) => (err ? reject(err) : resolve(opened)));
    });
    await new Promise<void>((resolve, reject) => db.exec(statements, (err: Error | null) => (err ? reject(err) : resolve())));
    await new Promise<void>((resolve, reject) => db.close((err: Error | null) => (err ? reject(err) : resolve())));
  }

  const SCHEMA = `
    CREATE TABLE sources (id TEXT PRIMARY KEY);
    CREATE TABLE quotes (id TEXT PRIMARY KEY, source_id TEXT NOT NULL REFERENCES sources(id), pos_start INTEGER, pos_end INTEGER, note TEXT);
    CREATE TABLE memos (id TEXT PRIMARY KEY, title TEXT, content TEXT, revision INTEGER);
    INSERT INTO sources VALUES ('s');
    INSERT INTO quotes VALUES ('q', 's', 1, 4, 'n');
    INSERT INTO memos VALUES ('m', 't', '{"root":{"type":"root","children":[]}}', 3);`;

  it('finds a real library sound and reads its memos and quotes', async () => {
    const lib = await openTestLibrary(tempDir());
    const source = (await lib.call('sources.list', {}))[0]!;
    const quote = await lib.call('quotes.create', { sourceId: source.id, start: 0, end: 6, note: 'a note' });
    const memo = await lib.call('memos.create', { title: 'A memo' });
    await lib.services.close();
    const result = await inspectLibraryFile(path.join(lib.dataDir, LIBRARY_FILE_NAME));
    expect(result.problems).toEqual([]);
    expect(result.library!.memos).toEqual([{ id: memo.id, title: 'A memo', content: memo.content, revision: 0 }]);
    expect(result.library!.quotes).toEqual([{ id: quote.id, start: quote.textPosition.start, end: quote.textPosition.end, note: 'a note' }]);
  });

  it('reports an index that no longer matches its table (integrity_check)', async () => {
    const file = path.join(tempDir(), 'lib.sqlite');
    // The index is built on title, then the schema is made to say it indexes revision: its entries no longer match the rows.
    await sql(file, `${SCHEMA}
      CREATE INDEX memos_by_title ON memos(title);
      PRAGMA writable_schema = ON;
      UPDATE sqlite_schema SET sql = 'CREATE INDEX memos_by_title ON memos(revision)' WHERE name = 'memos_by_title';
      PRAGMA writable_schema = OFF;`);
    const result = await inspectLibraryFile(file);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatch(/PRAGMA integrity_check says: .*memos_by_title/);
  });

  it('reports a quote whose source is missing (foreign_key_check)', async () => {
    const file = path.join(tempDir(), 'lib.sqlite');
    await sql(file, `${SCHEMA} INSERT INTO quotes VALUES ('q2', 'gone', 0, 1, '');`);
    const result = await inspectLibraryFile(file);
    expect(result.problems).toEqual([`${file}: PRAGMA foreign_key_check: row 2 of quotes refers to a missing row of sources (constraint 0).`]);
    expect(result.library!.quotes.map((q) => q.id).sort()).toEqual(['q', 'q2']);
  });

  it('reports a file that is not a database at all, and memo content that is not JSON', async () => {
    const dir = tempDir();
    const garbage = path.join(dir, 'garbage.sqlite');
    writeFileSync(garbage, Buffer.alloc(8192, 0x5a));
    const damaged = await inspectLibraryFile(garbage);
    expect(damaged.library).toBeNull();
    expect(damaged.problems.length).toBeGreaterThan(0);
    expect(damaged.problems[0]).toMatch(/not a database/);

    const file = path.join(dir, 'lib.sqlite');
    await sql(file, `${SCHEMA} UPDATE memos SET content = '{"root": ' WHERE id = 'm';`);
    const result = await inspectLibraryFile(file);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatch(/memo m holds content that is not JSON/);
  });

  it('reports a missing file instead of creating one', async () => {
    const file = path.join(tempDir(), 'absent.sqlite');
    const result = await inspectLibraryFile(file);
    expect(result.library).toBeNull();
    expect(result.problems[0]).toMatch(/cannot be opened/);
  });
});
