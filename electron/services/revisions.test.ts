/**
 * Memo revisions (issue 5): coalescing with an injected clock, retention, restore with its
 * 'before-restore' snapshot and conflict check, 'conflict' revisions for stale saves,
 * cascade on memo delete, and migration 4 on a library with memos.
 * Every expected count below is worked out by hand in the comment next to it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ArgsOf, ResultOf } from '../../shared/contract';
import type { MethodName } from '../../shared/methods';
import type { MemoContent } from '../../shared/model';
import { Database } from './db';
import { migrate, MIGRATIONS } from './migrations';
import { openServices, type Services } from './services';
import { DEFAULT_REVISION_POLICY, revisionsToPrune, type RevisionPolicy } from './store';
import { RESOURCES_DIR } from './testing';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** A one-paragraph memo document holding `text`. */
function doc(text: string): MemoContent {
  return {
    root: {
      type: 'root',
      version: 1,
      direction: null,
      format: '',
      indent: 0,
      children: [{ type: 'paragraph', version: 1, direction: null, format: '', indent: 0, textFormat: 0, textStyle: '', children: [{ type: 'text', version: 1, text, detail: 0, format: 0, mode: 'normal', style: '' }] }],
    },
  } as MemoContent;
}

/** The text of a one-paragraph document made by {@link doc}. */
function textOf(content: unknown): string {
  return ((content as { root: { children: { children: { text: string }[] }[] } }).root.children[0]?.children[0]?.text) ?? '';
}

interface Lib {
  services: Services;
  dataDir: string;
  clock: { t: number };
  call<M extends MethodName>(method: M, args: ArgsOf<M>): Promise<ResultOf<M>>;
  codeOf(method: MethodName, args: unknown): Promise<string>;
}

const open: Lib[] = [];
afterEach(async () => {
  for (const lib of open.splice(0)) {
    await lib.services.close();
    rmSync(lib.dataDir, { recursive: true, force: true });
  }
});

async function library(start: number, revisions?: Partial<RevisionPolicy>): Promise<Lib> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'verbatim-rev-'));
  const clock = { t: start };
  const services = await openServices({
    host: 'web',
    dataDir,
    resourcesDir: RESOURCES_DIR,
    version: '0.0.0-test',
    printPdf: async () => new Uint8Array(),
    warmCitations: false,
    logError: () => undefined,
    memoRevisions: { now: () => new Date(clock.t), ...(revisions ? { revisions } : {}) },
  });
  const lib: Lib = {
    services,
    dataDir,
    clock,
    async call(method, args) {
      const result = await services.dispatch(method, args);
      if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
      return result.value as never;
    },
    async codeOf(method, args) {
      const result = await services.dispatch(method, args);
      if (result.ok) throw new Error(`${method} succeeded; an error was expected`);
      return result.error.code;
    },
  };
  open.push(lib);
  return lib;
}

/** Save `text` as the memo's content at clock time `at`; returns the new revision. */
async function saveAt(lib: Lib, memoId: string, at: number, text: string, base: number, title = 'Memo'): Promise<number> {
  lib.clock.t = at;
  return (await lib.call('memos.save', { id: memoId, title, content: doc(text), baseRevision: base })).revision;
}

const T0 = Date.UTC(2024, 0, 10, 9, 0, 0); // 10 January 2024, 09:00 UTC

describe('coalescing', () => {
  it('keeps one revision per 5 minutes of editing, holding the state of its last save', async () => {
    const lib = await library(T0);
    const memo = await lib.call('memos.create', { title: 'Memo' });
    expect(await lib.call('memos.revisions', { id: memo.id })).toEqual([]); // a new memo has no history yet

    let rev = 0;
    rev = await saveAt(lib, memo.id, T0, 'one', rev); // new revision A (created 09:00)
    expect(await lib.call('memos.revisions', { id: memo.id })).toHaveLength(1);
    rev = await saveAt(lib, memo.id, T0 + 1 * MIN, 'two', rev); // 1 min after A was created: into A
    rev = await saveAt(lib, memo.id, T0 + 5 * MIN - 1000, 'three', rev); // 4 min 59 s: into A
    expect(await lib.call('memos.revisions', { id: memo.id })).toHaveLength(1);
    rev = await saveAt(lib, memo.id, T0 + 5 * MIN, 'four', rev); // exactly 5 min: not "less than 5": new revision B
    rev = await saveAt(lib, memo.id, T0 + 7 * MIN, 'five', rev); // 2 min after B: into B
    rev = await saveAt(lib, memo.id, T0 + 20 * MIN, 'six', rev); // 15 min after B: new revision C
    expect(rev).toBe(6);

    const list = await lib.call('memos.revisions', { id: memo.id });
    // Six saves, three revisions: C (six), B (five, created 09:05), A (three, created 09:00).
    expect(list.map((r) => [r.reason, r.memoRevision, r.createdAt, r.savedAt])).toEqual([
      ['edit', 6, new Date(T0 + 20 * MIN).toISOString(), new Date(T0 + 20 * MIN).toISOString()],
      ['edit', 5, new Date(T0 + 5 * MIN).toISOString(), new Date(T0 + 7 * MIN).toISOString()],
      ['edit', 3, new Date(T0).toISOString(), new Date(T0 + 5 * MIN - 1000).toISOString()],
    ]);
    const texts = await Promise.all(list.map(async (r) => textOf((await lib.call('memos.revision', { id: r.id })).content)));
    expect(texts).toEqual(['six', 'five', 'three']);
    // size: UTF-8 bytes of the title plus the content JSON
    const c = await lib.call('memos.revision', { id: list[0]!.id });
    expect(c.size).toBe(Buffer.byteLength('Memo') + Buffer.byteLength(JSON.stringify(doc('six'))));
    expect(c).toMatchObject({ memoId: memo.id, title: 'Memo', reason: 'edit' });
  });

  it('takes the interval from the options', async () => {
    const lib = await library(T0, { coalesceMs: 1 * MIN });
    const memo = await lib.call('memos.create', {});
    let rev = 0;
    rev = await saveAt(lib, memo.id, T0, 'a', rev); // new (09:00:00)
    rev = await saveAt(lib, memo.id, T0 + 30_000, 'b', rev); // 30 s: into it
    rev = await saveAt(lib, memo.id, T0 + 61_000, 'c', rev); // 61 s: new
    rev = await saveAt(lib, memo.id, T0 + 3 * MIN, 'd', rev); // 119 s after the second: new
    expect((await lib.call('memos.revisions', { id: memo.id })).length).toBe(3);
  });

  it('keeps a stale save as a conflict revision and leaves the memo unchanged', async () => {
    const lib = await library(T0);
    const memo = await lib.call('memos.create', {});
    await saveAt(lib, memo.id, T0, 'mine', 0);
    lib.clock.t = T0 + MIN;
    expect(await lib.codeOf('memos.save', { id: memo.id, title: 'Other window', content: doc('theirs'), baseRevision: 0 })).toBe('conflict');
    const current = await lib.call('memos.get', { id: memo.id });
    expect([current.revision, textOf(current.content)]).toEqual([1, 'mine']);
    const list = await lib.call('memos.revisions', { id: memo.id });
    expect(list.map((r) => [r.reason, r.title, r.memoRevision])).toEqual([
      ['conflict', 'Other window', 0],
      ['edit', 'Memo', 1],
    ]);
    expect(textOf((await lib.call('memos.revision', { id: list[0]!.id })).content)).toBe('theirs');
    // A save after a conflict revision starts a new edit revision (1 min after the first edit, but a conflict came between).
    await saveAt(lib, memo.id, T0 + 2 * MIN, 'mine again', 1);
    expect((await lib.call('memos.revisions', { id: memo.id })).map((r) => r.reason)).toEqual(['edit', 'conflict', 'edit']);
  });
});

describe('restore', () => {
  it('keeps the current state as before-restore, then makes the revision current', async () => {
    const lib = await library(T0);
    const memo = await lib.call('memos.create', {});
    await saveAt(lib, memo.id, T0, 'first draft', 0, 'Draft A'); // revision A
    await saveAt(lib, memo.id, T0 + 10 * MIN, 'second draft', 1, 'Draft B'); // revision B (10 min later)
    const [b, a] = await lib.call('memos.revisions', { id: memo.id });
    expect([b!.title, a!.title]).toEqual(['Draft B', 'Draft A']);

    // A stale base: conflict, and nothing changes.
    expect(await lib.codeOf('memos.restoreRevision', { memoId: memo.id, revisionId: a!.id, baseRevision: 1 })).toBe('conflict');
    expect((await lib.call('memos.get', { id: memo.id })).revision).toBe(2);
    expect(await lib.call('memos.revisions', { id: memo.id })).toHaveLength(2);

    lib.clock.t = T0 + 12 * MIN;
    const restored = await lib.call('memos.restoreRevision', { memoId: memo.id, revisionId: a!.id, baseRevision: 2 });
    expect([restored.title, textOf(restored.content), restored.revision, restored.updatedAt]).toEqual(['Draft A', 'first draft', 3, new Date(T0 + 12 * MIN).toISOString()]);
    const got = await lib.call('memos.get', { id: memo.id });
    expect([got.title, textOf(got.content), got.revision]).toEqual(['Draft A', 'first draft', 3]);

    const list = await lib.call('memos.revisions', { id: memo.id });
    expect(list.map((r) => [r.reason, r.title, r.memoRevision])).toEqual([
      ['before-restore', 'Draft B', 2],
      ['edit', 'Draft B', 2],
      ['edit', 'Draft A', 1],
    ]);
    expect(textOf((await lib.call('memos.revision', { id: list[0]!.id })).content)).toBe('second draft');

    // The next save (13 min: 3 min after B was created, but a before-restore came between) is a new revision,
    // and restoring the before-restore snapshot brings the second draft back.
    await saveAt(lib, memo.id, T0 + 13 * MIN, 'first draft, edited', 3, 'Draft A');
    const after = await lib.call('memos.revisions', { id: memo.id });
    expect(after.map((r) => r.reason)).toEqual(['edit', 'before-restore', 'edit', 'edit']);
    const back = await lib.call('memos.restoreRevision', { memoId: memo.id, revisionId: list[0]!.id, baseRevision: 4 });
    expect([back.title, textOf(back.content), back.revision]).toEqual(['Draft B', 'second draft', 5]);
    expect((await lib.call('memos.revisions', { id: memo.id })).slice(0, 1).map((r) => [r.reason, r.title])).toEqual([['before-restore', 'Draft A']]);
  });

  it('refuses a revision of another memo, and keeps the citation settings', async () => {
    const lib = await library(T0);
    const one = await lib.call('memos.create', {});
    const two = await lib.call('memos.create', {});
    await saveAt(lib, one.id, T0, 'one', 0);
    await saveAt(lib, two.id, T0, 'two', 0);
    await lib.call('memos.updateSettings', { id: two.id, citationStyle: 'oscola' });
    const [revOfOne] = await lib.call('memos.revisions', { id: one.id });
    expect(await lib.codeOf('memos.restoreRevision', { memoId: two.id, revisionId: revOfOne!.id, baseRevision: 1 })).toBe('not_found');
    expect(await lib.codeOf('memos.restoreRevision', { memoId: 'no-such-memo', revisionId: revOfOne!.id, baseRevision: 1 })).toBe('not_found');
    expect(await lib.codeOf('memos.revision', { id: 'no-such-revision' })).toBe('not_found');
    expect(textOf((await lib.call('memos.get', { id: two.id })).content)).toBe('two');
    const [revOfTwo] = await lib.call('memos.revisions', { id: two.id });
    expect((await lib.call('memos.restoreRevision', { memoId: two.id, revisionId: revOfTwo!.id, baseRevision: 1 })).settings.citationStyle).toBe('oscola');
  });
});

describe('retention', () => {
  const policy: RevisionPolicy = { coalesceMs: 5 * MIN, keepAllMs: DAY, dailyForMs: 30 * DAY, maxPerMemo: 5, maxConflictsPerMemo: 2 };
  const now = Date.UTC(2024, 1, 9, 12, 0, 0); // 9 February 2024, 12:00 UTC
  const at = (iso: string) => Date.parse(iso);
  const revs = [
    { id: 'a', savedAt: at('2024-02-09T11:00:00Z') }, // 1 h old: kept (last 24 h)
    { id: 'b', savedAt: at('2024-02-08T13:00:00Z') }, // 23 h: kept
    { id: 'c', savedAt: at('2024-02-08T11:00:00Z') }, // 25 h: the newest of 8 Feb past 24 h: kept
    { id: 'd', savedAt: at('2024-02-08T09:00:00Z') }, // 8 Feb again: dropped
    { id: 'e', savedAt: at('2024-02-05T10:00:00Z') }, // newest of 5 Feb: kept
    { id: 'f', savedAt: at('2024-02-05T08:00:00Z') }, // 5 Feb again: dropped
    { id: 'g', savedAt: at('2024-01-09T11:00:00Z') }, // 31 days + 1 h: dropped
    { id: 'h', savedAt: at('2024-01-10T13:00:00Z') }, // 29 days 23 h, newest of 10 Jan: kept
  ].map((r, i) => ({ ...r, order: i }));

  it('keeps the last day, then one a day for 30 days, at most N', () => {
    expect(revisionsToPrune(revs, now, policy).sort()).toEqual(['d', 'f', 'g']);
    // At most 4: the fifth kept (h, the oldest) goes too.
    expect(revisionsToPrune(revs, now, { ...policy, maxPerMemo: 4 }).sort()).toEqual(['d', 'f', 'g', 'h']);
    // In any input order; equal times are told apart by `order` (the higher is newer and is the day's one).
    const twins = [{ id: 'x', savedAt: at('2024-02-01T10:00:00Z'), order: 2 }, { id: 'y', savedAt: at('2024-02-01T10:00:00Z'), order: 1 }];
    expect(revisionsToPrune(twins, now, policy)).toEqual(['y']);
    // A revision from "the future" (the clock went back) is kept.
    expect(revisionsToPrune([{ id: 'z', savedAt: now + HOUR, order: 0 }], now, policy)).toEqual([]);
    expect(DEFAULT_REVISION_POLICY).toEqual({ coalesceMs: 5 * MIN, keepAllMs: DAY, dailyForMs: 30 * DAY, maxPerMemo: 200, maxConflictsPerMemo: 20 });
  });

  it('prunes a memo’s history in its saves', async () => {
    const lib = await library(T0, { coalesceMs: MIN, keepAllMs: HOUR, dailyForMs: 3 * DAY, maxPerMemo: 100 });
    const memo = await lib.call('memos.create', {});
    let rev = 0;
    rev = await saveAt(lib, memo.id, T0, 'a', rev); // 10 Jan 09:00
    rev = await saveAt(lib, memo.id, T0 + 10 * MIN, 'b', rev); // 09:10
    rev = await saveAt(lib, memo.id, T0 + 20 * MIN, 'c', rev); // 09:20: three revisions, all within the hour
    expect(await lib.call('memos.revisions', { id: memo.id })).toHaveLength(3);
    // 11 Jan 12:00: the three are 26-27 h old, in the daily band: only 09:20 (c) stays, plus the new one.
    rev = await saveAt(lib, memo.id, Date.UTC(2024, 0, 11, 12), 'd', rev);
    let list = await lib.call('memos.revisions', { id: memo.id });
    expect(await Promise.all(list.map(async (r) => textOf((await lib.call('memos.revision', { id: r.id })).content)))).toEqual(['d', 'c']);
    // 14 Jan 10:00: c is 4 days old (dropped), d 2 days 22 h (kept).
    rev = await saveAt(lib, memo.id, Date.UTC(2024, 0, 14, 10), 'e', rev);
    list = await lib.call('memos.revisions', { id: memo.id });
    expect(await Promise.all(list.map(async (r) => textOf((await lib.call('memos.revision', { id: r.id })).content)))).toEqual(['e', 'd']);
  });

  it('judges conflicts apart: they never take an edit’s place, and keep their own newest N', () => {
    // Five edits (the cap) plus three newer conflicts: no edit goes; the oldest conflict does (cap 2).
    const mixed = [
      ...['e1', 'e2', 'e3', 'e4', 'e5'].map((id, i) => ({ id, savedAt: now - (10 - i) * MIN, order: i, reason: 'edit' as const })),
      ...['c1', 'c2', 'c3'].map((id, i) => ({ id, savedAt: now - (3 - i) * MIN, order: 10 + i, reason: 'conflict' as const })),
    ];
    expect(revisionsToPrune(mixed, now, policy)).toEqual(['c1']);
  });

  it('205 refused (stale) saves keep the memo’s edits and before-restore version, the newest 20 conflicts, and a repeated one once', async () => {
    const lib = await library(T0); // the default policy: 200 per memo, 20 conflicts
    const memo = await lib.call('memos.create', {});
    let rev = 0;
    rev = await saveAt(lib, memo.id, T0, 'first draft', rev);
    rev = await saveAt(lib, memo.id, T0 + 10 * MIN, 'second draft', rev);
    const [, oldest] = await lib.call('memos.revisions', { id: memo.id });
    lib.clock.t = T0 + 20 * MIN;
    rev = (await lib.call('memos.restoreRevision', { memoId: memo.id, revisionId: oldest!.id, baseRevision: rev })).revision;
    const history = (await lib.call('memos.revisions', { id: memo.id })).map((r) => ({ id: r.id, reason: r.reason }));
    expect(history.map((r) => r.reason).sort()).toEqual(['before-restore', 'edit', 'edit']);
    for (let i = 0; i < 205; i++) {
      lib.clock.t = T0 + 30 * MIN + i * 1000;
      expect(await lib.codeOf('memos.save', { id: memo.id, title: 'Memo', content: doc(`stale ${i}`), baseRevision: 0 })).toBe('conflict');
    }
    // The same refused edit sent twice more (a client retrying) is not stored again.
    for (let i = 0; i < 2; i++) {
      lib.clock.t += 1000;
      expect(await lib.codeOf('memos.save', { id: memo.id, title: 'Memo', content: doc('stale 204'), baseRevision: 0 })).toBe('conflict');
    }
    const after = await lib.call('memos.revisions', { id: memo.id });
    expect(after.filter((r) => r.reason !== 'conflict').map((r) => ({ id: r.id, reason: r.reason }))).toEqual(history);
    const conflicts = after.filter((r) => r.reason === 'conflict');
    expect(await Promise.all(conflicts.map(async (r) => textOf((await lib.call('memos.revision', { id: r.id })).content)))).toEqual(
      Array.from({ length: 20 }, (_, k) => `stale ${204 - k}`),
    );
    expect(textOf((await lib.call('memos.get', { id: memo.id })).content)).toBe('first draft');
  });

  it('never holds more than maxPerMemo revisions', async () => {
    const lib = await library(T0, { coalesceMs: MIN, maxPerMemo: 3 });
    const memo = await lib.call('memos.create', {});
    let rev = 0;
    for (let i = 0; i < 5; i++) rev = await saveAt(lib, memo.id, T0 + i * 2 * MIN, `v${i}`, rev); // 2 min apart: five new revisions
    const list = await lib.call('memos.revisions', { id: memo.id });
    expect(list.map((r) => r.memoRevision)).toEqual([5, 4, 3]); // the newest three
  });
});

describe('one transaction', () => {
  it('leaves the memo as it was when writing its revision fails', async () => {
    const lib = await library(T0);
    const memo = await lib.call('memos.create', {});
    await saveAt(lib, memo.id, T0, 'kept', 0);
    // Make the history write fail (as a full disk would), after the memo's own UPDATE has run.
    await lib.services.store.db.exec("CREATE TRIGGER fail_revisions BEFORE INSERT ON memo_revisions BEGIN SELECT RAISE(ABORT, 'no room'); END;");
    lib.clock.t = T0 + 10 * MIN; // past the coalescing window: the save must insert
    const result = await lib.services.dispatch('memos.save', { id: memo.id, title: 'Lost?', content: doc('new words'), baseRevision: 1 });
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
    const now = await lib.call('memos.get', { id: memo.id });
    expect([now.revision, now.title, textOf(now.content)]).toEqual([1, 'Memo', 'kept']);
    expect(await lib.call('memos.revisions', { id: memo.id })).toHaveLength(1);
  });
});

describe('deleting a memo', () => {
  it('deletes its revisions with it', async () => {
    const lib = await library(T0);
    const memo = await lib.call('memos.create', {});
    const other = await lib.call('memos.create', {});
    await saveAt(lib, memo.id, T0, 'a', 0);
    await saveAt(lib, memo.id, T0 + 10 * MIN, 'b', 1);
    await saveAt(lib, other.id, T0, 'kept', 0);
    const [rev] = await lib.call('memos.revisions', { id: memo.id });
    const count = async (id: string) => (await lib.services.store.db.get<{ n: number }>('SELECT count(*) AS n FROM memo_revisions WHERE memo_id = ?', [id]))!.n;
    expect(await count(memo.id)).toBe(2);
    expect(await lib.call('memos.delete', { id: memo.id })).toEqual({ deleted: true });
    expect(await count(memo.id)).toBe(0);
    expect(await count(other.id)).toBe(1);
    expect(await lib.codeOf('memos.revision', { id: rev!.id })).toBe('not_found');
    expect(await lib.codeOf('memos.revisions', { id: memo.id })).toBe('not_found');
  });
});

describe('migration 4', () => {
  it('gives each saved memo one revision holding its current state', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'verbatim-rev-mig-'));
    const db = await Database.open(path.join(dir, 'library.sqlite'));
    try {
      expect(await migrate(db, MIGRATIONS.slice(0, 3))).toEqual([1, 2, 3]);
      await db.run("INSERT INTO memos (id, title, content, revision, created_at, updated_at) VALUES ('m1', 'Saved', ?, 7, '2023-05-01T10:00:00.000Z', '2023-05-02T10:00:00.000Z')", [JSON.stringify(doc('kept'))]);
      await db.run("INSERT INTO memos (id, title, content, revision, created_at, updated_at) VALUES ('m2', 'Never saved', ?, 0, '2023-05-01T10:00:00.000Z', '2023-05-01T10:00:00.000Z')", [JSON.stringify(doc(''))]);
      expect(await migrate(db, MIGRATIONS.slice(0, 4))).toEqual([4]);
      const rows = await db.all<{ memo_id: string; reason: string; title: string; memo_revision: number; saved_at: string; content: string; size: number }>('SELECT memo_id, reason, title, memo_revision, saved_at, content, size FROM memo_revisions');
      expect(rows).toEqual([
        { memo_id: 'm1', reason: 'edit', title: 'Saved', memo_revision: 7, saved_at: '2023-05-02T10:00:00.000Z', content: JSON.stringify(doc('kept')), size: 5 + Buffer.byteLength(JSON.stringify(doc('kept'))) },
      ]);
      await expect(db.run("INSERT INTO memo_revisions (id, memo_id, reason, title, content, memo_revision, size, created_at, saved_at) VALUES ('r', 'gone', 'edit', '', '{}', 0, 0, 'x', 'x')")).rejects.toThrow(/FOREIGN KEY/);
      await expect(db.run("INSERT INTO memo_revisions (id, memo_id, reason, title, content, memo_revision, size, created_at, saved_at) VALUES ('r', 'm1', 'whim', '', '{}', 0, 0, 'x', 'x')")).rejects.toThrow(/CHECK/);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
