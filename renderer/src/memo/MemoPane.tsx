/**
 * The memo pane: title, toolbar, the Lexical editor with linked quotes, citations and
 * References rendered by citeproc-js through the host, autosave, and PDF export.
 *
 * Autosave: an edit is saved 400 ms after typing pauses and never later than 1 s after
 * the first unsaved edit, and at once on blur, on leaving the page and on closing the
 * memo. Saves run one at a time; each names the revision it was based on.
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
import { AutoLinkNode, LinkNode } from '@lexical/link';
import { ListItemNode, ListNode } from '@lexical/list';
import { HeadingNode, QuoteNode } from '@lexical/rich-text';
import { $getRoot, createEditor, type EditorState, type LexicalEditor, type LexicalNode } from 'lexical';
import { EditorRefPlugin } from '@lexical/react/LexicalEditorRefPlugin';
import { ApiError, type RenderedCitation } from '../../../shared/contract';
import type { SelectionDragPayload } from '../../../shared/memoDocument';
import type { Memo, MemoContent, Quote } from '../../../shared/model';
import { safeLinkUrl } from '../../../shared/printHtml';
import { api, hostKind } from '../api';
import { useNotify } from '../components/Notifications';
import { sanitizeCitationHtml } from '../sanitize';
import { MemoContext } from './MemoContext';
import { $createLinkedQuoteNode, $isLinkedQuoteNode, LinkedQuoteNode } from './nodes/LinkedQuoteNode';
import { $insertAtSelection, QuoteDropPlugin } from './plugins/QuoteDropPlugin';
import { ToolbarPlugin } from './plugins/ToolbarPlugin';

type SaveStatus = { kind: 'saved' } | { kind: 'unsaved' } | { kind: 'saving' } | { kind: 'error'; message: string };

const SAVE_DEBOUNCE_MS = 400;
const SAVE_MAX_WAIT_MS = 1000;

const THEME = {
  paragraph: 'memo-p',
  heading: { h1: 'memo-h1', h2: 'memo-h2', h3: 'memo-h3' },
  list: { ul: 'memo-ul', ol: 'memo-ol', listitem: 'memo-li', nested: { listitem: 'memo-li-nested' } },
  link: 'memo-link',
  quote: 'memo-quote',
  text: { bold: 'memo-bold', italic: 'memo-italic', underline: 'memo-underline', strikethrough: 'memo-strike', code: 'memo-code' },
};

/**
 * Link URLs the editor accepts. Module-level on purpose: a new function on each render
 * makes LinkPlugin re-register, which breaks undo into one step per keystroke.
 */
const isSafeLink = (url: string): boolean => safeLinkUrl(url) !== null;

/** The node classes a memo may hold. */
const MEMO_NODES = [HeadingNode, QuoteNode, ListNode, ListItemNode, LinkNode, AutoLinkNode, LinkedQuoteNode];

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

interface LinkedRef {
  key: string;
  quoteId: string;
  sourceId: string;
}

function collectLinked(editorState: EditorState): LinkedRef[] {
  return editorState.read(() => {
    const out: LinkedRef[] = [];
    const visit = (node: LexicalNode) => {
      if ($isLinkedQuoteNode(node)) out.push({ key: node.getKey(), quoteId: node.__quoteId, sourceId: node.__sourceId });
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
      const signature = linked.map((l) => `${l.key}:${l.quoteId}`).join('|');
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
function InsertQuotePlugin({ onInserterChange }: { onInserterChange(insert: ((quote: Quote) => void) | null): void }) {
  const [editor] = useLexicalComposerContext();
  useEffect(() => {
    onInserterChange((quote) => {
      editor.update(() => $insertAtSelection($createLinkedQuoteNode(quote.id, quote.sourceId, quote.textQuote.exact)));
      editor.focus();
    });
    return () => onInserterChange(null);
  }, [editor, onInserterChange]);
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
  /** Receives the function that inserts a quote at the cursor (null when the editor goes). */
  onInserterChange(insert: ((quote: Quote) => void) | null): void;
  onClose(): void;
}

export function MemoPane({ memoId, libraryVersion, onOpenQuote, onQuoteCreated, onSaved, onReplace, onInserterChange, onClose }: Props) {
  const notify = useNotify();
  const [memo, setMemo] = useState<Memo | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [title, setTitle] = useState('');
  const [status, setStatus] = useState<SaveStatus>({ kind: 'saved' });
  const [linked, setLinked] = useState<LinkedRef[]>([]);
  const [quotes, setQuotes] = useState<Map<string, Quote | null>>(new Map());
  const [citations, setCitations] = useState<Map<string, RenderedCitation>>(new Map());
  const [bibliography, setBibliography] = useState<RenderedCitation[]>([]);
  const [styleTitle, setStyleTitle] = useState('');
  const [exporting, setExporting] = useState(false);

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
    saving.current = null;
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

  // Save at once when the page is hidden or closed, and when this memo is closed.
  useEffect(() => {
    const onHide = () => void flush();
    const onVisibility = () => document.visibilityState === 'hidden' && void flush();
    window.addEventListener('pagehide', onHide);
    window.addEventListener('beforeunload', onHide);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      window.removeEventListener('pagehide', onHide);
      window.removeEventListener('beforeunload', onHide);
      document.removeEventListener('visibilitychange', onVisibility);
      void flush();
    };
  }, [flush]);

  // Load quotes that are not known yet, and render the memo's citations in document order.
  useEffect(() => {
    if (!memo) return;
    let cancelled = false;
    (async () => {
      const ids = [...new Set(linked.map((l) => l.quoteId))];
      const found = ids.length ? await api['quotes.list']({ ids, limit: 5000 }) : [];
      const byId = new Map<string, Quote | null>(ids.map((id) => [id, null]));
      for (const q of found) byId.set(q.id, q);
      const cites = linked.filter((l) => byId.get(l.quoteId)).map((l) => ({ sourceId: byId.get(l.quoteId)!.sourceId, quoteId: l.quoteId }));
      const rendered = await api['citations.render']({ cites });
      if (cancelled) return;
      const keys = linked.filter((l) => byId.get(l.quoteId)).map((l) => l.key);
      setQuotes(byId);
      setCitations(new Map(keys.map((k, i) => [k, rendered.citations[i]!])));
      setBibliography(rendered.bibliography);
      setStyleTitle(rendered.styleTitle);
    })().catch((error: unknown) => !cancelled && notify.failure('Citations could not be rendered', error));
    return () => {
      cancelled = true;
    };
  }, [memo, linked, libraryVersion, notify]);

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
      if (hostKind === 'electron') {
        const saved = await api['host.saveFile']({ suggestedName: result.fileName, dataBase64: result.pdfBase64 });
        if (saved.savedTo) notify.info(`Saved ${saved.savedTo}`);
      } else {
        const bytes = Uint8Array.from(atob(result.pdfBase64), (c) => c.charCodeAt(0));
        const url = URL.createObjectURL(new Blob([bytes], { type: 'application/pdf' }));
        const a = document.createElement('a');
        a.href = url;
        a.download = result.fileName;
        document.body.append(a);
        a.click();
        a.remove();
        window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
        notify.info(`Exported ${result.fileName} (${Math.ceil(result.byteLength / 1024)} KB)`);
      }
    } catch (error) {
      notify.failure('PDF export failed', error);
    } finally {
      setExporting(false);
    }
  }, [exporting, flush, memoId, notify]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.shiftKey && e.key.toLowerCase() === 'e') {
        e.preventDefault();
        void exportPdf();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [exportPdf]);

  const context = useMemo(() => ({ quotes, citations, openQuote: onOpenQuote }), [quotes, citations, onOpenQuote]);
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
    editorState: JSON.stringify(memo.content),
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
        <button type="button" className="button primary" onClick={() => void exportPdf()} disabled={exporting} title="Export PDF (Ctrl+Shift+E)">
          {exporting ? 'Exporting…' : 'Export PDF'}
        </button>
        <button type="button" className="icon-button" aria-label="Close memo" title="Close memo" onClick={onClose}>
          ×
        </button>
      </header>
      <MemoContext.Provider value={context}>
        <LexicalComposer key={memo.id} initialConfig={initialConfig}>
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
              {bibliography.length > 0 && (
                <section className="memo-references" aria-label="References" data-testid="references">
                  <h2>References</h2>
                  {bibliography.map((entry, i) => (
                    <div key={i} className="reference" dangerouslySetInnerHTML={{ __html: sanitizeCitationHtml(entry.html) }} />
                  ))}
                  <p className="style-name">{styleTitle}</p>
                </section>
              )}
            </div>
          </div>
          <HistoryPlugin />
          <ListPlugin />
          <LinkPlugin validateUrl={isSafeLink} />
          <MarkdownShortcutPlugin transformers={MARKDOWN_TRANSFORMERS} />
          <QuoteDropPlugin loadQuote={loadQuote} createQuote={createQuote} onError={notify.error} />
          <LinkedQuotesWatcher onChange={onLinkedChange} />
          <InsertQuotePlugin onInserterChange={onInserterChange} />
          <EditorRefPlugin editorRef={editorRef} />
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
      </MemoContext.Provider>
    </section>
  );
}
