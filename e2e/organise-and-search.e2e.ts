/**
 * Issue 6 in the UI: one search over quotes, sources and memos (grouped, snippets
 * highlighted with <mark>, filters, keyboard); tags added, renamed and merged; a project
 * filtering the library; backlinks ("Used in 1 memo") jumping to the linked quote; deleting
 * a used quote asks first, naming the memo, which then shows the missing-quote block and
 * prints its note; a library of 3,000 quotes that scrolls with only a few dozen cards in
 * the DOM. Screenshots go to e2e-artifacts/organise-*.png.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { ARTIFACTS, callApi, expect, test } from './fixtures';
import { VerbatimApp } from './pages/VerbatimApp';

const MERIT = '“There is no merit to these claims,”';
const STEAL = "used by “Stop the Steal” organizers";

interface SourceLite {
  id: string;
  title: string;
  text: string;
}

/** The sample source (the first-run library's only one). */
async function sample(page: Page): Promise<SourceLite> {
  const [first] = await callApi<{ id: string }[]>(page, 'sources.list', { limit: 1 });
  return callApi<SourceLite>(page, 'sources.get', { id: first!.id });
}

/** Save `exact` (found in the source's text) as a quote through the contract. */
async function quoteOf(page: Page, source: SourceLite, exact: string, speaker = ''): Promise<{ id: string }> {
  const start = source.text.indexOf(exact);
  expect(start, `the sample contains ${exact}`).toBeGreaterThanOrEqual(0);
  return callApi(page, 'quotes.create', { sourceId: source.id, start, end: start + exact.length, speaker, note: '' });
}

test('search: grouped results, highlighted snippets, filters, keyboard, no results', async ({ host }) => {
  const page = host.page;
  const app = new VerbatimApp(page);
  await expect(app.sourceItems()).toHaveCount(1);
  const source = await sample(page);
  await quoteOf(page, source, MERIT, 'Amazon spokesperson');
  await quoteOf(page, source, STEAL);
  await callApi(page, 'memos.create', { title: 'Merit of the complaint' });
  await page.reload();

  const search = app.library.getByLabel('Search quotes, sources and memos');
  await search.fill('meri');
  const results = app.library.getByRole('region', { name: 'Search results' });
  const quotes = results.getByRole('group', { name: 'Quotes found' });
  const sources = results.getByRole('group', { name: 'Sources found' });
  const memos = results.getByRole('group', { name: 'Memos found' });
  // One quote, the sample source (its text has "merit") and the memo (its title).
  await expect(quotes.locator('.quote-card')).toHaveCount(1);
  await expect(quotes.locator('.quote-card')).toContainText('There is no merit to these claims');
  await expect(quotes.locator('mark')).toHaveText([/^merit$/i]);
  await expect(sources.locator('.search-hit')).toHaveCount(1);
  await expect(sources.locator('mark').first()).toHaveText(/^merit$/i);
  await expect(memos.locator('.search-hit')).toHaveText([/Merit of the complaint/]);
  await page.screenshot({ path: path.join(ARTIFACTS, 'organise-search.png') });

  // Keyboard: ArrowDown from the box to the first result, on through the groups; Enter opens.
  await search.press('ArrowDown');
  await expect(quotes.locator('[data-result]')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(sources.locator('[data-result]')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(memos.locator('[data-result]')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(app.memo.getByLabel('Memo title')).toHaveValue('Merit of the complaint');
  await search.press('Escape');
  await expect(search).toHaveValue('');

  // A speaker filter narrows the quotes, and leaves out sources and memos (they have no speaker).
  await search.fill('steal');
  await expect(quotes.locator('.quote-card')).toHaveCount(1);
  await app.library.getByRole('button', { name: /^Filters/ }).click();
  await app.library.getByLabel('Filter by speaker').fill('Amazon spokesperson');
  await expect(results.getByTestId('no-results')).toContainText('Nothing matches “steal”');
  await search.fill('claims');
  await expect(quotes.locator('.quote-card')).toHaveCount(1);
  await expect(sources).toHaveCount(0);
  await expect(memos).toHaveCount(0);
  // The same filter narrows the quote list when nothing is searched.
  await search.fill('');
  await expect(app.quoteCards()).toHaveCount(1);
  await app.library.getByRole('button', { name: 'Clear filters' }).click();
  await expect(app.quoteCards()).toHaveCount(2);
});

test('tags: add with autocomplete, rename, merge; a project filters the library', async ({ host }) => {
  const page = host.page;
  const app = new VerbatimApp(page);
  await expect(app.sourceItems()).toHaveCount(1);
  const source = await sample(page);
  await quoteOf(page, source, MERIT, 'Amazon spokesperson');
  await quoteOf(page, source, STEAL);
  await page.reload();
  const merit = app.quoteCard('There is no merit');
  const steal = app.quoteCard('Stop the Steal');

  const addTag = async (card: ReturnType<VerbatimApp['quoteCard']>, name: string) => {
    await card.getByRole('button', { name: /^Add a tag to/ }).click();
    await card.getByLabel(/^New tag for/).fill(name);
    await card.getByLabel(/^New tag for/).press('Enter');
  };
  await addTag(merit, 'evidence');
  await expect(merit.getByTestId('tag-chip')).toHaveText(['evidence×']);
  // The same name in other case is the same tag, offered by the field's suggestions.
  await steal.getByRole('button', { name: /^Add a tag to/ }).click();
  await expect(steal.locator('datalist option')).toHaveCount(1);
  await expect(steal.locator('datalist option')).toHaveAttribute('value', 'evidence');
  await steal.getByLabel(/^New tag for/).fill('Evidence');
  await steal.getByLabel(/^New tag for/).press('Enter');
  await expect(steal.getByTestId('tag-chip')).toHaveText(['evidence×']);
  await addTag(steal, 'claims');
  await expect(steal.getByTestId('tag-chip')).toHaveText(['claims×', 'evidence×']);

  // Rename in the tag manager: both cards follow.
  await app.library.getByRole('button', { name: 'Tags…' }).click();
  const manager = page.getByRole('dialog', { name: 'Tags' });
  await expect(manager.getByTestId('tag-manager-row')).toHaveCount(2);
  await manager.getByLabel('Name of tag evidence').fill('proof');
  await manager.getByLabel('Name of tag evidence').press('Enter');
  await expect(merit.getByTestId('tag-chip')).toHaveText(['proof×']);
  await expect(manager.getByTestId('tag-manager-row').filter({ has: page.getByLabel('Name of tag proof') })).toContainText('2 quotes, 0 sources');
  // Merge "claims" into "proof": the card that had both keeps one.
  page.once('dialog', (d) => void d.accept());
  await manager.getByLabel('Merge tag claims into').selectOption({ label: 'proof' });
  await expect(manager.getByTestId('tag-manager-row')).toHaveCount(1);
  await page.keyboard.press('Escape');
  await expect(manager).toBeHidden();
  await expect(steal.getByTestId('tag-chip')).toHaveText(['proof×']);
  // Removing a tag from one card.
  await steal.getByRole('button', { name: 'Remove tag proof' }).click();
  await expect(steal.getByTestId('tag-chip')).toHaveCount(0);

  // A project: create it, add one quote, filter the library by it.
  await app.library.getByRole('button', { name: 'New project' }).click();
  await app.library.getByLabel('New project name').fill('Case A');
  await app.library.getByLabel('New project name').press('Enter');
  await merit.getByLabel(/^Add quote .* to a project$/).selectOption({ label: 'Case A' });
  await app.library.getByLabel('Project', { exact: true }).selectOption({ label: 'Case A (1)' });
  await expect(app.quoteCards()).toHaveCount(1);
  await expect(app.quoteCards()).toContainText('There is no merit');
  await expect(app.sourceItems()).toHaveCount(0);
  await page.screenshot({ path: path.join(ARTIFACTS, 'organise-tags-project.png') });
  await app.library.getByLabel('Project', { exact: true }).selectOption({ label: 'All of the library' });
  await expect(app.quoteCards()).toHaveCount(2);
});

test('backlinks jump to the quote; deleting a used quote asks first, then the memo shows the missing-quote block', async ({ host }) => {
  const page = host.page;
  const app = new VerbatimApp(page);
  await expect(app.sourceItems()).toHaveCount(1);
  const source = await sample(page);
  await quoteOf(page, source, MERIT, 'Amazon spokesperson');
  await page.reload();
  const card = app.quoteCard('There is no merit');
  await expect(card.getByTestId('used-in')).toHaveText('Not used in a memo');

  await app.newMemo('Uses the quote');
  await app.editor.click();
  for (let i = 1; i <= 30; i += 1) await page.keyboard.press('Enter'); // push the quote below the fold
  await card.getByRole('button', { name: /^Insert into memo:/ }).click();
  await expect(app.linkedQuotes()).toHaveCount(1);
  await app.waitSaved();
  await expect(card.getByTestId('used-in')).toHaveText(/Used in 1 memo/);

  await app.newMemo('Another memo');
  await app.waitSaved();
  await card.getByTestId('used-in').click();
  await card.getByRole('button', { name: /Uses the quote/ }).click();
  await expect(app.memo.getByLabel('Memo title')).toHaveValue('Uses the quote');
  await expect(app.linkedQuotes().first()).toHaveClass(/flash/);
  await expect(app.linkedQuotes().first()).toBeInViewport();

  // Delete: the question names the memo; afterwards the memo shows the marked block.
  let question = '';
  page.once('dialog', (d) => {
    question = d.message();
    void d.accept();
  });
  await card.getByRole('button', { name: /^Delete quote:/ }).click();
  await expect(app.quoteCards()).toHaveCount(0);
  expect(question).toContain('One memo uses it');
  expect(question).toContain('• Uses the quote');
  const missing = app.linkedQuotes().first();
  await expect(missing).toHaveClass(/missing/);
  await expect(missing.getByTestId('mark-missing')).toContainText('Quote deleted from the library');
  await expect(missing.getByTestId('linked-quote-text')).toHaveText(MERIT);
  await missing.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(ARTIFACTS, 'organise-missing-quote.png') });
  await app.waitSaved();
  const pdfPath = path.join(ARTIFACTS, 'organise-missing-quote.pdf');
  await app.exportPdf(host.electronApp, pdfPath);
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', pdfPath, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  expect(text).toContain('There is no merit to these claims');
  expect(text).toContain('[This quote is no longer in the library.]');
});

test('a library of 3,000 quotes scrolls with only the visible cards in the DOM', async ({ host }) => {
  test.setTimeout(240_000);
  const page = host.page;
  const app = new VerbatimApp(page);
  await expect(app.sourceItems()).toHaveCount(1);
  const N = 3000;
  const lines = Array.from({ length: N }, (_, i) => `Line ${String(i).padStart(4, '0')} says something worth quoting about the case.`);
  const big = await callApi<{ id: string }>(page, 'sources.importText', { text: lines.join('\n\n'), title: 'Three thousand lines' });
  const full = await callApi<SourceLite>(page, 'sources.get', { id: big.id });
  // Quotes made in order, 50 at a time: "Line 0000" is the oldest, so last in the newest-first list.
  await page.evaluate(
    async ([sourceId, text, count]) => {
      for (let i = 0; i < (count as number); i += 50) {
        await Promise.all(
          Array.from({ length: Math.min(50, (count as number) - i) }, (_, k) => {
            const needle = `Line ${String(i + k).padStart(4, '0')} says`;
            const start = (text as string).indexOf(needle);
            return fetch('/api/quotes.create', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ sourceId, start, end: start + needle.length }) });
          }),
        );
      }
    },
    [big.id, full.text, N] as const,
  );
  await page.reload();
  const quotes = app.library.getByRole('region', { name: 'Quotes' });
  await expect(quotes.locator('h2 .count')).toHaveText(String(N));
  const inDom = async () => app.quoteCards().count();
  expect(await inDom()).toBeLessThan(60);
  await expect(app.quoteCard('Line 2999 says')).toBeVisible();

  // Scroll to the end, page after page, until the oldest quote shows.
  const body = quotes.locator('.library-section-body');
  await expect(async () => {
    await body.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await expect(app.quoteCard('Line 0000 says')).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 60_000 });
  expect(await inDom()).toBeLessThan(60);
  await page.screenshot({ path: path.join(ARTIFACTS, 'organise-3000-quotes.png') });

  // Arrow keys move focus between cards, Home goes back to the first (scrolling it into view).
  await app.quoteCard('Line 0000 says').locator('.quote-card-open').focus();
  await page.keyboard.press('ArrowUp');
  await expect(app.quoteCard('Line 0001 says').locator('.quote-card-open')).toBeFocused();
  await page.keyboard.press('Home');
  await expect(app.quoteCard('Line 2999 says').locator('.quote-card-open')).toBeFocused();
  expect(await inDom()).toBeLessThan(60);
});
