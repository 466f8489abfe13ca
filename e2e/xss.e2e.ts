/**
 * Untrusted content never runs (issue 5, part 8): the XSS corpus of e2e/pages/xss-payloads.ts
 * is imported (as .html, .md and .mhtml files through the Import button) and opened in the
 * reader; pasted as HTML into a memo (a ClipboardEvent carrying text/html, as Lexical gets
 * it from the system) and as text into the Paste-text dialog; put in metadata (a CSL-JSON
 * bibliography import and the Edit metadata form) that cards, the reader, citations and the
 * bibliography show; and printed: the memos are exported as PDF.
 *
 * Throughout, guards fail the test when
 * - a dialog opens (alert, confirm, prompt: `page.on('dialog')`),
 * - the canary `top.__xss(n)` is called in any frame (exposed to every frame by Playwright),
 * - the page reports a Content-Security-Policy violation (something tried to run inline
 *   script or load from elsewhere: a sanitizer let it through and only the CSP stopped it),
 * - any request leaves for an address other than the host's own origin (every request is
 *   recorded with `context.route`, and non-local ones are aborted),
 * - the live DOM holds an element or attribute that could run script (see `DANGER_SCAN`),
 * and the stored HTML of every imported source (sources.get) and every saved memo document
 * must hold no script, handler or javascript:/vbscript:/data: URL.
 */
import type { BrowserContext, Page } from '@playwright/test';
import { citesInOrder } from '../shared/memoDocument';
import type { MemoContent } from '../shared/model';
import { memoToPrintHtml } from '../shared/printHtml';
import { expect, test } from './fixtures';
import { VerbatimApp } from './pages/VerbatimApp';
import { XSS_PAYLOADS, xssArticle, xssMarkdown, xssMhtml, type XssPayload } from './pages/xss-payloads';

/** What the guards saw. Every list must stay empty. */
interface GuardLog {
  dialogs: string[];
  canaries: string[];
  cspViolations: string[];
  remoteRequests: string[];
}

/**
 * Install the guards on the page's browser context and reload the page so that the init
 * script (canary and CSP listener) is in place before any of Verbatim's code runs.
 */
async function installGuards(page: Page): Promise<GuardLog> {
  const log: GuardLog = { dialogs: [], canaries: [], cspViolations: [], remoteRequests: [] };
  const context: BrowserContext = page.context();
  const origin = new URL(page.url()).origin;
  const local = (url: string) => url.startsWith(`${origin}/`) || url === origin || /^(data|blob|about):/.test(url);
  page.on('dialog', (dialog) => {
    log.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  context.on('request', (request) => {
    if (!local(request.url())) log.remoteRequests.push(request.url());
  });
  await context.route(
    () => true,
    (route) => {
      const url = route.request().url();
      if (local(url)) return route.continue();
      log.remoteRequests.push(url);
      return route.abort('blockedbyclient');
    },
  );
  await context.exposeBinding('__xssReport', (source, kind: string, detail: string) => {
    (kind === 'csp' ? log.cspViolations : log.canaries).push(`${detail} (frame ${source.frame.url()})`);
  });
  await context.addInitScript(() => {
    const report = (window as unknown as { __xssReport: (kind: string, detail: string) => void }).__xssReport;
    Object.defineProperty(window, '__xss', { value: (n: unknown) => report('canary', `canary ${String(n)} ran`), configurable: false });
    document.addEventListener(
      'securitypolicyviolation',
      (e) => {
        // zod probes once whether it may compile validators with `new Function` (it may not: the CSP says no).
        if (e.blockedURI === 'eval' && /\/assets\/index-[\w-]+\.js$/.test(e.sourceFile)) return;
        report('csp', ` ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`);
      },
      true,
    );
  });
  await page.reload();
  await expect(page.getByRole('complementary', { name: 'Library' })).toBeVisible();
  return log;
}

/** Let handlers fire and loads settle, then assert that the guards saw nothing. */
async function expectNothingRan(page: Page, log: GuardLog, where: string): Promise<void> {
  await page.waitForLoadState('networkidle');
  // Event handlers (onerror of a failed image, ontoggle, onfocus) fire a task or two after the DOM changes.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 200))));
  expect(log.dialogs, `${where}: no dialog opened`).toEqual([]);
  expect(log.canaries, `${where}: no canary ran`).toEqual([]);
  expect(log.cspViolations, `${where}: nothing tried to break the CSP`).toEqual([]);
  expect(log.remoteRequests, `${where}: no request left for a non-local address`).toEqual([]);
  expect(await page.evaluate(DANGER_SCAN, null), `${where}: the page holds nothing that could run script`).toEqual([]);
}

/**
 * What in a document could run script or load from elsewhere: elements (script outside the
 * app's own head, frames, objects, base, meta refresh, forms, remote styles), `on*`
 * attributes, URL attributes with javascript:/vbscript:/data: (after the control
 * characters browsers strip), srcdoc, style attributes with url()/expression(), in the
 * body, template contents and shadow roots, and (for given HTML) script, base, link and meta
 * refresh in the head. Given HTML, it scans an inert parse (DOMParser runs nothing); given
 * null, the live page's body (React renders nothing into the head).
 */
const DANGER_SCAN = (html: string | null): string[] => {
  const problems: string[] = [];
  const doc = html === null ? document : new DOMParser().parseFromString(html, 'text/html');
  const roots: ParentNode[] = [doc.body];
  // The head of a whole document (the print HTML has its own CSP meta and style sheet) may hold no script, base, link or refresh.
  if (html !== null) for (const el of Array.from(doc.head.querySelectorAll('script, base, link, meta[http-equiv="refresh" i]'))) problems.push(`<${el.localName}> in the head: ${el.outerHTML.slice(0, 120)}`);
  const URL_ATTRS = new Set(['href', 'src', 'action', 'formaction', 'data', 'xlink:href', 'background', 'poster', 'codebase', 'cite', 'lowsrc', 'dynsrc', 'values', 'to', 'from', 'by']);
  const DANGEROUS_TAGS = new Set(['script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'base', 'meta', 'link', 'form', 'style', 'portal', 'noscript']);
  while (roots.length > 0) {
    const root = roots.pop()!;
    for (const el of Array.from(root.querySelectorAll('*'))) {
      const tag = el.localName.toLowerCase();
      if (DANGEROUS_TAGS.has(tag)) problems.push(`<${tag}>: ${el.outerHTML.slice(0, 120)}`);
      if (tag === 'template') roots.push((el as HTMLTemplateElement).content);
      if (el.shadowRoot) roots.push(el.shadowRoot);
      for (const attr of Array.from(el.attributes)) {
        const name = attr.name.toLowerCase();
        const value = attr.value.replace(/[\u0000-\u0020\u007f-\u00a0]/g, '').toLowerCase();
        if (name.startsWith('on')) problems.push(`<${tag} ${name}>`);
        if (name === 'srcdoc' || name === 'shadowrootmode') problems.push(`<${tag} ${name}>`);
        if ((URL_ATTRS.has(name) || name.endsWith(':href')) && /^(javascript|vbscript|data|livescript):/.test(value)) problems.push(`<${tag} ${name}="${attr.value.slice(0, 80)}">`);
        if (name === 'style' && /url\(|expression\(|behavior|@import/.test(value)) problems.push(`<${tag} style="${attr.value.slice(0, 80)}">`);
        if (name === 'attributename' && /^on|href/.test(value)) problems.push(`<${tag} attributeName="${attr.value}">`);
      }
    }
  }
  return problems;
};

/** Every string in a memo document that is a link URL other than http(s) or mailto, and every node type the editor does not make. */
function memoProblems(content: unknown): string[] {
  const problems: string[] = [];
  const visit = (node: unknown, path: string) => {
    if (Array.isArray(node)) return node.forEach((n, i) => visit(n, `${path}.${i}`));
    if (node === null || typeof node !== 'object') return;
    const record = node as Record<string, unknown>;
    if (typeof record.url === 'string' && !/^(https?:|mailto:)/i.test(record.url.trim())) problems.push(`${path}: link to ${record.url}`);
    for (const [key, value] of Object.entries(record)) visit(value, `${path}.${key}`);
  };
  visit(content, 'content');
  return problems;
}

interface SourceLite {
  id: string;
  title: string;
}

test.describe('the XSS corpus', () => {
  test('has at least 40 payloads of every kind, each with its own canary', () => {
    expect(XSS_PAYLOADS.length).toBeGreaterThanOrEqual(40);
    const kinds = new Set(XSS_PAYLOADS.map((p) => p.kind));
    expect([...kinds].sort()).toEqual(['css', 'encoding', 'handler', 'mutation', 'script', 'svg', 'template', 'url']);
    for (const p of XSS_PAYLOADS) {
      expect(p.html, `payload ${p.id} (${p.name}) calls its canary or fetches its remote address`).toMatch(new RegExp(`top\\.__xss\\(${p.id}\\)|xss\\.invalid/${p.id}\\b|&#116;&#111;&#112;\\.__xss\\(${p.id}\\)|BASE64|data:text/html;base64,`));
    }
  });

  test('imported as .html, .md and .mhtml: stored sanitized, and nothing runs when each opens in the reader', async ({ host }) => {
    test.setTimeout(600_000);
    const page = host.page;
    const app = new VerbatimApp(page);
    const log = await installGuards(page);
    const input = page.getByTestId('import-input');
    const before = (await app.callApi<SourceLite[]>('sources.list', {})).length;

    const files = XSS_PAYLOADS.flatMap((p) => [
      { name: `payload-${p.id}.html`, mimeType: 'text/html', buffer: Buffer.from(xssArticle(p)) },
      { name: `payload-${p.id}.md`, mimeType: 'text/markdown', buffer: Buffer.from(xssMarkdown(p)) },
      { name: `payload-${p.id}.mhtml`, mimeType: 'multipart/related', buffer: Buffer.from(xssMhtml(p)) },
    ]);
    // A file with NUL bytes is not text: refused with a clear message, nothing imported.
    const binary = files.filter((f) => f.buffer.includes(0));
    const importable = files.filter((f) => !f.buffer.includes(0));
    expect(binary.map((f) => f.name)).toEqual(['payload-63.html', 'payload-63.md']);
    // In batches, as a user importing a folder a screenful at a time would.
    let expected = before;
    for (let i = 0; i < files.length; i += 30) {
      const batch = files.slice(i, i + 30);
      await input.setInputFiles(batch);
      expected += batch.filter((f) => importable.includes(f)).length;
      await expect(async () => expect((await app.callApi<SourceLite[]>('sources.list', {})).length).toBe(expected)).toPass({ timeout: 120_000 });
    }
    for (const f of binary) await expect(page.getByText(`“${f.name}” looks like a binary file`)).toBeVisible();
    await expect(app.sourceTotal()).toHaveText(String(before + importable.length), { timeout: 30_000 });
    await expectNothingRan(page, log, 'after importing the corpus');

    // sources.list is in the library's order (newest first), so the n-th source is the n-th item.
    const listed = await app.callApi<SourceLite[]>('sources.list', {});
    const sources = listed.filter((s) => /^Payload \d+/.test(s.title));
    expect(sources).toHaveLength(importable.length);
    for (const s of sources) {
      // The stored HTML: nothing that could run, read by an inert parse in the browser.
      const stored = await app.callApi<{ html: string | null; text: string }>('sources.get', { id: s.id });
      expect(stored.text, `${s.title}: the article's own words survive`).toContain('The harbour authority published');
      if (stored.html !== null) {
        expect(stored.html, `${s.title}: no script tag is stored`).not.toMatch(/<script/i);
        expect(await page.evaluate(DANGER_SCAN, stored.html), `${s.title}: the stored HTML`).toEqual([]);
      }
      // The reader.
      const item = (await app.sourceRowAt(listed.indexOf(s))).locator('button.list-item');
      await expect(item).toContainText(s.title);
      await item.click();
      await expect(item).toHaveAttribute('aria-current', 'true');
      await expect(app.reader.getByRole('heading', { level: 1 })).toHaveText(s.title);
      await expect(app.readerText).toContainText('The harbour authority published');
      expect(await page.evaluate(DANGER_SCAN, null), `${s.title} in the reader`).toEqual([]);
    }
    await expectNothingRan(page, log, 'after opening every imported payload in the reader');
  });

  test('pasted as HTML into a memo and as text into the Paste-text dialog, then exported as PDF: nothing runs', async ({ host }) => {
    test.setTimeout(300_000);
    const page = host.page;
    const app = new VerbatimApp(page);
    const log = await installGuards(page);

    await app.newMemo('Pasted payloads');
    await app.editor.click();
    await page.keyboard.type('Pasted below. ');
    for (const p of XSS_PAYLOADS) {
      await app.editor.evaluate((editor, [html, id]) => {
        const data = new DataTransfer();
        data.setData('text/html', `<meta charset="utf-8"><p>Payload ${id as number}:</p>${html as string}`);
        data.setData('text/plain', `Payload ${id as number}`);
        editor.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
      }, [p.html, p.id] as const);
      await expect(app.editor, `payload ${p.id} was pasted`).toContainText(`Payload ${p.id}:`);
      // Lexical reads clipboard HTML with DOMParser, whose document is inert (no browsing
      // context: its scripts and handlers never run), yet Chromium reports each inline handler
      // in it as a script-src-attr violation. Those reports are set aside here; the canary,
      // the DOM scan and the saved memo show whether anything of the paste came alive.
      log.cspViolations = log.cspViolations.filter((v) => !/ script-src-attr blocked inline /.test(v));
    }
    await app.waitSaved();
    await expectNothingRan(page, log, 'after pasting the corpus into a memo');
    const memos = await app.callApi<{ id: string; title: string }[]>('memos.list', {});
    const memo = await app.callApi<{ id: string; title: string; content: MemoContent }>('memos.get', { id: memos.find((m) => m.title === 'Pasted payloads')!.id });
    expect(JSON.stringify(memo.content), 'the saved memo holds the pasted words').toContain(`Payload ${XSS_PAYLOADS.at(-1)!.id}:`);
    expect(memoProblems(memo.content), 'the saved memo links only to http(s) and mailto').toEqual([]);

    // Export as PDF through the UI.
    const pdfPath = test.info().outputPath('pasted-payloads.pdf');
    await app.exportPdf(host.electronApp, pdfPath);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(pdfPath).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await expectNothingRan(page, log, 'after exporting the memo as PDF');

    // The printed HTML itself, opened in a guarded page with JavaScript on (the printer runs it with JavaScript off).
    const printHtml = memoToPrintHtml({
      title: memo.title,
      content: memo.content,
      quotes: new Map(),
      cites: citesInOrder(memo.content).map(() => null),
      bibliography: [],
      bibliographyHeading: null,
      noteStyle: false,
      notePlacement: 'footnotes',
    });
    expect(await page.evaluate(DANGER_SCAN, printHtml), 'the print HTML').toEqual([]);
    const printPage = await page.context().newPage();
    await printPage.setContent(printHtml, { waitUntil: 'load' });
    await expectNothingRan(printPage, log, 'in the print HTML');
    await printPage.close();

    // The Paste-text dialog takes text: the corpus becomes a source whose text is the markup, shown as text.
    await app.library.getByRole('button', { name: 'Paste text' }).click();
    const dialog = page.getByRole('dialog', { name: 'New source from pasted text' });
    const area = dialog.getByLabel('Text');
    const corpusText = `Pasted corpus\n\n${XSS_PAYLOADS.map((p) => p.html).join('\n\n')}`;
    await area.fill(corpusText);
    // A paste event carrying HTML as well, as when copying from a web page.
    await area.evaluate((el, html) => {
      const data = new DataTransfer();
      data.setData('text/html', html);
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, XSS_PAYLOADS.map((p) => p.html).join(''));
    await dialog.getByRole('button', { name: 'Import' }).click();
    await expect(dialog).toBeHidden();
    await expect(app.reader.getByRole('heading', { level: 1 })).toHaveText('Pasted corpus');
    await expect(app.readerText).toContainText('<script>top.__xss(1)</script>');
    await expect(app.readerText).toContainText(`<img src="x" onerror="top.__xss(${XSS_PAYLOADS.find((p) => p.name === 'img onerror')!.id})">`);
    await expectNothingRan(page, log, 'after importing the pasted corpus as text');
  });

  test('in metadata (a bibliography file and the Edit metadata form): cards, reader, citations, bibliography and PDF run nothing', async ({ host }) => {
    test.setTimeout(300_000);
    const page = host.page;
    const app = new VerbatimApp(page);
    const log = await installGuards(page);

    const beforeBibliography = (await app.callApi<SourceLite[]>('sources.list', {})).length;
    // A CSL-JSON bibliography whose every field is a payload, imported through the Import button.
    const entries = XSS_PAYLOADS.map((p: XssPayload) => ({
      id: `payload${p.id}`,
      type: 'article-journal',
      title: `Meta ${p.id} ${p.html}`,
      author: [{ literal: p.html }, { family: p.html, given: p.html }],
      'container-title': p.html,
      publisher: p.html,
      URL: `javascript:top.__xss(${p.id})`,
      DOI: p.html,
      issued: { 'date-parts': [[2020]] },
    }));
    await page.getByTestId('import-input').setInputFiles({ name: 'payloads.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(entries)) });
    const report = page.getByRole('dialog', { name: 'Imported payloads.json' });
    await expect(report).toContainText(`Added ${XSS_PAYLOADS.length} sources`);
    // Each entry's javascript: URL was dropped and listed.
    await expect(report.locator('li.problem').filter({ hasText: 'URL left out' })).toHaveCount(XSS_PAYLOADS.length);
    await expectNothingRan(page, log, 'with the import report open');
    await report.getByRole('button', { name: 'OK' }).click();
    await expect(report).toBeHidden();
    await expect(app.sourceTotal()).toHaveText(String(beforeBibliography + XSS_PAYLOADS.length), { timeout: 60_000 });
    await expectNothingRan(page, log, 'after importing the bibliography');
    const metaSources = (await app.callApi<(SourceLite & { csl: Record<string, unknown> })[]>('sources.list', {})).filter((s) => s.title.startsWith('Meta '));
    expect(metaSources).toHaveLength(XSS_PAYLOADS.length);
    for (const s of metaSources) expect(s.csl.URL, `${s.title}: the javascript: URL was dropped`).toBeUndefined();

    // A source with text and a quote, whose metadata is then set through the Edit metadata form.
    await app.library.getByRole('button', { name: 'Paste text' }).click();
    const paste = page.getByRole('dialog', { name: 'New source from pasted text' });
    await paste.getByLabel('Text').fill('Harbour report\n\n“We moved more containers than ever,” the director said.');
    await paste.getByRole('button', { name: 'Import' }).click();
    await expect(app.reader.getByRole('heading', { level: 1 })).toHaveText('Harbour report');
    await app.saveQuote('We moved more containers than ever', 'the director');
    const formPayload = XSS_PAYLOADS.find((p) => p.name === 'img onerror')!;
    await app.reader.getByRole('button', { name: 'Edit metadata' }).click();
    const form = page.getByRole('dialog', { name: 'Source metadata' });
    await form.getByLabel('Title', { exact: true }).fill(`Form ${formPayload.html}`);
    await form.getByRole('button', { name: 'Add author' }).click();
    await form.getByLabel('Family name 1').fill(formPayload.html);
    await form.getByRole('button', { name: 'Save metadata' }).click();
    await expect(form).toBeHidden();
    await expect(app.reader.getByRole('heading', { level: 1 })).toHaveText(`Form ${formPayload.html}`);
    await expect(app.quoteCard('We moved more containers')).toContainText('onerror');
    await expectNothingRan(page, log, 'after editing metadata in the form');

    // Open some of the bibliography's sources in the reader (title, authors and container shown there).
    const listed = await app.callApi<SourceLite[]>('sources.list', {});
    for (const s of metaSources.slice(0, 10)) {
      const item = (await app.sourceRowAt(listed.findIndex((l) => l.id === s.id))).locator('button.list-item');
      await item.click();
      await expect(item).toHaveAttribute('aria-current', 'true');
      await expect(app.reader.getByRole('heading', { level: 1 })).toHaveText(s.title);
    }
    await expectNothingRan(page, log, 'after opening bibliography sources in the reader');

    // A memo citing every payload source and quoting the quote: citations and references rendered by citeproc-js.
    const quote = (await app.callApi<{ id: string; sourceId: string; textQuote: { exact: string } }[]>('quotes.list', {}))[0]!;
    const created = await app.callApi<{ id: string; revision: number }>('memos.create', { title: 'Cited payloads' });
    const content = {
      root: {
        type: 'root',
        version: 1,
        format: '',
        indent: 0,
        direction: null,
        children: [
          {
            type: 'paragraph',
            version: 1,
            format: '',
            indent: 0,
            direction: null,
            textFormat: 0,
            textStyle: '',
            children: [{ type: 'text', version: 1, text: 'Every payload, cited: ', format: 0, style: '', mode: 'normal', detail: 0 }, ...metaSources.map((s) => ({ type: 'citation', version: 1, sourceId: s.id, locator: '<img src=x onerror=top.__xss(0)>', prefix: '<script>top.__xss(0)</script>' }))],
          },
          { type: 'linked-quote', version: 2, quoteId: quote.id, sourceId: quote.sourceId, snapshot: quote.textQuote.exact, shortened: null },
        ],
      },
    };
    await app.callApi('memos.save', { id: created.id, title: 'Cited payloads', content, baseRevision: created.revision });
    await page.reload(); // the window learns of a memo made through the API when it loads the library
    await app.library.getByRole('button', { name: /^Cited payloads/ }).click();
    await app.waitQuotesLoaded();
    const memoPane = page.getByRole('region', { name: 'Memo', exact: true });
    await expect(memoPane).toContainText('References');
    await expect(memoPane.locator('.reference')).toHaveCount(metaSources.length + 1);
    await expect(memoPane.locator('.reference').first()).toContainText('<');
    await expectNothingRan(page, log, 'after rendering the citations and references');

    const pdfPath = test.info().outputPath('cited-payloads.pdf');
    await app.exportPdf(host.electronApp, pdfPath);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(pdfPath).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await expectNothingRan(page, log, 'after exporting the cited memo as PDF');
  });
});
