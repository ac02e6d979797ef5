import { assert, expect, html } from '@open-wc/testing';
import './rp-lock-page.ts';
import type { RpLockPage } from './rp-lock-page.ts';
import { createTestServices, type TestServices } from '../../test-support/test-services.ts';
import { renderWith, shadowText, until, $, find } from '../../test-support/render.ts';
import { createAccount } from '../../test-support/test-register.ts';

const NURSE = { name: 'nurse', password: 'correct horse battery', roles: ['nurse'], displayName: 'Анна Иванова' };

async function lockedApp(): Promise<{ page: RpLockPage; services: TestServices }> {
  const nurse = await createAccount(NURSE);
  const services = createTestServices();
  await services.session.start();
  await services.session.login(nurse.name, nurse.password);
  services.session.lock();
  const page = await renderWith<RpLockPage>(services, html`<rp-lock-page></rp-lock-page>`, 'rp-lock-page');
  return { page, services };
}

async function tryPassword(page: RpLockPage, password: string): Promise<void> {
  $<HTMLInputElement>(page, '#password').value = password;
  $<HTMLButtonElement>(page, 'button[type=submit]').click();
  await page.updateComplete;
}

describe('rp-lock-page', () => {
  it('names the locked user', async () => {
    const { page } = await lockedApp();
    expect(shadowText(page)).to.contain('Пользователь Анна Иванова');
  });

  it('refuses a wrong password and then makes the user wait', async () => {
    const { page, services } = await lockedApp();
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await tryPassword(page, 'wrong');
      await until(() => !page.busy);
    }
    await page.updateComplete;
    expect(find(page, '[role=alert]')?.textContent).to.contain('Неверный пароль');
    expect(shadowText(page)).to.match(/Следующая попытка возможна через \d+ с/);
    assert.deepEqual(find<HTMLButtonElement>(page, 'button[type=submit]')?.disabled, true);
    assert.deepEqual(services.session.state.kind, 'locked');
  });

  it('unlocks offline with the right password', async () => {
    const { page, services } = await lockedApp();
    services.network.goOffline();
    await tryPassword(page, NURSE.password);
    await until(() => services.session.state.kind === 'ready');
  });

  it('is accessible', async () => {
    const { page } = await lockedApp();
    await expect(page).to.be.accessible();
  });
});
