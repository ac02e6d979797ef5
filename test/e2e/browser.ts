/**
 * Debian's Chromium driven by playwright-core for end-to-end tests — never a downloaded browser.
 */
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/** The local name of the page element the app shell shows now (e.g. `rp-login-page`). */
export function currentScreen(page: Page): Promise<string> {
  return page.evaluate(
    () => document.querySelector('rp-app')?.shadowRoot?.querySelector('main')?.firstElementChild?.localName ?? '',
  );
}

/** Waits until the app shows one of the given screens and returns which. */
export async function waitForScreen(page: Page, screens: string[], timeoutMs = 30_000): Promise<string> {
  const handle = await page.waitForFunction(
    (names) => {
      const name = document.querySelector('rp-app')?.shadowRoot?.querySelector('main')?.firstElementChild?.localName;
      return name && names.includes(name) ? name : null;
    },
    screens,
    { timeout: timeoutMs, polling: 100 },
  );
  return (await handle.jsonValue()) as string;
}
