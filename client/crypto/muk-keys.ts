/**
 * Keys derived from the master unlock key (muk, see common/auth-derivation.ts). muk never leaves the device and
 * is held in memory only as a non-extractable HKDF key; every purpose gets its own AES-GCM key through HKDF
 * with a purpose label ("info"), so a key for one purpose never decrypts another's data.
 */
const encoder = new TextEncoder();

export const USER_PRIVATE_KEY_INFO = 'user-private-key/v1';
export const LOCK_CHECK_INFO = 'lock-check/v1';

/** Imports muk bytes as a non-extractable HKDF base key and wipes the bytes. */
export async function importMuk(muk: Uint8Array): Promise<CryptoKey> {
  try {
    return await crypto.subtle.importKey('raw', muk as BufferSource, 'HKDF', false, ['deriveKey']);
  } finally {
    muk.fill(0);
  }
}

/** AES-256-GCM key for one purpose: HKDF-SHA256(muk, empty salt, info). */
export function deriveMukAesKey(muk: CryptoKey, info: string): Promise<CryptoKey> {
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: encoder.encode(info) },
    muk,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/** A fresh random 96-bit AES-GCM nonce. */
export function randomIv(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(12));
}
