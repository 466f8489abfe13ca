/**
 * Page object for Verbatim's window: the library, the reader and the memo, in the
 * words a user would use. Specs speak through it rather than through selectors.
 */
import { expect, type ElectronApplication, type Locator, type Page } from '@playwright/test';

export class VerbatimApp {
  readonly library: Locator;
  readonly reader: Locator;
  readonly readerText: Locator;
  readonly memo: Locator;
  readonly editor: Locator;
  readonly alerts: Locator;

  constructor(readonly page: Page) {
    this.library = page.getByRole('complementary', { name: 'Library' });
    this.reader = page.getByRole('main', { name: 'Reader' });
    this.readerText = page.getByTestId('reader-text');
    this.memo = page.getByRole('region', { name: 'Memo' });
    this.editor = page.getByTestId('memo-editor');
    this.alerts = page.getByRole('alert');
  }

  sourceItems(): Locator {
    return this.library.getByRole('region', { name: 'Sources' }).locator('.source-list > li');
  }

  /** The number the Sources header shows: every source in the library, not only the rows the virtualized list has drawn. */
  sourceTotal(): Locator {
    return this.library.getByRole('region', { name: 'Sources' }).locator('.count').first();
  }

  /**
   * The source row at `index` (0 = the first in the list's order), brought into view the way
   * a keyboard user would: the list is virtualized, so only rows near the view exist; focus
   * the nearest drawn row and press ArrowDown/ArrowUp (the list scrolls with focus) until it is drawn.
   */
  async sourceRowAt(index: number): Promise<Locator> {
    const list = this.library.getByRole('region', { name: 'Sources' }).locator('.source-list');
    const row = list.locator(`:scope > li[data-index="${index}"]`);
    for (let presses = 0; (await row.count()) === 0; presses += 1) {
      if (presses > 10_000) throw new Error(`Source row ${index} never came into view`);
      const drawn = (await list.locator(':scope > li[data-index]').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-index'))))).sort((a, b) => a - b);
      const from = index > drawn[drawn.length - 1]! ? drawn[drawn.length - 1]! : drawn[0]!;
      await list.locator(`:scope > li[data-index="${from}"] button.list-item`).focus();
      await this.page.keyboard.press(index > from ? 'ArrowDown' : 'ArrowUp');
    }
    return row;
  }

  quoteCards(): Locator {
    return this.library.locator('.quote-card');
  }

  quoteCard(text: string): Locator {
    return this.quoteCards().filter({ hasText: text });
  }

  linkedQuotes(): Locator {
    return this.editor.getByTestId('linked-quote');
  }

  /**
   * Select `exact` in the reader, as a user dragging the mouse over it would. A user's
   * mouse selection also takes focus from the memo editor; when the editor takes it back
   * (Lexical refocuses a frame after undo/redo), the user would select again, and so
   * does this, until the selection holds and the save popover shows.
   */
  async selectInReader(exact: string): Promise<void> {
    const popover = this.page.getByRole('dialog', { name: 'Save quote' });
    await expect(async () => {
      const found = await this.readerText.evaluate((root, needle) => {
        (document.activeElement as HTMLElement | null)?.blur();
        const text = root.textContent ?? '';
        const start = text.indexOf(needle);
        if (start < 0) return false;
        const end = start + needle.length;
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        const range = document.createRange();
        let seen = 0;
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const len = node.nodeValue!.length;
          if (seen <= start && start <= seen + len) range.setStart(node, start - seen);
          if (seen <= end && end <= seen + len) {
            range.setEnd(node, end - seen);
            break;
          }
          seen += len;
        }
        const sel = window.getSelection()!;
        sel.removeAllRanges();
        sel.addRange(range);
        root.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
        return true;
      }, exact);
      expect(found, `the reader shows “${exact}”`).toBe(true);
      await expect(popover).toBeVisible({ timeout: 1000 });
      expect(await this.page.evaluate(() => window.getSelection()?.toString())).toBe(exact);
    }).toPass({ timeout: 10_000 });
  }

  /** Select `exact` in the reader and save it as a quote with an optional speaker and note. */
  async saveQuote(exact: string, speaker = '', note = ''): Promise<void> {
    await this.selectInReader(exact);
    const popover = this.page.getByRole('dialog', { name: 'Save quote' });
    if (speaker) await popover.getByLabel('Speaker').fill(speaker);
    if (note) await popover.getByLabel('Note').fill(note);
    await popover.getByRole('button', { name: 'Save quote' }).click();
    await expect(popover).toBeHidden();
  }

  async newMemo(title: string): Promise<void> {
    await this.library.getByRole('button', { name: 'New memo' }).click();
    await expect(this.editor).toBeVisible();
    const titleInput = this.memo.getByLabel('Memo title');
    await titleInput.fill(title);
  }

  /**
   * Screen point of the caret just after the `offset`-th character of `text` inside the
   * editor (offset defaults to the end of `text`), relative to the editor's box.
   */
  async editorPointAfter(text: string, offset = text.length): Promise<{ x: number; y: number }> {
    const point = await this.editor.evaluate(
      (root, [needle, at]) => {
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const i = node.nodeValue!.indexOf(needle as string);
          if (i < 0) continue;
          const range = document.createRange();
          const pos = i + (at as number);
          range.setStart(node, pos - 1);
          range.setEnd(node, pos);
          const rect = range.getBoundingClientRect();
          const box = root.getBoundingClientRect();
          return { x: rect.right - box.left - 1, y: rect.top + rect.height / 2 - box.top };
        }
        return null;
      },
      [text, offset] as const,
    );
    expect(point, `the memo shows “${text}”`).not.toBeNull();
    return point!;
  }

  /**
   * Export the open memo as PDF to `pdfPath`: in Electron through the save dialog (stubbed to
   * answer `pdfPath`), in the browser as a download. Returns the file name the app suggested
   * (the browser's download name; in Electron, the base name of `pdfPath`).
   */
  async exportPdf(electronApp: ElectronApplication | null, pdfPath: string): Promise<string> {
    if (electronApp) {
      await electronApp.evaluate(({ dialog }, file) => {
        dialog.showSaveDialog = (async () => ({ canceled: false, filePath: file })) as unknown as typeof dialog.showSaveDialog;
      }, pdfPath);
      await this.memo.getByRole('button', { name: 'Export PDF' }).click();
      await expect(this.page.getByRole('status').filter({ hasText: `Saved ${pdfPath}` })).toBeVisible();
      return pdfPath.split('/').pop()!;
    }
    const downloadPromise = this.page.waitForEvent('download');
    await this.memo.getByRole('button', { name: 'Export PDF' }).click();
    const download = await downloadPromise;
    await download.saveAs(pdfPath);
    return download.suggestedFilename();
  }

  /**
   * Wait until every linked quote in the memo shows what the store holds (its citation): a
   * block grows when that arrives, so points inside the memo are only stable after it.
   */
  async waitQuotesLoaded(): Promise<void> {
    await expect(this.editor.locator('[data-testid="linked-quote"]:not(:has(.linked-quote-citation))')).toHaveCount(0);
  }

  /**
   * Wait until the memo stops changing on its own: saved, citations formatted, every
   * linked quote showing its citation. Measure drop points after this: a save or a
   * citation render that lands between measuring and dropping moves the blocks.
   */
  async waitMemoSettled(): Promise<void> {
    await this.waitSaved();
    await expect(this.memo.getByText('Formatting citations…')).toHaveCount(0);
    await this.waitQuotesLoaded();
  }

  /** Wait until the memo says it is saved. */
  async waitSaved(): Promise<void> {
    await expect(this.memo.getByTestId('save-status')).toHaveText('Saved');
  }

  /** The memo's blocks in order, as short descriptions: "p:text" or "quote:text". */
  async memoBlocks(): Promise<string[]> {
    return this.editor.evaluate((root) =>
      Array.from(root.children).map((el) => {
        const quote = el.querySelector('[data-testid="linked-quote"] blockquote');
        if (quote) return `quote:${quote.textContent}`;
        return `${el.tagName.toLowerCase()}:${el.textContent}`;
      }),
    );
  }

  /**
   * Call a contract method as the renderer does: through the preload in Electron, by POST to
   * `/api/<method>` in the web host. Resolves to the result's value; rejects with its message.
   */
  async callApi<T = unknown>(method: string, args: unknown): Promise<T> {
    const result = await this.page.evaluate(
      async ([m, a]) => {
        const host = (window as unknown as { verbatimHost?: Record<string, (args: unknown) => Promise<unknown>> }).verbatimHost;
        if (host) return (await host[m as string]!(a)) as { ok: boolean; value?: unknown; error?: { message: string } };
        const response = await fetch(`/api/${m as string}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(a) });
        return (await response.json()) as { ok: boolean; value?: unknown; error?: { message: string } };
      },
      [method, args] as const,
    );
    if (!result.ok) throw new Error(`${method}: ${result.error?.message ?? 'failed'}`);
    return result.value as T;
  }

  /** The linked quote in the memo whose block contains `text`. */
  linkedQuote(text: string): Locator {
    return this.linkedQuotes().filter({ hasText: text });
  }

  /** Open a linked quote's shortening editor with its "Shorten…" button; returns the dialog. */
  async openShortenDialog(quote: Locator): Promise<Locator> {
    await quote.hover();
    await quote.getByRole('button', { name: 'Shorten…' }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Shorten quote' });
    await expect(dialog).toBeVisible();
    return dialog;
  }
}
