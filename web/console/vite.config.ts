import { defineConfig, type ProxyOptions } from 'vite';
import preact from '@preact/preset-vite';
import { gqlInline } from './gql-plugin';

// Dev only: the dev server forwards API calls to a running Loupe. With LOUPE_DEV_TOKEN set
// it adds that bearer token, so pages can be built before sessions exist. The built console
// never carries a token: it relies on the session cookie.
const target = process.env.LOUPE_URL ?? 'http://127.0.0.1:8080';
const token = process.env.LOUPE_DEV_TOKEN;
const api: ProxyOptions = {
  target,
  changeOrigin: true,
  headers: token ? { Authorization: `Bearer ${token}` } : {},
};
const proxy = { '/graphql': api, '/v1': api };

export default defineConfig({
  base: '/',
  plugins: [
    // Each graphql(`…`) call becomes its document's text, so a page chunk carries only its own.
    gqlInline(),
    preact({ prerender: { enabled: false } }),
  ],
  server: { proxy },
  preview: { proxy },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // No polyfill: every browser the console supports has modulepreload.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    reportCompressedSize: false,
    rollupOptions: {
      output: {
        entryFileNames: 'assets/[name]-[hash].js',
        // A page chunk is named after its folder (and file): pages-sites-settings-[hash].js.
        chunkFileNames: (chunk) => {
          const m = /\/src\/pages\/([^/]+)\/([^/]+)\.tsx?$/.exec(chunk.facadeModuleId ?? '');
          if (!m) return 'assets/[name]-[hash].js';
          return `assets/page-${m[1]}${m[2] === 'index' ? '' : '-' + m[2]}-[hash].js`;
        },
        assetFileNames: 'assets/[name]-[hash][extname]',
      },
    },
  },
});
