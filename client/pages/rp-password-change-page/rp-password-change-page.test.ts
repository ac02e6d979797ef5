import { assert, expect, html } from '@open-wc/testing';
import './rp-password-change-page.ts';
import type { RpPasswordChangePage } from './rp-password-change-page.ts';
import { createTestServices, type TestServices } from '../../test-support/test-services.ts';
import { renderWith, shadowText, until, $, find } from '../../test-support/render.ts';

const STRONG = 'lighthouse cabbage orbit tundra';

async function setup(): Promise<{ page: RpPasswordChangePage; services: TestServices }> {
  const services = createTestServices();
  await services.server.addAccount({
    name: 'nurse',
    password: 'Temp-Pass-1',
    roles: ['nurse'],
    displayName: 'Анна Иванова',
    mustChangePassword: true,
  });
  await services.session.start();
  await services.session.login('nurse', 'Temp-Pass-1');
  const page = await renderWith<RpPasswordChangePage>(
    services,
    html`<rp-password-change-page></rp-password-change-page>`,
    'rp-password-change-page',
  );
  return { page, services };
}

async function submit(page: RpPasswordChangePage, password: string, repeat: string): Promise<void> {
  const input = $<HTMLInputElement>(page, '#new-password');
  input.value = password;
  input.dispatchEvent(new InputEvent('input'));
  $<HTMLInputElement>(page, '#repeat-password').value = repeat;
  $<HTMLButtonElement>(page, 'button[type=submit]').click();
}

describe('rp-password-change-page', () => {
  it('refuses an easily guessed password with the reason', async () => {
    const { page, services } = await setup();
    await submit(page, 'password1', 'password1');
    await until(() => find(page, '#new-password-error') !== null, 8000);
    expect(find(page, '#new-password-error')?.textContent).to.contain('слишком простой');
    assert.deepEqual(
      services.server.requests.some((request) => request.path === '/api/me/credentials'),
      false,
    );
  });

  it('shows how strong the typed password is', async () => {
    const { page } = await setup();
    const input = $<HTMLInputElement>(page, '#new-password');
    input.value = STRONG;
    input.dispatchEvent(new InputEvent('input'));
    const meter = $(page, 'rp-password-strength');
    await until(() => /хорошая|отличная/.test(meter.shadowRoot?.textContent ?? ''), 8000);
  });

  it('refuses two different passwords', async () => {
    const { page } = await setup();
    await submit(page, STRONG, STRONG + '!');
    await until(() => find(page, '#repeat-password-error') !== null, 8000);
    assert.deepEqual(find(page, '#repeat-password-error')?.textContent, 'Пароли не совпадают.');
  });

  it('changes the password and enters the register', async () => {
    const { page, services } = await setup();
    await submit(page, STRONG, STRONG);
    await until(() => services.session.state.kind === 'ready', 8000);
    expect(services.server.requests.filter((request) => request.path === '/api/me/credentials')).to.have.length(1);
  });

  it('is accessible', async () => {
    const { page } = await setup();
    await expect(page).to.be.accessible();
    expect(shadowText(page)).to.contain('Смена пароля');
  });
});
