/**
 * The wiring of the main process (electron/main/index.ts) with 'electron' and the
 * services replaced by stubs: the scheme is registered before ready and handled after
 * it, the window gets secureWebPreferences and loads verbatim://app (not file://), every
 * web-contents is locked down, and IPC from a foreign frame is refused without reaching
 * the services. The settings themselves are tested in security.test.ts.
 */
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { METHOD_NAMES, ipcChannel } from '../../shared/methods';

type Handler = (...args: unknown[]) => unknown;

const h = vi.hoisted(() => {
  let resolveReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (resolveReady = resolve));
  const appHandlers = new Map<string, Handler>();
  const windows: { options: Record<string, unknown>; loaded: string[]; contents: ReturnType<typeof makeContents> }[] = [];
  function makeContents() {
    const on = new Map<string, Handler>();
    const state = { on, windowOpen: null as Handler | null, permission: null as Handler | null, permissionCheck: null as Handler | null };
    const contents = {
      on: (event: string, handler: Handler) => on.set(event, handler),
      setWindowOpenHandler: (handler: Handler) => (state.windowOpen = handler),
      session: { setPermissionRequestHandler: (handler: Handler) => (state.permission = handler), setPermissionCheckHandler: (handler: Handler) => (state.permissionCheck = handler) },
    };
    return { state, contents };
  }
  return {
    ready,
    resolveReady: () => resolveReady(),
    appHandlers,
    windows,
    makeContents,
    ipc: new Map<string, Handler>(),
    protocolHandlers: new Map<string, Handler>(),
    registerSchemes: vi.fn(),
    dispatch: vi.fn(async (method: string) => ({ ok: true, value: `ran ${method}` })),
    openServices: vi.fn(),
  };
});

vi.mock('electron', () => {
  class BrowserWindow {
    static getAllWindows = () => h.windows;
    webContents: unknown;
    constructor(options: Record<string, unknown>) {
      const contents = h.makeContents();
      this.webContents = contents.contents;
      h.windows.push({ options, loaded: [], contents });
    }
    private get record() {
      return h.windows.find((w) => w.contents.contents === this.webContents)!;
    }
    loadURL(url: string) {
      this.record.loaded.push(url);
      return Promise.resolve();
    }
    loadFile(file: string) {
      this.record.loaded.push(`loadFile:${file}`);
      return Promise.resolve();
    }
    once() {}
    on() {}
    show() {}
    destroy() {}
  }
  return {
    app: {
      requestSingleInstanceLock: () => true,
      on: (event: string, handler: Handler) => h.appHandlers.set(event, handler),
      whenReady: () => h.ready,
      getPath: () => '/tmp/verbatim-index-test',
      getAppPath: () => '/app',
      getVersion: () => '0.0.0-test',
      exit: vi.fn(),
      quit: vi.fn(),
    },
    BrowserWindow,
    dialog: { showErrorBox: vi.fn(), showSaveDialog: vi.fn() },
    ipcMain: { handle: (channel: string, handler: Handler) => h.ipc.set(channel, handler) },
    protocol: { registerSchemesAsPrivileged: h.registerSchemes, handle: (scheme: string, handler: Handler) => h.protocolHandlers.set(scheme, handler) },
    shell: { openExternal: vi.fn(async () => undefined) },
    Menu: { setApplicationMenu: vi.fn(), buildFromTemplate: vi.fn(() => ({})) },
  };
});

vi.mock('../services/services', () => ({
  openServices: h.openServices.mockImplementation(async () => ({ dispatch: h.dispatch, close: async () => undefined })),
}));

delete process.env.ELECTRON_RENDERER_URL;
await import('./index');
const { secureWebPreferences } = await import('./security');
const { APP_SCHEME_PRIVILEGES } = await import('./appProtocol');

/** Let `whenReady().then(start)` and start's awaits run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i += 1) await new Promise((resolve) => setImmediate(resolve));
}

describe('electron/main/index.ts wiring', () => {
  it('registers the privileged scheme before ready, and handles it only after', async () => {
    expect(h.registerSchemes).toHaveBeenCalledTimes(1);
    expect(h.registerSchemes).toHaveBeenCalledWith([APP_SCHEME_PRIVILEGES]);
    expect(h.protocolHandlers.size).toBe(0);
    expect(h.windows).toHaveLength(0);
    h.resolveReady();
    await settle();
    expect([...h.protocolHandlers.keys()]).toEqual(['verbatim']);
  });

  it('serves out/renderer on the scheme with the CSP header', async () => {
    const handler = h.protocolHandlers.get('verbatim')!;
    const refused = (await handler(new Request('verbatim://app/%2e%2e/main/index.js'))) as Response;
    expect(refused.status).toBe(404);
    expect(refused.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('opens the window with secureWebPreferences and loads verbatim://app, not file://', () => {
    expect(h.windows).toHaveLength(1);
    const [win] = h.windows;
    const preload = (win!.options.webPreferences as { preload: string }).preload;
    expect(path.basename(path.dirname(preload))).toBe('preload');
    expect(win!.options.webPreferences).toEqual(secureWebPreferences(preload));
    expect(win!.loaded).toEqual(['verbatim://app/index.html']);
  });

  it('locks down the window and every web-contents created later', () => {
    const [win] = h.windows;
    expect([...win!.contents.state.on.keys()].sort()).toEqual(['will-attach-webview', 'will-frame-navigate', 'will-navigate', 'will-redirect']);
    const created = h.makeContents();
    h.appHandlers.get('web-contents-created')!({}, created.contents);
    expect([...created.state.on.keys()].sort()).toEqual(['will-attach-webview', 'will-frame-navigate', 'will-navigate', 'will-redirect']);
    expect(created.state.windowOpen!({ url: 'https://example.org/' })).toEqual({ action: 'deny' });
    expect(created.state.permissionCheck!(null, 'media')).toBe(false);
  });

  it('registers one IPC handler per contract method, and nothing else', () => {
    expect([...h.ipc.keys()].sort()).toEqual(METHOD_NAMES.map(ipcChannel).sort());
  });

  it('answers IPC from the app’s main frame and refuses foreign frames without calling the services', async () => {
    const channel = ipcChannel(METHOD_NAMES[0]!);
    const handler = h.ipc.get(channel)!;
    expect(await handler({ senderFrame: { url: 'verbatim://app/index.html', parent: null } }, {})).toEqual({ ok: true, value: `ran ${METHOD_NAMES[0]}` });
    expect(h.dispatch).toHaveBeenCalledTimes(1);
    h.dispatch.mockClear();
    for (const senderFrame of [
      { url: 'verbatim://app.evil/index.html', parent: null },
      { url: 'https://evil.example/', parent: null },
      { url: 'file:///app/out/renderer/index.html', parent: null },
      { url: 'verbatim://app/index.html', parent: { url: 'verbatim://app/index.html' } },
      null,
    ]) {
      const answer = await handler({ senderFrame }, {});
      expect(answer, JSON.stringify(senderFrame)).toMatchObject({ ok: false, error: { code: 'unsupported' } });
    }
    expect(h.dispatch).not.toHaveBeenCalled();
  });

  it('with the dev server (npm run dev) loads it and trusts exactly its origin', async () => {
    vi.resetModules();
    process.env.ELECTRON_RENDERER_URL = 'http://localhost:5173';
    try {
      h.windows.length = 0;
      h.ipc.clear();
      await import('./index');
      await settle();
      expect(h.windows.map((w) => w.loaded)).toEqual([['http://localhost:5173']]);
      const handler = h.ipc.get(ipcChannel(METHOD_NAMES[0]!))!;
      expect(await handler({ senderFrame: { url: 'http://localhost:5173/src/main.tsx', parent: null } }, {})).toMatchObject({ ok: true });
      for (const url of ['http://localhost:5174/', 'http://localhost:5173.evil.com/', 'verbatim://app/index.html']) {
        expect(await handler({ senderFrame: { url, parent: null } }, {}), url).toMatchObject({ ok: false, error: { code: 'unsupported' } });
      }
    } finally {
      delete process.env.ELECTRON_RENDERER_URL;
    }
  });
});
