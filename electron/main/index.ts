/**
 * Electron's main process: lifecycle, the window, IPC wiring, the save dialog and
 * printToPDF. All logic lives in `electron/services` (shared with the web host);
 * this file only adapts it to Electron.
 */
import { app, BrowserWindow, dialog, ipcMain, protocol } from 'electron';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { METHOD_NAMES, ipcChannel } from '../../shared/methods';
import { PDF_PAGE, pageFooterTemplate } from '../../shared/printHtml';
import { resolveDataDir } from '../services/paths';
import { openServices, type Services } from '../services/services';
import { APP_ENTRY_URL, APP_ORIGIN, APP_SCHEME, APP_SCHEME_PRIVILEGES, createAppProtocolHandler } from './appProtocol';
import { PAGED_PRINT_WEB_PREFERENCES, PRINT_WEB_PREFERENCES, isTrustedSender, lockDownNavigation, secureWebPreferences } from './security';

const MM_PER_INCH = 25.4;
const rendererDevUrl = process.env.ELECTRON_RENDERER_URL;
const rendererDir = path.join(__dirname, '../renderer');
/** The only origin IPC is taken from: the app's own scheme, or the dev server (`npm run dev`). */
const trustedOrigin = rendererDevUrl ?? APP_ORIGIN;

// The renderer is served on verbatim://app (./appProtocol.ts), not file://; the scheme must be registered before ready.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

let services: Services | null = null;
let mainWindow: BrowserWindow | null = null;

/**
 * Print HTML to PDF in a hidden, sandboxed window with JavaScript off; with `paged`
 * (footnotes), JavaScript is on for the document's own hashed scripts (Paged.js, see
 * its CSP) and the window waits until Paged.js marks the layout done.
 * The print document stays a file:// temp file on purpose: the window has no preload (no
 * IPC to reach, and isTrustedSender refuses file:// anyway), navigation is locked down,
 * and serving it through verbatim:// would widen that scheme beyond out/renderer.
 */
async function printPdf(html: string, options: { paged?: boolean; lang?: string } = {}): Promise<Uint8Array> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'verbatim-print-'));
  const file = path.join(dir, 'memo.html');
  writeFileSync(file, html, 'utf8');
  const win = new BrowserWindow({ show: false, webPreferences: options.paged ? PAGED_PRINT_WEB_PREFERENCES : PRINT_WEB_PREFERENCES });
  lockDownNavigation(win.webContents);
  try {
    await win.loadFile(file);
    if (options.paged) {
      const deadline = Date.now() + 120_000;
      while ((await win.webContents.executeJavaScript("document.documentElement.getAttribute('data-paged')")) !== 'done') {
        if (Date.now() > deadline) throw new Error('The footnote layout (Paged.js) did not finish within 2 minutes.');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return await win.webContents.printToPDF({ preferCSSPageSize: true, printBackground: true, margins: { top: 0, bottom: 0, left: 0, right: 0 } });
    }
    const m = PDF_PAGE.marginMm;
    return await win.webContents.printToPDF({
      pageSize: PDF_PAGE.format,
      printBackground: true,
      displayHeaderFooter: true,
      headerTemplate: PDF_PAGE.headerTemplate,
      footerTemplate: pageFooterTemplate(options.lang),
      margins: { top: m.top / MM_PER_INCH, bottom: m.bottom / MM_PER_INCH, left: m.left / MM_PER_INCH, right: m.right / MM_PER_INCH },
    });
  } finally {
    win.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Show a save dialog and write the bytes; null when the user cancels. */
async function saveFile(suggestedName: string, bytes: Uint8Array): Promise<string | null> {
  const extension = path.extname(suggestedName).slice(1).toLowerCase() || 'pdf';
  const kinds: Record<string, string> = { pdf: 'PDF', bib: 'BibTeX', ris: 'RIS', json: 'CSL-JSON' };
  // The services already sanitize the name (exportFileName); basename keeps it in Documents regardless.
  const options = { defaultPath: path.join(app.getPath('documents'), path.basename(suggestedName)), filters: [{ name: kinds[extension] ?? extension.toUpperCase(), extensions: [extension] }] };
  const result = mainWindow ? await dialog.showSaveDialog(mainWindow, options) : await dialog.showSaveDialog(options);
  if (result.canceled || !result.filePath) return null;
  await writeFile(result.filePath, bytes);
  return result.filePath;
}

function createWindow(): void {
  mainWindow = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: 'Verbatim',
    show: false,
    webPreferences: secureWebPreferences(path.join(__dirname, '../preload/index.js')),
  });
  lockDownNavigation(mainWindow.webContents);
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
  void mainWindow.loadURL(rendererDevUrl ?? APP_ENTRY_URL);
}

function registerIpc(current: Services): void {
  for (const method of METHOD_NAMES) {
    ipcMain.handle(ipcChannel(method), async (event, args: unknown) => {
      if (!isTrustedSender(event.senderFrame, trustedOrigin)) {
        return { ok: false, error: { code: 'unsupported', message: 'Refused: this call did not come from Verbatim’s own window.' } };
      }
      return current.dispatch(method, args);
    });
  }
}

async function start(): Promise<void> {
  const dataDir = resolveDataDir(process.argv, process.env, app.getPath('userData'));
  try {
    services = await openServices({
      host: 'electron',
      dataDir,
      resourcesDir: path.join(app.getAppPath(), 'electron', 'resources'),
      version: app.getVersion(),
      printPdf,
      saveFile,
    });
  } catch (error) {
    dialog.showErrorBox('Verbatim cannot open its library', `${(error as Error).message}\n\nFolder: ${dataDir}`);
    app.exit(1);
    return;
  }
  protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererDir));
  registerIpc(services);
  createWindow();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });
  app.on('web-contents-created', (_event, contents) => lockDownNavigation(contents));
  app.whenReady().then(start, (error: unknown) => console.error('Electron failed to start', error));
  app.on('activate', () => {
    if (services && BrowserWindow.getAllWindows().length === 0) createWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  let closing = false;
  app.on('will-quit', (event) => {
    if (closing || !services) return;
    // Let pending writes drain before the process ends.
    event.preventDefault();
    closing = true;
    services
      .close()
      .catch((error: unknown) => console.error('Closing the library failed', error))
      .finally(() => app.quit());
  });
}
