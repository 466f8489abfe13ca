/**
 * The host-agnostic services behind the contract: one object per open library with a
 * handler for every contract method, and `dispatch`, which both hosts call.
 *
 * Lifecycle: `openServices()` opens (or creates and seeds) the library file, migrates
 * it, and returns the services; `close()` drains pending writes and closes the file.
 * Host-specific abilities (printing HTML to PDF, a save dialog) are passed in.
 * Runs under plain Node; never imports 'electron'.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ApiError, contract, isMethodName, type CallResult, type ResultOf } from '../../shared/contract';
import type { MethodName } from '../../shared/methods';
import { linkedQuotesInOrder } from '../../shared/memoDocument';
import type { Quote } from '../../shared/model';
import { exportFileName, memoToPrintHtml } from '../../shared/printHtml';
import { CitationService, DEFAULT_BIBLIOGRAPHY_HEADING } from './citationService';
import { Database } from './db';
import { importFile, importPlainText } from './importer';
import { migrate } from './migrations';
import { LibraryStore, type StoredQuote } from './store';

/** Name of the library file inside the data folder. */
export const LIBRARY_FILE_NAME = 'library.sqlite';

/** What a host gives the services. */
export interface ServiceOptions {
  host: 'electron' | 'web';
  /** Folder that holds the library file; created if missing. */
  dataDir: string;
  /** Folder with `csl/` (styles, locales) and `samples/` (the first-run article). */
  resourcesDir: string;
  /** App version shown in `app.info`. */
  version: string;
  /** Print a complete HTML document to PDF bytes (Chromium in both hosts). */
  printPdf: (html: string) => Promise<Uint8Array>;
  /** Ask the user where to save and write the bytes; null when cancelled. Absent in hosts without dialogs. */
  saveFile?: (suggestedName: string, bytes: Uint8Array) => Promise<string | null>;
  /** Build the citation engines right after opening (about a second of CPU), so the first citation is fast. Default true; one-shot CLI commands turn it off. */
  warmCitations?: boolean;
  /** Log a failure that the caller only sees as an `internal` error. Defaults to console.error. */
  logError?: (message: string, error: unknown) => void;
}

/** The sample article seeded into a new library, and its CSL item. */
export const SAMPLE = {
  file: 'parler-sues-amazon.txt',
  csl: { type: 'article-newspaper', title: 'Parler Sues Amazon' },
} as const;

type Handlers = { [M in MethodName]: (args: z.output<(typeof contract)[M]['args']>) => Promise<ResultOf<M>> };

/** An open library and the handlers that serve the contract over it. */
export interface Services {
  readonly store: LibraryStore;
  readonly dataFile: string;
  readonly handlers: Handlers;
  /** Validate and run one call; never throws. */
  dispatch(method: unknown, args: unknown): Promise<CallResult<unknown>>;
  /** Drain pending writes and close the library file. */
  close(): Promise<void>;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'arguments'}: ${issue.message}`)
    .join('; ');
}

/**
 * Open the library in `options.dataDir` (creating, migrating and seeding a new one with
 * the sample article) and build the services.
 * @throws Error when the folder or file cannot be opened, or the schema is newer than this build.
 */
export async function openServices(options: ServiceOptions): Promise<Services> {
  mkdirSync(options.dataDir, { recursive: true });
  const dataFile = path.join(options.dataDir, LIBRARY_FILE_NAME);
  const db = await Database.open(dataFile);
  let store: LibraryStore;
  try {
    const applied = await migrate(db);
    store = new LibraryStore(db);
    if (applied.includes(1)) {
      const text = readFileSync(path.join(options.resourcesDir, 'samples', SAMPLE.file), 'utf8');
      const doc = importPlainText(text, 'text', SAMPLE.file);
      await store.insertSource({
        csl: { ...SAMPLE.csl },
        text: doc.text,
        html: null,
        origin: { kind: 'sample', fileName: SAMPLE.file, mediaType: 'text/plain', byteLength: Buffer.byteLength(text) },
      });
    }
  } catch (error) {
    await db.close();
    throw error;
  }
  const logError = options.logError ?? ((message, error) => console.error(message, error));
  const citations = new CitationService(options.resourcesDir, (ids, error) => logError(`citeproc-js could not render sources ${ids.join(', ')}`, error));
  // Building citeproc-js engines takes about a second: do it before the first request needs it.
  if (options.warmCitations ?? true) {
    setImmediate(() => {
      try {
        citations.warm();
      } catch (error) {
        logError('The citation style could not be loaded', error);
      }
    });
  }

  const withCitations = async (quotes: StoredQuote[]): Promise<Quote[]> => {
    const items = new Map(quotes.map((q) => [q.sourceId, q.sourceCsl]));
    const inText = citations.inText(items);
    return quotes.map(({ sourceCsl: _csl, ...q }) => ({ ...q, citation: inText.get(q.sourceId) ?? '' }));
  };

  const handlers: Handlers = {
    'app.info': async () => ({ version: options.version, host: options.host, dataFile, styleTitle: citations.styleTitle }),
    'sources.list': () => store.listSources(),
    'sources.get': ({ id }) => store.getSource(id),
    'sources.import': async ({ fileName, dataBase64 }) => {
      const bytes = Buffer.from(dataBase64, 'base64');
      const baseName = path.basename(fileName.replace(/\\/g, '/'));
      const doc = importFile(baseName, bytes);
      return store.insertSource({ csl: doc.csl, text: doc.text, html: doc.html, origin: { kind: 'file', fileName: baseName, mediaType: doc.mediaType, byteLength: bytes.length } });
    },
    'sources.importText': async ({ text, title }) => {
      const doc = importPlainText(text, 'text', 'paste', title);
      return store.insertSource({ csl: doc.csl, text: doc.text, html: null, origin: { kind: 'paste', fileName: null, mediaType: 'text/plain', byteLength: Buffer.byteLength(text) } });
    },
    'sources.updateMetadata': ({ id, csl }) => store.updateMetadata(id, csl),
    'sources.delete': async ({ id }) => ({ deletedQuotes: await store.deleteSource(id) }),
    'quotes.create': async (args) => (await withCitations([await store.createQuote(args)]))[0]!,
    'quotes.list': async (args) => withCitations(await store.listQuotes(args)),
    'quotes.update': async ({ id, speaker, note }) => (await withCitations([await store.updateQuote(id, speaker, note)]))[0]!,
    'quotes.delete': async ({ id }) => ({ deleted: await store.deleteQuote(id) }),
    'memos.list': () => store.listMemos(),
    'memos.create': ({ title }) => store.createMemo((title ?? '').trim() || 'Untitled memo'),
    'memos.get': ({ id }) => store.getMemo(id),
    'memos.save': ({ id, title, content, baseRevision }) => store.saveMemo(id, title, content, baseRevision),
    'memos.delete': async ({ id }) => ({ deleted: await store.deleteMemo(id) }),
    'citations.render': async ({ cites }) => {
      const items = await store.cslItems(cites.map((c) => c.sourceId));
      const rendered = citations.renderInOrder(items, cites.map((c) => c.sourceId), { html: '[source missing]', text: '[source missing]' });
      return { styleTitle: citations.styleTitle, ...rendered };
    },
    'memos.exportPdf': async ({ id }) => {
      const memo = await store.getMemo(id);
      const linked = linkedQuotesInOrder(memo.content);
      const quotes = await store.listQuotes({ ids: linked.map((l) => l.quoteId), limit: 5000 });
      const byId = new Map(quotes.map((q) => [q.id, q]));
      const items = new Map(quotes.map((q) => [q.sourceId, q.sourceCsl]));
      // The printer walks linked quotes in document order; a missing one takes no citation.
      const rendered = citations.renderInOrder(items, linked.map((l) => byId.get(l.quoteId)?.sourceId ?? null), { html: '', text: '' });
      const html = memoToPrintHtml({
        title: memo.title,
        content: memo.content,
        quotes: new Map(quotes.map((q) => [q.id, { exact: q.textQuote.exact, speaker: q.speaker }])),
        citations: rendered.citations,
        bibliography: rendered.bibliography,
        bibliographyHeading: DEFAULT_BIBLIOGRAPHY_HEADING,
      });
      const pdf = await options.printPdf(html);
      return { fileName: exportFileName(memo.title, '.pdf'), pdfBase64: Buffer.from(pdf).toString('base64'), byteLength: pdf.byteLength };
    },
    'host.saveFile': async ({ suggestedName, dataBase64 }) => {
      if (!options.saveFile) throw new ApiError('unsupported', 'This host has no save dialog; the browser downloads the file instead.');
      return { savedTo: await options.saveFile(exportFileName(suggestedName.replace(/\.pdf$/i, ''), '.pdf'), Buffer.from(dataBase64, 'base64')) };
    },
  };

  const dispatch = async (method: unknown, args: unknown): Promise<CallResult<unknown>> => {
    if (!isMethodName(method)) return { ok: false, error: { code: 'unknown_method', message: `There is no method called ${JSON.stringify(String(method)).slice(0, 80)}.` } };
    const spec = contract[method];
    const parsed = spec.args.safeParse(args ?? {});
    if (!parsed.success) return { ok: false, error: { code: 'invalid_arguments', message: `${method}: ${describeIssues(parsed.error)}` } };
    try {
      const handler = handlers[method] as (a: unknown) => Promise<unknown>;
      const value = await handler(parsed.data);
      const checked = spec.result.safeParse(value);
      if (!checked.success) {
        logError(`${method} returned a value that does not match its contract`, checked.error);
        return { ok: false, error: { code: 'internal', message: `${method} produced an invalid result: ${describeIssues(checked.error)}` } };
      }
      return { ok: true, value: checked.data };
    } catch (error) {
      if (error instanceof ApiError) return { ok: false, error: { code: error.code, message: error.message } };
      logError(`${method} failed`, error);
      const message = error instanceof Error ? error.message : String(error);
      return { ok: false, error: { code: 'internal', message: `${method} failed: ${message}` } };
    }
  };

  return {
    store,
    dataFile,
    handlers,
    dispatch,
    close: () => db.close(),
  };
}
