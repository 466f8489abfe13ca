/**
 * Quote integrity in a memo, end to end:
 * - a linked quote shortened with an ellipsis is saved and shown shortened, with the full
 *   text on hover (title) and for screen readers, and a "shortened" mark;
 * - a shortening that removes words without an ellipsis is refused, the reason shown, and
 *   nothing changes (the editor is opened from the keyboard: Tab from the text to the quote's
 *   "Shorten…" button, Enter);
 * - the source's text changes typographically (through the API, as an edit of the source
 *   would): after a reload the quote shows a drift mark with the quoted and the new text;
 *   the PDF prints a dagger and a note; "Accept new text" clears the mark and keeps the
 *   shortening, which still fits; a second change that the shortening no longer fits is
 *   accepted too, and the writer is told the shortening was dropped;
 * - a quote selected by a click opens the editor with Alt+Enter; "Restore full quote" undoes a shortening.
 * Screenshots go to e2e-artifacts/quote-integrity-*.png.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { ARTIFACTS, expect, test } from './fixtures';
import { VerbatimApp } from './pages/VerbatimApp';

// The spokesperson's statement in the sample article (paragraph 6), verbatim.
const FULL =
  '“There is no merit to these claims,” said the spokesperson. “However, it is clear that there is significant content on Parler that encourages and incites violence against others, and that Parler is unable or unwilling to promptly identify and remove this content, which is a violation of our terms of service.”';
// Typed with "..." for the ellipses; the comma after "others" faces the last cut and may go.
const TYPED = '“There is no merit to these claims,” ... “However, it is clear that there is significant content on Parler that encourages and incites violence against others ...';
const SHORT = '“There is no merit to these claims,” … “However, it is clear that there is significant content on Parler that encourages and incites violence against others …';
// The attribution cut without an ellipsis.
const INVALID = '“There is no merit to these claims,” “However, it is clear …';
const INVALID_REASON = 'Words were removed between “claims” and “However” without an ellipsis (…).';
// First change: only the closing quotation mark, inside the cut end: the shortening still fits.
const FULL_2 = FULL.replace('service.”', 'service."');
// Second change: the opening mark too, which the shortening keeps: it no longer fits.
const FULL_3 = FULL_2.replace('“There is no merit', '"There is no merit');
const DRIFT_NOTE = 'Text changed in the source since it was quoted; the current text is given.';

test('shorten a linked quote, refuse a bad shortening, mark and accept a drifted quote', async ({ host }) => {
  const app = new VerbatimApp(host.page);
  const page = host.page;
  const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `quote-integrity-${name}.png`) });

  await app.saveQuote(FULL);
  await app.newMemo('Integrity');
  await app.editor.click();
  await page.keyboard.type('Amazon answered the same day.');
  await page.keyboard.press('Enter');
  await app.quoteCard('There is no merit').getByRole('button', { name: /^Insert into memo:/ }).click();
  await expect(app.linkedQuotes()).toHaveCount(1);
  await page.keyboard.type('A strong denial.');
  const quote = app.linkedQuotes().first();
  const text = quote.getByTestId('linked-quote-text');
  await expect(text).toHaveText(FULL);

  // 1. A valid shortening: checked as typed, saved, shown, the full text on hover.
  let dialog = await app.openShortenDialog(quote);
  await expect(dialog.getByLabel('Shortened quote')).toHaveValue(FULL);
  await dialog.getByLabel('Shortened quote').fill(TYPED);
  await expect(dialog.getByTestId('shorten-check')).toHaveText(`✓ Only whole words removed, each cut marked. It will read: ${SHORT}`);
  await dialog.getByRole('button', { name: 'Save shortened quote' }).click();
  await expect(dialog).toBeHidden();
  await expect(text).toHaveText(SHORT);
  await expect(text).toHaveAttribute('title', `Full quote: ${FULL}`);
  await expect(quote.getByTestId('linked-quote-full-text')).toHaveText(`Shortened. The full quote reads: ${FULL}`);
  await expect(text).toHaveAttribute('aria-describedby', (await quote.getByTestId('linked-quote-full-text').getAttribute('id'))!);
  await expect(quote.getByTestId('mark-shortened')).toHaveText('shortened');
  await app.waitSaved();
  await text.hover();
  await shot('1-shortened');

  // 2. An invalid shortening, the editor opened from the keyboard: refused with the reason; nothing changes.
  await app.editor.click({ position: await app.editorPointAfter('A strong denial.') });
  await page.keyboard.press('Tab'); // from the memo's text, Tab goes to the quote's own buttons
  await expect(quote.getByRole('button', { name: 'Shorten…' })).toBeFocused();
  await page.keyboard.press('Enter');
  dialog = page.getByRole('dialog', { name: 'Shorten quote' });
  await expect(dialog.getByLabel('Shortened quote')).toHaveValue(SHORT);
  await dialog.getByLabel('Shortened quote').fill(INVALID);
  await expect(dialog.getByTestId('shorten-check')).toHaveText(INVALID_REASON);
  await dialog.getByRole('button', { name: 'Save shortened quote' }).click();
  await expect(dialog.getByRole('alert')).toHaveText(`Not saved: ${INVALID_REASON}`);
  await shot('2-refused');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(text).toHaveText(SHORT);

  // 3. The source's closing quotation mark changes: the quote re-anchors with the new text.
  const sources = await app.callApi<{ id: string; title: string }[]>('sources.list', {});
  const sample = sources.find((s) => s.title === 'Parler Sues Amazon')!;
  const editSource = async (from: string, to: string) => {
    const source = await app.callApi<{ text: string }>('sources.get', { id: sample.id });
    expect(source.text).toContain(from);
    const { report } = await app.callApi<{ report: { moved: number; changed: number; orphaned: number } }>('sources.updateText', { id: sample.id, text: source.text.replace(from, to) });
    expect(report).toMatchObject({ moved: 1, changed: 0, orphaned: 0 });
  };
  await editSource(FULL, FULL_2);
  await page.reload();
  await expect(text).toHaveText(SHORT); // the change is in the cut end: the shortening still fits
  const drift = quote.getByTestId('mark-drift');
  await expect(drift).toHaveText('The source’s text changed ▾');
  await expect(drift).toHaveAttribute('title', `The source’s text changed: quoted as “${FULL}”, now “${FULL_2}”`);
  await drift.click();
  // The word that changed is struck out and the new one shown beside it.
  await expect(quote.getByTestId('drift-details').locator('del')).toHaveText('service.”');
  await expect(quote.getByTestId('drift-details').locator('ins')).toHaveText('service."');
  await quote.scrollIntoViewIfNeeded();
  await shot('3-drifted');

  // The PDF carries the mark: the shortened text, a dagger, and the note.
  const pdfPath = path.join(ARTIFACTS, 'quote-integrity.pdf');
  await app.exportPdf(host.electronApp, pdfPath);
  const pdfText = execFileSync('pdftotext', ['-enc', 'UTF-8', pdfPath, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  // The dagger is a superscript: pdftotext may set it off with a space.
  expect(pdfText).toContain(SHORT);
  expect(pdfText.slice(pdfText.indexOf(SHORT) + SHORT.length)).toMatch(/^ ?† \(Parler Sues Amazon, n\.d\., para\. 6\) † /);
  expect(pdfText).toContain(`† ${DRIFT_NOTE}`);

  // Accept: the mark goes, the shortening stays (it fits the new text), and it is saved.
  await quote.getByRole('button', { name: 'Accept new text' }).click();
  await expect(app.page.getByRole('status').filter({ hasText: 'Accepted the source’s new text; your shortened version still fits it and is kept.' })).toBeVisible();
  await expect(drift).toHaveCount(0);
  await expect(text).toHaveText(SHORT);
  await expect(text).toHaveAttribute('title', `Full quote: ${FULL_2}`);
  await app.waitSaved();
  await page.reload();
  await expect(text).toHaveText(SHORT);
  await expect(quote.getByTestId('mark-drift')).toHaveCount(0);
  await expect(quote.getByTestId('mark-shortened')).toBeVisible();
  await shot('4-accepted');

  // 4. The opening mark changes too: the shortening no longer fits, so the full new text shows, marked.
  await editSource(FULL_2, FULL_3);
  await page.reload();
  await expect(text).toHaveText(FULL_3);
  await expect(quote.getByTestId('mark-drift')).toBeVisible();
  await expect(quote.getByTestId('mark-stale-shortening')).toHaveText('Your shortened version no longer fits the text: shown in full');
  await shot('5-drifted-no-longer-fits');
  await quote.getByRole('button', { name: 'Accept new text' }).click();
  await expect(app.page.getByRole('status').filter({ hasText: 'your shortened version no longer fits it' })).toBeVisible();
  await expect(quote.getByTestId('linked-quote-marks')).toHaveCount(0);
  await expect(quote.getByTestId('mark-shortened')).toHaveCount(0);
  await expect(text).toHaveText(FULL_3);
  await app.waitSaved();

  // 5. Shorten again (the quote selected by a click, Alt+Enter), then restore the full quote from the editor.
  await text.click();
  await expect(quote).toHaveClass(/selected/);
  await page.keyboard.press('Alt+Enter');
  dialog = page.getByRole('dialog', { name: 'Shorten quote' });
  await expect(dialog.getByRole('button', { name: 'Restore full quote' })).toHaveCount(0);
  await dialog.getByLabel('Shortened quote').fill('… no merit to these claims …');
  await dialog.getByRole('button', { name: 'Save shortened quote' }).click();
  await expect(text).toHaveText('… no merit to these claims …');
  dialog = await app.openShortenDialog(quote);
  await dialog.getByRole('button', { name: 'Restore full quote' }).click();
  await expect(dialog).toBeHidden();
  await expect(text).toHaveText(FULL_3);
  await expect(quote.getByTestId('mark-shortened')).toHaveCount(0);
  await app.waitSaved();
});
