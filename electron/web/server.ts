/**
 * The web host: a local HTTP server that serves the built renderer and answers the
 * same contract as Electron's IPC, for browsers and scripts on this machine.
 *
 * HTTP API (also in the README):
 * - `POST /api/<method>` with a JSON body holding the method's arguments; the answer is
 *   `{ ok: true, value }` or `{ ok: false, error: { code, message } }` (HTTP 200 either way).
 * - Authentication, as Jupyter does it: open `/?token=<token>` once and the server
 *   sets an HttpOnly, SameSite=Strict cookie; scripts may send `Authorization: Bearer <token>`.
 * - Refusals: 401 without the token, 403 when Host or Origin is not this server
 *   (DNS rebinding), 405 for anything but POST on /api, 415 for a body that is not JSON,
 *   413 for a body over the limit.
 * It listens on 127.0.0.1 only.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { RENDERER_CSP, STATIC_CONTENT_TYPES } from '../../shared/csp';
import type { Services } from '../services/services';

/**
 * Name of the cookie that carries the token after the first tokened URL, for the host on
 * `port`. Cookies do not separate ports (RFC 6265 §8.5): every server on 127.0.0.1 sees
 * every cookie set there, so two web hosts (two libraries) open in one browser would
 * overwrite each other's token if the name were the same.
 */
export function tokenCookieName(port: number): string {
  return `verbatim_token_${port}`;
}

/**
 * Largest request body, in bytes: room for a maximal paste (10 M characters of up to
 * 3 UTF-8 bytes, some JSON-escaped) as well as a maximal import in base64.
 */
export const MAX_BODY_BYTES = 48 * 1024 * 1024;

/** What {@link startWebHost} needs. */
export interface WebHostOptions {
  services: Services;
  /** The built renderer (electron-vite's `out/renderer`). */
  staticDir: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** A fixed token (tests); by default 32 random bytes, hex. */
  token?: string;
  /** Largest request body in bytes (tests use a small one); default {@link MAX_BODY_BYTES}. */
  maxBodyBytes?: number;
}

/** A running web host. `url` includes the token. */
export interface WebHost {
  url: string;
  origin: string;
  token: string;
  port: number;
  /** The address the socket is bound to, as the OS reports it (always 127.0.0.1, IPv4). */
  bound: AddressInfo;
  close(): Promise<void>;
}

/**
 * Cookies by name. Cookies are shared by every server on 127.0.0.1, so other programs'
 * cookies arrive here too: a value that is not valid percent-encoding is kept as it is
 * rather than failing the request.
 */
function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i <= 0) continue;
    const raw = part.slice(i + 1).trim();
    let value = raw;
    try {
      value = decodeURIComponent(raw);
    } catch {
      value = raw; // not percent-encoded: someone else's cookie; compared as it is
    }
    out.set(part.slice(0, i).trim(), value);
  }
  return out;
}

function sameSecret(a: string | undefined | null, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function send(res: http.ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8', headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...headers });
  res.end(body);
}

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | 'too_large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? 'too_large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * Start the web host on 127.0.0.1.
 * @throws Error when the port cannot be bound.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(32).toString('hex');
  const staticRoot = path.resolve(options.staticDir);
  const maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  let port = 0;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!allowedHosts().has((req.headers.host ?? '').toLowerCase())) {
      send(res, 403, 'Forbidden: this server answers only to 127.0.0.1 and localhost.');
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedHosts().has(origin.replace(/^http:\/\//, '').toLowerCase())) {
      send(res, 403, 'Forbidden: cross-origin requests are refused.');
      return;
    }
    const queryToken = url.searchParams.get('token');
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]; // auth schemes are case-insensitive (RFC 9110, 11.1)
    const cookieToken = parseCookies(req.headers.cookie).get(tokenCookieName(port));
    if (req.method === 'GET' && sameSecret(queryToken, token)) {
      // First visit with the token: keep it in a cookie and drop it from the address bar.
      url.searchParams.delete('token');
      send(res, 302, 'Found', 'text/plain; charset=utf-8', {
        'Set-Cookie': `${tokenCookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: `${url.pathname}${url.search}`,
      });
      return;
    }
    if (!sameSecret(bearer, token) && !sameSecret(cookieToken, token)) {
      send(res, 401, 'Unauthorized: open the URL with ?token=… that the web host printed (npm run web or npm run cli -- serve), or send Authorization: Bearer <token>.');
      return;
    }

    if (url.pathname.startsWith('/api/')) {
      if (req.method !== 'POST') {
        send(res, 405, 'Method Not Allowed: call the API with POST and a JSON body.', 'text/plain; charset=utf-8', { Allow: 'POST' });
        return;
      }
      if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) {
        send(res, 415, 'Unsupported Media Type: send Content-Type: application/json.');
        return;
      }
      const declared = Number(req.headers['content-length'] ?? 0);
      const body = declared > maxBodyBytes ? 'too_large' : await readBody(req, maxBodyBytes);
      if (body === 'too_large') {
        // Refused before (or while) reading: close the connection rather than drain the rest.
        send(res, 413, `Payload Too Large: the limit is ${maxBodyBytes} bytes.`, 'text/plain; charset=utf-8', { Connection: 'close' });
        return;
      }
      let args: unknown;
      try {
        args = body.length === 0 ? {} : JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
      } catch (error) {
        send(res, 200, JSON.stringify({ ok: false, error: { code: 'invalid_arguments', message: `The request body is not valid JSON in UTF-8: ${(error as Error).message}` } }), 'application/json');
        return;
      }
      const method = url.pathname.slice('/api/'.length); // method names are plain ASCII; no decoding
      const result = await options.services.dispatch(method, args);
      send(res, 200, JSON.stringify(result), 'application/json');
      return;
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, 'Method Not Allowed', 'text/plain; charset=utf-8', { Allow: 'GET, HEAD' });
      return;
    }
    let rel: string;
    try {
      rel = decodeURIComponent(url.pathname);
    } catch {
      send(res, 400, 'Bad Request: the path is not valid percent-encoding.');
      return;
    }
    if (rel === '/' || rel === '') rel = '/index.html';
    const file = path.resolve(staticRoot, `.${rel}`);
    if (!file.startsWith(staticRoot + path.sep) || !existsSync(file) || !statSync(file).isFile()) {
      send(res, 404, 'Not Found');
      return;
    }
    const ext = path.extname(file).toLowerCase();
    res.writeHead(200, {
      'Content-Type': STATIC_CONTENT_TYPES[ext] ?? 'application/octet-stream',
      'Cache-Control': 'no-cache',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      ...(ext === '.html' ? { 'Content-Security-Policy': RENDERER_CSP, 'X-Frame-Options': 'DENY' } : {}),
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error('web host: request failed', error);
      if (!res.headersSent) send(res, 500, `Internal Server Error: ${(error as Error).message}`);
      else res.destroy(error as Error);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const bound = server.address() as AddressInfo;
  port = bound.port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    port,
    bound,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
