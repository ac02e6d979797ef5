/**
 * EC P-256 public keys as JWK: the one public-key format of the protocol (member keys in the staff directory,
 * ephemeral keys in wrapped copies, facility signing and recovery keys). A key is identified by
 * `publicKeyHash(jwk)` = base64url(SHA-256(canonical JSON)), where the canonical JSON is exactly
 * `{"crv":"P-256","kty":"EC","x":"<x>","y":"<y>"}` — members in that (sorted) order, no whitespace, x and y as
 * canonical unpadded base64url of 32 bytes. Other JWK members (`ext`, `key_ops`, `alg`) are ignored; a JWK with a
 * private part `d` is refused, so a private key can never be published or hashed by mistake.
 */
import { type Bytes, decodeBase64Url, encodeBase64Url, utf8 } from './encoding.ts';

/** An EC P-256 public key, reduced to the members that define it. */
export interface EcPublicKeyJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
}

const ECDH = { name: 'ECDH', namedCurve: 'P-256' } as const;
const ECDSA = { name: 'ECDSA', namedCurve: 'P-256' } as const;

function isCoordinate(value: unknown): boolean {
  return decodeBase64Url(value)?.length === 32;
}

/**
 * True for an EC P-256 public JWK with canonical 32-byte coordinates and no private part. (Whether the point is
 * on the curve is checked by WebCrypto when the key is imported.)
 */
export function isEcPublicKeyJwk(value: unknown): value is EcPublicKeyJwk {
  if (typeof value !== 'object' || value === null) return false;
  const jwk = value as Record<string, unknown>;
  return jwk.kty === 'EC' && jwk.crv === 'P-256' && isCoordinate(jwk.x) && isCoordinate(jwk.y) && !('d' in jwk);
}

/** The key reduced to `{kty, crv, x, y}` (a copy); throws a TypeError for anything but a P-256 public JWK. */
export function canonicalJwk(value: unknown): EcPublicKeyJwk {
  if (!isEcPublicKeyJwk(value)) throw new TypeError('Not an EC P-256 public key (JWK).');
  return { kty: 'EC', crv: 'P-256', x: value.x, y: value.y };
}

/** The canonical JSON text of a public key: sorted members `crv, kty, x, y`, no whitespace. */
export function canonicalJwkJson(value: unknown): string {
  const jwk = canonicalJwk(value);
  return JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
}

/** base64url SHA-256 of the canonical JSON of a public key: how the protocol names a key. */
export async function publicKeyHash(jwk: unknown): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', utf8(canonicalJwkJson(jwk)));
  return encodeBase64Url(new Uint8Array(digest));
}

/** Imports a public JWK for ECDH (the peer side of a key agreement). */
export async function importEcdhPublicKey(jwk: unknown): Promise<CryptoKey> {
  return crypto.subtle.importKey('jwk', { ...canonicalJwk(jwk), ext: true }, ECDH, true, []);
}

/** Imports a public JWK for ECDSA signature verification. */
export async function importEcdsaPublicKey(jwk: unknown): Promise<CryptoKey> {
  return crypto.subtle.importKey('jwk', { ...canonicalJwk(jwk), ext: true }, ECDSA, true, ['verify']);
}

/** Exports a public CryptoKey (always extractable in WebCrypto) as a canonical JWK. */
export async function exportPublicJwk(publicKey: CryptoKey): Promise<EcPublicKeyJwk> {
  return canonicalJwk(await crypto.subtle.exportKey('jwk', publicKey));
}

/** Imports PKCS#8 bytes as a non-extractable ECDH P-256 private key (for `deriveBits`). */
export function importEcdhPrivateKey(pkcs8: Bytes): Promise<CryptoKey> {
  return crypto.subtle.importKey('pkcs8', pkcs8, ECDH, false, ['deriveBits']);
}

/** Imports PKCS#8 bytes as a non-extractable ECDSA P-256 private key (for `sign`). */
export function importEcdsaPrivateKey(pkcs8: Bytes): Promise<CryptoKey> {
  return crypto.subtle.importKey('pkcs8', pkcs8, ECDSA, false, ['sign']);
}

export { ECDH as ECDH_P256, ECDSA as ECDSA_P256 };
