/**
 * The benchmark's library: a fixed, deterministic library generated from a seeded PRNG,
 * written through the app's own store and contract so its rows are the rows the app writes.
 *
 * Shape (issue 6, "Benchmark"): {@link SIZES} sources of 2–20 KB of generated English prose
 * (with curly-quoted quotations, diacritics such as "café", "Zürich", "Kraków", and CSL
 * metadata), 20 quotes per source (100,000: the quotations and sentences of the source,
 * anchored through the same selector functions `LibraryStore.createQuote` uses), 1,000 memos
 * (most with a few linked quotes), among them three memos the benchmark opens:
 * - `quoteMemo`: 500 linked quotes (10 from each of 50 sources, shuffled) with a short
 *   paragraph of comment after every fifth;
 * - `plainMemo`: the same blocks with every linked quote replaced by a plain paragraph holding
 *   the quote's text (the "memo of the same length with plain paragraphs");
 * - `pagesMemo`: about 6,000 words in headed sections with 30 linked quotes and their
 *   reference list, which prints to about 20 A4 pages (9,000 words printed 29).
 *
 * How rows are written:
 * - sources: `LibraryStore.insertSources` (citation keys, hashes: as an import writes them),
 *   500 per transaction; no original file is kept (a pasted source keeps none either);
 * - quotes: one INSERT per quote, 1,000 sources' quotes per transaction, with exactly the
 *   columns and values `LibraryStore.createQuote` writes (selectors from `describeTextRange`,
 *   `match_text` from `normalizedText`, the locator from `autoLocator`); the FTS triggers index
 *   them. {@link checkQuoteRows} compares a sample against `createQuote` itself and fails
 *   the generation on any difference;
 * - memos: `memos.create` and `memos.save` through `Services.dispatch` (the contract), so
 *   validation, revisions and anything a later build hangs on a save are the app's own.
 *
 * The file is cached in `bench-results/cache/` under a name holding {@link GENERATOR_VERSION}
 * and the schema version, with a `.json` beside it describing it ({@link BenchLibrary});
 * a rerun with both unchanged reuses it. Bump GENERATOR_VERSION whenever the output changes.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { LINKED_QUOTE_TYPE, LINKED_QUOTE_VERSION } from '../../../shared/memoDocument';
import type { CslItem } from '../../../shared/model';
import { normalizedText } from '../../../shared/normalize';
import { autoLocator, describeTextRange } from '../../../shared/selectors';
import { LATEST_SCHEMA_VERSION } from '../../services/migrations';
import { LIBRARY_FILE_NAME, openServices, type Services } from '../../services/services';
import type { NewSource } from '../../services/store';
import { mulberry32 as prng } from '../prng';
/** The seeded generator the library is built from (electron/web/prng.ts); re-exported for bench.ts. */
export { prng };

/** Version of the generator's output; part of the cache key. */
export const GENERATOR_VERSION = 2;

/** The library's size (issue 6). */
export const SIZES = { sources: 5_000, quotesPerSource: 20, memos: 1_000, memoQuotes: 500, pagesMemoWords: 6_000, pagesMemoQuotes: 30 } as const;

/** The repository root (this file is electron/web/bench/generate.ts). */
export const ROOT = path.resolve(__dirname, '..', '..', '..');
/** Where results and the cached library go (git-ignored). */
export const RESULTS_DIR = path.join(ROOT, 'bench-results');

/** What the benchmark needs to know about a generated library (stored as JSON beside the cached file). */
export interface BenchLibrary {
  generatorVersion: number;
  schemaVersion: number;
  /** The cached library file (a Verbatim library.sqlite). */
  file: string;
  counts: { sources: number; quotes: number; memos: number; textBytes: number };
  /** Milliseconds the generation took when it ran. */
  generationMs: number;
  quoteMemo: { id: string; title: string; blocks: number; linkedQuotes: number };
  plainMemo: { id: string; title: string; blocks: number };
  pagesMemo: { id: string; title: string; blocks: number; words: number };
  /** Phrases of two or three consecutive words taken from quotes, for phrase searches. */
  phrases: string[];
}


/** Plain English words the prose is made of. */
export const WORDS = (
  'the of and to in a is that for it as was with be by on not he this are or his from at which but have an they you were her she there been one all we their has would when if so no more ' +
  'council budget housing policy court ruling evidence witness report minister election market price water river border trade union strike school teacher hospital patient doctor ' +
  'research study data survey figure growth decline reform law judge appeal contract company platform service network server account record archive letter speech interview ' +
  'village city region province harbour railway bridge factory worker farmer harvest drought flood storm climate energy coal wind solar nuclear oil gas pipeline tariff export ' +
  'import currency inflation interest bank loan debt credit tax revenue spending deficit surplus agency office committee hearing inquiry testimony document memo draft statement ' +
  'published announced argued claimed denied confirmed suggested warned promised rejected approved proposed described explained admitted insisted noted added replied wrote ' +
  'quickly slowly publicly privately carefully openly recently finally early late often rarely never always sometimes together apart ahead behind within without across ' +
  'important difficult local national foreign public private independent political economic social legal historical digital careful modest serious uncertain ' +
  'history memory museum library collection manuscript chapter volume edition translation language dialect grammar poetry novel theatre music painting photograph ' +
  'mountain valley forest island coast desert plain lake ocean garden street square market church castle tower station airport'
).split(' ');

/** Words with diacritics (and the places and names researchers quote), for accent-folding searches. */
export const DIACRITIC_WORDS = ['café', 'naïve', 'résumé', 'façade', 'Zürich', 'São', 'Paulo', 'Kraków', 'Gödel', 'Dvořák', 'señor', 'Malmö', 'Ångström', 'crème', 'brûlée', 'Ærø', 'Bogotá', 'Łódź', 'Reykjavík', 'Besançon'];

const GIVEN = ['Ada', 'Bruno', 'Chiara', 'Dmitri', 'Elif', 'Farah', 'Gustav', 'Hana', 'Ines', 'José', 'Kofi', 'Léa', 'Mateo', 'Nadia', 'Oskar', 'Priya', 'Quentin', 'Rosa', 'Søren', 'Tomás'];
const FAMILY = ['Okafor', 'Rivera', 'Nakamura', 'Schmidt', 'Novák', 'Haddad', 'Lindqvist', 'Moreau', 'Kowalski', 'Mensah', 'Ortega', 'Petrov', 'Rossi', 'Singh', 'Tanaka', 'Újvári', 'Varga', 'Weiß', 'Yilmaz', 'Zhou'];
const CONTAINERS = ['The Evening Ledger', 'Harbour Review', 'Journal of Civic Affairs', 'Regional Courier', 'The Quarterly Archive', 'Policy Notes', 'Northern Gazette', 'Revue des Études'];

/** A deterministic text generator over {@link WORDS} and {@link DIACRITIC_WORDS}. */
class Prose {
  constructor(readonly rand: () => number) {}
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.rand() * (hi - lo + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.rand() * items.length)]!;
  }
  word(): string {
    return this.rand() < 0.03 ? this.pick(DIACRITIC_WORDS) : this.pick(WORDS);
  }
  /** A sentence of `lo`..`hi` words, capitalised, ending in a full stop. */
  sentence(lo = 8, hi = 20): string {
    const words = Array.from({ length: this.int(lo, hi) }, () => this.word());
    const s = words.join(' ');
    return `${s[0]!.toUpperCase()}${s.slice(1)}.`;
  }
  person(): { given: string; family: string } {
    return { given: this.pick(GIVEN), family: this.pick(FAMILY) };
  }
}

/** A generated article: its text, and ranges in it that make good quotes (quotations first). */
interface Article {
  csl: CslItem;
  text: string;
  quotations: { start: number; end: number; speaker: string }[];
  sentences: { start: number; end: number }[];
}

/** An article of about `bytes` UTF-8 bytes: paragraphs of sentences, a third of the paragraphs with a “quotation,” said Someone. */
function article(p: Prose, index: number, bytes: number): Article {
  const author = p.person();
  const title = p.sentence(4, 9).slice(0, -1);
  const csl: CslItem = {
    type: 'article-newspaper',
    title,
    author: [{ given: author.given, family: author.family }],
    'container-title': p.pick(CONTAINERS),
    issued: { 'date-parts': [[p.int(1990, 2024), p.int(1, 12), p.int(1, 28)]] },
    URL: `https://example.org/articles/${index}`,
  };
  let text = '';
  const quotations: Article['quotations'] = [];
  const sentences: Article['sentences'] = [];
  while (Buffer.byteLength(text, 'utf8') < bytes) {
    if (text) text += '\n\n';
    const n = p.int(3, 7);
    for (let i = 0; i < n; i += 1) {
      if (i > 0) text += ' ';
      if (i === 1 && p.rand() < 0.35) {
        const speaker = `${p.pick(GIVEN)} ${p.pick(FAMILY)}`;
        const said = p.sentence(8, 18);
        text += '“';
        quotations.push({ start: text.length, end: text.length + said.length, speaker });
        text += `${said}” said ${speaker}.`;
      } else {
        const s = p.sentence();
        sentences.push({ start: text.length, end: text.length + s.length });
        text += s;
      }
    }
  }
  return { csl, text, quotations, sentences };
}

/** The memo JSON nodes Verbatim's editor writes (Lexical 0.52 exportJSON shapes). */
const node = {
  text: (t: string) => ({ type: 'text', version: 1, text: t, detail: 0, format: 0, mode: 'normal', style: '' }),
  paragraph: (t: string) => ({ type: 'paragraph', version: 1, direction: null, format: '', indent: 0, textFormat: 0, textStyle: '', children: [node.text(t)] }),
  heading: (t: string) => ({ type: 'heading', version: 1, tag: 'h2', direction: null, format: '', indent: 0, children: [node.text(t)] }),
  quote: (q: { id: string; sourceId: string; exact: string }) => ({ type: LINKED_QUOTE_TYPE, version: LINKED_QUOTE_VERSION, format: '', quoteId: q.id, sourceId: q.sourceId, snapshot: q.exact, shortened: null }),
};
const doc = (children: object[]) => ({ root: { type: 'root', version: 1, direction: null, format: '', indent: 0, children } });

/** Where the cached library for this generator and schema version lives. */
export function cachePaths(): { file: string; meta: string } {
  const base = path.join(RESULTS_DIR, 'cache', `library-g${GENERATOR_VERSION}-s${LATEST_SCHEMA_VERSION}`);
  return { file: `${base}.sqlite`, meta: `${base}.json` };
}

/** The services over a library folder, as the CLI opens them for one-shot work (no printer, no backups). */
export function openForGeneration(dataDir: string): Promise<Services> {
  return openServices({
    host: 'web',
    lockHost: 'cli',
    dataDir,
    resourcesDir: path.join(ROOT, 'electron', 'resources'),
    version: 'bench',
    printPdf: () => Promise.reject(new Error('The generator does not print.')),
    warmCitations: false,
    startupBackupDelayMs: false,
  });
}

async function call<T>(services: Services, method: string, args: unknown): Promise<T> {
  const result = await services.dispatch(method, args);
  if (!result.ok) throw new Error(`${method} failed while generating the benchmark library: ${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

/** The INSERT `LibraryStore.createQuote` runs, with the same values worked out the same way. */
const QUOTE_INSERT = `INSERT INTO quotes (id, source_id, exact, match_text, prefix, suffix, pos_start, pos_end, locator, locator_label, locator_auto, speaker, note, created_at, updated_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)`;

function quoteValues(id: string, sourceId: string, text: string, start: number, end: number, speaker: string, note: string, now: string): (string | number)[] {
  const sel = describeTextRange(text, start, end);
  const at = autoLocator(text, null, sel.textPosition.start, sel.textPosition.end);
  return [id, sourceId, sel.textQuote.exact, normalizedText(sel.textQuote.exact), sel.textQuote.prefix, sel.textQuote.suffix, sel.textPosition.start, sel.textPosition.end, at.locator, at.label, speaker.trim(), note.trim(), now, now];
}

/**
 * Compare quotes written by the generator with the rows `LibraryStore.createQuote` writes for
 * the same ranges (every column but id, rowid and timestamps), then delete the comparison quotes.
 * @throws Error naming the first column that differs.
 */
async function checkQuoteRows(services: Services, samples: { id: string; sourceId: string; start: number; end: number; speaker: string; note: string }[]): Promise<void> {
  const db = services.store.db;
  const strip = (row: Record<string, unknown> | undefined) => {
    if (!row) throw new Error('A generated quote is missing from the library.');
    const { id: _i, created_at: _c, updated_at: _u, ...rest } = row;
    return rest;
  };
  for (const s of samples) {
    const ours = strip(await db.get<Record<string, unknown>>('SELECT * FROM quotes WHERE id = ?', [s.id]));
    const made = await services.store.createQuote({ sourceId: s.sourceId, start: s.start, end: s.end, speaker: s.speaker, note: s.note });
    const theirs = strip(await db.get<Record<string, unknown>>('SELECT * FROM quotes WHERE id = ?', [made.id]));
    await services.store.deleteQuote(made.id);
    for (const key of new Set([...Object.keys(ours), ...Object.keys(theirs)])) {
      if (JSON.stringify(ours[key]) !== JSON.stringify(theirs[key])) {
        throw new Error(`The generator's quote rows differ from LibraryStore.createQuote's in column ${key}: ${JSON.stringify(ours[key])} vs ${JSON.stringify(theirs[key])}. Update generate.ts (and GENERATOR_VERSION).`);
      }
    }
  }
}

/**
 * Generate the library into `dataDir` (which must not hold one yet). Prints progress to stderr.
 * Returns the description without `file`.
 */
async function generateInto(dataDir: string): Promise<Omit<BenchLibrary, 'file' | 'generationMs'>> {
  const p = new Prose(prng(20_240_601));
  const services = await openForGeneration(dataDir);
  try {
    // The first-run sample is not part of the fixed library.
    for (const s of await services.store.listSources()) await services.store.deleteSource(s.id);

    const articles: Article[] = [];
    let textBytes = 0;
    for (let i = 0; i < SIZES.sources; i += 1) {
      const a = article(p, i, p.int(2_048, 20_480));
      textBytes += Buffer.byteLength(a.text, 'utf8');
      articles.push(a);
    }
    const sourceIds: string[] = [];
    for (let i = 0; i < articles.length; i += 500) {
      const batch = articles.slice(i, i + 500).map(
        (a, j): NewSource => ({ csl: a.csl, text: a.text, html: null, origin: { kind: 'file', fileName: `article-${i + j}.html`, mediaType: 'text/html', byteLength: Buffer.byteLength(a.text, 'utf8') } }),
      );
      for (const s of await services.store.insertSources(batch)) sourceIds.push(s.id);
      process.stderr.write(`\r  sources ${sourceIds.length}/${SIZES.sources}`);
    }
    process.stderr.write('\n');

    // Quotes: the quotations first, then whole sentences, 20 per source, in text order.
    const quotes: { id: string; sourceId: string; exact: string; start: number; end: number; speaker: string; note: string }[] = [];
    for (let i = 0; i < articles.length; i += 1000) {
      await services.store.db.transaction(async (tx) => {
        const now = new Date().toISOString();
        for (let k = i; k < Math.min(i + 1000, articles.length); k += 1) {
          const a = articles[k]!;
          const candidates = [...a.quotations, ...a.sentences.map((s) => ({ ...s, speaker: '' }))].slice(0, SIZES.quotesPerSource);
          if (candidates.length < SIZES.quotesPerSource) throw new Error(`Article ${k} has only ${candidates.length} quotable ranges.`);
          candidates.sort((x, y) => x.start - y.start);
          for (const c of candidates) {
            const id = randomUUID();
            const note = p.rand() < 0.1 ? p.sentence(4, 10) : '';
            const values = quoteValues(id, sourceIds[k]!, a.text, c.start, c.end, c.speaker, note, now);
            await tx.run(QUOTE_INSERT, values);
            quotes.push({ id, sourceId: sourceIds[k]!, exact: values[2] as string, start: c.start, end: c.end, speaker: c.speaker, note });
          }
        }
      });
      process.stderr.write(`\r  quotes ${quotes.length}/${SIZES.sources * SIZES.quotesPerSource}`);
    }
    process.stderr.write('\n');
    await checkQuoteRows(services, Array.from({ length: 25 }, (_, i) => quotes[Math.floor((i * quotes.length) / 25)]!));

    const save = async (title: string, children: object[]) => {
      const memo = await call<{ id: string }>(services, 'memos.create', { title });
      await call(services, 'memos.save', { id: memo.id, title, content: doc(children), baseRevision: 0 });
      return memo.id;
    };
    const ordinary = SIZES.memos - 3;
    for (let i = 0; i < ordinary; i += 1) {
      const children: object[] = [];
      const blocks = p.int(3, 12);
      for (let b = 0; b < blocks; b += 1) children.push(p.rand() < 0.4 ? node.quote(p.pick(quotes)) : node.paragraph(`${p.sentence()} ${p.sentence()}`));
      await save(`Memo ${i + 1}: ${p.sentence(2, 5).slice(0, -1)}`, children);
      if ((i + 1) % 100 === 0) process.stderr.write(`\r  memos ${i + 1}/${SIZES.memos}`);
    }

    // The 20-page memo: headed sections of prose with a linked quote now and then.
    const pages: object[] = [];
    let words = 0;
    let placed = 0;
    for (let section = 1; words < SIZES.pagesMemoWords; section += 1) {
      pages.push(node.heading(`${section}. ${p.sentence(3, 6).slice(0, -1)}`));
      for (let k = 0; k < 6 && words < SIZES.pagesMemoWords; k += 1) {
        const para = Array.from({ length: p.int(4, 8) }, () => p.sentence()).join(' ');
        words += para.split(' ').length;
        pages.push(node.paragraph(para));
        if (placed < SIZES.pagesMemoQuotes && k % 2 === 1) {
          pages.push(node.quote(quotes[(placed * 3331) % quotes.length]!));
          placed += 1;
        }
      }
    }
    // The 500-quote memo (10 quotes from each of 50 sources, shuffled) and its plain twin.
    const chosen: typeof quotes = [];
    for (let s = 0; s < SIZES.memoQuotes / 10; s += 1) {
      const first = ((s * 97) % SIZES.sources) * SIZES.quotesPerSource;
      for (let k = 0; k < 10; k += 1) chosen.push(quotes[first + k * 2]!);
    }
    for (let i = chosen.length - 1; i > 0; i -= 1) {
      const j = Math.floor(p.rand() * (i + 1));
      [chosen[i], chosen[j]] = [chosen[j]!, chosen[i]!];
    }
    const withQuotes: object[] = [];
    const plain: object[] = [];
    chosen.forEach((q, i) => {
      withQuotes.push(node.quote(q));
      plain.push(node.paragraph(q.exact));
      if (i % 5 === 4) {
        const comment = p.sentence(10, 24);
        withQuotes.push(node.paragraph(comment));
        plain.push(node.paragraph(comment));
      }
    });
    // Created last, so they head the memo list (most recently edited first).
    const pagesTitle = 'Bench: 20-page memo';
    const plainTitle = 'Bench: plain paragraphs';
    const quoteTitle = 'Bench: 500 linked quotes';
    const pagesId = await save(pagesTitle, pages);
    const plainId = await save(plainTitle, plain);
    const quoteId = await save(quoteTitle, withQuotes);
    process.stderr.write(`\r  memos ${SIZES.memos}/${SIZES.memos}\n`);

    const phrases: string[] = [];
    for (let i = 0; phrases.length < 60 && i < 10_000; i += 1) {
      const words3 = quotes[(i * 7919) % quotes.length]!.exact.replace(/[^\p{L}\p{N} ]/gu, '').split(' ').filter(Boolean);
      const len = 2 + (i % 2);
      if (words3.length < len + 2) continue;
      const at = 1 + (i % (words3.length - len - 1));
      phrases.push(words3.slice(at, at + len).join(' ').toLowerCase());
    }
    const counts = await services.store.db.get<{ sources: number; quotes: number; memos: number }>(
      'SELECT (SELECT count(*) FROM sources) AS sources, (SELECT count(*) FROM quotes) AS quotes, (SELECT count(*) FROM memos) AS memos',
    );
    if (!counts || counts.sources !== SIZES.sources || counts.quotes !== SIZES.sources * SIZES.quotesPerSource || counts.memos !== SIZES.memos) {
      throw new Error(`The generated library has the wrong size: ${JSON.stringify(counts)}`);
    }
    await services.store.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    return {
      generatorVersion: GENERATOR_VERSION,
      schemaVersion: LATEST_SCHEMA_VERSION,
      counts: { ...counts, textBytes },
      quoteMemo: { id: quoteId, title: quoteTitle, blocks: withQuotes.length, linkedQuotes: chosen.length },
      plainMemo: { id: plainId, title: plainTitle, blocks: plain.length },
      pagesMemo: { id: pagesId, title: pagesTitle, blocks: pages.length, words },
      phrases,
    };
  } finally {
    await services.close();
  }
}

/**
 * The cached benchmark library, generating it first when there is none for this generator
 * and schema version (a few minutes). `log` gets one line saying which.
 */
export async function ensureLibrary(log: (line: string) => void): Promise<BenchLibrary> {
  const { file, meta } = cachePaths();
  if (existsSync(file) && existsSync(meta)) {
    const cached = JSON.parse(readFileSync(meta, 'utf8')) as BenchLibrary;
    log(`library: cached ${path.relative(ROOT, file)} (generated in ${(cached.generationMs / 1000).toFixed(1)} s when it was made)`);
    return { ...cached, file };
  }
  const work = path.join(RESULTS_DIR, 'cache', `generating-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  log(`library: generating ${SIZES.sources} sources, ${SIZES.sources * SIZES.quotesPerSource} quotes, ${SIZES.memos} memos…`);
  const started = performance.now();
  try {
    const described = await generateInto(work);
    const generationMs = performance.now() - started;
    copyFileSync(path.join(work, LIBRARY_FILE_NAME), `${file}.partial`);
    renameSync(`${file}.partial`, file);
    const library: BenchLibrary = { ...described, file, generationMs };
    writeFileSync(meta, `${JSON.stringify(library, null, 2)}\n`);
    log(`library: generated in ${(generationMs / 1000).toFixed(1)} s (${(described.counts.textBytes / 1e6).toFixed(1)} MB of source text)`);
    return library;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

// `tsx electron/web/bench/generate.ts` generates (or reports) the cached library on its own.
if (require.main === module) {
  ensureLibrary((line) => process.stdout.write(`${line}\n`)).catch((error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
