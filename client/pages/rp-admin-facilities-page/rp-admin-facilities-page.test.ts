import { assert, html } from '@open-wc/testing';
import './rp-admin-facilities-page.ts';
import type { RpAdminFacilitiesPage } from './rp-admin-facilities-page.ts';
import { MemoryAdminApi, MemoryReferenceStore, renderAdmin } from '../../admin/testing/admin-test-context.ts';
import { starterReferenceDocs } from '../../../common/reference/starter-docs.ts';
import { isFacilityKeys, type NewFacility } from '../../admin/admin-types.ts';
import {
  exportPublicJwk,
  openRecoveryKit,
  publicKeyHash,
  unwrapEpochKey,
  unwrapSigningKey,
  verifyKeyCopy,
  wipe,
} from '../../../common/keys/index.ts';
import type { OwnKeyPair } from '../../crypto/user-key-pair.ts';
import { validateFacilityForm } from '../../admin/facility-form.ts';

async function adminKeyPair(): Promise<OwnKeyPair> {
  const pair = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits']);
  return { login: 'admin', publicKeyJwk: await exportPublicJwk(pair.publicKey), privateKey: pair.privateKey };
}

async function setup(
  api = new MemoryAdminApi(),
  ownKeys: () => Promise<OwnKeyPair | null> = adminKeyPair,
): Promise<RpAdminFacilitiesPage> {
  const reference = new MemoryReferenceStore(starterReferenceDocs({ by: 'admin', at: '2026-11-29T08:00:00.000Z' }));
  const page = await renderAdmin<RpAdminFacilitiesPage>(
    html`<rp-admin-facilities-page
      .api=${api}
      .reference=${reference}
      .actor=${'admin'}
      .ownKeys=${ownKeys}
    ></rp-admin-facilities-page>`,
    'rp-admin-facilities-page',
  );
  await until(() => page.facilities !== null);
  return page;
}

async function until(check: () => boolean): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > 15_000) throw new Error('the condition did not become true in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function $<T extends Element>(page: RpAdminFacilitiesPage, selector: string): T {
  const found = page.shadowRoot?.querySelector<T>(selector);
  if (!found) throw new Error(`${selector} not found`);
  return found;
}

function messageFor(page: RpAdminFacilitiesPage, id: string): string {
  const ids = ($<HTMLElement>(page, `#${id}`).getAttribute('aria-describedby') ?? '').split(' ');
  return ids
    .filter((described) => described.endsWith('-error'))
    .map((described) => page.shadowRoot?.getElementById(described)?.textContent?.trim() ?? '')
    .join(' ');
}

async function openNew(page: RpAdminFacilitiesPage): Promise<void> {
  $<HTMLButtonElement>(page, 'p > .button').click();
  await page.updateComplete;
}

describe('facility form checks', () => {
  const cases: [string, Parameters<typeof validateFacilityForm>[0], string | undefined][] = [
    ['an empty id', { id: '', name: 'ЦРБ', shortName: '', districtId: '' }, 'admin.facilities.error.idRequired'],
    [
      'an id with capitals',
      { id: 'CRB', name: 'ЦРБ', shortName: '', districtId: '' },
      'admin.facilities.error.idFormat',
    ],
    [
      'an id with a colon',
      { id: 'crb:1', name: 'ЦРБ', shortName: '', districtId: '' },
      'admin.facilities.error.idFormat',
    ],
    [
      'an id already taken',
      { id: 'crb-kondopoga', name: 'ЦРБ', shortName: '', districtId: '' },
      'admin.facilities.error.idTaken',
    ],
    ['a good id', { id: 'crb-segezha', name: 'ЦРБ', shortName: '', districtId: '' }, undefined],
  ];
  for (const [what, values, expected] of cases) {
    it(`judges ${what}`, () => {
      assert.equal(validateFacilityForm(values, ['crb-kondopoga']).id, expected);
    });
  }
});

describe('rp-admin-facilities-page', () => {
  it('shows messages next to the id and the name', async () => {
    const page = await setup();
    await openNew(page);
    $<HTMLInputElement>(page, '#id').value = 'Bad Id';
    $<HTMLButtonElement>(page, 'button[type=submit]').click();
    await page.updateComplete;
    assert.include(messageFor(page, 'id'), 'Только латинские строчные буквы');
    assert.equal(messageFor(page, 'name'), 'Введите название учреждения.');
    assert.equal(page.shadowRoot?.activeElement?.id, 'id');
  });

  it('offers the districts of the reference book', async () => {
    const page = await setup();
    await openNew(page);
    const options = [...$<HTMLSelectElement>(page, '#districtId').options].map((option) => option.textContent);
    assert.isAbove(options.length, 10);
  });

  it('creates a facility with keys made in the browser and shows the recovery code once', async () => {
    const api = new MemoryAdminApi();
    const admin = await adminKeyPair();
    const page = await setup(api, () => Promise.resolve(admin));
    await openNew(page);
    $<HTMLInputElement>(page, '#id').value = 'crb-segezha';
    $<HTMLInputElement>(page, '#name').value = 'Сегежская ЦРБ';
    $<HTMLButtonElement>(page, 'button[type=submit]').click();
    await until(() => page.recovery !== null);
    const sent = api.sent.find((call) => call.call === 'createFacility')?.body as NewFacility;
    const keys = sent.keys;
    assert.isTrue(isFacilityKeys(keys));
    if (!keys?.wrappedKeys) throw new Error('no wrapped keys were sent');
    const code = page.recovery?.recoveryCode ?? '';
    assert.notInclude(JSON.stringify(sent), code.replace(/-/g, ''), 'the code never leaves the browser');
    assert.notInclude(JSON.stringify(sent), '"d":', 'no private JWK is sent');
    // The printed code opens the kit, and the kit's key opens the signing key that signed epoch 1.
    const recoveryKey = await openRecoveryKit(code, keys.recoveryKit);
    const [wrappedSigning] = keys.wrappedKeys.signingKey;
    await unwrapSigningKey(wrappedSigning, recoveryKey, keys.recoveryPublicKey, keys.signingPublicKey);
    assert.isTrue(await verifyKeyCopy(keys.signingPublicKey, keys.wrappedKeys.epochKeys[0]));
    // The creating administrator holds both too, wrapped to their own public key.
    const adminHash = await publicKeyHash(admin.publicKeyJwk);
    const adminSigning = keys.wrappedKeys.signingKey.find((copy) => copy.recipientKeyHash === adminHash);
    const adminEpoch = keys.wrappedKeys.epochKeys.find((copy) => copy.recipientKeyHash === adminHash);
    assert.equal(adminSigning?.recipient, 'admin');
    assert.equal(adminEpoch?.recipient, 'admin');
    await unwrapSigningKey(adminSigning, admin.privateKey, admin.publicKeyJwk, keys.signingPublicKey);
    assert.isTrue(await verifyKeyCopy(keys.signingPublicKey, adminEpoch));
    wipe(await unwrapEpochKey(adminEpoch, admin.privateKey, admin.publicKeyJwk));
    await page.updateComplete;
    assert.include(page.shadowRoot?.textContent ?? '', code);
    assert.exists(page.shadowRoot?.querySelector('#print-recovery'));
  });

  it('refuses to create a facility while the administrator has no key pair of their own', async () => {
    const api = new MemoryAdminApi();
    const page = await setup(api, () => Promise.resolve(null));
    await openNew(page);
    $<HTMLInputElement>(page, '#id').value = 'crb-segezha';
    $<HTMLInputElement>(page, '#name').value = 'Сегежская ЦРБ';
    $<HTMLButtonElement>(page, 'button[type=submit]').click();
    await until(() => page.error !== null);
    assert.equal(page.error?.key, 'admin.facilities.error.noOwnKeys');
    assert.isUndefined(api.sent.find((call) => call.call === 'createFacility'));
    await page.updateComplete;
    assert.include(page.shadowRoot?.querySelector('[role=alert]')?.textContent ?? '', 'нет своей пары ключей');
  });
});
