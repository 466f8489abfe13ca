/**
 * The renderer's Content-Security-Policy: only the app's own scripts and styles, no
 * inline script, nothing remote, no plugins, no framing. Both hosts send it as a header
 * (the web host on its HTML, Electron's `verbatim://` protocol on every response); the
 * production build also carries it as a <meta> tag, so the policy holds wherever the page is opened.
 * (Electron security checklist, item 7: https://www.electronjs.org/docs/latest/tutorial/security#7-define-a-content-security-policy)
 */
/** The same policy for a <meta> tag, which cannot carry frame-ancestors (browsers ignore it there and warn). */
export const RENDERER_CSP_META = () => RENDERER_CSP.replace(/; frame-ancestors [^;]*/, '');

export const RENDERER_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

/**
 * Content types of the built renderer's files by lower-case extension (with the dot), for
 * the two hosts that serve them (the web host and Electron's `verbatim://` protocol); an
 * unknown extension is served as application/octet-stream, with `nosniff`.
 */
export const STATIC_CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
};
