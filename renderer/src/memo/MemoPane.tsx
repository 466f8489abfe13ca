/**
 * The memo pane: title, toolbar, the Lexical editor with linked quotes (each may be
 * shortened with an ellipsis, checked by `checkShortening`), citations and References
 * rendered by citeproc-js through the host, autosave, and PDF export.
 *
 * Autosave: an edit is saved 400 ms after typing pauses and never later than 1 s after
 * the first unsaved edit, and at once on blur, on leaving the page (fetch keepalive in the
 * web host, see unloadSave.ts), on closing the memo, and when Electron's main process asks
 * before the window closes (flushAll.ts). Saves run one at a time; each names the revision
 * it was based on. The host keeps the revision history (History, Ctrl/⌘+Shift+H:
 * HistoryDialog.tsx); a restore remounts the editor with the restored document.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { LexicalComposer, type InitialConfigType } from '@lexical/react/LexicalComposer';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { ContentEditable } from '@lexical/react/LexicalContentEditable';
import { LexicalErrorBoundary } from '@lexical/react/LexicalErrorBoundary';
import { HistoryPlugin } from '@lexical/react/LexicalHistoryPlugin';
import { LinkPlugin } from '@lexical/react/LexicalLinkPlugin';
import { ListPlugin } from '@lexical/react/LexicalListPlugin';
import { MarkdownShortcutPlugin } from '@lexical/react/LexicalMarkdownShortcutPlugin';
import { OnChangePlugin } from '@lexical/react/LexicalOnChangePlugin';
import { RichTextPlugin } from '@lexical/react/LexicalRichTextPlugin';
import { HEADING, ORDERED_LIST, UNORDERED_LIST, QUOTE, BOLD_ITALIC_STAR, BOLD_STAR, ITALIC_STAR, LINK } from '@lexical/markdown';
import { $createNodeSelection, $createParagraphNode, $getNodeByKey, $setSelection, $getRoot, $getSelection, $isElementNode, $isRangeSelection, $isTextNode, createEditor, type EditorState, type LexicalEditor, type LexicalNode } from 'lexical';
import { EditorRefPlugin } from '@lexical/react/LexicalEditorRefPlugin';
import { ApiError, type CiteRef, type RenderedCitation, type RenderedCite, type StyleSummary } from '../../../shared/contract';
import { linkedQuoteView, type SelectionDragPayload } from '../../../shared/memoDocument';
import { locatorLabelOrPage, type Memo, type MemoContent, type MemoSettings, type Quote } from '../../../shared/model';
import { printWords, withSafeLinks } from '../../../shared/printHtml';
import { api, hostKind } from '../api';
import { useNotify } from '../components/Notifications';
import { CiteDialog } from '../components/CiteDialog';
import { useFilePicker } from '../components/useFilePicker';
import { deliverFile } from '../deliverFile';
import { formatBytes } from '../format';
import { readTextFile } from '../readText';
import { sanitizeCitationHtml } from '../sanitize';
import { $createCitationNode, $isCitationNode, type CitationFields } from './nodes/CitationNode';
import { isSafeLink, MEMO_NODES, MEMO_THEME } from './editorConfig';
import { registerMemoFlusher } from './flushAll';
import { HistoryDialog } from './HistoryDialog';
import { saveMemoSurvivingUnload } from './unloadSave';
import { MemoContext } from './MemoContext';
import { $createLinkedQuoteNode, $isLinkedQuoteNode } from './nodes/LinkedQuoteNode';
import { registerQuoteLookup } from './nodes/quoteLookup';
import { registerSafeLinks } from './safeLinks';
import { ShortenQuoteDialog } from './ShortenQuoteDialog';
import { $insertAtSelection, QuoteDropPlugin } from './plugins/QuoteDropPlugin';
import { ToolbarPlugin } from './plugins/ToolbarPlugin';

type SaveStatus = { kind: 'saved' } | { kind: 'unsaved' } | { kind: 'saving' } | { kind: 'error'; message: string };

const SAVE_DEBOUNCE_MS = 400;
const SAVE_MAX_WAIT_MS = 1000;

const THEME = MEMO_THEME;

/** Unlinks any link that is not http, https or mailto, however it got in (paste, Markdown, stored content): see safeLinks.ts. */
function SafeLinksPlugin(): null {
  const [editor] = useLexicalComposerContext();
  useEffect(() => registerSafeLinks(editor), [editor]);
  return null;
}

/** What the library can put at the memo's cursor without dragging: a quote, or a plain citation of a source. */
export interface MemoInserter {
  quote(quote: Quote): void;
  citation(fields: CitationFields): void;
}

/** Names of the shipped locales in the memo's language menu. */
const LOCALE_NAMES: Record<string, string> = { 'en-US': 'English (US)', 'en-GB': 'English (UK)', 'de-DE': 'Deutsch', 'fr-FR': 'Français', ar: 'العربية', 'he-IL': 'עברית', 'ja-JP': '日本語' };

/**
 * Check that Lexical can read a stored memo before the editor mounts, so a damaged or
 * foreign document gives a clear message instead of a crash.
 * @throws Error naming what Lexical could not read.
 */
function assertReadable(content: MemoContent): void {
  const probe = createEditor({ namespace: 'verbatim-memo-check', nodes: MEMO_NODES, onError: (error) => { throw error; } });
  try {
    probe.parseEditorState(JSON.stringify(content));
  } catch (error) {
    throw new Error(`The editor cannot read this memo’s content (${(error as Error).message}). It is kept unchanged in the library.`);
  }
}

const MARKDOWN_TRANSFORMERS = [HEADING, UNORDERED_LIST, ORDERED_LIST, QUOTE, BOLD_ITALIC_STAR, BOLD_STAR, ITALIC_STAR, LINK];

/** A cite in the editor, in document order: a linked quote or a plain citation, by node key. */
type LinkedRef = { key: string; kind: 'quote'; quoteId: string; sourceId: string } | ({ key: string; kind: 'citation'; groupWithPrevious: boolean } & CitationFields);

/** True when the citation node follows another citation with nothing but white space between: they print as one. */
function $followsCitation(node: LexicalNode): boolean {
  for (let previous = node.getPreviousSibling(); previous; previous = previous.getPreviousSibling()) {
    if ($isTextNode(previous) && previous.getTextContent().trim() === '') continue;
    return $isCitationNode(previous);
  }
  return false;
}

function collectLinked(editorState: EditorState): LinkedRef[] {
  return editorState.read(() => {
    const out: LinkedRef[] = [];
    const visit = (node: LexicalNode) => {
      if ($isLinkedQuoteNode(node)) out.push({ key: node.getKey(), kind: 'quote', quoteId: node.__quoteId, sourceId: node.__sourceId });
      if ($isCitationNode(node)) out.push({ key: node.getKey(), kind: 'citation', groupWithPrevious: $followsCitation(node), ...node.getFields() });
      const children = (node as { getChildren?: () => LexicalNode[] }).getChildren?.();
      if (children) children.forEach(visit);
    };
    visit($getRoot());
    return out;
  });
}

/** Watches the document for linked quotes, in order, and reports changes of that list. */
function LinkedQuotesWatcher({ onChange }: { onChange(linked: LinkedRef[]): void }) {
  const [editor] = useLexicalComposerContext();
  useEffect(() => {
    let last = '';
    const report = (state: EditorState) => {
      const linked = collectLinked(state);
      const signature = JSON.stringify(linked);
      if (signature !== last) {
        last = signature;
        onChange(linked);
      }
    };
    report(editor.getEditorState());
    return editor.registerUpdateListener(({ editorState }) => report(editorState));
  }, [editor, onChange]);
  return null;
}

/**
 * Offers the app a way to insert a quote at the memo's cursor without dragging
 * (the quote cards' "Insert into memo" button, for keyboard use).
 */
function InsertQuotePlugin({ onInserterChange }: { onInserterChange(insert: MemoInserter | null): void }) {
  const [editor] = useLexicalComposerContext();
  useEffect(() => {
    onInserterChange({
      quote: (quote) => {
        editor.update(() => {
          const node = $createLinkedQuoteNode(quote.id, quote.sourceId, quote.textQuote.exact);
          $insertAtSelection(node);
          // The caret goes after the quote (or, before another quote, the new quote is selected),
          // so quotes inserted one after another keep their order.
          const next = node.getNextSibling();
          if ($isElementNode(next)) next.selectStart();
          else if (next) {
            const selection = $createNodeSelection();
            selection.add(node.getKey());
            $setSelection(selection);
          } else {
            const paragraph = $createParagraphNode();
            node.insertAfter(paragraph);
            paragraph.selectStart();
          }
        });
        editor.focus();
      },
      citation: (fields) => {
        editor.update(() => {
          const selection = $getSelection();
          const node = $createCitationNode(fields);
          if ($isRangeSelection(selection)) selection.insertNodes([node]);
          else $getRoot().selectEnd().insertNodes([node]);
        });
        editor.focus();
      },
    });
    return () => onInserterChange(null);
  }, [editor, onInserterChange]);
  return null;
}

/** Applies an edit of a citation node's locator, prefix and suffix (from the edit dialog). */
function useCitationEditor(editorRef: React.RefObject<LexicalEditor | null>) {
  return useCallback(
    (nodeKey: string, fields: Omit<CitationFields, 'sourceId'>) =>
      editorRef.current?.update(() => {
        const node = $getNodeByKey(nodeKey);
        if ($isCitationNode(node)) node.setFields(fields);
      }),
    [editorRef],
  );
}

/**
 * Lets linked-quote nodes read the quotes this pane has loaded when they are copied
 * (their HTML and plain text carry the text shown and its marks).
 */
function QuoteLookupPlugin({ quotes }: { quotes: ReadonlyMap<string, Quote | null> }) {
  const [editor] = useLexicalComposerContext();
  const latest = useRef(quotes);
  useEffect(() => {
    latest.current = quotes;
  }, [quotes]);
  useEffect(
    () =>
      registerQuoteLookup(editor, (id) => {
        const quote = latest.current.get(id);
        return quote === undefined ? undefined : quote && { exact: quote.textQuote.exact, anchorStatus: quote.anchor.status };
      }),
    [editor],
  );
  return null;
}

/** Flushes pending saves when the editor loses focus. */
function BlurSavePlugin({ onBlur }: { onBlur(): void }) {
  const [editor] = useLexicalComposerContext();
  useEffect(() => editor.registerRootListener((root, prev) => {
    prev?.removeEventListener('focusout', onBlur);
    root?.addEventListener('focusout', onBlur);
  }), [editor, onBlur]);
  return null;
}

interface Props {
  memoId: string;
  libraryVersion: number;
  onOpenQuote(quoteId: string): void;
  onQuoteCreated(quote: Quote): void;
  onSaved(): void;
  /** Open another memo in this pane instead (the conflicted copy). */
  onReplace(memoId: string): void;
  /** Receives what inserts quotes and citations at the cursor (null when the editor goes). */
  onInserterChange(insert: MemoInserter | null): void;
  /** Told the memo's citation settings when they are known or change (the library copies quotes in that style). */
  onSettingsChange?(settings: MemoSettings | null): void;
  /** A source's title, for dialogs ("Untitled source" when unknown). */
  titleOfSource(sourceId: string): string;
  /** Told the ids of the sources the memo cites (linked quotes and citations), when they change; null when the memo closes. */
  onCitedSourcesChange?(sourceIds: string[] | null): void;
  onClose(): void;
}

export function MemoPane({ memoId, libraryVersion, onOpenQuote, onQuoteCreated, onSaved, onReplace, onInserterChange, onSettingsChange, titleOfSource, onCitedSourcesChange, onClose }: Props) {
  const notify = useNotify();
  const [memo, setMemo] = useState<Memo | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [title, setTitle] = useState('');
  const [status, setStatus] = useState<SaveStatus>({ kind: 'saved' });
  const [linked, setLinked] = useState<LinkedRef[]>([]);
  const [quotes, setQuotes] = useState<Map<string, Quote | null>>(new Map());
  const [citations, setCitations] = useState<Map<string, RenderedCite>>(new Map());
  const [bibliography, setBibliography] = useState<RenderedCitation[]>([]);
  const [bibliographyHeading, setBibliographyHeading] = useState<string | null>(null);
  const [renderedStyle, setRenderedStyle] = useState<StyleSummary | null>(null);
  const [settings, setSettings] = useState<MemoSettings | null>(null);
  const [styles, setStyles] = useState<StyleSummary[]>([]);
  const [locales, setLocales] = useState<string[]>([]);
  const [rendering, setRendering] = useState(false);
  const [editing, setEditing] = useState<{ key: string; fields: CitationFields } | null>(null);
  const [shortening, setShortening] = useState<{ key: string; full: string; initial: string; isShortened: boolean } | null>(null);
  const [exporting, setExporting] = useState(false);
  const [historyOpen, setHistoryOpen] = useState(false);
  /** Bumped when a restore replaces the document: the editor remounts with it (and a fresh undo history). */
  const [editorGeneration, setEditorGeneration] = useState(0);

  const revision = useRef(0);
  const editorRef = useRef<LexicalEditor | null>(null);
  const pending = useRef<{ title: string; content: MemoContent } | null>(null);
  const latestContent = useRef<MemoContent | null>(null);
  const titleRef = useRef('');
  const timer = useRef<number | undefined>(undefined);
  const firstDirtyAt = useRef<number | null>(null);
  const saving = useRef<Promise<void> | null>(null);

  useEffect(() => {
    let cancelled = false;
    setMemo(null);
    setLoadError(null);
    api['memos.get']({ id: memoId }).then(
      (m) => {
        if (cancelled) return;
        try {
          assertReadable(m.content);
        } catch (error) {
          setLoadError((error as Error).message);
          return;
        }
        revision.current = m.revision;
        titleRef.current = m.title;
        latestContent.current = m.content;
        setTitle(m.title);
        setSettings(m.settings);
        setMemo(m);
        setStatus({ kind: 'saved' });
      },
      (error: unknown) => !cancelled && setLoadError((error as Error).message),
    );
    return () => {
      cancelled = true;
    };
  }, [memoId]);

  /** Save `version` as a new memo "<title> (conflicted copy)" and open it here. */
  const saveConflictedCopy = useCallback(
    async (version: { title: string; content: MemoContent }, why: 'changed' | 'deleted') => {
      const title = `${version.title} (${why === 'changed' ? 'conflicted copy' : 'recovered'})`.slice(0, 500);
      try {
        const copy = await api['memos.create']({ title });
        await api['memos.save']({ id: copy.id, title, content: version.content, baseRevision: copy.revision });
        notify.error(
          why === 'changed'
            ? `This memo was changed in another window. Both versions are kept: yours is now “${title}”.`
            : `This memo was deleted in another window. What you wrote is kept as “${title}”.`,
        );
        onSaved();
        onReplace(copy.id);
      } catch (error) {
        pending.current = version;
        setStatus({ kind: 'error', message: (error as Error).message });
        notify.failure('This memo was changed in another window, and your version could not be saved as a copy', error);
      }
    },
    [notify, onSaved, onReplace],
  );

  const flush = useCallback(async (): Promise<void> => {
    window.clearTimeout(timer.current);
    while (saving.current) await saving.current;
    const next = pending.current;
    if (!next) return;
    pending.current = null;
    firstDirtyAt.current = null;
    setStatus({ kind: 'saving' });
    const run = (async () => {
      try {
        const result = await api['memos.save']({ id: memoId, title: next.title, content: next.content, baseRevision: revision.current });
        revision.current = result.revision;
        setStatus(pending.current ? { kind: 'unsaved' } : { kind: 'saved' });
        onSaved();
      } catch (error) {
        if (error instanceof ApiError && (error.code === 'conflict' || error.code === 'not_found')) {
          // Another window saved (or deleted) this memo first. Keep this version as a copy.
          await saveConflictedCopy(next, error.code === 'conflict' ? 'changed' : 'deleted');
          return;
        }
        if (!pending.current) pending.current = next; // keep the edit; the next change or blur retries
        const message = (error as Error).message;
        setStatus({ kind: 'error', message });
        notify.error(`The memo was not saved: ${message}`);
      }
    })();
    saving.current = run;
    await run;
    if (saving.current === run) saving.current = null; // a page-hide save may have queued after it
  }, [memoId, notify, onSaved, saveConflictedCopy]);

  const schedule = useCallback(() => {
    pending.current = { title: titleRef.current, content: latestContent.current! };
    setStatus((s) => (s.kind === 'error' ? s : { kind: 'unsaved' }));
    const now = Date.now();
    if (firstDirtyAt.current === null) firstDirtyAt.current = now;
    const wait = Math.max(0, Math.min(SAVE_DEBOUNCE_MS, SAVE_MAX_WAIT_MS - (now - firstDirtyAt.current)));
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => void flush(), wait);
  }, [flush]);

  /**
   * Save at once because the page is being hidden or closed: the request must leave now,
   * not after an await. In the web host it goes with fetch keepalive (unloadSave.ts), so
   * closing the tab right after typing does not cancel it. A save still in flight is
   * expected to succeed, so this one is based on the revision after it; if that guess is
   * wrong the host keeps this edit as a 'conflict' revision in History, so nothing is lost.
   * In Electron the IPC message leaves at once through the ordinary flush.
   */
  const flushNow = useCallback(() => {
    if (hostKind !== 'web') {
      void flush();
      return;
    }
    window.clearTimeout(timer.current);
    const next = pending.current;
    if (!next) return;
    pending.current = null;
    firstDirtyAt.current = null;
    setStatus({ kind: 'saving' });
    const base = revision.current + (saving.current ? 1 : 0);
    const run = (async () => {
      const result = await saveMemoSurvivingUnload({ id: memoId, title: next.title, content: next.content, baseRevision: base });
      if (result.ok) {
        revision.current = Math.max(revision.current, result.value.revision);
        setStatus(pending.current ? { kind: 'unsaved' } : { kind: 'saved' });
        onSaved();
        return;
      }
      // Still here (a hidden tab, not a closed one): keep the edit and say so; the next change or blur retries.
      if (!pending.current) pending.current = next;
      setStatus({ kind: 'error', message: result.error.message });
      notify.error(`The memo was not saved: ${result.error.message}`);
    })();
    const previous = saving.current;
    const chained = (previous ? previous.then(() => run) : run).finally(() => {
      if (saving.current === chained) saving.current = null;
    });
    saving.current = chained;
  }, [flush, memoId, notify, onSaved]);

  // Electron's main process asks every open memo to save before the window closes (flushAll.ts).
  useEffect(() => registerMemoFlusher(flush), [flush]);

  // Save at once when the page is hidden or closed, and when this memo is closed.
  useEffect(() => {
    const onHide = () => flushNow();
    const onVisibility = () => document.visibilityState === 'hidden' && flushNow();
    window.addEventListener('pagehide', onHide);
    window.addEventListener('beforeunload', onHide);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      window.removeEventListener('pagehide', onHide);
      window.removeEventListener('beforeunload', onHide);
      document.removeEventListener('visibilitychange', onVisibility);
      void flush();
    };
  }, [flush, flushNow]);

  // Load quotes that are not known yet, and render the memo's citations in document order.
  useEffect(() => {
    if (!memo) return;
    let cancelled = false;
    (async () => {
      if (!settings) return;
      const ids = [...new Set(linked.flatMap((l) => (l.kind === 'quote' ? [l.quoteId] : [])))];
      const found = ids.length ? await api['quotes.list']({ ids, limit: 5000 }) : [];
      const byId = new Map<string, Quote | null>(ids.map((id) => [id, null]));
      for (const q of found) byId.set(q.id, q);
      // A deleted quote takes no citation (and no note number): it is left out of the engine.
      const live = linked.filter((l) => l.kind === 'citation' || byId.get(l.quoteId));
      const cites: CiteRef[] = live.map((l) =>
        l.kind === 'quote'
          ? { sourceId: byId.get(l.quoteId)!.sourceId, quoteId: l.quoteId }
          : { sourceId: l.sourceId, ...(l.locator ? { locator: l.locator, label: locatorLabelOrPage(l.label) } : {}), ...(l.prefix ? { prefix: l.prefix } : {}), ...(l.suffix ? { suffix: l.suffix } : {}), ...(l.suppressAuthor ? { suppressAuthor: true } : {}), ...(l.groupWithPrevious ? { groupWithPrevious: true } : {}) },
      );
      setRendering(true);
      const rendered = await api['citations.render']({ styleId: settings.citationStyle, locale: settings.locale, cites }).finally(() => !cancelled && setRendering(false));
      if (cancelled) return;
      setQuotes(byId);
      setCitations(new Map(live.map((l, i) => [l.key, rendered.citations[i]!])));
      setBibliography(rendered.bibliography);
      setBibliographyHeading(rendered.bibliographyHeading);
      setRenderedStyle(rendered.style);
    })().catch((error: unknown) => !cancelled && notify.failure('Citations could not be rendered', error));
    return () => {
      cancelled = true;
    };
  }, [memo, linked, libraryVersion, settings, notify]);

  // The styles and locales on offer; again when the library changes (a style added elsewhere).
  useEffect(() => {
    let cancelled = false;
    Promise.all([api['styles.list']({}), api['app.info']({})]).then(
      ([list, info]) => {
        if (cancelled) return;
        setStyles(list);
        setLocales(info.locales);
      },
      (error: unknown) => !cancelled && notify.failure('The citation styles could not be listed', error),
    );
    return () => {
      cancelled = true;
    };
  }, [libraryVersion, notify]);

  useEffect(() => {
    onSettingsChange?.(settings);
  }, [settings, onSettingsChange]);
  useEffect(() => () => onSettingsChange?.(null), [onSettingsChange]);

  const citedSourceKey = [...new Set(linked.map((l) => l.sourceId))].sort().join(',');
  useEffect(() => {
    onCitedSourcesChange?.(citedSourceKey ? citedSourceKey.split(',') : []);
  }, [citedSourceKey, onCitedSourcesChange]);
  useEffect(() => () => onCitedSourcesChange?.(null), [onCitedSourcesChange]);

  const changeSettings = useCallback(
    async (patch: Partial<MemoSettings>) => {
      try {
        setSettings(await api['memos.updateSettings']({ id: memoId, ...patch }));
      } catch (error) {
        notify.failure('The citation settings were not changed', error);
      }
    },
    [memoId, notify],
  );

  const addStyleFromFile = useCallback(
    async (file: File) => {
      try {
        const style = await api['styles.add']({ fileName: file.name, xml: (await readTextFile(file)).text });
        const before = styles;
        setStyles(await api['styles.list']({}));
        const replaced = before.find((s) => s.id === style.id);
        notify.info(replaced ? `Replaced the style “${replaced.title}” with its new version “${style.title}” (same CSL id)` : `Added the style “${style.title}”`);
        await changeSettings({ citationStyle: style.id });
      } catch (error) {
        notify.failure('The style was not added', error);
      }
    },
    [changeSettings, notify, styles],
  );

  const removeStyle = useCallback(
    async (id: string) => {
      const style = styles.find((s) => s.id === id);
      if (!window.confirm(`Remove the style “${style?.title ?? id}” from the library? Memos that use it go back to APA 7.`)) return;
      try {
        await api['styles.remove']({ id });
        setStyles(await api['styles.list']({}));
        setSettings((s) => (s ? { ...s, citationStyle: 'apa' } : s));
        notify.info(`Removed the style “${style?.title ?? id}”`);
      } catch (error) {
        notify.failure('The style was not removed', error);
      }
    },
    [styles, notify],
  );

  const stylePicker = useFilePicker('.csl,.xml,application/vnd.citationstyles.style+xml,text/xml', (file) => void addStyleFromFile(file), 'style-input');
  const applyCitationEdit = useCitationEditor(editorRef);
  const editCitation = useCallback(
    (nodeKey: string) => {
      const ref = linked.find((l) => l.key === nodeKey);
      if (ref && ref.kind === 'citation') setEditing({ key: nodeKey, fields: { sourceId: ref.sourceId, locator: ref.locator, label: ref.label, prefix: ref.prefix, suffix: ref.suffix, suppressAuthor: ref.suppressAuthor } });
    },
    [linked],
  );

  // "Shorten…" on a linked quote: the editor starts from what the block shows, checked against its full text.
  const shortenQuote = useCallback(
    (nodeKey: string) => {
      const found = editorRef.current?.getEditorState().read(() => {
        const node = $getNodeByKey(nodeKey);
        return $isLinkedQuoteNode(node) ? { quoteId: node.getQuoteId(), snapshot: node.getSnapshot(), shortened: node.getShortened() } : null;
      });
      if (!found) return;
      const quote = quotes.get(found.quoteId);
      const view = linkedQuoteView(found, quote === undefined ? { exact: found.snapshot } : quote && { exact: quote.textQuote.exact });
      setShortening({ key: nodeKey, full: view.full, initial: view.text, isShortened: found.shortened !== null });
    },
    [quotes],
  );
  const applyShortening = useCallback((nodeKey: string, shortened: string | null) => {
    editorRef.current?.update(() => {
      const node = $getNodeByKey(nodeKey);
      if ($isLinkedQuoteNode(node)) node.setShortened(shortened);
    });
    setShortening(null);
  }, []);

  const loadQuote = useCallback(
    async (quoteId: string): Promise<Quote | null> => {
      try {
        const [quote] = await api['quotes.list']({ ids: [quoteId] });
        if (quote) setQuotes((m) => new Map(m).set(quote.id, quote));
        return quote ?? null;
      } catch (error) {
        notify.failure('The quote could not be loaded', error);
        return null;
      }
    },
    [notify],
  );

  const createQuote = useCallback(
    async (payload: SelectionDragPayload): Promise<Quote | null> => {
      try {
        const quote = await api['quotes.create']({ sourceId: payload.sourceId, start: payload.start, end: payload.end, speaker: payload.speaker ?? '', note: payload.note ?? '' });
        setQuotes((m) => new Map(m).set(quote.id, quote));
        onQuoteCreated(quote);
        return quote;
      } catch (error) {
        notify.failure('The selection could not be saved as a quote', error);
        return null;
      }
    },
    [notify, onQuoteCreated],
  );

  const exportPdf = useCallback(async () => {
    if (exporting) return;
    setExporting(true);
    try {
      await flush();
      const result = await api['memos.exportPdf']({ id: memoId });
      const delivered = await deliverFile(result.fileName, 'application/pdf', result.pdfBase64);
      if (delivered.savedTo) notify.info(`Saved ${delivered.savedTo}`);
      else if (delivered.downloaded) notify.info(`Exported ${result.fileName} (${formatBytes(result.byteLength)})`);
    } catch (error) {
      notify.failure('PDF export failed', error);
    } finally {
      setExporting(false);
    }
  }, [exporting, flush, memoId, notify]);

  const currentRevision = useCallback(() => revision.current, []);
  /** After a restore: show the restored memo in a fresh editor (its undo history starts there; the state before is in History). */
  const onRestored = useCallback(
    (restored: Memo) => {
      window.clearTimeout(timer.current);
      pending.current = null;
      firstDirtyAt.current = null;
      revision.current = restored.revision;
      titleRef.current = restored.title;
      latestContent.current = restored.content;
      setTitle(restored.title);
      setMemo(restored);
      setEditorGeneration((g) => g + 1);
      setStatus({ kind: 'saved' });
      setHistoryOpen(false);
      onSaved();
      notify.info('Restored. The memo as it was before is kept in History.');
    },
    [notify, onSaved],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.shiftKey && e.key.toLowerCase() === 'e') {
        e.preventDefault();
        void exportPdf();
      }
      if ((e.ctrlKey || e.metaKey) && e.shiftKey && e.key.toLowerCase() === 'h') {
        e.preventDefault();
        setHistoryOpen(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [exportPdf]);

  const context = useMemo(() => ({ quotes, citations, openQuote: onOpenQuote, editCitation, shortenQuote }), [quotes, citations, onOpenQuote, editCitation, shortenQuote]);
  const notes = [...citations.entries()]
    .filter(([key, c]) => c.noteNumber !== null && c.html !== '' && linked.some((l) => l.key === key))
    .map(([, c]) => c)
    .sort((a, b) => a.noteNumber! - b.noteNumber!);
  const onLinkedChange = useCallback((l: LinkedRef[]) => setLinked(l), []);
  const onBlur = useCallback(() => void flush(), [flush]);

  if (loadError) {
    return (
      <section className="pane memo empty-pane" aria-label="Memo">
        <div className="empty-state" role="alert">
          <h2>This memo could not be opened</h2>
          <p>{loadError}</p>
          <button type="button" className="button" onClick={onClose}>
            Close
          </button>
        </div>
      </section>
    );
  }
  if (!memo) {
    return (
      <section className="pane memo empty-pane" aria-label="Memo">
        <div className="empty-state">Opening memo…</div>
      </section>
    );
  }

  const initialConfig: InitialConfigType = {
    namespace: 'verbatim-memo',
    theme: THEME,
    nodes: MEMO_NODES,
    editorState: JSON.stringify(withSafeLinks(memo.content)), // a stored javascript:/data:/… link loads as plain words
    onError: (error: Error) => notify.failure('The editor hit an error', error),
  };

  const statusText = { saved: 'Saved', unsaved: 'Unsaved changes', saving: 'Saving…', error: 'Not saved' }[status.kind];

  return (
    <section className="pane memo" aria-label="Memo">
      <header className="pane-header memo-header">
        <input
          className="memo-title"
          maxLength={500}
          // A brand-new memo starts in its title, selected, so typing names it; Enter goes on to the text.
          autoFocus={memo.revision === 0 && memo.title === 'Untitled memo'}
          onFocus={(e) => memo.revision === 0 && e.target.select()}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              editorRef.current?.focus();
            }
          }}
          aria-label="Memo title"
          value={title}
          onChange={(e) => {
            titleRef.current = e.target.value;
            setTitle(e.target.value);
            schedule();
          }}
          onBlur={() => void flush()}
        />
        <span className={`save-status save-${status.kind}`} data-testid="save-status" role="status" title={status.kind === 'error' ? status.message : undefined}>
          {statusText}
        </span>
        <button type="button" className="button" onClick={() => setHistoryOpen(true)} title="Earlier versions of this memo (Ctrl+Shift+H)">
          History
        </button>
        <button type="button" className="button primary" onClick={() => void exportPdf()} disabled={exporting} title="Export PDF (Ctrl+Shift+E)">
          {exporting ? 'Exporting…' : 'Export PDF'}
        </button>
        <button type="button" className="icon-button" aria-label="Close memo" title="Close memo" onClick={onClose}>
          ×
        </button>
      </header>
      {settings && (
        <div className="memo-citation-settings">
          <label>
            <span>Style</span>
            <select
              className="input small"
              aria-label="Citation style"
              value={settings.citationStyle}
              onChange={(e) => {
                if (e.target.value === '__add') {
                  e.target.value = settings.citationStyle;
                  stylePicker.open();
                } else void changeSettings({ citationStyle: e.target.value });
              }}
            >
              <optgroup label="Built in">
                {styles.filter((s) => s.builtIn).map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.title}
                  </option>
                ))}
              </optgroup>
              {styles.some((s) => !s.builtIn) && (
                <optgroup label="Added">
                  {styles.filter((s) => !s.builtIn).map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.title}
                    </option>
                  ))}
                </optgroup>
              )}
              {!styles.some((s) => s.id === settings.citationStyle) && <option value={settings.citationStyle}>{renderedStyle?.title ?? settings.citationStyle}</option>}
              <option value="__add">Add style from file (.csl)…</option>
            </select>
          </label>
          <label>
            <span>Language</span>
            <select className="input small" aria-label="Citation language" value={settings.locale} onChange={(e) => void changeSettings({ locale: e.target.value })}>
              <option value="">Style’s default</option>
              {locales.map((l) => (
                <option key={l} value={l}>
                  {LOCALE_NAMES[l] ?? l}
                </option>
              ))}
            </select>
          </label>
          {styles.some((s) => s.id === settings.citationStyle && !s.builtIn) && (
            <button type="button" className="button small" onClick={() => void removeStyle(settings.citationStyle)} title="Remove this added style from the library (memos that use it go back to APA 7)">
              Remove style
            </button>
          )}
          {renderedStyle?.class === 'note' && (
            <label>
              <span>Notes in PDF</span>
              <select className="input small" aria-label="Notes in PDF" value={settings.notePlacement} onChange={(e) => void changeSettings({ notePlacement: e.target.value as MemoSettings['notePlacement'] })}>
                <option value="footnotes">Footnotes</option>
                <option value="endnotes">Endnotes</option>
              </select>
            </label>
          )}
          {rendering && (
            <span className="rendering" role="status">
              <span className="spinner" aria-hidden /> Formatting citations…
            </span>
          )}
          {stylePicker.input}
        </div>
      )}
      <MemoContext.Provider value={context}>
        <LexicalComposer key={`${memo.id}:${editorGeneration}`} initialConfig={initialConfig}>
          <ToolbarPlugin />
          <div className="memo-scroll">
            <div className="memo-page">
              <div className="editor-shell">
                <RichTextPlugin
                  contentEditable={<ContentEditable className="memo-editor" aria-label="Memo text" data-testid="memo-editor" />}
                  placeholder={<div className="memo-placeholder">Write here. Drag quotes from the library or a selection from the reader into the memo.</div>}
                  ErrorBoundary={LexicalErrorBoundary}
                />
              </div>
              {notes.length > 0 && (
                <section className="memo-notes" aria-label="Notes" data-testid="memo-notes">
                  <h2>{printWords(settings?.locale || renderedStyle?.defaultLocale || 'en').notes}</h2>
                  <ol>
                    {notes.map((note) => (
                      <li key={note.noteNumber} value={note.noteNumber!} dangerouslySetInnerHTML={{ __html: sanitizeCitationHtml(note.html) }} />
                    ))}
                  </ol>
                </section>
              )}
              {bibliography.length > 0 && bibliographyHeading !== null && (
                <section className="memo-references" aria-label={bibliographyHeading} data-testid="references">
                  <h2>{bibliographyHeading}</h2>
                  {bibliography.map((entry, i) => (
                    <div key={i} className="reference" dangerouslySetInnerHTML={{ __html: sanitizeCitationHtml(entry.html) }} />
                  ))}
                  <p className="style-name">{renderedStyle?.title}</p>
                </section>
              )}
            </div>
          </div>
          <HistoryPlugin />
          <ListPlugin />
          <LinkPlugin validateUrl={isSafeLink} />
          <SafeLinksPlugin />
          <MarkdownShortcutPlugin transformers={MARKDOWN_TRANSFORMERS} />
          <QuoteDropPlugin loadQuote={loadQuote} createQuote={createQuote} onError={notify.error} />
          <LinkedQuotesWatcher onChange={onLinkedChange} />
          <InsertQuotePlugin onInserterChange={onInserterChange} />
          <EditorRefPlugin editorRef={editorRef} />
          <QuoteLookupPlugin quotes={quotes} />
          <BlurSavePlugin onBlur={onBlur} />
          <OnChangePlugin
            ignoreSelectionChange
            ignoreHistoryMergeTagChange
            onChange={(editorState) => {
              latestContent.current = editorState.toJSON() as unknown as MemoContent;
              schedule();
            }}
          />
        </LexicalComposer>
        {historyOpen && <HistoryDialog memoId={memoId} flush={flush} currentRevision={currentRevision} onRestored={onRestored} onClose={() => setHistoryOpen(false)} />}
      </MemoContext.Provider>
      {editing && (
        <CiteDialog
          sourceTitle={titleOfSource(editing.fields.sourceId)}
          initial={editing.fields}
          submitLabel="Save citation"
          onCancel={() => setEditing(null)}
          onSubmit={(fields) => {
            applyCitationEdit(editing.key, fields);
            setEditing(null);
          }}
        />
      )}
      {shortening && (
        <ShortenQuoteDialog
          key={shortening.key}
          full={shortening.full}
          initial={shortening.initial}
          isShortened={shortening.isShortened}
          onCancel={() => setShortening(null)}
          onSave={(shortened) => applyShortening(shortening.key, shortened)}
        />
      )}
    </section>
  );
}
