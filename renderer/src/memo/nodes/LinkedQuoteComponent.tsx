/**
 * What a linked quote shows: the stored verbatim text and its citation. Click selects
 * it (and opens its source at the passage); Delete/Backspace removes it when selected;
 * its grip drags it elsewhere in the memo. Every change goes through Lexical, so undo works.
 */
import { useCallback, useEffect, type DragEvent } from 'react';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { useLexicalNodeSelection } from '@lexical/react/useLexicalNodeSelection';
import { mergeRegister } from '@lexical/utils';
import { $getNodeByKey, $getSelection, $isNodeSelection, COMMAND_PRIORITY_LOW, KEY_BACKSPACE_COMMAND, KEY_DELETE_COMMAND, type NodeKey } from 'lexical';
import { registerSelectOnClick } from './selectOnClick';
import { sanitizeCitationHtml } from '../../sanitize';
import { useMemoContext } from '../MemoContext';
import { MOVE_BLOCK_MIME } from '../plugins/QuoteDropPlugin';

interface Props {
  nodeKey: NodeKey;
  quoteId: string;
  snapshot: string;
}

export function LinkedQuoteComponent({ nodeKey, quoteId, snapshot }: Props) {
  const [editor] = useLexicalComposerContext();
  const [isSelected, setSelected, clearSelection] = useLexicalNodeSelection(nodeKey);
  const { quotes, citations, openQuote } = useMemoContext();
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

  useEffect(
    () =>
      mergeRegister(
        registerSelectOnClick(editor, nodeKey, clearSelection, setSelected, (event) => {
          if (!(event.target as HTMLElement).closest('.linked-quote-grip')) openQuote(quoteId);
        }),
        editor.registerCommand(KEY_DELETE_COMMAND, onDelete, COMMAND_PRIORITY_LOW),
        editor.registerCommand(KEY_BACKSPACE_COMMAND, onDelete, COMMAND_PRIORITY_LOW),
      ),
    [editor, nodeKey, quoteId, clearSelection, setSelected, onDelete, openQuote],
  );

  const onGripDragStart = (event: DragEvent) => {
    event.dataTransfer.setData(MOVE_BLOCK_MIME, nodeKey);
    event.dataTransfer.setData('text/plain', snapshot);
    event.dataTransfer.effectAllowed = 'move';
  };

  const missing = quote === null;
  const text = quote ? quote.textQuote.exact : snapshot;
  const drifted = quote ? quote.textQuote.exact !== snapshot : false;
  const remove = () => editor.update(() => $getNodeByKey(nodeKey)?.remove());

  return (
    <figure
      className={`linked-quote${isSelected ? ' selected' : ''}${missing ? ' missing' : ''}`}
      data-quote-id={quoteId}
      data-testid="linked-quote"
      title={missing ? 'This quote is no longer in the library' : 'Click to open the source at this passage'}
    >
      <span className="linked-quote-grip" draggable onDragStart={onGripDragStart} title="Drag to move" aria-label="Drag to move">
        ⠿
      </span>
      <blockquote className="linked-quote-text" dir="auto">
        {text}
        {!missing && citation?.noteNumber != null && (
          <sup className="note-ref" data-testid="note-ref" title={citation.text}>
            {citation.noteNumber}
          </sup>
        )}
      </blockquote>
      <figcaption className="linked-quote-caption">
        {missing ? (
          <span className="linked-quote-missing">Quote deleted from the library — shown as it was when inserted.</span>
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
            {drifted && <span className="linked-quote-drift"> · text changed in the library</span>}
          </>
        )}
      </figcaption>
      {isSelected && (
        <button type="button" className="icon-button linked-quote-remove" aria-label="Remove quote from memo" onClick={remove}>
          ×
        </button>
      )}
    </figure>
  );
}
