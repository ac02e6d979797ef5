/**
 * Revocation and recovery against the real store, with the administrator's browser modules running in Node
 * (WebCrypto is the same API): a facility made by `createFacilityKeys`, members confirmed by `makeKeyCopies`, new
 * epochs started by `startNewEpoch`, custody taken from the recovery kit by `recoverCustody`. Members' devices are
 * played by `KeyRing`, which is what the app uses to decide which key copies to trust.
 *
 * The story: a facility with three members; Нина (nurse) is disabled and a second epoch starts; later Вера too and
 * a third epoch starts. Passports are written under each epoch. Then every member "loses their password": a second
 * administrator, who never held the keys, restores access with the printed recovery code, and a re-enrolled member
 * reads passports of all three epochs.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { deriveAuthKey } from '../../common/auth-derivation.ts';
import type { KeyRing, SignedKeyCopy } from '../../common/keys/index.ts';
import {
  decryptDocument,
  deriveContentKey,
  encryptDocument,
  publicKeyHash,
  recoveryLogin,
} from '../../common/keys/index.ts';
import { refreshFacilityDesignDocs } from '../../couch/provision.ts';
import type { HttpAdminApi } from '../../client/admin/http-admin-api.ts';
import { createFacilityKeys } from '../../client/admin/facility-keys.ts';
import { makeKeyCopies } from '../../client/admin/key-confirmation.ts';
import { RecoveryFailedError, recoverCustody, startNewEpoch } from '../../client/admin/facility-custody.ts';
import { useRegister } from '../helpers/start-register.ts';
import {
  adminApiFor,
  chooseOwnPassword as chooseOwn,
  confirmPending as confirmAll,
  deviceRing as ringOf,
  enrolWithKeys,
  keyPair,
  type KeyMember,
} from '../helpers/key-members.ts';
import { firstAdmin, logIn, readUserDoc, type Session } from '../helpers/users.ts';

const register = useRegister();
const FACILITY = 'rv-a';
const OTP = 'kq7wd-m3fzp-8hrtx-ye2nb';

type Member = KeyMember;

const apiFor = (session: Session): HttpAdminApi => adminApiFor(register.current, session);
const chooseOwnPassword = (login: string, oneTimeAuthKey: string): Promise<Member> =>
  chooseOwn(register.current, login, oneTimeAuthKey);
const enrol = (login: string, roles: string[], facilities: string[]): Promise<Member> =>
  enrolWithKeys(register.current, admin, { login, roles, facilities, oneTimePassword: OTP });
const confirmPending = (by: Member): Promise<string[]> => confirmAll(register.current, by);
const deviceRing = (member: Member): Promise<KeyRing> => ringOf(member, FACILITY);

let admin: Member;
let recoveryCode: string;
const members = new Map<string, Member>();

async function contentKey(ring: KeyRing, member: Member, epoch: number): Promise<CryptoKey> {
  const hkdf = await ring.epochKey(FACILITY, epoch, member.privateKey);
  if (!hkdf) throw new Error(`${member.login} holds no key of epoch ${epoch}`);
  return deriveContentKey(hkdf, { purpose: 'passport', facilityId: FACILITY, epoch });
}

/** Passport ids are random UUIDs; the test names its passports and keeps their ids here. */
const passportIds = new Map<string, string>();
function passportId(name: string): string {
  let id = passportIds.get(name);
  if (!id) {
    id = `passport:${crypto.randomUUID()}`;
    passportIds.set(name, id);
  }
  return id;
}

/** A passport sealed under `epoch`, written through the gateway by `member`; returns the HTTP status. */
async function writePassport(member: Member, ring: KeyRing, epoch: number, id: string): Promise<number> {
  const docId = passportId(id);
  const key = await contentKey(ring, member, epoch);
  const sealed = await encryptDocument(key, { facilityId: FACILITY, docId, epoch }, { surname: `Пациент ${id}` });
  const answer = await member.session.put(`/db/facility-${FACILITY}/${encodeURIComponent(docId)}`, {
    _id: docId,
    type: 'passport',
    ...sealed,
  });
  return answer.status;
}

async function readPassport(member: Member, ring: KeyRing, id: string): Promise<unknown> {
  const docId = passportId(id);
  const doc = (await member.session.get(`/db/facility-${FACILITY}/${encodeURIComponent(docId)}`)).json as {
    kid: string;
  };
  const epoch = Number(doc.kid.split(':')[1]);
  return decryptDocument(await contentKey(ring, member, epoch), { facilityId: FACILITY, docId, epoch }, doc);
}

async function facilityKeysDoc(): Promise<{ epoch: number; epochs: { epoch: number; retireAt?: string }[] }> {
  const doc = await register.current.store.getDoc<{ epoch: number; epochs: { epoch: number; retireAt?: string }[] }>(
    'reference',
    `facility-keys:${FACILITY}`,
  );
  if (!doc) throw new Error('no facility keys');
  return doc;
}

beforeAll(async () => {
  const first = await firstAdmin(register.current);
  const adminSession = await logIn(register.current, first);
  const pair = await keyPair();
  const authKey = await deriveAuthKey(register.current.deploymentId, first.name, 'admin-own-long-passphrase');
  const changed = await adminSession.post('/api/me/credentials', {
    currentAuthKey: first.authKey,
    newAuthKey: authKey,
    keys: { publicKey: pair.publicKeyJwk, encryptedPrivateKey: { iv: 'AAECAwQFBgcICQoL', ct: 'c2VhbGVk' } },
  });
  expect(changed.status, changed.text).toBe(200);
  admin = { login: first.name, ...pair, session: await logIn(register.current, { name: first.name, authKey }) };

  const made = await createFacilityKeys(FACILITY, { login: admin.login, publicKeyJwk: admin.publicKeyJwk });
  recoveryCode = made.recoveryCode;
  await apiFor(admin.session).createFacility({ id: FACILITY, name: 'Хоспис на Заречной', keys: made.keys });
  for (const [login, role] of [
    ['nina', 'nurse'],
    ['dima', 'doctor'],
    ['vera', 'nurse'],
  ] as const) {
    members.set(login, await enrol(login, [role], [FACILITY]));
  }
  expect((await confirmPending(admin)).sort()).toEqual(['dima', 'nina', 'vera']);
}, 120_000);

function member(login: string): Member {
  const found = members.get(login);
  if (!found) throw new Error(`no member ${login}`);
  return found;
}

describe('revoking a member', () => {
  it('lists the remaining members with key pairs and the recovery key as recipients', async () => {
    const recipients = await apiFor(admin.session).keyRecipients(FACILITY);
    expect(recipients.epoch).toBe(1);
    expect(recipients.members.map((entry) => entry.login).sort()).toEqual(['dima', 'nina', 'vera']);
  });

  it('refuses the epoch and custody routes to non-administrators with 403', async () => {
    const dima = member('dima');
    expect((await dima.session.get(`/api/admin/facilities/${FACILITY}/key-recipients`)).status).toBe(403);
    expect((await dima.session.post(`/api/admin/facilities/${FACILITY}/epochs`, {})).status).toBe(403);
    expect((await dima.session.post(`/api/admin/facilities/${FACILITY}/custody`, {})).status).toBe(403);
  });

  it('refuses malformed epochs with 400 naming the field, and a skipped epoch number with 409', async () => {
    const post = (body: unknown) => admin.session.post(`/api/admin/facilities/${FACILITY}/epochs`, body);
    const field = async (body: unknown) => ((await post(body)).json as { field?: string }).field;
    expect(await field({ epoch: 'two', copies: [] })).toBe('epoch');
    expect(await field({ epoch: 2, graceHours: -1, copies: [] })).toBe('graceHours');
    expect(await field({ epoch: 2, copies: [] })).toBe('copies');
    expect(await field({ epoch: 2, copies: [{ not: 'a copy' }] })).toBe('copies[0]');
    expect(await field({ epoch: 2, copies: [], extra: true })).toBe('extra');
    const keys = await apiFor(admin.session).facilityKeys(FACILITY);
    const someCopy = keys?.wrappedKeys.epochKeys[0];
    expect((await post({ epoch: 5, copies: [someCopy] })).status).toBe(409);
  });

  it('disabling the nurse ends her session at once', async () => {
    const nina = member('nina');
    expect((await nina.session.get(`/db/facility-${FACILITY}`)).status).toBe(200);
    expect((await admin.session.post('/api/admin/staff/nina/disable', {})).status).toBe(200);
    expect((await nina.session.get(`/db/facility-${FACILITY}`)).status).toBe(401);
  });

  it('starts epoch 2 for the remaining members and the recovery key, not for the disabled nurse', async () => {
    const dima = member('dima');
    const before = await deviceRing(dima);
    expect(await writePassport(dima, before, 1, 'before-revocation')).toBe(201);

    const started = await startNewEpoch(apiFor(admin.session), FACILITY, admin, {
      graceHours: 1,
      reason: 'member-disabled',
    });
    expect(started).toMatchObject({ facilityId: FACILITY, epoch: 2, members: 2 });

    const keys = await facilityKeysDoc();
    expect(keys.epoch).toBe(2);
    expect(keys.epochs.map((entry) => entry.epoch)).toEqual([1, 2]);
    expect(Date.parse(keys.epochs[0]?.retireAt ?? '')).toBeGreaterThan(Date.now());
    const stored = await apiFor(admin.session).facilityKeys(FACILITY);
    expect(stored?.wrappedKeys.epochKeys.filter((copy) => copy.epoch === 2).map((copy) => copy.recipient)).toEqual([
      recoveryLogin(FACILITY),
      admin.login,
    ]);
    const ninaDoc = await readUserDoc(register.current, 'nina');
    expect((ninaDoc.keyCopies as SignedKeyCopy[]).map((copy) => copy.epoch)).toEqual([1]);

    const ring = await deviceRing(dima);
    expect(ring.currentEpoch(FACILITY)).toBe(2);
    const audit = await admin.session.get('/api/admin/audit?event=epoch-started');
    expect(audit.json).toMatchObject({ events: [{ target: FACILITY, epoch: 2, reason: 'member-disabled' }] });
  });

  it('accepts writes under epoch 2 at once and under epoch 1 only until the grace period ends', async () => {
    const dima = member('dima');
    const ring = await deviceRing(dima);
    expect(await writePassport(dima, ring, 2, 'after-revocation')).toBe(201);
    expect(await writePassport(dima, ring, 1, 'offline-device')).toBe(201);

    // Two hours later (the grace period was one hour) the retirement timer rewrites the design document.
    expect(await refreshFacilityDesignDocs(register.current.store, Date.now() + 2 * 3_600_000)).toEqual([
      `facility-${FACILITY}`,
    ]);
    const key = await contentKey(ring, dima, 1);
    const docId = passportId('late-device');
    const sealed = await encryptDocument(key, { facilityId: FACILITY, docId, epoch: 1 }, { surname: 'Поздний' });
    const refused = await dima.session.put(`/db/facility-${FACILITY}/${encodeURIComponent(docId)}`, {
      _id: docId,
      type: 'passport',
      ...sealed,
    });
    expect(refused.status).toBe(403);
    expect(refused.text).toMatch(/epoch/i);
    expect(await writePassport(dima, ring, 2, 'after-retirement')).toBe(201);
    // What was written before stays readable with the older key.
    expect(await readPassport(dima, ring, 'before-revocation')).toEqual({ surname: 'Пациент before-revocation' });
  });

  it('a second revocation starts epoch 3, still wrapped to the recovery key', async () => {
    expect((await admin.session.post('/api/admin/staff/vera/disable', {})).status).toBe(200);
    const started = await startNewEpoch(apiFor(admin.session), FACILITY, admin, { graceHours: 0 });
    expect(started).toMatchObject({ epoch: 3, members: 1 });
    const dima = member('dima');
    const ring = await deviceRing(dima);
    expect(ring.currentEpoch(FACILITY)).toBe(3);
    expect(await writePassport(dima, ring, 3, 'third-epoch')).toBe(201);
    // Grace 0: epoch 2 is refused at once.
    expect(await writePassport(dima, ring, 2, 'too-late')).toBe(403);
  });
});

describe('recovery with the printed code', () => {
  let anna: Member;

  beforeAll(async () => {
    // A second administrator who never held the facility's keys.
    anna = await enrol('anna', ['admin'], []);
  });

  it('an administrator without custody cannot confirm members', async () => {
    const dimaAuthKey = await deriveAuthKey(register.current.deploymentId, 'dima', OTP);
    expect(
      (await admin.session.post('/api/admin/staff/dima/reset', { authKey: dimaAuthKey })).status,
      'every member lost their password: the doctor is re-enrolled',
    ).toBe(200);
    members.set('dima', await chooseOwnPassword('dima', dimaAuthKey));
    const api = apiFor(anna.session);
    const pending = await api.listKeyConfirmations();
    expect(pending.map((entry) => entry.login)).toEqual(['dima']);
    await expect(makeKeyCopies(pending[0] as (typeof pending)[0], (id) => api.facilityKeys(id), anna)).rejects.toThrow(
      /no copy of the keys/,
    );
  });

  it('a wrong code opens nothing and stores nothing', async () => {
    const wrong = recoveryCode.replace(/[0-9A-Z]/, (c) => (c === 'A' ? 'B' : 'A'));
    await expect(recoverCustody(apiFor(anna.session), FACILITY, wrong, anna)).rejects.toBeInstanceOf(
      RecoveryFailedError,
    );
    const keys = await apiFor(anna.session).facilityKeys(FACILITY);
    expect(keys?.wrappedKeys.signingKey.some((copy) => copy.recipient === 'anna')).toBe(false);
  });

  it('the code gives the second administrator custody of all three epochs, audited', async () => {
    expect(await recoverCustody(apiFor(anna.session), FACILITY, recoveryCode, anna)).toEqual({ epochs: [1, 2, 3] });
    const audit = await anna.session.get('/api/admin/audit?event=recovery-used');
    expect(audit.json).toMatchObject({ events: [{ login: 'anna', target: FACILITY, epochs: [1, 2, 3] }] });
  });

  it('the re-enrolled doctor, confirmed by her, reads passports of every epoch', async () => {
    expect(await confirmPending(anna)).toEqual(['dima']);
    const dima = member('dima');
    const ring = await deviceRing(dima);
    expect(ring.currentEpoch(FACILITY)).toBe(3);
    expect(await readPassport(dima, ring, 'before-revocation')).toEqual({ surname: 'Пациент before-revocation' });
    expect(await readPassport(dima, ring, 'after-revocation')).toEqual({ surname: 'Пациент after-revocation' });
    expect(await readPassport(dima, ring, 'third-epoch')).toEqual({ surname: 'Пациент third-epoch' });
    expect(await writePassport(dima, ring, 3, 'after-recovery')).toBe(201);
  });

  it('custody copies must be for the caller and verify', async () => {
    const keys = await apiFor(anna.session).facilityKeys(FACILITY);
    const adminCopy = keys?.wrappedKeys.signingKey.find((copy) => copy.recipient === admin.login);
    const annaEpochs = keys?.wrappedKeys.epochKeys.filter((copy) => copy.recipient === 'anna');
    const post = (body: unknown) => anna.session.post(`/api/admin/facilities/${FACILITY}/custody`, body);
    expect(((await post({ signingKey: adminCopy, epochKeys: annaEpochs })).json as { field?: string }).field).toBe(
      'signingKey',
    );
    expect(((await post({ signingKey: 'x', epochKeys: annaEpochs })).json as { field?: string }).field).toBe(
      'signingKey',
    );
    expect(await publicKeyHash(anna.publicKeyJwk)).toBe(annaEpochs?.[0]?.recipientKeyHash);
  });
});
