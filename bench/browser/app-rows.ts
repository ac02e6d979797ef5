/**
 * The rows about the app itself rather than a facility's data: the JavaScript the login page needs (gzipped), an
 * offline start from the service worker's precache, and the cryptography of an unlock.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { median, row, type BenchRow } from '../table.ts';
import { RUNS, TABLET, benchPage, call, throttled } from './page-driver.ts';

/** JavaScript the login page loads, gzipped, and the time from an offline start to a usable login page. */
export async function appRows(
  browser: Browser,
  url: string,
  distDir: string,
  log: (line: string) => void,
): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const context = await browser.newContext();
  const page = await context.newPage();
  const scripts = new Set<string>();
  page.on('response', (response) => {
    const path = new URL(response.url()).pathname;
    if (path.endsWith('.js') && !path.endsWith('/sw.js')) scripts.add(path);
  });
  await page.goto(url);
  await page.waitForFunction(() =>
    Boolean(document.querySelector('rp-app')?.shadowRoot?.querySelector('rp-login-page')),
  );
  let gzipped = 0;
  for (const path of scripts) gzipped += gzipSync(readFileSync(join(distDir, path))).length;
  const kb = gzipped / 1024;
  log(`  first load: ${scripts.size} scripts, ${kb.toFixed(1)} KiB gzipped`);
  rows.push(
    row(
      'first load: JavaScript before login, gzipped',
      `${scripts.size} scripts`,
      [kb],
      'KiB',
      {
        limit: 150,
        kind: 'at-most',
      },
      'gzip level 6 of each script the login page loaded',
    ),
  );

  // The service worker precaches the app; then the device is offline and the app is opened again.
  await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    if (!registration.active) throw new Error('no active service worker');
  });
  await page.waitForTimeout(1000);
  const starts: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    await context.setOffline(true);
    const offline = await context.newPage();
    await offline.goto(url);
    const handle = await offline.waitForFunction(
      () =>
        document.querySelector('rp-app')?.shadowRoot?.querySelector('rp-login-page')?.shadowRoot?.querySelector('input')
          ? performance.now()
          : null,
      undefined,
      { polling: 'raf', timeout: 30_000 },
    );
    starts.push((await handle.jsonValue()) as number);
    await offline.close();
    await context.setOffline(false);
  }
  rows.push(
    row(
      'start offline from the service worker to a usable login page',
      'precached app',
      starts,
      'ms',
      {
        limit: 1000,
        kind: 'at-most',
      },
      'navigation start to the login form rendered',
    ),
  );
  await context.close();
  return rows;
}

/** Argon2id and unwrapping in Chromium, as a tablet and as this machine. */
export async function unlockRows(browser: Browser, url: string): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const rate of [1, TABLET]) {
    const { context, page } = await benchPage(browser, url, rate);
    const runs: number[] = [];
    const derive: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      const result = await call(page, 'unlock');
      runs.push(result.ms);
      derive.push(result.derive);
    }
    const argon = median(derive);
    rows.push(
      row(
        `unlock (Argon2id + private key + epoch key)${throttled(rate)}`,
        '64 MiB, 3 passes',
        runs,
        'ms',
        {
          limit: 1500,
          kind: 'at-most',
        },
        `Argon2id ${Math.round(argon)} ms of it`,
      ),
    );
    await context.close();
  }
  return rows;
}
