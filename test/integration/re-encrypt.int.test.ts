/**
 * Re-encrypting a facility after a revocation, against the real store: the administrator's browser modules run in
 * Node (WebCrypto is the same API) and reach the facility database through the gateway with their own session, as
 * the administrator's page does. The doctor's device is played by `KeyRing`, the app's judge of key copies.
 *
 * The story: a facility with a doctor and a nurse; the doctor writes passports and a visit with a sealed note
 * under epoch 1 (one passport's ciphertext is later damaged on its way). The nurse is disabled and epoch 2 starts
 * with no grace period, so the design document refuses epoch 1 at once. The administrator — a member of the
 * facility, since the design document accepts writes from members only — re-encrypts: first a run stopped after
 * one batch, then a full run during which the doctor's device changes one passport itself, then a run that finds
 * nothing left to do.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { deriveAuthKey } from '../../common/auth-derivation.ts';
import type { KeyRing } from '../../common/keys/index.ts';
import {
  contextOf,
  decryptDocument,
  deriveContentKey,
  encryptDocument,
  findSealedValues,
  type ContentPurpose,
} from '../../common/keys/index.ts';
import { auditEvent, changed, visit } from '../../common/records/test-fixtures.ts';
import type { HttpAdminApi } from '../../client/admin/http-admin-api.ts';
import { createFacilityKeys } from '../../client/admin/facility-keys.ts';
import { openCustody, startNewEpoch } from '../../client/admin/facility-custody.ts';
import {
  HttpFacilityDocs,
  reencryptFacility,
  type FacilityDocs,
  type ReencryptProgress,
} from '../../client/admin/re-encrypt.ts';
import { useRegister } from '../helpers/start-register.ts';
import {
  adminApiFor,
  confirmPending as confirmAll,
  deviceRing as ringOf,
  enrolWithKeys,
  keyPair,
  type KeyMember,
} from '../helpers/key-members.ts';
import { firstAdmin, logIn, type Session } from '../helpers/users.ts';

const register = useRegister();
const FACILITY = 're-a';
const DB = `/db/facility-${FACILITY}`;
const OTP = 'kq7wd-m3fzp-8hrtx-ye2nb';

type Member = KeyMember;

const apiFor = (session: Session): HttpAdminApi => adminApiFor(register.current, session);
const enrol = (login: string, roles: string[]): Promise<Member> =>
  enrolWithKeys(register.current, admin, { login, roles, facilities: [FACILITY], oneTimePassword: OTP });
const confirmPending = (by: Member): Promise<string[]> => confirmAll(register.current, by);
const deviceRing = (member: Member): Promise<KeyRing> => ringOf(member, FACILITY);

let admin: Member;
let doctor: Member;
let nurse: Member;

/**
 * Ids in a known order, so the batches of two are predictable: the design document and the audit event sort first
 * and are not handed out (an empty first batch), then p1 p2 | p3 p4 | p5 visit.
 */
const uuid = (n: number): string => `0000000${n}-0000-4000-8000-000000000000`;
const PATIENT = '3f0c6a52-8d1e-4b7a-9c2f-5e6d7a8b9c0d';
const PASSPORTS = [1, 2, 3, 4, 5].map((n) => `passport:${uuid(n)}`);
const TAMPERED = PASSPORTS[1] as string;
const CONCURRENT = PASSPORTS[2] as string;
const VISIT = `visit:${PATIENT}:${uuid(9)}`;
const NOTE = 'Дочь просила звонить после 18:00, Иванова Мария Петровна';
const surnameOf = (id: string): string => `Пациентка ${id.slice(-14)}`;

/** The fetch of the administrator's browser: the register's origin and the session cookie. */
function fetchFor(session: Session): typeof fetch {
  return (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('cookie', session.cookie);
    return fetch(`${register.current.url}${String(input)}`, { ...init, headers });
  };
}

async function contentKey(ring: KeyRing, member: Member, purpose: ContentPurpose, epoch: number): Promise<CryptoKey> {
  const hkdf = await ring.epochKey(FACILITY, epoch, member.privateKey);
  if (!hkdf) throw new Error(`${member.login} holds no key of epoch ${epoch}`);
  return deriveContentKey(hkdf, { purpose, facilityId: FACILITY, epoch });
}

async function getDoc(session: Session, id: string): Promise<Record<string, unknown>> {
  const answer = await session.get(`${DB}/${encodeURIComponent(id)}`);
  expect(answer.status, answer.text).toBe(200);
  return answer.json as Record<string, unknown>;
}

async function putDoc(session: Session, doc: Record<string, unknown>): Promise<void> {
  const answer = await session.put(`${DB}/${encodeURIComponent(String(doc._id))}`, doc);
  expect(answer.status, answer.text).toBe(201);
}

/** A passport sealed by the doctor's device under `epoch`, as stored. */
async function sealedPassport(ring: KeyRing, id: string, epoch: number, rev?: string) {
  const key = await contentKey(ring, doctor, 'passport', epoch);
  const sealed = await encryptDocument(key, { facilityId: FACILITY, docId: id, epoch }, { surname: surnameOf(id) });
  return { _id: id, ...(rev ? { _rev: rev } : {}), type: 'passport', ...sealed };
}

/** Every sealed value of a document opened by the doctor's device, by field path. */
async function readAsDoctor(ring: KeyRing, doc: Record<string, unknown>): Promise<Record<string, unknown>> {
  const opened: Record<string, unknown> = {};
  for (const value of findSealedValues(doc)) {
    const context = contextOf(FACILITY, String(doc._id), value);
    if (!context) throw new Error(`a foreign key in ${String(doc._id)}`);
    const key = await contentKey(ring, doctor, context.purpose, context.epoch);
    opened[value.path.join('.')] = await decryptDocument(key, context, value.sealed);
  }
  return opened;
}

/** Every document of the facility database but the design document, as the administrator reads it. */
async function allDocs(): Promise<Record<string, unknown>[]> {
  const answer = await admin.session.get(`${DB}/_all_docs?include_docs=true`);
  const rows = (answer.json as { rows: { id: string; doc: Record<string, unknown> }[] }).rows;
  return rows.filter((row) => !row.id.startsWith('_design/')).map((row) => row.doc);
}

async function custody() {
  const keys = await apiFor(admin.session).facilityKeys(FACILITY);
  if (!keys) throw new Error('no facility keys');
  return openCustody(keys, admin);
}

/** Runs the re-encryption over the gateway as the administrator, keeping every progress report. */
async function run(docs: FacilityDocs, options: { batchSize?: number; abortAfter?: number } = {}) {
  const reports: ReencryptProgress[] = [];
  const controller = new AbortController();
  const opened = await custody();
  try {
    const result = await reencryptFacility(
      docs,
      FACILITY,
      opened,
      admin.login,
      (progress) => {
        reports.push(progress);
        if (reports.length === options.abortAfter) controller.abort();
      },
      { batchSize: options.batchSize ?? 2, signal: controller.signal },
    );
    return { result, reports };
  } finally {
    opened.close();
  }
}

let before: Map<string, Record<string, unknown>>;

beforeAll(async () => {
  const first = await firstAdmin(register.current);
  const firstSession = await logIn(register.current, first);
  const pair = await keyPair();
  const authKey = await deriveAuthKey(register.current.deploymentId, first.name, 'admin-own-long-passphrase');
  const answer = await firstSession.post('/api/me/credentials', {
    currentAuthKey: first.authKey,
    newAuthKey: authKey,
    keys: { publicKey: pair.publicKeyJwk, encryptedPrivateKey: { iv: 'AAECAwQFBgcICQoL', ct: 'c2VhbGVk' } },
  });
  expect(answer.status, answer.text).toBe(200);
  admin = { login: first.name, ...pair, session: await logIn(register.current, { name: first.name, authKey }) };

  const made = await createFacilityKeys(FACILITY, { login: admin.login, publicKeyJwk: admin.publicKeyJwk });
  await apiFor(admin.session).createFacility({ id: FACILITY, name: 'Хоспис на Онежской', keys: made.keys });
  // The design document accepts writes from members of the facility only: the administrator joins it.
  await apiFor(admin.session).updateStaff(admin.login, { facilities: [FACILITY] });
  doctor = await enrol('dima', ['doctor']);
  nurse = await enrol('nina', ['nurse']);
  await confirmPending(admin);

  const ring = await deviceRing(doctor);
  for (const id of PASSPORTS) {
    const passport = await sealedPassport(ring, id, 1);
    // Damaged on its way (a bad sector, a broken client): the ciphertext no longer matches its tag.
    if (id === TAMPERED)
      passport.ct = `${passport.ct.slice(0, 10)}${passport.ct[10] === 'A' ? 'B' : 'A'}${passport.ct.slice(11)}`;
    await putDoc(doctor.session, passport);
  }
  const noteKey = await contentKey(ring, doctor, 'note', 1);
  const note = await encryptDocument(noteKey, { facilityId: FACILITY, docId: `${VISIT}#note`, epoch: 1 }, NOTE);
  await putDoc(
    doctor.session,
    changed(visit(), (copy) => {
      Object.assign(copy, { _id: VISIT, performer: 'dima', performerRole: 'doctor', createdBy: 'dima', note });
    }) as unknown as Record<string, unknown>,
  );
  // Audit events are append-only and never re-encrypted; one is here to show it is left alone and not counted.
  await putDoc(doctor.session, auditEvent('dima') as unknown as Record<string, unknown>);

  before = new Map();
  for (const id of [...PASSPORTS.filter((p) => p !== TAMPERED), VISIT]) {
    before.set(id, await readAsDoctor(ring, await getDoc(doctor.session, id)));
  }
  expect(before.get(VISIT)).toEqual({ note: NOTE });

  // The revocation: the nurse is disabled and epoch 2 starts with no grace period.
  expect((await admin.session.post('/api/admin/staff/nina/disable', {})).status).toBe(200);
  expect(await startNewEpoch(apiFor(admin.session), FACILITY, admin, { graceHours: 0 })).toMatchObject({ epoch: 2 });
  const refused = await doctor.session.put(
    `${DB}/${encodeURIComponent('passport:' + uuid(7))}`,
    await sealedPassport(ring, `passport:${uuid(7)}`, 1),
  );
  expect(refused.status, 'epoch 1 is retired at once').toBe(403);
}, 120_000);

describe('re-encrypting a facility under the current epoch', () => {
  it('stops between batches when aborted, having written the first batch only', async () => {
    const { result, reports } = await run(new HttpFacilityDocs(FACILITY, fetchFor(admin.session)), { abortAfter: 2 });
    expect(reports.map((report) => report.seen)).toEqual([0, 2]);
    expect(result).toEqual({
      seen: 2,
      total: 6,
      changed: 1,
      failed: [{ id: TAMPERED, reason: expect.stringMatching(/does not open with the key of epoch 1/) as string }],
    });
    expect((await getDoc(admin.session, PASSPORTS[0] as string)).kid).toBe(`${FACILITY}:2`);
    expect((await getDoc(admin.session, PASSPORTS[2] as string)).kid).toBe(`${FACILITY}:1`);
  });

  it('goes on past a damaged passport and a concurrent edit, reporting both, until every document is seen', async () => {
    const http = new HttpFacilityDocs(FACILITY, fetchFor(admin.session));
    let editedMeanwhile = false;
    // The doctor's device re-encrypts a passport itself while the administrator's batch is on its way.
    const racing: FacilityDocs = {
      count: () => http.count(),
      page: (startAfter, limit) => http.page(startAfter, limit),
      save: async (docs) => {
        if (!editedMeanwhile && docs.some((doc) => doc._id === CONCURRENT)) {
          editedMeanwhile = true;
          const current = await getDoc(doctor.session, CONCURRENT);
          await putDoc(
            doctor.session,
            await sealedPassport(await deviceRing(doctor), CONCURRENT, 2, String(current._rev)),
          );
        }
        return http.save(docs);
      },
    };
    const { result, reports } = await run(racing);
    expect(editedMeanwhile).toBe(true);
    expect(result.seen).toBe(6);
    expect(result.total).toBe(6);
    expect(result.changed).toBe(3);
    expect(result.failed).toEqual([
      { id: TAMPERED, reason: expect.stringMatching(/does not open/) as string },
      { id: CONCURRENT, reason: expect.stringMatching(/conflict/) as string },
    ]);
    expect(reports.map((report) => report.seen)).toEqual([0, 2, 4, 6]);
    expect(reports.at(-1)).toEqual(result);
    for (const failure of result.failed) expect(failure.reason).not.toMatch(/Пациентка|Иванова/);
  });

  it('leaves every sealed value under epoch 2 but the one that does not open', async () => {
    const docs = await allDocs();
    const sealed = docs.flatMap((doc) =>
      findSealedValues(doc).map((value) => ({ id: doc._id, kid: value.sealed.kid })),
    );
    expect(sealed.filter((value) => value.id !== TAMPERED).every((value) => value.kid === `${FACILITY}:2`)).toBe(true);
    expect(sealed.filter((value) => value.kid !== `${FACILITY}:2`)).toEqual([{ id: TAMPERED, kid: `${FACILITY}:1` }]);
    for (const doc of docs.filter((d) => String(d._id).startsWith('passport:'))) {
      expect(Object.keys(doc).sort()).toEqual(['_id', '_rev', 'ct', 'iv', 'kid', 'type', 'v']);
    }
    const written = docs.find((doc) => doc._id === VISIT);
    expect(written).toMatchObject({ createdBy: 'dima', updatedBy: admin.login, performer: 'dima' });
    expect(Date.parse(String(written?.updatedAt))).not.toBeNaN();
    expect(docs.find((doc) => String(doc._id).startsWith('audit:'))).toMatchObject({ createdBy: 'dima' });
  });

  it('the doctor reads the same text as before', async () => {
    const ring = await deviceRing(doctor);
    expect(ring.currentEpoch(FACILITY)).toBe(2);
    for (const [id, opened] of before)
      expect(await readAsDoctor(ring, await getDoc(doctor.session, id))).toEqual(opened);
  });

  it('a second run writes nothing and reports the damaged passport again', async () => {
    const revs = new Map((await allDocs()).map((doc) => [doc._id, doc._rev]));
    const { result } = await run(new HttpFacilityDocs(FACILITY, fetchFor(admin.session)), { batchSize: 50 });
    expect(result).toEqual({
      seen: 6,
      total: 6,
      changed: 0,
      failed: [{ id: TAMPERED, reason: expect.stringMatching(/does not open/) as string }],
    });
    expect(new Map((await allDocs()).map((doc) => [doc._id, doc._rev]))).toEqual(revs);
  });

  it('refuses keys opened for another facility', async () => {
    const opened = await custody();
    try {
      await expect(
        reencryptFacility(new HttpFacilityDocs('other', fetchFor(admin.session)), 'other', opened, admin.login),
      ).rejects.toThrow(/not of "other"/);
    } finally {
      opened.close();
    }
  });

  it('is not available to a disabled member', async () => {
    await expect(new HttpFacilityDocs(FACILITY, fetchFor(nurse.session)).count()).rejects.toMatchObject({
      status: 401,
    });
  });
});
