import { assert, expect, html, oneEvent } from '@open-wc/testing';
import './rp-admin-staff-form.ts';
import type { RpAdminStaffForm } from './rp-admin-staff-form.ts';
import { FACILITIES, renderAdmin } from '../../admin/testing/admin-test-context.ts';
import type { StaffFormValues } from '../../admin/staff-form.ts';

async function setup(): Promise<RpAdminStaffForm> {
  return renderAdmin<RpAdminStaffForm>(
    html`<rp-admin-staff-form .facilities=${FACILITIES}></rp-admin-staff-form>`,
    'rp-admin-staff-form',
  );
}

function $<T extends Element>(form: RpAdminStaffForm, selector: string): T {
  const found = form.shadowRoot?.querySelector<T>(selector);
  if (!found) throw new Error(`${selector} not found`);
  return found;
}

async function submit(form: RpAdminStaffForm): Promise<void> {
  $<HTMLButtonElement>(form, 'button[type=submit]').click();
  await form.updateComplete;
}

/** The message tied to a control through aria-describedby, or '' when there is none. */
function messageFor(form: RpAdminStaffForm, selector: string): string {
  const control = $<HTMLElement>(form, selector);
  const ids = (control.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => id.endsWith('-error'));
  return ids.map((id) => form.shadowRoot?.getElementById(id)?.textContent?.trim() ?? '').join(' ');
}

function tick(form: RpAdminStaffForm, name: string, value: string): void {
  $<HTMLInputElement>(form, `input[name=${name}][value=${value}]`).checked = true;
}

describe('rp-admin-staff-form', () => {
  it('shows a message next to every missing field and focuses the first', async () => {
    const form = await setup();
    await submit(form);
    assert.equal(messageFor(form, '#login'), 'Введите имя пользователя.');
    assert.equal(messageFor(form, '#displayName'), 'Введите ФИО сотрудника.');
    assert.equal(messageFor(form, '#roles'), 'Отметьте хотя бы одну роль.');
    assert.equal($<HTMLInputElement>(form, '#login').getAttribute('aria-invalid'), 'true');
    assert.equal(form.shadowRoot?.activeElement?.id, 'login');
  });

  it('refuses a login with capitals turned into something CouchDB cannot hold', async () => {
    const form = await setup();
    $<HTMLInputElement>(form, '#login').value = 'recovery:x';
    $<HTMLInputElement>(form, '#displayName').value = 'Иванова Мария Петровна';
    tick(form, 'roles', 'admin');
    await submit(form);
    assert.include(messageFor(form, '#login'), 'Только латинские строчные буквы');
    assert.equal(messageFor(form, '#displayName'), '');
  });

  it('asks for a facility for a nurse, not for an analyst', async () => {
    const form = await setup();
    $<HTMLInputElement>(form, '#login').value = 'ivanova';
    $<HTMLInputElement>(form, '#displayName').value = 'Иванова Мария Петровна';
    tick(form, 'roles', 'nurse');
    await submit(form);
    assert.equal(messageFor(form, '#facilities'), 'Врачу и медсестре нужно хотя бы одно учреждение.');
    assert.equal($<HTMLFieldSetElement>(form, '#facilities').getAttribute('aria-invalid'), 'true');
  });

  it('hands valid values to the page, the login lower-cased', async () => {
    const form = await setup();
    $<HTMLInputElement>(form, '#login').value = '  Ivanova ';
    $<HTMLInputElement>(form, '#displayName').value = 'Иванова Мария Петровна';
    tick(form, 'roles', 'nurse');
    tick(form, 'facilities', 'crb-kondopoga');
    const saved = oneEvent(form, 'rp-staff-save') as Promise<CustomEvent<StaffFormValues>>;
    await submit(form);
    const { detail } = await saved;
    assert.deepEqual(detail, {
      login: 'ivanova',
      displayName: 'Иванова Мария Петровна',
      roles: ['nurse'],
      facilities: ['crb-kondopoga'],
    });
  });

  it('shows a field the server refused next to that field', async () => {
    const form = await setup();
    form.serverErrors = { login: 'Такое имя пользователя уже занято.' };
    await form.updateComplete;
    assert.equal(messageFor(form, '#login'), 'Такое имя пользователя уже занято.');
  });

  it('is accessible with its messages shown', async () => {
    const form = await setup();
    await submit(form);
    await expect(form).to.be.accessible();
  });
});
