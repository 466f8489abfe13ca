/**
 * The renderer's Content-Security-Policy: only the app's own scripts and styles, no
 * inline script, nothing remote, no plugins, no framing. The web host sends it as a
 * header; the production build also carries it as a <meta> tag for Electron's file:// load.
 * (Electron security checklist, item 7: https://www.electronjs.org/docs/latest/tutorial/security#7-define-a-content-security-policy)
 */
/** The same policy for a <meta> tag, which cannot carry frame-ancestors (browsers ignore it there and warn). */
export const RENDERER_CSP_META = () => RENDERER_CSP.replace(/; frame-ancestors [^;]*/, '');

export const RENDERER_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";
