/**
 * Driving the benchmark page (page/bench-page.ts) from Node: a fresh browser context per use (its own IndexedDB),
 * CPU throttling through the DevTools protocol (`Emulation.setCPUThrottlingRate`), and typed calls of its entries.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { BenchPage } from './page/bench-page.ts';

/** Runs per figure (its median is reported). */
export const RUNS = 3;
/** CPU throttling that stands for a tablet. */
export const TABLET = 4;

export async function throttle(page: Page, rate: number): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
}

/** A fresh browser context (its own IndexedDB) on the benchmark page. */
export async function benchPage(
  browser: Browser,
  url: string,
  rate: number,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${url}/bench/index.html`);
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  await throttle(page, rate);
  return { context, page };
}

/** Calls one entry of the benchmark page (page/bench-page.ts) and returns its answer. */
export function call<K extends keyof BenchPage>(
  page: Page,
  name: K,
  ...args: Parameters<BenchPage[K]>
): Promise<Awaited<ReturnType<BenchPage[K]>>> {
  return page.evaluate(
    ([method, parameters]) => {
      const bench = (globalThis as unknown as { registerBench: Record<string, (...a: unknown[]) => unknown> })
        .registerBench;
      return bench[method]?.(...parameters);
    },
    [name, args] as [string, unknown[]],
  ) as Promise<Awaited<ReturnType<BenchPage[K]>>>;
}

export const thousands = (value: number): string => value.toLocaleString('en-US');
export const throttled = (rate: number): string => (rate === 1 ? '' : `, ${rate}× CPU throttling`);
