/**
 * The benchmark page (bench/browser/page): a separate build that imports the app's real modules — the records
 * layer, facility sync, PouchDB on IndexedDB, the login derivation and the key library — so that `npm run bench`
 * measures them in Chromium without giving the app itself any hook. Served by the register under `/bench/`, the
 * same origin as `/db`, like the app.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('./page', import.meta.url)),
  base: '/bench/',
  logLevel: 'warn',
  build: { target: 'es2022', emptyOutDir: true, chunkSizeWarningLimit: 4000 },
});
