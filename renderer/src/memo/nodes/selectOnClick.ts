/**
 * The click behaviour of Verbatim's decorator nodes (linked quotes, citations): a click
 * inside the node's element selects the node (Shift adds it to the selection), then
 * `after` runs with the click. Register it in an effect (it returns the unregister function).
 */
import { CLICK_COMMAND, COMMAND_PRIORITY_LOW, type LexicalEditor, type NodeKey } from 'lexical';

export function registerSelectOnClick(editor: LexicalEditor, nodeKey: NodeKey, clearSelection: () => void, setSelected: (selected: boolean) => void, after: (event: MouseEvent) => void): () => void {
  return editor.registerCommand(
    CLICK_COMMAND,
    (event: MouseEvent) => {
      const element = editor.getElementByKey(nodeKey);
      if (!element || !element.contains(event.target as Node)) return false;
      if (!event.shiftKey) clearSelection();
      setSelected(true);
      after(event);
      return true;
    },
    COMMAND_PRIORITY_LOW,
  );
}
