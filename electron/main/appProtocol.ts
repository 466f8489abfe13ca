/**
 * The app's own URL scheme, `verbatim://app/…`, which serves the built renderer
 * (out/renderer) to Electron's window instead of file:// (Electron security checklist,
 * item 18: https://www.electronjs.org/docs/latest/tutorial/security#18-avoid-usage-of-the-file-protocol-and-prefer-usage-of-custom-protocols).
 *
 * This module is pure Node (no 'electron' import), so it is tested directly:
 * `resolveAppRequest` maps a request URL to a file under the renderer folder or a refusal,
 * and `createAppProtocolHandler` turns that into a fetch `Response` for `protocol.handle`.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { RENDERER_CSP, STATIC_CONTENT_TYPES } from '../../shared/csp';

/** The scheme the renderer is served on (no colon). */
export const APP_SCHEME = 'verbatim';
/** The only host the scheme answers for. */
export const APP_HOST = 'app';
/** The renderer's origin: the only origin whose main frame may call IPC (see `isTrustedSender`). */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The renderer's entry page. */
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * The privileges the scheme is registered with (`protocol.registerSchemesAsPrivileged`,
 * before the app is ready): a standard URL (origins, relative URLs), a secure context,
 * and fetch(). Deliberately NOT `bypassCSP`, `corsEnabled`, `allowServiceWorkers` or `stream`:
 * the renderer's CSP must apply, and nothing else needs more.
 */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
} as const;

/** A file to serve, or why the request is refused (`status` is the HTTP status). */
export type AppRequestResolution = { file: string } | { status: 400 | 403 | 404; reason: string };

/**
 * Map a request URL on the app scheme to a file under `root` (absolute path of out/renderer).
 * Refuses (never throws): another scheme or host (403), a user name, password or port (403),
 * a path that is not valid percent-encoding (400), and any path that could leave `root` or
 * name something odd (404, so the refusal reveals nothing): `.` or `..` segments, literal or
 * percent-encoded (`%2e%2e`), backslashes (literal or `%5c`), NUL or other control
 * characters, empty segments (`//etc`), and segments with a colon (`C:`). `/` is index.html.
 * The query and fragment are ignored.
 */
export function resolveAppRequest(requestUrl: string, root: string): AppRequestResolution {
  if (/[\u0000-\u001f\u007f\\]/.test(requestUrl)) return { status: 404, reason: 'control character or backslash in the URL' };
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { status: 400, reason: 'not a URL' };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.hostname !== APP_HOST) return { status: 403, reason: `not ${APP_ORIGIN}` };
  if (url.port || url.username || url.password) return { status: 403, reason: `not ${APP_ORIGIN}` };
  // The URL parser already folds `/a/../b`; look at what was sent, so traversal is refused rather than silently rewritten.
  const rawPath = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([^?#]*)/i.exec(requestUrl)?.[1] ?? '';
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { status: 400, reason: 'the path is not valid percent-encoding' };
  }
  if (decoded === '' || decoded === '/') decoded = '/index.html';
  if (!decoded.startsWith('/')) return { status: 404, reason: 'not an absolute path' };
  const segments = decoded.slice(1).split('/');
  for (const segment of segments) {
    if (segment === '' || segment === '.' || segment === '..') return { status: 404, reason: 'empty, . or .. segment' };
    if (/[\u0000-\u001f\u007f\\:]/.test(segment)) return { status: 404, reason: 'control character, backslash or colon in a segment' };
  }
  const base = path.resolve(root);
  const file = path.resolve(base, ...segments);
  const relative = path.relative(base, file);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return { status: 404, reason: 'outside the renderer folder' };
  return { file };
}

/** The Content-Type for a served file, by extension (`application/octet-stream` when unknown). */
export function appContentType(file: string): string {
  return STATIC_CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Headers every response of the app scheme carries, refusals included: the renderer's CSP first. */
export const APP_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': RENDERER_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
};

/**
 * The handler for `protocol.handle(APP_SCHEME, …)`: serves files under `root` with their
 * content type and {@link APP_RESPONSE_HEADERS}; refusals and missing files get a plain-text
 * status (403/400/404) with the same headers; a read error other than "not found" is a 500
 * and is logged. Only GET and HEAD (405 otherwise). `read` is injectable for tests.
 */
export function createAppProtocolHandler(root: string, read: (file: string) => Promise<Uint8Array> = readFile): (request: Request) => Promise<Response> {
  const refuse = (status: number, text: string, extra: Record<string, string> = {}) =>
    new Response(text, { status, headers: { ...APP_RESPONSE_HEADERS, 'Content-Type': 'text/plain; charset=utf-8', ...extra } });
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'Method Not Allowed', { Allow: 'GET, HEAD' });
    const resolved = resolveAppRequest(request.url, root);
    if ('status' in resolved) return refuse(resolved.status, resolved.status === 404 ? 'Not Found' : resolved.status === 400 ? 'Bad Request' : 'Forbidden');
    let bytes: Uint8Array;
    try {
      bytes = await read(resolved.file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return refuse(404, 'Not Found');
      console.error('verbatim:// could not read', resolved.file, error);
      return refuse(500, 'Internal Server Error');
    }
    const headers = { ...APP_RESPONSE_HEADERS, 'Content-Type': appContentType(resolved.file) };
    return new Response(request.method === 'HEAD' ? null : (bytes as BodyInit), { status: 200, headers });
  };
}
