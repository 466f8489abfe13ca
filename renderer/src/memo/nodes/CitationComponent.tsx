/**
 * What an inline citation shows: the in-text citation in the memo's style, or its note
 * number in a note style (the note itself is listed under the memo). Click selects it;
 * double-click or Enter while selected opens its locator, prefix and suffix for editing.
 */
import { useEffect } from 'react';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { useLexicalNodeSelection } from '@lexical/react/useLexicalNodeSelection';
import { mergeRegister } from '@lexical/utils';
import { COMMAND_PRIORITY_LOW, KEY_ENTER_COMMAND, type NodeKey } from 'lexical';
import { registerSelectOnClick } from './selectOnClick';
import { sanitizeCitationHtml } from '../../sanitize';
import { useMemoContext } from '../MemoContext';

export function CitationComponent({ nodeKey }: { nodeKey: NodeKey }) {
  const [editor] = useLexicalComposerContext();
  const [isSelected, setSelected, clearSelection] = useLexicalNodeSelection(nodeKey);
  const { citations, editCitation } = useMemoContext();
  const citation = citations.get(nodeKey);

  useEffect(
    () =>
      mergeRegister(
        registerSelectOnClick(editor, nodeKey, clearSelection, setSelected, (event) => {
          if (event.detail >= 2) editCitation(nodeKey);
        }),
        editor.registerCommand(
          KEY_ENTER_COMMAND,
          (event) => {
            if (!isSelected) return false;
            event?.preventDefault();
            editCitation(nodeKey);
            return true;
          },
          COMMAND_PRIORITY_LOW,
        ),
      ),
    [editor, nodeKey, isSelected, clearSelection, setSelected, editCitation],
  );

  const title = citation ? `${citation.text} — double-click to edit` : 'Rendering citation…';
  if (citation && citation.html === '') {
    // Grouped with the citation just before it, which shows the whole group.
    return (
      <span className={`citation-grouped${isSelected ? ' selected' : ''}`} data-testid="citation" title="Printed together with the citation before it — double-click to edit">
        +
      </span>
    );
  }
  if (citation && citation.noteNumber !== null) {
    return (
      <sup className={`note-ref citation-mark${isSelected ? ' selected' : ''}`} data-testid="citation" title={title}>
        {citation.noteNumber}
      </sup>
    );
  }
  return (
    <span className={`inline-citation${isSelected ? ' selected' : ''}`} data-testid="citation" title={title}>
      {citation ? <span dangerouslySetInnerHTML={{ __html: sanitizeCitationHtml(citation.html) }} /> : '(…)'}
    </span>
  );
}
