/**
 * The linked-quote node's JSON (version 1 read, version 2 written) and its plain text for
 * copying, through a headless Lexical editor (no DOM needed to parse, read and export JSON).
 */
import { describe, expect, it } from 'vitest';
import { $getRoot, createEditor } from 'lexical';
import { $isLinkedQuoteNode, LinkedQuoteNode } from './LinkedQuoteNode';
import { registerQuoteLookup } from './quoteLookup';

const SPOKE = '“There is no merit to these claims,”';
const STRAIGHT = '"There is no merit to these claims,"';
const v1 = { type: 'linked-quote', version: 1, quoteId: 'q1', sourceId: 's1', snapshot: SPOKE };
const v2 = { type: 'linked-quote', version: 2, quoteId: 'q2', sourceId: 's1', snapshot: SPOKE, shortened: '“There is no merit …' };
const state = (...children: object[]) => JSON.stringify({ root: { type: 'root', version: 1, direction: null, format: '', indent: 0, children } });

function editorWith(...children: object[]) {
  const editor = createEditor({ namespace: 'test', nodes: [LinkedQuoteNode], onError: (error) => { throw error; } });
  editor.setEditorState(editor.parseEditorState(state(...children)));
  return editor;
}

describe('LinkedQuoteNode', () => {
  it('reads version 1 as not shortened and version 2 with its shortening; writes version 2', () => {
    const editor = editorWith(v1, v2);
    const read = editor.getEditorState().read(() => $getRoot().getChildren().map((n) => ($isLinkedQuoteNode(n) ? [n.getQuoteId(), n.getSnapshot(), n.getShortened()] : null)));
    expect(read).toEqual([
      ['q1', SPOKE, null],
      ['q2', SPOKE, '“There is no merit …'],
    ]);
    const json = editor.getEditorState().toJSON().root.children;
    expect(json).toEqual([
      { type: 'linked-quote', version: 2, quoteId: 'q1', sourceId: 's1', snapshot: SPOKE, shortened: null },
      { type: 'linked-quote', version: 2, quoteId: 'q2', sourceId: 's1', snapshot: SPOKE, shortened: '“There is no merit …' },
    ]);
  });

  it('copies as plain text what the block shows: from the node alone outside the pane, with the store’s text and marks inside it', () => {
    const editor = editorWith(v1, v2);
    const text = () => editor.getEditorState().read(() => $getRoot().getChildren().map((n) => n.getTextContent()), { editor });
    // Nothing registered: the node's snapshot and shortening, unmarked.
    expect(text()).toEqual([`${SPOKE}\n\n`, '“There is no merit …\n\n']);
    const unregister = registerQuoteLookup(editor, (id) => (id === 'q1' ? { exact: STRAIGHT } : { exact: SPOKE, anchorStatus: 'orphaned' }));
    expect(text()).toEqual([
      `${STRAIGHT}†\n† Text changed in the source since it was quoted; the current text is given.\n\n`,
      '“There is no merit …†\n† This passage is no longer found in the source; the quoted text is given.\n\n',
    ]);
    unregister();
    expect(text()).toEqual([`${SPOKE}\n\n`, '“There is no merit …\n\n']);
  });

  it('sets and clears the shortening, and takes a new snapshot', () => {
    const editor = editorWith(v2);
    editor.update(
      () => {
        const node = $getRoot().getFirstChild();
        if ($isLinkedQuoteNode(node)) node.setSnapshot(STRAIGHT, null);
      },
      { discrete: true },
    );
    expect(editor.getEditorState().toJSON().root.children).toEqual([{ type: 'linked-quote', version: 2, quoteId: 'q2', sourceId: 's1', snapshot: STRAIGHT, shortened: null }]);
  });
});
