/**
 * Saving and memo revisions (issue 5):
 * - typing is saved without a blur or a close (the 400 ms / 1 s autosave), and
 *   `window.verbatimFlushMemos` (what Electron's main process calls before a window closes)
 *   saves pending words at once;
 * - History with only the current version shows its empty state; an edit refused as stale
 *   (a script's save on an old revision) is kept in History; its preview shows its text;
 *   Restore (confirmed) puts it in the editor, the state before is listed as "Before a
 *   restore" and restores back;
 * - closing the page right after typing loses nothing: the reopened page shows the words.
 */
import path from 'node:path';
import { ARTIFACTS, expect, test } from './fixtures';
import { VerbatimApp } from './pages/VerbatimApp';

/** A minimal Lexical document with one paragraph of `text`. */
function doc(text: string) {
  return {
    root: {
      type: 'root', version: 1, direction: null, format: '', indent: 0,
      children: [{ type: 'paragraph', version: 1, direction: null, format: '', indent: 0, textFormat: 0, textStyle: '', children: [{ type: 'text', version: 1, text, detail: 0, format: 0, mode: 'normal', style: '' }] }],
    },
  };
}

test('autosave, History, preview and restore; closing the page right after typing', async ({ host }) => {
  test.skip(host.kind !== 'web', 'drives the web host API and closes a browser page');
  const web = host.web!;
  /** Call the contract from the test itself (as a script would), with the token. */
  const call = async <T,>(method: string, args: unknown): Promise<{ ok: boolean; value: T; error?: { code: string } }> =>
    (await fetch(`${web.origin}/api/${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${web.token}` }, body: JSON.stringify(args) })).json() as never;
  const memoText = async (id: string) => JSON.stringify((await call<{ content: unknown }>('memos.get', { id })).value.content);

  let page = host.page;
  let app = new VerbatimApp(page);
  await app.newMemo('History test');
  await app.editor.click();
  await page.keyboard.type('First version of the memo.');
  // No blur, no close: the autosave alone stores it.
  await app.waitSaved();
  const [memo] = (await call<{ id: string; title: string }[]>('memos.list', {})).value;
  expect(memo!.title).toBe('History test');
  expect(await memoText(memo!.id)).toContain('First version of the memo.');

  // What Electron's main process calls before closing the window: pending words are saved when it resolves.
  await page.keyboard.type(' Flushed.');
  await page.evaluate(() => window.verbatimFlushMemos!());
  expect(await memoText(memo!.id)).toContain('First version of the memo. Flushed.');

  // Only the current version: the empty state.
  await app.memo.getByRole('button', { name: 'History', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'History', exact: true });
  await expect(dialog.getByTestId('history-empty')).toContainText('No earlier versions yet');
  await dialog.getByRole('button', { name: 'Close' }).first().click();
  await expect(dialog).toBeHidden();

  // A script saves on a stale revision: refused, and kept in the memo's History.
  const stale = await call('memos.save', { id: memo!.id, title: 'Script title', content: doc('Words a script wrote.'), baseRevision: 0 });
  expect(stale).toMatchObject({ ok: false, error: { code: 'conflict' } });

  // Ctrl+Shift+H opens History: the refused edit and the current version.
  await app.editor.click();
  await page.keyboard.press('Control+Shift+H');
  await expect(dialog).toBeVisible();
  const options = dialog.getByRole('option');
  await expect(options).toHaveCount(2);
  await expect(options.nth(0)).toContainText('Not saved: changed elsewhere');
  await expect(options.nth(1)).toContainText('current');
  // The refused edit is selected first and previewed read-only.
  const preview = dialog.getByTestId('revision-preview');
  await expect(preview).toHaveText('Words a script wrote.');
  await expect(preview).toHaveAttribute('contenteditable', 'false');
  await expect(dialog.getByRole('region', { name: 'Preview' })).toContainText('Script title');
  await page.screenshot({ path: path.join(ARTIFACTS, 'history-dialog.png') });
  // Focus moved into the dialog when it opened: keys typed now never reach the memo behind it.
  await page.keyboard.type('ZZZ');
  await expect(app.editor).not.toContainText('ZZZ');
  // The versions are a listbox: arrow keys select (and preview) the next version, Home the first.
  await options.nth(0).focus();
  await page.keyboard.press('ArrowDown');
  await expect(options.nth(1)).toHaveAttribute('aria-selected', 'true');
  await expect(options.nth(1)).toBeFocused();
  await expect(preview).toHaveText('First version of the memo. Flushed.');
  await page.keyboard.press('Home');
  await expect(options.nth(0)).toHaveAttribute('aria-selected', 'true');
  await expect(preview).toHaveText('Words a script wrote.');
  // The current one previews too, and cannot be restored onto itself.
  await options.nth(1).click();
  await expect(preview).toHaveText('First version of the memo. Flushed.');
  await expect(dialog.getByRole('button', { name: 'Restore this version' })).toBeDisabled();

  // Restore the refused edit, confirming.
  await options.nth(0).click();
  await expect(preview).toHaveText('Words a script wrote.');
  page.once('dialog', (d) => void d.accept());
  await dialog.getByRole('button', { name: 'Restore this version' }).click();
  await expect(dialog).toBeHidden();
  await expect(app.editor).toHaveText('Words a script wrote.');
  await expect(app.memo.getByLabel('Memo title')).toHaveValue('Script title');
  expect(await memoText(memo!.id)).toContain('Words a script wrote.');

  // The state before the restore is in History, and restores back.
  await app.memo.getByRole('button', { name: 'History', exact: true }).click();
  await expect(options).toHaveCount(3);
  await expect(options.nth(0)).toContainText('Before a restore');
  await options.nth(0).click();
  await expect(preview).toHaveText('First version of the memo. Flushed.');
  page.once('dialog', (d) => void d.accept());
  await dialog.getByRole('button', { name: 'Restore this version' }).click();
  await expect(dialog).toBeHidden();
  await expect(app.editor).toHaveText('First version of the memo. Flushed.');
  await expect(app.memo.getByLabel('Memo title')).toHaveValue('History test');

  // Type and close the page at once, before the autosave's timer: the words arrive anyway.
  await app.editor.click();
  await page.keyboard.press('End');
  await page.keyboard.type(' Typed right before closing.');
  const context = page.context();
  await page.close();
  await expect.poll(() => memoText(memo!.id)).toContain('Typed right before closing.');
  page = await context.newPage();
  await page.goto(`${web.origin}/?token=${web.token}`);
  app = new VerbatimApp(page);
  await expect(app.editor).toHaveText('First version of the memo. Flushed. Typed right before closing.');
});

test('autosave timing on a paused page clock: 400 ms after the last key, at most 1 s after the first, at once on blur', async ({ host }) => {
  test.skip(host.kind !== 'web', 'reads the library through the web host API');
  const web = host.web!;
  const call = async <T,>(method: string, args: unknown): Promise<{ value: T }> =>
    (await fetch(`${web.origin}/api/${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${web.token}` }, body: JSON.stringify(args) })).json() as never;
  const page = host.page;
  // The page's timers run only when the test moves its clock, so each save below has exactly one cause.
  await page.clock.install();
  await page.reload();
  await page.clock.pauseAt(Date.now() + 60_000);
  const app = new VerbatimApp(page);
  await app.newMemo('Timing');
  await page.clock.runFor(1000); // the title's own autosave
  await app.waitSaved();
  const [memo] = (await call<{ id: string }[]>('memos.list', {})).value;
  const stored = async () => JSON.stringify((await call<{ content: unknown }>('memos.get', { id: memo!.id })).value.content);
  const status = app.memo.getByTestId('save-status');

  // Debounce: nothing at 399 ms after the last key, saved at 400 ms.
  await app.editor.click();
  await page.keyboard.type('Debounced.');
  await page.clock.runFor(399);
  await expect(status).toHaveText('Unsaved changes');
  expect(await stored()).not.toContain('Debounced.');
  await page.clock.runFor(1);
  await app.waitSaved();
  expect(await stored()).toContain('Debounced.');

  // Typing that never pauses for 400 ms is still saved 1 s after its first key.
  for (const word of [' one', ' two', ' three']) {
    await page.keyboard.type(word);
    await page.clock.runFor(300);
  }
  await expect(status).toHaveText('Unsaved changes'); // 900 ms after the first key
  await page.keyboard.type(' four');
  await page.clock.runFor(100); // 1 s after the first key, 100 ms after the last
  await app.waitSaved();
  expect(await stored()).toContain('Debounced. one two three four');

  // Blur: saved at once, with no timer run at all.
  await page.keyboard.type(' Blurred.');
  await expect(status).toHaveText('Unsaved changes');
  await app.memo.getByLabel('Memo title').click();
  await app.waitSaved();
  expect(await stored()).toContain('Debounced. one two three four Blurred.');
});
