/**
 * Where drops land and what they carry, and two windows editing one memo:
 * - a quote card dropped in the gap between two paragraphs lands between them, with no
 *   empty paragraph left behind;
 * - a selection dragged by the popover's handle keeps the speaker and note typed there;
 * - a numbered list split by a drop counts on, and drops in a row stack up;
 * - when two windows edit one memo, neither loses its words: the later save becomes a
 *   "(conflicted copy)" memo, opened where it was written.
 */
import path from 'node:path';
import { ARTIFACTS, expect, test } from './fixtures';
import { VerbatimApp } from './pages/VerbatimApp';

test('drops between paragraphs, speaker and note on a dragged selection', async ({ host }) => {
  const app = new VerbatimApp(host.page);
  const page = host.page;
  await app.saveQuote('“political animus”');
  await app.newMemo('Drops');
  await app.editor.click();
  await page.keyboard.type('First paragraph.');
  await page.keyboard.press('Enter');
  await page.keyboard.type('Second paragraph.');
  const gap = await app.editor.evaluate((root) => {
    const [a, b] = Array.from(root.querySelectorAll('p'));
    const box = root.getBoundingClientRect();
    return { x: 40, y: (a!.getBoundingClientRect().bottom + b!.getBoundingClientRect().top) / 2 - box.top };
  });
  // While a card is dragged over the gap, a line shows where it will land. (The browser's
  // dragover is sent here as the event itself: Playwright's mouse drag does not repeat it.)
  const editorBox = (await app.editor.boundingBox())!;
  const dragOver = (type: 'dragover', x: number, y: number) =>
    app.editor.evaluate(
      (root, [t, cx, cy]) => {
        const dt = new DataTransfer();
        dt.setData('application/x-verbatim-quote', JSON.stringify({ v: 1, quoteId: 'x' }));
        const target = document.elementFromPoint(cx as number, cy as number) ?? root;
        target.dispatchEvent(new DragEvent(t as string, { clientX: cx as number, clientY: cy as number, dataTransfer: dt, bubbles: true, cancelable: true }));
      },
      [type, x, y] as const,
    );
  await dragOver('dragover', editorBox.x + gap.x, editorBox.y + gap.y);
  const indicator = page.getByTestId('drop-indicator');
  await expect(indicator).toBeVisible();
  await page.screenshot({ path: path.join(ARTIFACTS, 'drop-indicator.png') });
  const line = (await indicator.boundingBox())!;
  const [first, second] = await app.editor.evaluate((root) => Array.from(root.querySelectorAll('p')).slice(0, 2).map((p) => { const r = p.getBoundingClientRect(); return { top: r.top, bottom: r.bottom }; }));
  expect(line.height).toBeLessThanOrEqual(3);
  expect(line.y).toBeGreaterThanOrEqual(first!.bottom - 2);
  expect(line.y).toBeLessThanOrEqual(second!.top + 2);
  // Over the middle of a paragraph it is a caret where the paragraph would split.
  await dragOver('dragover', editorBox.x + (await app.editorPointAfter('First')).x, editorBox.y + (await app.editorPointAfter('First')).y);
  expect((await indicator.boundingBox())!.width).toBeLessThanOrEqual(3);
  await app.editor.evaluate((root) => root.dispatchEvent(new DragEvent('dragleave', { relatedTarget: document.body, bubbles: true })));
  await expect(indicator).toBeHidden(); // the drag left the editor
  await app.quoteCard('political animus').dragTo(app.editor, { targetPosition: gap });
  await expect(app.linkedQuotes()).toHaveCount(1);
  expect(await app.memoBlocks()).toEqual(['p:First paragraph.', 'quote:“political animus”', 'p:Second paragraph.']);

  await app.waitQuotesLoaded();
  await app.selectInReader('“There is no merit to these claims,”');
  const popover = page.getByRole('dialog', { name: 'Save quote' });
  await popover.getByLabel('Speaker').fill('Amazon spokesperson');
  await popover.getByLabel('Note').fill('Same day as the filing');
  await popover.getByTestId('selection-drag-handle').dragTo(app.editor, { targetPosition: await app.editorPointAfter('Second paragraph.') });
  await expect(app.linkedQuotes()).toHaveCount(2);
  const card = app.quoteCard('There is no merit');
  await expect(card).toContainText('Amazon spokesperson');
  await expect(card).toContainText('Same day as the filing');
  await expect(app.linkedQuotes().nth(1)).toContainText('Amazon spokesperson');

  // Without dragging: put the cursor after "First paragraph." and insert a card from the keyboard.
  await app.waitQuotesLoaded();
  await app.editor.click({ position: await app.editorPointAfter('First paragraph.') });
  await app.quoteCard('political animus').getByRole('button', { name: /^Insert into memo:/ }).focus();
  await page.keyboard.press('Enter');
  await expect(app.linkedQuotes()).toHaveCount(3);
  expect((await app.memoBlocks()).slice(0, 3)).toEqual(['p:First paragraph.', 'quote:“political animus”', 'quote:“political animus”']);
});

test('two windows on one memo: both versions are kept', async ({ host }) => {
  test.skip(host.kind !== 'web', 'a second window on the same memo is a browser tab here');
  const first = new VerbatimApp(host.page);
  await first.newMemo('Shared draft');
  await first.editor.click();
  await host.page.keyboard.type('Opening line.');
  await first.waitSaved();

  const secondPage = await host.page.context().newPage();
  await secondPage.goto(host.web!.origin);
  const second = new VerbatimApp(secondPage);
  await expect(second.editor).toContainText('Opening line.'); // the last memo reopens

  await host.page.bringToFront();
  await first.editor.click();
  await host.page.keyboard.press('End');
  await host.page.keyboard.type(' Written in the first window.');
  await first.waitSaved();

  await secondPage.bringToFront();
  await second.editor.click();
  await secondPage.keyboard.press('End');
  await secondPage.keyboard.type(' Written in the second window.');
  await expect(second.alerts.filter({ hasText: 'This memo was changed in another window. Both versions are kept' })).toBeVisible();
  await expect(second.memo.getByLabel('Memo title')).toHaveValue('Shared draft (conflicted copy)');
  await expect(second.editor).toHaveText('Opening line. Written in the second window.');
  await second.waitSaved();

  await secondPage.reload();
  await second.library.getByRole('button', { name: /^Shared draft edited/ }).click();
  await expect(second.editor).toHaveText('Opening line. Written in the first window.');
  await secondPage.close();
});

test('lists keep counting across a quote, and drops in a row stack up', async ({ host }) => {
  const app = new VerbatimApp(host.page);
  const page = host.page;
  await app.saveQuote('“political animus”');
  await app.newMemo('Lists and stacks');
  await app.editor.click();
  await page.keyboard.type('1. One');
  await page.keyboard.press('Enter');
  await page.keyboard.type('Two');
  await page.keyboard.press('Enter');
  await page.keyboard.type('Three');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await page.keyboard.type('After the list.');
  const card = app.quoteCard('political animus');

  // Dropped after item one: the list splits around the quote and goes on at 2.
  await card.dragTo(app.editor, { targetPosition: await app.editorPointAfter('One') });
  await expect(app.linkedQuotes()).toHaveCount(1);
  await expect(app.editor.locator('ol')).toHaveCount(2);
  await expect(app.editor.locator('ol').nth(1)).toHaveAttribute('start', '2');
  await expect(app.editor.locator('ol').nth(1).locator('li').first()).toHaveText('Two');

  // Two drops in a row below the last paragraph: quote, quote, then one empty paragraph.
  const below = async () => {
    const box = (await app.editor.boundingBox())!;
    return { x: 40, y: box.height - 8 };
  };
  await app.waitQuotesLoaded();
  await card.dragTo(app.editor, { targetPosition: await below() });
  await expect(app.linkedQuotes()).toHaveCount(2);
  await app.waitQuotesLoaded();
  await card.dragTo(app.editor, { targetPosition: await below() });
  await expect(app.linkedQuotes()).toHaveCount(3);
  expect((await app.memoBlocks()).slice(-4)).toEqual(['p:After the list.', 'quote:“political animus”', 'quote:“political animus”', 'p:']);
});

test('text typed into a memo that another window deleted is kept', async ({ host }) => {
  test.skip(host.kind !== 'web', 'deleting from another window is done through the web host API here');
  const app = new VerbatimApp(host.page);
  await app.newMemo('Doomed memo');
  await app.editor.click();
  await host.page.keyboard.type('First words.');
  await app.waitSaved();
  await host.page.evaluate(async () => {
    const call = async (method: string, args: unknown) =>
      (await (await fetch(`/api/${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(args) })).json()).value;
    const memos: { id: string; title: string }[] = await call('memos.list', {});
    await call('memos.delete', { id: memos.find((m) => m.title === 'Doomed memo')!.id });
  });
  await host.page.keyboard.type(' Written after the delete.');
  await expect(app.alerts.filter({ hasText: 'This memo was deleted in another window. What you wrote is kept as “Doomed memo (recovered)”.' })).toBeVisible();
  await expect(app.memo.getByLabel('Memo title')).toHaveValue('Doomed memo (recovered)');
  await expect(app.editor).toHaveText('First words. Written after the delete.');
  await app.waitSaved();
});
