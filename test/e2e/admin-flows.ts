/**
 * What the administrator's end-to-end tests share. They drive the register as people do — by labels, roles and
 * button names — so the helpers here are the few things a person does with their eyes or a printer: notice an
 * error in the console, read the message announced with a field, read the one-time password or recovery code
 * shown once, and read the PDF the register hands over (as a download, or in a new tab if it ever opens one),
 * through Debian's `pdftotext`. Each browser context is watched for CSP violations, page errors and any typed
 * password leaving the browser, since the promise is that the server only ever sees derived keys.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { BrowserContext, Download, Locator, Page } from 'playwright-core';
import { waitForScreen } from './browser.ts';

const run = promisify(execFile);

/** The one-time password format (client/admin/one-time-password.ts, couch/provision.ts). */
export const ONE_TIME_PASSWORD = /^[abcdefghjkmnpqrstuvwxyz23456789]{5}(-[abcdefghjkmnpqrstuvwxyz23456789]{5}){3}$/;
/** The recovery code format (common/keys/recovery-code.ts): seven groups of four Crockford base32 characters. */
export const RECOVERY_CODE = /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){6}$/;

/** What a browser context showed and sent while a test used it. */
export interface ContextWatch {
  /** CSP violations reported on the console and uncaught page errors. */
  problems: string[];
  /** Every request as `METHOD url body`, to check that no typed password ever left the browser. */
  requests: string[];
}

/** Starts watching every page (and worker) of `context`. */
export function watchContext(context: BrowserContext): ContextWatch {
  const watch: ContextWatch = { problems: [], requests: [] };
  context.on('console', (message) => {
    if (/Content Security Policy|Refused to/.test(message.text())) watch.problems.push(message.text());
  });
  context.on('weberror', (error) => watch.problems.push(`pageerror: ${error.error().message}`));
  context.on('request', (request) =>
    watch.requests.push(`${request.method()} ${request.url()} ${request.postData() ?? ''}`),
  );
  return watch;
}

/** The passwords in every form a request could carry them (as typed, URL-encoded, JSON-escaped). */
export function passwordLeaks(requests: readonly string[], passwords: readonly string[]): string[] {
  const forms = passwords.flatMap((password) => [
    password,
    encodeURIComponent(password),
    JSON.stringify(password).slice(1, -1),
  ]);
  return requests.filter((request) => forms.some((form) => request.includes(form)));
}

/**
 * Signs in for the first time with a one-time password and chooses `newPassword` on the forced password change;
 * resolves on the home page. Argon2id runs twice (about a second each in Chromium).
 */
export async function signInFirstTime(
  page: Page,
  url: string,
  username: string,
  oneTimePassword: string,
  newPassword: string,
): Promise<void> {
  await page.goto(url);
  await waitForScreen(page, ['rp-login-page']);
  await page.getByLabel('Имя пользователя').fill(username);
  await page.getByLabel('Пароль').fill(oneTimePassword);
  await page.getByRole('button', { name: 'Войти' }).click();
  const screen = await waitForScreen(page, ['rp-password-change-page', 'rp-home-page'], 60_000);
  if (screen !== 'rp-password-change-page') throw new Error(`${username} was not asked to change the password`);
  await page.getByLabel('Новый пароль', { exact: true }).fill(newPassword);
  await page.getByLabel('Повторите новый пароль').fill(newPassword);
  await page.getByRole('button', { name: 'Сменить пароль' }).click();
  await waitForScreen(page, ['rp-home-page'], 60_000);
}

/** The message a screen reader announces with a control: the texts its `aria-describedby` points to. */
export function describedText(control: Locator): Promise<string> {
  return control.evaluate((element) => {
    const root = element.getRootNode() as Document | ShadowRoot;
    return (element.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => root.getElementById(id)?.textContent?.trim() ?? '')
      .join(' ');
  });
}

/** The only text inside `container` that looks like `pattern` (a password or code shown once). */
export async function secretIn(container: Locator, pattern: RegExp): Promise<string> {
  const text = (await container.getByText(pattern).textContent())?.trim() ?? '';
  if (!pattern.test(text)) throw new Error(`no text like ${String(pattern)} is shown`);
  return text;
}

/** A PDF the register handed over: its suggested file name (if downloaded) and its text, whitespace collapsed. */
export interface HandedPdf {
  fileName: string | null;
  text: string;
}

async function textOfPdf(bytes: Buffer): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'register-pdf-'));
  try {
    const file = join(dir, 'document.pdf');
    writeFileSync(file, bytes);
    const { stdout } = await run(process.env.PDFTOTEXT_PATH ?? '/usr/bin/pdftotext', ['-enc', 'UTF-8', file, '-']);
    return stdout.replace(/\s+/g, ' ').trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function bytesOfDownload(download: Download): Promise<Buffer> {
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The bytes behind a tab the register opened (a `blob:` URL of its own origin, still alive while the tab is). */
async function bytesOfTab(tab: Page): Promise<Buffer> {
  await tab.waitForLoadState();
  const base64 = await tab.evaluate(async () => {
    const blob = await (await fetch(location.href)).blob();
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let binary = '';
    for (const byte of bytes) binary += String.fromCharCode(byte);
    return btoa(binary);
  });
  await tab.close();
  return Buffer.from(base64, 'base64');
}

/**
 * Clicks `button` and catches the PDF the register offers, whether it downloads it or opens it in a new tab,
 * and returns its text as pdftotext reads it.
 */
export async function pdfOfferedBy(page: Page, button: Locator, timeoutMs = 60_000): Promise<HandedPdf> {
  const offered = new Promise<{ download: Download } | { tab: Page }>((resolve, reject) => {
    const onDownload = (download: Download): void => {
      stop();
      resolve({ download });
    };
    const onTab = (tab: Page): void => {
      stop();
      resolve({ tab });
    };
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`no PDF was offered within ${timeoutMs} ms`));
    }, timeoutMs);
    function stop(): void {
      clearTimeout(timer);
      page.off('download', onDownload);
      page.off('popup', onTab);
    }
    page.on('download', onDownload);
    page.on('popup', onTab);
  });
  // If the click itself fails, that error is the one to report, not the later timeout.
  offered.catch(() => undefined);
  await button.click();
  const handed = await offered;
  if ('download' in handed) {
    const bytes = await bytesOfDownload(handed.download);
    return { fileName: handed.download.suggestedFilename(), text: await textOfPdf(bytes) };
  }
  return { fileName: null, text: await textOfPdf(await bytesOfTab(handed.tab)) };
}
