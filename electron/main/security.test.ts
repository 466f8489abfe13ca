/**
 * The Electron security checklist where the settings are made (electron/main/security.ts),
 * with Electron itself replaced by a stub: the binary cannot run in CI.
 */
import { describe, expect, it, vi } from 'vitest';

const openExternal = vi.fn(async () => undefined);
vi.mock('electron', () => ({ shell: { openExternal } }));

const { isTrustedSender, lockDownNavigation, PAGED_PRINT_WEB_PREFERENCES, PRINT_WEB_PREFERENCES, secureWebPreferences } = await import('./security');

type Handler = (...args: unknown[]) => unknown;

function fakeContents() {
  const handlers = new Map<string, Handler>();
  let windowOpen: Handler | null = null;
  let permission: Handler | null = null;
  return {
    handlers,
    windowOpen: () => windowOpen!,
    permission: () => permission!,
    contents: {
      on: (event: string, handler: Handler) => handlers.set(event, handler),
      setWindowOpenHandler: (h: Handler) => (windowOpen = h),
      session: { setPermissionRequestHandler: (h: Handler) => (permission = h) },
    },
  };
}

describe('Electron security settings', () => {
  it('isolate the renderer: context isolation, sandbox, no Node, web security on', () => {
    const prefs = secureWebPreferences('/app/out/preload/index.js');
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(PRINT_WEB_PREFERENCES).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, javascript: false });
    expect(PRINT_WEB_PREFERENCES).not.toHaveProperty('preload');
    // Footnote layout needs Paged.js, so that print window runs scripts, but only the page's own (CSP by hash), sandboxed and without Node.
    expect(PAGED_PRINT_WEB_PREFERENCES).toEqual({ ...PRINT_WEB_PREFERENCES, javascript: true });
    expect(PAGED_PRINT_WEB_PREFERENCES).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
  });

  it('deny navigation and new windows; only http(s) links go to the system browser', () => {
    const fake = fakeContents();
    lockDownNavigation(fake.contents as never);
    const event = { preventDefault: vi.fn() };
    fake.handlers.get('will-navigate')!(event, 'https://example.org/');
    expect(event.preventDefault).toHaveBeenCalled();
    expect(openExternal).toHaveBeenCalledWith('https://example.org/');
    openExternal.mockClear();
    fake.handlers.get('will-navigate')!({ preventDefault: vi.fn() }, 'file:///etc/passwd');
    expect(fake.windowOpen()({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(fake.windowOpen()({ url: 'https://example.org/x' })).toEqual({ action: 'deny' });
    expect(openExternal.mock.calls).toEqual([['https://example.org/x']]);
    const callback = vi.fn();
    fake.permission()(null, 'media', callback);
    expect(callback).toHaveBeenCalledWith(false);
  });

  it('take IPC only from the main frame of the app’s own page', () => {
    const prefix = 'file:///app/out/renderer/index.html';
    expect(isTrustedSender({ url: prefix, parent: null } as never, prefix)).toBe(true);
    expect(isTrustedSender({ url: 'https://evil.example/', parent: null } as never, prefix)).toBe(false);
    expect(isTrustedSender({ url: prefix, parent: {} } as never, prefix)).toBe(false);
    expect(isTrustedSender(null, prefix)).toBe(false);
  });
});
