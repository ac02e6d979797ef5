/**
 * The facility keys panel with real keys: the facility-keys document is made by createFacilityKeys for an
 * administrator key pair generated here, and every copy the panel sends is checked with the real key functions
 * (signature with the facility's signing public key, unwrapping with the recipient's private key). The admin API
 * is the in-memory stand-in of the other administrator pages; the facility database is an in-memory FacilityDocs
 * that hands out and stores documents the way the gateway does.
 */
import { assert, expect, html } from '@open-wc/testing';
import './rp-admin-facility-keys.ts';
import type { RpAdminFacilityKeys } from './rp-admin-facility-keys.ts';
import { FACILITIES, MemoryAdminApi, renderAdmin } from '../../admin/testing/admin-test-context.ts';
import { createFacilityKeys } from '../../admin/facility-keys.ts';
import type { FacilityKeysDoc, NewEpoch } from '../../admin/admin-types.ts';
import type { FacilityDocs } from '../../admin/re-encrypt.ts';
import type { OwnKeyPair } from '../../crypto/user-key-pair.ts';
import { $, find, shadowText, until } from '../../test-support/render.ts';
import {
  createRecoveryKit,
  decryptDocument,
  deriveContentKey,
  encryptDocument,
  exportPublicJwk,
  publicKeyHash,
  recoveryLogin,
  unwrapEpochKey,
  unwrapSigningKey,
  verifyKeyCopy,
  wipe,
  type SignedKeyCopy,
  type WrappedSigningKey,
} from '../../../common/keys/index.ts';

const HOSPICE = FACILITIES[1];
const FACILITY_ID = HOSPICE.id;

async function keyPair(login: string): Promise<OwnKeyPair> {
  const pair = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits']);
  return { login, publicKeyJwk: await exportPublicJwk(pair.publicKey), privateKey: pair.privateKey };
}

interface Setup {
  api: MemoryAdminApi;
  panel: RpAdminFacilityKeys;
  admin: OwnKeyPair;
  members: OwnKeyPair[];
  keysDoc: FacilityKeysDoc;
  recoveryCode: string;
}

/**
 * The panel for the hospice, whose keys were made for `custodian` (the administrator at this browser unless
 * another is given), with two members holding key pairs as recipients of a new epoch.
 */
async function setup(options: { custodian?: OwnKeyPair; docs?: FacilityDocs } = {}): Promise<Setup> {
  const admin = await keyPair('admin');
  const { keys, recoveryCode } = await createFacilityKeys(FACILITY_ID, options.custodian ?? admin);
  const keysDoc: FacilityKeysDoc = {
    facilityId: FACILITY_ID,
    epoch: keys.epoch,
    signingPublicKey: keys.signingPublicKey,
    wrappedKeys: keys.wrappedKeys ?? { signingKey: [], epochKeys: [] },
    recoveryKit: keys.recoveryKit,
  };
  const api = new MemoryAdminApi();
  api.keys.set(FACILITY_ID, keysDoc);
  const members = [await keyPair('smirnova'), await keyPair('kuzmina')];
  api.recipients.set(FACILITY_ID, {
    facilityId: FACILITY_ID,
    epoch: keys.epoch,
    recoveryPublicKey: keys.recoveryPublicKey,
    members: await Promise.all(
      members.map(async (member) => ({
        login: member.login,
        displayName: `Сотрудник ${member.login}`,
        publicKey: member.publicKeyJwk,
        publicKeyHash: await publicKeyHash(member.publicKeyJwk),
      })),
    ),
  });
  const docs = options.docs ?? new MemoryFacilityDocs();
  const panel = await renderAdmin<RpAdminFacilityKeys>(
    html`<rp-admin-facility-keys
      .api=${api}
      .facility=${HOSPICE}
      .ownKeys=${() => Promise.resolve(admin)}
      .docsFor=${() => docs}
    ></rp-admin-facility-keys>`,
    'rp-admin-facility-keys',
  );
  await until(() => panel.epoch !== null);
  await panel.updateComplete;
  return { api, panel, admin, members, keysDoc, recoveryCode };
}

/** The messages the input's `aria-describedby` points to that are error messages (`…-error`). */
function errorFor(panel: RpAdminFacilityKeys, id: string): string {
  const ids = ($(panel, `#${id}`).getAttribute('aria-describedby') ?? '').split(' ');
  return ids
    .filter((described) => described.endsWith('-error'))
    .map((described) => panel.shadowRoot?.getElementById(described)?.textContent?.trim() ?? '')
    .join(' ');
}

function statusText(panel: RpAdminFacilityKeys): string {
  return (find(panel, '[role=status]')?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

function alertText(panel: RpAdminFacilityKeys): string {
  return (find(panel, '[role=alert]')?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

async function startEpoch(panel: RpAdminFacilityKeys, graceHours: string): Promise<void> {
  $<HTMLInputElement>(panel, '#grace').value = graceHours;
  $<HTMLButtonElement>(panel, 'form[aria-labelledby=epoch-heading] button[type=submit]').click();
  await panel.updateComplete;
}

async function recover(panel: RpAdminFacilityKeys, code: string): Promise<void> {
  $<HTMLInputElement>(panel, '#code').value = code;
  $<HTMLButtonElement>(panel, 'form[aria-labelledby=recover-heading] button[type=submit]').click();
  await panel.updateComplete;
}

function sentEpoch(api: MemoryAdminApi): (NewEpoch & { facilityId: string }) | undefined {
  return api.sent.find((call) => call.call === 'startEpoch')?.body as (NewEpoch & { facilityId: string }) | undefined;
}

/**
 * What the server does with a started epoch (server/admin/epochs.ts): the facility-keys document moves to the new
 * epoch and keeps the custody copies (the recovery key's and the starting administrator's); members' copies go to
 * their own accounts.
 */
function storeStartedEpoch(api: MemoryAdminApi, started: NewEpoch & { facilityId: string }): void {
  const current = api.keys.get(started.facilityId);
  if (!current) throw new Error('no keys document to move to the new epoch');
  const members = new Set(api.recipients.get(started.facilityId)?.members.map((member) => member.login));
  api.keys.set(started.facilityId, {
    ...current,
    epoch: started.epoch,
    wrappedKeys: {
      signingKey: current.wrappedKeys.signingKey,
      epochKeys: [...current.wrappedKeys.epochKeys, ...started.copies.filter((copy) => !members.has(copy.recipient))],
    },
  });
}

/** The content key of one purpose and epoch, from the administrator's own copy of that epoch's key. */
async function contentKey(
  copies: readonly SignedKeyCopy[],
  owner: OwnKeyPair,
  epoch: number,
  purpose: 'passport' | 'note',
): Promise<CryptoKey> {
  const copy = copies.find((candidate) => candidate.recipient === owner.login && candidate.epoch === epoch);
  if (!copy) throw new Error(`no copy of epoch ${epoch} for ${owner.login}`);
  const raw = await unwrapEpochKey(copy, owner.privateKey, owner.publicKeyJwk);
  try {
    return await deriveContentKey(raw, { purpose, facilityId: FACILITY_ID, epoch });
  } finally {
    wipe(raw);
  }
}

/**
 * A facility database in memory, as `HttpFacilityDocs` sees the real one: documents in id order, paged after an
 * id, and written only with the current revision (a stale `_rev` is a conflict, as in CouchDB).
 */
class MemoryFacilityDocs implements FacilityDocs {
  readonly docs = new Map<string, Record<string, unknown>>();
  readonly saved: string[] = [];

  add(doc: Record<string, unknown>): void {
    this.docs.set(String(doc._id), { ...doc, _rev: '1-a' });
  }

  count(): Promise<number> {
    return Promise.resolve(this.docs.size);
  }

  page(startAfter: string | null, limit: number): Promise<{ docs: Record<string, unknown>[]; last: string | null }> {
    const ids = [...this.docs.keys()].sort().filter((id) => startAfter === null || id > startAfter);
    const handedOut = ids.slice(0, limit);
    return Promise.resolve({
      docs: handedOut.map((id) => structuredClone(this.docs.get(id) ?? {})),
      last: ids.length > limit ? (handedOut.at(-1) ?? null) : null,
    });
  }

  save(docs: Record<string, unknown>[]): Promise<{ id: string; ok: boolean; error?: string; reason?: string }[]> {
    return Promise.resolve(
      docs.map((doc) => {
        const id = String(doc._id);
        const current = this.docs.get(id);
        if (!current || current._rev !== doc._rev)
          return { id, ok: false, error: 'conflict', reason: 'Document update conflict.' };
        const generation = Number(String(current._rev).split('-')[0]) + 1;
        this.docs.set(id, { ...doc, _rev: `${generation}-b` });
        this.saved.push(id);
        return { id, ok: true };
      }),
    );
  }
}

describe('rp-admin-facility-keys', () => {
  it('shows the current epoch and is accessible', async () => {
    const { panel } = await setup();
    assert.include(shadowText(panel), 'Ключи учреждения «Хоспис Петрозаводска»');
    assert.include(shadowText(panel), 'Текущая эпоха ключей: 1.');
    await expect(panel).to.be.accessible();
  });

  for (const graceHours of ['-1', 'abc', '721']) {
    it(`refuses the grace period "${graceHours}" next to the field and sends nothing`, async () => {
      const { api, panel } = await setup();
      await startEpoch(panel, graceHours);
      assert.equal(errorFor(panel, 'grace'), 'Укажите целое число часов от 0 до 720.');
      assert.include($(panel, '#grace').getAttribute('aria-describedby') ?? '', 'grace-hint');
      assert.equal($(panel, '#grace').getAttribute('aria-invalid'), 'true');
      assert.equal(panel.shadowRoot?.activeElement?.id, 'grace');
      assert.deepEqual(api.sent, []);
      await expect(panel).to.be.accessible();
    });
  }

  it('starts a new epoch with signed copies for every member, the recovery key and the administrator', async () => {
    const { api, panel, admin, members, keysDoc } = await setup();
    await startEpoch(panel, '48');
    await until(() => panel.message !== null || panel.error !== null);
    await panel.updateComplete;
    assert.equal(alertText(panel), '');
    const sent = sentEpoch(api);
    if (!sent) throw new Error('no epoch was started');
    assert.equal(sent.facilityId, FACILITY_ID);
    assert.equal(sent.epoch, 2);
    assert.equal(sent.graceHours, 48);
    const recipients = [recoveryLogin(FACILITY_ID), admin.login, ...members.map((member) => member.login)];
    assert.sameMembers(
      sent.copies.map((copy) => copy.recipient),
      recipients,
    );
    for (const copy of sent.copies) {
      assert.include(copy, { facilityId: FACILITY_ID, epoch: 2 });
      assert.isTrue(await verifyKeyCopy(keysDoc.signingPublicKey, copy), `the copy for ${copy.recipient} verifies`);
    }
    // Every member and the administrator open the same new key with their own private keys.
    const opened = await Promise.all(
      [admin, ...members].map(async (owner) => {
        const copy = sent.copies.find((candidate) => candidate.recipient === owner.login);
        const raw = await unwrapEpochKey(copy, owner.privateKey, owner.publicKeyJwk);
        const hex = Array.from(raw, (byte) => byte.toString(16).padStart(2, '0')).join('');
        wipe(raw);
        return hex;
      }),
    );
    assert.lengthOf(new Set(opened), 1);
    assert.include(statusText(panel), 'Начата эпоха 2; ключ получили сотрудников: 2.');
    assert.include(shadowText(panel), 'Текущая эпоха ключей: 2.');
  });

  it('tells an administrator without the facility keys to recover access first', async () => {
    const { api, panel } = await setup({ custodian: await keyPair('other-admin') });
    await startEpoch(panel, '24');
    await until(() => panel.error !== null);
    await panel.updateComplete;
    assert.equal(
      alertText(panel),
      'У вас нет ключей этого учреждения. Восстановите доступ по коду с листа восстановления.',
    );
    assert.deepEqual(api.sent, []);
    assert.include(shadowText(panel), 'Текущая эпоха ключей: 1.');
  });

  it('asks for the recovery code next to the field', async () => {
    const { api, panel } = await setup();
    await recover(panel, '   ');
    assert.equal(errorFor(panel, 'code'), 'Введите код восстановления.');
    assert.equal($(panel, '#code').getAttribute('aria-invalid'), 'true');
    assert.equal(panel.shadowRoot?.activeElement?.id, 'code');
    assert.deepEqual(api.sent, []);
  });

  it('says next to the field that a code does not fit, and keeps what was typed', async () => {
    const { api, panel } = await setup({ custodian: await keyPair('other-admin') });
    // A well-formed code (its check characters are right) of another recovery kit.
    const { code: otherCode } = await createRecoveryKit(FACILITY_ID);
    await recover(panel, otherCode);
    await until(() => panel.fieldErrors.code !== undefined || panel.error !== null);
    await panel.updateComplete;
    assert.equal(
      errorFor(panel, 'code'),
      'Код не подходит к этому учреждению. Проверьте, что он введён полностью и без ошибок.',
    );
    assert.equal($<HTMLInputElement>(panel, '#code').value, otherCode);
    assert.equal(alertText(panel), '');
    assert.deepEqual(api.sent, []);
    await expect(panel).to.be.accessible();
  });

  it('recovers access with the right code: the signing key and the epoch keys wrapped to the administrator', async () => {
    const { api, panel, admin, keysDoc, recoveryCode } = await setup({ custodian: await keyPair('other-admin') });
    await recover(panel, recoveryCode);
    await until(() => panel.message !== null || panel.error !== null);
    await panel.updateComplete;
    assert.equal(alertText(panel), '');
    const sent = api.sent.find((call) => call.call === 'takeCustody')?.body as
      { facilityId: string; signingKey: WrappedSigningKey; epochKeys: SignedKeyCopy[] } | undefined;
    if (!sent) throw new Error('no custody was taken');
    assert.equal(sent.facilityId, FACILITY_ID);
    assert.include(sent.signingKey, { facilityId: FACILITY_ID, recipient: admin.login });
    assert.equal(sent.signingKey.recipientKeyHash, await publicKeyHash(admin.publicKeyJwk));
    const signing = await unwrapSigningKey(
      sent.signingKey,
      admin.privateKey,
      admin.publicKeyJwk,
      keysDoc.signingPublicKey,
    );
    assert.equal(signing.privateKey.type, 'private');
    assert.lengthOf(sent.epochKeys, 1);
    const [copy] = sent.epochKeys;
    assert.include(copy, { facilityId: FACILITY_ID, epoch: 1, recipient: admin.login });
    assert.isTrue(await verifyKeyCopy(keysDoc.signingPublicKey, copy));
    const raw = await unwrapEpochKey(copy, admin.privateKey, admin.publicKeyJwk);
    assert.lengthOf(raw, 32);
    wipe(raw);
    assert.include(statusText(panel), 'Доступ восстановлен: у вас ключи эпох 1.');
    assert.equal($<HTMLInputElement>(panel, '#code').value, '', 'the code is cleared once used');
  });

  it('re-encrypts records sealed under the previous epoch with a progress bar, and a second run writes nothing', async () => {
    const docs = new MemoryFacilityDocs();
    const { api, panel, admin, keysDoc } = await setup({ docs });
    const epochOneCopies = keysDoc.wrappedKeys.epochKeys;
    const passportId = 'passport:0b6f3c1e-7d52-4c3a-9f4e-2a1d5e8c9b70';
    const visitId = 'visit:7f1e2d3c:5a6b7c8d';
    const passport = { patientId: '7f1e2d3c', surname: 'Кузнецова', name: 'Анна', birthDate: '1948-03-02' };
    const note = 'Дочь приезжает по выходным.';
    docs.add({
      _id: passportId,
      type: 'passport',
      ...(await encryptDocument(
        await contentKey(epochOneCopies, admin, 1, 'passport'),
        { facilityId: FACILITY_ID, docId: passportId, epoch: 1 },
        passport,
      )),
    });
    docs.add({
      _id: visitId,
      type: 'visit',
      date: '2026-11-20',
      notes: await encryptDocument(
        await contentKey(epochOneCopies, admin, 1, 'note'),
        { facilityId: FACILITY_ID, docId: `${visitId}#notes`, epoch: 1 },
        note,
      ),
    });
    docs.add({ _id: 'patient:7f1e2d3c', type: 'patient', sex: 'female', birthYear: 1948 });

    await startEpoch(panel, '0');
    await until(() => panel.message !== null || panel.error !== null);
    const started = sentEpoch(api);
    if (!started) throw new Error('no epoch was started');
    storeStartedEpoch(api, started);

    $<HTMLButtonElement>(panel, '#reencrypt').click();
    await until(() => panel.busy === null && panel.message?.key === 'admin.keys.reencrypted');
    await panel.updateComplete;
    const progress = $<HTMLProgressElement>(panel, 'progress');
    assert.equal(progress.max, 3);
    assert.equal(progress.value, 3);
    assert.equal(progress.getAttribute('aria-label'), 'Просмотрено 3 из 3, перешифровано 2.');
    assert.include(statusText(panel), 'Готово: перешифровано 2, не удалось 0.');
    assert.sameMembers(docs.saved, [passportId, visitId]);

    const storedPassport = docs.docs.get(passportId) ?? {};
    assert.equal(storedPassport.kid, `${FACILITY_ID}:2`);
    assert.sameMembers(Object.keys(storedPassport), ['_id', '_rev', 'type', 'v', 'kid', 'iv', 'ct']);
    assert.deepEqual(
      await decryptDocument(
        await contentKey(started.copies, admin, 2, 'passport'),
        { facilityId: FACILITY_ID, docId: passportId, epoch: 2 },
        storedPassport,
      ),
      passport,
    );
    const storedVisit = docs.docs.get(visitId) ?? {};
    assert.equal(storedVisit.updatedBy, admin.login);
    assert.deepEqual(
      await decryptDocument(
        await contentKey(started.copies, admin, 2, 'note'),
        { facilityId: FACILITY_ID, docId: `${visitId}#notes`, epoch: 2 },
        storedVisit.notes,
      ),
      note,
    );
    assert.equal(docs.docs.get('patient:7f1e2d3c')?._rev, '1-a', 'a record with nothing sealed is not written');
    await expect(panel).to.be.accessible();

    $<HTMLButtonElement>(panel, '#reencrypt').click();
    // The run clears the previous message as it starts, so a message again means this second run has finished.
    assert.equal(panel.busy, 'reencrypt');
    await until(() => panel.busy === null && panel.message !== null);
    await panel.updateComplete;
    assert.include(statusText(panel), 'Готово: перешифровано 0, не удалось 0.');
    assert.lengthOf(docs.saved, 2);
  });
});
