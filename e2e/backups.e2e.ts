/**
 * Durability in the UI: the Backups dialog (back up now, restore with a confirmation that
 * says the current library is kept aside, the page reloading onto the restored library),
 * and a memo save that the host refuses for lack of storage showing "Not saved" with the
 * reason, never "Saved", until a later save goes through.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ARTIFACTS, expect, test } from './fixtures';
import { VerbatimApp } from './pages/VerbatimApp';

test('back up from the Backups dialog, then restore it: later work is gone from view and kept aside', async ({ host }) => {
  const app = new VerbatimApp(host.page);
  await expect(app.sourceItems()).toHaveCount(1);
  const backupsButton = app.library.getByRole('button', { name: 'Backups' });
  await backupsButton.focus();
  await host.page.keyboard.press('Enter'); // reachable from the keyboard
  const dialog = host.page.getByRole('dialog', { name: 'Backups' });
  await expect(dialog.getByText('There are no backups yet.')).toBeVisible();
  await dialog.getByRole('button', { name: 'Back up now' }).click();
  await expect(dialog.getByTestId('backups-status')).toContainText('Backed up: library-');
  await expect(dialog.getByTestId('backup-item')).toHaveCount(1);
  await host.page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // Work done after the backup.
  await app.callApi('sources.importText', { text: 'Written after the backup.\n\nA second paragraph.', title: 'After the backup' });
  await host.page.reload();
  await expect(app.sourceItems()).toHaveCount(2);

  await backupsButton.click();
  await expect(dialog.getByTestId('backup-item')).toContainText(/library-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}/); // the file name, as `npm run cli -- restore <name>` takes it
  await host.page.screenshot({ path: path.join(ARTIFACTS, 'backups-dialog.png') });
  await dialog.getByRole('button', { name: /^Restore the backup from / }).click();
  await expect(dialog.getByRole('group', { name: 'Confirm restore' })).toContainText('The current library is kept aside first');
  await dialog.getByRole('button', { name: 'Restore this backup' }).click();
  // The page reloads onto the restored library: the later source is gone from view.
  await expect(host.page.getByRole('dialog', { name: 'Backups' })).toBeHidden();
  await expect(app.sourceItems()).toHaveCount(1);
  await expect(app.sourceItems().first()).toContainText('Parler Sues Amazon');

  // ... and kept aside in the backups folder, listed in the dialog.
  const kept = readdirSync(path.join(host.dataDir, 'backups')).filter((n) => n.startsWith('before-restore-'));
  expect(kept).toHaveLength(1);
  expect(existsSync(path.join(host.dataDir, 'backups', kept[0]!))).toBe(true);
  await backupsButton.click();
  await expect(dialog.getByTestId('backup-item')).toHaveCount(2);
  await expect(dialog.getByTestId('backup-item').filter({ hasText: 'before a restore' })).toHaveCount(1);
});

test('a save refused for storage says "Not saved" with the reason and never "Saved"', async ({ host }) => {
  test.skip(host.kind !== 'web', 'The refusal is injected at the HTTP layer, which only the web host has; the services’ storage errors are tested for real in electron/services/storage.test.ts.');
  const app = new VerbatimApp(host.page);
  await app.newMemo('Full disk');
  await app.editor.click();
  await host.page.keyboard.type('first words');
  await app.waitSaved();

  const message = 'The disk is full; this change was not saved. Your library is as it was before it. Free some space and try again.';
  await host.page.route('**/api/memos.save', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ ok: false, error: { code: 'storage', message } }) }));
  const status = app.memo.getByTestId('save-status');
  // Record every text the status shows from here on.
  await status.evaluate((el) => {
    const seen: string[] = [];
    (window as unknown as { __statuses: string[] }).__statuses = seen;
    new MutationObserver(() => seen.push(el.textContent ?? '')).observe(el, { childList: true, characterData: true, subtree: true });
  });
  await host.page.keyboard.type(' and more');
  await expect(status).toHaveText('Not saved');
  await expect(status).toHaveAttribute('title', message);
  await expect(app.alerts.filter({ hasText: 'The disk is full' }).first()).toBeVisible();
  await host.page.keyboard.type(' again');
  await app.editor.blur();
  await expect(status).toHaveText('Not saved');
  const seen = await host.page.evaluate(() => (window as unknown as { __statuses: string[] }).__statuses);
  expect(seen.length).toBeGreaterThan(0);
  expect(seen).not.toContain('Saved');
  const stored = await app.callApi<{ content: unknown }>('memos.get', { id: (await app.callApi<{ id: string }[]>('memos.list', {}))[0]!.id });
  expect(JSON.stringify(stored.content)).toContain('first words');
  expect(JSON.stringify(stored.content)).not.toContain('and more');

  // Room again: the next edit saves everything typed, nothing lost.
  await host.page.unroute('**/api/memos.save');
  await app.editor.click();
  await host.page.keyboard.press('End');
  await host.page.keyboard.type('!');
  await app.waitSaved();
  const after = await app.callApi<{ content: unknown }>('memos.get', { id: (await app.callApi<{ id: string }[]>('memos.list', {}))[0]!.id });
  expect(JSON.stringify(after.content)).toContain('first words and more again!');
});
