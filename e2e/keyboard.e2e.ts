/**
 * Keyboard use: a passage selected in the reader with Shift and the arrow keys and saved
 * with Ctrl+Shift+S; typing, deleting or pasting in the reader changes nothing; the quote
 * goes into a memo from its card's insert button.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, ROOT, test } from './fixtures';
import { VerbatimApp } from './pages/VerbatimApp';

const SAMPLE = readFileSync(path.join(ROOT, 'electron', 'resources', 'samples', 'parler-sues-amazon.txt'), 'utf8');

test('select and save a quote from the keyboard; the reader cannot be edited', async ({ host }) => {
  const app = new VerbatimApp(host.page);
  const page = host.page;
  const mod = process.platform === 'darwin' ? 'Meta' : 'Control';
  await app.readerText.focus();
  await page.keyboard.press(`${mod}+Home`);

  // Typing, deleting, new lines: refused, the text stays verbatim.
  await page.keyboard.type('xyz');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Delete');
  await page.keyboard.press('Backspace');
  await expect(app.readerText).toHaveText(SAMPLE);

  // "Parler Sues Amazon" is the first line: 18 characters.
  await page.keyboard.press(`${mod}+Home`);
  for (let i = 0; i < 18; i += 1) await page.keyboard.press('Shift+ArrowRight');
  await expect(page.getByRole('dialog', { name: 'Save quote' })).toBeVisible();
  await page.keyboard.press(`${mod}+Shift+S`);
  await expect(app.quoteCard('Parler Sues Amazon')).toHaveCount(1);
  await expect(app.readerText.locator('mark.quote-highlight')).toHaveText('Parler Sues Amazon');
  await expect(app.readerText).toHaveText(SAMPLE);

  await app.newMemo('Keyboard memo');
  await app.editor.click();
  await app.quoteCard('Parler Sues Amazon').getByRole('button', { name: /^Insert into memo:/ }).focus();
  await page.keyboard.press('Enter');
  await expect(app.linkedQuotes()).toHaveCount(1);
});
