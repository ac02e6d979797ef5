/**
 * Members with real key material, for tests of the key protocol against a running register: the administrator's
 * browser modules run in Node (WebCrypto is the same API), members' devices are played by `KeyRing`.
 */
import { expect } from 'vitest';
import { deriveAuthKey } from '../../common/auth-derivation.ts';
import { KeyRing, exportPublicJwk, type EcPublicKeyJwk, type SignedKeyCopy } from '../../common/keys/index.ts';
import { HttpAdminApi } from '../../client/admin/http-admin-api.ts';
import { makeKeyCopies } from '../../client/admin/key-confirmation.ts';
import type { OwnKeyPair } from '../../client/crypto/user-key-pair.ts';
import type { TestRegister } from './start-register.ts';
import { logIn, type Session } from './users.ts';

/** A member and what their device holds: the session and the key pair the device made. */
export interface KeyMember extends OwnKeyPair {
  session: Session;
}

/** The admin API as the administrator's browser uses it, over this session's cookie. */
export function adminApiFor(register: TestRegister, session: Session): HttpAdminApi {
  return new HttpAdminApi((input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('cookie', session.cookie);
    return fetch(`${register.url}${String(input)}`, { ...init, headers });
  });
}

export async function keyPair(): Promise<{ publicKeyJwk: EcPublicKeyJwk; privateKey: CryptoKey }> {
  const pair = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits']);
  return { publicKeyJwk: await exportPublicJwk(pair.publicKey), privateKey: pair.privateKey };
}

/** A member's first login: the one-time password is replaced by their own, and their device makes a key pair. */
export async function chooseOwnPassword(
  register: TestRegister,
  login: string,
  oneTimeAuthKey: string,
): Promise<KeyMember> {
  const first = await logIn(register, { name: login, authKey: oneTimeAuthKey });
  const pair = await keyPair();
  const authKey = await deriveAuthKey(register.deploymentId, login, `${login}-own-long-passphrase`);
  const changed = await first.post('/api/me/credentials', {
    currentAuthKey: oneTimeAuthKey,
    newAuthKey: authKey,
    keys: { publicKey: pair.publicKeyJwk, encryptedPrivateKey: { iv: 'AAECAwQFBgcICQoL', ct: 'c2VhbGVk' } },
  });
  expect(changed.status, changed.text).toBe(200);
  return { login, ...pair, session: await logIn(register, { name: login, authKey }) };
}

/** Creates an account with a one-time password (as the staff page does) and lets the member choose their own. */
export async function enrolWithKeys(
  register: TestRegister,
  admin: KeyMember,
  account: { login: string; roles: string[]; facilities: string[]; oneTimePassword: string },
): Promise<KeyMember> {
  const authKey = await deriveAuthKey(register.deploymentId, account.login, account.oneTimePassword);
  const created = await admin.session.post('/api/admin/staff', {
    login: account.login,
    displayName: `Сотрудник ${account.login}`,
    roles: account.roles,
    facilities: account.facilities,
    authKey,
  });
  expect(created.status, created.text).toBe(201);
  return chooseOwnPassword(register, account.login, authKey);
}

/** Confirms every pending member the way the staff page does; returns their logins. */
export async function confirmPending(register: TestRegister, by: KeyMember): Promise<string[]> {
  const api = adminApiFor(register, by.session);
  const confirmed: string[] = [];
  for (const member of await api.listKeyConfirmations()) {
    await api.issueKeyCopies(member.login, await makeKeyCopies(member, (id) => api.facilityKeys(id), by));
    confirmed.push(member.login);
  }
  return confirmed;
}

/** The member's device: a key ring pinned to the facility's signing key, fed from their own `_users` document. */
export async function deviceRing(member: KeyMember, facilityId: string): Promise<KeyRing> {
  const keys = (await member.session.get(`/db/reference/facility-keys:${facilityId}`)).json as {
    signingPublicKey: EcPublicKeyJwk;
  };
  const ring = await KeyRing.create(
    { login: member.login, publicKeyJwk: member.publicKeyJwk },
    { [facilityId]: keys.signingPublicKey },
  );
  const own = (await member.session.get(`/db/_users/org.couchdb.user:${member.login}`)).json as {
    keyCopies?: SignedKeyCopy[];
  };
  expect((await ring.acceptAll(own.keyCopies ?? [])).refused).toEqual([]);
  return ring;
}
