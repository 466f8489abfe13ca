/**
 * Writing in a memo like in any word processor: headings, bold, italic, underline,
 * lists, links, undo and redo; a linked quote moved by its grip; a reader selection
 * dragged into the memo by the selection itself. The export carries the formatting and
 * the link.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { ARTIFACTS, expect, test } from './fixtures';
import { VerbatimApp } from './pages/VerbatimApp';

const QUOTE = '“political animus”';

test('formatting, links, undo/redo, moving a quote, dragging a selection itself', async ({ host }) => {
  const app = new VerbatimApp(host.page);
  const page = host.page;
  const mod = process.platform === 'darwin' ? 'Meta' : 'Control';
  await app.newMemo('Formatting check');
  await app.editor.click();

  // Markdown shortcuts and the toolbar.
  await page.keyboard.type('# Findings');
  await page.keyboard.press('Enter');
  await page.keyboard.type('Plain then ');
  await page.keyboard.press(`${mod}+b`);
  await page.keyboard.type('bold');
  await page.keyboard.press(`${mod}+b`);
  await page.keyboard.type(' and ');
  await page.keyboard.press(`${mod}+i`);
  await page.keyboard.type('italic');
  await page.keyboard.press(`${mod}+i`);
  await page.keyboard.press('Enter');
  await page.keyboard.type('- first point');
  await page.keyboard.press('Enter');
  await page.keyboard.type('second point');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter'); // leaves the list
  await page.keyboard.type('1. numbered');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await page.keyboard.type('See the report');
  await expect(app.editor.locator('h1')).toHaveText('Findings');
  await expect(app.editor.locator('strong, .memo-bold').first()).toHaveText('bold');
  await expect(app.editor.locator('em, .memo-italic').first()).toHaveText('italic');
  await expect(app.editor.locator('ul > li')).toHaveText(['first point', 'second point']);
  await expect(app.editor.locator('ol > li')).toHaveText(['numbered']);

  // A link on the selected words: Ctrl+K asks for the address in Verbatim's own dialog
  // (Electron has no window.prompt); javascript: is refused there.
  for (let i = 0; i < 'the report'.length; i += 1) await page.keyboard.press('Shift+ArrowLeft');
  await page.keyboard.press(`${mod}+k`);
  const linkDialog = page.getByRole('dialog', { name: 'Link' });
  const address = linkDialog.getByLabel('Address (https://…, mailto:…)');
  await address.fill('javascript:alert(1)');
  await linkDialog.getByRole('button', { name: 'Link' }).click();
  await expect(linkDialog.getByRole('alert')).toHaveText('“javascript:alert(1)” is not a link Verbatim allows: use an http, https or mailto address.');
  await address.fill('example.org/report');
  await linkDialog.getByRole('button', { name: 'Link' }).click();
  await expect(linkDialog).toBeHidden();
  await expect(app.editor.locator('a[href="https://example.org/report"]')).toHaveText('the report');

  // Undo takes back a typed word in one step (also after a link was made), redo restores it.
  const lastParagraph = app.editor.locator('p').last();
  await page.keyboard.press('End');
  await page.keyboard.type(' today');
  await expect(lastParagraph).toHaveText('See the report today');
  await app.memo.getByRole('button', { name: 'Undo' }).click();
  await expect(lastParagraph).toHaveText('See the report');
  await app.memo.getByRole('button', { name: 'Redo' }).click();
  await expect(lastParagraph).toHaveText('See the report today');

  // A selection dragged by the selection itself, dropped after the heading.
  await app.selectInReader(QUOTE);
  const box = await app.readerText.evaluate(() => {
    // The first line box of the selection: its bounding box may straddle a line break.
    const r = window.getSelection()!.getRangeAt(0).getClientRects()[0]!;
    return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
  });
  const target = await app.editorPointAfter('Findings');
  const editorBox = (await app.editor.boundingBox())!;
  await page.mouse.move(box.x, box.y);
  await page.mouse.down();
  await page.mouse.move(box.x + 30, box.y + 10, { steps: 4 });
  await page.mouse.move(editorBox.x + target.x, editorBox.y + target.y, { steps: 10 });
  await page.mouse.up();
  await expect(app.linkedQuotes()).toHaveCount(1);
  expect((await app.memoBlocks()).slice(0, 3)).toEqual(['h1:Findings', `quote:${QUOTE}`, 'p:Plain then bold and italic']);

  // Moved by its grip to the end of the memo, and the move undone.
  await app.waitMemoSettled();
  const grip = app.linkedQuotes().first().locator('.linked-quote-grip');
  await grip.dragTo(app.editor, { targetPosition: await app.editorPointAfter('today') });
  // It lands after the last paragraph, followed by an empty one to type on in.
  // The move is an editor update, drawn after the drop event returns: poll until the memo shows it.
  await expect.poll(async () => (await app.memoBlocks()).slice(-3)).toEqual(['p:See the report today', `quote:${QUOTE}`, 'p:']);
  expect((await app.memoBlocks())[1]).toBe('p:Plain then bold and italic');
  await page.keyboard.press(`${mod}+z`);
  await expect.poll(async () => (await app.memoBlocks())[1]).toBe(`quote:${QUOTE}`);
  await app.waitSaved();
  await page.screenshot({ path: path.join(ARTIFACTS, 'memo-editing.png') });

  // The export keeps the heading, the list and the working link.
  const pdfPath = path.join(ARTIFACTS, 'memo-editing.pdf');
  await app.exportPdf(host.electronApp, pdfPath);
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', pdfPath, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  expect(text).toContain('Formatting check Findings');
  expect(text).toContain('Plain then bold and italic');
  expect(text).toContain('first point second point'); // Chromium draws the bullets as shapes, not text
  expect(text).toContain('1. numbered');
  // “political animus” (closing quotation mark right after the s) first occurs in the sample's 4th paragraph, counted by hand.
  expect(text).toContain(`${QUOTE} (Parler Sues Amazon, n.d., para. 4)`);
  expect(execFileSync('pdfinfo', ['-url', pdfPath], { encoding: 'utf8' })).toContain('https://example.org/report');
});
