import { defineConfig } from 'vitest/config';

/**
 * Three vitest projects: `unit` (pure modules and design-doc functions in a vm sandbox), `int` (the real register
 * with its embedded store, started by the test) and `e2e` (the built PWA in Debian's Chromium via playwright-core).
 * Browser component tests run in @web/test-runner (web-test-runner.config.mjs).
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{common,server,couch,design-docs,test,scripts,bench}/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/*.e2e.test.ts', '**/node_modules/**'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'int',
          include: ['**/*.int.test.ts'],
          exclude: ['**/node_modules/**'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
