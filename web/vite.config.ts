/// <reference types="vitest/config" />
import purgeCss from '@fullhuman/postcss-purgecss';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'postcss';
import { readFileSync } from 'node:fs';
import { defineConfig, type Plugin as VitePlugin } from 'vite';
import { CORE_KEYS, pickMessages } from './src/i18n/core';

// The API binary serves dist/ at `/` (SPA fallback to index.html) and the API under /api;
// in development the Vite server proxies /api to a locally running API.
const apiTarget = process.env.API_URL ?? 'http://127.0.0.1:8080';

// Bootstrap Italia's stylesheet is ~580 kB, of which the app uses a small part: the build keeps
// only the rules whose selectors appear in our sources, in the design-react-kit components we
// import (and the reactstrap ones they wrap), or in the safelist (classes built at run time:
// `bg-${color}`, `btn-${color}`, states toggled by components, the keyboard focus ring that
// design-react-kit's focus tracking sets, and the keyboard focus ring of every element,
// `:focus:not([data-focus-mouse=true])`, which has no class to find). Our own CSS is left whole.
const kit = 'node_modules/design-react-kit';
const usedKit = ['Alert', 'Button', 'Icon', 'Modal', 'Spinner'];
const purgeBootstrapItalia = (): Plugin => {
  const purge = purgeCss({
    content: [
      'index.html',
      'src/**/*.{ts,tsx}',
      `${kit}/dist/*.js`,
      ...usedKit.map((c) => `${kit}/dist/${c}/*.js`),
      `${kit}/node_modules/reactstrap/esm/{Alert,Button,Fade,Modal,ModalBody,ModalFooter,ModalHeader,Spinner,Portal,utils}.js`,
    ],
    safelist: {
      standard: [/^bg-/, /^text-/, /^btn/, /^alert/, /^icon/, /^modal/, /^spinner/, /^badge/, /^progress/,
        /^border/, 'show', 'fade', 'collapsing', 'collapse', 'active', 'disabled', 'expanded',
        /^focus--/, /^:focus$/, 'visually-hidden', 'visually-hidden-focusable', 'sr-only'],
    },
  }) as Plugin & { OnceExit: NonNullable<Plugin['OnceExit']> };
  return {
    postcssPlugin: 'purge-bootstrap-italia',
    OnceExit(root, helpers) {
      if (root.source?.input.file?.includes('bootstrap-italia')) return purge.OnceExit(root, helpers);
    },
  };
};

// React's API from Preact (preact/compat): the same components, a tenth of react-dom's bytes.
const preactCompat = [
  { find: /^react-dom\/test-utils$/, replacement: 'preact/test-utils' },
  { find: /^react-dom\/client$/, replacement: 'preact/compat/client' },
  { find: /^react-dom$/, replacement: 'preact/compat' },
  { find: /^react\/jsx-runtime$/, replacement: 'preact/jsx-runtime' },
  { find: /^react\/jsx-dev-runtime$/, replacement: 'preact/jsx-dev-runtime' },
  { find: /^react$/, replacement: 'preact/compat' },
];

// The Italian messages of the first load (src/i18n/core.ts): `virtual:i18n-core` is the part of
// it.json the sign-in page and the layout use; the rest is a chunk fetched with the first page.
// Unit tests get the whole file (they render pages without `page()`).
const i18nCore = (whole: boolean): VitePlugin => {
  const id = 'virtual:i18n-core';
  const file = fileURLToPath(new URL('./src/i18n/it.json', import.meta.url));
  return {
    name: 'i18n-core',
    resolveId: (source) => (source === id ? `\0${id}` : null),
    load(resolved) {
      if (resolved !== `\0${id}`) return null;
      this.addWatchFile(file);
      const messages = JSON.parse(readFileSync(file, 'utf8'));
      return `export default ${JSON.stringify(whole ? messages : pickMessages(messages, CORE_KEYS))};`;
    },
  };
};

export default defineConfig(({ command, mode }) => ({
  plugins: [react(), i18nCore(mode === 'test')],
  // Unit tests (Vitest, jsdom) render with React itself; the build, the dev server and so the
  // end-to-end tests in Chromium run Preact.
  resolve: { alias: mode === 'test' ? [] : preactCompat },
  css: { postcss: { plugins: command === 'build' ? [purgeBootstrapItalia()] : [] } },
  server: {
    port: 5173,
    proxy: { '/api': { target: apiTarget, changeOrigin: false } },
  },
  preview: {
    proxy: { '/api': { target: apiTarget, changeOrigin: false } },
  },
  build: {
    outDir: 'dist',
    // No source maps in what is served: they would hand out the whole source, comments included.
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
  },
  test: {
    // design-react-kit's package.json exports only non-standard "module"/"main" conditions,
    // which Node-side resolution (Vitest) does not know: point it at the ESM build.
    alias: [
      {
        find: /^design-react-kit$/,
        replacement: fileURLToPath(new URL('./node_modules/design-react-kit/dist/index.js', import.meta.url)),
      },
    ],
    server: { deps: { inline: ['design-react-kit'] } },
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
    // Above the 5 s wait of findBy/waitFor (src/test/setup.ts), so a slow wait fails as itself.
    testTimeout: 20000,
  },
}));
