/**
 * A facility with a nurse and a doctor, set up the way the administrator's browser does it but driven from Node
 * (the administrator's pages have their own end-to-end test): facility keys made by `createFacilityKeys`, accounts
 * with one-time passwords, and key confirmation by `makeKeyCopies` once the members chose their own passwords.
 */
import { deriveAuthKey } from '../../common/auth-derivation.ts';
import { exportPublicJwk } from '../../common/keys/index.ts';
import { HttpAdminApi } from '../../client/admin/http-admin-api.ts';
import { createFacilityKeys } from '../../client/admin/facility-keys.ts';
import { makeKeyCopies } from '../../client/admin/key-confirmation.ts';
import type { OwnKeyPair } from '../../client/crypto/user-key-pair.ts';
import type { Page } from 'playwright-core';
import type { TestRegister } from '../helpers/start-register.ts';
import { firstAdmin, logIn, type Session } from '../helpers/users.ts';

export interface CareAdmin extends OwnKeyPair {
  session: Session;
  api: HttpAdminApi;
}

export interface Member {
  login: string;
  displayName: string;
  oneTimePassword: string;
}

/** The first administrator with a key pair of their own (the private key stays in this process). */
export async function careAdmin(register: TestRegister): Promise<CareAdmin> {
  const first = await firstAdmin(register);
  const session = await logIn(register, first);
  const pair = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits']);
  const publicKeyJwk = await exportPublicJwk(pair.publicKey);
  const authKey = await deriveAuthKey(register.deploymentId, first.name, 'admin-own-long-passphrase-2026');
  const changed = await session.post('/api/me/credentials', {
    currentAuthKey: first.authKey,
    newAuthKey: authKey,
    keys: { publicKey: publicKeyJwk, encryptedPrivateKey: { iv: 'AAECAwQFBgcICQoL', ct: 'c2VhbGVk' } },
  });
  if (changed.status !== 200) throw new Error(`admin credentials: ${changed.status} ${changed.text}`);
  const own = await logIn(register, { name: first.name, authKey });
  const api = new HttpAdminApi((input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('cookie', own.cookie);
    return fetch(`${register.url}${String(input)}`, { ...init, headers });
  });
  return { login: first.name, publicKeyJwk, privateKey: pair.privateKey, session: own, api };
}

export async function createFacilityWithKeys(admin: CareAdmin, id: string, name: string): Promise<void> {
  const made = await createFacilityKeys(id, { login: admin.login, publicKeyJwk: admin.publicKeyJwk });
  await admin.api.createFacility({ id, name, keys: made.keys });
}

export async function enrolMember(
  register: TestRegister,
  admin: CareAdmin,
  member: { login: string; displayName: string; role: 'nurse' | 'doctor'; facilities: string[] },
): Promise<Member> {
  const oneTimePassword = `${member.role}2-kq7wd-m3fzp-8hrtx`;
  const authKey = await deriveAuthKey(register.deploymentId, member.login, oneTimePassword);
  await admin.api.createStaff({
    login: member.login,
    displayName: member.displayName,
    roles: [member.role],
    facilities: member.facilities,
    authKey,
  });
  return { login: member.login, displayName: member.displayName, oneTimePassword };
}

/** Confirms every member waiting for key copies; returns their logins. */
export async function confirmPending(admin: CareAdmin): Promise<string[]> {
  const confirmed: string[] = [];
  for (const member of await admin.api.listKeyConfirmations()) {
    await admin.api.issueKeyCopies(
      member.login,
      await makeKeyCopies(member, (id) => admin.api.facilityKeys(id), admin),
    );
    confirmed.push(member.login);
  }
  return confirmed;
}

/** A signed-in member's page, told that the keys are still awaited, asks again once they were confirmed. */
export async function receiveKeys(page: Page): Promise<void> {
  const awaiting = page.getByText(/ещё не подтверждены администратором/);
  await awaiting.waitFor();
  await page.getByRole('button', { name: 'Проверить снова' }).click();
  await awaiting.waitFor({ state: 'hidden', timeout: 30_000 });
}
