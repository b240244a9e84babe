import { defineConfig } from 'vite';

// The build output is committed (internal/web/dist) and CI rebuilds it and
// compares, so nothing in it may depend on time or machine: content-hashed
// names, no source maps, no build stamps.
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: '../internal/web/dist',
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:5212', '/s/': 'http://127.0.0.1:5212' } },
});
