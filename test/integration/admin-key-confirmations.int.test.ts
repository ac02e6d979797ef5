/**
 * Confirming members' key pairs through the administration API: the list of members waiting for a signed copy of
 * their facilities' current epoch key, and signed copies checked (shape, recipient, key hash, epoch, membership,
 * signature against the facility signing key) before they are stored in the member's `_users` document.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { deriveAuthKey } from '../../common/auth-derivation.ts';
import {
  createFacilitySigningKey,
  createRecoveryKit,
  exportPublicJwk,
  generateEpochKey,
  publicKeyHash,
  recoveryRecipient,
  signKeyCopy,
  unwrapEpochKey,
  verifyKeyCopy,
  wipe,
  wrapEpochKey,
  wrapSigningKey,
  type EcPublicKeyJwk,
  type FacilitySigningKey,
  type SignedKeyCopy,
} from '../../common/keys/index.ts';
import { useRegister } from '../helpers/start-register.ts';
import { logIn, readUserDoc, type Session } from '../helpers/users.ts';
import { firstAdmin } from '../helpers/users.ts';

const register = useRegister();
const OTP = 'kq7wd-m3fzp-8hrtx-ye2nb';

interface TestFacility {
  facilityId: string;
  signing: FacilitySigningKey;
  epochKey: Uint8Array;
}

interface Member {
  login: string;
  publicKeyJwk: EcPublicKeyJwk;
  privateKey: CryptoKey;
}

let admin: Session;
let olga: Session;
let olgaKeys: Member;
const facilities = new Map<string, TestFacility>();

async function keyPair(login: string): Promise<Member> {
  const pair = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits']);
  return { login, publicKeyJwk: await exportPublicJwk(pair.publicKey), privateKey: pair.privateKey };
}

/** A facility made the way the administrator's browser makes it; the test keeps the signing key and epoch 1. */
async function createFacilityWithKeys(facilityId: string): Promise<void> {
  const signing = await createFacilitySigningKey();
  const epochKey = generateEpochKey();
  const { kit } = await createRecoveryKit(facilityId);
  const recipient = recoveryRecipient(kit);
  const keys = {
    epoch: 1,
    signingPublicKey: signing.publicKeyJwk,
    recoveryPublicKey: kit.publicKeyJwk,
    recoveryKit: kit,
    wrappedKeys: {
      signingKey: [await wrapSigningKey(signing.privateKeyPkcs8, recipient, { facilityId })],
      epochKeys: [
        await signKeyCopy(signing.privateKey, await wrapEpochKey(epochKey, recipient, { facilityId, epoch: 1 })),
      ],
    },
  };
  const answer = await admin.post('/api/admin/facilities', { id: facilityId, name: `Hospice ${facilityId}`, keys });
  expect(answer.status).toBe(201);
  facilities.set(facilityId, { facilityId, signing, epochKey });
}

async function copyFor(
  facilityId: string,
  recipient: Pick<Member, 'login' | 'publicKeyJwk'>,
  options: { epoch?: number; signingKey?: CryptoKey } = {},
): Promise<SignedKeyCopy> {
  const facility = facilities.get(facilityId);
  if (!facility) throw new Error(`no test facility ${facilityId}`);
  const wrapped = await wrapEpochKey(facility.epochKey, recipient, { facilityId, epoch: options.epoch ?? 1 });
  return signKeyCopy(options.signingKey ?? facility.signing.privateKey, wrapped);
}

interface Pending {
  login: string;
  publicKeyHash: string;
  facilities: { facilityId: string; epoch: number }[];
}

async function pending(): Promise<Pending[]> {
  const answer = await admin.get('/api/admin/key-confirmations');
  expect(answer.status).toBe(200);
  return (answer.json as { pending: Pending[] }).pending;
}

async function enrol(login: string, facilityIds: string[]): Promise<Session> {
  const authKey = await deriveAuthKey(register.current.deploymentId, login, OTP);
  const created = await admin.post('/api/admin/staff', {
    login,
    displayName: `Test ${login}`,
    roles: ['nurse'],
    facilities: facilityIds,
    authKey,
  });
  expect(created.status).toBe(201);
  return logIn(register.current, { name: login, authKey });
}

beforeAll(async () => {
  admin = await logIn(register.current, await firstAdmin(register.current));
  for (const id of ['kc-a', 'kc-b', 'kc-d']) await createFacilityWithKeys(id);
  expect((await admin.post('/api/admin/facilities', { id: 'kc-c', name: 'Without keys' })).status).toBe(201);
  // Olga chose her own password: her device made a key pair and sent it.
  const first = await enrol('olga', ['kc-a', 'kc-b', 'kc-c']);
  olgaKeys = await keyPair('olga');
  const newAuthKey = await deriveAuthKey(register.current.deploymentId, 'olga', 'olga-chose-a-long-passphrase');
  const changed = await first.post('/api/me/credentials', {
    currentAuthKey: await deriveAuthKey(register.current.deploymentId, 'olga', OTP),
    newAuthKey,
    keys: { publicKey: olgaKeys.publicKeyJwk, encryptedPrivateKey: { iv: 'AAECAwQFBgcICQoL', ct: 'c2VhbGVk' } },
  });
  expect(changed.status).toBe(200);
  olga = await logIn(register.current, { name: 'olga', authKey: newAuthKey });
  // Pavel has not logged in yet: no key pair, nothing to confirm.
  await enrol('pavel', ['kc-a']);
});

describe('the list of members waiting for confirmation', () => {
  it('names members with a key pair and the facilities (with keys) they lack a copy of', async () => {
    const list = await pending();
    expect(list.map((entry) => entry.login)).toEqual(['olga']);
    expect(list[0]).toMatchObject({
      login: 'olga',
      displayName: 'Test olga',
      publicKeyHash: await publicKeyHash(olgaKeys.publicKeyJwk),
      facilities: [
        { facilityId: 'kc-a', epoch: 1 },
        { facilityId: 'kc-b', epoch: 1 },
      ],
    });
  });

  it('is for administrators only', async () => {
    expect((await olga.get('/api/admin/key-confirmations')).status).toBe(403);
  });
});

describe('issuing key copies', () => {
  async function refused(body: unknown): Promise<{ status: number; field?: string }> {
    const answer = await admin.post('/api/admin/staff/olga/key-copies', body);
    return { status: answer.status, field: (answer.json as { field?: string } | null)?.field };
  }

  it('refuses a copy signed with another key (one whose holder could know the epoch key)', async () => {
    const attacker = await createFacilitySigningKey();
    const copy = await copyFor('kc-a', olgaKeys, { signingKey: attacker.privateKey });
    expect(await refused({ copies: [copy] })).toEqual({ status: 400, field: 'copies[0].sig' });
  });

  it('refuses a copy whose signature was changed', async () => {
    const copy = await copyFor('kc-a', olgaKeys);
    const sig = copy.sig.startsWith('A') ? `B${copy.sig.slice(1)}` : `A${copy.sig.slice(1)}`;
    expect(await refused({ copies: [{ ...copy, sig }] })).toEqual({ status: 400, field: 'copies[0].sig' });
  });

  it.each([
    ['no list', {}, 'copies'],
    ['an empty list', { copies: [] }, 'copies'],
    ['something else than a signed copy', { copies: [{ hello: 'world' }] }, 'copies[0]'],
    ['an unknown field beside the copies', { copies: [], roles: ['admin'] }, 'roles'],
  ])('refuses %s with 400 naming the field', async (_what, body, field) => {
    expect(await refused(body)).toEqual({ status: 400, field });
  });

  it('refuses a copy for another login, another key, another epoch or a facility the member is not in', async () => {
    const other = await keyPair('olga');
    expect(await refused({ copies: [await copyFor('kc-a', { ...olgaKeys, login: 'pavel' })] })).toEqual({
      status: 400,
      field: 'copies[0].recipient',
    });
    expect(await refused({ copies: [await copyFor('kc-a', other)] })).toEqual({
      status: 400,
      field: 'copies[0].recipientKeyHash',
    });
    expect(await refused({ copies: [await copyFor('kc-a', olgaKeys, { epoch: 2 })] })).toEqual({
      status: 400,
      field: 'copies[0].epoch',
    });
    expect(await refused({ copies: [await copyFor('kc-d', olgaKeys)] })).toEqual({
      status: 400,
      field: 'copies[0].facilityId',
    });
    const good = await copyFor('kc-a', olgaKeys);
    expect(await refused({ copies: [good, good] })).toEqual({ status: 400, field: 'copies[1]' });
    expect(await refused({ copies: [{ ...good, ct: 'A'.repeat(5000) }] })).toEqual({
      status: 400,
      field: 'copies[0].ct',
    });
  });

  it('refuses a member who is not an administrator with 403, and an unknown account with 404', async () => {
    const copy = await copyFor('kc-a', olgaKeys);
    expect((await olga.post('/api/admin/staff/olga/key-copies', { copies: [copy] })).status).toBe(403);
    expect((await admin.post('/api/admin/staff/nobody/key-copies', { copies: [copy] })).status).toBe(404);
  });

  it('refuses an account without a key pair with 409', async () => {
    const copy = await copyFor('kc-a', { ...olgaKeys, login: 'pavel' });
    expect((await admin.post('/api/admin/staff/pavel/key-copies', { copies: [copy] })).status).toBe(409);
  });

  it('stores a verified copy the member reads from their own user document, and audits it', async () => {
    const copy = await copyFor('kc-a', olgaKeys);
    const answer = await admin.post('/api/admin/staff/olga/key-copies', { copies: [copy] });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ ok: true, stored: 1 });

    const own = await olga.get('/db/_users/org.couchdb.user:olga');
    expect(own.status).toBe(200);
    const keyCopies = (own.json as { keyCopies: SignedKeyCopy[] }).keyCopies;
    expect(keyCopies).toHaveLength(1);
    const facility = facilities.get('kc-a') as TestFacility;
    expect(await verifyKeyCopy(facility.signing.publicKeyJwk, keyCopies[0])).toBe(true);
    const epochKey = await unwrapEpochKey(keyCopies[0], olgaKeys.privateKey, olgaKeys.publicKeyJwk);
    expect(Buffer.from(epochKey).equals(Buffer.from(facility.epochKey))).toBe(true);
    wipe(epochKey);

    const audit = await admin.get('/api/admin/audit?event=key-issued');
    expect(audit.json).toMatchObject({
      events: [{ event: 'key-issued', login: 'admin', target: 'olga', copies: [{ facilityId: 'kc-a', epoch: 1 }] }],
    });
    expect((await pending()).find((entry) => entry.login === 'olga')?.facilities).toEqual([
      { facilityId: 'kc-b', epoch: 1 },
    ]);
  });

  it('replaces a copy of the same facility and epoch, and keeps the others', async () => {
    const again = await copyFor('kc-a', olgaKeys);
    const b = await copyFor('kc-b', olgaKeys);
    expect((await admin.post('/api/admin/staff/olga/key-copies', { copies: [again, b] })).status).toBe(200);
    const doc = await readUserDoc(register.current, 'olga');
    const stored = doc.keyCopies as SignedKeyCopy[];
    expect(stored.map((copy) => `${copy.facilityId}:${copy.epoch}`).sort()).toEqual(['kc-a:1', 'kc-b:1']);
    expect(stored.find((copy) => copy.facilityId === 'kc-a')?.sig).toBe(again.sig);
    expect((await pending()).map((entry) => entry.login)).not.toContain('olga');
  });
});
