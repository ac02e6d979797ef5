/**
 * The facility signing key (ARCHITECTURE.md, "Nothing unsigned is trusted"): an ECDSA P-256 key pair made with
 * the facility. Its public key is pinned in each member's muk-sealed material at enrolment; its private key signs
 * every key copy, so whoever can write `_users` cannot slip a key they know into a member's device.
 *
 * Signed bytes of a key copy — every field length-prefixed (4-byte big-endian UTF-8 length, then the UTF-8 bytes),
 * so no two different copies give the same bytes:
 *
 *   "palliative-register/v1|key-copy", "<v>", facilityId, "<epoch>", recipient, recipientKeyHash,
 *   canonical JSON of ephemeralPublicKey ({"crv","kty","x","y"}), iv, ct
 *
 *   sig = base64url(ECDSA-P256-SHA256 signature in IEEE P1363 form, r ‖ s, 64 bytes)
 *
 * The signing private key itself travels as a `WrappedSigningKey` to administrators and to the recovery key (the
 * same sealing as epoch keys, context fields `signing-key|<facilityId>`), so a facility restored with its recovery
 * code can sign copies for its new members.
 */
import {
  PROTOCOL_LABEL,
  type Bytes,
  assertFacilityId,
  assertLogin,
  copyBytes,
  decodeBase64Url,
  encodeBase64Url,
  lengthPrefixed,
  utf8,
  wipe,
} from './encoding.ts';
import { type EcdhEnvelope, openAsRecipient, sealToRecipient } from './ecdh-seal.ts';
import { UnwrapError } from './errors.ts';
import {
  ECDSA_P256,
  type EcPublicKeyJwk,
  canonicalJwkJson,
  exportPublicJwk,
  importEcdsaPrivateKey,
  importEcdsaPublicKey,
  isEcPublicKeyJwk,
} from './jwk.ts';
import { type KeyRecipient, type WrappedKey, isWrappedKey, pickWrappedKey } from './key-wrapping.ts';
import { isFacilityId } from '../roles.ts';

/** A wrapped epoch key with the facility's signature: what a member's user document carries. */
export interface SignedKeyCopy extends WrappedKey {
  sig: string;
}

/** The facility signing private key (PKCS#8) sealed to an administrator or the recovery key. */
export interface WrappedSigningKey extends EcdhEnvelope {
  v: 1;
  facilityId: string;
  recipient: string;
}

/** A new facility signing key: the public JWK to publish and pin, and the private key in two forms. */
export interface FacilitySigningKey {
  publicKeyJwk: EcPublicKeyJwk;
  /** Non-extractable, for signing in this session. */
  privateKey: CryptoKey;
  /** PKCS#8 bytes, to wrap to administrators and the recovery key; the caller wipes them afterwards. */
  privateKeyPkcs8: Bytes;
}

const ECDSA_SHA256 = { name: 'ECDSA', hash: 'SHA-256' } as const;
const SIGNATURE_LENGTH = 64;

/** True for a wrapped key carrying a `sig` string (whether the signature verifies is `verifyKeyCopy`'s job). */
export function isSignedKeyCopy(value: unknown): value is SignedKeyCopy {
  return isWrappedKey(value) && typeof (value as Partial<SignedKeyCopy>).sig === 'string';
}

/** Makes the signing key pair of a new facility. */
export async function createFacilitySigningKey(): Promise<FacilitySigningKey> {
  const pair = await crypto.subtle.generateKey(ECDSA_P256, true, ['sign', 'verify']);
  const privateKeyPkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey));
  const privateKey = await importEcdsaPrivateKey(privateKeyPkcs8);
  return { publicKeyJwk: await exportPublicJwk(pair.publicKey), privateKey, privateKeyPkcs8 };
}

/** The exact bytes a key copy's signature covers (see the module comment). */
export function keyCopySigningBytes(copy: WrappedKey): Bytes {
  return lengthPrefixed([
    `${PROTOCOL_LABEL}|key-copy`,
    String(copy.v),
    copy.facilityId,
    String(copy.epoch),
    copy.recipient,
    copy.recipientKeyHash,
    canonicalJwkJson(copy.ephemeralPublicKey),
    copy.iv,
    copy.ct,
  ]);
}

/** Signs a wrapped key with the facility's signing private key; returns the copy's fields plus `sig`. */
export async function signKeyCopy(signingPrivateKey: CryptoKey, wrapped: WrappedKey): Promise<SignedKeyCopy> {
  if (!isWrappedKey(wrapped)) throw new TypeError('Only a well-formed wrapped key can be signed.');
  const copy = pickWrappedKey(wrapped);
  const signature = await crypto.subtle.sign(ECDSA_SHA256, signingPrivateKey, keyCopySigningBytes(copy));
  return { ...copy, sig: encodeBase64Url(new Uint8Array(signature)) };
}

/**
 * True only if `signed` is a well-formed key copy whose signature verifies with the facility's (pinned) signing
 * public key. Never throws: anything malformed — the copy or the key — is simply not verified.
 */
export async function verifyKeyCopy(signingPublicKeyJwk: EcPublicKeyJwk, signed: unknown): Promise<boolean> {
  if (!isSignedKeyCopy(signed) || !isEcPublicKeyJwk(signingPublicKeyJwk)) return false;
  const signature = decodeBase64Url(signed.sig);
  if (signature?.length !== SIGNATURE_LENGTH) return false;
  try {
    const publicKey = await importEcdsaPublicKey(signingPublicKeyJwk);
    return await crypto.subtle.verify(ECDSA_SHA256, publicKey, signature, keyCopySigningBytes(signed));
  } catch {
    return false;
  }
}

/** True for the structure of a `WrappedSigningKey`. */
export function isWrappedSigningKey(value: unknown): value is WrappedSigningKey {
  if (typeof value !== 'object' || value === null) return false;
  const copy = value as Record<string, unknown>;
  return (
    copy.v === 1 &&
    isFacilityId(copy.facilityId) &&
    typeof copy.recipient === 'string' &&
    copy.recipient.length > 0 &&
    typeof copy.recipientKeyHash === 'string' &&
    isEcPublicKeyJwk(copy.ephemeralPublicKey) &&
    typeof copy.iv === 'string' &&
    typeof copy.ct === 'string'
  );
}

/** Wraps the facility signing private key (PKCS#8) to an administrator or to the facility's recovery key. */
export async function wrapSigningKey(
  privateKeyPkcs8: Uint8Array,
  recipient: KeyRecipient,
  context: { facilityId: string },
): Promise<WrappedSigningKey> {
  assertFacilityId(context.facilityId);
  assertLogin(recipient.login);
  const envelope = await sealToRecipient(privateKeyPkcs8, recipient, ['signing-key', context.facilityId]);
  return { v: 1, facilityId: context.facilityId, recipient: recipient.login, ...envelope };
}

/**
 * Unwraps the facility signing private key to a non-extractable ECDSA key and checks that it belongs to
 * `signingPublicKeyJwk` (the pinned key) by signing and verifying a probe: a substituted key would only make
 * signatures every device refuses. With `{ keepPkcs8: true }` also returns the PKCS#8 bytes (to re-wrap it to a
 * new administrator); the caller wipes them. Throws `UnwrapError` on any failure.
 */
export async function unwrapSigningKey(
  wrapped: unknown,
  recipientPrivateKey: CryptoKey,
  recipientPublicKeyJwk: EcPublicKeyJwk,
  signingPublicKeyJwk: EcPublicKeyJwk,
  options: { keepPkcs8?: boolean } = {},
): Promise<{ privateKey: CryptoKey; privateKeyPkcs8: Bytes | null }> {
  if (!isWrappedSigningKey(wrapped)) throw new UnwrapError('Not a wrapped signing key.');
  const fields = ['signing-key', wrapped.facilityId];
  const pkcs8 = await openAsRecipient(wrapped, wrapped.recipient, fields, recipientPrivateKey, recipientPublicKeyJwk);
  try {
    let privateKey: CryptoKey;
    try {
      privateKey = await importEcdsaPrivateKey(pkcs8);
    } catch (error) {
      throw new UnwrapError('The wrapped copy does not hold an ECDSA P-256 key.', { cause: error });
    }
    const probe = utf8(`${PROTOCOL_LABEL}|signing-key-probe`);
    const signature = await crypto.subtle.sign(ECDSA_SHA256, privateKey, probe);
    const publicKey = await importEcdsaPublicKey(signingPublicKeyJwk);
    if (!(await crypto.subtle.verify(ECDSA_SHA256, publicKey, signature, probe))) {
      throw new UnwrapError('The unwrapped signing key does not match the pinned signing public key.');
    }
    return { privateKey, privateKeyPkcs8: options.keepPkcs8 === true ? copyBytes(pkcs8) : null };
  } finally {
    wipe(pkcs8);
  }
}
