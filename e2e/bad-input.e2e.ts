/**
 * Bad input gets a clear message and loses nothing: an empty file, a binary file named
 * .txt, invalid UTF-8, a 20 MB text file, a damaged PDF, an unsupported type, an empty paste, HTML with
 * scripts and event handlers (imported sanitized, nothing runs), and a quote selection
 * that spans only white space. After each refusal the library is unchanged.
 */
import path from 'node:path';
import sqlite3 from 'sqlite3';
import { ARTIFACTS, expect, test } from './fixtures';
import { VerbatimApp } from './pages/VerbatimApp';

const XSS_HTML = `<!doctype html><html lang="en"><head><title>Harbour Report</title>
<meta property="og:site_name" content="Test Gazette">
<script>window.__xss = 'head script'; alert('head');</script></head>
<body><article><h1>Harbour Report</h1>
<p>The harbour authority published its annual report on Monday, describing a year of record traffic.</p>
<p>“We moved more containers than ever,” the director said. <img src="x" onerror="window.__xss='onerror'; alert('img')"></p>
<p><a href="javascript:window.__xss='href'">A link that must not run</a> and <svg onload="window.__xss='svg'"><circle r="1"/></svg> more text.</p>
<script>window.__xss = 'body script'; alert('body');</script>
<p>Dockworkers said the new cranes had cut waiting times for ships by almost half since spring.</p>
</article></body></html>`;

test('bad files, empty pastes and empty selections get clear errors and change nothing', async ({ host }) => {
  const app = new VerbatimApp(host.page);
  const dialogs: string[] = [];
  host.page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await expect(app.sourceItems()).toHaveCount(1);
  const input = host.page.getByTestId('import-input');

  const cases: { name: string; buffer: Buffer; mimeType: string; message: RegExp }[] = [
    { name: 'empty.txt', buffer: Buffer.alloc(0), mimeType: 'text/plain', message: /“empty\.txt” is empty/ },
    { name: 'photo.txt', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]), mimeType: 'text/plain', message: /“photo\.txt” looks like a binary file/ },
    { name: 'latin1.txt', buffer: Buffer.from('Caf\xe9 au lait, na\xefve r\xe9sum\xe9', 'latin1'), mimeType: 'text/plain', message: /“latin1\.txt” is not valid UTF-8 text \(the first bad byte is at offset 3\)/ },
    { name: 'huge.txt', buffer: Buffer.alloc(20 * 1024 * 1024, 'All work and no play. '), mimeType: 'text/plain', message: /“huge\.txt” is 20\.0 MB; Verbatim imports files up to 10 MB/ },
    { name: 'notes.pdf', buffer: Buffer.from('%PDF-1.4\n'), mimeType: 'application/pdf', message: /“notes\.pdf” cannot be read as a PDF \(Invalid PDF structure\): it is damaged or not a PDF/ },
    { name: 'notes.rtf', buffer: Buffer.from('{\\rtf1 hi}'), mimeType: 'application/rtf', message: /cannot import “notes\.rtf”: it imports .*\.pdf, \.docx, \.epub files\. Save it as \.docx/ },
  ];
  for (const c of cases) {
    await input.setInputFiles({ name: c.name, mimeType: c.mimeType, buffer: c.buffer });
    const alert = app.alerts.filter({ hasText: c.message });
    await expect(alert, c.name).toBeVisible();
    await alert.getByRole('button', { name: 'Dismiss' }).click();
    await expect(app.sourceItems(), `${c.name} leaves the library as it was`).toHaveCount(1);
  }

  // The same refusal holds when a script bypasses the renderer's size check.
  if (host.web) {
    const direct = await host.page.evaluate(async () => {
      const big = 'QUFB'.repeat((20 * 1024 * 1024) / 3); // 20 MiB of "AAA", in base64
      const r = await fetch('/api/sources.import', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ fileName: 'huge.txt', dataBase64: big }) });
      return r.json();
    });
    expect(direct).toEqual({ ok: false, error: { code: 'file_too_large', message: '“huge.txt” is 20.0 MB; Verbatim imports files up to 10.0 MB. Split it into smaller parts.' } });
    await expect(app.sourceItems()).toHaveCount(1);
  }

  // An empty paste.
  await app.library.getByRole('button', { name: 'Paste text' }).click();
  const paste = host.page.getByRole('dialog', { name: 'New source from pasted text' });
  await paste.getByLabel('Text').fill('   \n\n  ');
  await paste.getByRole('button', { name: 'Import' }).click();
  await expect(app.alerts.filter({ hasText: 'The pasted text is empty' })).toBeVisible();
  await paste.getByRole('button', { name: 'Cancel' }).click();
  await expect(app.sourceItems()).toHaveCount(1);

  // A quote selection that spans only white space (the blank line between two paragraphs).
  await app.selectInReader('\n\n');
  await host.page.getByRole('dialog', { name: 'Save quote' }).getByRole('button', { name: 'Save quote' }).click();
  await expect(app.alerts.filter({ hasText: 'The selection holds no text, only white space' })).toBeVisible();
  await expect(app.quoteCards()).toHaveCount(0);

  // HTML with scripts and handlers: imported, sanitized, nothing runs.
  await input.setInputFiles({ name: 'harbour.html', mimeType: 'text/html', buffer: Buffer.from(XSS_HTML) });
  await expect(app.sourceItems()).toHaveCount(2);
  await expect(app.reader.getByRole('heading', { level: 1 })).toHaveText('Harbour Report');
  await expect(app.readerText).toContainText('Dockworkers said the new cranes');
  await expect(app.readerText).toContainText('“We moved more containers than ever,” the director said.');
  await expect(app.readerText).not.toContainText('window.__xss');
  await host.page.waitForTimeout(300);
  expect(dialogs).toEqual([]);
  expect(await host.page.evaluate(() => (window as unknown as { __xss?: string }).__xss ?? null)).toBeNull();
  if (host.web) {
    const stored = await host.page.evaluate(async () => {
      const list = await (await fetch('/api/sources.list', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).json();
      const id = list.value.find((s: { title: string }) => s.title === 'Harbour Report').id;
      return (await (await fetch('/api/sources.get', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ id }) })).json()).value;
    });
    expect(stored.html).not.toMatch(/<script|onerror|onload|javascript:/i);
    expect(stored.csl['container-title']).toBe('Test Gazette');
  }
  await host.page.screenshot({ path: path.join(ARTIFACTS, 'bad-input-after-xss-import.png') });

  // The API refuses a memo document the editor could not open...
  if (host.web) {
    const refused = await host.page.evaluate(async () => {
      const call = async (method: string, args: unknown) =>
        (await fetch(`/api/${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(args) })).json();
      const memo = (await call('memos.create', { title: 'Damaged memo' })).value;
      return call('memos.save', { id: memo.id, title: 'Damaged memo', baseRevision: 0, content: { root: { type: 'root', children: [{ type: 'mystery-node', children: [] }] } } });
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_arguments', message: expect.stringContaining('unknown node type "mystery-node"') } });
    // ...and a memo damaged in the file itself (another program, an older build) opens as a
    // clear message, read-only, with the rest of the window working.
    const db = new sqlite3.Database(path.join(host.dataDir, 'library.sqlite'));
    await new Promise<void>((resolve, reject) =>
      db.run(
        "UPDATE memos SET content = ? WHERE title = 'Damaged memo'",
        [JSON.stringify({ root: { type: 'root', children: [{ type: 'paragraph', children: [{ type: 'text', text: 'Kept' }] }, { type: 'mystery-node', children: [] }] } })],
        (err) => (err ? reject(err) : resolve()),
      ),
    );
    await new Promise<void>((resolve) => db.close(() => resolve()));
    await host.page.reload();
    await app.library.getByRole('button', { name: /^Damaged memo edited/ }).click();
    await expect(app.memo.getByRole('alert')).toContainText('The editor cannot read this memo’s content');
    await expect(app.editor).toHaveCount(0);
    await expect(app.sourceItems()).toHaveCount(2);
  }
});
