/**
 * Draws the register's icon as SVG and renders the PNG sizes the web app manifest needs with Debian's Chromium
 * (playwright-core, no browser download). Run once after changing the drawing and commit the output:
 *   npx tsx scripts/make-icons.ts
 * Output: client/public/icons/{icon.svg, icon-192.png, icon-512.png, icon-maskable-512.png, apple-touch-icon.png}
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const OUT = join(import.meta.dirname, '..', 'client', 'public', 'icons');
const BACKGROUND = '#0b5c63';

/** A heart resting in two open hands: care that holds. `scale` shrinks the drawing for the maskable safe zone. */
function drawing(scale: number): string {
  const offset = (512 - 512 * scale) / 2;
  return `<g transform="translate(${offset} ${offset}) scale(${scale})">
    <path fill="#ffffff" d="M256 352c-8 0-15-3-21-8-46-40-94-80-94-134 0-38 29-66 64-66 22 0 40 11 51 28 11-17 29-28 51-28 35 0 64 28 64 66 0 54-48 94-94 134-6 5-13 8-21 8z"/>
    <path fill="none" stroke="#9fe0d8" stroke-width="26" stroke-linecap="round" stroke-linejoin="round"
      d="M96 300c22 40 52 72 96 90 20 8 42 12 64 12s44-4 64-12c44-18 74-50 96-90"/>
  </g>`;
}

function svg(options: { rounded: boolean; scale: number }): string {
  const radius = options.rounded ? 112 : 0;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512" width="512" height="512">
  <rect width="512" height="512" rx="${radius}" fill="${BACKGROUND}"/>
  ${drawing(options.scale)}
</svg>
`;
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const regular = svg({ rounded: true, scale: 1 });
  writeFileSync(join(OUT, 'icon.svg'), regular);
  const browser = await chromium.launch({
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
  });
  try {
    const outputs: Array<{ file: string; size: number; source: string }> = [
      { file: 'icon-192.png', size: 192, source: regular },
      { file: 'icon-512.png', size: 512, source: regular },
      // Maskable: full-bleed background, drawing inside the central 80 % safe zone.
      { file: 'icon-maskable-512.png', size: 512, source: svg({ rounded: false, scale: 0.78 }) },
      { file: 'apple-touch-icon.png', size: 180, source: svg({ rounded: false, scale: 0.9 }) },
    ];
    for (const { file, size, source } of outputs) {
      const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
      const body = source.replace('width="512" height="512"', `width="${size}" height="${size}"`);
      await page.setContent(`<html><body style="margin:0;background:transparent">${body}</body></html>`);
      await page.locator('svg').screenshot({ path: join(OUT, file), omitBackground: true });
      await page.close();
      console.log(`wrote ${file}`);
    }
  } finally {
    await browser.close();
  }
}

await main();
