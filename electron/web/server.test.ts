import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestLibrary, type TestLibrary } from '../services/testing';
import net from 'node:net';
import { MAX_BODY_BYTES, startWebHost, type WebHost } from './server';

let lib: TestLibrary;
let host: WebHost;
let staticDir: string;

beforeAll(async () => {
  lib = await openTestLibrary();
  staticDir = mkdtempSync(path.join(os.tmpdir(), 'verbatim-static-'));
  mkdirSync(path.join(staticDir, 'assets'));
  writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Verbatim</title>');
  writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(path.join(path.dirname(staticDir), 'secret.txt'), 'the library key'); // beside the static root: must never be served
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
    expect(host.bound).toEqual({ address: '127.0.0.1', family: 'IPv4', port: host.port });
  });

  it('cannot be reached on any other address of this machine', async () => {
    // Every address of this machine but 127.0.0.1 (link-local IPv6 needs a scope and is skipped).
    const others = Object.values(os.networkInterfaces()).flat().filter((i) => i && !i.address.startsWith('127.') && !i.address.startsWith('fe80') && i.address !== '::1').map((i) => i!.address);
    for (const address of ['::1', ...others]) {
      const reached = await new Promise<boolean>((resolve) => {
        const socket = net.connect({ host: address, port: host.port });
        socket.once('connect', () => (socket.destroy(), resolve(true)));
        socket.once('error', () => resolve(false));
      });
      expect(reached, address).toBe(false);
    }
  });

  it('keeps other query parameters when it strips the token from the address bar', async () => {
    const res = await request(`/index.html?memo=m1&token=${host.token}&x=%20y`);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/index.html?memo=m1&x=+y');
    expect(res.headers.location).not.toContain('token');
  });

  it('trades the token in the URL for an HttpOnly, SameSite=Strict cookie', async () => {
    const res = await request(`/?token=${host.token}`);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/');
    expect(res.headers['set-cookie']?.[0]).toBe(`verbatim_token_${host.port}=${host.token}; HttpOnly; SameSite=Strict; Path=/`);
    const page = await request('/', { headers: { Cookie: `verbatim_token_${host.port}=${host.token}` } });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('keeps a second host’s cookie apart: two libraries open in one browser both stay signed in', async () => {
    // A browser sends every 127.0.0.1 cookie to every port, so a shared cookie name would let the second host's token replace the first's.
    const second = await startWebHost({ services: lib.services, staticDir, token: 'c'.repeat(64) });
    try {
      const signIn = await new Promise<string>((resolve, reject) => {
        http.get({ host: '127.0.0.1', port: second.port, path: `/?token=${second.token}`, headers: { Host: `127.0.0.1:${second.port}` } }, (res) => {
          res.resume();
          resolve(res.headers['set-cookie']?.[0] ?? '');
        }).on('error', reject);
      });
      expect(signIn.startsWith(`verbatim_token_${second.port}=${second.token};`)).toBe(true);
      // What the browser now sends to the first host: both cookies.
      const both = { Cookie: `verbatim_token_${host.port}=${host.token}; verbatim_token_${second.port}=${second.token}` };
      expect((await request('/api/memos.list', { method: 'POST', headers: { ...json, ...both }, body: '{}' })).status).toBe(200);
      // The second host's cookie alone does not open the first host.
      expect((await request('/api/memos.list', { method: 'POST', headers: { ...json, Cookie: `verbatim_token_${second.port}=${second.token}` }, body: '{}' })).status).toBe(401);
    } finally {
      await second.close();
    }
  });

  it('refuses requests without the token, or with a wrong one', async () => {
    const refused = await request('/');
    expect(refused.status).toBe(401);
    expect(refused.body).toContain('open the URL with ?token=… that the web host printed (npm run web or npm run cli -- serve)');
    expect((await request('/?token=wrong')).status).toBe(401);
    expect((await request('/?token=')).status).toBe(401);
    expect((await request(`/?token=${host.token}x`)).status).toBe(401);
    expect((await request('/api/memos.list', { method: 'POST', headers: { ...json, Authorization: 'Bearer nope' }, body: '{}' })).status).toBe(401);
    expect((await request('/api/memos.list', { method: 'POST', headers: json, body: '{}' })).status).toBe(401);
    expect((await request('/api/memos.list', { method: 'POST', headers: { ...json, Cookie: `verbatim_token_${host.port}=${'b'.repeat(64)}` }, body: '{}' })).status).toBe(401);
  });

  it('needs the token for static files as well as the API; the cookie serves both', async () => {
    expect((await request('/assets/app.js')).status).toBe(401);
    expect((await request('/index.html')).status).toBe(401);
    const cookie = { Cookie: `verbatim_token_${host.port}=${host.token}` };
    const script = await request('/assets/app.js', { headers: cookie });
    expect(script.status).toBe(200);
    expect(script.body).toBe('console.log(1)');
    expect((await request('/api/memos.list', { method: 'POST', headers: { ...json, ...cookie }, body: '{}' })).status).toBe(200);
  });

  it('does not take the token from the query string for the API', async () => {
    expect((await request(`/api/memos.list?token=${host.token}`, { method: 'POST', headers: json, body: '{}' })).status).toBe(401);
  });

  it.each(['evil.com', 'evil.com:PORT', '127.0.0.1.evil.com', '127.0.0.1.evil.com:PORT', 'localhost.evil.com:PORT', '127.0.0.1:1', '127.0.0.1', 'localhost', '[::1]:PORT', '0.0.0.0:PORT'])(
    'refuses Host %j with 403 (DNS rebinding), even with the token',
    async (hostHeader) => {
      const res = await request('/api/memos.list', { method: 'POST', headers: { ...bearer(), ...json, Host: hostHeader.replace('PORT', String(host.port)) }, body: '{}' });
      expect(res.status).toBe(403);
      expect((await request('/', { headers: { ...bearer(), Host: hostHeader.replace('PORT', String(host.port)) } })).status).toBe(403);
    },
  );

  it.each(['null', 'http://evil.example', 'http://127.0.0.1.evil.com:PORT', 'https://127.0.0.1:PORT', 'http://127.0.0.1:1', 'file://', 'chrome-extension://abc'])(
    'refuses Origin %j with 403, even with the token',
    async (origin) => {
      const res = await request('/api/memos.list', { method: 'POST', headers: { ...bearer(), ...json, Origin: origin.replace('PORT', String(host.port)) }, body: '{}' });
      expect(res.status).toBe(403);
    },
  );

  it('accepts its own Host and Origin by name or address', async () => {
    for (const name of ['127.0.0.1', 'localhost']) {
      const res = await request('/api/memos.list', { method: 'POST', headers: { ...bearer(), ...json, Host: `${name}:${host.port}`, Origin: `http://${name}:${host.port}` }, body: '{}' });
      expect(res.status, name).toBe(200);
    }
  });

  it.each(['GET', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'])('answers %s on /api with 405 and Allow: POST', async (method) => {
    const res = await request('/api/memos.create', { method, headers: { ...bearer(), ...json } });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('POST');
  });

  it.each(['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx', null])(
    'refuses Content-Type %j with 415 (CSRF simple requests) and changes nothing',
    async (type) => {
      const headers: Record<string, string> = { ...bearer() };
      if (type) headers['Content-Type'] = type;
      const res = await request('/api/memos.create', { method: 'POST', headers, body: JSON.stringify({ title: 'Forged' }) });
      expect(res.status).toBe(415);
      const list = await request('/api/memos.list', { method: 'POST', headers: { ...bearer(), ...json }, body: '{}' });
      expect(JSON.parse(list.body)).toEqual({ ok: true, value: [] });
    },
  );

  it('refuses a body over the limit with 413, declared or streamed', async () => {
    const declared = await request('/api/memos.list', { method: 'POST', headers: { ...bearer(), ...json, 'Content-Length': String(MAX_BODY_BYTES + 1) }, body: '{}' });
    expect(declared.status).toBe(413);
    const small = await startWebHost({ services: lib.services, staticDir, token: host.token, maxBodyBytes: 1024 });
    try {
      const streamed = await new Promise<number>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port: small.port, path: '/api/sources.importText', method: 'POST', headers: { Host: `127.0.0.1:${small.port}`, ...bearer(), ...json } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.write(JSON.stringify({ text: 'x'.repeat(2048) })); // chunked: no Content-Length
        req.end();
      });
      expect(streamed).toBe(413);
      const fits = await new Promise<number>((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port: small.port, path: '/api/memos.list', method: 'POST', headers: { Host: `127.0.0.1:${small.port}`, ...bearer(), ...json } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end('{}');
      });
      expect(fits).toBe(200);
    } finally {
      await small.close();
    }
  });

  it('refuses a foreign Host or Origin header (DNS rebinding, cross-site requests)', async () => {
    expect((await request('/', { headers: { ...bearer(), Host: 'evil.example:80' } })).status).toBe(403);
    expect((await request('/api/memos.list', { method: 'POST', headers: { ...bearer(), ...json, Origin: 'http://evil.example' }, body: '{}' })).status).toBe(403);
    expect((await request('/api/memos.list', { method: 'POST', headers: { ...bearer(), ...json, Origin: `http://localhost:${host.port}` }, body: '{}' })).status).toBe(200);
  });

  it('ignores other programs’ cookies, even ones that are not percent-encoded', async () => {
    const res = await request('/api/memos.list', { method: 'POST', headers: { ...json, Cookie: `session=50%off; verbatim_token_${host.port}=${host.token}` }, body: '{}' });
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
    for (const hostile of ['/..%2f..%2f..%2fetc%2fpasswd', '/assets/..%2f..%2fsecret.txt', '/..%5c..%5csecret.txt', '/assets%5c..%5c..%5csecret.txt', '/%2fetc%2fpasswd', '//etc/passwd', '/index.html%00.js', '/assets/%2e%2e/%2e%2e/secret.txt']) {
      const res = await request(hostile, { headers: bearer() });
      expect(res.status, hostile).toBe(404);
      expect(res.body, hostile).not.toContain('library key');
    }
    expect((await request('/missing.js', { headers: bearer() })).status).toBe(404);
  });
});
