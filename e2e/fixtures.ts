/**
 * The host fixture: every test gets a fresh data folder and a page showing Verbatim.
 *
 * - Electron, when its binary is installed (node_modules/electron/path.txt and the file it
 *   names exist) and VERBATIM_E2E_HOST is not "web": Playwright's `_electron.launch` with
 *   `--data-dir`.
 * - Otherwise the web host (`electron/web/cli.ts serve`) on 127.0.0.1 and Chromium
 *   (VERBATIM_CHROMIUM or /usr/bin/chromium), opened at the printed tokened URL.
 *
 * Both need the built app (`npm run build`, which `npm test` runs first).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as base, chromium, _electron, type Browser, type ElectronApplication, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../electron/web/pdf';

export const ROOT = path.resolve(__dirname, '..');
export const ARTIFACTS = path.join(ROOT, 'e2e-artifacts');

/** The Electron executable if its binary was downloaded, else null. */
export function electronBinary(): string | null {
  const dir = path.join(ROOT, 'node_modules', 'electron');
  const pathFile = path.join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const exe = path.join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(exe) ? exe : null;
}

export interface HostFixture {
  kind: 'electron' | 'web';
  page: Page;
  dataDir: string;
  /** Origin and token of the web host (null in Electron), for direct API calls. */
  web: { origin: string; token: string } | null;
  /** The Electron application (null in the web host), e.g. to stub the save dialog. */
  electronApp: ElectronApplication | null;
}

async function startWebHost(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
  const child = spawn(tsx, [path.join(ROOT, 'electron', 'web', 'cli.ts'), 'serve', '--data-dir', dataDir, '--port', '0'], {
    cwd: ROOT,
    env: { ...process.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The web host did not start within 30 s. Output:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /Open: (http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The web host exited with code ${code}. Output:\n${output}`));
    });
  });
  child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(`[web host] ${chunk.toString()}`));
  return { child, url };
}

export const test = base.extend<{ host: HostFixture }>({
  host: async ({}, use, testInfo) => {
    if (!existsSync(path.join(ROOT, 'out', 'renderer', 'index.html'))) throw new Error('The app is not built: run `npm run build` first (npm test does).');
    mkdirSync(ARTIFACTS, { recursive: true });
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'verbatim-e2e-'));
    const electronExe = process.env.VERBATIM_E2E_HOST === 'web' ? null : electronBinary();
    let electronApp: ElectronApplication | null = null;
    let browser: Browser | null = null;
    let child: ChildProcess | null = null;
    try {
      if (electronExe) {
        electronApp = await _electron.launch({ executablePath: electronExe, args: [ROOT, '--data-dir', dataDir], cwd: ROOT });
        const page = await electronApp.firstWindow();
        await use({ kind: 'electron', page, dataDir, web: null, electronApp });
      } else {
        const started = await startWebHost(dataDir);
        child = started.child;
        const executablePath = findChromium();
        if (!executablePath) throw new Error('No Chromium found: install it (apt-get install chromium) or set VERBATIM_CHROMIUM.');
        browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
        const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, acceptDownloads: true });
        const page = await context.newPage();
        page.on('pageerror', (error) => testInfo.annotations.push({ type: 'pageerror', description: error.message }));
        await page.goto(started.url);
        const parsed = new URL(started.url);
        await use({ kind: 'web', page, dataDir, web: { origin: parsed.origin, token: parsed.searchParams.get('token')! }, electronApp: null });
      }
    } finally {
      await electronApp?.close();
      await browser?.close();
      if (child && child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((resolve) => child!.once('exit', resolve));
      }
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
});

export { expect } from '@playwright/test';

/**
 * Call a contract method from inside the page, through whichever host serves it (Electron's
 * preload or the web host's `/api`, with the page's token cookie). Resolves to the method's
 * value; rejects with the contract's error message.
 */
export async function callApi<T>(page: Page, method: string, args: unknown): Promise<T> {
  const result = await page.evaluate(
    async ([m, a]) => {
      const host = (window as unknown as { verbatimHost?: Record<string, (x: unknown) => Promise<unknown>> }).verbatimHost;
      if (host) return host[m as string]!(a);
      const response = await fetch(`/api/${m as string}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, credentials: 'same-origin', body: JSON.stringify(a) });
      return response.json();
    },
    [method, args] as const,
  );
  const r = result as { ok: boolean; value?: T; error?: { code: string; message: string } };
  if (!r.ok) throw new Error(`${method}: ${r.error?.code}: ${r.error?.message}`);
  return r.value as T;
}
