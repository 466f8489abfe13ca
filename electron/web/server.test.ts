import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestLibrary, type TestLibrary } from '../services/testing';
import { startWebHost, TOKEN_COOKIE, type WebHost } from './server';

let lib: TestLibrary;
let host: WebHost;
let staticDir: string;

beforeAll(async () => {
  lib = await openTestLibrary();
  staticDir = mkdtempSync(path.join(os.tmpdir(), 'verbatim-static-'));
  mkdirSync(path.join(staticDir, 'assets'));
  writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Verbatim</title>');
  writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  host = await startWebHost({ services: lib.services, staticDir, token: 'a'.repeat(64) });
});
afterAll(async () => {
  await host.close();
  await lib.dispose();
  rmSync(staticDir, { recursive: true, force: true });
});

/** A raw request, so Host and Origin can be set freely (fetch forbids that). */
function request(pathname: string, options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: host.port, path: pathname, method: options.method ?? 'GET', headers: { Host: `127.0.0.1:${host.port}`, ...options.headers } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

const bearer = () => ({ Authorization: `Bearer ${host.token}` });
const json = { 'Content-Type': 'application/json' };

describe('the web host', () => {
  it('listens on 127.0.0.1 and prints a tokened URL', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
  });

  it('trades the token in the URL for an HttpOnly, SameSite=Strict cookie', async () => {
    const res = await request(`/?token=${host.token}`);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/');
    expect(res.headers['set-cookie']?.[0]).toBe(`${TOKEN_COOKIE}=${host.token}; HttpOnly; SameSite=Strict; Path=/`);
    const page = await request('/', { headers: { Cookie: `${TOKEN_COOKIE}=${host.token}` } });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('refuses requests without the token, or with a wrong one', async () => {
    expect((await request('/')).status).toBe(401);
    expect((await request('/?token=wrong')).status).toBe(401);
    expect((await request('/api/memos.list', { method: 'POST', headers: { ...json, Authorization: 'Bearer nope' }, body: '{}' })).status).toBe(401);
  });

  it('refuses a foreign Host or Origin header (DNS rebinding, cross-site requests)', async () => {
    expect((await request('/', { headers: { ...bearer(), Host: 'evil.example:80' } })).status).toBe(403);
    expect((await request('/api/memos.list', { method: 'POST', headers: { ...bearer(), ...json, Origin: 'http://evil.example' }, body: '{}' })).status).toBe(403);
    expect((await request('/api/memos.list', { method: 'POST', headers: { ...bearer(), ...json, Origin: `http://localhost:${host.port}` }, body: '{}' })).status).toBe(200);
  });

  it('ignores other programs’ cookies, even ones that are not percent-encoded', async () => {
    const res = await request('/api/memos.list', { method: 'POST', headers: { ...json, Cookie: `session=50%off; ${TOKEN_COOKIE}=${host.token}` }, body: '{}' });
    expect(res.status).toBe(200);
    expect((await request('/', { headers: { Cookie: 'session=50%off' } })).status).toBe(401);
  });

  it('answers a path that is not valid percent-encoding with 400', async () => {
    expect((await request('/%E0%A4%A', { headers: bearer() })).status).toBe(400);
  });

  it('refuses a body that is not UTF-8 rather than guessing', async () => {
    const res = await request('/api/sources.importText', { method: 'POST', headers: { ...bearer(), ...json }, body: Buffer.from([0x7b, 0x22, 0x74, 0x65, 0x78, 0x74, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x41, 0x22, 0x7d]) }); // {"text":"\xff\xfeA"}
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'invalid_arguments' } });
  });

  it('takes API calls only by POST with JSON', async () => {
    expect((await request('/api/memos.list', { headers: bearer() })).status).toBe(405);
    expect((await request('/api/memos.list', { method: 'POST', headers: { ...bearer(), 'Content-Type': 'text/plain' }, body: '{}' })).status).toBe(415);
    expect((await request('/api/memos.list', { method: 'POST', headers: { ...bearer(), 'Content-Type': 'application/json-patch+json' }, body: '{}' })).status).toBe(415);
    expect((await request('/api/memos.list', { method: 'POST', headers: { ...bearer(), 'Content-Type': 'application/json; charset=utf-8' }, body: '{}' })).status).toBe(200);
    const ok = await request('/api/memos.list', { method: 'POST', headers: { ...bearer(), ...json }, body: '{}' });
    expect(JSON.parse(ok.body)).toEqual({ ok: true, value: [] });
    const broken = await request('/api/memos.list', { method: 'POST', headers: { ...bearer(), ...json }, body: '{not json' });
    expect(JSON.parse(broken.body)).toMatchObject({ ok: false, error: { code: 'invalid_arguments' } });
    const unknown = await request('/api/nope', { method: 'POST', headers: { ...bearer(), ...json }, body: '{}' });
    expect(JSON.parse(unknown.body)).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
  });

  it('serves only files inside the renderer folder', async () => {
    expect((await request('/assets/app.js', { headers: bearer() })).status).toBe(200);
    expect((await request('/assets/../../etc/passwd', { headers: bearer() })).status).toBe(404);
    expect((await request('/%2e%2e/%2e%2e/etc/passwd', { headers: bearer() })).status).toBe(404);
    expect((await request('/missing.js', { headers: bearer() })).status).toBe(404);
  });
});
