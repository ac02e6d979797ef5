/**
 * The public login contract of the register (ARCHITECTURE.md, "Keys"):
 *
 *   salt    = first 16 bytes of SHA-256("palliative-register/v1|" + deploymentId + "|" + username)
 *   ikm     = Argon2id(NFKC(password) as UTF-8, salt, m = 65536 KiB, t = 3, p = 1, 32 bytes)
 *   authKey = base64url(HKDF-SHA256(ikm, salt = empty, info = "couch-auth/v1", 32 bytes))   — sent to CouchDB
 *   muk     = HKDF-SHA256(ikm, salt = empty, info = "muk/v1", 32 bytes)                     — never leaves the device
 *
 * The username is trimmed and lower-cased first. Other clients and scripts log in with exactly this derivation,
 * so it is covered by fixed test vectors (common/auth-derivation.test.ts); do not change it without a new version.
 * Runs unchanged in browsers and in Node 20 (WebCrypto and hash-wasm in both).
 */
import { argon2id } from 'hash-wasm';

export const ARGON2_PARAMETERS = Object.freeze({ memorySize: 65536, iterations: 3, parallelism: 1, hashLength: 32 });

const encoder = new TextEncoder();

/** Trimmed, lower-cased login: the form in which names are stored in `_users` and mixed into the salt. */
export function normalizeUsername(username: string): string {
  return username.trim().toLowerCase();
}

/** The password exactly as it is hashed: NFKC-normalised (so that composed and decomposed letters agree). */
export function normalizePassword(password: string): string {
  return password.normalize('NFKC');
}

export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** An authKey is 32 bytes as unpadded base64url: exactly 43 characters of that alphabet. */
export function isAuthKey(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value);
}

/** The 16-byte salt for one user of one installation. */
export async function loginSalt(deploymentId: string, username: string): Promise<Uint8Array> {
  const label = `palliative-register/v1|${deploymentId}|${normalizeUsername(username)}`;
  const digest = await crypto.subtle.digest('SHA-256', encoder.encode(label));
  return new Uint8Array(digest).slice(0, 16);
}

async function hkdf(ikm: Uint8Array, info: string): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', ikm as BufferSource, 'HKDF', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: encoder.encode(info) },
    key,
    256,
  );
  return new Uint8Array(bits);
}

export interface DerivedSecrets {
  /** What CouchDB stores and checks as the user's password. */
  authKey: string;
  /** Master unlock key bytes; stays on the device and wraps the user's private key and local drafts. */
  muk: Uint8Array;
}

/** Derives both secrets from a typed password (about a second: Argon2id with 64 MiB). */
export async function deriveSecrets(deploymentId: string, username: string, password: string): Promise<DerivedSecrets> {
  const salt = await loginSalt(deploymentId, username);
  const ikm = await argon2id({
    password: encoder.encode(normalizePassword(password)),
    salt,
    ...ARGON2_PARAMETERS,
    outputType: 'binary',
  });
  try {
    const [authBytes, muk] = await Promise.all([hkdf(ikm, 'couch-auth/v1'), hkdf(ikm, 'muk/v1')]);
    return { authKey: toBase64Url(authBytes), muk };
  } finally {
    ikm.fill(0);
  }
}

/** Only the authKey: what the server side needs for the bootstrap administrator. */
export async function deriveAuthKey(deploymentId: string, username: string, password: string): Promise<string> {
  const { authKey, muk } = await deriveSecrets(deploymentId, username, password);
  muk.fill(0);
  return authKey;
}
