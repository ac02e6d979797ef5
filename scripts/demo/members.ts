/**
 * Staff of the demo, enrolled the way the register enrols anyone (ARCHITECTURE.md, "Enrolment"): the
 * administrator's side makes a one-time password with enrolment pins (client/admin/one-time-password.ts) and creates
 * the account; the member's side logs in with it, chooses their own password and makes a fresh key pair
 * (client/crypto/user-key-pair.ts), exactly as the forced password change does, and checks the pins with the
 * one-time password; the administrator then confirms the key pair (client/admin/key-confirmation.ts). Each member
 * is a browser of their own (`BrowserSession`).
 */
import { deriveSecrets } from '../../common/auth-derivation.ts';
import { KeyRing, openEnrolmentPins, wipe, type EcPublicKeyJwk } from '../../common/keys/index.ts';
import type { HttpAdminApi } from '../../client/admin/http-admin-api.ts';
import { issueOneTimePassword } from '../../client/admin/one-time-password.ts';
import { makeKeyCopies } from '../../client/admin/key-confirmation.ts';
import { importMuk } from '../../client/crypto/muk-keys.ts';
import {
  createUserKeyPair,
  keyMaterialOf,
  openUserPrivateKey,
  type OwnKeyPair,
} from '../../client/crypto/user-key-pair.ts';
import type { FacilityKeySource } from '../../client/records/facility-sealer.ts';
import type { StaffRole } from '../../common/roles.ts';
import { BrowserSession } from './browser-session.ts';

export interface DemoAccount {
  login: string;
  displayName: string;
  role: StaffRole;
  /** The facility the login is named after. */
  facilityId: string;
  /** Facilities the account is a member of (none for an analyst: reports cover every facility). */
  facilities: string[];
}

/** A member signed in on their own "device": session, own key pair, and the signing keys pinned at enrolment. */
export interface SignedInMember {
  account: DemoAccount;
  session: BrowserSession;
  own: OwnKeyPair;
  pins: Record<string, EcPublicKeyJwk>;
}

/** The member's password did not open their account (a re-run without the password of an earlier one). */
export class MemberLoginError extends Error {
  override name = 'MemberLoginError';
}

/**
 * Creates the account with a one-time password (signing keys of its facilities pinned with it) and plays the
 * member's first login: their own `password`, a fresh key pair, the pins checked.
 */
export async function enrolMember(
  admin: HttpAdminApi,
  baseUrl: string,
  deploymentId: string,
  account: DemoAccount,
  password: string,
  signingKeys: Record<string, EcPublicKeyJwk>,
): Promise<SignedInMember> {
  const issued = await issueOneTimePassword(deploymentId, account.login, signingKeys);
  await admin.createStaff({
    login: account.login,
    displayName: account.displayName,
    roles: [account.role],
    facilities: account.facilities,
    authKey: issued.authKey,
    oneTimePasswordExpiresAt: issued.expiresAt.toISOString(),
    ...(issued.enrolmentPins ? { enrolmentPins: issued.enrolmentPins } : {}),
  });
  // The member's device from here on: it knows only what the enrolment slip says.
  const session = new BrowserSession(baseUrl);
  const api = session.api();
  const oneTime = await deriveSecrets(deploymentId, account.login, issued.oneTimePassword);
  try {
    const user = await api.createSession(account.login, oneTime.authKey);
    if (!user.mustChangePassword) throw new Error(`${account.login} was not asked to change the one-time password.`);
    const chosen = await deriveSecrets(deploymentId, account.login, password);
    const muk = await importMuk(chosen.muk);
    const { material, privateKey } = await createUserKeyPair(muk);
    const answer = await api.changeCredentials({
      currentAuthKey: oneTime.authKey,
      newAuthKey: chosen.authKey,
      keys: material,
    });
    const pins =
      answer.enrolmentPins === undefined
        ? {}
        : await openEnrolmentPins(oneTime.muk, account.login, answer.enrolmentPins);
    await api.createSession(account.login, chosen.authKey);
    return { account, session, own: { login: account.login, publicKeyJwk: material.publicKey, privateKey }, pins };
  } finally {
    wipe(oneTime.muk);
  }
}

/**
 * Signs in a member enrolled by an earlier run. Without enrolment pins at hand (they were for the first login), the
 * facilities' signing keys are pinned on first use from `facility-keys:<id>`, as the app does for such facilities.
 */
export async function signInMember(
  baseUrl: string,
  deploymentId: string,
  account: DemoAccount,
  password: string,
): Promise<SignedInMember> {
  const session = new BrowserSession(baseUrl);
  const api = session.api();
  const secrets = await deriveSecrets(deploymentId, account.login, password);
  try {
    await api.createSession(account.login, secrets.authKey);
  } catch (error) {
    wipe(secrets.muk);
    throw new MemberLoginError(`${account.login}: the password does not open this account.`, { cause: error });
  }
  const muk = await importMuk(secrets.muk);
  const material = keyMaterialOf(await api.getOwnUserDoc(account.login));
  if (!material) throw new MemberLoginError(`${account.login} has no key pair yet.`);
  const privateKey = await openUserPrivateKey(muk, material.encryptedPrivateKey);
  const pins: Record<string, EcPublicKeyJwk> = {};
  for (const facilityId of account.facilities) {
    const keys = await api.getReferenceDoc(`facility-keys:${facilityId}`);
    if (keys?.signingPublicKey) pins[facilityId] = keys.signingPublicKey as EcPublicKeyJwk;
  }
  return { account, session, own: { login: account.login, publicKeyJwk: material.publicKey, privateKey }, pins };
}

/** Confirms the key pairs of the given logins that wait for it, as the staff page's "Confirm" does. */
export async function confirmMembers(
  admin: HttpAdminApi,
  own: OwnKeyPair,
  logins: ReadonlySet<string>,
): Promise<string[]> {
  const confirmed: string[] = [];
  for (const pending of await admin.listKeyConfirmations()) {
    if (!logins.has(pending.login)) continue;
    await admin.issueKeyCopies(pending.login, await makeKeyCopies(pending, (id) => admin.facilityKeys(id), own));
    confirmed.push(pending.login);
  }
  return confirmed;
}

/**
 * The member's device keys for one facility: a key ring pinned to the signing keys the member trusts, fed with the
 * signed copies of their own `_users` document (client/services/member-keys.ts does the same after login).
 */
export async function memberKeys(member: SignedInMember, facilityId: string): Promise<FacilityKeySource> {
  const ring = await KeyRing.create({ login: member.own.login, publicKeyJwk: member.own.publicKeyJwk }, member.pins);
  const doc = await member.session.api().getOwnUserDoc(member.own.login);
  const copies = Array.isArray(doc.keyCopies) ? (doc.keyCopies as unknown[]) : [];
  const { refused } = await ring.acceptAll(copies);
  if (ring.currentEpoch(facilityId) === null) {
    const why = refused.map(({ error }) => error.message).join('; ');
    throw new Error(`${member.own.login} holds no key of ${facilityId}${why ? `: ${why}` : ''}.`);
  }
  const privateKey = member.own.privateKey;
  return {
    current: async (id) => {
      const epoch = ring.currentEpoch(id);
      const key = epoch === null ? null : await ring.epochKey(id, epoch, privateKey);
      return epoch !== null && key ? { epoch, key } : null;
    },
    forEpoch: (id, epoch) => ring.epochKey(id, epoch, privateKey),
  };
}
