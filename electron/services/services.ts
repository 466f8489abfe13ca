/**
 * The host-agnostic services behind the contract: one object per open library with a
 * handler for every contract method, and `dispatch`, which both hosts call.
 *
 * Lifecycle: `openServices()` opens (or creates and seeds) the library file, migrates
 * it, and returns the services; `close()` drains pending writes and closes the file.
 * Host-specific abilities (printing HTML to PDF, a save dialog) are passed in.
 * Runs under plain Node; never imports 'electron'.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { z } from 'zod';
import type { CiteInput } from '../../shared/citations';
import { ApiError, contract, isMethodName, type CallResult, type CiteRef, type ResultOf } from '../../shared/contract';
import type { MethodName } from '../../shared/methods';
import { citesInOrder } from '../../shared/memoDocument';
import { readingText } from '../../shared/normalize';
import { detectQuotations } from '../../shared/quoteDetection';
import { locatorLabelOrPage, type CslItem, type MemoSettings, type Quote, type SourceSummary } from '../../shared/model';
import { escapeHtml, exportFileName, memoToPrintHtml, needsPagedLayout } from '../../shared/printHtml';
import { movePageStarts } from '../../shared/selectors';
import { formatBibliography, parseBibliography } from './bibliography';
import { CitationService, CITATION_UNAVAILABLE, DEFAULT_STYLE_ID, SHIPPED_LOCALES, type RenderedForStyle } from './citationService';
import { backupDue, createBackup, DEFAULT_KEEP_BACKUPS, listBackups, restoreBackupOnline } from './backup';
import { storageError } from './db';
import { importFile, importPlainText } from './importer';
import { LibraryOpenError, openLibraryDatabase } from './libraryFile';
import { acquireLibraryLock, type LockHost } from './lock';
import { charsetOf, fetchForImport } from './urlImport';
import { Organisation } from './organisation';
import { searchLibrary } from './search';
import { LibraryStore, type StoreOptions, type StoredQuote } from './store';

/** Rows in a page (`*.page` methods) when the caller gives no `limit`. */
const DEFAULT_PAGE = 100;

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
  /**
   * Print a complete HTML document to PDF bytes (Chromium in both hosts). With `paged`, the
   * document lays itself out with Paged.js (footnotes): run its scripts, wait for
   * `html[data-paged="done"]`, and use the CSS page size and margins.
   */
  printPdf: (html: string, options?: { paged?: boolean; lang?: string }) => Promise<Uint8Array>;
  /** Ask the user where to save and write the bytes; null when cancelled. Absent in hosts without dialogs. */
  saveFile?: (suggestedName: string, bytes: Uint8Array) => Promise<string | null>;
  /** Build the citation engines right after opening (about a second of CPU), so the first citation is fast. Default true; one-shot CLI commands turn it off. */
  warmCitations?: boolean;
  /** The fetch used by "Import from URL" (the global one unless a test passes another). */
  fetch?: typeof fetch;
  /** Memo history: the clock and revision policy (coalescing interval, retention); see `RevisionPolicy` in store.ts. Tests pass a fake clock. */
  memoRevisions?: StoreOptions;
  /** Log a failure that the caller only sees as an `internal` error. Defaults to console.error. */
  logError?: (message: string, error: unknown) => void;
  /** Who holds the library lock (lock.ts): defaults to `host`; the CLI's one-shot commands say `cli`. */
  lockHost?: LockHost;
  /** How many `library-*` backups to keep (paths.ts resolveKeepBackups); default 10. */
  keepBackups?: number;
  /** Milliseconds after opening before the daily start-up backup runs (when one is due; never for a library just created). Default 3000; `false` turns it off. */
  startupBackupDelayMs?: number | false;
}

/** What makes two CSL items the same work for a duplicate warning: title, year and first author's family name, case and accents ignored. */
function sameWorkKey(csl: CslItem): string {
  const fold = (s: unknown) => (typeof s === 'string' ? s : '').normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  const first = csl.author?.[0];
  return [fold(csl.title), String(csl.issued?.['date-parts']?.[0]?.[0] ?? ''), fold(first?.family ?? first?.literal)].join('|');
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
  /** Drain pending writes, close the library file and release its lock. */
  close(): Promise<void>;
  /** The start-up backup, once it has run (resolves null when none was due, rejects when it failed); for tests and hosts that want to wait for it. */
  readonly startupBackup: Promise<unknown>;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'arguments'}: ${issue.message}`)
    .join('; ');
}

/**
 * Open the library in `options.dataDir` (creating, migrating and seeding a new one with
 * the sample article) and build the services. Takes the library lock first (one writer,
 * lock.ts) and classifies the file read-only before writing (libraryFile.ts).
 * @throws LibraryLockedError when another program has the library open; LibraryOpenError
 *   (file untouched) when it is not a library this build can open; Error when the folder
 *   cannot be created.
 */
export async function openServices(options: ServiceOptions): Promise<Services> {
  mkdirSync(options.dataDir, { recursive: true });
  const dataFile = path.join(options.dataDir, LIBRARY_FILE_NAME);
  const lock = acquireLibraryLock(options.dataDir, options.lockHost ?? options.host);
  let db: Awaited<ReturnType<typeof openLibraryDatabase>>['db'];
  let applied: number[];
  try {
    ({ db, applied } = await openLibraryDatabase(dataFile));
  } catch (error) {
    lock.release();
    throw error;
  }
  let store: LibraryStore;
  try {
    store = new LibraryStore(db, options.memoRevisions);
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
    lock.release();
    throw error;
  }
  const logError = options.logError ?? ((message, error) => console.error(message, error));
  const citations = new CitationService(options.resourcesDir, store, (ids, error) => logError(`citeproc-js could not render sources ${ids.join(', ')}`, error));
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
    const inText = await citations.inText(items);
    return quotes.map(({ sourceCsl: _csl, ...q }) => ({ ...q, citation: inText.get(q.sourceId) ?? '' }));
  };

  /**
   * Render cites in document order with a memo's style: a quote's stored locator is used
   * unless the cite gives one; a cite of a missing quote or source (null) gets `gap`.
   */
  /** The quotes with these ids that are still in the library, by id (ids read once). */
  const quotesById = async (ids: readonly string[]): Promise<Map<string, StoredQuote>> => {
    const quotes = ids.length ? await store.listQuotes({ ids: [...new Set(ids)], limit: 5000 }) : [];
    return new Map(quotes.map((q) => [q.id, q]));
  };

  const renderCites = async (
    settings: Pick<MemoSettings, 'citationStyle' | 'locale'>,
    refs: readonly (CiteRef | null)[],
    gap: { html: string; text: string },
    loaded?: ReadonlyMap<string, StoredQuote>,
  ): Promise<RenderedForStyle> => {
    const byId = loaded ?? (await quotesById(refs.flatMap((r) => (r?.quoteId ? [r.quoteId] : []))));
    const items = await store.cslItems(refs.flatMap((r) => (r ? [r.sourceId] : [])));
    const inputs: (CiteInput | null)[] = refs.map((r) => {
      if (!r) return null;
      const quote = r.quoteId ? byId.get(r.quoteId) : undefined;
      if (r.quoteId && !quote) return null;
      const locator = r.locator ?? quote?.locator ?? '';
      const label = r.label ?? quote?.locatorLabel ?? 'page';
      return { itemId: quote?.sourceId ?? r.sourceId, ...(locator ? { locator, label } : {}), ...(r.prefix ? { prefix: r.prefix } : {}), ...(r.suffix ? { suffix: r.suffix } : {}), ...(r.suppressAuthor ? { suppressAuthor: true } : {}), ...(r.groupWithPrevious ? { groupWithPrevious: true } : {}) };
    });
    return citations.render({ id: settings.citationStyle, locale: settings.locale }, items, inputs, gap);
  };

  // Paged.js lays out footnotes in the PDF; read once, on the first export that needs it.
  let pagedJs: { source: string; sha256: string } | null = null;
  const pagedJsSource = () => {
    if (!pagedJs) {
      // pagedjs's package "exports" hide dist/: find the package folder from its main entry (src/index.js).
      const requireFromApp = createRequire(path.resolve(options.resourcesDir, '..', '..', 'package.json'));
      const packageDir = path.dirname(path.dirname(requireFromApp.resolve('pagedjs')));
      const source = readFileSync(path.join(packageDir, 'dist', 'paged.polyfill.min.js'), 'utf8');
      pagedJs = { source, sha256: createHash('sha256').update(source, 'utf8').digest('base64') };
    }
    return pagedJs;
  };

  const keepBackups = options.keepBackups ?? DEFAULT_KEEP_BACKUPS;
  const organisation = new Organisation(db);
  const handlers: Handlers = {
    'app.info': async () => ({ version: options.version, host: options.host, dataFile, locales: [...SHIPPED_LOCALES] }),
    'library.backup': () => createBackup(db, options.dataDir, keepBackups, new Date(), logError),
    'library.backups': async () => listBackups(options.dataDir),
    'library.restore': async ({ name }) => {
      if (!listBackups(options.dataDir).some((b) => b.name === name)) throw new ApiError('not_found', `There is no backup called “${name}”. Choose one from the list of backups.`);
      let keptAs: string;
      try {
        ({ keptAs } = await restoreBackupOnline(db, options.dataDir, name));
      } catch (error) {
        if (error instanceof LibraryOpenError) throw new ApiError('storage', `That backup cannot be restored: ${error.message} Your library was not changed.`);
        throw error;
      }
      return { restored: name, keptAs };
    },
    'sources.list': (args) => store.listSources(args),
    'sources.page': async (args) => {
      const page = { ...args, limit: args.limit ?? DEFAULT_PAGE };
      const [items, total] = await Promise.all([store.listSources(page), store.countSources(args)]);
      return { items, total, offset: args.offset ?? 0 };
    },
    'sources.backlinks': ({ id }) => organisation.sourceBacklinks(id),
    'sources.get': ({ id }) => store.getSource(id),
    'sources.import': async ({ fileName, dataBase64 }) => {
      const bytes = Buffer.from(dataBase64, 'base64');
      const baseName = path.basename(fileName.replace(/\\/g, '/'));
      const doc = await importFile(baseName, bytes);
      return store.insertSource({
        csl: doc.csl,
        text: doc.text,
        html: doc.html,
        pages: doc.pages ?? null,
        origin: { kind: 'file', fileName: baseName, mediaType: doc.mediaType, byteLength: bytes.length },
        original: { fileName: baseName, mediaType: doc.mediaType, bytes },
      });
    },
    'sources.importUrl': async ({ url }) => {
      const fetched = await fetchForImport(url, options.fetch);
      const doc = await importFile(fetched.fileName, fetched.bytes, { charset: fetched.charset });
      // A page without its own canonical address is cited by the one it was fetched from.
      const csl = doc.csl.URL ? doc.csl : { ...doc.csl, URL: fetched.finalUrl };
      return store.insertSource({
        csl,
        text: doc.text,
        html: doc.html,
        pages: doc.pages ?? null,
        origin: { kind: 'url', fileName: fetched.fileName, url: fetched.finalUrl, mediaType: doc.mediaType, byteLength: fetched.bytes.length },
        // The charset the server named is kept with the file, so reading it again decodes it the same way.
        original: { fileName: fetched.fileName, mediaType: fetched.charset ? `${doc.mediaType}; charset=${fetched.charset}` : doc.mediaType, bytes: fetched.bytes },
      });
    },
    'sources.reimport': async ({ id, fileName, dataBase64 }) => {
      const bytes = Buffer.from(dataBase64, 'base64');
      const baseName = path.basename(fileName.replace(/\\/g, '/'));
      await store.getSourceSummary(id); // not_found before the file is read
      const doc = await importFile(baseName, bytes);
      const report = await store.replaceSourceText(id, { text: doc.text, html: doc.html, pages: doc.pages ?? null, original: { fileName: baseName, mediaType: doc.mediaType, bytes } });
      return { source: await store.getSourceSummary(id), report };
    },
    'sources.reread': async ({ id }) => {
      const original = await store.getOriginal(id);
      if (!original) throw new ApiError('not_found', 'Verbatim keeps no original file for this source (it was pasted, is the sample, or was imported before originals were kept). Use “Replace with new version…” to give it one.');
      const doc = await importFile(original.fileName, original.bytes, { charset: charsetOf(original.mediaType) });
      const report = await store.replaceSourceText(id, { text: doc.text, html: doc.html, pages: doc.pages ?? null });
      return { source: await store.getSourceSummary(id), report };
    },
    'sources.suggestQuotes': async ({ id }) => {
      const source = await store.getSource(id);
      const saved = (await store.listQuotes({ sourceId: id, limit: 5000 })).filter((q) => q.anchor.status !== 'orphaned');
      return detectQuotations(source.text).map(({ speakerPhrase: _phrase, ...s }) => {
        // A saved quote "covers" a suggestion when it holds at least 80 % of the suggestion's span.
        const covering = saved.find((q) => Math.min(q.textPosition.end, s.end) - Math.max(q.textPosition.start, s.start) >= 0.8 * (s.end - s.start));
        return { ...s, savedQuoteId: covering?.id ?? null };
      });
    },
    'sources.updateText': async ({ id, text }) => {
      const old = await store.getSource(id);
      const doc = importPlainText(text, 'text', 'paste');
      // A PDF's pages follow the edit, so its quotes keep their page locators.
      const pages = old.pages ? movePageStarts(old.text, old.pages, doc.text) : null;
      const report = await store.replaceSourceText(id, { text: doc.text, html: null, pages });
      return { source: await store.getSourceSummary(id), report };
    },
    'sources.importText': async ({ text, title }) => {
      const doc = importPlainText(text, 'text', 'paste', title);
      return store.insertSource({ csl: doc.csl, text: doc.text, html: null, origin: { kind: 'paste', fileName: null, mediaType: 'text/plain', byteLength: Buffer.byteLength(text) } });
    },
    'sources.updateMetadata': ({ id, csl, citationKey }) => store.updateMetadata(id, csl, citationKey),
    'sources.importBibliography': async ({ fileName, text, targetSourceId }) => {
      const baseName = path.basename(fileName.replace(/\\/g, '/'));
      const parsed = parseBibliography(baseName, text);
      if (targetSourceId) {
        const first = parsed.entries[0]!;
        const problems = [...parsed.problems];
        if (parsed.entries.length > 1) problems.push({ line: parsed.entries[1]!.line, kind: 'warning', message: `The file has ${parsed.entries.length} entries; only the first (line ${first.line}) was used for this source.` });
        // The file's own key (if any) becomes the source's; a key the user pinned stays.
        const updated = await store.updateMetadata(targetSourceId, first.csl);
        return { created: [], updated, problems, format: parsed.format };
      }
      const created = await store.insertSources(
        parsed.entries.map((e) => ({ csl: e.csl, text: '', html: null, origin: { kind: 'bibliography' as const, fileName: baseName, mediaType: 'text/plain', byteLength: 0 } })),
      );
      // Same title, year and first author as a source already there: imported anyway (nothing is lost), and said.
      const existing = new Map<string, SourceSummary>();
      for (const s of await store.listSources()) if (!created.some((c) => c.id === s.id)) existing.set(sameWorkKey(s.csl), s);
      const problems = [...parsed.problems];
      parsed.entries.forEach((e) => {
        const twin = existing.get(sameWorkKey(e.csl));
        if (twin) problems.push({ line: e.line, kind: 'warning', message: `Already in the library as “${twin.title}” (@${twin.citationKey}); imported again, delete one of them if it is the same work.` });
      });
      problems.sort((a, b) => a.line - b.line);
      return { created, updated: null, problems, format: parsed.format };
    },
    'sources.exportBibliography': async ({ ids, format }) => {
      const sources = await store.sourcesByIds(ids);
      if (sources.length === 0) throw new ApiError('not_found', 'None of those sources is in the library.');
      const out = formatBibliography(sources.map((s) => ({ csl: s.csl, citationKey: s.citationKey })), format);
      const name = sources.length === 1 ? sources[0]!.citationKey : `verbatim-${sources.length}-sources`;
      return { fileName: exportFileName(name, `.${out.ext}`), mediaType: out.mediaType, text: out.text };
    },
    'sources.delete': async ({ id }) => ({ deletedQuotes: await store.deleteSource(id) }),
    'quotes.create': async (args) => (await withCitations([await store.createQuote(args)]))[0]!,
    'quotes.list': async (args) => withCitations(await store.listQuotes(args)),
    'quotes.page': async (args) => {
      const page = { ...args, limit: args.limit ?? DEFAULT_PAGE };
      const [items, total] = await Promise.all([store.listQuotes(page), store.countQuotes(args)]);
      return { items: await withCitations(items), total, offset: args.offset ?? 0 };
    },
    'quotes.backlinks': ({ id }) => organisation.quoteBacklinks(id),
    'quotes.update': async ({ id, ...patch }) => (await withCitations([await store.updateQuote(id, patch)]))[0]!,
    'quotes.cite': async ({ id, styleId, locale }) => {
      const quote = await store.getQuote(id);
      const rendered = await renderCites({ citationStyle: styleId ?? DEFAULT_STYLE_ID, locale: locale ?? '' }, [{ sourceId: quote.sourceId, quoteId: id }], CITATION_UNAVAILABLE);
      const cite = rendered.citations[0]!;
      const exact = readingText(quote.textQuote.exact); // as it reads: a PDF's line-end hyphenation undone
      if (cite.noteNumber !== null) {
        return { text: `“${exact}”¹\n\n1. ${cite.text}`, html: `<blockquote><p>${escapeHtml(exact)}<sup>1</sup></p></blockquote><p><sup>1</sup> ${cite.html}</p>` };
      }
      return { text: `“${exact}” ${cite.text}`, html: `<blockquote><p>${escapeHtml(exact)} ${cite.html}</p></blockquote>` };
    },
    'quotes.reanchor': async ({ id, start, end }) => (await withCitations([await store.reanchorQuote(id, start, end)]))[0]!,
    'quotes.delete': async ({ id, force }) => ({ deleted: await organisation.deleteQuote(id, force ?? false) }),
    'memos.list': (args) => store.listMemos(args),
    'memos.page': async (args) => {
      const page = { ...args, limit: args.limit ?? DEFAULT_PAGE };
      const [items, total] = await Promise.all([store.listMemos(page), store.countMemos(args)]);
      return { items, total, offset: args.offset ?? 0 };
    },
    'search.query': (args) => searchLibrary(db, args),
    'tags.list': () => organisation.listTags(),
    'tags.add': ({ name, quoteIds, sourceIds }) => organisation.addTag(name, quoteIds, sourceIds),
    'tags.remove': ({ tagId, quoteIds, sourceIds }) => organisation.removeTag(tagId, quoteIds, sourceIds),
    'tags.rename': ({ id, name, merge }) => organisation.renameTag(id, name, merge ?? false),
    'tags.merge': ({ fromIds, intoId }) => organisation.mergeTags(fromIds, intoId),
    'tags.delete': async ({ id }) => ({ deleted: await organisation.deleteTag(id) }),
    'projects.list': () => organisation.listProjects(),
    'projects.create': ({ name }) => organisation.createProject(name),
    'projects.rename': ({ id, name }) => organisation.renameProject(id, name),
    'projects.delete': async ({ id }) => ({ deleted: await organisation.deleteProject(id) }),
    'projects.addItems': ({ id, ...items }) => organisation.changeProjectItems(id, items, false),
    'projects.removeItems': ({ id, ...items }) => organisation.changeProjectItems(id, items, true),
    'memos.create': ({ title }) => store.createMemo((title ?? '').trim() || 'Untitled memo'),
    'memos.get': ({ id }) => store.getMemo(id),
    'memos.save': ({ id, title, content, baseRevision }) => store.saveMemo(id, title, content, baseRevision),
    'memos.updateSettings': async ({ id, ...patch }) => {
      if (patch.citationStyle !== undefined && !(await citations.listStyles()).some((s) => s.id === patch.citationStyle)) {
        throw new ApiError('not_found', `The citation style “${patch.citationStyle}” is not installed.`);
      }
      return store.updateMemoSettings(id, patch);
    },
    'memos.delete': async ({ id }) => ({ deleted: await store.deleteMemo(id) }),
    'memos.revisions': ({ id }) => store.listRevisions(id),
    'memos.revision': ({ id }) => store.getRevision(id),
    'memos.restoreRevision': ({ memoId, revisionId, baseRevision }) => store.restoreRevision(memoId, revisionId, baseRevision),
    'citations.render': async ({ styleId, locale, cites }) => {
      const rendered = await renderCites({ citationStyle: styleId ?? DEFAULT_STYLE_ID, locale: locale ?? '' }, cites, { html: '[source missing]', text: '[source missing]' });
      return { style: rendered.style, bibliographyHeading: rendered.bibliographyHeading, citations: rendered.citations, bibliography: rendered.bibliography };
    },
    'styles.list': () => citations.listStyles(),
    'styles.add': ({ fileName, xml }) => citations.addStyle(path.basename(fileName.replace(/\\/g, '/')), xml),
    'styles.remove': async ({ id }) => ({ removed: await citations.removeStyle(id) }),
    'memos.exportPdf': async ({ id }) => {
      const memo = await store.getMemo(id);
      const cites = citesInOrder(memo.content);
      const quotes = await quotesById(cites.flatMap((c) => (c.kind === 'quote' ? [c.node.quoteId] : [])));
      const refs = cites.map((c) =>
        c.kind === 'quote'
          ? { sourceId: c.node.sourceId, quoteId: c.node.quoteId }
          : { sourceId: c.node.sourceId, locator: c.node.locator, label: locatorLabelOrPage(c.node.label), prefix: c.node.prefix, suffix: c.node.suffix, suppressAuthor: c.node.suppressAuthor, groupWithPrevious: c.groupWithPrevious },
      );
      // The printer walks cites in document order; a missing quote or source prints no citation.
      const rendered = await renderCites(memo.settings, refs, { html: '', text: '' }, quotes);
      const printInput = {
        title: memo.title,
        content: memo.content,
        quotes: new Map([...quotes].map(([id, q]) => [id, { exact: q.textQuote.exact, speaker: q.speaker, anchorStatus: q.anchor.status }])),
        cites: rendered.citations.map((c) => (c.html === '' ? null : c)),
        bibliography: rendered.bibliography,
        bibliographyHeading: rendered.bibliographyHeading,
        noteStyle: rendered.style.class === 'note',
        notePlacement: memo.settings.notePlacement,
        lang: memo.settings.locale || rendered.style.defaultLocale || 'en-US',
      };
      const paged = needsPagedLayout(printInput);
      const html = memoToPrintHtml({ ...printInput, ...(paged ? { pagedJs: pagedJsSource() } : {}) });
      const pdf = await options.printPdf(html, { paged, lang: printInput.lang });
      return { fileName: exportFileName(memo.title, '.pdf'), pdfBase64: Buffer.from(pdf).toString('base64'), byteLength: pdf.byteLength };
    },
    'host.saveFile': async ({ suggestedName, dataBase64 }) => {
      if (!options.saveFile) throw new ApiError('unsupported', 'This host has no save dialog; the browser downloads the file instead.');
      // The kinds of file Verbatim exports keep their extension; anything else is saved as a PDF.
      const extension = /\.(pdf|bib|ris|json)$/i.exec(suggestedName)?.[0]?.toLowerCase() ?? '.pdf';
      return { savedTo: await options.saveFile(exportFileName(suggestedName.replace(/\.(pdf|bib|ris|json)$/i, ''), extension), Buffer.from(dataBase64, 'base64')) };
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
      const storage = storageError(error);
      if (storage) {
        logError(`${method} failed on storage`, error);
        return { ok: false, error: { code: 'storage', message: storage } };
      }
      logError(`${method} failed`, error);
      const message = error instanceof Error ? error.message : String(error);
      return { ok: false, error: { code: 'internal', message: `${method} failed: ${message}` } };
    }
  };

  // The daily backup: after the first screen has what it needs, and only when one is due.
  const delay = options.startupBackupDelayMs ?? 3000;
  let backupTimer: NodeJS.Timeout | undefined;
  let cancelBackup = () => undefined as void;
  // A backups folder that cannot be read never stops the library from opening: logged, and no start-up backup this time.
  let due = false;
  if (delay !== false && !applied.includes(1)) {
    try {
      due = backupDue(options.dataDir);
    } catch (error) {
      logError('The backups folder could not be read, so no start-up backup was made', error);
    }
  }
  const startupBackup =
    delay === false || !due
      ? Promise.resolve(null)
      : new Promise((resolve, reject) => {
          backupTimer = setTimeout(() => createBackup(db, options.dataDir, keepBackups, new Date(), logError).then(resolve, reject), delay);
          backupTimer.unref?.();
          cancelBackup = () => resolve(null); // closed before it was due: no backup this time
        });
  startupBackup.catch((error: unknown) => logError('The start-up backup failed', error));
  let closing: Promise<void> | null = null;

  return {
    store,
    dataFile,
    handlers,
    dispatch,
    startupBackup,
    close: () =>
      (closing ??= (async () => {
        clearTimeout(backupTimer);
        cancelBackup();
        try {
          await db.close();
        } finally {
          lock.release();
        }
      })()),
  };
}
