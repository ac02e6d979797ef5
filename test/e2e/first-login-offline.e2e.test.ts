/**
 * A fresh install, used as its first administrator would: log in with the one-time password printed at start,
 * choose a password, reach home, then lose the network, reload, and still get the app (from the service worker),
 * unlocking it offline. Along the way: no CSP violation, the session cookie is invisible to scripts, and no request
 * ever carries a typed password.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestRegister, stopTestRegister, type TestRegister } from '../helpers/start-register.ts';
import { launchChromium, waitForScreen } from './browser.ts';

const NEW_PASSWORD = 'маяк лиственница тундра облако 7';
const distDir = resolve('dist');

describe('first login of a fresh install, then offline', () => {
  let register: TestRegister;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let oneTimePassword: string;
  const problems: string[] = [];
  const requestBodies: string[] = [];

  beforeAll(async () => {
    if (!existsSync(resolve(distDir, 'index.html'))) throw new Error('dist/ is missing: run "npx vite build" first');
    register = await startTestRegister({ adminPassword: null, staticDir: distDir });
    oneTimePassword = register.provisioned.oneTimePassword ?? '';
    browser = await launchChromium();
    context = await browser.newContext({ locale: 'ru-RU' });
    page = await context.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/.test(message.text())) problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('request', (request) => requestBodies.push(`${request.url()} ${request.postData() ?? ''}`));
  });

  afterAll(async () => {
    await browser?.close();
    if (register) await stopTestRegister(register);
  });

  it('prints a one-time password for the first administrator', () => {
    expect(oneTimePassword).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);
  });

  it('logs in with the one-time password and must choose a new one', async () => {
    await page.goto(register.url);
    await waitForScreen(page, ['rp-login-page']);
    await page.getByLabel('Имя пользователя').fill('admin');
    await page.getByLabel('Пароль').fill(oneTimePassword);
    await page.getByRole('button', { name: 'Войти' }).click();
    expect(await waitForScreen(page, ['rp-password-change-page', 'rp-home-page'])).toBe('rp-password-change-page');
  });

  it('refuses a weak new password with a message, accepts a strong one and reaches home', async () => {
    await page.getByLabel('Новый пароль', { exact: true }).fill('password123');
    await page.getByLabel('Повторите новый пароль').fill('password123');
    await page.getByRole('button', { name: 'Сменить пароль' }).click();
    await page.getByText('слишком простой').waitFor({ timeout: 30_000 });
    expect(await waitForScreen(page, ['rp-password-change-page'])).toBe('rp-password-change-page');

    await page.getByLabel('Новый пароль', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('Повторите новый пароль').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Сменить пароль' }).click();
    expect(await waitForScreen(page, ['rp-home-page'], 60_000)).toBe('rp-home-page');
    await page.getByRole('link', { name: /Администрирование/ }).waitFor();
    await page.getByText('Данные актуальны').waitFor({ timeout: 30_000 });
  });

  it('keeps the session cookie away from scripts', async () => {
    expect(await page.evaluate(() => document.cookie)).toBe('');
    const cookies = await context.cookies();
    const session = cookies.find((cookie) => cookie.name === 'rp_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(cookies.some((cookie) => cookie.name === 'AuthSession')).toBe(false);
  });

  it('starts offline from the service worker and unlocks without the network', async () => {
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await context.setOffline(true);
    await page.reload();
    expect(await waitForScreen(page, ['rp-lock-page', 'rp-login-page', 'rp-home-page'])).toBe('rp-lock-page');

    await page.getByLabel('Пароль').fill('not the password');
    await page.getByRole('button', { name: 'Разблокировать' }).click();
    await page.getByText('Неверный пароль.').waitFor({ timeout: 30_000 });

    await page.getByLabel('Пароль').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Разблокировать' }).click();
    expect(await waitForScreen(page, ['rp-home-page'], 60_000)).toBe('rp-home-page');
    await page.getByText(/Нет сети с/).waitFor({ timeout: 30_000 });
    await context.setOffline(false);
  });

  it('never sent a typed password and met no CSP violation', () => {
    const all = requestBodies.join('\n');
    expect(all).not.toContain(oneTimePassword);
    expect(all).not.toContain(NEW_PASSWORD);
    expect(all).not.toContain(encodeURIComponent(NEW_PASSWORD));
    expect(problems).toEqual([]);
  });
});
