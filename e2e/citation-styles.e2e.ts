/**
 * Citation styles end to end: a memo with a plain citation and three linked quotes,
 * switched from APA 7 to Chicago notes and bibliography. The footnotes must show in the
 * editor and print as real footnotes in the PDF (read back with pdftotext), then as
 * endnotes when the user asks for them.
 *
 * Expected strings are written from the style guides: APA 7 §8.28 (paragraph numbers for
 * sources without pages: "para. 6"), §8.23 (prefix "see" inside the parentheses);
 * Chicago 18 §14.20 (first note in full), §13.32 (later notes shortened to author and short
 * title; Chicago 18 discourages "ibid."), §13.69 (bibliography entry of a newspaper article).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ElectronApplication } from '@playwright/test';
import { ARTIFACTS, expect, test } from './fixtures';
import { VerbatimApp } from './pages/VerbatimApp';

const QUOTE_1 = '“There is no merit to these claims,”';
const QUOTE_2 = '“It will kill Parler’s business—at the very time it is set to skyrocket,”';
const QUOTE_3 = 'Parler did not immediately respond to a request for comment.';

// Paragraphs of the sample, counted by hand (the title line is the 1st).
const NOTES = [
  // A note that opens with the prefix starts with a capital (CMOS 18 §14.37 "See").
  // Two sources cited together make one note, in the order cited (CMOS 18 §13.21), joined by a semicolon.
  'See Kari Paul, “Parler Sues Amazon,” The Guardian, January 11, 2021, 2; Jane Doe, Harbour Report (Example Press, 2020).',
  'Paul, “Parler Sues Amazon,” para. 6.',
  'Paul, “Parler Sues Amazon,” para. 11.',
  'Paul, “Parler Sues Amazon,” para. 7.',
];
const BIBLIOGRAPHY = 'Paul, Kari. “Parler Sues Amazon.” The Guardian, January 11, 2021.';

const normalize = (text: string) => text.replace(/\s+/g, ' ').trim();

/** A one-entry BibTeX file, written here: a report by Jane Doe. */
const BIBTEX = '@report{doe2020harbour,\n  author = {Doe, Jane},\n  title = {Harbour Report},\n  institution = {Example Press},\n  year = {2020},\n}\n';

async function exportPdf(app: VerbatimApp, electronApp: ElectronApplication | null, name: string): Promise<string> {
  const pdfPath = path.join(ARTIFACTS, `citation-styles-${name}.pdf`);
  await app.exportPdf(electronApp, pdfPath);
  execFileSync('pdftoppm', ['-png', '-r', '60', pdfPath, path.join(ARTIFACTS, `citation-styles-${name}-page`)]);
  return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', pdfPath, '-'], { encoding: 'utf8' });
}

test('a memo switches from APA to Chicago notes: footnotes in the editor and in the PDF', async ({ host }) => {
  test.setTimeout(120_000);
  const app = new VerbatimApp(host.page);
  const page = host.page;

  // The sample gets an author and a date.
  await app.reader.getByRole('button', { name: 'Edit metadata' }).click();
  const form = page.getByRole('dialog', { name: 'Source metadata' });
  await form.getByLabel('Family name 1').fill('Paul');
  await form.getByLabel('Given name 1').fill('Kari');
  await form.getByLabel('Container title (newspaper, journal, site)').fill('The Guardian');
  await form.getByLabel('Issued').fill('2021-01-11');
  await form.getByRole('button', { name: 'Save metadata' }).click();
  await expect(form).toBeHidden();

  for (const quote of [QUOTE_1, QUOTE_2, QUOTE_3]) await app.saveQuote(quote);
  await expect(app.quoteCard('There is no merit')).toContainText('para. 6');

  // A second source from a BibTeX file, through the Import button.
  const bibPath = path.join(ARTIFACTS, 'citation-styles-doe.bib');
  writeFileSync(bibPath, BIBTEX);
  await page.getByTestId('import-input').setInputFiles(bibPath);
  const report = page.getByRole('dialog', { name: 'Imported citation-styles-doe.bib' });
  await expect(report).toContainText('Added 1 source');
  await report.getByRole('button', { name: 'OK' }).click();
  await expect(app.sourceItems()).toHaveCount(2);

  // A memo: an opening sentence citing both sources together, then the three quotes.
  await app.newMemo('Style test');
  await app.editor.click();
  await page.keyboard.type('Amazon denies it');
  await app.sourceItems().filter({ hasText: 'Parler Sues Amazon' }).getByRole('button', { name: /^Cite .* in the memo$/ }).click();
  const cite = page.getByRole('dialog', { name: /^Cite/ });
  await cite.getByLabel('Locator type').selectOption('page');
  await cite.getByLabel('Locator', { exact: true }).fill('2');
  await cite.getByLabel('Prefix').fill('see');
  await cite.getByRole('button', { name: 'Insert citation' }).click();
  await expect(cite).toBeHidden();
  await app.sourceItems().filter({ hasText: 'Harbour Report' }).getByRole('button', { name: /^Cite .* in the memo$/ }).click();
  await cite.getByRole('button', { name: 'Insert citation' }).click();
  await expect(cite).toBeHidden();
  for (const quote of [QUOTE_1, QUOTE_2, QUOTE_3]) {
    await app.quoteCard(quote.slice(1, 30)).getByRole('button', { name: /^Insert into memo:/ }).click();
  }
  await expect(app.linkedQuotes()).toHaveCount(3);

  // APA 7: in-text citations with paragraph locators; the plain citation in its sentence.
  // Cited together: one parenthesis, works in reference-list order (APA 7 §8.12).
  await expect(app.editor.getByTestId('citation')).toHaveText(['(Doe, 2020; see Paul, 2021, p. 2)', '+']);
  await expect(app.linkedQuotes().nth(0)).toContainText('(Paul, 2021, para. 6)');
  await expect(app.linkedQuotes().nth(1)).toContainText('(Paul, 2021, para. 11)');
  await expect(app.linkedQuotes().nth(2)).toContainText('(Paul, 2021, para. 7)');
  await expect(app.memo.getByTestId('references').getByRole('heading')).toHaveText('References');
  await app.waitSaved();

  // Chicago notes and bibliography: every cite becomes a numbered note, in document order.
  await app.memo.getByLabel('Citation style').selectOption({ label: 'Chicago Manual of Style 18th edition (notes and bibliography)' });
  const notes = app.memo.getByTestId('memo-notes').locator('li');
  await expect(notes).toHaveText(NOTES, { timeout: 30_000 });
  await expect(app.editor.getByTestId('citation')).toHaveText(['1', '+']);
  for (let i = 0; i < 3; i += 1) await expect(app.linkedQuotes().nth(i).getByTestId('note-ref')).toHaveText(String(i + 2));
  await expect(app.memo.getByTestId('references').getByRole('heading')).toHaveText('Bibliography');
  await expect(app.memo.getByTestId('references')).toContainText(BIBLIOGRAPHY);
  await page.screenshot({ path: path.join(ARTIFACTS, 'citation-styles-chicago-editor.png') });

  // The PDF: footnotes at the foot of the page, after the body and the bibliography.
  const footnoted = await exportPdf(app, host.electronApp, 'footnotes');
  const flat = normalize(footnoted);
  expect(flat).toContain('Amazon denies it1');
  expect(flat).toContain(`${QUOTE_1}2`);
  const noteLines = NOTES.map((note, i) => flat.indexOf(`${i + 1}. ${note}`));
  expect(noteLines.every((at) => at > 0), `every footnote is printed: ${flat}`).toBe(true);
  expect([...noteLines].sort((a, b) => a - b)).toEqual(noteLines); // in order
  expect(noteLines[0]!).toBeGreaterThan(flat.indexOf(BIBLIOGRAPHY)); // at the foot of the page, below the text
  expect(flat).toContain('Page 1 of 1');
  expect(flat).not.toContain('Notes'); // no endnotes section

  // Endnotes instead: a "Notes" section before the bibliography.
  await app.memo.getByLabel('Notes in PDF').selectOption('endnotes');
  const endnoted = normalize(await exportPdf(app, host.electronApp, 'endnotes'));
  const notesAt = endnoted.indexOf('Notes 1. See Kari Paul');
  expect(notesAt).toBeGreaterThan(endnoted.indexOf(QUOTE_3));
  expect(endnoted.indexOf('Bibliography')).toBeGreaterThan(notesAt);
  for (const [i, note] of NOTES.entries()) expect(endnoted).toContain(`${i + 1}. ${note}`);

  // Back to APA: the citations come back in the editor at once.
  await app.memo.getByLabel('Citation style').selectOption({ label: 'APA Style 7th edition' });
  await expect(app.linkedQuotes().nth(0)).toContainText('(Paul, 2021, para. 6)');
  await expect(app.memo.getByTestId('memo-notes')).toHaveCount(0);
});
