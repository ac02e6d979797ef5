import { assert, expect, html } from '@open-wc/testing';
import './rp-admin-staff-page.ts';
import type { RpAdminStaffPage } from './rp-admin-staff-page.ts';
import { MemoryAdminApi, renderAdmin } from '../../admin/testing/admin-test-context.ts';
import { deriveAuthKey } from '../../../common/auth-derivation.ts';
import { isOneTimePasswordFormat } from '../../admin/one-time-password.ts';
import type { NewEpoch, NewStaffMember, StaffMember } from '../../admin/admin-types.ts';
import { FieldError } from '../../admin/http-admin-api.ts';
import { createFacilityKeys } from '../../admin/facility-keys.ts';
import type { OwnKeyPair } from '../../crypto/user-key-pair.ts';
import {
  exportPublicJwk,
  publicKeyHash,
  unwrapEpochKey,
  verifyKeyCopy,
  wipe,
  type SignedKeyCopy,
} from '../../../common/keys/index.ts';

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

/** The button of the page whose text is `name` (the page has several `.button`s, e.g. «Обновить» first). */
function buttonNamed(page: RpAdminStaffPage, name: string): HTMLButtonElement {
  const found = [...(page.shadowRoot?.querySelectorAll<HTMLButtonElement>('button') ?? [])].find(
    (button) => button.textContent?.trim() === name,
  );
  if (!found) throw new Error(`no button «${name}»`);
  return found;
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
    buttonNamed(page, 'Новый сотрудник').click();
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

describe('rp-admin-staff-page: confirming key pairs', () => {
  async function keyPair(login: string): Promise<OwnKeyPair> {
    const pair = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits']);
    return { login, publicKeyJwk: await exportPublicJwk(pair.publicKey), privateKey: pair.privateKey };
  }

  async function pendingSetup(admin: OwnKeyPair, custodian: OwnKeyPair) {
    const api = new MemoryAdminApi();
    const { keys } = await createFacilityKeys('hospice-ptz', custodian);
    api.keys.set('hospice-ptz', {
      facilityId: 'hospice-ptz',
      epoch: keys.epoch,
      signingPublicKey: keys.signingPublicKey,
      wrappedKeys: keys.wrappedKeys ?? { signingKey: [], epochKeys: [] },
    });
    const member = await keyPair('smirnova');
    api.pending = [
      {
        login: 'smirnova',
        displayName: 'Смирнова Анна Олеговна',
        publicKey: member.publicKeyJwk,
        publicKeyHash: await publicKeyHash(member.publicKeyJwk),
        facilities: [{ facilityId: 'hospice-ptz', epoch: 1 }],
      },
    ];
    const page = await renderAdmin<RpAdminStaffPage>(
      html`<rp-admin-staff-page .api=${api} .ownKeys=${() => Promise.resolve(admin)}></rp-admin-staff-page>`,
      'rp-admin-staff-page',
    );
    await until(() => page.staff !== null);
    return { api, page, member, keys };
  }

  function confirmButton(page: RpAdminStaffPage): HTMLButtonElement {
    const button = page.shadowRoot?.querySelector<HTMLButtonElement>('#pending-keys button');
    if (!button) throw new Error('no confirm button');
    return button;
  }

  it('lists members awaiting confirmation and sends a copy signed by the facility, wrapped to the member', async () => {
    const admin = await keyPair('admin');
    const { api, page, member, keys } = await pendingSetup(admin, admin);
    assert.include(text(page), 'Ожидают подтверждения ключей');
    assert.include(text(page), 'Смирнова Анна Олеговна (smirnova)');
    assert.include(text(page), 'Хоспис');
    const button = confirmButton(page);
    assert.equal(button.textContent?.trim(), 'Подтвердить');
    button.click();
    await until(() => api.sent.some((call) => call.call === 'issueKeyCopies'));
    const sent = api.sent.find((call) => call.call === 'issueKeyCopies')?.body as {
      login: string;
      copies: SignedKeyCopy[];
    };
    assert.equal(sent.login, 'smirnova');
    assert.lengthOf(sent.copies, 1);
    const [copy] = sent.copies;
    assert.include(copy, { facilityId: 'hospice-ptz', epoch: 1, recipient: 'smirnova' });
    assert.isTrue(await verifyKeyCopy(keys.signingPublicKey, copy));
    const epochKey = await unwrapEpochKey(copy, member.privateKey, member.publicKeyJwk);
    assert.lengthOf(epochKey, 32);
    wipe(epochKey);
    await until(() => page.pending.length === 0);
    await page.updateComplete;
    assert.notExists(page.shadowRoot?.querySelector('#pending-keys'));
  });

  it('says so when the administrator holds no copy of the facility keys', async () => {
    const { api, page } = await pendingSetup(await keyPair('admin'), await keyPair('other-admin'));
    confirmButton(page).click();
    await until(() => page.error !== null);
    assert.equal(page.error?.key, 'admin.staff.keys.error.noCustody');
    assert.isFalse(api.sent.some((call) => call.call === 'issueKeyCopies'));
    await page.updateComplete;
    assert.include(text(page), 'нет копии ключей учреждения «hospice-ptz»');
  });
});

describe('rp-admin-staff-page: disabling a member starts a new key epoch', () => {
  const SIDOROVA: StaffMember = {
    login: 'sidorova',
    displayName: 'Сидорова Ольга Николаевна',
    roles: ['nurse'],
    facilities: ['hospice-ptz'],
    status: 'active',
    mustChangePassword: false,
    hasKeys: true,
    createdAt: '2026-02-01T08:00:00.000Z',
  };

  async function keyPair(login: string): Promise<OwnKeyPair> {
    const pair = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits']);
    return { login, publicKeyJwk: await exportPublicJwk(pair.publicKey), privateKey: pair.privateKey };
  }

  /** The hospice with real keys made for `custodian`; one member stays after Sidorova is disabled. */
  async function revocationSetup(admin: OwnKeyPair, custodian: OwnKeyPair) {
    const api = new MemoryAdminApi();
    const { keys } = await createFacilityKeys('hospice-ptz', custodian);
    api.facilities = api.facilities.map((facility) =>
      facility.id === 'hospice-ptz' ? { ...facility, keys } : facility,
    );
    api.keys.set('hospice-ptz', {
      facilityId: 'hospice-ptz',
      epoch: keys.epoch,
      signingPublicKey: keys.signingPublicKey,
      wrappedKeys: keys.wrappedKeys ?? { signingKey: [], epochKeys: [] },
      recoveryKit: keys.recoveryKit,
    });
    api.staff = [...api.staff, structuredClone(SIDOROVA)];
    const remaining = await keyPair('kuzmina');
    api.recipients.set('hospice-ptz', {
      facilityId: 'hospice-ptz',
      epoch: keys.epoch,
      recoveryPublicKey: keys.recoveryPublicKey,
      members: [
        {
          login: remaining.login,
          displayName: 'Кузьмина Елена Викторовна',
          publicKey: remaining.publicKeyJwk,
          publicKeyHash: await publicKeyHash(remaining.publicKeyJwk),
        },
      ],
    });
    const page = await renderAdmin<RpAdminStaffPage>(
      html`<rp-admin-staff-page .api=${api} .ownKeys=${() => Promise.resolve(admin)}></rp-admin-staff-page>`,
      'rp-admin-staff-page',
    );
    await until(() => page.staff !== null);
    return { api, page, keys, remaining };
  }

  async function disableSidorova(page: RpAdminStaffPage): Promise<void> {
    page.shadowRoot?.querySelector<HTMLButtonElement>('button[aria-label="Отключить: sidorova"]')?.click();
    const dialog = () => page.shadowRoot?.querySelector('rp-admin-confirm-dialog')?.shadowRoot;
    await until(() => dialog()?.querySelector('dialog')?.open === true);
    assert.include(dialog()?.textContent ?? '', 'Сидорова Ольга Николаевна (sidorova)');
    dialog()?.querySelector<HTMLButtonElement>('.danger')?.click();
    await until(() => !page.busy && page.notices.length > 0);
    await page.updateComplete;
  }

  function notices(page: RpAdminStaffPage): string {
    return (page.shadowRoot?.querySelector('[role=status]')?.textContent ?? '').replace(/\s+/g, ' ').trim();
  }

  it('disables the account, then starts a new epoch for her facility signed by the facility', async () => {
    const admin = await keyPair('admin');
    const { api, page, keys, remaining } = await revocationSetup(admin, admin);
    await disableSidorova(page);
    assert.deepEqual(
      api.sent.map((call) => call.call),
      ['disableStaff', 'startEpoch'],
    );
    assert.deepEqual(api.sent[0]?.body, { login: 'sidorova' });
    const epoch = api.sent[1]?.body as NewEpoch & { facilityId: string };
    assert.include(epoch, { facilityId: 'hospice-ptz', epoch: 2, graceHours: 24, reason: 'member-disabled' });
    assert.sameMembers(
      epoch.copies.map((copy) => copy.recipient),
      ['recovery:hospice-ptz', 'admin', remaining.login],
    );
    for (const copy of epoch.copies) assert.isTrue(await verifyKeyCopy(keys.signingPublicKey, copy));
    const shown = notices(page);
    assert.include(shown, 'Учётная запись sidorova отключена. Начата новая эпоха ключей (Хоспис Петрозаводска: 2)');
    assert.include(shown, 'записи под прежним ключом принимаются до');
    assert.isNull(page.error);
  });

  it('still disables the account and says the epoch could not be started without the facility keys', async () => {
    const { api, page } = await revocationSetup(await keyPair('admin'), await keyPair('other-admin'));
    await disableSidorova(page);
    assert.deepEqual(
      api.sent.map((call) => call.call),
      ['disableStaff'],
    );
    assert.equal(
      notices(page),
      'Учётная запись sidorova отключена, но новую эпоху ключей учреждения «Хоспис Петрозаводска» начать не ' +
        'удалось. У вас нет ключей этого учреждения. Восстановите доступ по коду с листа восстановления. Начните её ' +
        'в разделе «Учреждения» → «Ключи».',
    );
    assert.isNull(page.error);
  });
});
