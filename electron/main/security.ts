/**
 * Electron security settings in one place (https://www.electronjs.org/docs/latest/tutorial/security):
 * the window's webPreferences, navigation, redirects and window.open denied (http(s) links
 * open in the system browser), <webview> attachment prevented, permission requests and
 * permission checks denied, and the IPC sender check (by exact origin). The renderer's
 * own scheme (`verbatim://app`) is in ./appProtocol.ts. Each rule is asserted in security.test.ts.
 */
import { shell, type WebContents, type WebFrameMain, type WebPreferences } from 'electron';

/**
 * webPreferences for every window that shows the renderer (checklist items 3-6, 9, 10, 12):
 * context isolation, the sandbox, no Node in the page, its workers or its subframes, web
 * security on, no insecure content, no <webview>. `preload` is the absolute path of the
 * bundled preload (out/preload/index.js).
 */
export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
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
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  webviewTag: false,
  javascript: false,
};

/**
 * The print window for memos with footnotes: as {@link PRINT_WEB_PREFERENCES} but with
 * JavaScript on, because Paged.js lays out the footnotes. The printed document's CSP lets
 * only its two scripts run, named by SHA-256 hash; everything in it is escaped or sanitized.
 */
export const PAGED_PRINT_WEB_PREFERENCES: WebPreferences = { ...PRINT_WEB_PREFERENCES, javascript: true };

/**
 * Open a URL in the system browser when it is http(s), and nothing else (javascript:,
 * file:, data:, custom schemes, malformed URLs are dropped, silently: they come from
 * page content, not from the user). Exported for the tests.
 */
export function openExternally(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return;
  }
  if (parsed.protocol === 'http:' || parsed.protocol === 'https:') {
    shell.openExternal(parsed.href).catch((error: unknown) => console.error('Could not open link in the system browser', parsed.href, error));
  }
}

/**
 * Lock down one web-contents (applied to every one the app creates, through
 * `web-contents-created`): every navigation and redirect is prevented (http(s) targets
 * open in the system browser; subframe navigations are prevented outright), window.open is denied (same), <webview> attachment is
 * prevented, and the session denies every permission request and permission check
 * (camera, notifications, clipboard-read, …). Checklist items 11-14.
 */
export function lockDownNavigation(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    openExternally(url);
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  // Subframes too (will-navigate covers only the main frame); the app has no frames of its own.
  contents.on('will-frame-navigate', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    openExternally(url);
    return { action: 'deny' };
  });
  contents.session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  contents.session.setPermissionCheckHandler(() => false);
}

/**
 * The origin of a URL for comparison: `scheme://host[:port]`, lower-case, for any scheme
 * with a host (Node's URL gives custom schemes the origin "null", so it is built here);
 * null for a URL without a host or one that does not parse.
 */
export function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    if (!parsed.host) return null;
    return `${parsed.protocol}//${parsed.host}`.toLowerCase();
  } catch {
    return null;
  }
}

/**
 * True when an IPC message comes from the app's own renderer: the main frame (no
 * parent) of a page whose origin is exactly `trustedOrigin` (`verbatim://app`, or the dev
 * server's origin). Exact origin comparison, not a prefix: `verbatim://app.evil` and
 * `verbatim://app@evil` do not pass. Checklist item 17.
 */
export function isTrustedSender(frame: Pick<WebFrameMain, 'url' | 'parent'> | null | undefined, trustedOrigin: string): boolean {
  if (!frame || frame.parent !== null) return false;
  const origin = originOf(frame.url);
  return origin !== null && origin === originOf(trustedOrigin);
}
