/**
 * The demo's administrator: the first administrator of the running register (`ADMIN_USERNAME`/`ADMIN_PASSWORD`),
 * signed in like the app signs in, with their own key pair opened — what the facilities page needs to create a
 * facility with its keys (client/admin/facility-keys.ts) and the staff page to confirm members.
 *
 * An administrator who still has the one-time password printed by `npm start` changes it as the forced password
 * change does: a new password (printed once), a fresh key pair. An administrator whose password was set by
 * `ADMIN_PASSWORD` and who never chose one has no key pair either; the register takes key material only together
 * with a password change, so the demo changes the password to a random one with the new key pair and back to the
 * same `ADMIN_PASSWORD` at once — the key pair sealed under that password's `muk` — and says so.
 */
import { deriveSecrets, toBase64Url } from '../../common/auth-derivation.ts';
import { wipe } from '../../common/keys/index.ts';
import { ApiError } from '../../client/http/api-errors.ts';
import type { ServerUser } from '../../client/http/api-client.ts';
import { importMuk } from '../../client/crypto/muk-keys.ts';
import {
  createUserKeyPair,
  keyMaterialOf,
  openUserPrivateKey,
  type OwnKeyPair,
} from '../../client/crypto/user-key-pair.ts';
import { BrowserSession } from './browser-session.ts';

export interface DemoAdministrator {
  login: string;
  deploymentId: string;
  session: BrowserSession;
  own: OwnKeyPair;
  /** The new password, when the one-time password was replaced (shown once). */
  newPassword: string | null;
  /** What was done to the account, for the summary. */
  notes: string[];
}

/** The administrator's credentials do not work, or the account is not an administrator. */
export class AdministratorError extends Error {
  override name = 'AdministratorError';
}

/** Signs in, and opens (or makes) the administrator's key pair. `choosePassword` gives a one-time password's successor. */
export async function signInAdministrator(
  baseUrl: string,
  username: string,
  password: string,
  choosePassword: () => Promise<string>,
): Promise<DemoAdministrator> {
  const session = new BrowserSession(baseUrl);
  const api = session.api();
  const { deploymentId } = await api.getConfig();
  const secrets = await deriveSecrets(deploymentId, username, password);
  let user: ServerUser;
  try {
    user = await api.createSession(username, secrets.authKey);
  } catch (error) {
    wipe(secrets.muk);
    if (error instanceof ApiError && error.status === 401) {
      throw new AdministratorError(
        `Администратор «${username}» не входит с ADMIN_PASSWORD · The administrator "${username}" cannot log in with ADMIN_PASSWORD.`,
      );
    }
    throw error;
  }
  if (!user.roles.includes('admin')) {
    wipe(secrets.muk);
    throw new AdministratorError(`«${user.name}» — не администратор · "${user.name}" is not an administrator.`);
  }
  const login = user.name;
  const notes: string[] = [];
  let newPassword: string | null = null;
  if (user.mustChangePassword) {
    newPassword = await choosePassword();
    const chosen = await deriveSecrets(deploymentId, login, newPassword);
    const muk = await importMuk(chosen.muk);
    const { material, privateKey } = await createUserKeyPair(muk);
    await api.changeCredentials({ currentAuthKey: secrets.authKey, newAuthKey: chosen.authKey, keys: material });
    wipe(secrets.muk);
    await api.createSession(login, chosen.authKey);
    notes.push(
      `Одноразовый пароль администратора заменён новым (см. ниже) · The administrator's one-time password was replaced (see below).`,
    );
    return {
      login,
      deploymentId,
      session,
      own: { login, publicKeyJwk: material.publicKey, privateKey },
      newPassword,
      notes,
    };
  }
  const muk = await importMuk(secrets.muk);
  const material = keyMaterialOf(await api.getOwnUserDoc(login));
  if (material) {
    const privateKey = await openUserPrivateKey(muk, material.encryptedPrivateKey);
    return {
      login,
      deploymentId,
      session,
      own: { login, publicKeyJwk: material.publicKey, privateKey },
      newPassword,
      notes,
    };
  }
  // No key pair yet: through a random password to the same one, the key pair sealed under this password's muk.
  const made = await createUserKeyPair(muk);
  const interim = await deriveSecrets(deploymentId, login, toBase64Url(crypto.getRandomValues(new Uint8Array(24))));
  wipe(interim.muk);
  await api.changeCredentials({ currentAuthKey: secrets.authKey, newAuthKey: interim.authKey, keys: made.material });
  await api.createSession(login, interim.authKey);
  await api.changeCredentials({ currentAuthKey: interim.authKey, newAuthKey: secrets.authKey, keys: made.material });
  await api.createSession(login, secrets.authKey);
  notes.push(
    'У администратора не было своей пары ключей: создана, пароль прежний · The administrator had no key pair: one was made, the password is unchanged.',
  );
  return {
    login,
    deploymentId,
    session,
    own: { login, publicKeyJwk: made.material.publicKey, privateKey: made.privateKey },
    newPassword,
    notes,
  };
}
