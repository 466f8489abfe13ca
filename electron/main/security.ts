/**
 * Electron security settings in one place (https://www.electronjs.org/docs/latest/tutorial/security):
 * the window's webPreferences, navigation and window.open denial (http(s) links open in
 * the system browser), permission requests denied, and the IPC sender check.
 */
import { shell, type WebContents, type WebFrameMain, type WebPreferences } from 'electron';

/** webPreferences for every window that shows the renderer. */
export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: true,
  };
}

/** webPreferences for the hidden window that prints a memo to PDF: no preload, no JavaScript. */
export const PRINT_WEB_PREFERENCES: WebPreferences = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  webSecurity: true,
  javascript: false,
};

/**
 * The print window for memos with footnotes: as {@link PRINT_WEB_PREFERENCES} but with
 * JavaScript on, because Paged.js lays out the footnotes. The printed document's CSP lets
 * only its two scripts run, named by SHA-256 hash; everything in it is escaped or sanitized.
 */
export const PAGED_PRINT_WEB_PREFERENCES: WebPreferences = { ...PRINT_WEB_PREFERENCES, javascript: true };

/** Open only http(s) URLs outside the app; everything else is dropped. */
function openExternally(url: string): void {
  if (/^https?:\/\//i.test(url)) {
    shell.openExternal(url).catch((error: unknown) => console.error('Could not open link in the system browser', url, error));
  }
}

/** Deny every navigation and new window in `contents`; http(s) links go to the system browser. */
export function lockDownNavigation(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    openExternally(url);
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternally(url);
    return { action: 'deny' };
  });
  contents.session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
}

/**
 * True when an IPC message comes from the app's own renderer: the main frame of a
 * window we opened, at the renderer's URL (file:// of out/renderer, or the dev server).
 */
export function isTrustedSender(frame: WebFrameMain | null, rendererUrlPrefix: string): boolean {
  if (!frame || frame.parent !== null) return false;
  return frame.url.startsWith(rendererUrlPrefix);
}
