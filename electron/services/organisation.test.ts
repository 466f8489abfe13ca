/**
 * Tags, projects, backlinks, quotes.delete in_use/force, paged and sorted lists (issue 6),
 * migration 5 on a library with memos, and the query plans of every list filter and sort.
 * Expected counts are worked out by hand in the comments.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from './db';
import { migrate, MIGRATIONS } from './migrations';
import { LibraryStore, type QuoteFilter } from './store';
import { openTestLibrary, type TestLibrary } from './testing';

let lib: TestLibrary;
let sourceA = '';
let sourceB = '';
/** Quotes of A in text order: q[0..3]; of B: q[4], q[5]. */
const q: string[] = [];

const codeOf = async (method: Parameters<TestLibrary['call']>[0], args: unknown) => {
  const r = await lib.services.dispatch(method, args);
  return r.ok ? 'ok' : r.error.code;
};

const linked = (quoteId: string, sourceId: string) => ({ type: 'linked-quote', version: 2, quoteId, sourceId, snapshot: 'x', shortened: null });
const para = (children: unknown[]) => ({ type: 'paragraph', version: 1, children });
const cite = (sourceId: string) => ({ type: 'citation', version: 1, sourceId });
const doc = (...children: unknown[]) => ({ root: { type: 'root' as const, children } });

beforeAll(async () => {
  lib = await openTestLibrary(undefined, { memoRevisions: { revisions: { coalesceMs: 0 } } });
  const a = await lib.call('sources.importText', { title: 'Alpha', text: 'Alpha\n\none two three four five six seven eight nine ten eleven twelve' });
  const b = await lib.call('sources.importText', { title: 'Beta', text: 'Beta\n\nuno dos tres cuatro cinco seis' });
  sourceA = a.id;
  sourceB = b.id;
  const make = async (sourceId: string, word: string, speaker: string) => {
    const text = (await lib.call('sources.get', { id: sourceId })).text;
    const start = text.indexOf(word);
    q.push((await lib.call('quotes.create', { sourceId, start, end: start + word.length, speaker })).id);
  };
  // Created in this order (so "added", newest first, is the reverse): speakers chosen to test the speaker sort.
  await make(a.id, 'one', 'zoe');
  await make(a.id, 'four', '');
  await make(a.id, 'seven', 'Adam');
  await make(a.id, 'ten', 'bob');
  await make(b.id, 'dos', 'adam');
  await make(b.id, 'cinco', '');
}, 60_000);

afterAll(async () => {
  await lib?.dispose();
});

describe('tags', () => {
  it('adds (reusing a tag by NFC, case-insensitive name), renames, merges and deletes with exact counts', async () => {
    const t1 = await lib.call('tags.add', { name: '  Économie ', quoteIds: [q[0]!, q[1]!], sourceIds: [sourceA] });
    expect(t1).toMatchObject({ name: 'Économie', quoteCount: 2, sourceCount: 1 });
    // The same name decomposed (E + U+0301) and in another case is the same tag; q[1] again counts once.
    const again = await lib.call('tags.add', { name: 'E\u0301CONOMIE', quoteIds: [q[1]!, q[2]!] });
    expect(again).toMatchObject({ id: t1.id, name: 'Économie', quoteCount: 3, sourceCount: 1 });
    const t2 = await lib.call('tags.add', { name: 'labour', quoteIds: [q[2]!, q[3]!], sourceIds: [sourceA, sourceB] });
    expect(t2).toMatchObject({ quoteCount: 2, sourceCount: 2 });
    const quote2 = (await lib.call('quotes.list', { ids: [q[2]!] }))[0]!;
    expect(quote2.tags.map((t) => t.name)).toEqual(['labour', 'Économie']); // A-Z by key: "labour" < "économie" (é sorts after l in code points)
    expect((await lib.call('sources.get', { id: sourceA })).tags.map((t) => t.name).sort()).toEqual(['labour', 'Économie'].sort());

    // Renaming onto another tag's name: conflict, nothing changes; a change of case is a rename.
    expect(await codeOf('tags.rename', { id: t2.id, name: 'économie' })).toBe('conflict');
    expect(await lib.call('tags.rename', { id: t2.id, name: 'Labour' })).toMatchObject({ id: t2.id, name: 'Labour', quoteCount: 2 });

    // Merge labour {q2, q3; A, B} into Économie {q0, q1, q2; A}: quotes {q0..q3} = 4 (q2 once), sources {A, B} = 2.
    const merged = await lib.call('tags.merge', { fromIds: [t2.id], intoId: t1.id });
    expect(merged).toMatchObject({ id: t1.id, quoteCount: 4, sourceCount: 2 });
    expect((await lib.call('tags.list', {})).map((t) => t.id)).not.toContain(t2.id);
    expect((await lib.call('quotes.list', { ids: [q[2]!] }))[0]!.tags).toEqual([{ id: t1.id, name: 'Économie' }]);

    // Rename with merge onto an existing name: t3 {q5} merges into Économie -> 5 quotes.
    const t3 = await lib.call('tags.add', { name: 'misc', quoteIds: [q[5]!] });
    expect(await lib.call('tags.rename', { id: t3.id, name: 'ÉCONOMIE', merge: true })).toMatchObject({ id: t1.id, quoteCount: 5, sourceCount: 2 });

    // Remove from two quotes -> 3; then filter the list by tag.
    expect(await lib.call('tags.remove', { tagId: t1.id, quoteIds: [q[0]!, q[5]!] })).toMatchObject({ quoteCount: 3 });
    expect((await lib.call('quotes.page', { tagId: t1.id, sort: 'source-order', sourceId: sourceA })).items.map((x) => x.id)).toEqual([q[1], q[2], q[3]]);
    expect((await lib.call('sources.page', { tagId: t1.id })).total).toBe(2);

    // Unknown ids change nothing.
    expect(await codeOf('tags.add', { name: 'ghost', quoteIds: [q[0]!, 'missing'] })).toBe('not_found');
    expect((await lib.call('tags.list', {})).some((t) => t.name === 'ghost')).toBe(false);
    expect(await codeOf('tags.add', { name: '   ' })).toBe('invalid_arguments');

    // Delete: the quotes and sources stay, untagged.
    expect(await lib.call('tags.delete', { id: t1.id })).toEqual({ deleted: true });
    expect(await lib.call('tags.delete', { id: t1.id })).toEqual({ deleted: false });
    expect((await lib.call('quotes.list', { ids: [q[2]!] }))[0]!.tags).toEqual([]);
    expect((await lib.call('quotes.page', { sourceId: sourceA })).total).toBe(4);
  });
});

describe('projects', () => {
  it('groups sources, quotes and memos, filters lists, and never deletes members', async () => {
    const p = await lib.call('projects.create', { name: 'Thesis' });
    expect(await codeOf('projects.create', { name: 'thesis' })).toBe('conflict');
    const memo = await lib.call('memos.create', { title: 'Chapter 1' });
    const added = await lib.call('projects.addItems', { id: p.id, sourceIds: [sourceB], quoteIds: [q[0]!, q[4]!, q[4]!], memoIds: [memo.id] });
    expect(added).toMatchObject({ sourceCount: 1, quoteCount: 2, memoCount: 1 });
    expect(await codeOf('projects.addItems', { id: p.id, memoIds: ['missing'] })).toBe('not_found');
    expect((await lib.call('quotes.page', { projectId: p.id, sort: 'added' })).items.map((x) => x.id)).toEqual([q[4], q[0]]);
    expect((await lib.call('sources.list', { projectId: p.id })).map((s) => s.id)).toEqual([sourceB]);
    expect((await lib.call('memos.page', { projectId: p.id })).items.map((m) => m.id)).toEqual([memo.id]);
    expect(await lib.call('projects.removeItems', { id: p.id, quoteIds: [q[0]!] })).toMatchObject({ quoteCount: 1 });
    expect(await lib.call('projects.rename', { id: p.id, name: 'Dissertation' })).toMatchObject({ name: 'Dissertation' });
    expect(await lib.call('projects.delete', { id: p.id })).toEqual({ deleted: true });
    expect(await lib.call('projects.list', {})).toEqual([]);
    // The members are still there.
    expect((await lib.call('memos.get', { id: memo.id })).title).toBe('Chapter 1');
    expect((await lib.call('quotes.list', { ids: [q[4]!] })).length).toBe(1);
    await lib.call('sources.get', { id: sourceB });
    await lib.call('memos.delete', { id: memo.id });
  });
});

describe('backlinks', () => {
  it('follow memo edits, revision restores and deletes', async () => {
    const m = await lib.call('memos.create', { title: 'Uses' });
    // Cites in document order: 0 citation(B), 1 linked q0, 2 linked q4 (of B), 3 linked q0.
    await lib.call('memos.save', { id: m.id, title: 'Uses', baseRevision: 0, content: doc(para([cite(sourceB)]), linked(q[0]!, sourceA), linked(q[4]!, sourceB), linked(q[0]!, sourceA)) });
    expect(await lib.call('quotes.backlinks', { id: q[0]! })).toEqual([expect.objectContaining({ memoId: m.id, memoTitle: 'Uses', count: 2, firstPosition: 1 })]);
    expect(await lib.call('sources.backlinks', { id: sourceB })).toEqual([expect.objectContaining({ memoId: m.id, count: 2, firstPosition: 0 })]);
    expect((await lib.call('quotes.page', { used: true })).items.map((x) => x.id).sort()).toEqual([q[0], q[4]].sort());
    expect((await lib.call('quotes.page', { used: false })).total).toBe(4);

    // Edit: only q4 remains, now first.
    await lib.call('memos.save', { id: m.id, title: 'Uses', baseRevision: 1, content: doc(linked(q[4]!, sourceB)) });
    expect(await lib.call('quotes.backlinks', { id: q[0]! })).toEqual([]);
    expect(await lib.call('quotes.backlinks', { id: q[4]! })).toEqual([expect.objectContaining({ count: 1, firstPosition: 0 })]);

    // Restore the first version (this library keeps every save as its own revision: coalesceMs 0): q0 is back.
    const first = (await lib.call('memos.revisions', { id: m.id })).find((r) => r.memoRevision === 1 && r.reason === 'edit');
    expect(first).toBeDefined();
    await lib.call('memos.restoreRevision', { memoId: m.id, revisionId: first!.id, baseRevision: 2 });
    expect(await lib.call('quotes.backlinks', { id: q[0]! })).toEqual([expect.objectContaining({ count: 2, firstPosition: 1 })]);

    await lib.call('memos.delete', { id: m.id });
    expect(await lib.call('quotes.backlinks', { id: q[4]! })).toEqual([]);
    expect(await lib.call('sources.backlinks', { id: sourceB })).toEqual([]);
    expect(await codeOf('quotes.backlinks', { id: 'missing' })).toBe('not_found');
  });
});

describe('quotes.delete', () => {
  it('refuses with in_use naming the memos unless forced; the memo keeps its node', async () => {
    const source = await lib.call('sources.importText', { title: 'Gamma', text: 'Gamma\n\nalpha beta gamma delta' });
    const made = await lib.call('quotes.create', { sourceId: source.id, start: 7, end: 17 });
    const m = await lib.call('memos.create', { title: 'Essay on gamma' });
    const content = doc(linked(made.id, source.id));
    await lib.call('memos.save', { id: m.id, title: 'Essay on gamma', baseRevision: 0, content });
    const refused = await lib.services.dispatch('quotes.delete', { id: made.id });
    expect(refused).toMatchObject({ ok: false, error: { code: 'in_use' } });
    expect(!refused.ok && refused.error.message).toContain('“Essay on gamma”');
    expect((await lib.call('quotes.list', { ids: [made.id] })).length).toBe(1);
    expect(await lib.call('quotes.delete', { id: made.id, force: true })).toEqual({ deleted: true });
    expect((await lib.call('quotes.list', { ids: [made.id] })).length).toBe(0);
    // The memo still holds the linked-quote node (the editor shows it as missing).
    expect((await lib.call('memos.get', { id: m.id })).content).toMatchObject({ root: { children: [{ type: 'linked-quote', quoteId: made.id }] } });
    // An unused quote goes without force.
    const unused = await lib.call('quotes.create', { sourceId: source.id, start: 7, end: 12 });
    expect(await lib.call('quotes.delete', { id: unused.id })).toEqual({ deleted: true });
    await lib.call('memos.delete', { id: m.id });
    await lib.call('sources.delete', { id: source.id });
  });
});

describe('paged and sorted lists', () => {
  it('sorts by source order, date added and speaker, and pages with totals', async () => {
    // Sources newest first: Beta (q4 dos, q5 cinco), then Alpha (q0 one, q1 four, q2 seven, q3 ten), each in text order.
    const bySource = await lib.call('quotes.page', { sort: 'source-order', sourceId: undefined, limit: 100 });
    const mine = bySource.items.map((x) => x.id).filter((id) => q.includes(id));
    expect(mine).toEqual([q[4], q[5], q[0], q[1], q[2], q[3]]);
    // Added, newest first: reverse creation order.
    const added = (await lib.call('quotes.list', { sort: 'added' })).map((x) => x.id).filter((id) => q.includes(id));
    expect(added).toEqual([q[5], q[4], q[3], q[2], q[1], q[0]]);
    // Speaker A-Z ignoring case, ties oldest first, no speaker last: Adam(q2), adam(q4), bob(q3), zoe(q0), ''(q1), ''(q5).
    const bySpeaker = (await lib.call('quotes.list', { sort: 'speaker' })).map((x) => x.id).filter((id) => q.includes(id));
    expect(bySpeaker).toEqual([q[2], q[4], q[3], q[0], q[1], q[5]]);
    // Pages of 2 over Alpha's 4 quotes in text order.
    const page2 = await lib.call('quotes.page', { sourceId: sourceA, offset: 2, limit: 2 });
    expect(page2).toMatchObject({ total: 4, offset: 2 });
    expect(page2.items.map((x) => x.id)).toEqual([q[2], q[3]]);
    expect((await lib.call('quotes.page', { sourceId: sourceA, offset: 4, limit: 2 })).items).toEqual([]);
    // Speaker filter (case ignored) and the empty speaker.
    expect((await lib.call('quotes.page', { speaker: 'ADAM', sort: 'added' })).items.map((x) => x.id)).toEqual([q[4], q[2]]);
    expect((await lib.call('quotes.page', { speaker: '', sourceId: sourceB })).items.map((x) => x.id)).toEqual([q[5]]);
    // Sources and memos: pages with totals; the old calls without arguments still list everything.
    const all = await lib.call('sources.list', {});
    const sp = await lib.call('sources.page', { limit: 1, offset: 1 });
    expect(sp.total).toBe(all.length);
    expect(sp.items.map((s) => s.id)).toEqual([all[1]!.id]);
    expect((await lib.call('memos.page', {})).total).toBe((await lib.call('memos.list', {})).length);
  });
});

describe('migration 5', () => {
  it('indexes existing memos (text and backlinks) and sources', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'verbatim-mig5-'));
    const db = await Database.open(path.join(dir, 'library.sqlite'));
    try {
      expect(await migrate(db, MIGRATIONS.slice(0, 4))).toEqual([1, 2, 3, 4]);
      const now = '2024-01-01T00:00:00.000Z';
      await db.run("INSERT INTO sources (id, csl, citation_key, text, text_length, content_hash, origin, created_at, updated_at) VALUES ('s1', ?, 'k', 'Zürich text', 11, 'h', '{}', ?, ?)", [JSON.stringify({ type: 'book', title: 'Old book', author: [{ family: 'Doe', given: 'Jane' }] }), now, now]);
      await db.run("INSERT INTO quotes (id, source_id, exact, match_text, prefix, suffix, pos_start, pos_end, created_at, updated_at) VALUES ('q1', 's1', 'Zürich', 'Zürich', '', '', 0, 6, ?, ?)", [now, now]);
      await db.run("INSERT INTO memos (id, title, content, revision, created_at, updated_at) VALUES ('m1', 'Old memo', ?, 3, ?, ?)", [JSON.stringify(doc(para([{ type: 'text', version: 1, text: 'kept words ' }, cite('s1')]), linked('q1', 's1'))), now, now]);
      expect(await migrate(db)).toEqual([5]);
      expect(await db.all('SELECT memo_id, position, quote_id, source_id FROM memo_quote_links ORDER BY position')).toEqual([
        { memo_id: 'm1', position: 0, quote_id: null, source_id: 's1' },
        { memo_id: 'm1', position: 1, quote_id: 'q1', source_id: 's1' },
      ]);
      expect(await db.all("SELECT rowid FROM memos_fts WHERE memos_fts MATCH 'kept'")).toHaveLength(1);
      expect(await db.all("SELECT rowid FROM sources_fts WHERE sources_fts MATCH 'doe AND zurich'")).toHaveLength(1);
      for (const t of ['sources_fts', 'memos_fts', 'quotes_fts']) await db.run(`INSERT INTO ${t}(${t}) VALUES ('integrity-check')`);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('query plans', () => {
  it('use an index for every list filter and sort (no full SCAN of quotes)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'verbatim-plan-'));
    const db = await Database.open(path.join(dir, 'library.sqlite'));
    try {
      await migrate(db);
      // A generated library: 200 sources, 5,000 quotes (PLAN_QUOTES=100000 makes the 100k library; the plans are the same).
      const quotes = Number(process.env.PLAN_QUOTES ?? 5000);
      await db.exec(`
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
        INSERT INTO sources (id, csl, citation_key, text, text_length, content_hash, origin, created_at, updated_at)
          SELECT 's' || i, json_object('type', 'book', 'title', 'Source ' || i), 'k' || i, 'text ' || i, 6, 'h', '{}', printf('2024-01-01T00:%02d:%02d.000Z', i / 60, i % 60), '2024' FROM n;
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${quotes})
        INSERT INTO quotes (id, source_id, exact, match_text, prefix, suffix, pos_start, pos_end, speaker, created_at, updated_at)
          SELECT 'q' || i, 's' || (1 + i % 200), 'word ' || i, 'word ' || i, '', '', i, i + 5, CASE WHEN i % 3 = 0 THEN '' ELSE 'speaker ' || (i % 50) END, printf('2024-02-01T%02d:%02d:%02d.000Z', i / 3600, (i / 60) % 60, i % 60), '2024' FROM n;
        ANALYZE;
      `);
      const store = new LibraryStore(db);
      const filters: QuoteFilter[] = [
        { sort: 'added' },
        { sort: 'speaker' },
        { sort: 'source-order' },
        { sourceId: 's5' },
        { sourceId: 's5', sort: 'speaker' },
        { tagId: 't1' },
        { projectId: 'p1', sort: 'speaker' },
        { used: true },
        { speaker: 'speaker 7' },
        { query: 'word' },
      ];
      const plans: Record<string, string> = {};
      for (const filter of filters) {
        const { sql, params } = store.quoteListSql({ ...filter, limit: 100 })!;
        const rows = await db.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, params);
        const plan = rows.map((r) => r.detail).join(' | ');
        const started = performance.now();
        const page = await db.all(sql, params);
        plans[JSON.stringify(filter)] = `${plan}  [${page.length} rows in ${(performance.now() - started).toFixed(1)} ms]`;
        // A full scan of quotes reads as "SCAN q" without an index; an index scan that stops at the LIMIT is "SCAN q USING INDEX ...".
        expect(plan, JSON.stringify(filter)).not.toMatch(/SCAN q(?! USING)( |$)/);
      }
      // Timings are printed for the report only (PLAN_STATS=1), never asserted.
      if (process.env.PLAN_STATS) console.log(plans);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
