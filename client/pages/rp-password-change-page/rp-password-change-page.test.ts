import { assert, expect, html } from '@open-wc/testing';
import './rp-password-change-page.ts';
import type { RpPasswordChangePage } from './rp-password-change-page.ts';
import { createTestServices, type TestServices } from '../../test-support/test-services.ts';
import { renderWith, shadowText, until, $, find } from '../../test-support/render.ts';
import { createAccount, readUserDocument, type TestAccount } from '../../test-support/test-register.ts';

const STRONG = 'lighthouse cabbage orbit tundra';

async function setup(): Promise<{ page: RpPasswordChangePage; services: TestServices; nurse: TestAccount }> {
  const nurse = await createAccount({
    name: 'nurse',
    password: 'Temp-Pass-1',
    roles: ['nurse'],
    displayName: 'Анна Иванова',
    mustChangePassword: true,
  });
  const services = createTestServices();
  await services.session.start();
  await services.session.login(nurse.name, nurse.password);
  const page = await renderWith<RpPasswordChangePage>(
    services,
    html`<rp-password-change-page></rp-password-change-page>`,
    'rp-password-change-page',
  );
  return { page, services, nurse };
}

function credentialChanges(services: TestServices): number {
  return services.network.sent().filter((request) => request === 'POST /api/me/credentials').length;
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
    await until(() => find(page, '#new-password-error') !== null);
    expect(find(page, '#new-password-error')?.textContent).to.contain('слишком простой');
    assert.deepEqual(credentialChanges(services), 0);
  });

  it('shows how strong the typed password is', async () => {
    const { page } = await setup();
    const input = $<HTMLInputElement>(page, '#new-password');
    input.value = STRONG;
    input.dispatchEvent(new InputEvent('input'));
    const meter = $(page, 'rp-password-strength');
    await until(() => /хорошая|отличная/.test(meter.shadowRoot?.textContent ?? ''));
  });

  it('refuses two different passwords', async () => {
    const { page } = await setup();
    await submit(page, STRONG, STRONG + '!');
    await until(() => find(page, '#repeat-password-error') !== null);
    assert.deepEqual(find(page, '#repeat-password-error')?.textContent, 'Пароли не совпадают.');
  });

  it('changes the password, stores the new key pair on the server and enters the register', async () => {
    const { page, services, nurse } = await setup();
    await submit(page, STRONG, STRONG);
    await until(() => services.session.state.kind === 'ready');
    assert.deepEqual(credentialChanges(services), 1);
    const stored = await readUserDocument(nurse.name);
    assert.deepEqual(stored.mustChangePassword, false);
    expect(stored.publicKey).to.include({ kty: 'EC', crv: 'P-256' });
    expect(stored.publicKey).to.not.have.property('d');
    expect(stored.encryptedPrivateKey).to.have.keys(['iv', 'ct']);
  });

  it('is accessible', async () => {
    const { page } = await setup();
    await expect(page).to.be.accessible();
    expect(shadowText(page)).to.contain('Смена пароля');
  });
});
