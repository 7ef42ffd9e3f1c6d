/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The API binary serves dist/ at `/` (SPA fallback to index.html) and the API under /api;
// in development the Vite server proxies /api to a locally running API.
const apiTarget = process.env.API_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    proxy: { '/api': { target: apiTarget, changeOrigin: false } },
  },
  preview: {
    proxy: { '/api': { target: apiTarget, changeOrigin: false } },
  },
  build: {
    outDir: 'dist',
    sourcemap: true,
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
});
