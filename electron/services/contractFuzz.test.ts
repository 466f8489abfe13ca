/**
 * Property-based fuzzing of the whole contract (issue 5, part 9): every method in
 * METHOD_NAMES is called through `services.dispatch(method, args)` with
 *  (a) arbitrary JSON values,
 *  (b) malformed variants of valid arguments (wrong types, missing and extra keys, huge and
 *      empty strings, negative / NaN / huge numbers, lone surrogates, `__proto__` and
 *      `constructor` keys, deep nesting), and
 *  (c) valid-shaped arguments built from the real ids in the library.
 * Every call must settle (no throw, no hang) with `{ ok: true, value }` whose value parses
 * with the method's result schema, or `{ ok: false, error }` with a known error code other
 * than `internal`. Afterwards the library passes PRAGMA integrity_check and
 * foreign_key_check and the services still answer.
 *
 * The printer and fetch are stubs (no Chromium, no network). fast-check prints the seed and
 * the shrunk counterexample when a property fails; rerun with `{ seed, path }` to replay it.
 * FUZZ_STATS=1 prints how often each method answered each way.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sqlite3 from 'sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, ERROR_CODES, type CallResult } from '../../shared/contract';
import { METHOD_NAMES, type MethodName } from '../../shared/methods';
import { openServices, type Services } from './services';
import { RESOURCES_DIR } from './testing';

/** Longest one call may take before it counts as a hang (ms). Generous: the machine is shared. */
const CALL_LIMIT_MS = 20_000;

let services: Services;
let dataDir: string;
const fetched: string[] = [];
const printed: string[] = [];
const logged: string[] = [];
/** How often each method answered each way ("quotes.create ok", "quotes.create not_found"). */
const outcomes = new Map<string, number>();

/** Ids of what the library holds (refreshed before each property), plus ids that name nothing. */
const ids = { sources: [] as string[], quotes: [] as string[], memos: [] as string[], styles: [] as string[], backups: [] as string[], revisions: [] as string[], tags: [] as string[], projects: [] as string[], restorable: [] as { memoId: string; revisionId: string; baseRevision: number }[] };

const PAGE = '<!doctype html><html><head><title>Fetched page</title></head><body><article><h1>Fetched page</h1><p>“A quotation,” said the fuzzer, “from the network stub.”</p><p>A second paragraph with enough words for Readability to keep it as the article body.</p></article></body></html>';

/** The fetch the services get: never the network. Addresses with "offline" fail as a dropped connection would. */
const stubFetch = (async (input: string | URL | Request) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  fetched.push(url);
  if (url.includes('offline')) throw Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }) });
  if (url.includes('pdf')) return new Response('%PDF-1.4 not really', { status: 200, headers: { 'Content-Type': 'application/pdf' } });
  if (url.includes('missing')) return new Response('gone', { status: 404, headers: { 'Content-Type': 'text/plain' } });
  return new Response(PAGE, { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
}) as typeof fetch;

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

async function refreshIds(): Promise<void> {
  const value = async (method: MethodName, args: unknown) => {
    const r = await services.dispatch(method, args);
    if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
    return r.value as { id: string }[];
  };
  ids.sources = (await value('sources.list', {})).map((s) => s.id);
  ids.quotes = (await value('quotes.list', { limit: 5000 })).map((q) => q.id);
  ids.memos = (await value('memos.list', {})).map((m) => m.id);
  ids.styles = (await value('styles.list', {})).map((s) => s.id);
  ids.tags = (await value('tags.list', {})).map((t) => t.id);
  ids.projects = (await value('projects.list', {})).map((p) => p.id);
  ids.backups = ((await value('library.backups', {})) as unknown as { name: string }[]).map((b) => b.name);
  ids.revisions = [];
  ids.restorable = [];
  for (const memo of ids.memos.slice(0, 5)) {
    const revisions = (await value('memos.revisions', { id: memo })).map((r) => r.id);
    ids.revisions.push(...revisions);
    const current = (await value('memos.get', { id: memo })) as unknown as { revision: number };
    ids.restorable.push(...revisions.map((revisionId) => ({ memoId: memo, revisionId, baseRevision: current.revision })));
  }
}

/** How many times {@link seed} ran (project names must differ). */
let seeded = 0;

/** Put some of everything in the library: sources of several kinds, quotes, memos with cites, a style. */
async function seed(): Promise<void> {
  const must = async (method: MethodName, args: unknown) => {
    const r = await services.dispatch(method, args);
    if (!r.ok) throw new Error(`seeding ${method}: ${r.error.code} ${r.error.message}`);
    return r.value as Record<string, unknown>;
  };
  const html = await must('sources.import', { fileName: 'harbour.html', dataBase64: b64('<!doctype html><title>Harbour</title><article><h1>Harbour</h1><p>“We moved more containers than ever,” the director said.</p><p>Dockworkers said the new cranes cut waiting times by half.</p></article>') });
  const text = await must('sources.importText', { text: 'Pasted article\n\nThe mayor said “the bridge opens in May” and left.' });
  await must('sources.import', { fileName: 'notes.md', dataBase64: b64('# Notes\n\nSome *markdown* with a [link](https://example.org).') });
  await must('sources.importBibliography', { fileName: 'refs.bib', text: '@article{doe2020, title={A Study}, author={Doe, Jane}, year={2020}, journal={Journal}}\n' });
  const q1 = await must('quotes.create', { sourceId: html.id, start: 0, end: 10, speaker: 'director' });
  const q2 = await must('quotes.create', { sourceId: text.id, start: 16, end: 30 });
  const memo = await must('memos.create', { title: 'Seed memo' });
  const tag = await must('tags.add', { name: 'Seed tag', quoteIds: [q1.id], sourceIds: [html.id] });
  await must('tags.add', { name: 'Second tag', quoteIds: [q2.id] });
  seeded += 1;
  const project = await must('projects.create', { name: `Seed project ${String(tag.id).slice(0, 8)} ${seeded}` });
  await must('projects.addItems', { id: project.id, sourceIds: [text.id], quoteIds: [q2.id], memoIds: [memo.id] });
  await must('memos.save', {
    id: memo.id,
    title: 'Seed memo',
    baseRevision: 0,
    content: {
      root: {
        type: 'root',
        children: [
          { type: 'paragraph', children: [{ type: 'text', text: 'Intro ' }, { type: 'citation', version: 1, sourceId: text.id, locator: '2' }] },
          { type: 'linked-quote', version: 2, quoteId: q1.id, sourceId: html.id, snapshot: 'x', shortened: null },
          { type: 'linked-quote', version: 2, quoteId: q2.id, sourceId: text.id, snapshot: 'y', shortened: null },
        ],
      },
    },
  });
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'verbatim-fuzz-'));
  services = await openServices({
    host: 'web',
    dataDir,
    resourcesDir: RESOURCES_DIR,
    version: '0.0.0-fuzz',
    fetch: stubFetch,
    printPdf: async (html) => {
      printed.push(html.slice(0, 100));
      return new TextEncoder().encode('%PDF-1.7 fuzz');
    },
    saveFile: async (name) => `/nowhere/${name}`,
    warmCitations: false,
    logError: (message, error) => logged.push(`${message}: ${error instanceof Error ? error.stack : String(error)}`),
  });
  await seed();
  // A backup to restore, so library.restore is reached with a real name (it comes before library.backup in the method list).
  const backup = await services.dispatch('library.backup', {});
  if (!backup.ok) throw new Error(`library.backup: ${backup.error.code} ${backup.error.message}`);
  await refreshIds();
}, 60_000);

afterAll(async () => {
  await services?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Call and check one outcome; resolves to a description of what is wrong, or null. */
async function checkCall(method: MethodName, args: unknown): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<'hang'>((resolve) => {
    timer = setTimeout(() => resolve('hang'), CALL_LIMIT_MS);
  });
  let result: CallResult<unknown> | 'hang';
  try {
    result = await Promise.race([services.dispatch(method, args), hang]);
  } catch (error) {
    return `${method} threw instead of answering: ${error instanceof Error ? error.stack : String(error)}`;
  } finally {
    clearTimeout(timer);
  }
  if (result === 'hang') return `${method} did not answer within ${CALL_LIMIT_MS} ms`;
  if (result && typeof result === 'object') {
    const key = `${method} ${result.ok ? 'ok' : result.error?.code}`;
    outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
  }
  if (result === null || typeof result !== 'object') return `${method} answered ${String(result)}`;
  if (result.ok === true) {
    const parsed = contract[method].result.safeParse(result.value);
    return parsed.success ? null : `${method} returned a value its result schema refuses: ${parsed.error.message.slice(0, 500)}`;
  }
  if (result.ok !== false) return `${method} answered neither ok nor an error: ${JSON.stringify(result).slice(0, 200)}`;
  if (!(ERROR_CODES as readonly string[]).includes(result.error.code)) return `${method} answered the unknown error code ${result.error.code}`;
  if (typeof result.error.message !== 'string' || result.error.message === '') return `${method} answered an error without a message`;
  if (result.error.code === 'internal') return `${method} failed with an internal error: ${result.error.message.slice(0, 500)}\n${logged.slice(-1)[0] ?? ''}`;
  return null;
}

const property = (method: MethodName, args: unknown) =>
  checkCall(method, args).then((problem) => {
    if (problem) throw new Error(`${problem}\nargs: ${safeJson(args)}`);
  });

function safeJson(value: unknown): string {
  try {
    return (JSON.stringify(value, (_k, v: unknown) => (typeof v === 'string' && v.length > 200 ? `${v.slice(0, 200)}…(${v.length} chars)` : typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)) ?? String(value)).slice(0, 2000);
  } catch {
    return String(value);
  }
}

const anyMethod = fc.constantFrom(...METHOD_NAMES);

// ---- Building blocks for malformed values -------------------------------------------------

/** An object whose own key is `__proto__` (as JSON.parse makes it), not a prototype change. */
const protoKeyed = (inner: unknown) => JSON.parse(`{"__proto__": ${JSON.stringify(inner)}, "constructor": {"prototype": {"polluted": true}}}`) as unknown;

const deepNest = fc.integer({ min: 50, max: 3000 }).map((depth) => {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i += 1) v = i % 2 ? [v] : { a: v };
  return v;
});

const weirdString = fc.oneof(
  fc.constant(''),
  fc.constant(' '),
  fc.constant('\uD800'),
  fc.constant('a\uDC00b'),
  fc.constant('\u0000'),
  fc.constant('../../etc/passwd'),
  fc.constant('C:\\Windows\\system32\\cmd.exe'),
  fc.constant('javascript:alert(1)'),
  fc.constant('<script>alert(1)</script>'),
  fc.constant('__proto__'),
  fc.constant('constructor'),
  fc.constant('"; DROP TABLE sources; --'),
  fc.constant('NEAR("a" "b") OR * ^ AND'),
  fc.integer({ min: 1, max: 300_000 }).map((n) => 'x'.repeat(n)),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)), maxLength: 5 }),
  fc.string({ maxLength: 40 }),
);

const weirdNumber = fc.oneof(
  fc.constantFrom(-1, -0, 0, 1, 0.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, 1e308, -1e308, 2 ** 31, 2 ** 53),
  fc.integer(),
  fc.double(),
);

const badValue: fc.Arbitrary<unknown> = fc.oneof(
  weirdString,
  weirdNumber,
  fc.constantFrom(null, true, false, [], {}, [[]], { length: 1e9 }),
  fc.jsonValue({ maxDepth: 3 }),
  deepNest,
  fc.jsonValue({ maxDepth: 2 }).map(protoKeyed),
);

// ---- Valid-shaped arguments from real ids --------------------------------------------------

const sourceId = () => fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...ids.sources) }, fc.constantFrom('missing-id', 'x'.repeat(100)));
const quoteId = () => fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...(ids.quotes.length ? ids.quotes : ['no-quote'])) }, fc.constant('missing-id'));
const memoId = () => fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...(ids.memos.length ? ids.memos : ['no-memo'])) }, fc.constant('missing-id'));
const backupName = () => fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...(ids.backups.length ? ids.backups : ['library-20200101T000000Z.sqlite'])) }, fc.constantFrom('../library.sqlite', 'library.sqlite', 'library-x.sqlite', '/etc/passwd', ''));
const revisionId = () => fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...(ids.revisions.length ? ids.revisions : ['no-revision'])) }, fc.constant('missing-id'));
const styleId = () => fc.oneof(fc.constantFrom(...ids.styles), fc.constantFrom('no-such-style', 'apa'));
const offset = fc.oneof(fc.nat({ max: 400 }), fc.nat());
/** A [start, end) range: mostly a short one near the start of a text (the seeded texts are short), sometimes any. */
const range = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(fc.nat({ max: 40 }), fc.integer({ min: 1, max: 25 })).map(([start, length]) => ({ start, end: start + length })) },
  { weight: 1, arbitrary: fc.record({ start: offset, end: offset }) },
);
const locale = fc.constantFrom('', 'en-US', 'de-DE', 'fr-FR', 'xx-XX', 'en');
const smallText = fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: 'grapheme', maxLength: 60 }), weirdString.filter((s) => s.length <= 500));
const tagId = () => fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...(ids.tags.length ? ids.tags : ['no-tag'])) }, fc.constant('missing-id'));
const projectId = () => fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...(ids.projects.length ? ids.projects : ['no-project'])) }, fc.constant('missing-id'));
const tagName = fc.oneof({ weight: 3, arbitrary: fc.constantFrom('Seed tag', 'seed TAG', 'Économie', 'economie', 'Third') }, smallText.filter((t) => t.length >= 1 && t.length <= 200));
const dateBound = fc.oneof(fc.constantFrom('2020-01-01', '2999-12-31', '2024-02-29'), fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()));
const quoteFilters = () =>
  fc.record({ sourceId: sourceId(), tagId: tagId(), projectId: projectId(), used: fc.boolean(), speaker: fc.oneof(fc.constantFrom('director', '', 'DIRECTOR'), smallText), addedFrom: dateBound, addedTo: dateBound }, { requiredKeys: [] });
/** Search text: words from the seeded library, hostile FTS5 syntax, and anything. */
const searchText = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('containers', 'contain', 'mayor bridge', '"the bridge"', 'Harbour', 'seed', 'doe') },
  fc.constantFrom('"', '""', '"unbalanced', '*', 'NEAR(a b)', 'a AND', 'OR', '-x', 'col:x', '(', ')', '^a', 'a"b', '\u0000'),
  smallText,
);
const listPage = { offset: fc.nat({ max: 20 }), limit: fc.integer({ min: 1, max: 5000 }) };
const idList = (id: () => fc.Arbitrary<string>) => fc.array(id(), { maxLength: 4 });
const label = fc.constantFrom('page', 'paragraph', 'chapter', 'section', 'line', 'note', 'figure', 'volume', 'verse');
const cite = () =>
  fc.record(
    { sourceId: sourceId(), quoteId: quoteId(), locator: fc.string({ maxLength: 20 }), label, prefix: fc.string({ maxLength: 20 }), suffix: fc.string({ maxLength: 20 }), suppressAuthor: fc.boolean(), groupWithPrevious: fc.boolean() },
    { requiredKeys: ['sourceId'] },
  );

const cslName = fc.oneof(fc.record({ family: smallText, given: smallText }, { requiredKeys: ['family'] }), fc.record({ literal: smallText }));
const cslDate = fc.oneof(
  fc.record({ 'date-parts': fc.array(fc.array(fc.integer({ min: -5000, max: 5000 }), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 2 }) }),
  fc.record({ 'date-parts': fc.array(fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 4 })), { maxLength: 3 }), { maxLength: 2 }), circa: fc.boolean(), season: fc.integer({ min: -1, max: 5 }) }),
  fc.record({ raw: smallText }),
  fc.record({ literal: smallText }),
);
/** CSL items of the shape the metadata form and bibliography files make. */
const cslValid = fc.record(
  {
    type: fc.constantFrom('article-journal', 'article-newspaper', 'webpage', 'book', 'legal_case', 'report'),
    title: smallText,
    author: fc.array(cslName, { maxLength: 3 }),
    'container-title': smallText,
    issued: fc.record({ 'date-parts': fc.tuple(fc.tuple(fc.integer({ min: 1, max: 2100 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }))) }),
    URL: fc.webUrl(),
    page: fc.string({ maxLength: 10 }),
    volume: fc.string({ maxLength: 10 }),
  },
  { requiredKeys: ['type'] },
);
/** CSL items with odd but possibly accepted values: unknown types, partial and strange dates, odd URLs, extra variables. */
const cslOdd = fc.record(
  {
    type: fc.constantFrom('article-journal', 'book', 'no-such-type', ''),
    title: smallText,
    author: fc.array(cslName, { maxLength: 3 }),
    issued: cslDate,
    accessed: cslDate,
    URL: fc.oneof(fc.webUrl(), fc.constantFrom('javascript:alert(1)', 'data:text/html,x', 'not a url')),
    DOI: smallText,
    volume: fc.oneof(smallText, fc.integer()),
    editor: fc.array(cslName, { maxLength: 2 }),
    note: fc.oneof(smallText, fc.jsonValue({ maxDepth: 2 })),
    language: fc.constantFrom('en', 'de-DE', 'xx', '', 'not a tag'),
    extra: fc.jsonValue({ maxDepth: 2 }),
  },
  { requiredKeys: ['type'] },
);
const csl = fc.oneof({ weight: 3, arbitrary: cslValid }, { weight: 1, arbitrary: cslOdd });

const textNode = fc.record({ type: fc.constant('text'), text: smallText, format: fc.nat({ max: 255 }), version: fc.constant(1) });
const memoContent = () =>
  fc
    .array(
      fc.oneof(
        fc.record({ type: fc.constant('paragraph'), version: fc.constant(1), children: fc.array(fc.oneof(textNode, fc.record({ type: fc.constant('citation'), version: fc.constant(1), sourceId: sourceId(), locator: fc.string({ maxLength: 10 }) })), { maxLength: 4 }) }),
        fc.record({ type: fc.constant('linked-quote'), version: fc.constant(2), quoteId: quoteId(), sourceId: sourceId(), snapshot: smallText, shortened: fc.oneof(fc.constant(null), smallText) }),
        fc.record({ type: fc.constant('heading'), tag: fc.constantFrom('h1', 'h2', 'h9'), version: fc.constant(1), children: fc.array(textNode, { maxLength: 2 }) }),
        fc.record({ type: fc.constant('paragraph'), version: fc.constant(1), children: fc.array(fc.record({ type: fc.constant('link'), url: fc.oneof(fc.webUrl(), fc.constant('javascript:alert(1)')), version: fc.constant(1), children: fc.array(textNode, { maxLength: 1 }) }), { maxLength: 2 }) }),
      ),
      { maxLength: 5 },
    )
    .map((children) => ({ root: { type: 'root', version: 1, children } }));

const fileName = fc.oneof(
  fc.constantFrom('a.html', 'a.htm', 'a.md', 'a.txt', 'a.mhtml', 'a.pdf', 'a.docx', 'a.epub', 'a.bib', 'a.ris', 'a.json', 'a.exe', '.html', 'C:\\tmp\\x.html', '../../x.txt', 'noext'),
  fc.string({ minLength: 1, maxLength: 30 }),
);
const fileBody = fc.oneof(
  fc.constantFrom(
    '<!doctype html><title>T</title><p>Hello “quoted” world.</p><script>alert(1)</script>',
    '# Heading\n\nText with <img src=x onerror=alert(1)>.',
    '%PDF-1.4\n',
    'PK\u0003\u0004garbage',
    'MIME-Version: 1.0\nContent-Type: multipart/related; boundary="b"\n\n--b\nContent-Type: text/html\n\n<p>x</p>\n--b--',
    '',
  ),
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
);
/** A file that imports: a page, Markdown or text with words in it. */
const goodUpload = fc.tuple(fc.constantFrom('a.html', 'a.md', 'a.txt'), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 80 })).map(([name, words]) => ({
  fileName: name,
  dataBase64: Buffer.from(name.endsWith('.html') ? `<!doctype html><title>Page</title><article><p>Words: ${words.replace(/[<&]/g, ' ')} and “a quotation,” she said.</p></article>` : `Title line\n\nWords: ${words} and more.`, 'utf8').toString('base64'),
}));
const anyUpload = fc.record({ fileName, dataBase64: fileBody.map((s) => Buffer.from(s, 'latin1').toString('base64')) });
const upload = fc.oneof({ weight: 2, arbitrary: goodUpload }, anyUpload);
const bibText = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('@article{k, title={T}, author={Doe, J.}, year={2020}}', 'TY  - JOUR\nTI  - Title\nAU  - Doe, Jane\nPY  - 2020\nER  - \n', '[{"id":"x","type":"book","title":"CSL"}]') },
  fc.constantFrom(
    '@article{k, title={T}, author={Doe, J.}, year={2020}}',
    '@book{k2, title={Book}, url={javascript:alert(1)}}',
    'TY  - JOUR\nTI  - Title\nAU  - Doe, Jane\nPY  - 2020\nER  - \n',
    '[{"id":"x","type":"book","title":"CSL"}]',
    '[{"id":"x","type":"book","title":{"__proto__":1}}]',
    '{"__proto__": {"polluted": true}}',
    '@comment{',
    '',
  ),
  fc.string({ maxLength: 200 }),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
);
const styleXml = fc.oneof(
  fc.constantFrom(
    '<?xml version="1.0"?><style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0"><info><title>Mini</title><id>mini</id></info><citation><layout><text variable="title"/></layout></citation></style>',
    '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]><style>&b;</style>',
    '<style',
    'not xml',
  ),
  fc.string({ minLength: 1, maxLength: 200 }),
);

/** Arguments of the right shape for each method, with real ids mixed with ones that name nothing. */
const validArgs: { [M in MethodName]: () => fc.Arbitrary<unknown> } = {
  'app.info': () => fc.constant({}),
  'library.backup': () => fc.constant({}),
  'library.backups': () => fc.constant({}),
  'library.restore': () => fc.record({ name: backupName() }),
  'memos.revisions': () => fc.record({ id: memoId() }),
  'memos.revision': () => fc.record({ id: revisionId() }),
  'memos.restoreRevision': () =>
    fc.oneof(
      // a real revision of that memo at its current revision number (stale once an earlier run restored or saved it)
      { weight: 2, arbitrary: fc.constantFrom(...(ids.restorable.length ? ids.restorable : [{ memoId: 'no-memo', revisionId: 'no-revision', baseRevision: 0 }])) },
      fc.record({ memoId: memoId(), revisionId: revisionId(), baseRevision: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(0, 1, 2) }, fc.nat({ max: 8 })) }),
    ),
  'sources.list': () => fc.record({ tagId: tagId(), projectId: projectId(), ...listPage }, { requiredKeys: [] }),
  'sources.page': () => fc.record({ tagId: tagId(), projectId: projectId(), ...listPage }, { requiredKeys: [] }),
  'sources.backlinks': () => fc.record({ id: sourceId() }),
  'sources.get': () => fc.record({ id: sourceId() }),
  'sources.import': () => upload,
  'sources.importText': () => fc.record({ text: smallText, title: smallText }, { requiredKeys: ['text'] }),
  'sources.importUrl': () => fc.record({ url: fc.oneof(fc.webUrl(), fc.constantFrom('example.org/offline', 'https://example.org/a.pdf', 'https://example.org/missing', 'file:///etc/passwd', 'javascript:alert(1)', 'http://127.0.0.1:1/', 'ftp://x', ' ')) }),
  'sources.reimport': () => fc.tuple(sourceId(), upload).map(([id, file]) => ({ id, ...file })),
  'sources.reread': () => fc.record({ id: sourceId() }),
  'sources.updateText': () => fc.record({ id: sourceId(), text: smallText }),
  'sources.suggestQuotes': () => fc.record({ id: sourceId() }),
  'sources.updateMetadata': () => fc.record({ id: sourceId(), csl, citationKey: fc.oneof(fc.stringMatching(/^[a-z][a-z0-9_:-]{0,20}$/), smallText) }, { requiredKeys: ['id', 'csl'] }),
  'sources.delete': () => fc.record({ id: sourceId() }),
  'sources.importBibliography': () => fc.record({ fileName: fc.constantFrom('a.bib', 'a.ris', 'a.json', 'a.txt', 'a.biblatex'), text: bibText, targetSourceId: sourceId() }, { requiredKeys: ['fileName', 'text'] }),
  'sources.exportBibliography': () => fc.record({ ids: fc.array(sourceId(), { minLength: 1, maxLength: 5 }), format: fc.constantFrom('csl-json', 'bibtex', 'biblatex', 'ris') }),
  'quotes.create': () => fc.tuple(fc.record({ sourceId: sourceId(), speaker: smallText, note: smallText }, { requiredKeys: ['sourceId'] }), range).map(([rest, r]) => ({ ...rest, ...r })),
  'quotes.list': () => fc.record({ sourceId: sourceId(), query: smallText, ids: fc.array(quoteId(), { maxLength: 4 }), limit: fc.integer({ min: 1, max: 5000 }) }, { requiredKeys: [] }),
  'quotes.page': () =>
    fc
      .tuple(quoteFilters(), fc.record({ query: fc.oneof(smallText, searchText), sort: fc.constantFrom('source-order', 'added', 'speaker'), ...listPage }, { requiredKeys: [] }))
      .map(([filters, rest]) => ({ ...filters, ...rest })),
  'quotes.backlinks': () => fc.record({ id: quoteId() }),
  'search.query': () => fc.record({ q: searchText, kinds: fc.subarray(['quote', 'source', 'memo'] as const, { minLength: 1 }), filters: quoteFilters(), limit: fc.integer({ min: 1, max: 200 }) }, { requiredKeys: ['q'] }),
  'tags.list': () => fc.constant({}),
  'tags.add': () => fc.record({ name: tagName, quoteIds: idList(quoteId), sourceIds: idList(sourceId) }, { requiredKeys: ['name'] }),
  'tags.remove': () => fc.record({ tagId: tagId(), quoteIds: idList(quoteId), sourceIds: idList(sourceId) }, { requiredKeys: ['tagId'] }),
  'tags.rename': () => fc.record({ id: tagId(), name: tagName, merge: fc.boolean() }, { requiredKeys: ['id', 'name'] }),
  'tags.merge': () => fc.record({ fromIds: fc.array(tagId(), { minLength: 1, maxLength: 3 }), intoId: tagId() }),
  'tags.delete': () => fc.record({ id: tagId() }),
  'projects.list': () => fc.constant({}),
  'projects.create': () => fc.record({ name: tagName }),
  'projects.rename': () => fc.record({ id: projectId(), name: tagName }),
  'projects.delete': () => fc.record({ id: projectId() }),
  'projects.addItems': () => fc.record({ id: projectId(), sourceIds: idList(sourceId), quoteIds: idList(quoteId), memoIds: idList(memoId) }, { requiredKeys: ['id'] }),
  'projects.removeItems': () => fc.record({ id: projectId(), sourceIds: idList(sourceId), quoteIds: idList(quoteId), memoIds: idList(memoId) }, { requiredKeys: ['id'] }),
  'quotes.update': () => fc.record({ id: quoteId(), speaker: smallText, note: smallText, locator: fc.string({ maxLength: 100 }), locatorLabel: label }, { requiredKeys: ['id'] }),
  'quotes.delete': () => fc.record({ id: quoteId(), force: fc.boolean() }, { requiredKeys: ['id'] }),
  'quotes.cite': () => fc.record({ id: quoteId(), styleId: styleId(), locale }, { requiredKeys: ['id'] }),
  'quotes.reanchor': () => fc.tuple(quoteId(), range).map(([id, r]) => ({ id, ...r })),
  'memos.list': () => fc.record({ projectId: projectId(), ...listPage }, { requiredKeys: [] }),
  'memos.page': () => fc.record({ projectId: projectId(), ...listPage }, { requiredKeys: [] }),
  'memos.create': () => fc.record({ title: smallText }, { requiredKeys: [] }),
  'memos.get': () => fc.record({ id: memoId() }),
  'memos.save': () => fc.record({ id: memoId(), title: smallText, content: memoContent(), baseRevision: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(0, 1) }, fc.nat({ max: 5 })) }),
  'memos.updateSettings': () => fc.record({ id: memoId(), citationStyle: styleId(), locale, notePlacement: fc.constantFrom('footnotes', 'endnotes') }, { requiredKeys: ['id'] }),
  'memos.delete': () => fc.record({ id: memoId() }),
  'citations.render': () => fc.record({ styleId: styleId(), locale, cites: fc.array(cite(), { maxLength: 6 }) }, { requiredKeys: ['cites'] }),
  'styles.list': () => fc.constant({}),
  'styles.add': () => fc.record({ fileName: fc.constantFrom('mini.csl', 'x.xml', '../evil.csl'), xml: styleXml }),
  'styles.remove': () => fc.record({ id: styleId() }),
  'memos.exportPdf': () => fc.record({ id: memoId() }),
  'host.saveFile': () => fc.record({ suggestedName: fc.oneof(fc.constantFrom('memo.pdf', 'refs.bib', '../../x.json', 'CON.pdf', 'a\u202eb.pdf'), fc.string({ minLength: 1, maxLength: 60 })), dataBase64: fc.constantFrom('', 'JVBERi0=', 'QUFB') }),
};

/** A valid argument object broken in one or more ways: keys replaced by bad values, dropped, added. */
function malformed(method: MethodName): fc.Arbitrary<unknown> {
  return fc
    .tuple(validArgs[method](), fc.array(fc.tuple(fc.constantFrom('replace', 'drop', 'add', 'proto'), fc.nat(), badValue), { minLength: 1, maxLength: 3 }))
    .map(([base, edits]) => {
      if (base === null || typeof base !== 'object') return base;
      const args: Record<string, unknown> = { ...(base as Record<string, unknown>) };
      for (const [kind, pick, value] of edits) {
        const keys = Object.keys(args);
        const key = keys.length ? keys[pick % keys.length]! : 'id';
        if (kind === 'replace') args[key] = value;
        else if (kind === 'drop') delete args[key];
        else if (kind === 'add') args[`extra${pick % 3}`] = value;
        else Object.defineProperty(args, pick % 2 ? '__proto__' : 'constructor', { value, enumerable: true, configurable: true, writable: true });
      }
      return args;
    });
}

describe('contract fuzzing', () => {
  it('answers arbitrary JSON with a typed error or a valid result, for every method', async () => {
    await fc.assert(
      fc.asyncProperty(anyMethod, fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.constantFrom(undefined, null, NaN, '', [], {})), (method, args) => property(method, args)),
      { numRuns: 1000 },
    );
  }, 120_000);

  it('answers malformed variants of valid arguments with a typed error or a valid result', async () => {
    await refreshIds();
    await fc.assert(
      fc.asyncProperty(anyMethod.chain((method) => fc.tuple(fc.constant(method), malformed(method))), ([method, args]) => property(method, args)),
      { numRuns: 1000 },
    );
  }, 120_000);

  it('answers valid-shaped arguments built from the library’s real ids', async () => {
    for (const method of METHOD_NAMES) {
      await refreshIds();
      if (ids.sources.length < 3 || ids.quotes.length < 2 || ids.memos.length < 1 || ids.projects.length < 1) await seed(); // earlier methods (deletes, a restore) may have emptied the library
      await refreshIds();
      await fc.assert(
        fc.asyncProperty(validArgs[method](), (args) => property(method, args)),
        { numRuns: method === 'quotes.cite' ? 15 : method === 'memos.exportPdf' || method === 'citations.render' ? 20 : 40 },
      );
    }
    if (process.env.FUZZ_STATS) console.log([...outcomes].sort().map(([k, n]) => `${k}: ${n}`).join('\n'));
    // The generators reach past validation: every method succeeded at least once.
    const neverOk = METHOD_NAMES.filter((m) => !outcomes.has(`${m} ok`));
    expect(neverOk, `methods that never answered ok; outcomes:\n${[...outcomes].sort().map(([k, n]) => `${k}: ${n}`).join('\n')}`).toEqual([]);
    // Nothing failed quietly either: the services logged no error they turned into a gap.
    expect(logged).toEqual([]);
  }, 180_000);

  it('answers interleaved calls (several at once, on the same ids) with a typed error or a valid result', async () => {
    await refreshIds();
    if (ids.sources.length < 3 || ids.quotes.length < 2 || ids.memos.length < 1 || ids.projects.length < 1) await seed(); // earlier methods (deletes, a restore) may have emptied the library
    await refreshIds();
    // Imports, exports and citation rendering are covered above; here the writers race each other.
    const racing: MethodName[] = ['sources.delete', 'sources.updateText', 'sources.updateMetadata', 'sources.importText', 'sources.suggestQuotes', 'sources.get', 'quotes.create', 'quotes.update', 'quotes.delete', 'quotes.reanchor', 'quotes.list', 'memos.create', 'memos.save', 'memos.delete', 'memos.updateSettings', 'memos.get'];
    const call = fc.constantFrom(...racing).chain((method) => fc.tuple(fc.constant(method), validArgs[method]()));
    await fc.assert(
      fc.asyncProperty(fc.array(call, { minLength: 2, maxLength: 8 }), async (calls) => {
        await Promise.all(calls.map(([method, args]) => property(method, args)));
      }),
      { numRuns: 60 },
    );
    expect(logged).toEqual([]);
  }, 120_000);

  it('leaves a database that passes integrity_check and foreign_key_check, and keeps serving', async () => {
    // The services still answer: the library is listed and a source reads back whole.
    const listed = await services.dispatch('sources.list', {});
    expect(listed.ok).toBe(true);
    const info = await services.dispatch('app.info', {});
    expect(info).toMatchObject({ ok: true, value: { version: '0.0.0-fuzz', host: 'web' } });
    const created = await services.dispatch('sources.importText', { text: 'After the storm\n\nStill serving.' });
    expect(created).toMatchObject({ ok: true, value: { title: 'After the storm' } });
    // No call reached the network or Chromium other than through the stubs.
    for (const url of fetched) expect(url, 'only http(s) addresses are fetched').toMatch(/^https?:\/\//);

    const file = services.dataFile;
    await services.close();
    const db = new sqlite3.Database(file, sqlite3.OPEN_READWRITE);
    const all = (sql: string) => new Promise<Record<string, unknown>[]>((resolve, reject) => db.all(sql, (err: Error | null, rows: Record<string, unknown>[]) => (err ? reject(err) : resolve(rows))));
    try {
      expect(await all('PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
      expect(await all('PRAGMA foreign_key_check')).toEqual([]);
      // The full-text index agrees with its content table (FTS5's own check raises on a mismatch).
      const tables = (await all("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%USING fts5%'")).map((r) => String(r.name));
      expect(tables.length, 'the library has full-text indexes').toBeGreaterThan(0);
      for (const t of tables) await all(`INSERT INTO ${t}(${t}) VALUES ('integrity-check')`);
    } finally {
      await new Promise<void>((resolve) => db.close(() => resolve()));
    }
    // Reopen for afterAll (and to prove the file still opens).
    services = await openServices({ host: 'web', dataDir, resourcesDir: RESOURCES_DIR, version: '0.0.0-fuzz', printPdf: async () => new Uint8Array([37]), warmCitations: false, logError: () => undefined });
    expect((await services.dispatch('sources.list', {})).ok).toBe(true);
  }, 60_000);
});
