/**
 * The offline unlock check. At login the device stores the encryption of a constant under a key derived from
 * muk (HKDF info "lock-check/v1"), bound to the deployment and the user by AES-GCM additional data. Unlocking
 * re-derives muk from the typed password and decrypts it: only the right password opens it, without a server.
 * Nothing in it helps an attacker more than the Argon2id-protected password itself.
 */
import { fromBase64Url, toBase64Url } from '../../common/auth-derivation.ts';
import { LOCK_CHECK_INFO, deriveMukAesKey, randomIv } from './muk-keys.ts';

export interface LockVerifier {
  v: 1;
  iv: string;
  ct: string;
}

const LOCK_CHECK_PLAINTEXT = 'palliative-register/lock-check/v1';
const encoder = new TextEncoder();

function additionalData(deploymentId: string, username: string): Uint8Array {
  return encoder.encode(`${deploymentId}|${username}`);
}

export function isLockVerifier(value: unknown): value is LockVerifier {
  const candidate = value as Partial<LockVerifier> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    candidate.v === 1 &&
    typeof candidate.iv === 'string' &&
    typeof candidate.ct === 'string'
  );
}

export async function createLockVerifier(
  muk: CryptoKey,
  deploymentId: string,
  username: string,
): Promise<LockVerifier> {
  const key = await deriveMukAesKey(muk, LOCK_CHECK_INFO);
  const iv = randomIv();
  const ct = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv: iv as BufferSource, additionalData: additionalData(deploymentId, username) as BufferSource },
    key,
    encoder.encode(LOCK_CHECK_PLAINTEXT),
  );
  return { v: 1, iv: toBase64Url(iv), ct: toBase64Url(new Uint8Array(ct)) };
}

/** True only when `muk` is the key the verifier was made with, for this deployment and user. */
export async function checkLockVerifier(
  muk: CryptoKey,
  verifier: LockVerifier,
  deploymentId: string,
  username: string,
): Promise<boolean> {
  const key = await deriveMukAesKey(muk, LOCK_CHECK_INFO);
  try {
    const plain = await crypto.subtle.decrypt(
      {
        name: 'AES-GCM',
        iv: fromBase64Url(verifier.iv) as BufferSource,
        additionalData: additionalData(deploymentId, username) as BufferSource,
      },
      key,
      fromBase64Url(verifier.ct) as BufferSource,
    );
    return new TextDecoder().decode(plain) === LOCK_CHECK_PLAINTEXT;
  } catch {
    return false;
  }
}
