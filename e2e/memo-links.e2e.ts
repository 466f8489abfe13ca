/**
 * Memo links allow only http, https and mailto (issue 5 part 8), in the real UI: a memo
 * saved through the API with javascript:, data:, vbscript:, tel: and file: links opens
 * with those words as plain text; pasted HTML links and the Markdown `[text](url)`
 * shortcut with a hostile URL give words, not links; a safe link stays a link. No dialog
 * opens on the way.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { VerbatimApp } from './pages/VerbatimApp';

/** One contract call from the page, through whichever host it runs in. */
async function call<T>(page: Page, method: string, args: unknown): Promise<T> {
  const result = await page.evaluate(
    async ({ method, args }) => {
      const host = (window as unknown as { verbatimHost?: Record<string, (a: unknown) => Promise<unknown>> }).verbatimHost;
      if (host) return host[method]!(args);
      const res = await fetch(`/api/${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(args) });
      return res.json();
    },
    { method, args },
  );
  const r = result as { ok: boolean; value?: T; error?: { message: string } };
  if (!r.ok) throw new Error(`${method}: ${r.error?.message}`);
  return r.value as T;
}

const HOSTILE = ['javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:msgbox(1)', 'tel:+15551234', 'file:///etc/passwd'];
const text = (t: string) => ({ type: 'text', text: t, format: 0, style: '', mode: 'normal', detail: 0, version: 1 });
const link = (url: string, words: string) => ({ type: 'link', url, rel: null, target: null, title: null, children: [text(words)], direction: null, format: '', indent: 0, version: 1 });
const para = (...children: object[]) => ({ type: 'paragraph', children, direction: null, format: '', indent: 0, version: 1, textFormat: 0, textStyle: '' });

/** The hrefs of every anchor in the memo editor, sorted (which links are live matters here, not where the caret put the paste). */
const hrefs = (app: VerbatimApp) => app.editor.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')).sort());

test('hostile memo links load, paste and type as plain words', async ({ host }) => {
  const page = host.page;
  const app = new VerbatimApp(page);
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });

  // 1. Stored content: a memo saved through the API with hostile links.
  const memo = await call<{ id: string; revision: number }>(page, 'memos.create', { title: 'Hostile links' });
  const content = { root: { type: 'root', direction: null, format: '', indent: 0, version: 1, children: [...HOSTILE.map((url, i) => para(text('see '), link(url, `stored${i}`))), para(link('https://example.org/ok', 'safe'))] } };
  await call(page, 'memos.save', { id: memo.id, title: 'Hostile links', content, baseRevision: memo.revision });
  await page.reload();
  await app.library.getByRole('button', { name: /^Hostile links edited/ }).click();
  await expect(app.editor).toContainText('stored4');
  for (let i = 0; i < HOSTILE.length; i += 1) await expect(app.editor).toContainText(`see stored${i}`);
  expect(await hrefs(app)).toEqual(['https://example.org/ok']);

  // 2. Pasted HTML with hostile links at the end of the memo.
  await app.editor.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Enter');
  await app.editor.evaluate((editor, urls) => {
    const html = urls.map((url, i) => `<a href="${url.replace(/"/g, '&quot;')}">pasted${i}</a> `).join('') + '<a href="mailto:desk@example.org">mail</a>';
    const data = new DataTransfer();
    data.setData('text/html', `<p>${html}</p>`);
    data.setData('text/plain', 'fallback');
    editor.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, HOSTILE);
  await expect(app.editor).toContainText('pasted4');
  expect(await hrefs(app)).toEqual(['https://example.org/ok', 'mailto:desk@example.org']);

  // 3. The Markdown link shortcut with a hostile URL.
  await page.keyboard.press('Enter');
  await page.keyboard.type('[typed](javascript:alert(2)) ');
  await expect(app.editor).toContainText('typed');
  await page.keyboard.type('[good](https://example.org/typed) ');
  await expect(app.editor.locator('a', { hasText: 'good' })).toHaveAttribute('href', 'https://example.org/typed');
  expect(await hrefs(app)).toEqual(['https://example.org/ok', 'https://example.org/typed', 'mailto:desk@example.org']);

  // What is saved holds no hostile link either.
  await app.waitSaved();
  const saved = await call<{ content: unknown }>(page, 'memos.get', { id: memo.id });
  const json = JSON.stringify(saved.content);
  for (const url of HOSTILE) expect(json).not.toContain(JSON.stringify(url).slice(1, -1));
  expect(json).not.toContain('javascript:');
  expect(dialogs).toEqual([]);
});
