/**
 * The renderer's scheme, verbatim://app: URL resolution (pure) and the handler's
 * responses, against a real temporary renderer folder and a secret file beside it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RENDERER_CSP } from '../../shared/csp';
import { APP_ENTRY_URL, APP_ORIGIN, APP_SCHEME_PRIVILEGES, createAppProtocolHandler, resolveAppRequest } from './appProtocol';

let base: string;
let root: string;

beforeAll(() => {
  base = mkdtempSync(path.join(os.tmpdir(), 'verbatim-proto-'));
  root = path.join(base, 'renderer');
  mkdirSync(path.join(root, 'assets'), { recursive: true });
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Verbatim</title>');
  writeFileSync(path.join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(path.join(root, 'assets', 'index-abc.css'), 'body{}');
  writeFileSync(path.join(root, 'assets', 'blob.bin'), 'x');
  writeFileSync(path.join(base, 'secret.txt'), 'the library key');
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('resolveAppRequest', () => {
  it('maps the app origin to files under the renderer folder; / is index.html', () => {
    expect(APP_ORIGIN).toBe('verbatim://app');
    expect(APP_ENTRY_URL).toBe('verbatim://app/index.html');
    expect(resolveAppRequest('verbatim://app/', root)).toEqual({ file: path.join(root, 'index.html') });
    expect(resolveAppRequest('verbatim://app', root)).toEqual({ file: path.join(root, 'index.html') });
    expect(resolveAppRequest('verbatim://app/index.html?x=1#top', root)).toEqual({ file: path.join(root, 'index.html') });
    expect(resolveAppRequest('verbatim://app/assets/index-abc.js', root)).toEqual({ file: path.join(root, 'assets', 'index-abc.js') });
    expect(resolveAppRequest('verbatim://app/assets/a%20b.js', root)).toEqual({ file: path.join(root, 'assets', 'a b.js') });
  });

  it.each([
    ['verbatim://app/../secret.txt', 404],
    ['verbatim://app/assets/../../secret.txt', 404],
    ['verbatim://app/%2e%2e/secret.txt', 404],
    ['verbatim://app/%2E%2E/secret.txt', 404],
    ['verbatim://app/assets/%2e%2e%2f%2e%2e%2fsecret.txt', 404],
    ['verbatim://app/./index.html', 404],
    ['verbatim://app/..%5csecret.txt', 404],
    ['verbatim://app/..\\secret.txt', 404],
    ['verbatim://app/assets\\..\\..\\secret.txt', 404],
    ['verbatim://app//etc/passwd', 404],
    ['verbatim://app/%2fetc%2fpasswd', 404],
    ['verbatim://app/C:/Windows/win.ini', 404],
    ['verbatim://app/index.html%00.js', 404],
    ['verbatim://app/index.html\u0000', 404],
    ['verbatim://app/%E0%A4%A', 400],
    ['verbatim://app.evil/index.html', 403],
    ['verbatim://evil/index.html', 403],
    ['verbatim://app:8080/index.html', 403],
    ['verbatim://user@app/index.html', 403],
    ['verbatim://app@evil/index.html', 403],
    ['file:///etc/passwd', 403],
    ['https://app/index.html', 403],
    ['not a url', 400],
  ])('refuses %j with %i', (url, status) => {
    const result = resolveAppRequest(url, root);
    expect(result).toMatchObject({ status });
    expect(result).not.toHaveProperty('file');
  });
});

describe('the verbatim:// handler', () => {
  const handler = () => createAppProtocolHandler(root);
  const get = (url: string, method = 'GET') => handler()(new Request(url, { method }));

  it('is registered standard and secure with fetch, and never bypasses the CSP', () => {
    expect(APP_SCHEME_PRIVILEGES).toEqual({ scheme: 'verbatim', privileges: { standard: true, secure: true, supportFetchAPI: true } });
    expect(APP_SCHEME_PRIVILEGES.privileges).not.toHaveProperty('bypassCSP');
  });

  it('serves files with their content type and the CSP header on every response', async () => {
    const page = await get('verbatim://app/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(RENDERER_CSP);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toBe('<!doctype html><title>Verbatim</title>');
    const script = await get('verbatim://app/assets/index-abc.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('content-security-policy')).toBe(RENDERER_CSP);
    expect(await script.text()).toBe('console.log(1)');
    expect((await get('verbatim://app/assets/index-abc.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await get('verbatim://app/assets/blob.bin')).headers.get('content-type')).toBe('application/octet-stream');
  });

  it('refuses traversal, other hosts, missing files and other methods, CSP header included', async () => {
    for (const [url, status] of [
      ['verbatim://app/%2e%2e/secret.txt', 404],
      ['verbatim://app/missing.js', 404],
      ['verbatim://app/assets', 404],
      ['verbatim://app.evil/index.html', 403],
    ] as const) {
      const res = await get(url);
      expect(res.status, url).toBe(status);
      expect(res.headers.get('content-security-policy'), url).toBe(RENDERER_CSP);
      expect(await res.text(), url).not.toContain('library key');
    }
    const post = await handler()(new Request('verbatim://app/index.html', { method: 'POST', body: 'x' }));
    expect(post.status).toBe(405);
  });

  it('answers a read failure other than "not found" with 500, not a crash', async () => {
    const failing = createAppProtocolHandler(root, async () => {
      throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    });
    const original = console.error;
    console.error = () => undefined;
    try {
      expect((await failing(new Request('verbatim://app/index.html'))).status).toBe(500);
    } finally {
      console.error = original;
    }
  });
});
