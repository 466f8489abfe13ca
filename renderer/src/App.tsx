/**
 * Verbatim's window: library (left), reader (middle), memo (right).
 *
 * Keyboard: Ctrl/Cmd+O import, Alt+N new memo, Ctrl/Cmd+Shift+F search quotes,
 * Ctrl/Cmd+Shift+S save the reader selection as a quote, Ctrl/Cmd+Shift+E export PDF.
 */
import { useCallback, useEffect, useRef, useState, type DragEvent } from 'react';
import { ApiError, MAX_IMPORT_BYTES, type Project, type QuoteSort, type ReanchorReport, type Tag } from '../../shared/contract';
import { isBibliographyFileName } from '../../shared/importFormats';
import { UNTITLED_SOURCE, type CslItem, type LocatorLabel, type MemoSettings, type MemoSummary, type Quote, type Source, type SourceSummary } from '../../shared/model';
import { AboutDialog } from './components/AboutDialog';
import { BackupsDialog } from './components/BackupsDialog';
import { BibliographyReport, type BibliographyImportReport } from './components/BibliographyReport';
import { CiteDialog } from './components/CiteDialog';
import { ExportDialog } from './components/ExportDialog';
import { QuoteDialog } from './components/QuoteDialog';
import { api } from './api';
import { readTextFile } from './readText';
import { ErrorBoundary } from './components/ErrorBoundary';
import { LibraryPanel } from './components/LibraryPanel';
import { MetadataDialog } from './components/MetadataDialog';
import { NotificationsProvider, useNotify } from './components/Notifications';
import { PasteDialog } from './components/PasteDialog';
import { ImportProgress, type ImportItem } from './components/ImportProgress';
import { EditTextDialog, UrlDialog } from './components/TextDialogs';
import { Reader } from './components/Reader';
import { MemoPane, type MemoInserter } from './memo/MemoPane';
import { cleanFilters, useLibrarySearch, type LibraryFilters } from './components/SearchPanel';
import type { BacklinkJump } from './components/Organise';
import { TagManager } from './components/TagManager';
import { usePagedList } from './usePagedList';

/** File names the importer reads as bibliographies (BibTeX, RIS, CSL-JSON) rather than as text to quote. */

/** localStorage key of the memo that was open last. */
const LAST_MEMO_KEY = 'verbatim.lastMemoId';
/** localStorage key of the source that was open last. */
const LAST_SOURCE_KEY = 'verbatim.lastSourceId';

/** Rows per page of the library's lists. */
const PAGE = 200;

/**
 * Scroll the open memo to a use of a quote or source and flash it: the first linked quote
 * with `quoteId`, else the `position`-th cite (linked quotes and citations, in document
 * order). The memo may still be loading: it is looked for on each frame for up to 5 s.
 */
function revealInMemo(jump: BacklinkJump): void {
  const deadline = performance.now() + 5000;
  const look = () => {
    const editor = document.querySelector<HTMLElement>('[data-testid="memo-editor"]');
    const byQuote = jump.quoteId ? editor?.querySelector<HTMLElement>(`[data-testid="linked-quote"][data-quote-id="${CSS.escape(jump.quoteId)}"]`) : null;
    const cites = editor ? Array.from(editor.querySelectorAll<HTMLElement>('[data-testid="linked-quote"], [data-testid="citation"]')) : [];
    const target = byQuote ?? cites[jump.position] ?? null;
    if (!target) {
      if (performance.now() < deadline) requestAnimationFrame(look);
      return;
    }
    target.scrollIntoView({ block: 'center' });
    target.classList.remove('flash');
    void target.offsetWidth; // restart the animation if it was flashing already
    target.classList.add('flash');
    window.setTimeout(() => target.classList.remove('flash'), 2000);
  };
  requestAnimationFrame(look);
}

function readAsBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error(`Could not read ${file.name}`));
    reader.readAsDataURL(file);
  });
}

function Workspace() {
  const notify = useNotify();
  const [query, setQuery] = useState('');
  const [filters, setFilters] = useState<LibraryFilters>({});
  const [sort, setSort] = useState<QuoteSort>('added');
  const [tags, setTags] = useState<Tag[]>([]);
  const [projects, setProjects] = useState<Project[]>([]);
  const [tagManager, setTagManager] = useState(false);
  /** Memo saves since start: the memo list and backlinks follow them (libraryVersion would also reload the open memo's quotes). */
  const [memoSaves, setMemoSaves] = useState(0);
  const [scope, setScope] = useState<'all' | 'source'>('all');
  const [openSource, setOpenSource] = useState<Source | null>(null);
  const [sourceQuotes, setSourceQuotes] = useState<Quote[]>([]);
  const [focus, setFocus] = useState<{ quoteId: string | null; nonce: number }>({ quoteId: null, nonce: 0 });
  const [openMemoId, setOpenMemoId] = useState<string | null>(null);
  const [libraryVersion, setLibraryVersion] = useState(0);
  const [busy, setBusy] = useState<string | null>(null);
  const onListError = useCallback((error: unknown) => notify.failure('The library could not be loaded', error), [notify]);
  const projectId = filters.projectId;
  const sourcesList = usePagedList((offset, limit) => api['sources.page']({ ...(projectId ? { projectId } : {}), offset, limit }), JSON.stringify([projectId, libraryVersion]), onListError, PAGE);
  const memosList = usePagedList((offset, limit) => api['memos.page']({ ...(projectId ? { projectId } : {}), offset, limit }), JSON.stringify([projectId, libraryVersion, memoSaves]), onListError, PAGE);
  const sources = sourcesList.items;
  const memos = memosList.items;
  const [dialog, setDialog] = useState<'paste' | 'url' | 'edit-text' | 'metadata' | 'export' | 'about' | 'backups' | null>(null);
  const [importItems, setImportItems] = useState<ImportItem[] | null>(null);
  const [citeSource, setCiteSource] = useState<SourceSummary | null>(null);
  const [editQuote, setEditQuote] = useState<Quote | null>(null);
  const [bibReports, setBibReports] = useState<BibliographyImportReport[]>([]);
  const [memoSettings, setMemoSettings] = useState<MemoSettings | null>(null);
  const [citedSourceIds, setCitedSourceIds] = useState<string[] | null>(null);
  const [fileDragOver, setFileDragOver] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const initialised = useRef(false);

  const changed = useCallback(() => setLibraryVersion((v) => v + 1), []);
  const openSourceIdRef = useRef<string | null>(null);
  openSourceIdRef.current = openSource?.id ?? null;

  // The open source is remembered too, and reopened on the next start.
  useEffect(() => {
    if (openSource) localStorage.setItem(LAST_SOURCE_KEY, openSource.id);
  }, [openSource]);

  // The open memo is remembered in this browser profile and reopened on the next start.
  useEffect(() => {
    if (openMemoId) localStorage.setItem(LAST_MEMO_KEY, openMemoId);
    else if (initialised.current) localStorage.removeItem(LAST_MEMO_KEY);
  }, [openMemoId]);

  /** Tags and projects (small lists, read whole); the paged lists follow `libraryVersion`. */
  const refreshLists = useCallback(async () => {
    const [t, p] = await Promise.all([api['tags.list']({}), api['projects.list']({})]);
    setTags(t);
    setProjects(p);
  }, []);

  const openSourceById = useCallback(
    async (id: string, quoteId: string | null = null) => {
      try {
        const [source, list] = await Promise.all([api['sources.get']({ id }), api['quotes.list']({ sourceId: id, limit: 5000 })]);
        openSourceIdRef.current = source.id;
        setOpenSource(source);
        setSourceQuotes(list);
        setFocus((f) => ({ quoteId, nonce: f.nonce + 1 }));
      } catch (error) {
        notify.failure('The source could not be opened', error);
      }
    },
    [notify],
  );

  // First load: the lists, and the newest source open in the reader.
  useEffect(() => {
    if (initialised.current) return;
    initialised.current = true;
    refreshLists()
      .then(async () => {
        const lastSource = localStorage.getItem(LAST_SOURCE_KEY);
        const reopen = lastSource ? await api['sources.get']({ id: lastSource }).then((x) => x.id, () => null) : null;
        const first = reopen ?? (await api['sources.list']({ limit: 1 }))[0]?.id;
        if (first) void openSourceById(first);
        const lastMemo = localStorage.getItem(LAST_MEMO_KEY);
        if (lastMemo && (await api['memos.get']({ id: lastMemo }).then(() => true, () => false))) setOpenMemoId(lastMemo);
      })
      .catch((error: unknown) => notify.failure('The library could not be loaded', error));
  }, [refreshLists, openSourceById, notify]);

  // Refresh lists and the open source's highlights whenever the library changes.
  useEffect(() => {
    if (libraryVersion === 0) return;
    refreshLists().catch((error: unknown) => notify.failure('The library could not be refreshed', error));
    if (openSource) {
      const sourceId = openSource.id;
      api['quotes.list']({ sourceId, limit: 5000 }).then(
        // Another source may have been opened meanwhile (an import opens the new one): keep its quotes.
        (list) => openSourceIdRef.current === sourceId && setSourceQuotes(list),
        (error: unknown) => notify.failure('Quotes could not be loaded', error),
      );
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only on library changes
  }, [libraryVersion]);

  // Back in this window: pick up what another window or a script changed meanwhile.
  useEffect(() => {
    const onVisible = () => document.visibilityState === 'visible' && changed();
    const onFocus = () => changed();
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener('focus', onFocus);
    return () => {
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('focus', onFocus);
    };
  }, [changed]);

  // The quote list: filters, scope (this source), sort, and library changes; a page at a time.
  const quoteFilters = cleanFilters({ ...filters, ...(scope === 'source' && openSource ? { sourceId: openSource.id } : {}) });
  const quotesList = usePagedList((offset, limit) => api['quotes.page']({ ...quoteFilters, sort, offset, limit }), JSON.stringify([quoteFilters, sort, libraryVersion]), onListError, PAGE);
  const quotes = quotesList.items;
  const search = useLibrarySearch(query, quoteFilters, libraryVersion, useCallback((error: unknown) => notify.failure('Search failed', error), [notify]));

  const importFiles = useCallback(
    async (files: File[]) => {
      let imported: SourceSummary | null = null;
      let lastWasBibliography = false;
      const failures: string[] = [];
      // Several files at once: a progress panel with one line per file, kept until closed.
      const batch = files.length > 1;
      const items: ImportItem[] = files.map((f) => ({ name: f.name, status: 'waiting', detail: '' }));
      const update = (i: number, patch: Partial<ImportItem>) => {
        items[i] = { ...items[i]!, ...patch };
        if (batch) setImportItems([...items]);
      };
      if (batch) setImportItems([...items]);
      for (const [i, file] of files.entries()) {
        setBusy(files.length > 1 ? `Importing ${i + 1} of ${files.length}: ${file.name}` : `Importing ${file.name}…`);
        update(i, { status: 'importing' });
        try {
          if (file.size > MAX_IMPORT_BYTES) {
            throw new Error(`“${file.name}” is ${(file.size / (1024 * 1024)).toFixed(1)} MB; Verbatim imports files up to ${MAX_IMPORT_BYTES / (1024 * 1024)} MB. Split it into smaller parts.`);
          }
          if (isBibliographyFileName(file.name)) {
            const { text, legacy } = await readTextFile(file);
            const result = await api['sources.importBibliography']({ fileName: file.name, text });
            setBibReports((reports) => [...reports, { fileName: file.name, created: result.created.length, updated: null, problems: result.problems, legacyEncoding: legacy }]);
            imported = result.created[0] ?? imported;
            lastWasBibliography = true;
            update(i, { status: 'done', detail: `${result.created.length} ${result.created.length === 1 ? 'source' : 'sources'} from the bibliography` });
            continue;
          }
          imported = await api['sources.import']({ fileName: file.name, dataBase64: await readAsBase64(file) });
          lastWasBibliography = false;
          update(i, { status: 'done', detail: `“${imported.title}”` });
        } catch (error) {
          failures.push((error as Error).message);
          update(i, { status: 'failed', detail: (error as Error).message });
        }
      }
      setBusy(null);
      if (!batch) for (const message of failures) notify.error(`Not imported: ${message}`);
      if (imported) {
        const ok = files.length - failures.length;
        // A bibliography's own report says what it added; text files get a notice.
        if (!lastWasBibliography && !batch) notify.info(ok === 1 ? `Imported “${imported.title}”` : `Imported ${ok} files`);
        changed();
        await openSourceById(imported.id);
      }
    },
    [changed, notify, openSourceById],
  );

  const importText = useCallback(
    async (text: string, title: string) =>
      (await notify.attempt('Not imported', async () => {
        const source = await api['sources.importText']({ text, ...(title.trim() ? { title } : {}) });
        notify.info(`Imported “${source.title}”`);
        changed();
        await openSourceById(source.id);
        return true;
      })) ?? false,
    [changed, notify, openSourceById],
  );

  const saveQuote = useCallback(
    async (start: number, end: number, speaker: string, note: string) =>
      !!openSource &&
      ((await notify.attempt('The quote was not saved', async () => {
        const quote = await api['quotes.create']({ sourceId: openSource.id, start, end, speaker, note });
        notify.info('Quote saved');
        setSourceQuotes((list) => [...list, quote]);
        changed();
        return true;
      })) ??
        false),
    [openSource, changed, notify],
  );

  const saveMetadata = useCallback(
    async (csl: CslItem, citationKey: string) =>
      !!openSource &&
      ((await notify.attempt('The metadata was not saved', async () => {
        await api['sources.updateMetadata']({ id: openSource.id, csl, ...(citationKey.trim() && citationKey.trim() !== openSource.citationKey ? { citationKey: citationKey.trim() } : {}) });
        setOpenSource(await api['sources.get']({ id: openSource.id }));
        setDialog(null);
        notify.info('Metadata saved');
        changed();
        return true;
      })) ??
        false),
    [openSource, changed, notify],
  );

  const newMemo = useCallback(
    () =>
      notify.attempt('The memo could not be created', async () => {
        const memo = await api['memos.create']({ title: 'Untitled memo' });
        setOpenMemoId(memo.id);
        changed();
      }),
    [changed, notify],
  );

  const openQuote = useCallback(
    (quoteId: string) =>
      notify.attempt('The quote could not be opened', async () => {
        const [quote] = await api['quotes.list']({ ids: [quoteId] });
        if (quote) await openSourceById(quote.sourceId, quote.id);
        else notify.error('That quote is no longer in the library.');
      }),
    [notify, openSourceById],
  );

  const importUrl = useCallback(
    async (url: string): Promise<string | null> => {
      setBusy(`Fetching ${url}…`);
      try {
        const source = await api['sources.importUrl']({ url });
        notify.info(`Imported “${source.title}”`);
        changed();
        await openSourceById(source.id);
        return null;
      } catch (error) {
        return (error as Error).message;
      } finally {
        setBusy(null);
      }
    },
    [changed, notify, openSourceById],
  );

  /** Tell what re-anchoring did, and reload the open source and its quotes. */
  const afterTextChange = useCallback(
    async (sourceId: string, report: ReanchorReport) => {
      if (report.sameText) notify.info('The text is the same as before: every quote is where it was.');
      else {
        const parts = [report.unchanged && `${report.unchanged} unchanged`, report.moved && `${report.moved} moved`, report.changed && `${report.changed} changed (review them)`, report.orphaned && `${report.orphaned} not found (kept as orphans)`].filter(Boolean);
        notify.info(`Text replaced. Quotes: ${parts.length ? parts.join(', ') : 'none'}.`);
      }
      changed();
      await openSourceById(sourceId);
    },
    [changed, notify, openSourceById],
  );

  const reimportSource = useCallback(
    async (file: File) => {
      if (!openSource) return;
      const id = openSource.id;
      setBusy(`Reading ${file.name}…`);
      await notify.attempt('The source was not replaced', async () => {
        const { report } = await api['sources.reimport']({ id, fileName: file.name, dataBase64: await readAsBase64(file) });
        await afterTextChange(id, report);
      });
      setBusy(null);
    },
    [openSource, notify, afterTextChange],
  );

  const rereadSource = useCallback(async () => {
    if (!openSource) return;
    const id = openSource.id;
    setBusy(`Reading ${openSource.origin.fileName ?? 'the original'} again…`);
    await notify.attempt('The original was not read again', async () => {
      const { report } = await api['sources.reread']({ id });
      await afterTextChange(id, report);
    });
    setBusy(null);
  }, [openSource, notify, afterTextChange]);

  const saveSourceText = useCallback(
    async (text: string): Promise<string | null> => {
      if (!openSource) return 'No source is open.';
      try {
        const { report } = await api['sources.updateText']({ id: openSource.id, text });
        await afterTextChange(openSource.id, report);
        return null;
      } catch (error) {
        return (error as Error).message;
      }
    },
    [openSource, afterTextChange],
  );

  const reanchorQuote = useCallback(
    async (quote: Quote, start: number, end: number) => {
      await notify.attempt('The quote was not anchored', async () => {
        await api['quotes.reanchor']({ id: quote.id, start, end });
        notify.info('Quote anchored to the current text. Memos that quote the old text show it as changed until you accept it there.');
        changed();
        await openSourceById(quote.sourceId, quote.id);
      });
    },
    [changed, notify, openSourceById],
  );

  /**
   * Delete a quote, asking first; when memos use it the question names them, and they
   * keep it as a marked missing-quote block. `in_use` (a memo started using it meanwhile)
   * asks again with the memos the store names.
   */
  const deleteQuote = useCallback(
    async (quote: Quote) => {
      await notify.attempt('The quote was not deleted', async () => {
        const links = await api['quotes.backlinks']({ id: quote.id });
        const text = `“${quote.textQuote.exact.slice(0, 200)}”`;
        const question =
          links.length === 0
            ? `Delete this quote?\n\n${text}\n\nNo memo uses it.`
            : `Delete this quote? ${links.length === 1 ? 'One memo uses' : `${links.length} memos use`} it:\n\n${links.map((l) => `• ${l.memoTitle}`).join('\n')}\n\n${text}\n\n${links.length === 1 ? 'That memo keeps' : 'Those memos keep'} it as a marked “deleted quote” block, with its text as it was inserted.`;
        if (!window.confirm(question)) return;
        try {
          await api['quotes.delete']({ id: quote.id, ...(links.length > 0 ? { force: true } : {}) });
        } catch (error) {
          if (!(error instanceof ApiError && error.code === 'in_use')) throw error;
          if (!window.confirm(`${error.message}\n\nDelete it anyway?`)) return;
          await api['quotes.delete']({ id: quote.id, force: true });
        }
        changed();
      });
    },
    [changed, notify],
  );

  const deleteSource = useCallback(
    async (source: SourceSummary) => {
      const question =
        source.quoteCount === 0
          ? `Delete “${source.title}”?`
          : `Delete “${source.title}” and its ${source.quoteCount === 1 ? 'quote' : `${source.quoteCount} quotes`}?\n\nMemos that use ${source.quoteCount === 1 ? 'it' : 'them'} will show ${source.quoteCount === 1 ? 'it' : 'them'} as deleted.`;
      if (!window.confirm(question)) return;
      await notify.attempt('The source was not deleted', async () => {
        await api['sources.delete']({ id: source.id });
        if (openSource?.id === source.id) setOpenSource(null);
        changed();
      });
    },
    [openSource, changed, notify],
  );

  const deleteMemo = useCallback(
    async (memo: MemoSummary) => {
      if (!window.confirm(`Delete the memo “${memo.title}”? This cannot be undone.`)) return;
      await notify.attempt('The memo was not deleted', async () => {
        await api['memos.delete']({ id: memo.id });
        if (openMemoId === memo.id) setOpenMemoId(null);
        changed();
      });
    },
    [openMemoId, changed, notify],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      if (mod && !e.shiftKey && e.key.toLowerCase() === 'o') {
        e.preventDefault();
        document.querySelector<HTMLInputElement>('[data-testid="import-input"]')?.click();
      } else if (e.altKey && e.key.toLowerCase() === 'n') {
        e.preventDefault();
        void newMemo();
      } else if (mod && e.shiftKey && e.key.toLowerCase() === 'f') {
        e.preventDefault();
        searchRef.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [newMemo]);

  const onMemoSaved = useCallback(() => setMemoSaves((n) => n + 1), []);
  const onOpenQuoteId = useCallback((id: string) => void openQuote(id), [openQuote]);
  const [inserter, setInserter] = useState<MemoInserter | null>(null);
  const onInserterChange = useCallback((insert: MemoInserter | null) => setInserter(insert), []);
  const titleOfSource = useCallback((id: string) => sources.find((s) => s.id === id)?.title ?? (openSource?.id === id ? openSource.title : UNTITLED_SOURCE), [sources, openSource]);
  const jumpTo = useCallback((jump: BacklinkJump) => {
    setOpenMemoId(jump.memoId);
    revealInMemo(jump);
  }, []);
  const newProject = useCallback(
    async (name: string) =>
      (await notify.attempt('The project was not created', async () => {
        const project = await api['projects.create']({ name });
        notify.info(`Project “${project.name}” created. Add sources, quotes and memos with ⊞ Project…`);
        changed();
        return true;
      })) ?? false,
    [changed, notify],
  );

  const updateQuote = useCallback(
    async (quote: Quote, patch: { speaker: string; note: string; locator: string; locatorLabel: LocatorLabel }) =>
      (await notify.attempt('The quote was not changed', async () => {
        const updated = await api['quotes.update']({ id: quote.id, ...patch });
        setSourceQuotes((list) => list.map((q) => (q.id === updated.id ? updated : q)));
        setEditQuote(null);
        changed();
        return true;
      })) ?? false,
    [changed, notify],
  );

  const copyQuote = useCallback(
    (quote: Quote) =>
      notify.attempt('The quote was not copied', async () => {
        const cite = await api['quotes.cite']({ id: quote.id, ...(memoSettings ? { styleId: memoSettings.citationStyle, locale: memoSettings.locale } : {}) });
        if (typeof ClipboardItem !== 'undefined' && navigator.clipboard?.write) {
          await navigator.clipboard.write([new ClipboardItem({ 'text/plain': new Blob([cite.text], { type: 'text/plain' }), 'text/html': new Blob([cite.html], { type: 'text/html' }) })]);
        } else {
          await navigator.clipboard.writeText(cite.text);
        }
        notify.info('Copied the quote with its citation');
      }),
    [memoSettings, notify],
  );

  const fillMetadataFromFile = useCallback(
    async (file: File) =>
      !!openSource &&
      ((await notify.attempt('The metadata was not read', async () => {
        const { text, legacy } = await readTextFile(file);
        const result = await api['sources.importBibliography']({ fileName: file.name, text, targetSourceId: openSource.id });
        setOpenSource(await api['sources.get']({ id: openSource.id }));
        setDialog(null);
        setBibReports([{ fileName: file.name, created: 0, updated: result.updated?.title ?? null, problems: result.problems, legacyEncoding: legacy }]);
        changed();
        return true;
      })) ??
        false),
    [openSource, changed, notify],
  );

  const isFileDrag = (e: DragEvent) => Array.from(e.dataTransfer.types).includes('Files');

  return (
    <div
      className={`app${fileDragOver ? ' file-drag' : ''}`}
      // Files dropped anywhere are imported: caught on the way down (capture), before the reader
      // (which refuses drops into its text) or the memo editor can take them.
      onDragOverCapture={(e) => {
        if (!isFileDrag(e)) return;
        e.preventDefault();
        e.stopPropagation();
        e.dataTransfer.dropEffect = 'copy';
        setFileDragOver(true);
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target || !e.relatedTarget) setFileDragOver(false);
      }}
      onDropCapture={(e) => {
        if (!isFileDrag(e)) return;
        setFileDragOver(false);
        e.preventDefault();
        e.stopPropagation();
        void importFiles(Array.from(e.dataTransfer.files));
      }}
    >
      <LibraryPanel
        sources={sources}
        quotes={quotes}
        memos={memos}
        totals={{ sources: sourcesList.total, quotes: quotesList.total, memos: memosList.total }}
        onMore={{ sources: sourcesList.loadMore, quotes: quotesList.loadMore, memos: memosList.loadMore }}
        search={search}
        filters={filters}
        onFilters={setFilters}
        sort={sort}
        onSort={setSort}
        tags={tags}
        projects={projects}
        version={libraryVersion + memoSaves}
        onChanged={changed}
        onJump={jumpTo}
        onManageTags={() => setTagManager(true)}
        onNewProject={newProject}
        onOpenQuoteId={(id, sourceId) => void openSourceById(sourceId, id)}
        openSourceId={openSource?.id ?? null}
        openMemoId={openMemoId}
        query={query}
        scope={scope}
        busy={busy}
        searchRef={searchRef}
        onQuery={setQuery}
        onScope={setScope}
        onImportFiles={(files) => void importFiles(files)}
        onPaste={() => setDialog('paste')}
        onImportUrl={() => setDialog('url')}
        onOpenSource={(id) => void openSourceById(id)}
        onOpenQuote={(q) => void openSourceById(q.sourceId, q.id)}
        onDeleteQuote={(q) => void deleteQuote(q)}
        onInsertQuote={inserter ? (q) => inserter.quote(q) : null}
        onCiteSource={inserter ? (s) => setCiteSource(s) : null}
        onEditQuote={setEditQuote}
        onCopyQuote={(q) => void copyQuote(q)}
        onExport={() => setDialog('export')}
        onAbout={() => setDialog('about')}
        onBackups={() => setDialog('backups')}
        onDeleteSource={(s) => void deleteSource(s)}
        onNewMemo={() => void newMemo()}
        onOpenMemo={setOpenMemoId}
        onDeleteMemo={(m) => void deleteMemo(m)}
      />
      <ErrorBoundary what="This source" resetKey={openSource?.id ?? ''} onClose={() => setOpenSource(null)}>
        <Reader
          source={openSource}
          quotes={sourceQuotes}
          focusQuoteId={focus.quoteId}
          focusNonce={focus.nonce}
          onSaveQuote={saveQuote}
          onEditMetadata={() => setDialog('metadata')}
          onReanchor={reanchorQuote}
          onDeleteQuote={(q) => void deleteQuote(q)}
          onReimport={(file) => void reimportSource(file)}
          onReread={() => void rereadSource()}
          onEditText={() => setDialog('edit-text')}
        />
      </ErrorBoundary>
      {openMemoId ? (
        <ErrorBoundary what="This memo" resetKey={openMemoId} onClose={() => setOpenMemoId(null)}>
          <MemoPane
            key={openMemoId}
            memoId={openMemoId}
            libraryVersion={libraryVersion}
            onOpenQuote={onOpenQuoteId}
            onQuoteCreated={changed}
            onSaved={onMemoSaved}
            onReplace={setOpenMemoId}
            onInserterChange={onInserterChange}
            onSettingsChange={setMemoSettings}
            onCitedSourcesChange={setCitedSourceIds}
            titleOfSource={titleOfSource}
            onClose={() => setOpenMemoId(null)}
          />
        </ErrorBoundary>
      ) : (
        <section className="pane memo empty-pane" aria-label="Memo">
          <div className="empty-state">
            <h2>No memo open</h2>
            <p>Write a memo and drag quotes into it; each keeps its link to the source and its citation.</p>
            <button type="button" className="button primary" onClick={() => void newMemo()}>
              New memo
            </button>
          </div>
        </section>
      )}
      {fileDragOver && <div className="drop-overlay">Drop articles (.pdf, .docx, .epub, .html, .mhtml, .txt, .md) or bibliographies (.bib, .ris, CSL-JSON) to import them</div>}
      {dialog === 'paste' && <PasteDialog onImport={importText} onCancel={() => setDialog(null)} />}
      {dialog === 'url' && <UrlDialog onImport={importUrl} onCancel={() => setDialog(null)} />}
      {dialog === 'edit-text' && openSource && <EditTextDialog title={openSource.title} text={openSource.text} quoteCount={sourceQuotes.length} onSave={saveSourceText} onCancel={() => setDialog(null)} />}
      {importItems && <ImportProgress items={importItems} onClose={() => setImportItems(null)} />}
      {dialog === 'metadata' && openSource && <MetadataDialog source={openSource} onSave={saveMetadata} onFillFromFile={fillMetadataFromFile} onCancel={() => setDialog(null)} />}
      {dialog === 'about' && <AboutDialog onClose={() => setDialog(null)} />}
      {dialog === 'backups' && <BackupsDialog onClose={() => setDialog(null)} />}
      {dialog === 'export' && <ExportDialog sources={sources} citedSourceIds={citedSourceIds} onCancel={() => setDialog(null)} />}
      {citeSource && inserter && (
        <CiteDialog
          sourceTitle={citeSource.title}
          submitLabel="Insert citation"
          onCancel={() => setCiteSource(null)}
          onSubmit={(fields) => {
            inserter.citation({ sourceId: citeSource.id, ...fields });
            setCiteSource(null);
          }}
        />
      )}
      {editQuote && <QuoteDialog quote={editQuote} onSave={(patch) => updateQuote(editQuote, patch)} onCancel={() => setEditQuote(null)} />}
      {tagManager && <TagManager tags={tags} onChanged={changed} onClose={() => setTagManager(false)} />}
      {bibReports.length > 0 && <BibliographyReport reports={bibReports} onClose={() => setBibReports([])} />}
    </div>
  );
}

export function App() {
  return (
    <NotificationsProvider>
      <Workspace />
    </NotificationsProvider>
  );
}
