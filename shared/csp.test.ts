/**
 * The renderer's Content-Security-Policy (Electron checklist item 7): the policy itself,
 * its <meta> form, and that the production build injects that <meta> tag (the plugin in
 * electron.vite.config.ts). The header on every verbatim:// response is asserted in
 * electron/main/appProtocol.test.ts, the web host's in electron/web/server.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { RENDERER_CSP, RENDERER_CSP_META } from './csp';

/** Directive name -> its sources. */
function directives(policy: string): Map<string, string[]> {
  return new Map(policy.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...sources]) => [name!, sources]));
}

describe('RENDERER_CSP', () => {
  const csp = directives(RENDERER_CSP);
  it('runs only the app’s own scripts: no inline, no eval, nothing remote', () => {
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('default-src')).toEqual(["'self'"]);
    for (const sources of csp.values()) {
      expect(sources).not.toContain("'unsafe-eval'");
      expect(sources.filter((s) => /^(https?:|\*|wss?:|ws:)/.test(s))).toEqual([]);
    }
    expect(csp.get('script-src')).not.toContain("'unsafe-inline'");
  });
  it('connects only to its own origin, no plugins, no <base>, no forms, no framing', () => {
    expect(csp.get('connect-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
  });
  it('has a <meta> form equal but for frame-ancestors, which browsers ignore in <meta>', () => {
    const meta = directives(RENDERER_CSP_META());
    expect(meta.has('frame-ancestors')).toBe(false);
    expect(new Map([...csp].filter(([name]) => name !== 'frame-ancestors'))).toEqual(meta);
  });
});

describe('the production build', () => {
  it('injects the policy as the first <meta> of the renderer’s <head>', async () => {
    const config = (await import('../electron.vite.config')).default as { renderer: { plugins: unknown[] } };
    const plugin = config.renderer.plugins.flat().find((p) => (p as { name?: string })?.name === 'verbatim-csp-meta') as { apply: string; transformIndexHtml: () => unknown };
    expect(plugin.apply).toBe('build');
    expect(plugin.transformIndexHtml()).toEqual([{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: RENDERER_CSP_META() }, injectTo: 'head-prepend' }]);
  });
});
