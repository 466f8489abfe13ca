/**
 * The web host's and CLI's PDF printer: headless Chromium driven by playwright-core,
 * printing the HTML made by `shared/printHtml.ts` with `page.pdf()`.
 *
 * The browser is `VERBATIM_CHROMIUM` if set, else the first of /usr/bin/chromium,
 * /usr/bin/chromium-browser, /usr/bin/google-chrome that exists. It starts on the first
 * export and is reused; `close()` ends it.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { ApiError } from '../../shared/contract';
import { PDF_PAGE, pageFooterTemplate } from '../../shared/printHtml';

/** How long one PDF export may take before it is given up (milliseconds). */
export const PRINT_TIMEOUT_MS = 120_000;

/** Environment variable naming the Chromium executable for PDF export. */
export const CHROMIUM_ENV = 'VERBATIM_CHROMIUM';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** Flags for headless Chromium on machines without a sandbox, GPU or network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** The Chromium executable to use, or null when none is found. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  const chosen = env[CHROMIUM_ENV];
  if (chosen) return existsSync(chosen) ? chosen : null;
  return CANDIDATES.find((c) => existsSync(c)) ?? null;
}

/** A lazily started headless Chromium that prints HTML documents to PDF. */
export class ChromiumPdfPrinter {
  private browser: Promise<Browser> | null = null;
  private current: Browser | null = null;

  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  private launch(): Promise<Browser> {
    const executablePath = findChromium(this.env);
    if (!executablePath) {
      const hint = this.env[CHROMIUM_ENV] ? `${CHROMIUM_ENV}=${this.env[CHROMIUM_ENV]} does not exist` : `no Chromium was found at ${CANDIDATES.join(', ')}`;
      return Promise.reject(new ApiError('unavailable', `PDF export needs Chromium, and ${hint}. Install Chromium or set ${CHROMIUM_ENV} to its path.`));
    }
    return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS }).then((browser) => {
      // If Chromium dies (killed, crashed), the next export starts a new one.
      browser.on('disconnected', () => {
        if (this.current === browser) {
          this.browser = null;
          this.current = null;
        }
      });
      this.current = browser;
      return browser;
    });
  }

  /**
   * Print a complete HTML document to A4 PDF bytes with page numbers in the footer
   * ({@link PDF_PAGE}). JavaScript is disabled in the printing page, except with `paged`:
   * then the document's own scripts (Paged.js, allowed by hash in its CSP) lay out the
   * footnotes, the printer waits for `html[data-paged="done"]`, and the CSS page box is used.
   * The page is offline either way. A print that Chromium does not finish (it quit, or
   * hangs) fails after {@link PRINT_TIMEOUT_MS}.
   * @throws ApiError `unavailable` when Chromium cannot be found, started, or quits while printing.
   */
  async print(html: string, options: { paged?: boolean; lang?: string } = {}): Promise<Uint8Array> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ApiError('unavailable', `PDF export did not finish within ${PRINT_TIMEOUT_MS / 1000} s (Chromium stopped answering). Try again.`)), PRINT_TIMEOUT_MS);
    });
    try {
      return await Promise.race([this.printOnce(html, options.paged ?? false, options.lang), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async printOnce(html: string, paged: boolean, lang?: string): Promise<Uint8Array> {
    if (!this.browser) {
      this.browser = this.launch();
      this.browser.catch(() => {
        this.browser = null; // a failed launch is retried on the next export
      });
    }
    let browser: Browser;
    try {
      browser = await this.browser;
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new ApiError('unavailable', `Chromium could not be started for PDF export: ${(error as Error).message}`);
    }
    if (!browser.isConnected()) {
      this.browser = null;
      return this.printOnce(html, paged, lang);
    }
    // If Chromium quits mid-print, Playwright's pending calls may never settle: fail at once instead.
    let onDisconnect: (() => void) | undefined;
    const disconnected = new Promise<never>((_, reject) => {
      onDisconnect = () => reject(new ApiError('unavailable', 'Chromium quit while printing the PDF. Try again: a new one starts.'));
      browser.on('disconnected', onDisconnect); // `on`, not `once`: `off` below must find the same function
    });
    try {
      return await Promise.race([printOnPage(browser, html, paged, lang), disconnected]);
    } finally {
      browser.off('disconnected', onDisconnect!);
    }
  }

  /** Close the browser if it was started. */
  async close(): Promise<void> {
    const pending = this.browser;
    this.browser = null;
    if (pending) await (await pending.catch(() => null))?.close();
  }
}

/**
 * Print one HTML document to PDF bytes on `browser` as every Chromium print in the web host
 * and CLI does: a fresh offline context, JavaScript only for a paged (Paged.js footnotes)
 * document, which is awaited until `html[data-paged="done"]` (at most PRINT_TIMEOUT_MS) and
 * printed at its CSS page size; otherwise A4 with the shared margins and page footer
 * (shared/printHtml PDF_PAGE). The benchmark calls it directly as its raw-Chromium baseline.
 */
export async function printOnPage(browser: Browser, html: string, paged: boolean, lang?: string): Promise<Uint8Array> {
  const context = await browser.newContext({ javaScriptEnabled: paged, offline: true });
  try {
    const page = await context.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    if (paged) {
      await page.waitForSelector('html[data-paged="done"]', { state: 'attached', timeout: PRINT_TIMEOUT_MS });
      return await page.pdf({ preferCSSPageSize: true, printBackground: true });
    }
    const m = PDF_PAGE.marginMm;
    return await page.pdf({
      format: PDF_PAGE.format,
      printBackground: true,
      displayHeaderFooter: true,
      headerTemplate: PDF_PAGE.headerTemplate,
      footerTemplate: pageFooterTemplate(lang),
      margin: { top: `${m.top}mm`, bottom: `${m.bottom}mm`, left: `${m.left}mm`, right: `${m.right}mm` },
    });
  } finally {
    await context.close();
  }
}
