/**
 * The memo toolbar: undo/redo, block type (paragraph, headings, lists), bold, italic,
 * underline and link (asked for in Verbatim's own dialog: Electron has no window.prompt).
 * State follows the selection; every action is a Lexical command or update, so the
 * history plugin can undo it. Shortcuts: Ctrl/Cmd+Z, Ctrl/Cmd+Shift+Z (or +Y),
 * Ctrl/Cmd+B, +I, +U, and Ctrl/Cmd+K for a link.
 */
import { useCallback, useEffect, useState } from 'react';
import { useLexicalComposerContext } from '@lexical/react/LexicalComposerContext';
import { $isLinkNode, $toggleLink, TOGGLE_LINK_COMMAND } from '@lexical/link';
import { $isListNode, INSERT_ORDERED_LIST_COMMAND, INSERT_UNORDERED_LIST_COMMAND, ListNode } from '@lexical/list';
import { $createHeadingNode, $isHeadingNode, type HeadingTagType } from '@lexical/rich-text';
import { $setBlocksType } from '@lexical/selection';
import { $findMatchingParent, $getNearestNodeOfType, mergeRegister } from '@lexical/utils';
import {
  $createParagraphNode,
  $createRangeSelectionFromDom,
  $getSelection,
  $isRangeSelection,
  $isRootOrShadowRoot,
  $setSelection,
  CAN_REDO_COMMAND,
  CAN_UNDO_COMMAND,
  COMMAND_PRIORITY_LOW,
  FORMAT_TEXT_COMMAND,
  KEY_MODIFIER_COMMAND,
  REDO_COMMAND,
  SELECTION_CHANGE_COMMAND,
  UNDO_COMMAND,
  type BaseSelection,
} from 'lexical';
import { LinkDialog } from '../../components/LinkDialog';

type BlockType = 'paragraph' | HeadingTagType | 'bullet' | 'number';

const BLOCK_LABELS: Record<string, string> = { paragraph: 'Paragraph', h1: 'Heading 1', h2: 'Heading 2', h3: 'Heading 3', bullet: 'Bulleted list', number: 'Numbered list' };

export function ToolbarPlugin() {
  const [editor] = useLexicalComposerContext();
  const [canUndo, setCanUndo] = useState(false);
  const [canRedo, setCanRedo] = useState(false);
  const [blockType, setBlockType] = useState<BlockType>('paragraph');
  const [formats, setFormats] = useState({ bold: false, italic: false, underline: false, link: false });

  const refresh = useCallback(() => {
    const selection = $getSelection();
    if (!$isRangeSelection(selection)) return;
    const anchor = selection.anchor.getNode();
    let element = anchor.getKey() === 'root' ? anchor : $findMatchingParent(anchor, (e) => {
      const parent = e.getParent();
      return parent !== null && $isRootOrShadowRoot(parent);
    });
    if (element === null) element = anchor.getTopLevelElementOrThrow();
    if ($isListNode(element)) {
      const list = $getNearestNodeOfType(anchor, ListNode);
      setBlockType((list ?? element).getListType() === 'number' ? 'number' : 'bullet');
    } else if ($isHeadingNode(element)) setBlockType(element.getTag());
    else setBlockType('paragraph');
    const node = selection.anchor.getNode();
    setFormats({
      bold: selection.hasFormat('bold'),
      italic: selection.hasFormat('italic'),
      underline: selection.hasFormat('underline'),
      link: $isLinkNode(node.getParent()) || $isLinkNode(node),
    });
  }, []);

  // The selection to link, kept while the link dialog has the focus.
  const [linkSelection, setLinkSelection] = useState<BaseSelection | null>(null);

  /** Remove the link, or ask for one for `selection` (read in the caller's update or read). */
  const toggleLinkFor = useCallback(
    (selection: BaseSelection | null) => {
      if (formats.link) {
        editor.dispatchCommand(TOGGLE_LINK_COMMAND, null);
        return;
      }
      if ($isRangeSelection(selection) && !selection.isCollapsed()) setLinkSelection(selection.clone());
    },
    [editor, formats.link],
  );
  /** What the user has selected now: the DOM selection (Lexical's may trail it by an event), else Lexical's. */
  const $currentSelection = useCallback((): BaseSelection | null => {
    const dom = window.getSelection();
    const root = editor.getRootElement();
    const inEditor = dom && dom.rangeCount > 0 && root?.contains(dom.anchorNode) && root.contains(dom.focusNode);
    return (inEditor ? $createRangeSelectionFromDom(dom, editor) : null) ?? $getSelection();
  }, [editor]);
  const toggleLink = useCallback(() => toggleLinkFor(editor.read(() => $currentSelection())), [editor, toggleLinkFor, $currentSelection]);

  const applyLink = (url: string) => {
    const selection = linkSelection;
    setLinkSelection(null);
    editor.update(() => {
      if (selection) $setSelection(selection.clone());
      $toggleLink(url);
    });
    editor.focus();
  };

  useEffect(
    () =>
      mergeRegister(
        editor.registerUpdateListener(({ editorState }) => editorState.read(refresh)),
        editor.registerCommand(SELECTION_CHANGE_COMMAND, () => (refresh(), false), COMMAND_PRIORITY_LOW),
        editor.registerCommand(CAN_UNDO_COMMAND, (v) => (setCanUndo(v), false), COMMAND_PRIORITY_LOW),
        editor.registerCommand(CAN_REDO_COMMAND, (v) => (setCanRedo(v), false), COMMAND_PRIORITY_LOW),
        editor.registerCommand(
          KEY_MODIFIER_COMMAND,
          (event: KeyboardEvent) => {
            if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'k') {
              event.preventDefault();
              toggleLinkFor($currentSelection()); // commands run inside an update, so $-functions work here
              return true;
            }
            return false;
          },
          COMMAND_PRIORITY_LOW,
        ),
      ),
    [editor, refresh, toggleLinkFor, $currentSelection],
  );

  const setBlock = (type: BlockType) => {
    if (type === 'bullet') editor.dispatchCommand(INSERT_UNORDERED_LIST_COMMAND, undefined);
    else if (type === 'number') editor.dispatchCommand(INSERT_ORDERED_LIST_COMMAND, undefined);
    else
      editor.update(() => {
        const selection = $getSelection();
        if (!$isRangeSelection(selection)) return;
        $setBlocksType(selection, () => (type === 'paragraph' ? $createParagraphNode() : $createHeadingNode(type)));
      });
  };

  return (
    <div className="toolbar" role="toolbar" aria-label="Formatting">
      {linkSelection && (
        <LinkDialog
          onLink={applyLink}
          onCancel={() => {
            setLinkSelection(null);
            editor.focus();
          }}
        />
      )}
      <button type="button" className="tool" disabled={!canUndo} onClick={() => editor.dispatchCommand(UNDO_COMMAND, undefined)} aria-label="Undo" title="Undo (Ctrl+Z)">
        ↶
      </button>
      <button type="button" className="tool" disabled={!canRedo} onClick={() => editor.dispatchCommand(REDO_COMMAND, undefined)} aria-label="Redo" title="Redo (Ctrl+Shift+Z)">
        ↷
      </button>
      <span className="tool-sep" />
      <select className="tool-select" value={blockType} onChange={(e) => setBlock(e.target.value as BlockType)} aria-label="Block type">
        {Object.entries(BLOCK_LABELS).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
      <span className="tool-sep" />
      <button type="button" className="tool" aria-pressed={formats.bold} onClick={() => editor.dispatchCommand(FORMAT_TEXT_COMMAND, 'bold')} aria-label="Bold" title="Bold (Ctrl+B)">
        <b>B</b>
      </button>
      <button type="button" className="tool" aria-pressed={formats.italic} onClick={() => editor.dispatchCommand(FORMAT_TEXT_COMMAND, 'italic')} aria-label="Italic" title="Italic (Ctrl+I)">
        <i>I</i>
      </button>
      <button type="button" className="tool" aria-pressed={formats.underline} onClick={() => editor.dispatchCommand(FORMAT_TEXT_COMMAND, 'underline')} aria-label="Underline" title="Underline (Ctrl+U)">
        <u>U</u>
      </button>
      <button type="button" className="tool" aria-pressed={formats.link} onClick={toggleLink} aria-label="Link" title="Link (Ctrl+K)">
        <svg width="16" height="16" viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
          <path d="M10 13a5 5 0 0 0 7.07 0l3-3a5 5 0 0 0-7.07-7.07l-1.5 1.5" />
          <path d="M14 11a5 5 0 0 0-7.07 0l-3 3a5 5 0 0 0 7.07 7.07l1.5-1.5" />
        </svg>
      </button>
    </div>
  );
}
