/**
 * The user's ECDH P-256 key pair (ARCHITECTURE.md, "Keys"): made in the browser when the user chooses their own
 * password. The public key goes to the server as a JWK; the private key goes as PKCS#8 encrypted with AES-GCM
 * under a key derived from muk (HKDF info "user-private-key/v1"), because AES-KW cannot wrap a PKCS#8 P-256 key.
 * In memory the private key is a non-extractable CryptoKey.
 */
import { fromBase64Url, toBase64Url } from '../../common/auth-derivation.ts';
import { USER_PRIVATE_KEY_INFO, deriveMukAesKey, randomIv } from './muk-keys.ts';

export interface PublicKeyJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
}

export interface EncryptedPrivateKey {
  iv: string;
  ct: string;
}

/** What `POST /api/me/credentials` takes as `keys`. */
export interface UserKeyMaterial {
  publicKey: PublicKeyJwk;
  encryptedPrivateKey: EncryptedPrivateKey;
}

/** The signed-in user's own key pair, opened for this session (the private key is non-extractable). */
export interface OwnKeyPair {
  login: string;
  publicKeyJwk: PublicKeyJwk;
  privateKey: CryptoKey;
}

/** The user's key material as found in their `_users` document, or null if they have none (yet). */
export function keyMaterialOf(doc: Readonly<Record<string, unknown>>): UserKeyMaterial | null {
  const jwk = doc.publicKey as Partial<PublicKeyJwk> | null | undefined;
  const sealed = doc.encryptedPrivateKey as Partial<EncryptedPrivateKey> | null | undefined;
  if (
    typeof jwk !== 'object' ||
    jwk === null ||
    jwk.kty !== 'EC' ||
    jwk.crv !== 'P-256' ||
    typeof jwk.x !== 'string' ||
    typeof jwk.y !== 'string' ||
    typeof sealed !== 'object' ||
    sealed === null ||
    typeof sealed.iv !== 'string' ||
    typeof sealed.ct !== 'string'
  ) {
    return null;
  }
  return {
    publicKey: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y },
    encryptedPrivateKey: { iv: sealed.iv, ct: sealed.ct },
  };
}

/** The private key could not be decrypted: a wrong muk (wrong password) or damaged ciphertext. */
export class PrivateKeyUnlockError extends Error {
  override name = 'PrivateKeyUnlockError';
}

const ECDH = { name: 'ECDH', namedCurve: 'P-256' } as const;

/** Makes a fresh key pair; returns the material to upload and the private key for this session. */
export async function createUserKeyPair(muk: CryptoKey): Promise<{ material: UserKeyMaterial; privateKey: CryptoKey }> {
  const pair = await crypto.subtle.generateKey(ECDH, true, ['deriveBits']);
  const jwk = await crypto.subtle.exportKey('jwk', pair.publicKey);
  if (typeof jwk.x !== 'string' || typeof jwk.y !== 'string') throw new Error('The public key could not be exported.');
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey));
  try {
    const key = await deriveMukAesKey(muk, USER_PRIVATE_KEY_INFO);
    const iv = randomIv();
    const ct = await crypto.subtle.encrypt({ name: 'AES-GCM', iv: iv as BufferSource }, key, pkcs8 as BufferSource);
    const privateKey = await crypto.subtle.importKey('pkcs8', pkcs8 as BufferSource, ECDH, false, ['deriveBits']);
    return {
      material: {
        publicKey: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y },
        encryptedPrivateKey: { iv: toBase64Url(iv), ct: toBase64Url(new Uint8Array(ct)) },
      },
      privateKey,
    };
  } finally {
    pkcs8.fill(0);
  }
}

/** Decrypts the private key with muk into a non-extractable CryptoKey; a wrong muk throws PrivateKeyUnlockError. */
export async function openUserPrivateKey(muk: CryptoKey, sealed: EncryptedPrivateKey): Promise<CryptoKey> {
  const key = await deriveMukAesKey(muk, USER_PRIVATE_KEY_INFO);
  let pkcs8: Uint8Array;
  try {
    pkcs8 = new Uint8Array(
      await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: fromBase64Url(sealed.iv) as BufferSource },
        key,
        fromBase64Url(sealed.ct) as BufferSource,
      ),
    );
  } catch {
    throw new PrivateKeyUnlockError('The private key does not open with this password.');
  }
  try {
    return await crypto.subtle.importKey('pkcs8', pkcs8 as BufferSource, ECDH, false, ['deriveBits']);
  } finally {
    pkcs8.fill(0);
  }
}

/** Imports a public JWK for ECDH (to wrap keys to a colleague, or to check a pair). */
export function importPublicKey(jwk: PublicKeyJwk): Promise<CryptoKey> {
  return crypto.subtle.importKey('jwk', { ...jwk, ext: true }, ECDH, true, []);
}
