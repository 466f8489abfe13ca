/**
 * The reader: a source's text exactly as stored (white-space: pre-wrap, so the DOM's
 * text equals the stored text and DOM offsets are TextPositionSelector offsets), saved
 * quotes highlighted, and a popover to save the selection as a quote or drag it into
 * a memo.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import type { QuoteSuggestion } from '../../../shared/contract';
import { SELECTION_DRAG_MIME, type SelectionDragPayload } from '../../../shared/memoDocument';
import { cslDateToInput, type Quote, type Source } from '../../../shared/model';
import { api } from '../api';
import { IMPORT_ACCEPT } from '../../../shared/importFormats';
import { suggestionRange } from '../../../shared/quoteDetection';
import { ReviewPanel, SuggestionsPanel } from './SourcePanels';
import './review.css';

interface Props {
  source: Source | null;
  quotes: Quote[];
  focusQuoteId: string | null;
  focusNonce: number;
  onSaveQuote(start: number, end: number, speaker: string, note: string): Promise<boolean>;
  onEditMetadata(): void;
  /** Anchor a quote to [start, end) of the current text (accept a changed quote's new wording, or re-attach an orphan). */
  onReanchor(quote: Quote, start: number, end: number): Promise<void>;
  onDeleteQuote(quote: Quote): void;
  /** Replace the source's text with a new version of its file. */
  onReimport(file: File): void;
  /** Read the kept original file again. */
  onReread(): void;
  onEditText(): void;
}

interface Segment {
  start: number;
  end: number;
  quoteIds: string[];
}

/**
 * Split [0, length) at every quote boundary; each piece lists the quotes covering it.
 * Orphaned quotes have no place in the text and are left out; a changed quote covers the
 * passage that replaced its old wording.
 */
export function highlightSegments(length: number, all: readonly Quote[]): Segment[] {
  const quotes = all.filter((q) => q.anchor.status !== 'orphaned' && q.textPosition.end <= length);
  const cuts = new Set<number>([0, length]);
  for (const q of quotes) {
    cuts.add(Math.min(length, q.textPosition.start));
    cuts.add(Math.min(length, q.textPosition.end));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const segments: Segment[] = [];
  for (let i = 0; i + 1 < points.length; i += 1) {
    const start = points[i]!;
    const end = points[i + 1]!;
    if (end <= start) continue;
    const quoteIds = quotes.filter((q) => q.textPosition.start <= start && q.textPosition.end >= end).map((q) => q.id);
    segments.push({ start, end, quoteIds });
  }
  return segments;
}

/** Characters as a reader counts them (grapheme clusters: an emoji or a letter with its accent is one). */
function countCharacters(text: string): number {
  let n = 0;
  for (const _ of new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text)) n += 1;
  return n;
}

/** Offset of a DOM point within `container`, counted in UTF-16 code units of its text. */
function textOffset(container: HTMLElement, node: Node, offset: number): number {
  const range = document.createRange();
  range.setStart(container, 0);
  range.setEnd(node, offset);
  return range.toString().length;
}

interface PendingSelection {
  start: number;
  end: number;
  text: string;
  top: number;
  left: number;
}

/** The selection inside `container` as text offsets, or null when there is none there. */
function readSelection(container: HTMLElement): PendingSelection | null {
  const sel = window.getSelection();
  if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
  const range = sel.getRangeAt(0);
  if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) return null;
  const start = textOffset(container, range.startContainer, range.startOffset);
  const end = textOffset(container, range.endContainer, range.endOffset);
  if (end <= start) return null;
  const rect = range.getBoundingClientRect();
  return { start, end, text: range.toString(), top: rect.bottom + 8, left: Math.max(12, rect.left) };
}

/** Select [start, end) of the text inside `container` (text offsets in UTF-16 code units) and scroll it into view. */
function selectTextRange(container: HTMLElement, start: number, end: number): void {
  const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  let seen = 0;
  let started = false;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const len = node.textContent?.length ?? 0;
    if (!started && start <= seen + len) {
      range.setStart(node, start - seen);
      started = true;
    }
    if (started && end <= seen + len) {
      range.setEnd(node, end - seen);
      break;
    }
    seen += len;
  }
  if (!started) return;
  const selection = window.getSelection();
  selection?.removeAllRanges();
  selection?.addRange(range);
  scrollToRect(container, range.getBoundingClientRect());
}

/** Scroll the reader so that `rect` (a passage's box on screen) sits a third of the way down its visible area. */
function scrollToRect(container: HTMLElement, rect: DOMRect): void {
  const scroller = container.closest('.reader-scroll');
  if (!scroller) return;
  const box = scroller.getBoundingClientRect();
  scroller.scrollTop += rect.top - box.top - box.height / 3;
}

/** Flash a saved quote's highlight in the reader and bring it into view (without selecting it, so no save popover opens); returns what stops the flash timer. */
function flashQuote(container: HTMLElement, quoteId: string): (() => void) | undefined {
  const marks = container.querySelectorAll<HTMLElement>(`mark[data-quote-ids~="${CSS.escape(quoteId)}"]`);
  if (marks.length === 0) return undefined;
  marks[0]!.scrollIntoView({ block: 'center' });
  marks.forEach((m) => m.classList.add('flash'));
  const t = window.setTimeout(() => marks.forEach((m) => m.classList.remove('flash')), 1600);
  return () => window.clearTimeout(t);
}

export function Reader({ source, quotes, focusQuoteId, focusNonce, onSaveQuote, onEditMetadata, onReanchor, onDeleteQuote, onReimport, onReread, onEditText }: Props) {
  const [suggestionsOpen, setSuggestionsOpen] = useState(false);
  const [suggestions, setSuggestions] = useState<QuoteSuggestion[] | null>(null);
  const [suggestionsError, setSuggestionsError] = useState<string | null>(null);
  const [menuOpen, setMenuOpen] = useState(false);
  const reimportInput = useRef<HTMLInputElement>(null);
  const textRef = useRef<HTMLDivElement>(null);
  const [pending, setPending] = useState<PendingSelection | null>(null);
  const [speaker, setSpeaker] = useState('');
  const [note, setNote] = useState('');
  const [saving, setSaving] = useState(false);
  // True while the pointer is down in the popover (typing, clicking, dragging the handle):
  // the reader's selection may collapse then, but the pending quote must stay.
  const interacting = useRef(false);
  const text = source?.text ?? '';
  const segments = useMemo(() => highlightSegments(text.length, quotes), [text.length, quotes]);
  const changedIds = useMemo(() => new Set(quotes.filter((q) => q.anchor.status === 'changed').map((q) => q.id)), [quotes]);
  const toReview = useMemo(() => quotes.filter((q) => q.anchor.status !== 'anchored'), [quotes]);

  // Suggestions are found again when the source, its text or its quotes change (a saved one is marked "Saved").
  const quoteKey = quotes.map((q) => `${q.id}:${q.textPosition.start}`).join(',');
  useEffect(() => {
    if (!suggestionsOpen || !source) return;
    let cancelled = false;
    setSuggestionsError(null);
    api['sources.suggestQuotes']({ id: source.id }).then(
      (list) => !cancelled && setSuggestions(list),
      (error: unknown) => !cancelled && setSuggestionsError(`Suggestions could not be made: ${(error as Error).message}`),
    );
    return () => {
      cancelled = true;
    };
  }, [suggestionsOpen, source?.id, source?.contentHash, quoteKey]);
  useEffect(() => setSuggestions(null), [source?.id]);
  // Bumped when something changed the text's DOM (an IME composition cannot be cancelled):
  // the text is then drawn again from the source, so the reader always shows it verbatim.
  const [redraw, setRedraw] = useState(0);

  // The text is contenteditable only to give keyboard users a caret and Shift+Arrow
  // selection; every edit is refused before it happens.
  useEffect(() => {
    const el = textRef.current;
    if (!el) return;
    const refuse = (e: Event) => e.preventDefault();
    const restore = () => setRedraw((n) => n + 1);
    el.addEventListener('beforeinput', refuse);
    el.addEventListener('paste', refuse);
    el.addEventListener('cut', refuse);
    el.addEventListener('drop', refuse);
    el.addEventListener('input', restore);
    return () => {
      el.removeEventListener('beforeinput', refuse);
      el.removeEventListener('paste', refuse);
      el.removeEventListener('cut', refuse);
      el.removeEventListener('drop', refuse);
      el.removeEventListener('input', restore);
    };
  }, [source?.id, redraw]);

  useEffect(() => {
    setPending(null);
  }, [source?.id]);

  const captureSelection = useCallback(() => {
    if (!textRef.current) return;
    const next = readSelection(textRef.current);
    setPending((prev) => {
      if (!next) return null;
      if (prev && prev.start === next.start && prev.end === next.end) return prev;
      return next;
    });
  }, []);

  useEffect(() => {
    const onSelectionChange = () => {
      const el = textRef.current;
      const sel = window.getSelection();
      // Keep the popover while the user types a speaker or note into it.
      if (interacting.current || document.activeElement?.closest('.selection-popover')) return;
      if (!el || !sel || sel.isCollapsed) setPending(null);
      else captureSelection();
    };
    document.addEventListener('selectionchange', onSelectionChange);
    return () => document.removeEventListener('selectionchange', onSelectionChange);
  }, [captureSelection]);

  // Scroll to and flash the focused quote (from a memo or a quote card).
  useLayoutEffect(() => {
    if (!focusQuoteId || !textRef.current) return;
    return flashQuote(textRef.current, focusQuoteId);
  }, [focusQuoteId, focusNonce, segments]);

  const save = useCallback(async () => {
    if (!pending || saving) return;
    setSaving(true);
    const ok = await onSaveQuote(pending.start, pending.end, speaker, note);
    setSaving(false);
    if (ok) {
      setPending(null);
      setSpeaker('');
      setNote('');
      window.getSelection()?.removeAllRanges();
    }
  }, [pending, saving, speaker, note, onSaveQuote]);

  // Ctrl/Cmd+Shift+S saves the current selection as a quote.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.shiftKey && e.key.toLowerCase() === 's' && pending) {
        e.preventDefault();
        void save();
      }
      if (e.key === 'Escape' && pending) setPending(null);
      if (e.key === 'Escape' && menuOpen) setMenuOpen(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [pending, save, menuOpen]);

  const selectionPayload = (): SelectionDragPayload | null =>
    source && pending ? { v: 1, sourceId: source.id, start: pending.start, end: pending.end, speaker: speaker.trim(), note: note.trim() } : null;

  const onDragStart = (event: DragEvent) => {
    const payload = selectionPayload();
    if (!payload) return;
    event.dataTransfer.setData(SELECTION_DRAG_MIME, JSON.stringify(payload));
    event.dataTransfer.setData('text/plain', pending!.text);
    event.dataTransfer.effectAllowed = 'copy';
  };

  if (!source) {
    return (
      <main className="pane reader empty-pane" aria-label="Reader">
        <div className="empty-state">
          <h2>No source open</h2>
          <p>Pick a source in the library, or import an article, to read it here and save quotes from it.</p>
        </div>
      </main>
    );
  }

  return (
    <main className="pane reader" aria-label="Reader">
      <header className="pane-header">
        <div className="pane-title">
          <h1 className="reader-title">{source.title}</h1>
          <p className="reader-meta">
            {[source.csl.author?.map((a) => a.literal ?? [a.given, a['dropping-particle'], a['non-dropping-particle'], a.family, a.suffix].filter(Boolean).join(' ')).join(', '), source.csl['container-title'], cslDateToInput(source.csl.issued)]
              .filter(Boolean)
              .join(' · ') || 'No author or date yet'}{' '}
            · {quotes.length} {quotes.length === 1 ? 'quote' : 'quotes'}
          </p>
        </div>
        <button type="button" className="button" onClick={onEditMetadata}>
          Edit metadata
        </button>
        {source.text !== '' && (
          <button type="button" className="button" aria-pressed={suggestionsOpen} onClick={() => setSuggestionsOpen((v) => !v)} title="Quotations found in this text, with their speakers">
            Suggestions
          </button>
        )}
        <div className="menu-anchor">
          <button type="button" className="button" aria-haspopup="menu" aria-expanded={menuOpen} onClick={() => setMenuOpen((v) => !v)} aria-label="More source actions">
            ⋯
          </button>
          {menuOpen && (
            <div className="menu" role="menu" onClick={() => setMenuOpen(false)}>
              <button type="button" role="menuitem" onClick={() => reimportInput.current?.click()}>
                Replace with new version…
              </button>
              <button type="button" role="menuitem" disabled={!source.hasOriginal} onClick={onReread} title={source.hasOriginal ? `Read ${source.origin.fileName ?? 'the original file'} again` : 'No original file is kept for this source'}>
                Read original again
              </button>
              <button type="button" role="menuitem" onClick={onEditText}>
                Edit text…
              </button>
            </div>
          )}
          <input
            ref={reimportInput}
            type="file"
            hidden
            accept={IMPORT_ACCEPT}
            data-testid="reimport-input"
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = '';
              if (file) onReimport(file);
            }}
          />
        </div>
      </header>
      <ReviewPanel
        quotes={toReview}
        hasSelection={pending !== null}
        onAccept={(q) => q.anchor.candidate && void onReanchor(q, q.anchor.candidate.start, q.anchor.candidate.end)}
        onAttach={(q) => pending && void onReanchor(q, pending.start, pending.end).then(() => setPending(null))}
        onShow={(q) => {
          if (textRef.current) flashQuote(textRef.current, q.id);
        }}
        onDelete={onDeleteQuote}
      />
      {source.text === '' && (
        <div className="empty-state reader-no-text" role="note">
          <h2>Metadata only</h2>
          <p>This source came from a bibliography file, so it has no text to quote. You can cite it in a memo from the library (❝), or import the article itself.</p>
        </div>
      )}
      <div className={suggestionsOpen ? 'reader-body with-suggestions' : 'reader-body'}>
      <div className="reader-scroll">
        <div
          key={redraw}
          ref={textRef}
          className="reader-text"
          dir="auto"
          data-testid="reader-text"
          contentEditable
          suppressContentEditableWarning
          spellCheck={false}
          role="document"
          aria-readonly="true"
          aria-label={`Text of ${source.title}. Select with the mouse, or with Shift and the arrow keys.`}
          onMouseUp={captureSelection}
          onKeyUp={captureSelection}
          onDragStart={onDragStart}
        >
          {segments.map((seg) =>
            seg.quoteIds.length > 0 ? (
              <mark key={seg.start} className={seg.quoteIds.some((id) => changedIds.has(id)) ? 'quote-highlight changed' : 'quote-highlight'} data-quote-ids={seg.quoteIds.join(' ')}>
                {text.slice(seg.start, seg.end)}
              </mark>
            ) : (
              <span key={seg.start}>{text.slice(seg.start, seg.end)}</span>
            ),
          )}
        </div>
      </div>
      {suggestionsOpen && (
        <SuggestionsPanel
          suggestions={suggestions}
          error={suggestionsError}
          onClose={() => setSuggestionsOpen(false)}
          preview={(s) => (s.parts.length > 1 ? text.slice(suggestionRange(text, s).start, suggestionRange(text, s).end) : s.text)}
          onShow={(s) => {
            if (!textRef.current) return;
            const range = suggestionRange(text, s);
            // The passage is selected with the save popover open, its speaker filled in: adjust the range or the speaker, then save.
            setSpeaker(s.speaker ?? '');
            setNote('');
            selectTextRange(textRef.current, range.start, range.end);
          }}
          onSave={async (s) => {
            const range = suggestionRange(text, s);
            await onSaveQuote(range.start, range.end, s.speaker ?? '', '');
          }}
        />
      )}
      </div>
      {pending && (
        <div
          className="selection-popover"
          role="dialog"
          aria-label="Save quote"
          onPointerDown={() => (interacting.current = true)}
          onPointerUp={() => (interacting.current = false)}
          onDragEnd={(e) => {
            interacting.current = false;
            if (e.dataTransfer.dropEffect !== 'none') {
              setPending(null);
              setSpeaker('');
              setNote('');
            }
          }}
          style={{ top: Math.min(pending.top, window.innerHeight - 200), left: Math.min(pending.left, window.innerWidth - 340) }}>
          <div className="popover-row">
            <span className="drag-handle" draggable onDragStart={onDragStart} title="Drag into a memo: saves the quote and links it there" data-testid="selection-drag-handle">
              ⠿ Drag into memo
            </span>
            <span className="popover-count">{countCharacters(pending.text.trim())} characters</span>
          </div>
          <input className="input" placeholder="Speaker (optional)" aria-label="Speaker" value={speaker} onChange={(e) => setSpeaker(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && void save()} />
          <input className="input" placeholder="Note (optional)" aria-label="Note" value={note} onChange={(e) => setNote(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && void save()} />
          <div className="popover-row">
            <button type="button" className="button primary" onClick={() => void save()} disabled={saving} title="Save quote (Ctrl+Shift+S)">
              {saving ? 'Saving…' : 'Save quote'}
            </button>
            <button type="button" className="button" onClick={() => setPending(null)}>
              Cancel
            </button>
          </div>
        </div>
      )}
    </main>
  );
}
