/**
 * History: a memo's revisions (newest first, local time, why it was kept, size), a
 * read-only preview of the selected one, and Restore (after a confirm).
 *
 * The preview is a Lexical editor with `editable: false` over the same nodes as the memo
 * (editorConfig.ts): text is set as text, never parsed as HTML, and links pass Lexical's
 * URL sanitizing, so a revision cannot run anything. Linked quotes show what the memo pane
 * knows of them; clicking them does nothing here.
 * Opening History first saves pending edits, so the list holds the current state and a
 * restore is based on the latest revision.
 */
import { useEffect, useMemo, useState } from 'react';
import { LexicalComposer, type InitialConfigType } from '@lexical/react/LexicalComposer';
import { ContentEditable } from '@lexical/react/LexicalContentEditable';
import { LexicalErrorBoundary } from '@lexical/react/LexicalErrorBoundary';
import { RichTextPlugin } from '@lexical/react/LexicalRichTextPlugin';
import { createEditor } from 'lexical';
import type { MemoRevision, MemoRevisionSummary } from '../../../shared/contract';
import type { Memo } from '../../../shared/model';
import { withSafeLinks } from '../../../shared/printHtml';
import { api } from '../api';
import { formatBytes, formatLocalTime } from '../format';
import { Modal } from '../components/Modal';
import { MEMO_NODES, MEMO_THEME } from './editorConfig';
import { MemoContext, useMemoContext } from './MemoContext';
import './history.css';

/** What the list says for each reason a revision was kept. */
export const REASON_LABELS: Readonly<Record<MemoRevisionSummary['reason'], string>> = {
  edit: 'Edited',
  'before-restore': 'Before a restore',
  conflict: 'Not saved: changed elsewhere',
};

/** True when the revision is the memo as it is now (an 'edit' holding the current revision counter). */
function isCurrent(rev: MemoRevisionSummary, currentRevision: number): boolean {
  return rev.reason === 'edit' && rev.memoRevision === currentRevision;
}

interface Props {
  memoId: string;
  /** Save pending edits now; History opens after it. */
  flush(): Promise<void>;
  /** The memo's current revision counter (read after `flush`), the base of a restore. */
  currentRevision(): number;
  /** Told the memo after a restore (the pane shows it). */
  onRestored(memo: Memo): void;
  onClose(): void;
}

export function HistoryDialog({ memoId, flush, currentRevision, onRestored, onClose }: Props) {
  const [revisions, setRevisions] = useState<MemoRevisionSummary[] | null>(null);
  const [current, setCurrent] = useState(0);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [selected, setSelected] = useState<MemoRevision | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let cancelled = false;
    (async () => {
      await flush();
      const list = await api['memos.revisions']({ id: memoId });
      if (cancelled) return;
      const now = currentRevision();
      setCurrent(now);
      setRevisions(list);
      setSelectedId(list.find((r) => !isCurrent(r, now))?.id ?? list[0]?.id ?? null);
    })().catch((e: unknown) => !cancelled && setError(`The history could not be read: ${(e as Error).message}`));
    return () => {
      cancelled = true;
    };
  }, [memoId, flush, currentRevision]);

  useEffect(() => {
    if (!selectedId) return;
    let cancelled = false;
    setSelected(null);
    api['memos.revision']({ id: selectedId }).then(
      (rev) => !cancelled && setSelected(rev),
      (e: unknown) => !cancelled && setError(`That revision could not be read: ${(e as Error).message}`),
    );
    return () => {
      cancelled = true;
    };
  }, [selectedId]);

  const restore = async () => {
    if (!selected) return;
    const when = new Date(selected.savedAt).toLocaleString();
    if (!window.confirm(`Restore the version of ${when} (“${selected.title}”)? The memo as it is now is kept in History first.`)) return;
    setBusy(true);
    setError(null);
    try {
      await flush();
      const memo = await api['memos.restoreRevision']({ memoId, revisionId: selected.id, baseRevision: currentRevision() });
      onRestored(memo);
    } catch (e) {
      setError(`Nothing was restored: ${(e as Error).message}`);
    } finally {
      setBusy(false);
    }
  };

  const onlyCurrent = revisions !== null && revisions.every((r) => isCurrent(r, current));

  return (
    <Modal title="History" onClose={onClose}>
      <div className="history" data-testid="history">
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        {revisions === null && !error && <p className="history-empty">Reading the history…</p>}
        {onlyCurrent && (
          <p className="history-empty" data-testid="history-empty">
            No earlier versions yet. History keeps a version for every few minutes of editing, and the memo as it was before each restore.
          </p>
        )}
        {revisions !== null && !onlyCurrent && (
          <div className="history-body">
            <ul
              className="history-list"
              role="listbox"
              aria-label="Versions"
              onKeyDown={(e) => {
                // Listbox keys (WAI-ARIA Authoring Practices): arrows, Home and End select and focus a version.
                const index = revisions.findIndex((r) => r.id === selectedId);
                const next = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: revisions.length - 1 }[e.key];
                if (next === undefined) return;
                e.preventDefault();
                const target = revisions[Math.max(0, Math.min(revisions.length - 1, next))]!;
                setSelectedId(target.id);
                e.currentTarget.querySelector<HTMLElement>(`[data-revision-id="${target.id}"]`)?.focus();
              }}
            >
              {revisions.map((r) => (
                <li
                  key={r.id}
                  role="option"
                  aria-selected={r.id === selectedId}
                  data-revision-id={r.id}
                  tabIndex={r.id === selectedId ? 0 : -1}
                  className={r.id === selectedId ? 'selected' : undefined}
                  onClick={() => setSelectedId(r.id)}
                >
                  <time dateTime={r.savedAt}>{formatLocalTime(r.savedAt)}</time>
                  <span className="history-meta">
                    {REASON_LABELS[r.reason]}
                    {isCurrent(r, current) ? ' · current' : ''} · {formatBytes(r.size)}
                  </span>
                  <span className="history-title">{r.title}</span>
                </li>
              ))}
            </ul>
            <div className="history-preview" aria-label="Preview" role="region">
              {selected ? <RevisionPreview key={selected.id} revision={selected} /> : <p className="history-empty">Loading…</p>}
            </div>
          </div>
        )}
        <div className="form-actions">
          <button type="button" className="button" onClick={onClose}>
            Close
          </button>
          {!onlyCurrent && (
            <button type="button" className="button primary" disabled={!selected || busy || isCurrent(selected, current)} onClick={() => void restore()}>
              {busy ? 'Restoring…' : 'Restore this version'}
            </button>
          )}
        </div>
      </div>
    </Modal>
  );
}

/** Why Lexical cannot show `content`, or null when it can. */
function unreadable(content: unknown): string | null {
  const probe = createEditor({ namespace: 'verbatim-revision-check', nodes: MEMO_NODES, onError: (e) => { throw e; } });
  try {
    probe.parseEditorState(JSON.stringify(content));
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** A revision's title and content, read-only. */
function RevisionPreview({ revision }: { revision: MemoRevision }) {
  const outer = useMemoContext();
  // Quotes and citations as the memo pane knows them; nothing in the preview opens or edits anything.
  const context = useMemo(() => ({ ...outer, openQuote: () => undefined, editCitation: () => undefined, shortenQuote: () => undefined }), [outer]);
  const problem = useMemo(() => unreadable(revision.content), [revision.content]);
  if (problem) {
    return (
      <p className="form-error" role="alert">
        This version cannot be shown ({problem}).
      </p>
    );
  }
  const config: InitialConfigType = {
    namespace: 'verbatim-revision-preview',
    theme: MEMO_THEME,
    nodes: MEMO_NODES,
    editable: false,
    editorState: JSON.stringify(withSafeLinks(revision.content)), // as the memo pane loads it: a javascript:/data:/… link shows as plain words
    onError: (error: Error) => console.error('The revision preview hit an error', error),
  };
  return (
    <MemoContext.Provider value={context}>
      <h3 className="history-preview-title">{revision.title}</h3>
      <LexicalComposer initialConfig={config}>
        <RichTextPlugin
          contentEditable={<ContentEditable className="memo-editor history-preview-text" aria-label="Version text" aria-readonly data-testid="revision-preview" />}
          placeholder={<div className="memo-placeholder">(empty)</div>}
          ErrorBoundary={LexicalErrorBoundary}
        />
      </LexicalComposer>
    </MemoContext.Provider>
  );
}
