// @vitest-environment jsdom
/**
 * Memo links through a real Lexical editor (jsdom): loaded content, pasted HTML, the
 * Markdown link shortcut's node and the DOM the editor renders never hold a live link
 * other than http, https or mailto; the words of a refused link stay.
 */
import { describe, expect, it } from 'vitest';
import { $generateNodesFromDOM } from '@lexical/html';
import { $createLinkNode, AutoLinkNode, LinkNode } from '@lexical/link';
import { $createParagraphNode, $createTextNode, $getRoot, $insertNodes, $selectAll, createEditor } from 'lexical';
import { withSafeLinks } from '../../../shared/printHtml';
import { registerSafeLinks } from './safeLinks';

const HOSTILE = ['javascript:alert(1)', 'JavaScript:alert(document.cookie)', 'java\tscript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:msgbox(1)', 'file:///etc/passwd', 'tel:+1555', 'sms:+1555', '/relative', 'verbatim://app/index.html'];

const text = (t: string) => ({ type: 'text', text: t, format: 0, style: '', mode: 'normal', detail: 0, version: 1 });
const para = (...children: object[]) => ({ type: 'paragraph', children, direction: null, format: '', indent: 0, version: 1, textFormat: 0, textStyle: '' });
const link = (url: string, words: string, type = 'link') => ({ type, url, rel: null, target: null, title: null, children: [text(words)], direction: null, format: '', indent: 0, version: 1 });
const state = (...children: object[]) => ({ root: { type: 'root', children, direction: null, format: '', indent: 0, version: 1 } });

function mounted() {
  const editor = createEditor({ namespace: 'safe-links-test', nodes: [LinkNode, AutoLinkNode], onError: (error) => { throw error; } });
  const root = document.createElement('div');
  root.contentEditable = 'true';
  document.body.append(root);
  editor.setRootElement(root);
  return { editor, root };
}

/** Links in the editor state as [type, url, text]. */
function links(editor: ReturnType<typeof createEditor>): [string, string, string][] {
  return editor.getEditorState().read(() => {
    const out: [string, string, string][] = [];
    const visit = (node: ReturnType<typeof $getRoot>) => {
      for (const child of node.getChildren()) {
        if (child instanceof LinkNode) out.push([child.getType(), child.getURL(), child.getTextContent()]);
        if ('getChildren' in child) visit(child as never);
      }
    };
    visit($getRoot());
    return out;
  });
}

describe('memo links', () => {
  it('content loaded from the store: unsafe links become plain words before and after the editor mounts', () => {
    const stored = state(...HOSTILE.map((url, i) => para(text('before '), link(url, `w${i}`, i % 2 ? 'autolink' : 'link'), text(' after'))), para(link('https://example.org/', 'good'), link('mailto:desk@example.org', 'mail')));
    // 1. What MemoPane gives the editor is already clean.
    const { editor, root } = mounted();
    editor.setEditorState(editor.parseEditorState(JSON.stringify(withSafeLinks(stored))));
    expect(links(editor)).toEqual([['link', 'https://example.org/', 'good'], ['link', 'mailto:desk@example.org', 'mail']]);
    // 2. The transform cleans even content set without withSafeLinks, once registered.
    const raw = mounted();
    raw.editor.setEditorState(raw.editor.parseEditorState(JSON.stringify(stored)));
    registerSafeLinks(raw.editor);
    raw.editor.update(() => undefined, { discrete: true });
    expect(links(raw.editor)).toEqual([['link', 'https://example.org/', 'good'], ['link', 'mailto:desk@example.org', 'mail']]);
    for (const r of [root, raw.root]) {
      expect([...r.querySelectorAll('a')].map((a) => a.getAttribute('href'))).toEqual(['https://example.org/', 'mailto:desk@example.org']);
      expect(r.textContent).toContain('before w0 after');
      expect(r.textContent).toContain(`w${HOSTILE.length - 1}`);
    }
  });

  it('pasted HTML: <a href> with a hostile URL keeps its words and loses the link', () => {
    const { editor, root } = mounted();
    registerSafeLinks(editor);
    const html = HOSTILE.map((url, i) => `<a href="${url.replace(/"/g, '&quot;')}">p${i}</a> `).join('') + '<a href="https://example.org/ok">ok</a>';
    editor.update(
      () => {
        $getRoot().append($createParagraphNode());
        $getRoot().selectEnd();
        const dom = new DOMParser().parseFromString(`<p>${html}</p>`, 'text/html');
        $insertNodes($generateNodesFromDOM(editor, dom));
      },
      { discrete: true },
    );
    expect(links(editor)).toEqual([['link', 'https://example.org/ok', 'ok']]);
    expect([...root.querySelectorAll('a')].map((a) => a.getAttribute('href'))).toEqual(['https://example.org/ok']);
    for (let i = 0; i < HOSTILE.length; i += 1) expect(root.textContent).toContain(`p${i}`);
  });

  it('a link node made in an update (the Markdown [text](url) shortcut, a toggle) is checked too', () => {
    const { editor } = mounted();
    registerSafeLinks(editor);
    editor.update(
      () => {
        const p = $createParagraphNode();
        const bad = $createLinkNode('javascript:alert(1)');
        bad.append($createTextNode('md'));
        const good = $createLinkNode('https://example.org/');
        good.append($createTextNode('fine'));
        p.append(bad, good);
        $getRoot().append(p);
        $selectAll();
      },
      { discrete: true },
    );
    expect(links(editor)).toEqual([['link', 'https://example.org/', 'fine']]);
    expect(editor.getEditorState().read(() => $getRoot().getTextContent())).toBe('mdfine');
  });

  it('without the transform, Lexical alone would keep these links (the test can fail)', () => {
    const { editor } = mounted();
    editor.setEditorState(editor.parseEditorState(JSON.stringify(state(para(link('tel:+1555', 'call'))))));
    expect(links(editor)).toEqual([['link', 'tel:+1555', 'call']]);
  });
});
