// Browser tests of the PWA (client/**/*.test.ts) in Debian's Chromium through playwright-core; no browser is
// downloaded. TypeScript is compiled by esbuild; PouchDB's CommonJS dependencies go through the commonjs plugin.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { fromRollup } from '@web/dev-server-rollup';
import rollupCommonjs from '@rollup/plugin-commonjs';
import { playwrightLauncher } from '@web/test-runner-playwright';

const commonjs = fromRollup(rollupCommonjs);

export default {
  files: ['client/**/*.test.ts'],
  nodeResolve: { browser: true, exportConditions: ['browser', 'development'] },
  plugins: [
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' }),
    commonjs({ include: ['**/node_modules/**/*.js', '**/node_modules/**/*.cjs'], strictRequires: false }),
  ],
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: {
        executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--disable-quic',
          '--no-first-run',
        ],
      },
    }),
  ],
  // Static files of the app (icons) are served from client/public, as Vite does.
  middleware: [
    function publicFiles(context, next) {
      if (context.url.startsWith('/icons/')) context.url = `/client/public${context.url}`;
      return next();
    },
  ],
  testFramework: { config: { timeout: 10000 } },
  filterBrowserLogs: ({ args }) => !String(args[0]).includes('Lit is in dev mode'),
  concurrency: 1,
};
