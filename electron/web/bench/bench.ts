/**
 * `npm run bench`: Verbatim's performance benchmark (issue 6). A script, not a test: it
 * prints a table and writes JSON to bench-results/ (`bench-<time>.json` and `latest.json`).
 *
 * On the library from generate.ts (5,000 sources, 100,000 quotes, 1,000 memos; generated
 * once and cached), each measurement stands beside a baseline measured in the same run,
 * with their ratio, and is checked against the issue's target:
 *   a. search: p50/p95 of 200 queries through the contract over HTTP vs the same FTS5 SQL
 *      run directly with sqlite3 on the same file (target p95 < 30 ms and ≤ 2× raw);
 *   b. startup: web host start (opening the library) to the library rendered in Chromium
 *      vs the same with a new library holding only the sample (target < 1.5 s);
 *   c. memo open: the 500-linked-quote memo vs the same blocks as plain paragraphs (≤ 1.5×);
 *   d. typing: key-press to the frame after it (requestAnimationFrame, then a task: the
 *      paint has happened) in the 500-quote memo vs the plain one (p95 < 16 ms);
 *   e. PDF export of the 20-page memo through the contract vs printing the same HTML with
 *      Chromium's page.pdf directly (≤ 1.3×);
 *   f. import of a 1 MB HTML article through the contract vs parsing the same bytes with
 *      jsdom alone (the importer's own first step; no target);
 *   and the renderer's JS heap (CDP Performance.getMetrics JSHeapUsedSize) with that
 *   library (< 400 MB).
 * Times are wall-clock milliseconds (performance.now) on this machine; medians of
 * repeated runs where a measurement is repeated.
 *
 * The web host runs in this process (openServices + startWebHost, as `cli.ts serve` does,
 * with the start-up backup off so no 140 MB copy runs mid-measurement); Chromium is
 * /usr/bin/chromium (or VERBATIM_CHROMIUM) through playwright-core. Needs the renderer
 * built (`npm run build`; the npm script runs it first).
 *
 * Flags: `--reps N` repetitions for startup, memo open, PDF and import (default 3);
 * `--keys N` key presses per memo for typing (default 60);
 * `--only a,c,…` runs only those measurements (letters as above; `m` is memory, which
 * comes with c and d).
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { JSDOM } from 'jsdom';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import sqlite3 from 'sqlite3';
import { LIBRARY_FILE_NAME, openServices, type Services } from '../../services/services';
import type { Database, SqlValue } from '../../services/db';
import { searchLibrary } from '../../services/search';
import { LibraryStore } from '../../services/store';
import { CHROMIUM_ARGS, ChromiumPdfPrinter, findChromium } from '../pdf';
import { startWebHost, type WebHost } from '../server';
import { DIACRITIC_WORDS, ensureLibrary, openForGeneration, prng, RESULTS_DIR, ROOT, WORDS, type BenchLibrary } from './generate';
import { printOnPage } from '../pdf';

/** The flags the issue names for Chromium (CHROMIUM_ARGS adds --disable-dev-shm-usage, as the app's printer uses). */
const BROWSER_ARGS = [...new Set(['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', ...CHROMIUM_ARGS])];

/** Hits per kind a timed search gets: `search.query`'s default limit (search.ts), as the app's search box asks. */
export const SEARCH_LIMIT = 20;

/** A page of the quote list as the renderer asks for it with a search filter (App.tsx `PAGE`, `quotes.page`), timed on {@link QUOTE_PAGE_QUERIES} queries. */
export const QUOTE_PAGE_LIMIT = 200;
const QUOTE_PAGE_QUERIES = 10;

/** One row of the result table. */
export interface BenchRow {
  name: string;
  /** The measured value (ms, or MB for memory). */
  value: number;
  unit: 'ms' | 'MB';
  baseline: number | null;
  baselineName: string;
  /** value / baseline. */
  ratio: number | null;
  /** The issue's target in words, or '' when there is none. */
  target: string;
  /** null when the row has no target. */
  met: boolean | null;
  /** Extra numbers (counts, p50s, samples) for the JSON. */
  detail?: Record<string, unknown>;
}

function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new Error('quantile of no values');
  const sorted = [...values].sort((a, b) => a - b);
  // Nearest rank (https://en.wikipedia.org/wiki/Percentile#The_nearest-rank_method).
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}
const median = (values: readonly number[]) => quantile(values, 0.5);

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} takes a whole number of at least 1, not ${JSON.stringify(process.argv[i + 1])}.`);
  return value;
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** A printer that remembers the last HTML it was given, so the baseline can print the very same document. */
class CapturingPrinter {
  readonly inner = new ChromiumPdfPrinter();
  last: { html: string; paged: boolean; lang?: string } | null = null;
  print(html: string, options: { paged?: boolean; lang?: string } = {}): Promise<Uint8Array> {
    this.last = { html, paged: options.paged ?? false, lang: options.lang };
    return this.inner.print(html, options);
  }
}

/** The app on one library folder: services and web host in this process, as `cli.ts serve` starts them. */
interface App {
  services: Services;
  host: WebHost;
  close(): Promise<void>;
}

/** Errors the services logged (internal failures of contract calls), for the JSON report. */
const serverErrors: string[] = [];

async function startApp(dataDir: string, printer: CapturingPrinter): Promise<App> {
  const services = await openServices({
    host: 'web',
    dataDir,
    resourcesDir: path.join(ROOT, 'electron', 'resources'),
    version: 'bench',
    printPdf: (html, options) => printer.print(html, options),
    warmCitations: true,
    startupBackupDelayMs: false,
    // One line per failure instead of a stack trace in the table's way; all of them go into the JSON.
    logError: (message, error) => {
      const line = `${message}: ${error instanceof Error ? error.message : String(error)}`;
      if (!serverErrors.includes(line)) log(`  (web host: ${line})`);
      serverErrors.push(line);
    },
  });
  const host = await startWebHost({ services, staticDir: path.join(ROOT, 'out', 'renderer'), port: 0 });
  return {
    services,
    host,
    close: async () => {
      await host.close();
      await services.close();
    },
  };
}

/** Call a contract method over HTTP as a script would (Bearer token); returns the value. @throws Error with the method's error. */
async function api<T>(host: WebHost, method: string, args: unknown): Promise<T> {
  const response = await fetch(`${host.origin}/api/${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${host.token}` }, body: JSON.stringify(args) });
  if (response.status !== 200) throw new Error(`${method}: HTTP ${response.status} ${await response.text()}`);
  const result = (await response.json()) as { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
  if (!result.ok) throw new Error(`${method}: ${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** What "the library is rendered" means: sources listed, the first source's text in the reader, and (when the library has quotes) quote cards. */
function libraryRendered(quotesExpected: boolean): boolean {
  const sources = document.querySelectorAll('[aria-label="Sources"] .list-item').length;
  const reader = document.querySelector('[data-testid="reader-text"]');
  const cards = document.querySelectorAll('.quote-card').length;
  return sources > 0 && !!reader && (reader.textContent ?? '').length > 0 && (!quotesExpected || cards > 0);
}

/** What "the memo is open" means: its title, all its blocks in the editor (at least as many elements as the memo has top-level nodes), every linked quote with its citation (not the pending "…"). */
function memoRendered(want: { title: string; blocks: number; quotes: number }): string | false {
  // The app said it cannot render the citations: the memo will not finish; report that instead of waiting.
  const alert = [...document.querySelectorAll('[role="alert"]')].map((a) => a.textContent ?? '').find((t) => t.includes('could not be rendered'));
  if (alert) return `failed: ${alert}`;
  const title = document.querySelector<HTMLInputElement>('input[aria-label="Memo title"]');
  const editor = document.querySelector('[data-testid="memo-editor"]');
  if (!title || !editor || title.value !== want.title || editor.children.length < want.blocks) return false; // the editor may add a trailing empty paragraph
  const quotes = editor.querySelectorAll('[data-testid="linked-quote"]');
  if (quotes.length !== want.quotes) return false;
  for (const q of quotes) {
    const citation = q.querySelector('.linked-quote-citation');
    if (!citation || citation.classList.contains('pending')) return false;
  }
  return 'done';
}

async function newPage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => log(`  (page error: ${error.message})`));
  return { context, page };
}

/** The renderer's JS heap in MB (CDP Performance.getMetrics JSHeapUsedSize). */
async function heapMb(context: BrowserContext, page: Page): Promise<number> {
  const cdp = await context.newCDPSession(page);
  try {
    await cdp.send('Performance.enable');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const used = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value;
    if (used === undefined) throw new Error('CDP Performance.getMetrics gave no JSHeapUsedSize.');
    return used / 1024 / 1024;
  } finally {
    await cdp.detach();
  }
}

// ---------------------------------------------------------------- b. startup

async function measureStartup(browser: Browser, printer: CapturingPrinter, bigDir: string, reps: number): Promise<{ row: BenchRow; servicesOpenMs: number[] }> {
  // The baseline library: a new one (migrated and seeded with the sample) made before timing.
  const emptyDir = mkdtempSync(path.join(os.tmpdir(), 'verbatim-bench-empty-'));
  await (await openForGeneration(emptyDir)).close();
  const once = async (dir: string, quotesExpected: boolean) => {
    const started = performance.now();
    const app = await startApp(dir, printer);
    const opened = performance.now() - started;
    const { context, page } = await newPage(browser);
    try {
      await page.goto(app.host.url);
      await page.waitForFunction(libraryRendered, quotesExpected, { polling: 'raf', timeout: 120_000 });
      return { total: performance.now() - started, opened };
    } finally {
      await context.close();
      await app.close();
    }
  };
  const big: number[] = [];
  const empty: number[] = [];
  const servicesOpenMs: number[] = [];
  for (let i = 0; i < reps; i += 1) {
    empty.push((await once(emptyDir, false)).total);
    const b = await once(bigDir, true);
    big.push(b.total);
    servicesOpenMs.push(b.opened);
    log(`  startup ${i + 1}/${reps}: library ${b.total.toFixed(0)} ms, sample-only ${empty[empty.length - 1]!.toFixed(0)} ms`);
  }
  rmSync(emptyDir, { recursive: true, force: true });
  const value = median(big);
  const baseline = median(empty);
  return {
    row: { name: 'b. startup: host start → library rendered', value, unit: 'ms', baseline, baselineName: 'same, new library (sample only)', ratio: value / baseline, target: '< 1500 ms', met: value < 1500, detail: { runs: big, baselineRuns: empty, servicesOpenMs } },
    servicesOpenMs,
  };
}

// ---------------------------------------------------------------- a. search

/** The 200 search queries: 60 words, 20 two-word queries, 50 prefixes, 40 "phrases", 30 with or without diacritics. */
export function searchQueries(phrases: readonly string[]): string[] {
  const rand = prng(7);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const content = WORDS.filter((w) => w.length >= 4);
  const out: string[] = [];
  for (let i = 0; i < 60; i += 1) out.push(pick(content));
  for (let i = 0; i < 20; i += 1) out.push(`${pick(content)} ${pick(content)}`);
  for (let i = 0; i < 50; i += 1) {
    const w = pick(content.filter((x) => x.length >= 6));
    out.push(w.slice(0, 3 + (i % 2)));
  }
  if (phrases.length < 40) throw new Error(`The library description has ${phrases.length} phrases; 40 are needed.`);
  for (let i = 0; i < 40; i += 1) out.push(`"${phrases[i]}"`);
  const folded = ['cafe', 'zurich', 'krakow', 'godel', 'malmo', 'bogota', 'lodz', 'reykjavik', 'besancon', 'naive'];
  out.push(...DIACRITIC_WORDS, ...folded);
  if (out.length !== 200) throw new Error(`searchQueries made ${out.length} queries, not 200.`);
  return out;
}

/** The kinds the app's search box asks `search.query` for (all three). */
const SEARCH_KINDS = ['quote', 'source', 'memo'] as const;

/**
 * One search through the contract over HTTP, as the app's search box asks it:
 * `search.query { q, kinds: quote+source+memo }` with the default limit (20 hits per kind).
 * Returns how many hits came back (all kinds).
 */
async function searchThroughContract(host: WebHost, query: string): Promise<{ count: number; error: string | null }> {
  try {
    const hits = await api<{ quotes: unknown[]; sources: unknown[]; memos: unknown[] }>(host, 'search.query', { q: query, kinds: SEARCH_KINDS });
    return { count: hits.quotes.length + hits.sources.length + hits.memos.length, error: null };
  } catch (error) {
    // A failed search is timed and counted as it is (the user waited for it too), and reported.
    return { count: -1, error: error instanceof Error ? error.message : String(error) };
  }
}

/** One SQL statement and its parameters, as the store ran it. */
type Statement = { sql: string; params: readonly SqlValue[]; rows: 'all' | 'get' };

/**
 * The statements the store runs for `work`: it is given a recording stand-in for the
 * library database that answers from `db` (read-only), so a raw baseline replays exactly
 * the store's SQL, never a copy of it.
 */
async function recordStatements(db: sqlite3.Database, work: (recorder: Database) => Promise<unknown>): Promise<Statement[]> {
  const statements: Statement[] = [];
  const recorder = {
    all: (sql: string, params: readonly SqlValue[] = []) => {
      statements.push({ sql, params, rows: 'all' });
      return runRaw(db, { sql, params, rows: 'all' });
    },
    get: async (sql: string, params: readonly SqlValue[] = []) => {
      statements.push({ sql, params, rows: 'get' });
      return (await runRaw(db, { sql, params, rows: 'get' }))[0];
    },
  };
  await work(recorder as unknown as Database);
  return statements;
}

/** What `search.query { q, kinds: all }` runs (searchLibrary in search.ts: three SELECTs with bm25 and snippets, three counts). */
function searchStatements(db: sqlite3.Database, query: string): Promise<Statement[]> {
  return recordStatements(db, (recorder) => searchLibrary(recorder, { q: query, kinds: SEARCH_KINDS }));
}

/** What `quotes.page { query, limit }` runs in the store (LibraryStore.listQuotes and countQuotes), without its citations. */
function quotePageStatements(db: sqlite3.Database, query: string, limit: number): Promise<Statement[]> {
  return recordStatements(db, async (recorder) => {
    const store = new LibraryStore(recorder);
    await Promise.all([store.listQuotes({ query, limit }), store.countQuotes({ query })]);
  });
}

function runRaw(db: sqlite3.Database, statement: Statement): Promise<unknown[]> {
  return new Promise((resolve, reject) => db.all(statement.sql, [...statement.params], (err: Error | null, rows: unknown[]) => (err ? reject(err) : resolve(rows))));
}

/** Run recorded statements straight through sqlite3, one after another as the store does; returns how many rows the `all` statements gave (the hits). */
async function rawSearch(db: sqlite3.Database, statements: readonly Statement[]): Promise<number> {
  let hits = 0;
  for (const statement of statements) {
    const rows = await runRaw(db, statement);
    if (statement.rows === 'all') hits += rows.length;
  }
  return hits;
}

async function measureSearch(host: WebHost, file: string, library: BenchLibrary): Promise<BenchRow[]> {
  const queries = searchQueries(library.phrases);
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const d: sqlite3.Database = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (err) => (err ? reject(err) : resolve(d)));
  });
  try {
    // Record the store's SQL for every query, and warm both paths (page cache) with a first pass that is not timed.
    const statements = new Map<string, Statement[]>();
    for (const q of queries) statements.set(q, await searchStatements(db, q));
    for (const q of queries.slice(0, 40)) {
      await rawSearch(db, statements.get(q)!);
      await searchThroughContract(host, q);
    }
    const viaHttp: number[] = [];
    const raw: number[] = [];
    const mismatches: string[] = [];
    const failures: string[] = [];
    let results = 0;
    for (const [i, q] of queries.entries()) {
      // Interleaved, so load from the other engineers on the machine falls on both alike.
      let t = performance.now();
      const n = await rawSearch(db, statements.get(q)!);
      raw.push(performance.now() - t);
      t = performance.now();
      const m = await searchThroughContract(host, q);
      viaHttp.push(performance.now() - t);
      if (m.error) failures.push(`${q}: ${m.error}`);
      else {
        results += m.count;
        if (m.count !== n) mismatches.push(`${q}: contract ${m.count}, SQL ${n}`);
      }
      if ((i + 1) % 50 === 0) log(`  search ${i + 1}/${queries.length}`);
    }
    if (mismatches.length) log(`  search: hit counts differ for ${mismatches.length} queries, e.g. ${mismatches.slice(0, 3).join('; ')}`);
    if (failures.length) log(`  search: ${failures.length} of ${queries.length} searches FAILED, e.g. ${failures.slice(0, 2).join('; ')}`);
    // The quote list filtered by a search: one page as the renderer asks (quotes.page, with a citation per row).
    const pageMs: number[] = [];
    const pageRaw: number[] = [];
    const pageFailures: string[] = [];
    for (const q of queries.slice(0, QUOTE_PAGE_QUERIES)) {
      const pageStatements = await quotePageStatements(db, q, QUOTE_PAGE_LIMIT);
      let t = performance.now();
      await rawSearch(db, pageStatements);
      pageRaw.push(performance.now() - t);
      t = performance.now();
      try {
        await api(host, 'quotes.page', { query: q, limit: QUOTE_PAGE_LIMIT });
      } catch (error) {
        pageFailures.push(`${q}: ${error instanceof Error ? error.message : String(error)}`);
      }
      pageMs.push(performance.now() - t);
    }
    if (pageFailures.length) log(`  quote list: ${pageFailures.length} of ${QUOTE_PAGE_QUERIES} pages FAILED, e.g. ${pageFailures.slice(0, 2).join('; ')}`);
    const p95 = quantile(viaHttp, 0.95);
    const rawP95 = quantile(raw, 0.95);
    const p50 = median(viaHttp);
    const rawP50 = median(raw);
    const method = 'search.query { q, kinds: quote+source+memo } (default limit)';
    const detail = { queries: queries.length, limitPerKind: SEARCH_LIMIT, meanHits: results / Math.max(1, queries.length - failures.length), mismatches, failures, method };
    const failed = failures.length ? ` (${failures.length} of ${queries.length} FAILED)` : '';
    const baselineName = 'the store’s FTS5 SQL, sqlite3 direct';
    return [
      { name: `a. search p50 (200 queries, search.query, ${SEARCH_LIMIT} hits per kind, HTTP)${failed}`, value: p50, unit: 'ms', baseline: rawP50, baselineName, ratio: p50 / rawP50, target: '', met: null, detail },
      { name: `a. search p95 (200 queries, search.query, ${SEARCH_LIMIT} hits per kind, HTTP)${failed}`, value: p95, unit: 'ms', baseline: rawP95, baselineName, ratio: p95 / rawP95, target: '< 30 ms and ≤ 2× raw', met: p95 < 30 && p95 / rawP95 <= 2 && failures.length === 0, detail: { samplesMs: viaHttp, rawSamplesMs: raw } },
      {
        name: `a. quote list filtered by a search: quotes.page, ${QUOTE_PAGE_LIMIT} rows with citations (p50 of ${QUOTE_PAGE_QUERIES} queries)${pageFailures.length ? ` (${pageFailures.length} FAILED)` : ''}`,
        value: median(pageMs),
        unit: 'ms',
        baseline: median(pageRaw),
        baselineName: 'the store’s SQL (page + count), sqlite3 direct',
        ratio: median(pageMs) / median(pageRaw),
        target: '',
        met: null,
        detail: { queries: queries.slice(0, QUOTE_PAGE_QUERIES), samplesMs: pageMs, rawSamplesMs: pageRaw, failures: pageFailures },
      },
    ];
  } finally {
    await new Promise<void>((resolve) => db.close(() => resolve()));
  }
}

// ---------------------------------------------------------------- c. memo open, d. typing

/** Failures seen while opening memos (the app's own alert text), reported with the memo-open row. */
const memoFailures: string[] = [];

/** Open a memo from the list and wait until it is rendered; returns the milliseconds from the click. A memo whose citations fail counts as open when the app says so (the failure is kept in {@link memoFailures}). */
async function openMemo(page: Page, title: string, want: { title: string; blocks: number; quotes: number }): Promise<number> {
  const item = page.locator('.memo-list .list-item', { hasText: title }).first();
  await item.scrollIntoViewIfNeeded();
  const started = performance.now();
  await item.click();
  try {
    const outcome = await (await page.waitForFunction(memoRendered, want, { polling: 'raf', timeout: 60_000 })).jsonValue();
    if (typeof outcome === 'string' && outcome.startsWith('failed')) {
      memoFailures.push(`${title}: ${outcome.replace(/×$/, '')}`);
      // Dismiss the alert so the next open is judged on its own.
      await page.evaluate(() => document.querySelectorAll<HTMLButtonElement>('[role="alert"] button').forEach((b) => b.click()));
    }
  } catch (error) {
    const seen = await page.evaluate(() => {
      const editor = document.querySelector('[data-testid="memo-editor"]');
      return {
        title: document.querySelector<HTMLInputElement>('input[aria-label="Memo title"]')?.value ?? null,
        blocks: editor?.children.length ?? null,
        quotes: editor?.querySelectorAll('[data-testid="linked-quote"]').length ?? null,
        pending: editor?.querySelectorAll('.linked-quote-citation.pending').length ?? null,
        alerts: [...document.querySelectorAll('[role="alert"]')].map((a) => a.textContent),
      };
    });
    throw new Error(`Memo “${title}” did not finish opening: wanted ${JSON.stringify(want)}, the page shows ${JSON.stringify(seen)}. (${(error as Error).message})`);
  }
  return performance.now() - started;
}

async function measureMemoOpen(page: Page, library: BenchLibrary, neutral: { title: string; blocks: number; quotes: number }, reps: number): Promise<BenchRow> {
  const quoteWant = { title: library.quoteMemo.title, blocks: library.quoteMemo.blocks, quotes: library.quoteMemo.linkedQuotes };
  const plainWant = { title: library.plainMemo.title, blocks: library.plainMemo.blocks, quotes: 0 };
  // One untimed open of each, so code paths are compiled and the citation engine is warm.
  await openMemo(page, quoteWant.title, quoteWant);
  await openMemo(page, plainWant.title, plainWant);
  const withQuotes: number[] = [];
  const plain: number[] = [];
  for (let i = 0; i < reps; i += 1) {
    // From the same small memo each time, so unmounting the previous memo costs the same.
    await openMemo(page, neutral.title, neutral);
    withQuotes.push(await openMemo(page, quoteWant.title, quoteWant));
    await openMemo(page, neutral.title, neutral);
    plain.push(await openMemo(page, plainWant.title, plainWant));
    log(`  memo open ${i + 1}/${reps}: 500 quotes ${withQuotes[i]!.toFixed(0)} ms, plain ${plain[i]!.toFixed(0)} ms`);
  }
  const value = median(withQuotes);
  const baseline = median(plain);
  const failures = [...new Set(memoFailures)];
  if (failures.length) log(`  memo open: FAILED: ${failures.join('; ')}`);
  const failed = failures.length ? ' (citations FAILED: the app showed an error)' : '';
  return { name: `c. memo open: 500 linked quotes${failed}`, value, unit: 'ms', baseline, baselineName: 'same blocks as plain paragraphs', ratio: value / baseline, target: '≤ 1.5× plain', met: value / baseline <= 1.5 && failures.length === 0, detail: { runs: withQuotes, baselineRuns: plain, failures } };
}

/** In the page: record, for every keydown, the time from the event to a task queued from the next animation frame (after that frame's paint). */
function installKeyLatency(): void {
  const w = window as unknown as { __keyLatency: number[] };
  w.__keyLatency = [];
  document.addEventListener(
    'keydown',
    (event) => {
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => w.__keyLatency.push(performance.now() - event.timeStamp);
        channel.port2.postMessage(null);
      });
    },
    { capture: true },
  );
}

/** Type `keys` characters at the end of `paragraphText` in the open memo, one at a time; returns each key's latency (ms). */
async function typeIn(page: Page, paragraphText: string, keys: number): Promise<number[]> {
  const paragraph = page.locator('[data-testid="memo-editor"] > p', { hasText: paragraphText }).first();
  await paragraph.scrollIntoViewIfNeeded();
  await paragraph.click();
  await page.keyboard.press('End');
  await page.evaluate(installKeyLatency);
  const sentence = ' and the committee noted that the harbour reform was delayed again';
  for (let i = 0; i < keys; i += 1) {
    await page.keyboard.press(sentence[i % sentence.length] === ' ' ? 'Space' : sentence[i % sentence.length]!);
    await page.waitForFunction((n) => (window as unknown as { __keyLatency: number[] }).__keyLatency.length >= n, i + 1, { polling: 'raf' });
  }
  const samples = await page.evaluate(() => (window as unknown as { __keyLatency: number[] }).__keyLatency);
  // Typing starts saves: let the last one finish before the memo is left.
  await page.waitForFunction(() => document.querySelector('[data-testid="save-status"]')?.textContent === 'Saved', undefined, { timeout: 60_000 });
  return samples;
}

async function measureTyping(page: Page, library: BenchLibrary, neutral: { title: string; blocks: number; quotes: number }, keys: number): Promise<BenchRow> {
  const quoteWant = { title: library.quoteMemo.title, blocks: library.quoteMemo.blocks, quotes: library.quoteMemo.linkedQuotes };
  const plainWant = { title: library.plainMemo.title, blocks: library.plainMemo.blocks, quotes: 0 };
  await openMemo(page, quoteWant.title, quoteWant);
  // A comment paragraph in the middle of the memo; the plain memo has the same paragraph.
  const text = await page.locator('[data-testid="memo-editor"] > p').nth(Math.floor(library.quoteMemo.blocks / 12)).innerText();
  const anchor = text.slice(0, 60);
  const withQuotes = await typeIn(page, anchor, keys);
  await openMemo(page, neutral.title, neutral);
  await openMemo(page, plainWant.title, plainWant);
  const plain = await typeIn(page, anchor, keys);
  await openMemo(page, neutral.title, neutral);
  const value = quantile(withQuotes, 0.95);
  const baseline = quantile(plain, 0.95);
  return {
    name: 'd. typing p95: key → next frame (500-quote memo)',
    value,
    unit: 'ms',
    baseline,
    baselineName: 'same in the plain-paragraph memo',
    ratio: value / baseline,
    target: '< 16 ms',
    met: value < 16,
    detail: { keys, p50: median(withQuotes), baselineP50: median(plain), samplesMs: withQuotes, baselineSamplesMs: plain },
  };
}

// ---------------------------------------------------------------- e. PDF

/** Print HTML with page.pdf exactly as the app's printer does (electron/web/pdf.ts printOnPage), without anything of Verbatim around it. */
async function rawPdf(browser: Browser, doc: { html: string; paged: boolean; lang?: string }): Promise<Uint8Array> {
  return printOnPage(browser, doc.html, doc.paged, doc.lang);
}

/** Pages in a PDF: its `/Type /Page` objects (Chromium writes them uncompressed). */
function pdfPages(bytes: Uint8Array): number {
  return (Buffer.from(bytes).toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
}

async function measurePdf(host: WebHost, browser: Browser, printer: CapturingPrinter, library: BenchLibrary, reps: number): Promise<BenchRow> {
  const exportOnce = async () => {
    const started = performance.now();
    const value = await api<{ pdfBase64: string }>(host, 'memos.exportPdf', { id: library.pagesMemo.id });
    const ms = performance.now() - started;
    return { ms, bytes: Buffer.from(value.pdfBase64, 'base64') };
  };
  const first = await exportOnce(); // starts the printer's Chromium; not timed
  const doc = printer.last;
  if (!doc) throw new Error('memos.exportPdf did not go through the printer.');
  const pages = pdfPages(first.bytes);
  await rawPdf(browser, doc);
  const exported: number[] = [];
  const raw: number[] = [];
  let rawPages = 0;
  for (let i = 0; i < reps; i += 1) {
    exported.push((await exportOnce()).ms);
    const started = performance.now();
    const bytes = await rawPdf(browser, doc);
    raw.push(performance.now() - started);
    rawPages = pdfPages(bytes);
    log(`  pdf ${i + 1}/${reps}: export ${exported[i]!.toFixed(0)} ms, page.pdf ${raw[i]!.toFixed(0)} ms`);
  }
  const value = median(exported);
  const baseline = median(raw);
  return {
    name: `e. PDF export: ${pages}-page memo (HTTP)`,
    value,
    unit: 'ms',
    baseline,
    baselineName: 'same HTML, Chromium page.pdf',
    ratio: value / baseline,
    target: '≤ 1.3× raw',
    met: value / baseline <= 1.3,
    detail: { pages, rawPages, paged: doc.paged, htmlBytes: Buffer.byteLength(doc.html), runs: exported, baselineRuns: raw },
  };
}

// ---------------------------------------------------------------- f. import

/** A news article page of about `bytes` bytes: metadata (citation_*, JSON-LD, Open Graph), navigation and footer chrome, and paragraphs of prose. */
export function articleHtml(bytes: number): string {
  const rand = prng(11);
  const word = () => WORDS[Math.floor(rand() * WORDS.length)]!;
  const sentence = () => {
    const s = Array.from({ length: 8 + Math.floor(rand() * 12) }, word).join(' ');
    return `${s[0]!.toUpperCase()}${s.slice(1)}.`;
  };
  const head = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>The Harbour Reform, Explained | Regional Courier</title>
<meta name="citation_title" content="The Harbour Reform, Explained"><meta name="citation_author" content="Okafor, Ada"><meta name="citation_publication_date" content="2023/05/17">
<meta property="og:site_name" content="Regional Courier"><script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"The Harbour Reform, Explained","author":{"@type":"Person","name":"Ada Okafor"},"datePublished":"2023-05-17"}</script>
</head><body><nav>${Array.from({ length: 30 }, (_, i) => `<a href="/section/${i}">Section ${i}</a>`).join(' ')}</nav><article><h1>The Harbour Reform, Explained</h1><p class="byline">By Ada Okafor</p>\n`;
  const tail = '</article><footer><p>© Regional Courier. All rights reserved.</p></footer></body></html>\n';
  let body = '';
  for (let i = 0; Buffer.byteLength(head + body + tail) < bytes; i += 1) {
    if (i % 25 === 24) body += `<h2>${sentence().slice(0, -1)}</h2>\n`;
    const sentences = Array.from({ length: 8 + Math.floor(rand() * 6) }, sentence);
    if (i % 7 === 3) sentences[2] = `“${sentences[2]!}” said <a href="/people/${i}">Kofi Mensah</a>.`;
    sentences[1] = `<em>${sentences[1]!}</em>`;
    body += `<p>${sentences.join(' ')}</p>\n`;
  }
  return head + body + tail;
}

async function measureImport(host: WebHost, reps: number): Promise<BenchRow> {
  const html = articleHtml(1024 * 1024);
  const bytes = Buffer.from(html, 'utf8');
  const dataBase64 = bytes.toString('base64');
  const importOnce = async () => {
    const started = performance.now();
    const source = await api<{ textLength: number; title: string }>(host, 'sources.import', { fileName: 'harbour-reform.html', dataBase64 });
    return { ms: performance.now() - started, source };
  };
  const parseOnce = () => {
    const started = performance.now();
    const dom = new JSDOM(bytes.toString('utf8'));
    const paragraphs = dom.window.document.querySelectorAll('p').length;
    dom.window.close();
    return { ms: performance.now() - started, paragraphs };
  };
  const warm = await importOnce(); // starts the import worker; not timed
  parseOnce();
  const imported: number[] = [];
  const parsed: number[] = [];
  for (let i = 0; i < reps; i += 1) {
    imported.push((await importOnce()).ms);
    parsed.push(parseOnce().ms);
    log(`  import ${i + 1}/${reps}: sources.import ${imported[i]!.toFixed(0)} ms, jsdom parse ${parsed[i]!.toFixed(0)} ms`);
  }
  const value = median(imported);
  const baseline = median(parsed);
  return {
    name: 'f. import: 1 MB HTML article (HTTP)',
    value,
    unit: 'ms',
    baseline,
    baselineName: 'parse the same bytes with jsdom',
    ratio: value / baseline,
    target: '',
    met: null,
    detail: { bytes: bytes.length, textLength: warm.source.textLength, title: warm.source.title, runs: imported, baselineRuns: parsed },
  };
}

// ---------------------------------------------------------------- table and main

function formatValue(value: number | null, unit: string): string {
  if (value === null) return '—';
  return unit === 'MB' ? `${value.toFixed(0)} MB` : value < 10 ? `${value.toFixed(2)} ms` : `${value.toFixed(0)} ms`;
}

/** The result table as Markdown (it is pasted into the README's Performance section). */
export function table(rows: readonly BenchRow[]): string {
  const lines = ['| measure | Verbatim | baseline | ratio | target | |', '|---|---:|---|---:|---|---|'];
  for (const r of rows) {
    const baseline = r.baseline === null ? r.baselineName : `${formatValue(r.baseline, r.unit)} (${r.baselineName})`;
    const ratio = r.ratio === null ? '—' : `${r.ratio.toFixed(2)}×`;
    lines.push(`| ${r.name} | ${formatValue(r.value, r.unit)} | ${baseline} | ${ratio} | ${r.target || '—'} | ${r.met === null ? '' : r.met ? 'met' : '**missed**'} |`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const reps = flag('reps', 3);
  const onlyAt = process.argv.indexOf('--only');
  const only = onlyAt < 0 ? null : new Set((process.argv[onlyAt + 1] ?? '').split(','));
  if (only && [...only].some((x) => !'abcdef'.includes(x) || x.length !== 1)) throw new Error('--only takes letters a to f separated by commas, e.g. --only a,e.');
  const want = (letter: string) => !only || only.has(letter);
  const keys = flag('keys', 60);
  if (!existsSync(path.join(ROOT, 'out', 'renderer', 'index.html'))) throw new Error('The renderer is not built: run `npm run build` first (`npm run bench` does).');
  const executablePath = findChromium();
  if (!executablePath) throw new Error('No Chromium found: install it (apt-get install chromium) or set VERBATIM_CHROMIUM.');
  const startedAt = new Date();
  const loadBefore = os.loadavg();
  const library = await ensureLibrary(log);

  // Every run works on a fresh copy: typing and imports change the library.
  const bigDir = mkdtempSync(path.join(os.tmpdir(), 'verbatim-bench-'));
  copyFileSync(library.file, path.join(bigDir, LIBRARY_FILE_NAME));
  const printer = new CapturingPrinter();
  const browser = await chromium.launch({ executablePath, headless: true, args: BROWSER_ARGS });
  const chromiumVersion = browser.version();
  const rows: BenchRow[] = [];
  let app: App | null = null;
  try {
    if (want('b')) {
      log('b. startup…');
      rows.push((await measureStartup(browser, printer, bigDir, reps)).row);
    }

    app = await startApp(bigDir, printer);
    const { context, page } = await newPage(browser);
    await page.goto(app.host.url);
    await page.waitForFunction(libraryRendered, true, { polling: 'raf', timeout: 120_000 });
    const heaps = { afterStartup: await heapMb(context, page), afterMemos: 0, afterTyping: 0 };

    if (want('a')) {
      log('a. search…');
      rows.push(...(await measureSearch(app.host, path.join(bigDir, LIBRARY_FILE_NAME), library)));
    }

    // A small memo to open between the timed ones: the newest ordinary memo (fourth in the list, after the three bench memos).
    const memos = await api<{ id: string; title: string }[]>(app.host, 'memos.list', {});
    const neutralSummary = memos.find((m) => m.id !== library.quoteMemo.id && m.id !== library.plainMemo.id && m.id !== library.pagesMemo.id);
    if (!neutralSummary) throw new Error('The library has no ordinary memo.');
    const neutralMemo = await api<{ content: { root: { children: { type: string }[] } } }>(app.host, 'memos.get', { id: neutralSummary.id });
    const neutral = { title: neutralSummary.title, blocks: neutralMemo.content.root.children.length, quotes: neutralMemo.content.root.children.filter((n) => n.type === 'linked-quote').length };

    if (want('c')) {
      log('c. memo open…');
      rows.push(await measureMemoOpen(page, library, neutral, reps));
      heaps.afterMemos = await heapMb(context, page);
    }
    if (want('d')) {
      log('d. typing…');
      rows.push(await measureTyping(page, library, neutral, keys));
      heaps.afterTyping = await heapMb(context, page);
    }
    const heap = Math.max(heaps.afterStartup, heaps.afterMemos, heaps.afterTyping);
    rows.push({ name: 'renderer JS heap (max)', value: heap, unit: 'MB', baseline: null, baselineName: 'CDP JSHeapUsedSize, after start-up, memo opens and typing', ratio: null, target: '< 400 MB', met: heap < 400, detail: heaps });
    await context.close();

    if (want('e')) {
      log('e. PDF export…');
      rows.push(await measurePdf(app.host, browser, printer, library, reps));
    }
    if (want('f')) {
      log('f. import…');
      rows.push(await measureImport(app.host, reps));
    }
  } finally {
    await app?.close();
    await browser.close();
    await printer.inner.close();
    rmSync(bigDir, { recursive: true, force: true });
  }

  const markdown = table(rows);
  log('');
  log(markdown);
  const loadAfter = os.loadavg();
  const report = {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '', memoryGb: os.totalmem() / 1024 ** 3, loadavgBefore: loadBefore, loadavgAfter: loadAfter, node: process.version, platform: `${os.platform()} ${os.release()}`, chromium: chromiumVersion },
    library: { ...library, file: path.relative(ROOT, library.file) },
    options: { reps, keys, only: only ? [...only] : null, searchLimit: SEARCH_LIMIT, browserArgs: BROWSER_ARGS },
    rows,
    serverErrors,
    table: markdown,
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
  const out = path.join(RESULTS_DIR, `bench-${stamp}.json`);
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(path.join(RESULTS_DIR, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  log(`\nload average (1/5/15 min) before ${loadBefore.map((l) => l.toFixed(1)).join('/')}, after ${loadAfter.map((l) => l.toFixed(1)).join('/')}; ${os.cpus().length} CPUs`);
  log(`wrote ${path.relative(ROOT, out)} and bench-results/latest.json`);
  const missed = rows.filter((r) => r.met === false).length;
  if (missed) log(`${missed} target(s) missed (marked above).`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
