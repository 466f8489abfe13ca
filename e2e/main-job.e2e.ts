/**
 * The main job, end to end, from a fresh data folder: the sample article is there; edit
 * its metadata; save a quote; drag it from the library into a memo between two typed
 * paragraphs; drag a second selection straight from the reader into the middle of a
 * paragraph; reopen; click, delete and undo a linked quote; export the PDF and read it
 * back with pdftotext. Screenshots and PDF pages go to e2e-artifacts/.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ARTIFACTS, expect, test } from './fixtures';
import { VerbatimApp } from './pages/VerbatimApp';

const QUOTE_1 = '“There is no merit to these claims,”';
const QUOTE_2 = '“It will kill Parler’s business—at the very time it is set to skyrocket,”';
// APA 7 (section 8.14 and 9.44: no author, so the title moves to the author position;
// an article title in the in-text citation is in double quotation marks, title case).
const IN_TEXT = '(“Parler Sues Amazon,” 2021)';
// In a memo each quote's citation also says where it sits (APA 7 §8.28, no page numbers:
// paragraph number). Counted by hand in the sample: the title line is paragraph 1, QUOTE_1
// opens paragraph 6, QUOTE_2 paragraph 11.
const CITE_1 = '(“Parler Sues Amazon,” 2021, para. 6)';
const CITE_2 = '(“Parler Sues Amazon,” 2021, para. 11)';
// The memo after both drops: the second quote split the second paragraph where it fell.
const FINAL_BLOCKS = [
  'p:Amazon answered the complaint the same day.',
  `quote:${QUOTE_1}`,
  'p:Parler sees it differently.',
  `quote:${QUOTE_2}`,
  'p:The filing is blunt.',
];

function normalize(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

test('import, capture, write with linked quotes, export PDF', async ({ host }) => {
  const app = new VerbatimApp(host.page);
  const shot = (name: string) => host.page.screenshot({ path: path.join(ARTIFACTS, `main-job-${name}.png`) });

  // 1. First start: the sample article is the library, open in the reader.
  await expect(app.sourceItems()).toHaveCount(1);
  await expect(app.sourceItems().first()).toContainText('Parler Sues Amazon');
  await expect(app.reader.getByRole('heading', { level: 1 })).toHaveText('Parler Sues Amazon');
  await expect(app.readerText).toContainText('Parler, the far right’s answer to Twitter');
  await shot('1-first-start');

  // 2. Metadata in a form (CSL-JSON).
  await app.reader.getByRole('button', { name: 'Edit metadata' }).click();
  const form = host.page.getByRole('dialog', { name: 'Source metadata' });
  await form.getByLabel('Container title (newspaper, journal, site)').fill('Example Daily');
  await form.getByLabel('Issued').fill('2021-01-11');
  await form.getByLabel('URL').fill('https://example.com/parler-sues-amazon');
  await form.getByRole('button', { name: 'Save metadata' }).click();
  await expect(form).toBeHidden();
  await expect(app.reader).toContainText('Example Daily');

  // 3. Capture: select, save with a speaker; it stays highlighted.
  await app.saveQuote(QUOTE_1, 'Amazon spokesperson');
  await expect(app.readerText.locator('mark.quote-highlight')).toHaveText(QUOTE_1);
  const card = app.quoteCard('There is no merit to these claims');
  await expect(card).toHaveCount(1);
  await expect(card).toContainText('Amazon spokesperson');
  await expect(card).toContainText(IN_TEXT);

  // 4. Library search (FTS5 over text, speaker, note).
  const search = app.library.getByLabel('Search quotes');
  await search.fill('spokesperson');
  await expect(app.quoteCards()).toHaveCount(1);
  await search.fill('skyrocket');
  await expect(app.quoteCards()).toHaveCount(0);
  await search.fill('');
  await expect(app.quoteCards()).toHaveCount(1);

  // 5. Write: two typed paragraphs, then the card dropped at the end of the first one.
  await app.newMemo('Parler v. Amazon: first notes');
  await app.editor.click();
  await host.page.keyboard.type('Amazon answered the complaint the same day.');
  await host.page.keyboard.press('Enter');
  await host.page.keyboard.type('Parler sees it differently. The filing is blunt.');
  await card.dragTo(app.editor, { targetPosition: await app.editorPointAfter('the same day.') });
  await expect(app.linkedQuotes()).toHaveCount(1);
  expect(await app.memoBlocks()).toEqual(['p:Amazon answered the complaint the same day.', `quote:${QUOTE_1}`, 'p:Parler sees it differently. The filing is blunt.']);

  // A selection dragged straight from the reader lands inside the second paragraph, splitting it.
  await app.waitMemoSettled();
  await app.selectInReader(QUOTE_2);
  await host.page.getByTestId('selection-drag-handle').dragTo(app.editor, { targetPosition: await app.editorPointAfter('Parler sees it differently.') });
  await expect(app.linkedQuotes()).toHaveCount(2);
  expect(await app.memoBlocks()).toEqual(FINAL_BLOCKS);
  await expect(app.linkedQuotes().nth(1)).toContainText(CITE_2);
  await expect(app.quoteCards()).toHaveCount(2);
  await expect(app.memo.getByTestId('references')).toContainText('Example Daily');
  await app.waitSaved();
  await shot('2-memo-with-quotes');

  // Memos autosave and are listed: reload and reopen.
  await host.page.reload();
  await app.library.getByRole('button', { name: /^Parler v\. Amazon: first notes edited/ }).click();
  await expect(app.linkedQuotes()).toHaveCount(2);
  expect(await app.memoBlocks()).toEqual(FINAL_BLOCKS);

  // A linked quote's text comes from the store and cannot be typed into.
  await expect(app.linkedQuotes().first().locator('blockquote')).toHaveText(QUOTE_1);
  expect(await app.linkedQuotes().first().evaluate((el) => el.closest('[contenteditable="false"]') !== null)).toBe(true);

  // Clicking it opens its source in the reader at the highlighted passage.
  await app.sourceItems().first().click();
  await app.linkedQuotes().nth(1).locator('blockquote').click();
  const mark2 = app.readerText.locator('mark.quote-highlight', { hasText: 'It will kill' });
  await expect(mark2).toBeInViewport();
  await expect(mark2).toHaveClass(/flash/);

  // Selected, it is deleted like any block, and undo brings it back.
  await host.page.keyboard.press('Delete');
  await expect(app.linkedQuotes()).toHaveCount(1);
  await host.page.keyboard.press('Control+z');
  await expect(app.linkedQuotes()).toHaveCount(2);
  await app.waitSaved();
  await shot('3-after-undo');

  // 7. Export PDF: a download in the browser, a save dialog in Electron (stubbed here).
  const pdfPath = path.join(ARTIFACTS, 'main-job-memo.pdf');
  const suggested = await app.exportPdf(host.electronApp, pdfPath);
  if (!host.electronApp) expect(suggested).toBe('Parler v. Amazon first notes.pdf');
  const text = normalize(execFileSync('pdftotext', ['-enc', 'UTF-8', pdfPath, '-'], { encoding: 'utf8' }));
  writeFileSync(path.join(ARTIFACTS, 'main-job-memo.txt'), text);
  expect(text).toContain('Parler v. Amazon: first notes');
  expect(text).toContain('Amazon answered the complaint the same day.');
  expect(text).toContain('Parler sees it differently.');
  expect(text).toContain('The filing is blunt.');
  expect(text).toContain(`${QUOTE_1} ${CITE_1}`);
  expect(text).toContain(`${QUOTE_2} ${CITE_2}`);
  expect(text).toContain(`${QUOTE_1} ${CITE_1} — Amazon spokesperson`); // the speaker prints under its quote
  expect(text).toContain('References');
  // APA 7 reference for a newspaper article without an author (section 10.1, example 16 pattern).
  expect(text).toContain('Parler Sues Amazon. (2021, January 11). Example Daily. https://example.com/parler-sues-amazon');
  expect(text.indexOf('References')).toBeGreaterThan(text.indexOf('The filing is blunt.'));
  expect(text).toContain("Page 1 of 1"); // page number footer

  // The reference's URL is a working link in the PDF.
  const pdfInfo = execFileSync('pdfinfo', ['-url', pdfPath], { encoding: 'utf8' });
  expect(pdfInfo).toContain('https://example.com/parler-sues-amazon');

  execFileSync('pdftoppm', ['-png', '-r', '70', pdfPath, path.join(ARTIFACTS, 'main-job-pdf-page')]);
  expect(readdirSync(ARTIFACTS).filter((f) => f.startsWith('main-job-pdf-page') && f.endsWith('.png')).length).toBeGreaterThanOrEqual(1);
});
