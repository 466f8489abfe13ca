/**
 * What a linked quote shows: the stored verbatim text (or the writer's shortening, with
 * the full text on hover and for screen readers) and its citation, and its marks:
 * "shortened"; "The source’s text changed" when the store's text is no longer the text
 * quoted (with both texts, and "Accept new text"); "Changed in the source — review in the
 * library" and "Passage no longer found in the source" from the quote's anchoring; a quote
 * deleted from the library is a missing-quote block (dashed red frame, ⊘ and "Quote deleted
 * from the library", saying the note it prints with). The text always shows: a quote never
 * silently vanishes or changes.
 *
 * Click selects it (and opens its source at the passage); Delete/Backspace removes it when
 * selected; its grip drags it elsewhere in the memo; "Shorten…" (or Alt+Enter when it is
 * selected) opens the shortening editor, where "Restore full quote" drops the shortening. From
 * the keyboard, Tab in the memo's text goes to the quotes' buttons in document order. Every
 * change goes through Lexical, so undo works.
 */
import { useCallback, useEffect, useId, useRef, useState, type DragEvent } from 'react';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { useLexicalNodeSelection } from '@lexical/react/useLexicalNodeSelection';
import { mergeRegister } from '@lexical/utils';
import { $getNodeByKey, $getSelection, $isNodeSelection, COMMAND_PRIORITY_LOW, KEY_BACKSPACE_COMMAND, KEY_DELETE_COMMAND, KEY_DOWN_COMMAND, type NodeKey } from 'lexical';
import { acceptLinkedQuoteText, linkedQuoteView, MISSING_QUOTE_NOTE } from '../../../../shared/memoDocument';
import { registerSelectOnClick } from './selectOnClick';
import { sanitizeCitationHtml } from '../../sanitize';
import { useNotify } from '../../components/Notifications';
import { wordDiff } from '../../../../shared/wordDiff';
import { useMemoContext } from '../MemoContext';
import { MOVE_BLOCK_MIME } from '../plugins/QuoteDropPlugin';
import { $isLinkedQuoteNode } from './LinkedQuoteNode';

interface Props {
  nodeKey: NodeKey;
  quoteId: string;
  snapshot: string;
  /** The writer's shortening as stored, or null. */
  shortened: string | null;
}

/** Clicks on these do their own thing: they select the quote but do not open its source. */
const OWN_CLICK = '.linked-quote-grip, button, .linked-quote-drift-details';

export function LinkedQuoteComponent({ nodeKey, quoteId, snapshot, shortened }: Props) {
  const [editor] = useLexicalComposerContext();
  const [isSelected, setSelected, clearSelection] = useLexicalNodeSelection(nodeKey);
  const { quotes, citations, openQuote, shortenQuote } = useMemoContext();
  const notify = useNotify();
  const [showDrift, setShowDrift] = useState(false);
  const figure = useRef<HTMLElement>(null);
  const fullTextId = useId();
  const quote = quotes.get(quoteId);
  const citation = citations.get(nodeKey);

  const onDelete = useCallback(
    (event: KeyboardEvent) => {
      const selection = $getSelection();
      if (isSelected && $isNodeSelection(selection)) {
        event.preventDefault();
        for (const node of selection.getNodes()) node.remove();
        return true;
      }
      return false;
    },
    [isSelected],
  );

  // Alt+Enter on the selected quote opens the shortening editor (Enter alone adds a paragraph after it).
  const onKeyDown = useCallback(
    (event: KeyboardEvent) => {
      if (!isSelected || !event.altKey || event.key !== 'Enter' || !$isNodeSelection($getSelection())) return false;
      event.preventDefault();
      shortenQuote(nodeKey);
      return true;
    },
    [isSelected, nodeKey, shortenQuote],
  );

  useEffect(
    () =>
      mergeRegister(
        registerSelectOnClick(editor, nodeKey, clearSelection, setSelected, (event) => {
          if (!(event.target as HTMLElement).closest(OWN_CLICK)) openQuote(quoteId);
        }),
        editor.registerCommand(KEY_DELETE_COMMAND, onDelete, COMMAND_PRIORITY_LOW),
        editor.registerCommand(KEY_BACKSPACE_COMMAND, onDelete, COMMAND_PRIORITY_LOW),
        editor.registerCommand(KEY_DOWN_COMMAND, onKeyDown, COMMAND_PRIORITY_LOW),
      ),
    [editor, nodeKey, quoteId, clearSelection, setSelected, onDelete, onKeyDown, openQuote],
  );

  // Keys pressed on the block's own buttons are theirs (Enter and Space press the button):
  // kept from the editor, which listens on its root and would add a paragraph instead.
  useEffect(() => {
    const element = figure.current;
    if (!element) return;
    const keep = (event: KeyboardEvent) => {
      if ((event.target as HTMLElement).closest('button')) event.stopPropagation();
    };
    element.addEventListener('keydown', keep);
    return () => element.removeEventListener('keydown', keep);
  }, []);

  const missing = quote === null;
  // Until the store answers, the node's own snapshot stands in (unmarked).
  const view = linkedQuoteView({ snapshot, shortened }, quote === undefined ? { exact: snapshot } : quote && { exact: quote.textQuote.exact, anchorStatus: quote.anchor.status });

  const onGripDragStart = (event: DragEvent) => {
    event.dataTransfer.setData(MOVE_BLOCK_MIME, nodeKey);
    event.dataTransfer.setData('text/plain', view.text);
    event.dataTransfer.effectAllowed = 'move';
  };

  const remove = () => editor.update(() => $getNodeByKey(nodeKey)?.remove());
  const acceptNewText = () => {
    if (!quote) return;
    const accepted = acceptLinkedQuoteText({ shortened }, quote.textQuote.exact);
    editor.update(() => {
      const node = $getNodeByKey(nodeKey);
      if ($isLinkedQuoteNode(node)) node.setSnapshot(accepted.snapshot, accepted.shortened);
    });
    setShowDrift(false);
    if (accepted.dropped) notify.info(`The quote now shows the source’s new text in full: your shortened version no longer fits it (${accepted.dropped.replace(/\.$/, '')}). Shorten it again if you wish.`);
    else notify.info(shortened !== null ? 'Accepted the source’s new text; your shortened version still fits it and is kept.' : 'Accepted the source’s new text.');
  };

  const classes = ['linked-quote', isSelected && 'selected', missing && 'missing', view.shortened && 'shortened', view.drift && 'drifted', view.marks.some((m) => m === 'changed' || m === 'orphaned') && 'flagged'].filter(Boolean).join(' ');

  return (
    <figure ref={figure} className={classes} data-quote-id={quoteId} data-testid="linked-quote" title={missing ? 'This quote was deleted from the library: its text is kept here as it was when inserted, and it has no citation' : 'Click to open the source at this passage'}>
      <span className="linked-quote-grip" draggable onDragStart={onGripDragStart} title="Drag to move" aria-label="Drag to move">
        ⠿
      </span>
      <blockquote className="linked-quote-text" dir="auto" title={view.shortened ? `Full quote: ${view.full}` : undefined} aria-describedby={view.shortened ? fullTextId : undefined} data-testid="linked-quote-text">
        {view.text}
        {!missing && citation?.noteNumber != null && (
          <sup className="note-ref" data-testid="note-ref" title={citation.text}>
            {citation.noteNumber}
          </sup>
        )}
      </blockquote>
      {view.shortened && (
        <span id={fullTextId} className="visually-hidden" data-testid="linked-quote-full-text">
          Shortened. The full quote reads: {view.full}
        </span>
      )}
      <figcaption className="linked-quote-caption">
        {missing ? (
          <span className="linked-quote-missing" data-testid="mark-missing" role="note">
            <span className="linked-quote-missing-icon" aria-hidden>
              ⊘
            </span>
            Quote deleted from the library — shown as it was when inserted. It prints with the note “{MISSING_QUOTE_NOTE}”.
          </span>
        ) : (
          <>
            {quote?.speaker && <span className="linked-quote-speaker">{quote.speaker} · </span>}
            {!citation ? (
              <span className="linked-quote-citation pending">…</span>
            ) : citation.noteNumber !== null ? (
              <span className="linked-quote-citation note-pointer">note {citation.noteNumber}</span>
            ) : (
              <span className="linked-quote-citation" dangerouslySetInnerHTML={{ __html: sanitizeCitationHtml(citation.html) }} />
            )}
          </>
        )}
        <QuoteMarks
          shortened={view.shortened}
          staleShortening={view.staleShortening}
          drift={view.drift}
          changed={view.marks.includes('changed') ? (quote?.anchor.candidate?.exact ?? null) : undefined}
          orphaned={view.marks.includes('orphaned')}
          showDrift={showDrift}
          onToggleDrift={() => setShowDrift((v) => !v)}
          onAccept={acceptNewText}
        />
        <span className="linked-quote-actions">
          <button type="button" className="button small" onClick={() => shortenQuote(nodeKey)} title="Shorten the quote with an ellipsis, or restore it in full (Alt+Enter when the quote is selected)">
            Shorten…
          </button>
        </span>
      </figcaption>
      {isSelected && (
        <button type="button" className="icon-button linked-quote-remove" aria-label="Remove quote from memo" onClick={remove}>
          ×
        </button>
      )}
    </figure>
  );
}

interface MarksProps {
  shortened: boolean;
  staleShortening: string | null;
  drift: { quoted: string; now: string } | null;
  /** Set when the source changed the wording: the source's new wording (null when unknown). */
  changed: string | null | undefined;
  orphaned: boolean;
  showDrift: boolean;
  onToggleDrift(): void;
  onAccept(): void;
}

/** The marks under a linked quote, each a short label with its details on hover (and the drift's texts on expand). */
function QuoteMarks({ shortened, staleShortening, drift, changed, orphaned, showDrift, onToggleDrift, onAccept }: MarksProps) {
  const detailsId = useId();
  if (!shortened && !staleShortening && !drift && changed === undefined && !orphaned) return null;
  return (
    <span className="linked-quote-marks" data-testid="linked-quote-marks">
      {shortened && (
        <span className="linked-quote-mark mark-shortened" data-testid="mark-shortened" title="Shortened with an ellipsis: point at the quote to read it in full">
          shortened
        </span>
      )}
      {staleShortening && (
        <span className="linked-quote-mark mark-stale" data-testid="mark-stale-shortening" title={staleShortening}>
          Your shortened version no longer fits the text: shown in full
        </span>
      )}
      {drift && (
        <>
          <button
            type="button"
            className="linked-quote-mark mark-drift"
            data-testid="mark-drift"
            aria-expanded={showDrift}
            aria-controls={detailsId}
            onClick={onToggleDrift}
            title={`The source’s text changed: quoted as “${drift.quoted}”, now “${drift.now}”`}
          >
            The source’s text changed {showDrift ? '▴' : '▾'}
          </button>
          <button type="button" className="button small mark-accept" onClick={onAccept} title="Show the source’s new text from now on (and clear this mark)">
            Accept new text
          </button>
          {showDrift && (
            <span className="linked-quote-drift-details" id={detailsId} role="group" aria-label="The source’s text changed" data-testid="drift-details">
              <span className="drift-label">What changed since it was quoted</span>
              <span className="drift-diff">
                {wordDiff(drift.quoted, drift.now).map((piece, i) =>
                  piece.kind === 'same' ? <span key={i}>{piece.text}</span> : piece.kind === 'del' ? <del key={i} title="As quoted">{piece.text}</del> : <ins key={i} title="The source now">{piece.text}</ins>,
                )}
              </span>
            </span>
          )}
        </>
      )}
      {changed !== undefined && (
        <span className="linked-quote-mark mark-changed" data-testid="mark-changed" title={changed ? `The source now reads: “${changed}”` : 'The source’s wording changed here'}>
          Changed in the source — review in the library
        </span>
      )}
      {orphaned && (
        <span className="linked-quote-mark mark-orphaned" data-testid="mark-orphaned" title="The source no longer has this passage; the quote is kept as it was saved">
          Passage no longer found in the source
        </span>
      )}
    </span>
  );
}
