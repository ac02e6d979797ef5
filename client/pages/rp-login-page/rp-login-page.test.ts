import { assert, expect, html } from '@open-wc/testing';
import './rp-login-page.ts';
import type { RpLoginPage } from './rp-login-page.ts';
import { createTestServices, type TestServices } from '../../test-support/test-services.ts';
import { renderWith, shadowText, until, $, find } from '../../test-support/render.ts';

const ACCOUNT = { name: 'doctor', password: 'long enough passphrase', roles: ['doctor'], displayName: 'Пётр Смирнов' };

async function setup(): Promise<{ page: RpLoginPage; services: TestServices }> {
  const services = createTestServices();
  await services.server.addAccount(ACCOUNT);
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

describe('rp-login-page', () => {
  it('labels both inputs', async () => {
    const { page } = await setup();
    const root = page.renderRoot;
    assert.deepEqual(root.querySelector('label[for=username]')?.textContent, 'Имя пользователя');
    assert.deepEqual(root.querySelector('label[for=password]')?.textContent, 'Пароль');
  });

  it('asks for both fields before contacting the server', async () => {
    const { page, services } = await setup();
    const before = services.server.requests.length;
    await submit(page);
    const root = page.renderRoot;
    assert.deepEqual(root.querySelector('#username-error')?.textContent, 'Введите имя пользователя.');
    assert.deepEqual(root.querySelector('#password-error')?.textContent, 'Введите пароль.');
    assert.deepEqual(root.querySelector('#username')?.getAttribute('aria-invalid'), 'true');
    assert.deepEqual(root.querySelector('#username')?.getAttribute('aria-describedby'), 'username-error');
    assert.deepEqual(services.server.requests.length, before);
  });

  it('asks only for the password when the username is given', async () => {
    const { page } = await setup();
    fill(page, 'doctor', '');
    await submit(page);
    assert.deepEqual(find(page, '#username-error'), null);
    assert.notDeepEqual(find(page, '#password-error'), null);
  });

  const serverErrors: Array<[string, (services: TestServices) => void, string]> = [
    ['a wrong password', () => undefined, 'Неверное имя пользователя или пароль.'],
    ['throttling, with the seconds to wait', (s) => (s.server.loginStatus = 429), 'Повторите через 42 с.'],
    ['no connection', (s) => (s.server.offline = true), 'Нет связи с сервером'],
    ['a required password change', (s) => (s.server.loginStatus = 403), 'Сначала нужно сменить пароль.'],
  ];
  for (const [name, arrange, text] of serverErrors) {
    it(`explains ${name}`, async () => {
      const { page, services } = await setup();
      arrange(services);
      fill(page, 'doctor', 'not the password');
      await submit(page);
      await until(() => find(page, '[role=alert]') !== null);
      expect(find(page, '[role=alert]')?.textContent).to.contain(text);
      assert.deepEqual(find<HTMLInputElement>(page, '#password')?.value, '', 'the password is cleared');
    });
  }

  it('shows progress while the password is being checked', async () => {
    const { page, services } = await setup();
    fill(page, 'doctor', ACCOUNT.password);
    await submit(page);
    expect(shadowText(page)).to.contain('Проверяем пароль');
    assert.deepEqual(find<HTMLButtonElement>(page, 'button[type=submit]')?.disabled, true);
    await until(() => services.session.state.kind === 'ready');
  });

  it('is accessible, also with errors shown', async () => {
    const { page } = await setup();
    await expect(page).to.be.accessible();
    await submit(page);
    await expect(page).to.be.accessible();
  });
});
