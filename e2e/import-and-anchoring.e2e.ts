/**
 * Importing and anchoring, end to end through the web host:
 * - the suggestions beside the reader: accept two on the sample (the spokesperson's
 *   two-part statement and Parler's filing quote), each saved with its speaker, and drag
 *   one into a memo;
 * - edit the source's text so one saved quote's wording changes: the review panel and the
 *   library flag it, with the old and new words; accept the new text;
 * - drop three files at once on the reader's text: a per-file report says what became of
 *   each; a file dropped on the memo is imported, not typed in.
 * Screenshots go to e2e-artifacts/.
 */
import path from 'node:path';
import { ARTIFACTS, expect, test } from './fixtures';
import { VerbatimApp } from './pages/VerbatimApp';

// Paragraphs of the sample counted by hand (the title line is paragraph 1): the
// spokesperson's statement is paragraph 6, Parler's filing quote paragraph 11.
const FILING = 'It will kill Parler’s business—at the very time it is set to skyrocket,';
// No container title yet: APA 7 italicizes the title as a stand-alone work (no quotation marks).
const CITE_FILING = '(Parler Sues Amazon, n.d., para. 11)';

test('accept suggested quotes, write with one, review a changed quote, import several files', async ({ host }) => {
  const app = new VerbatimApp(host.page);
  const page = host.page;
  const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `import-and-anchoring-${name}.png`) });
  await expect(app.readerText).toContainText('Parler, the far right’s answer to Twitter');

  // 1. Suggestions: the spokesperson's statement is one suggestion of two parts.
  await app.reader.getByRole('button', { name: 'Suggestions' }).click();
  const panel = page.getByTestId('suggestions-panel');
  const spokesperson = panel.getByTestId('suggestion').filter({ hasText: 'There is no merit to these claims' });
  await expect(spokesperson).toContainText('Amazon spokesperson');
  await expect(spokesperson).toContainText('2 parts joined');
  await expect(spokesperson).toContainText('which is a violation of our terms of service.');
  const filing = panel.getByTestId('suggestion').filter({ hasText: FILING });
  await expect(filing).toContainText('Parler');
  // Scare quotes are folded away until asked for.
  await expect(panel.getByTestId('suggestion').filter({ hasText: 'Stop the Steal' })).toHaveCount(0);
  await panel.getByRole('button', { name: /Show \d+ scare quotes and names/ }).click();
  await expect(panel.getByTestId('suggestion').filter({ hasText: 'Stop the Steal' })).toContainText('Scare quotes or a name');
  await shot('1-suggestions');
  // Clicking a suggestion's text selects its passage in the reader, the save popover filled with its speaker.
  await filing.getByRole('button', { name: /It will kill/ }).click();
  const popover = page.getByRole('dialog', { name: 'Save quote' });
  await expect(popover.getByLabel('Speaker')).toHaveValue('Parler');
  await popover.getByRole('button', { name: 'Cancel' }).click();

  await spokesperson.getByRole('button', { name: 'Save quote' }).click();
  await expect(spokesperson).toContainText('Saved');
  await filing.getByRole('button', { name: 'Save quote' }).click();
  await expect(filing).toContainText('Saved');
  const spokesCard = app.quoteCard('There is no merit to these claims');
  const filingCard = app.quoteCard(FILING);
  await expect(spokesCard).toContainText('Amazon spokesperson');
  await expect(filingCard).toContainText('Parler');
  // The two-part quote is saved as one passage, verbatim, attribution and both pairs of quotation marks included.
  await expect(spokesCard.locator('blockquote')).toHaveText(/^“There is no merit to these claims,” said the spokesperson\. “However, it is clear/);
  await expect(app.readerText.locator('mark.quote-highlight')).toHaveCount(2);

  // 2. Drag the filing quote into a memo: a linked quote with its paragraph locator.
  await app.newMemo('Suggested quotes');
  await app.editor.click();
  await page.keyboard.type('Parler put it starkly.');
  await filingCard.dragTo(app.editor, { targetPosition: await app.editorPointAfter('starkly.') });
  await expect(app.linkedQuotes()).toHaveCount(1);
  await expect(app.linkedQuotes().first().locator('blockquote')).toHaveText(FILING);
  await expect(app.linkedQuotes().first()).toContainText(CITE_FILING);
  await app.waitSaved();
  await shot('2-memo');

  // 3. Edit the source's text: the spokesperson's words change, so that quote is flagged.
  await app.reader.getByRole('button', { name: 'More source actions' }).click();
  await page.getByRole('menuitem', { name: 'Edit text…' }).click();
  const area = page.getByTestId('edit-text-area');
  const before = await area.inputValue();
  await area.fill(before.replace('There is no merit to these claims', 'There is no basis for these claims'));
  await page.getByRole('button', { name: 'Save text' }).click();
  const review = page.getByTestId('review-panel');
  await expect(review).toContainText('1 quote needs review');
  await expect(review.locator('del')).toHaveText(' merit to');
  await expect(review.locator('ins')).toHaveText(' basis for');
  await expect(spokesCard).toContainText('Changed in source');
  await expect(app.sourceItems().first()).toContainText('1 to review');
  // The filing quote did not move and is not flagged; the memo still shows it.
  await expect(filingCard).not.toContainText('Changed in source');
  await shot('3-review');

  await review.getByRole('button', { name: 'Accept new text' }).click();
  await expect(review).toBeHidden();
  const accepted = app.quoteCard('There is no basis for these claims');
  await expect(accepted).toHaveCount(1);
  await expect(accepted).not.toContainText('Changed in source');
  await expect(app.sourceItems().first()).not.toContainText('to review');

  // 4. Drop three files at once: two import, one is refused, and the report says which.
  const files = [
    { name: 'harbour.txt', type: 'text/plain', text: 'Harbour notes\n\nThe boats came in at dawn.' },
    { name: 'tides.md', type: 'text/markdown', text: '# Tide tables\n\nTwice a day, as always.' },
    { name: 'setup.exe', type: 'application/octet-stream', text: 'MZ\u0000\u0000binary' },
  ];
  const dataTransfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([f.text], f.name, { type: f.type }));
    return dt;
  }, files);
  // Dropped on the reader's text (which refuses every other drop): the files are imported all the same.
  await app.readerText.dispatchEvent('dragover', { dataTransfer });
  await app.readerText.dispatchEvent('drop', { dataTransfer });
  const progress = page.getByTestId('import-progress');
  await expect(progress).toContainText('Imported 2 of 3 · 1 not imported');
  await expect(progress.locator('li.done')).toHaveCount(2);
  await expect(progress.locator('li.done').first()).toContainText('“Harbour notes”');
  await expect(progress.locator('li.failed')).toContainText('setup.exe');
  await expect(progress.locator('li.failed')).toContainText('Verbatim cannot import “setup.exe”');
  await expect(app.sourceItems()).toHaveCount(3);
  await shot('4-import-report');
  await progress.getByRole('button', { name: 'Close import report' }).click();
  await expect(progress).toBeHidden();

  // A file dropped on the memo is imported too, and nothing is typed into the memo.
  const memoBefore = await app.memoBlocks();
  const one = await page.evaluateHandle(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['Ferry notes\n\nThe ferry ran late.'], 'ferry.txt', { type: 'text/plain' }));
    return dt;
  });
  await app.editor.dispatchEvent('dragover', { dataTransfer: one });
  await app.editor.dispatchEvent('drop', { dataTransfer: one });
  await expect(app.sourceItems()).toHaveCount(4);
  await expect(app.sourceItems().filter({ hasText: 'Ferry notes' })).toHaveCount(1);
  expect(await app.memoBlocks()).toEqual(memoBefore);
});
