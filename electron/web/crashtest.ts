/**
 * The crash test (issue 5, item 2): `npm run test:crash [-- --seed N --kills N --keep]`.
 *
 * Starts the web host (`electron/web/cli.ts serve`, the real CLI, as its own Node process)
 * on one data folder, keeps writing through the HTTP contract with several calls in
 * flight (memos.save with growing content and new titles, memos.create, quotes.create on
 * the sample source, quotes.update of notes), and kills the host with SIGKILL at random
 * moments: from a few ms to about a second after it is ready (it has answered the
 * read-back; 3 + 997·u² ms), some of them right after a burst of 12-24 writes was
 * fired, every tenth one later (2.5-4 s) to hit the start-up work (the daily backup).
 * Each memo has at most one save in flight (as the editor saves), several memos and
 * quotes at once. After each kill, before the restart, the file is opened read-only by a
 * separate sqlite3 connection: integrity_check must say ok, foreign_key_check nothing,
 * and the rows must satisfy the rule in crashVerify.ts; then the host is restarted and
 * the library read back through the contract must satisfy it too. Every change answered
 * `{ ok: true }` before the kill must be there; a change in flight may or may not be.
 *
 * Flags: `--seed N` (default random; printed, so a failure can be replayed as far as
 * timing allows), `--kills N` (default 50), `--keep` (keep the data folder), `--data-dir D`,
 * `--verbose` (every call's outcome with its time in the round), `--tamper` (self-check:
 * damage the library after the first kill; the run must then fail).
 * Exit codes: 0 no violation, 1 a violation (each printed with the seed and folder),
 * 2 usage error. The host refusing to restart (for example a lock it does not take over)
 * is a violation.
 *
 * Durability assumption: the library runs WAL with synchronous=NORMAL, durable across a
 * process crash (SIGKILL) but not across power loss; this test checks the former.
 * Time: about 3.5 minutes for 50 kills on a shared 2-core machine, most of it the host's
 * start (about 2 s: loading jsdom, pdf.js, playwright-core through tsx) and its first
 * answer (about 1.4 s: citeproc-js builds its engine).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sqlite3 from 'sqlite3';
import { describeTextRange } from '../../shared/selectors';
import { emptyMemoContent } from '../../shared/model';
import { flagValue } from '../services/paths';
import { LIBRARY_FILE_NAME } from '../services/services';
import {
  emptyModel,
  inspectLibraryFile,
  verifyLibrary,
  versionTag,
  type DriverModel,
  type MemoVersion,
  type ObservedLibrary,
  type QuoteVersion,
} from './crashVerify';
import { mulberry32 } from './prng';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'electron', 'web', 'cli.ts');

/** How long a start may take before it counts as refused, in ms (a loaded 2-core machine needs several seconds). */
const START_TIMEOUT_MS = 60_000;
/** Calls the driver keeps in flight in steady state. */
const CONCURRENCY = 4;
/** Most memos and quotes the driver creates (keeps each round's read-back short). */
const MAX_MEMOS = 24;
const MAX_QUOTES = 300;
/** A memo's text is trimmed from the front once it passes this many characters. */
const MAX_MEMO_CHARS = 30_000;


/** Host processes not yet ended: killed if this script exits early, so none is left holding the library. */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

interface HostProcess {
  child: ChildProcess;
  origin: string;
  token: string;
  /** Resolves with the exit code or signal when the process has ended. */
  exited: Promise<string>;
  /** True once the process ended, with how. */
  ended: { value: string | null };
  stderrTail: () => string;
  startMs: number;
}

let standInDir: string | null = null;

/**
 * A one-page stand-in for the built renderer (`serve` refuses to start without one; the
 * crash test drives only the API), made once in the temp folder and removed on exit.
 */
function rendererStandIn(): string {
  if (!standInDir) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'verbatim-crash-renderer-'));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Verbatim</title>');
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    standInDir = dir;
  }
  return standInDir;
}

/**
 * Start `cli.ts serve` as a Node process of its own (node --import tsx, no wrapper
 * process, so SIGKILL hits the host itself) and wait for its "Open: <url>" line.
 * @throws Error with the host's exit and stderr when it exits or stays silent instead.
 */
async function startHost(dataDir: string): Promise<HostProcess> {
  const started = Date.now();
  const env = { ...process.env, VERBATIM_RENDERER_DIR: rendererStandIn() };
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', '--port', '0', '--data-dir', dataDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let stderr = '';
  let stdout = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const ended = { value: null as string | null };
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => {
      ended.value = signal ? `signal ${signal}` : `exit code ${code}`;
      resolve(ended.value);
    });
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the host printed no URL within ${START_TIMEOUT_MS} ms; stderr: ${stderr.trim() || '(empty)'}`)), START_TIMEOUT_MS);
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const match = /Open: (http:\/\/\S+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    void exited.then((how) => {
      clearTimeout(timer);
      reject(new Error(`the host ended (${how}) before it was ready; stderr: ${stderr.trim() || '(empty)'}`));
    });
  }).catch(async (error: unknown) => {
    if (ended.value === null) {
      child.kill('SIGKILL');
      await exited;
    }
    throw error;
  });
  const parsed = new URL(url);
  return { child, origin: parsed.origin, token: parsed.searchParams.get('token') ?? '', exited, ended, stderrTail: () => stderr.trim(), startMs: Date.now() - started };
}

/** A contract call's outcome: an answer (ok or error) or no answer at all (the host died). */
type Outcome = { kind: 'ok'; value: unknown } | { kind: 'error'; code: string; message: string } | { kind: 'lost'; reason: string };

async function callHost(host: HostProcess, method: string, args: unknown): Promise<Outcome> {
  let response: Response;
  try {
    response = await fetch(`${host.origin}/api/${method}`, { method: 'POST', headers: { Authorization: `Bearer ${host.token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(args) });
  } catch (error) {
    return { kind: 'lost', reason: (error as Error).message };
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    return { kind: 'lost', reason: (error as Error).message };
  }
  if (response.status !== 200) return { kind: 'error', code: `http_${response.status}`, message: text.slice(0, 300) };
  let body: { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };
  try {
    body = JSON.parse(text) as typeof body;
  } catch (error) {
    return { kind: 'lost', reason: `the answer is not JSON (${(error as Error).message})` }; // outcome unknown: treated as in flight
  }
  return body.ok ? { kind: 'ok', value: body.value } : { kind: 'error', code: body.error.code, message: body.error.message };
}

/** A call that must succeed (setup and read-back, never during a kill window). @throws Error naming the method. */
async function mustCall<T>(host: HostProcess, method: string, args: unknown): Promise<T> {
  const outcome = await callHost(host, method, args);
  if (outcome.kind === 'ok') return outcome.value as T;
  throw new Error(`${method} failed: ${outcome.kind === 'error' ? `${outcome.code}: ${outcome.message}` : `no answer (${outcome.reason})`}`);
}

/** The library as the contract shows it: every memo (memos.list, then memos.get each) and every quote. */
async function readThroughContract(host: HostProcess): Promise<ObservedLibrary> {
  const summaries = await mustCall<{ id: string }[]>(host, 'memos.list', {});
  const memos: ObservedLibrary['memos'] = [];
  for (let i = 0; i < summaries.length; i += 8) {
    const batch = await Promise.all(summaries.slice(i, i + 8).map((s) => mustCall<{ id: string; title: string; content: unknown; revision: number }>(host, 'memos.get', { id: s.id })));
    memos.push(...batch.map((m) => ({ id: m.id, title: m.title, content: m.content, revision: m.revision })));
  }
  const quotes = await mustCall<{ id: string; note: string; textPosition: { start: number; end: number } }[]>(host, 'quotes.list', { limit: 5000 });
  return { memos, quotes: quotes.map((q) => ({ id: q.id, start: q.textPosition.start, end: q.textPosition.end, note: q.note })) };
}

interface Stats {
  /** With `--verbose`: print every outcome, in ms since the round's writing began. */
  log: ((line: string) => void) | null;
  acked: Record<string, number>;
  lost: number;
  errors: string[];
}

/** The writer: picks operations at random and keeps the model in step with what was sent and answered. */
class Driver {
  private seq = 0;
  private readonly busy = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  private memoCount = 0;
  stopped = false;

  constructor(
    private readonly rng: () => number,
    private model: DriverModel,
    private readonly sourceId: string,
    private readonly sourceText: string,
    private readonly words: readonly string[],
    readonly stats: Stats,
  ) {
    this.memoCount = model.memos.size;
  }

  setModel(model: DriverModel): void {
    this.model = model;
    this.memoCount = model.memos.size;
  }

  get current(): DriverModel {
    return this.model;
  }

  private pick<T>(items: readonly T[]): T | undefined {
    return items.length ? items[Math.floor(this.rng() * items.length)] : undefined;
  }

  private text(min: number, max: number): string {
    const target = min + Math.floor(this.rng() * (max - min));
    let out = '';
    while (out.length < target) out += `${out ? ' ' : ''}${this.pick(this.words)}`;
    return out;
  }

  /** Send one operation chosen at random; resolves when it is answered or lost. */
  fire(host: HostProcess): Promise<void> {
    const roll = this.rng();
    const idleMemos = [...this.model.memos.keys()].filter((id) => !this.busy.has(id));
    const idleQuotes = [...this.model.quotes.keys()].filter((id) => !this.busy.has(id));
    let op: Promise<void>;
    if (roll < 0.05 && this.memoCount < MAX_MEMOS) op = this.createMemo(host);
    else if (roll < 0.55 && idleMemos.length) op = this.saveMemo(host, this.pick(idleMemos)!);
    else if (roll < 0.75 && idleQuotes.length) op = this.updateQuote(host, this.pick(idleQuotes)!);
    else if (this.model.quotes.size + this.model.pendingQuoteCreates.length < MAX_QUOTES) op = this.createQuote(host);
    else if (idleMemos.length) op = this.saveMemo(host, this.pick(idleMemos)!);
    else op = this.createMemo(host);
    const tracked = op.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
    return tracked;
  }

  /** Create `memos` memos and `quotes` quotes, one after another, so the rounds have something to edit. */
  async prepare(host: HostProcess, memos: number, quotes: number): Promise<void> {
    for (let i = 0; i < memos; i += 1) await this.createMemo(host);
    for (let i = 0; i < quotes; i += 1) await this.createQuote(host);
  }

  /** Keep `n` calls in flight until stopped. */
  async run(host: HostProcess, n: number): Promise<void> {
    const worker = async () => {
      while (!this.stopped) await this.fire(host);
    };
    await Promise.all(Array.from({ length: n }, worker));
  }

  /** Wait until every call sent has been answered or lost. */
  async settle(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }

  private settleOutcome(method: string, outcome: Outcome, onOk: (value: unknown) => void, onRefused: () => void): void {
    this.stats.log?.(`${method} ${outcome.kind}${outcome.kind === 'lost' ? ` (${outcome.reason})` : ''}`);
    if (outcome.kind === 'ok') {
      this.stats.acked[method] = (this.stats.acked[method] ?? 0) + 1;
      onOk(outcome.value);
    } else if (outcome.kind === 'error') {
      this.stats.errors.push(`${method}: ${outcome.code}: ${outcome.message}`);
      onRefused();
    } else {
      this.stats.lost += 1; // no answer: stays in flight in the model
    }
  }

  private async createMemo(host: HostProcess): Promise<void> {
    const seq = ++this.seq;
    this.memoCount += 1;
    const pending = { seq, title: `Crash memo ${versionTag(seq)}`, content: emptyMemoContent() };
    this.model.pendingMemoCreates.push(pending);
    const outcome = await callHost(host, 'memos.create', { title: pending.title });
    const model = this.model;
    const drop = () => model.pendingMemoCreates.splice(model.pendingMemoCreates.indexOf(pending), 1);
    this.settleOutcome(
      'memos.create',
      outcome,
      (value) => {
        drop();
        const memo = value as { id: string; title: string; content: unknown; revision: number };
        model.memos.set(memo.id, { id: memo.id, acked: { seq, title: memo.title, content: memo.content, revision: memo.revision }, inFlight: [], refused: [] });
      },
      () => {
        drop();
        this.memoCount -= 1;
      },
    );
  }

  private async saveMemo(host: HostProcess, id: string): Promise<void> {
    const memo = this.model.memos.get(id)!;
    this.busy.add(id);
    const seq = ++this.seq;
    const base = memo.inFlight.at(-1) ?? memo.acked;
    const content = structuredClone(base.content) as { root: { children: unknown[] } };
    const children = content.root.children;
    const paragraph = (text: string) => ({
      type: 'paragraph',
      version: 1,
      direction: null,
      format: '',
      indent: 0,
      textFormat: 0,
      textStyle: '',
      children: [{ type: 'text', version: 1, detail: 0, format: 0, mode: 'normal', style: '', text }],
    });
    const line = `${versionTag(seq)} ${this.text(20, 400)}`;
    if (children.length > 1 && this.rng() < 0.2) children[Math.floor(this.rng() * children.length)] = paragraph(line); // an edit in the middle
    else children.push(paragraph(line)); // the text grows
    while (JSON.stringify(children).length > MAX_MEMO_CHARS && children.length > 1) children.shift();
    const version: MemoVersion = { seq, title: `Memo ${this.text(5, 40)} ${versionTag(seq)}`, content, revision: base.revision + 1 };
    memo.inFlight.push(version);
    const outcome = await callHost(host, 'memos.save', { id, title: version.title, content, baseRevision: base.revision });
    this.busy.delete(id);
    this.settleOutcome(
      'memos.save',
      outcome,
      (value) => {
        const answered = value as { revision: number };
        if (answered.revision !== version.revision) this.stats.errors.push(`memos.save #${seq} answered revision ${answered.revision}, expected ${version.revision}`);
        memo.acked = version;
        memo.inFlight.splice(0, memo.inFlight.indexOf(version) + 1);
      },
      () => {
        memo.inFlight.splice(memo.inFlight.indexOf(version), 1);
        memo.refused.push(version);
      },
    );
  }

  private async createQuote(host: HostProcess): Promise<void> {
    const seq = ++this.seq;
    let start = 0;
    let end = 0;
    let selection: ReturnType<typeof describeTextRange> | undefined;
    while (!selection) {
      start = Math.floor(this.rng() * (this.sourceText.length - 10));
      end = Math.min(this.sourceText.length, start + 5 + Math.floor(this.rng() * 200));
      try {
        selection = describeTextRange(this.sourceText, start, end);
      } catch {
        selection = undefined; // only white space there: pick another range
      }
    }
    const pending = { seq, start: selection.textPosition.start, end: selection.textPosition.end, note: `${versionTag(seq)} ${this.text(0, 200)}`.trim() };
    this.model.pendingQuoteCreates.push(pending);
    const outcome = await callHost(host, 'quotes.create', { sourceId: this.sourceId, start, end, note: pending.note });
    const model = this.model;
    const drop = () => model.pendingQuoteCreates.splice(model.pendingQuoteCreates.indexOf(pending), 1);
    this.settleOutcome(
      'quotes.create',
      outcome,
      (value) => {
        drop();
        const quote = value as { id: string; note: string; textPosition: { start: number; end: number } };
        model.quotes.set(quote.id, { id: quote.id, start: quote.textPosition.start, end: quote.textPosition.end, acked: { seq, note: quote.note }, inFlight: [], refused: [] });
      },
      drop,
    );
  }

  private async updateQuote(host: HostProcess, id: string): Promise<void> {
    const quote = this.model.quotes.get(id)!;
    this.busy.add(id);
    const seq = ++this.seq;
    const version: QuoteVersion = { seq, note: `${versionTag(seq)} ${this.text(0, 300)}`.trim() };
    quote.inFlight.push(version);
    const outcome = await callHost(host, 'quotes.update', { id, note: version.note });
    this.busy.delete(id);
    this.settleOutcome(
      'quotes.update',
      outcome,
      () => {
        quote.acked = version;
        quote.inFlight.splice(0, quote.inFlight.indexOf(version) + 1);
      },
      () => {
        quote.inFlight.splice(quote.inFlight.indexOf(version), 1);
        quote.refused.push(version);
      },
    );
  }
}

/**
 * `--tamper` (a self-check of this script, expected to fail): after the first kill, undo
 * one acknowledged memo save and delete one acknowledged quote behind the host's back,
 * through a connection of our own, as a lost write would. Both must be reported.
 */
async function tamperWith(file: string, model: DriverModel): Promise<void> {
  const memo = [...model.memos.values()][0];
  const quote = [...model.quotes.values()][0];
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const opened: sqlite3.Database = new sqlite3.Database(file, (err: Error | null) => (err ? reject(err) : resolve(opened)));
  });
  const run = (sql: string, params: unknown[]) => new Promise<void>((resolve, reject) => db.run(sql, params, (err: Error | null) => (err ? reject(err) : resolve())));
  if (memo) await run('UPDATE memos SET title = ? WHERE id = ?', [`${memo.acked.title} (tampered)`, memo.id]);
  if (quote) await run('DELETE FROM quotes WHERE id = ?', [quote.id]);
  await new Promise<void>((resolve, reject) => db.close((err: Error | null) => (err ? reject(err) : resolve())));
  process.stdout.write(`tampered: memo ${memo?.id ?? '(none)'} retitled, quote ${quote?.id ?? '(none)'} deleted; this run must fail\n`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(argv: string[]): Promise<number> {
  const seedFlag = flagValue(argv, 'seed');
  const seed = seedFlag !== undefined ? Number(seedFlag) : Math.floor(Math.random() * 2 ** 32);
  const kills = Number(flagValue(argv, 'kills') ?? 50);
  if (!Number.isInteger(seed) || seed < 0 || !Number.isInteger(kills) || kills < 1) {
    process.stderr.write('usage: crashtest [--seed <non-negative integer>] [--kills <positive integer>] [--keep] [--data-dir DIR] [--verbose] [--tamper]\n');
    return 2;
  }
  const dataDirFlag = flagValue(argv, 'data-dir');
  const dataDir = path.resolve(dataDirFlag ?? mkdtempSync(path.join(os.tmpdir(), 'verbatim-crash-')));
  const tamper = argv.includes('--tamper');
  const keep = argv.includes('--keep') || dataDirFlag !== undefined;
  const file = path.join(dataDir, LIBRARY_FILE_NAME);
  const rng = mulberry32(seed);
  const began = Date.now();
  process.stdout.write(`crash test: seed ${seed}, ${kills} kills, library ${file}\n`);

  const violations: string[] = [];
  const startTimes: number[] = [];
  let ackedChecked = 0;
  let inFlightCommitted = 0;
  let inFlightNotCommitted = 0;
  let bursts = 0;
  /** Wall-clock ms spent per phase, for the summary. */
  const phases = { writing: 0, settling: 0, fileCheck: 0, restart: 0, readBack: 0 };
  const timed = async <T>(phase: keyof typeof phases, work: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    try {
      return await work();
    } finally {
      phases[phase] += Date.now() - t0;
    }
  };
  const delays: number[] = [];
  /** What hosts wrote to stderr (not a violation by itself; printed in the summary so nothing is hidden). */
  const hostStderr: string[] = [];
  const noteStderr = (which: string, h: HostProcess) => {
    if (h.stderrTail()) hostStderr.push(`${which}: ${h.stderrTail().slice(-600)}`);
  };
  const fail = (round: number, messages: string[]) => {
    for (const m of messages) violations.push(`after kill ${round}: ${m}`);
  };

  let host = await startHost(dataDir);
  startTimes.push(host.startMs);
  const sources = await mustCall<{ id: string; title: string }[]>(host, 'sources.list', {});
  const sample = sources[0];
  if (!sample) throw new Error('the new library holds no sample source to quote');
  const source = await mustCall<{ text: string }>(host, 'sources.get', { id: sample.id });
  const words = source.text.split(/\s+/).filter((w) => w.length > 0);
  const baseline = emptyModel();
  const start = await readThroughContract(host);
  // Whatever a new library holds is the baseline: adopt it as acknowledged.
  for (const m of start.memos) baseline.memos.set(m.id, { id: m.id, acked: { seq: -1, title: m.title, content: m.content, revision: m.revision }, inFlight: [], refused: [] });
  for (const q of start.quotes) baseline.quotes.set(q.id, { id: q.id, start: q.start, end: q.end, acked: { seq: -1, note: q.note }, inFlight: [], refused: [] });
  let roundBegan = Date.now();
  const stats: Stats = { log: argv.includes('--verbose') ? (line) => process.stdout.write(`    +${Date.now() - roundBegan} ms ${line}\n`) : null, acked: {}, lost: 0, errors: [] };
  const driver = new Driver(rng, baseline, sample.id, source.text, words, stats);
  await driver.prepare(host, 4, 4);
  if (stats.errors.length) throw new Error(`setting up failed: ${stats.errors.join('; ')}`);

  for (let round = 1; round <= kills; round += 1) {
    const long = round % 10 === 5;
    // 3-1000 ms, skewed short (u²: about a third under 150 ms, where the first answers only start to arrive).
    const delay = long ? 2500 + rng() * 1500 : 3 + 997 * rng() ** 2;
    const burst = !long && rng() < 0.3;
    delays.push(delay);
    driver.stopped = false;
    roundBegan = Date.now();
    const writers = driver.run(host, CONCURRENCY);
    await timed('writing', async () => {
      await sleep(delay);
      if (burst) {
        bursts += 1;
        const size = 12 + Math.floor(rng() * 13);
        for (let i = 0; i < size; i += 1) void driver.fire(host);
        await sleep(rng() * 15);
      }
    });
    driver.stopped = true;
    if (host.ended.value !== null) fail(round, [`the host ended by itself (${host.ended.value}) before it was killed; stderr: ${host.stderrTail()}`]);
    host.child.kill('SIGKILL');
    await timed('settling', async () => {
      await host.exited;
      await writers;
      await driver.settle();
    });
    noteStderr(`host killed by kill ${round}`, host);

    if (tamper && round === 1) await tamperWith(file, driver.current);
    const inspection = await timed('fileCheck', () => inspectLibraryFile(file));
    fail(round, inspection.problems);
    if (inspection.library) fail(round, verifyLibrary(driver.current, inspection.library, 'file before restart').violations);
    for (const e of stats.errors.splice(0)) fail(round, [`an error answer to a well-formed call: ${e}`]);

    try {
      host = await timed('restart', () => startHost(dataDir));
    } catch (error) {
      fail(round, [`the host refused to restart: ${(error as Error).message}`]);
      break;
    }
    startTimes.push(host.startMs);
    let observed: ObservedLibrary;
    try {
      observed = await timed('readBack', () => readThroughContract(host));
    } catch (error) {
      fail(round, [`the library could not be read back through the contract: ${(error as Error).message}`]);
      break;
    }
    const verification = verifyLibrary(driver.current, observed, 'contract after restart');
    fail(round, verification.violations);
    ackedChecked += verification.ackedChecked;
    inFlightCommitted += verification.inFlightCommitted;
    inFlightNotCommitted += verification.inFlightNotCommitted;
    driver.setModel(verification.next);
    const tag = `kill ${String(round).padStart(2)}: ${delay.toFixed(0).padStart(4)} ms${burst ? ' +burst' : ''}${long ? ' (long)' : ''}`;
    process.stdout.write(`${tag}, ${observed.memos.length} memos, ${observed.quotes.length} quotes, in flight committed ${verification.inFlightCommitted} / not ${verification.inFlightNotCommitted}, restart ${host.startMs} ms\n`);
    if (violations.length) break;
  }

  if (host.ended.value === null) {
    host.child.kill('SIGTERM');
    const how = await Promise.race([host.exited, sleep(30_000).then(() => null)]);
    if (how === null) {
      fail(kills, ['the last host did not stop within 30 s of SIGTERM']);
      host.child.kill('SIGKILL');
      await host.exited;
    } else if (how !== 'exit code 0') fail(kills, [`the last host ended with ${how} after SIGTERM, not exit code 0`]);
    noteStderr('last host (stopped with SIGTERM)', host);
  }
  if (!violations.length) {
    const last = await inspectLibraryFile(file);
    fail(kills, last.problems.map((p) => `after the final clean stop: ${p}`));
  }
  const seconds = ((Date.now() - began) / 1000).toFixed(1);
  const ackedTotal = Object.values(stats.acked).reduce((a, b) => a + b, 0);
  const avgStart = startTimes.reduce((a, b) => a + b, 0) / startTimes.length;
  process.stdout.write(
    [
      `crash test summary (seed ${seed}):`,
      `  kills: ${delays.length} (${bursts} right after a burst of writes; delays ${Math.min(...delays).toFixed(0)}-${Math.max(...delays).toFixed(0)} ms after ready)`,
      `  acknowledged writes: ${ackedTotal} (${Object.entries(stats.acked).map(([m, n]) => `${m} ${n}`).join(', ')}); calls lost to a kill: ${stats.lost}`,
      `  acknowledged states verified after restart: ${ackedChecked}`,
      `  in-flight changes found committed: ${inFlightCommitted}, not committed: ${inFlightNotCommitted}`,
      `  host starts: ${startTimes.length}, ${avgStart.toFixed(0)} ms on average, ${Math.max(...startTimes)} ms at most`,
      ...(hostStderr.length ? [`  the hosts wrote to stderr ${hostStderr.length} times:`, ...hostStderr.slice(0, 5).map((e) => `    ${e.replace(/\n/g, '\n    ')}`)] : []),
      `  time: ${seconds} s (${Object.entries(phases).map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)} s`).join(', ')})`,
      '',
    ].join('\n'),
  );
  if (violations.length) {
    process.stderr.write(`CRASH TEST FAILED (seed ${seed}; library kept at ${dataDir}):\n${violations.map((v) => `  - ${v}`).join('\n')}\n`);
    return 1;
  }
  if (!keep) rmSync(dataDir, { recursive: true, force: true });
  process.stdout.write('crash test passed: integrity_check ok after every kill, every acknowledged change was there.\n');
  return 0;
}

if (require.main === module) {
  // Stopped from outside (Ctrl-C, a closed output pipe): exit through 'exit', which kills the running host.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      process.stderr.write(`crash test: stopped by ${signal}\n`);
      process.exit(130);
    });
  }
  process.stdout.on('error', () => process.exit(1));
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`crash test: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}
