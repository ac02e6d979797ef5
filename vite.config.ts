/**
 * Builds the PWA from client/ into dist/ (served by the Express server), with a precaching service worker
 * (client/sw.ts, injectManifest) and the web app manifest. `npm run dev` proxies /api and /db to a register
 * running on port 8080 (`npm run serve`).
 */
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const REGISTER = 'http://127.0.0.1:8080';

export default defineConfig({
  root: 'client',
  publicDir: 'public',
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    target: 'es2022',
    // The largest chunk is zxcvbn's dictionary, loaded only on the password-change page.
    chunkSizeWarningLimit: 1300,
    rolldownOptions: {
      output: {
        // zxcvbn and its dictionaries (≈ 850 kB gzipped) are needed only to choose a password, which needs the
        // server anyway: a recognisable name lets the service worker leave them out of the offline precache.
        chunkFileNames: (chunk) =>
          chunk.moduleIds.some((id) => id.includes('@zxcvbn-ts'))
            ? 'assets/zxcvbn-[hash].js'
            : 'assets/[name]-[hash].js',
      },
    },
  },
  server: {
    // Prefix match: no source folder under client/ may be called "api" or "db".
    proxy: {
      '/api': { target: REGISTER },
      '/db': { target: REGISTER },
    },
  },
  plugins: [
    VitePWA({
      strategies: 'injectManifest',
      // Relative to the Vite root (client/): the service worker source is client/sw.ts.
      srcDir: '.',
      filename: 'sw.ts',
      injectRegister: false,
      registerType: 'prompt',
      manifest: {
        name: 'Регистр паллиативных пациентов',
        short_name: 'Паллиатив',
        description: 'Регистр паллиативных пациентов: учёт, визиты, назначения и отчёты, в том числе без сети.',
        lang: 'ru',
        dir: 'ltr',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        theme_color: '#0b5c63',
        background_color: '#f2f5f5',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      injectManifest: {
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
        // pdfmake and its fonts (~1.8 MB) are for the administrator's printouts, which need the server anyway:
        // fetched when printing, not precached on every nurse's tablet.
        globIgnores: ['**/zxcvbn-*.js', '**/pdfmake-*.js', '**/vfs_fonts-*.js'],
      },
      devOptions: { enabled: false },
    }),
  ],
});
