// Browser tests of the PWA (client/**/*.test.ts) in Debian's Chromium through playwright-core; no browser is
// downloaded. TypeScript is compiled by esbuild; PouchDB's CommonJS dependencies go through the commonjs plugin.
// The tests talk to a REAL register (embedded store, provisioning, gateway), started for the run by the
// real-register plugin and reached at the page's own origin: `/api/*` and `/db/*` are forwarded to it, and the
// TEST-ONLY `/__test__/*` control requests (accounts, reference documents) to its control port.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { fromRollup } from '@web/dev-server-rollup';
import rollupCommonjs from '@rollup/plugin-commonjs';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { realRegister } from './test/browser-server/real-register.mjs';

const commonjs = fromRollup(rollupCommonjs);
const register = realRegister();

export default {
  files: ['client/**/*.test.ts'],
  nodeResolve: { browser: true, exportConditions: ['browser', 'development'] },
  plugins: [
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' }),
    commonjs({ include: ['**/node_modules/**/*.js', '**/node_modules/**/*.cjs'], strictRequires: false }),
    register.plugin,
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
  middleware: [
    register.middleware,
    // Static files of the app (icons) are served from client/public, as Vite does.
    function publicFiles(context, next) {
      if (context.url.startsWith('/icons/')) context.url = `/client/public${context.url}`;
      return next();
    },
  ],
  // Logins run the real Argon2id (about a second each in Chromium) against the real register.
  testFramework: { config: { timeout: 20000 } },
  filterBrowserLogs: ({ args }) => !String(args[0]).includes('Lit is in dev mode'),
  concurrency: 1,
};
