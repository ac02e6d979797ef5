import { assert, expect, html } from '@open-wc/testing';
import './rp-admin-staff-page.ts';
import type { RpAdminStaffPage } from './rp-admin-staff-page.ts';
import { MemoryAdminApi, renderAdmin } from '../../admin/testing/admin-test-context.ts';
import { deriveAuthKey } from '../../../common/auth-derivation.ts';
import { isOneTimePasswordFormat } from '../../admin/one-time-password.ts';
import type { NewStaffMember } from '../../admin/admin-types.ts';
import { FieldError } from '../../admin/http-admin-api.ts';

async function setup(api = new MemoryAdminApi()): Promise<RpAdminStaffPage> {
  const page = await renderAdmin<RpAdminStaffPage>(
    html`<rp-admin-staff-page .api=${api}></rp-admin-staff-page>`,
    'rp-admin-staff-page',
  );
  await until(() => page.staff !== null);
  return page;
}

async function until(check: () => boolean): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > 15_000) throw new Error('the condition did not become true in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function text(page: RpAdminStaffPage): string {
  return (page.shadowRoot?.textContent ?? '').replace(/\s+/g, ' ');
}

describe('rp-admin-staff-page', () => {
  it('lists staff with their state: awaiting a password change, one-time password expired, disabled', async () => {
    const page = await setup();
    const shown = text(page);
    assert.include(shown, 'Иванова Мария Петровна');
    assert.include(shown, 'ожидает смены пароля');
    assert.include(shown, 'срок одноразового пароля истёк');
    assert.include(shown, 'Отключён');
    assert.include(shown, 'Кондопожская ЦРБ');
  });

  it('creates a member with a browser-made one-time password and sends only its authKey', async () => {
    const api = new MemoryAdminApi();
    const page = await setup(api);
    page.shadowRoot?.querySelector<HTMLButtonElement>('.button')?.click();
    await page.updateComplete;
    const form = page.form;
    assert.exists(form);
    await form?.updateComplete;
    const input = (selector: string) => form?.shadowRoot?.querySelector<HTMLInputElement>(selector);
    const login = input('#login');
    const name = input('#displayName');
    if (!login || !name) throw new Error('the form has no login or name field');
    login.value = 'smirnova';
    name.value = 'Смирнова Анна Олеговна';
    input('input[name=roles][value=doctor]')?.click();
    input('input[name=facilities][value=hospice-ptz]')?.click();
    input('button[type=submit]')?.click();
    await until(() => page.issued !== null);
    const issued = page.issued;
    if (!issued) throw new Error('no password was issued');
    assert.isTrue(isOneTimePasswordFormat(issued.oneTimePassword));
    const sent = api.sent.find((call) => call.call === 'createStaff')?.body as NewStaffMember;
    assert.equal(sent.login, 'smirnova');
    assert.deepEqual(sent.facilities, ['hospice-ptz']);
    assert.notInclude(JSON.stringify(sent), issued.oneTimePassword);
    assert.equal(sent.authKey, await deriveAuthKey('test-deployment', 'smirnova', issued.oneTimePassword));
    assert.isAbove(Date.parse(sent.oneTimePasswordExpiresAt ?? ''), Date.now());
    await page.updateComplete;
    assert.include(text(page), issued.oneTimePassword);
    assert.exists(page.shadowRoot?.querySelector('#print-slip'));
    await expect(page).to.be.accessible();
  });

  it('disables a member only after the confirmation', async () => {
    const api = new MemoryAdminApi();
    const page = await setup(api);
    const disable = page.shadowRoot?.querySelector<HTMLButtonElement>('button[aria-label="Отключить: ivanova"]');
    disable?.click();
    await until(
      () =>
        page.shadowRoot?.querySelector('rp-admin-confirm-dialog')?.shadowRoot?.querySelector('dialog')?.open === true,
    );
    const dialog = page.shadowRoot?.querySelector('rp-admin-confirm-dialog')?.shadowRoot;
    assert.include(dialog?.textContent ?? '', 'ivanova');
    dialog?.querySelector<HTMLButtonElement>('.cancel')?.click();
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.notExists(api.sent.find((call) => call.call === 'disableStaff'));
    disable?.click();
    await until(() => dialog?.querySelector('dialog')?.open === true);
    dialog?.querySelector<HTMLButtonElement>('.danger')?.click();
    await until(() => api.sent.some((call) => call.call === 'disableStaff'));
  });
});

describe('rp-admin-staff-page and the server', () => {
  it('shows a field the server refused next to that field in the form', async () => {
    const api = new MemoryAdminApi();
    api.updateStaff = () =>
      Promise.reject(new FieldError(400, 'bad_request', '"displayName" is too long.', 'displayName'));
    const page = await setup(api);
    page.shadowRoot?.querySelector<HTMLButtonElement>('button[aria-label="Изменить: ivanova"]')?.click();
    await page.updateComplete;
    const form = page.form;
    await form?.updateComplete;
    form?.shadowRoot?.querySelector<HTMLButtonElement>('button[type=submit]')?.click();
    await until(() => form?.shadowRoot?.querySelector('#displayName-error') !== null);
    const input = form?.shadowRoot?.querySelector('#displayName');
    assert.equal(input?.getAttribute('aria-describedby'), 'displayName-error');
    assert.include(form?.shadowRoot?.querySelector('#displayName-error')?.textContent ?? '', 'is too long');
  });
});
