/**
 * The Electron security checklist where the settings are made (electron/main/security.ts),
 * one test per setting, with Electron itself replaced by a stub: the binary cannot run
 * here. The wiring (that index.ts applies these) is in index.test.ts.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';

const openExternal = vi.fn(async (_url: string) => undefined);
vi.mock('electron', () => ({ shell: { openExternal } }));

const { isTrustedSender, lockDownNavigation, originOf, PAGED_PRINT_WEB_PREFERENCES, PRINT_WEB_PREFERENCES, secureWebPreferences } = await import('./security');

type Handler = (...args: unknown[]) => unknown;

function fakeContents() {
  const handlers = new Map<string, Handler>();
  let windowOpen: Handler | null = null;
  let permission: Handler | null = null;
  let permissionCheck: Handler | null = null;
  return {
    handlers,
    windowOpen: () => windowOpen!,
    permission: () => permission!,
    permissionCheck: () => permissionCheck!,
    contents: {
      on: (event: string, handler: Handler) => handlers.set(event, handler),
      setWindowOpenHandler: (h: Handler) => (windowOpen = h),
      session: { setPermissionRequestHandler: (h: Handler) => (permission = h), setPermissionCheckHandler: (h: Handler) => (permissionCheck = h) },
    },
  };
}

function lockedDown() {
  const fake = fakeContents();
  lockDownNavigation(fake.contents as never);
  return fake;
}

const HOSTILE_URLS = ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'file:///etc/passwd', 'data:text/html,<script>alert(1)</script>', 'verbatim://app/index.html', 'ms-msdt:/id PCWDiagnostic', 'smb://evil/share', 'vbscript:msgbox', 'not a url', ''];

beforeEach(() => openExternal.mockClear());

describe('webPreferences of the app window', () => {
  const prefs = secureWebPreferences('/app/out/preload/index.js');
  it('uses the given preload', () => expect(prefs.preload).toBe('/app/out/preload/index.js'));
  it('isolates the context', () => expect(prefs.contextIsolation).toBe(true));
  it('sandboxes the renderer', () => expect(prefs.sandbox).toBe(true));
  it('gives no Node to the page, its workers or its subframes', () => {
    expect(prefs.nodeIntegration).toBe(false);
    expect(prefs.nodeIntegrationInWorker).toBe(false);
    expect(prefs.nodeIntegrationInSubFrames).toBe(false);
  });
  it('keeps web security on and refuses insecure content', () => {
    expect(prefs.webSecurity).toBe(true);
    expect(prefs.allowRunningInsecureContent).toBe(false);
  });
  it('has no <webview> tag and no experimental features', () => {
    expect(prefs.webviewTag).toBe(false);
    expect(prefs).not.toHaveProperty('experimentalFeatures');
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
  });
});

describe('webPreferences of the print windows', () => {
  it('print without preload or JavaScript, sandboxed and isolated', () => {
    expect(PRINT_WEB_PREFERENCES).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false, webSecurity: true, webviewTag: false, javascript: false });
    expect(PRINT_WEB_PREFERENCES).not.toHaveProperty('preload');
  });
  it('for footnotes differ only in running the page’s own (CSP-hashed) scripts', () => {
    expect(PAGED_PRINT_WEB_PREFERENCES).toEqual({ ...PRINT_WEB_PREFERENCES, javascript: true });
  });
});

describe('navigation lock-down', () => {
  it('will-navigate: prevented always; http(s) goes to the system browser', () => {
    const fake = lockedDown();
    for (const url of ['https://example.org/a', 'http://example.org/b']) {
      const event = { preventDefault: vi.fn() };
      fake.handlers.get('will-navigate')!(event, url);
      expect(event.preventDefault).toHaveBeenCalledTimes(1);
    }
    expect(openExternal.mock.calls).toEqual([['https://example.org/a'], ['http://example.org/b']]);
  });

  it.each(HOSTILE_URLS)('will-navigate to %j: prevented, nothing opened', (url) => {
    const fake = lockedDown();
    const event = { preventDefault: vi.fn() };
    fake.handlers.get('will-navigate')!(event, url);
    expect(event.preventDefault).toHaveBeenCalledTimes(1);
    expect(openExternal).not.toHaveBeenCalled();
  });

  it('will-redirect: prevented, nothing opened', () => {
    const fake = lockedDown();
    const event = { preventDefault: vi.fn() };
    fake.handlers.get('will-redirect')!(event, 'https://example.org/');
    expect(event.preventDefault).toHaveBeenCalledTimes(1);
    expect(openExternal).not.toHaveBeenCalled();
  });

  it('window.open: denied; http(s) goes to the system browser', () => {
    const fake = lockedDown();
    expect(fake.windowOpen()({ url: 'https://example.org/x' })).toEqual({ action: 'deny' });
    expect(openExternal.mock.calls).toEqual([['https://example.org/x']]);
  });

  it.each(HOSTILE_URLS)('window.open(%j): denied, nothing opened', (url) => {
    const fake = lockedDown();
    expect(fake.windowOpen()({ url })).toEqual({ action: 'deny' });
    expect(openExternal).not.toHaveBeenCalled();
  });

  it('will-frame-navigate (subframes): prevented, nothing opened', () => {
    const fake = lockedDown();
    const event = { preventDefault: vi.fn(), url: 'https://example.org/', isMainFrame: false };
    fake.handlers.get('will-frame-navigate')!(event);
    expect(event.preventDefault).toHaveBeenCalledTimes(1);
    expect(openExternal).not.toHaveBeenCalled();
  });

  it('will-attach-webview: prevented', () => {
    const fake = lockedDown();
    const event = { preventDefault: vi.fn() };
    fake.handlers.get('will-attach-webview')!(event, {}, {});
    expect(event.preventDefault).toHaveBeenCalledTimes(1);
  });

  it.each(['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen'])('permission %j: request denied and check false', (permission) => {
    const fake = lockedDown();
    const callback = vi.fn();
    fake.permission()(null, permission, callback, {});
    expect(callback).toHaveBeenCalledWith(false);
    expect(fake.permissionCheck()(null, permission, 'verbatim://app', {})).toBe(false);
  });
});

describe('IPC sender check', () => {
  const frame = (url: string, parent: object | null = null) => ({ url, parent }) as never;
  it('takes the main frame of the app’s origin, any path', () => {
    expect(isTrustedSender(frame('verbatim://app/index.html'), 'verbatim://app')).toBe(true);
    expect(isTrustedSender(frame('verbatim://app/'), 'verbatim://app')).toBe(true);
    expect(isTrustedSender(frame('http://localhost:5173/'), 'http://localhost:5173')).toBe(true);
  });
  it.each([
    'verbatim://app.evil/index.html',
    'verbatim://appx/index.html',
    'verbatim://app@evil/index.html',
    'verbatim://app:1234/index.html',
    'verbatimx://app/index.html',
    'file:///app/out/renderer/index.html',
    'https://evil.example/',
    'about:blank',
    '',
  ])('refuses %j', (url) => {
    expect(isTrustedSender(frame(url), 'verbatim://app')).toBe(false);
  });
  it('refuses the dev server’s origin on another port, a subframe, and no frame', () => {
    expect(isTrustedSender(frame('http://localhost:5174/'), 'http://localhost:5173')).toBe(false);
    expect(isTrustedSender(frame('http://localhost:5173.evil.com/'), 'http://localhost:5173')).toBe(false);
    expect(isTrustedSender(frame('verbatim://app/index.html', {}), 'verbatim://app')).toBe(false);
    expect(isTrustedSender(null, 'verbatim://app')).toBe(false);
  });
  it('originOf builds scheme://host for custom schemes', () => {
    expect(originOf('verbatim://app/a/b?c')).toBe('verbatim://app');
    expect(originOf('HTTP://LocalHost:5173/x')).toBe('http://localhost:5173');
    expect(originOf('file:///etc/passwd')).toBeNull();
    expect(originOf('nope')).toBeNull();
  });
});
