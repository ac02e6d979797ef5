/**
 * What the pages showed when an end-to-end step failed, for whoever reads the test output: after each failed test
 * a full-page screenshot of every page named, as `test-results/<name>.png`. The pages are asked for at that moment
 * (they are made in `beforeAll`); a page not made yet, or one that cannot be captured any more, is left out.
 */
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach } from 'vitest';

export function screenshotsOnFailure(pages: () => Record<string, Page | undefined>): void {
  afterEach(async (test) => {
    if (test.task.result?.state !== 'fail') return;
    for (const [name, page] of Object.entries(pages()))
      await page?.screenshot({ path: resolve('test-results', `${name}.png`), fullPage: true }).catch(() => undefined);
  });
}
