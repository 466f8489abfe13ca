/**
 * Electron's main process: lifecycle, the window, IPC wiring, the save dialog and
 * printToPDF. All logic lives in `electron/services` (shared with the web host);
 * this file only adapts it to Electron.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, shell } from 'electron';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { METHOD_NAMES, ipcChannel } from '../../shared/methods';
import { PDF_PAGE, pageFooterTemplate } from '../../shared/printHtml';
import { backupsDir, DEFAULT_KEEP_BACKUPS, latestBackup, recoverLibraryFile } from '../services/backup';
import { LibraryOpenError } from '../services/libraryFile';
import { acquireLibraryLock, LibraryLockedError } from '../services/lock';
import { resolveDataDir, resolveKeepBackups } from '../services/paths';
import { LIBRARY_FILE_NAME, openServices, type Services } from '../services/services';
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

/** How long a closing window waits for its memos to save before it closes anyway (ms). */
const SAVE_BEFORE_CLOSE_TIMEOUT_MS = 5000;
let quitting = false;

/**
 * On the window's first `close`: hold it, have the renderer save every open memo
 * (`window.verbatimFlushMemos`, renderer/src/memo/flushAll.ts), then close it (and go on
 * quitting if the app was quitting). A renderer that does not answer within
 * SAVE_BEFORE_CLOSE_TIMEOUT_MS does not keep the window open; a failure is logged.
 */
function saveMemosBeforeClose(win: BrowserWindow): void {
  let saved = false;
  win.on('close', (event) => {
    if (saved || win.webContents.isDestroyed()) return;
    event.preventDefault();
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, SAVE_BEFORE_CLOSE_TIMEOUT_MS));
    const flush = win.webContents.executeJavaScript('window.verbatimFlushMemos ? window.verbatimFlushMemos() : undefined', true);
    Promise.race([flush, timeout])
      .catch((error: unknown) => console.error('Saving open memos before the window closed failed', error))
      .finally(() => {
        saved = true;
        if (!win.isDestroyed()) win.close();
        if (quitting) app.quit();
      });
  });
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
  saveMemosBeforeClose(mainWindow);
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

/** Show a message for the result of a menu action; errors from the contract come back as `{ok: false}`. */
async function tell(title: string, message: string, type: 'info' | 'error' = 'info'): Promise<void> {
  const options = { type, title, message, buttons: ['OK'] };
  if (mainWindow) await dialog.showMessageBox(mainWindow, options);
  else await dialog.showMessageBox(options);
}

/** File > Restore from backup…: pick a backup in the backups folder, confirm, restore, reload the window. */
async function restoreFromMenu(dataDir: string): Promise<void> {
  if (!services) return;
  const dir = backupsDir(dataDir);
  mkdirSync(dir, { recursive: true });
  const options = { title: 'Restore from backup', defaultPath: dir, properties: ['openFile' as const], filters: [{ name: 'Verbatim backups', extensions: ['sqlite'] }] };
  const picked = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
  const file = picked.filePaths[0];
  if (picked.canceled || !file) return;
  if (path.dirname(path.resolve(file)) !== path.resolve(dir)) {
    await tell('Restore from backup', `Choose a backup inside ${dir}.`, 'error');
    return;
  }
  const confirmOptions = { type: 'question' as const, title: 'Restore from backup', message: `Replace the library with ${path.basename(file)}?`, detail: 'The current library is kept aside first (in the backups folder, as before-restore-<time>.sqlite), never deleted.', buttons: ['Restore', 'Cancel'], defaultId: 0, cancelId: 1 };
  const answer = mainWindow ? await dialog.showMessageBox(mainWindow, confirmOptions) : await dialog.showMessageBox(confirmOptions);
  if (answer.response !== 0) return;
  const result = await services.dispatch('library.restore', { name: path.basename(file) });
  if (!result.ok) return tell('Restore from backup', result.error.message, 'error');
  mainWindow?.webContents.reload();
  await tell('Restore from backup', `Restored ${path.basename(file)}. The library as it was is kept in the backups folder as ${(result.value as { keptAs: string }).keptAs}.`);
}

/** The application menu: File (backups, quit), Edit, View, Window. */
function installMenu(dataDir: string): void {
  const backUpNow = async () => {
    if (!services) return;
    const result = await services.dispatch('library.backup', {});
    if (result.ok) await tell('Back up now', `Backed up to ${path.join(backupsDir(dataDir), (result.value as { name: string }).name)}.`);
    else await tell('Back up now', result.error.message, 'error');
  };
  const showFolder = async () => {
    mkdirSync(backupsDir(dataDir), { recursive: true });
    const problem = await shell.openPath(backupsDir(dataDir));
    if (problem) await tell('Show backups folder', problem, 'error');
  };
  const report = (what: string) => (error: unknown) => console.error(`${what} failed`, error);
  Menu.setApplicationMenu(
    Menu.buildFromTemplate([
      ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
      {
        label: 'File',
        submenu: [
          { label: 'Back up now', click: () => void backUpNow().catch(report('Back up now')) },
          { label: 'Restore from backup…', click: () => void restoreFromMenu(dataDir).catch(report('Restore from backup')) },
          { label: 'Show backups folder', click: () => void showFolder().catch(report('Show backups folder')) },
          { type: 'separator' },
          process.platform === 'darwin' ? { role: 'close' } : { role: 'quit' },
        ],
      },
      { role: 'editMenu' },
      { role: 'viewMenu' },
      { role: 'windowMenu' },
    ]),
  );
}

/**
 * A library that cannot be opened: say why, and offer to restore the newest backup or
 * start a new library (the file is moved aside as library.damaged-<time>.sqlite, never
 * deleted), or quit. Returns true when the caller should try opening again.
 */
async function offerRecovery(error: LibraryOpenError, dataDir: string): Promise<boolean> {
  const latest = latestBackup(dataDir);
  const buttons = [...(latest ? [`Restore the latest backup (${latest.createdAt.slice(0, 16).replace('T', ' ')} UTC)`] : []), 'Start a new library', 'Quit'];
  const { response } = await dialog.showMessageBox({
    type: 'error',
    title: 'Verbatim cannot open its library',
    message: error.message,
    detail: `Whatever you choose, the file is kept: it is moved aside in ${dataDir} as library.damaged-<time>.sqlite.`,
    buttons,
    defaultId: buttons.length - 1,
    cancelId: buttons.length - 1,
  });
  const choice = buttons[response] ?? 'Quit';
  if (choice === 'Quit') return false;
  const lock = acquireLibraryLock(dataDir, 'electron');
  try {
    await recoverLibraryFile(dataDir, path.join(dataDir, LIBRARY_FILE_NAME), choice === 'Start a new library' ? 'new-library' : 'restore-latest');
  } finally {
    lock.release();
  }
  return true;
}

async function start(): Promise<void> {
  const dataDir = resolveDataDir(process.argv, process.env, app.getPath('userData'));
  for (;;) {
    try {
      services = await openServices({
        host: 'electron',
        dataDir,
        resourcesDir: path.join(app.getAppPath(), 'electron', 'resources'),
        version: app.getVersion(),
        printPdf,
        saveFile,
        keepBackups: resolveKeepBackups(process.argv, process.env, DEFAULT_KEEP_BACKUPS),
      });
      break;
    } catch (error) {
      try {
        if (error instanceof LibraryOpenError && (await offerRecovery(error, dataDir))) continue;
      } catch (recoveryError) {
        error = recoveryError;
      }
      if (!(error instanceof LibraryOpenError)) {
        const title = error instanceof LibraryLockedError ? 'Verbatim’s library is in use' : 'Verbatim cannot open its library';
        dialog.showErrorBox(title, `${(error as Error).message}\n\nFolder: ${dataDir}`);
      }
      app.exit(1);
      return;
    }
  }
  installMenu(dataDir);
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
  app.on('before-quit', () => {
    quitting = true;
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
