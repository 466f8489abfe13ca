/**
 * electron-vite build for this layout: main `electron/main/index.ts`, preload
 * `electron/preload/index.ts` (CommonJS: a sandboxed preload cannot load ESM),
 * renderer root `renderer/`. The import worker (electron/services/importWorker.ts) is a
 * second main input, emitted as out/main/importWorker.js beside the bundle, where
 * importPool.ts looks for it (not `?modulePath`: tsx and vitest run the services from
 * source and could not load that import). Dependencies of main stay external (node_modules);
 * the preload bundles everything it imports (only `shared/methods.ts`).
 */
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { RENDERER_CSP_META } from './shared/csp';

/** Adds the renderer's CSP as a <meta> tag to the production build (the dev server needs inline scripts). */
function cspMetaTag(): Plugin {
  return {
    name: 'verbatim-csp-meta',
    apply: 'build',
    transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: RENDERER_CSP_META() }, injectTo: 'head-prepend' }],
  };
}

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rolldownOptions: {
        input: { index: resolve(__dirname, 'electron/main/index.ts'), importWorker: resolve(__dirname, 'electron/services/importWorker.ts') },
        output: { entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' }, // chunks beside index.js: importPool.ts finds importWorker.js in its own folder
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rolldownOptions: {
        input: { index: resolve(__dirname, 'electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].js' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    plugins: [react(), cspMetaTag()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      emptyOutDir: true,
      rolldownOptions: { input: { index: resolve(__dirname, 'renderer/index.html') } },
    },
  },
});
