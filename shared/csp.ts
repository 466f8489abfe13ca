/**
 * The renderer's Content-Security-Policy: only the app's own scripts and styles, no
 * inline script, nothing remote, no plugins, no framing. The web host sends it as a
 * header; the production build also carries it as a <meta> tag for Electron's file:// load.
 * (Electron security checklist, item 7: https://www.electronjs.org/docs/latest/tutorial/security#7-define-a-content-security-policy)
 */
export const RENDERER_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";
