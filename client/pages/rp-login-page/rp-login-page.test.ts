import { assert, expect, html } from '@open-wc/testing';
import './rp-login-page.ts';
import type { RpLoginPage } from './rp-login-page.ts';
import { createTestServices, type TestServices } from '../../test-support/test-services.ts';
import { renderWith, shadowText, until, $, find } from '../../test-support/render.ts';
import {
  createAccount,
  disableAccount,
  serverSessionUser,
  type TestAccount,
} from '../../test-support/test-register.ts';

const DOCTOR = { name: 'doctor', password: 'long enough passphrase', roles: ['doctor'], displayName: 'Пётр Смирнов' };
/** Any 43 base64url characters: an authKey the server checks and refuses. */
const WRONG_AUTH_KEY = 'A'.repeat(43);

async function setup(): Promise<{ page: RpLoginPage; services: TestServices }> {
  const services = createTestServices();
  await services.session.start();
  const page = await renderWith<RpLoginPage>(services, html`<rp-login-page></rp-login-page>`, 'rp-login-page');
  return { page, services };
}

function fill(page: RpLoginPage, username: string, password: string): void {
  $<HTMLInputElement>(page, '#username').value = username;
  $<HTMLInputElement>(page, '#password').value = password;
}

async function submit(page: RpLoginPage): Promise<void> {
  $<HTMLButtonElement>(page, 'button[type=submit]').click();
  await page.updateComplete;
}

async function alertText(page: RpLoginPage): Promise<string> {
  await until(() => find(page, '[role=alert]') !== null);
  return find(page, '[role=alert]')?.textContent ?? '';
}

/**
 * Fails logins straight at the register (no Argon2id: the gateway counts a wrong authKey like any other) until
 * it throttles this account.
 */
async function failUntilThrottled(name: string): Promise<void> {
  for (let attempt = 1; attempt <= 20; attempt += 1) {
    const response = await fetch('/db/_session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name, password: WRONG_AUTH_KEY }),
    });
    if (response.status === 429) return;
    assert.deepEqual(response.status, 401, `failed login ${attempt}`);
  }
  throw new Error('the register did not throttle 20 failed logins in a row');
}

describe('rp-login-page', () => {
  it('labels both inputs', async () => {
    const { page } = await setup();
    const root = page.renderRoot;
    assert.deepEqual(root.querySelector('label[for=username]')?.textContent, 'Имя пользователя');
    assert.deepEqual(root.querySelector('label[for=password]')?.textContent, 'Пароль');
  });

  it('asks for both fields before contacting the server', async () => {
    const { page, services } = await setup();
    const before = services.network.exchanges.length;
    await submit(page);
    const root = page.renderRoot;
    assert.deepEqual(root.querySelector('#username-error')?.textContent, 'Введите имя пользователя.');
    assert.deepEqual(root.querySelector('#password-error')?.textContent, 'Введите пароль.');
    assert.deepEqual(root.querySelector('#username')?.getAttribute('aria-invalid'), 'true');
    assert.deepEqual(root.querySelector('#username')?.getAttribute('aria-describedby'), 'username-error');
    assert.deepEqual(services.network.exchanges.length, before);
  });

  it('asks only for the password when the username is given', async () => {
    const { page } = await setup();
    fill(page, 'doctor', '');
    await submit(page);
    assert.deepEqual(find(page, '#username-error'), null);
    assert.notDeepEqual(find(page, '#password-error'), null);
  });

  it('explains a wrong password and clears it', async () => {
    const doctor = await createAccount(DOCTOR);
    const { page } = await setup();
    fill(page, doctor.name, 'not the password');
    await submit(page);
    expect(await alertText(page)).to.contain('Неверное имя пользователя или пароль.');
    assert.deepEqual(find<HTMLInputElement>(page, '#password')?.value, '', 'the password is cleared');
    assert.deepEqual(await serverSessionUser(), null);
  });

  it('explains throttling, with the seconds to wait that the server gave', async () => {
    const doctor: TestAccount = await createAccount(DOCTOR);
    const { page, services } = await setup();
    // The page's attempt is held until failures in a row have made the gateway throttle this account, so that it
    // comes right after them however long Argon2id takes.
    const login = services.network.holdNext('POST', '/db/_session');
    fill(page, doctor.name, doctor.password);
    await submit(page);
    await login.arrived;
    await failUntilThrottled(doctor.name);
    login.release();
    const text = await alertText(page);
    const answer = services.network.exchanges.find(
      (exchange) => exchange.method === 'POST' && exchange.path === '/db/_session',
    );
    assert.deepEqual(answer?.status, 429);
    const seconds = Number(answer?.headers?.get('retry-after'));
    assert.isAbove(seconds, 0);
    expect(text).to.contain(`Повторите через ${seconds} с.`);
    assert.deepEqual(find<HTMLInputElement>(page, '#password')?.value, '', 'the password is cleared');
  });

  it('explains that there is no connection', async () => {
    const doctor = await createAccount(DOCTOR);
    const { page, services } = await setup();
    services.network.goOffline();
    fill(page, doctor.name, doctor.password);
    await submit(page);
    expect(await alertText(page)).to.contain('Нет связи с сервером');
    assert.deepEqual(find<HTMLInputElement>(page, '#password')?.value, '', 'the password is cleared');
  });

  it('shows progress while the password is being checked, then logs in', async () => {
    const doctor = await createAccount(DOCTOR);
    const { page, services } = await setup();
    fill(page, doctor.name, doctor.password);
    await submit(page);
    expect(shadowText(page)).to.contain('Проверяем пароль');
    assert.deepEqual(find<HTMLButtonElement>(page, 'button[type=submit]')?.disabled, true);
    await until(() => services.session.state.kind === 'ready');
    assert.deepEqual(await serverSessionUser(), doctor.name);
  });

  it('is accessible, also with errors shown', async () => {
    const { page } = await setup();
    await expect(page).to.be.accessible();
    await submit(page);
    await expect(page).to.be.accessible();
  });
});

describe('rp-login-page: erasing the data of a member the server no longer accepts', () => {
  const NURSE = { name: 'nurse', password: 'correct horse battery', roles: ['nurse'], displayName: 'Анна Иванова' };

  /**
   * The real way to the offer: the member logged in on this device (the reference books synchronised into
   * IndexedDB), locked it, the administrator disabled the account, and the device password no longer opens the
   * server at unlock.
   */
  async function revokedSetup(): Promise<{ page: RpLoginPage; services: TestServices; nurse: TestAccount }> {
    const nurse = await createAccount(NURSE);
    const services = createTestServices();
    await services.session.start();
    await services.session.login(nurse.name, nurse.password);
    await until(() => services.sync.state.kind === 'up-to-date');
    services.session.lock();
    await disableAccount(nurse.name);
    await services.session.unlock(nurse.password);
    const state = services.session.state;
    assert.deepEqual(state.kind === 'signed-out' && state.erasable, nurse.name);
    const page = await renderWith<RpLoginPage>(services, html`<rp-login-page></rp-login-page>`, 'rp-login-page');
    return { page, services, nurse };
  }

  function eraseButton(page: RpLoginPage): HTMLButtonElement | null {
    const buttons = [...page.renderRoot.querySelectorAll<HTMLButtonElement>('button:not([type=submit])')];
    return buttons.find((button) => button.textContent?.trim() === 'Стереть мои данные с этого устройства') ?? null;
  }

  async function localDatabases(): Promise<string[]> {
    return (await indexedDB.databases()).map((info) => info.name ?? '');
  }

  it('offers nothing to erase on an ordinary login', async () => {
    const { page } = await setup();
    assert.deepEqual(eraseButton(page), null);
    assert.notInclude(shadowText(page), 'Стереть');
  });

  it('explains the refusal and offers to erase; cancel takes the warning back', async () => {
    const { page } = await revokedSetup();
    expect(await alertText(page)).to.contain('Сервер больше не принимает ваш вход');
    const offer = eraseButton(page);
    if (!offer) throw new Error('no erase button');
    offer.click();
    await page.updateComplete;
    const warning = $(page, '[role=alertdialog]');
    assert.include(warning.textContent ?? '', 'Стереть с этого устройства все ваши локальные данные и ключи?');
    const confirm = warning.querySelector<HTMLButtonElement>('.danger');
    assert.deepEqual(confirm?.textContent?.trim(), 'Стереть мои данные с этого устройства');
    await expect(page).to.be.accessible();
    const cancel = [...warning.querySelectorAll<HTMLButtonElement>('button')].find(
      (button) => button.textContent?.trim() === 'Отмена',
    );
    if (!cancel) throw new Error('no cancel button');
    cancel.click();
    await page.updateComplete;
    assert.deepEqual(find(page, '[role=alertdialog]'), null);
    assert.notDeepEqual(eraseButton(page), null);
  });

  it('erases the member’s local data after the confirmation', async () => {
    const { page, services, nurse } = await revokedSetup();
    assert.include(await localDatabases(), `_pouch_reference-${nurse.name}`);
    eraseButton(page)?.click();
    await page.updateComplete;
    find<HTMLButtonElement>(page, '[role=alertdialog] .danger')?.click();
    await until(() => {
      const state = services.session.state;
      return state.kind === 'signed-out' && state.notice?.key === 'login.erased';
    });
    await page.updateComplete;
    const state = services.session.state;
    assert.deepEqual(state.kind === 'signed-out' && state.erasable, undefined);
    assert.notInclude(await localDatabases(), `_pouch_reference-${nurse.name}`);
    expect(await alertText(page)).to.contain('Ваши данные стёрты с этого устройства.');
    assert.deepEqual(eraseButton(page), null);
    assert.deepEqual(find(page, '[role=alertdialog]'), null);
  });
});
