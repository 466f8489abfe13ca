/**
 * search.query (issue 6): ranking on a small fixture (the expected order worked out by hand
 * from FTS5's bm25 formula in the comments), diacritics, prefix while typing, phrases,
 * filters, snippets as text parts, and hostile input that must never reach FTS5 as syntax.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResultOf } from '../../shared/contract';
import { parseSnippet, searchMatch } from './search';
import { openTestLibrary, type TestLibrary } from './testing';

let lib: TestLibrary;
const ids = { s1: '', s2: '', a: '', b: '', c: '', d: '', memoTitle: '', memoBody: '' };

/** Save the first occurrence of `passage` in the source's text as a quote. */
async function quote(sourceId: string, passage: string, extra: { speaker?: string; note?: string } = {}): Promise<string> {
  const source = await lib.call('sources.get', { id: sourceId });
  const start = source.text.indexOf(passage);
  if (start < 0) throw new Error(`fixture: “${passage}” is not in the source`);
  return (await lib.call('quotes.create', { sourceId, start, end: start + passage.length, ...extra })).id;
}

const para = (children: unknown[]) => ({ type: 'paragraph', version: 1, children });
const text = (t: string) => ({ type: 'text', version: 1, text: t });

beforeAll(async () => {
  lib = await openTestLibrary();
  const s1 = await lib.call('sources.importText', {
    title: 'Harbour strike report',
    text: 'Harbour strike report\n\nDockworkers at the harbour walked out on Monday morning.\n\nThe union said cranes stood still for hours.\n\nOut walked the night shift too.',
  });
  const s2 = await lib.call('sources.importText', { title: 'Müller on cranes', text: 'Müller on cranes\n\nMuller said the crane operators were never consulted.\n\nTalks resume next week.' });
  ids.s1 = s1.id;
  ids.s2 = s2.id;
  // A: "harbour" once in its text (8 tokens).
  ids.a = await quote(s1.id, 'Dockworkers at the harbour walked out on Monday morning.');
  // B: "harbour" only in its note (3 tokens).
  ids.b = await quote(s1.id, 'The union said cranes stood still for hours.', { note: 'about the harbour' });
  // C: "harbour" only in its speaker (2 tokens).
  ids.c = await quote(s1.id, 'Out walked the night shift too.', { speaker: 'Harbour master' });
  ids.d = await quote(s2.id, 'Muller said the crane operators were never consulted.', { speaker: 'Hans Müller' });
  const m1 = await lib.call('memos.create', { title: 'Harbour notes' });
  await lib.call('memos.save', { id: m1.id, title: 'Harbour notes', baseRevision: 0, content: { root: { type: 'root', children: [para([text('Plans for the week.')])] } } });
  const m2 = await lib.call('memos.create', { title: 'Draft' });
  await lib.call('memos.save', {
    id: m2.id,
    title: 'Draft',
    baseRevision: 0,
    content: {
      root: {
        type: 'root',
        children: [para([text('The crane story matters. '), { type: 'citation', version: 1, sourceId: s2.id }]), { type: 'linked-quote', version: 2, quoteId: ids.a, sourceId: s1.id, snapshot: 'Dockworkers at the harbour walked out on Monday morning.', shortened: null }],
      },
    },
  });
  ids.memoTitle = m1.id;
  ids.memoBody = m2.id;
}, 60_000);

afterAll(async () => {
  await lib?.dispose();
});

const search = (args: Parameters<TestLibrary['call']>[1] & object) => lib.call('search.query', args as never) as Promise<ResultOf<'search.query'>>;

describe('searchMatch', () => {
  it('quotes every word, keeps phrases, and makes only a last bare word a prefix', () => {
    expect(searchMatch('harb')).toBe('"harb"*');
    expect(searchMatch('walked harb')).toBe('"walked" "harb"*');
    expect(searchMatch('harbour ')).toBe('"harbour"');
    expect(searchMatch('"walked out"')).toBe('"walked out"');
    expect(searchMatch('"walked out" mon')).toBe('"walked out" "mon"*');
    expect(searchMatch('Mu\u0308ller')).toBe('"Müller"*'); // NFC first: one word, not "Mu" and "ller"
  });

  it('turns operators and stray syntax into words or nothing', () => {
    expect(searchMatch('a AND b')).toBe('"a" "AND" "b"*');
    expect(searchMatch('NEAR(a b)')).toBe('"NEAR" "a" "b"*'); // the last word, typed up to its end, is still a prefix
    expect(searchMatch('col:x -y ^z')).toBe('"col" "x" "y" "z"*');
    expect(searchMatch('"unbalanced phrase')).toBe('"unbalanced" "phrase"*');
    expect(searchMatch('a"b')).toBe('"a" "b"*');
    for (const nothing of ['', '   ', '"', '""', '*', '()', '-', ':', '" "']) expect(searchMatch(nothing)).toBeNull();
  });
});

describe('parseSnippet', () => {
  it('splits marked text into parts and joins neighbours', () => {
    expect(parseSnippet('x \uE000hit\uE001 y')).toEqual([
      { text: 'x ', hit: false },
      { text: 'hit', hit: true },
      { text: ' y', hit: false },
    ]);
    expect(parseSnippet('\uE000a\uE001\uE000b\uE001')).toEqual([{ text: 'ab', hit: true }]);
    expect(parseSnippet(null)).toEqual([]);
  });
});

describe('search.query', () => {
  it('ranks quotes by bm25 with text > speaker > note weights', async () => {
    // FTS5 bm25 per column: w * idf * tf(k1+1) / (tf + k1(1 - b + b·len/avglen)), k1 = 1.2, b = 0.75;
    // idf is the same for all three (one phrase over the whole table).
    // A: text hit, tf 1, len 9, avglen(text) ≈ 8 -> ratio ≈ 1.1 -> 2.2/2.2 ≈ 1.0, × 10 = 10.
    // C: speaker hit, len 2, avglen(speaker) = (2 + 2 + 0 + 0)/4 = 1 -> ratio 2 -> 2.2/(1+1.2·1.75) = 0.71, × 5 = 3.5.
    // B: note hit, len 3, avglen(note) = 3/4 -> ratio 4 -> 2.2/(1+1.2·3.25) = 0.45, × 2 = 0.9.
    // So A, C, B.
    const r = await search({ q: 'harbour', kinds: ['quote'] });
    expect(r.quotes.map((q) => q.id)).toEqual([ids.a, ids.c, ids.b]);
    expect(r.total).toEqual({ quotes: 3, sources: 0, memos: 0 });
    expect(r.quotes[0]!.rank).toBeLessThan(r.quotes[1]!.rank);
    expect(r.quotes[0]!.snippet.filter((p) => p.hit).map((p) => p.text.toLowerCase())).toEqual(['harbour']);
  });

  it('groups by kind: sources by title first, memos by title and text', async () => {
    const r = await search({ q: 'harbour' });
    // S1 has "harbour" in its title (weight 10) and text; the sample article has no "harbour".
    expect(r.sources.map((s) => s.id)).toEqual([ids.s1]);
    // "Harbour notes" by its title; "Draft" by the linked quote's text in its body (title 5 > text 1).
    expect(r.memos.map((m) => m.id)).toEqual([ids.memoTitle, ids.memoBody]);
    expect(r.total).toEqual({ quotes: 3, sources: 1, memos: 2 });
  });

  it('folds diacritics both ways', async () => {
    // "muller" finds the title "Müller on cranes" and the speaker "Hans Müller"; "Müller" finds "Muller said".
    const plain = await search({ q: 'muller ' });
    expect(plain.sources.map((s) => s.id)).toEqual([ids.s2]);
    expect(plain.quotes.map((q) => q.id)).toEqual([ids.d]);
    const accented = await search({ q: 'Müller ', kinds: ['quote'] });
    expect(accented.quotes.map((q) => q.id)).toEqual([ids.d]);
  });

  it('matches the last word as a prefix while typing, and phrases exactly', async () => {
    expect((await search({ q: 'harb', kinds: ['quote'] })).quotes.map((q) => q.id).sort()).toEqual([ids.a, ids.b, ids.c].sort());
    expect((await search({ q: 'harb ', kinds: ['quote'] })).total.quotes).toBe(0); // a finished word is not a prefix
    // "walked out" as a phrase: only A ("walked out on Monday"); C has "Out walked".
    expect((await search({ q: '"walked out"', kinds: ['quote'] })).quotes.map((q) => q.id)).toEqual([ids.a]);
    // Without quotes both words in any order: A and C.
    expect((await search({ q: 'walked out ', kinds: ['quote'] })).quotes.map((q) => q.id).sort()).toEqual([ids.a, ids.c].sort());
  });

  it('applies filters to the kinds that have them and leaves the others out', async () => {
    const bySpeaker = await search({ q: 'harb', filters: { speaker: 'harbour MASTER' } });
    expect(bySpeaker.quotes.map((q) => q.id)).toEqual([ids.c]);
    expect(bySpeaker.total).toEqual({ quotes: 1, sources: 0, memos: 0 });
    const used = await search({ q: 'harbour', filters: { used: true } });
    expect(used.quotes.map((q) => q.id)).toEqual([ids.a]); // only A is linked in a memo
    expect(used.sources.map((s) => s.id)).toEqual([ids.s1]);
    expect(used.memos).toEqual([]);
    const unused = await search({ q: 'harbour', kinds: ['quote'], filters: { used: false } });
    expect(unused.quotes.map((q) => q.id)).toEqual([ids.c, ids.b]);
    const ofSource = await search({ q: 'cranes', filters: { sourceId: ids.s2 } });
    expect(ofSource.sources.map((s) => s.id)).toEqual([ids.s2]);
    expect(ofSource.quotes).toEqual([]); // D says "crane", not "cranes"; B ("cranes") is in S1
    const tag = await lib.call('tags.add', { name: 'port', quoteIds: [ids.b] });
    expect((await search({ q: 'harbour', filters: { tagId: tag.id } })).quotes.map((q) => q.id)).toEqual([ids.b]);
    const project = await lib.call('projects.create', { name: 'Search project' });
    await lib.call('projects.addItems', { id: project.id, quoteIds: [ids.c], memoIds: [ids.memoBody] });
    const inProject = await search({ q: 'harbour', filters: { projectId: project.id } });
    expect(inProject.quotes.map((q) => q.id)).toEqual([ids.c]);
    expect(inProject.memos.map((m) => m.id)).toEqual([ids.memoBody]);
    expect(inProject.sources).toEqual([]);
    expect((await search({ q: 'harbour', kinds: ['quote'], filters: { addedTo: '2000-01-01' } })).total.quotes).toBe(0);
    expect((await search({ q: 'harbour', kinds: ['quote'], filters: { addedFrom: '2000-01-01', addedTo: new Date().toISOString().slice(0, 10) } })).total.quotes).toBe(3);
  });

  it('caps hits per kind by limit but counts them all', async () => {
    const r = await search({ q: 'harbour', kinds: ['quote'], limit: 1 });
    expect(r.quotes.map((q) => q.id)).toEqual([ids.a]);
    expect(r.total.quotes).toBe(3);
  });

  it('answers hostile input with results or nothing, never an error', async () => {
    const hostile = ['"', '""', '"harbour', 'harbour"', '*', 'harbour*', '**', 'NEAR(', 'NEAR(harbour walked)', 'AND', 'harbour AND', 'OR harbour', 'NOT', '-harbour', 'speaker:harbour', 'harbour:', '(', ')', '(harbour', '^harbour', '{speaker note}: x', "'; DROP TABLE quotes; --", '\u0000', 'a"b"c"'];
    for (const q of hostile) {
      const result = await lib.services.dispatch('search.query', { q });
      expect(result.ok, `${JSON.stringify(q)}: ${JSON.stringify(result)}`).toBe(true);
    }
    // And the words in them still count: "-harbour" searches harbour.
    expect((await search({ q: '-harbour ', kinds: ['quote'] })).total.quotes).toBe(3);
    expect((await search({ q: 'speaker:harbour ', kinds: ['quote'] })).total.quotes).toBe(0); // "speaker" is a word no quote has
  });

  it('keeps the memo index in step with saves and deletes', async () => {
    const memo = await lib.call('memos.create', { title: 'Scratch' });
    await lib.call('memos.save', { id: memo.id, title: 'Scratch', baseRevision: 0, content: { root: { type: 'root', children: [para([text('zeppelin overhead')])] } } });
    expect((await search({ q: 'zeppelin', kinds: ['memo'] })).memos.map((m) => m.id)).toEqual([memo.id]);
    await lib.call('memos.save', { id: memo.id, title: 'Scratch', baseRevision: 1, content: { root: { type: 'root', children: [para([text('balloon overhead')])] } } });
    expect((await search({ q: 'zeppelin', kinds: ['memo'] })).total.memos).toBe(0);
    expect((await search({ q: 'balloon', kinds: ['memo'] })).total.memos).toBe(1);
    await lib.call('memos.delete', { id: memo.id });
    expect((await search({ q: 'balloon', kinds: ['memo'] })).total.memos).toBe(0);
  });

  it('keeps the source index in step with metadata and text changes', async () => {
    const s = await lib.call('sources.importText', { title: 'Plain', text: 'Plain\n\nNothing to see.' });
    await lib.call('sources.updateMetadata', { id: s.id, csl: { type: 'article-journal', title: 'Plain', author: [{ family: 'Ångström', given: 'Åse' }], 'container-title': 'Journal of Quays' } });
    const byAuthor = await search({ q: 'angstrom', kinds: ['source'] });
    expect(byAuthor.sources.map((x) => x.id)).toEqual([s.id]);
    expect(byAuthor.sources[0]!.snippet.some((p) => p.hit && p.text === 'Ångström')).toBe(true);
    expect((await search({ q: 'quays', kinds: ['source'] })).sources.map((x) => x.id)).toEqual([s.id]);
    await lib.call('sources.updateText', { id: s.id, text: 'Plain\n\nA zebra crossing.' });
    expect((await search({ q: 'zebra', kinds: ['source'] })).sources.map((x) => x.id)).toEqual([s.id]);
    expect((await search({ q: 'nothing to', kinds: ['source'] })).total.sources).toBe(0);
    await lib.call('sources.delete', { id: s.id });
    expect((await search({ q: 'zebra', kinds: ['source'] })).total.sources).toBe(0);
  });
});
