/**
 * What a member keeps under muk (ARCHITECTURE.md, "Members hold it wrapped", "Nothing unsigned is trusted"):
 * the ECDH private key and the facility signing keys pinned at enrolment, plus the device's key-ring state.
 *
 * `muk` is the non-extractable HKDF key made from the muk bytes (client/crypto/muk-keys.ts `importMuk`). Every
 * purpose gets its own AES-256-GCM key, HKDF-SHA256(muk, salt = empty, info), with the info strings of
 * client/crypto/muk-keys.ts style:
 *
 *   "user-private-key/v1"  the PKCS#8 private key → { iv, ct }, no additional data — exactly the format of
 *                          client/crypto/user-key-pair.ts, so keys made there open here and vice versa
 *   "member-material/v1"   JSON { privateKey: { iv, ct }, pinnedSigningKeys: { <facilityId>: JWK } } → { v: 1, iv, ct },
 *                          additionalData "palliative-register/v1|member-material|<login>"
 *   "key-ring/v1"          JSON of KeyRing.toJSON() → { v: 1, iv, ct },
 *                          additionalData "palliative-register/v1|key-ring|<login>"
 *
 * `<login>` is trimmed and lower-cased. The material holds the private key still encrypted under its own key, so
 * pins can be added (the member joins another facility) and the material sealed again without ever handling the
 * private key's bytes; the outer layer binds the whole to the member's login.
 */
import { normalizeUsername } from '../auth-derivation.ts';
import {
  PROTOCOL_LABEL,
  type Bytes,
  decodeBase64Url,
  encodeBase64Url,
  fromUtf8,
  randomBytes,
  utf8,
  wipe,
} from './encoding.ts';
import { MemberMaterialError } from './errors.ts';
import { type EcPublicKeyJwk, canonicalJwk, importEcdhPrivateKey, isEcPublicKeyJwk } from './jwk.ts';
import { KeyRing } from './key-ring.ts';
import { isFacilityId } from '../roles.ts';

export const USER_PRIVATE_KEY_INFO = 'user-private-key/v1';
export const MEMBER_MATERIAL_INFO = 'member-material/v1';
export const KEY_RING_INFO = 'key-ring/v1';

/** A PKCS#8 private key encrypted under muk (the `encryptedPrivateKey` of `POST /api/me/credentials`). */
export interface EncryptedPrivateKey {
  iv: string;
  ct: string;
}

/** The member's material, opened. */
export interface MemberMaterial {
  privateKey: EncryptedPrivateKey;
  pinnedSigningKeys: Record<string, EcPublicKeyJwk>;
}

/** A JSON value sealed under muk for one login. */
export interface MukSealed {
  v: 1;
  iv: string;
  ct: string;
}

const IV_LENGTH = 12;

function deriveMukKey(muk: CryptoKey, info: string): Promise<CryptoKey> {
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: utf8(info) },
    muk,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

async function encryptUnderMuk(
  muk: CryptoKey,
  info: string,
  plaintext: Bytes,
  additionalData?: Bytes,
): Promise<EncryptedPrivateKey> {
  const key = await deriveMukKey(muk, info);
  const iv = randomBytes(IV_LENGTH);
  const params: AesGcmParams =
    additionalData === undefined ? { name: 'AES-GCM', iv } : { name: 'AES-GCM', iv, additionalData };
  const ct = new Uint8Array(await crypto.subtle.encrypt(params, key, plaintext));
  return { iv: encodeBase64Url(iv), ct: encodeBase64Url(ct) };
}

async function decryptUnderMuk(muk: CryptoKey, info: string, sealed: unknown, additionalData?: Bytes): Promise<Bytes> {
  const candidate = sealed as Partial<EncryptedPrivateKey> | null;
  const iv = decodeBase64Url(candidate?.iv);
  const ct = decodeBase64Url(candidate?.ct);
  if (iv?.length !== IV_LENGTH || ct === null) throw new MemberMaterialError('The sealed material is malformed.');
  const key = await deriveMukKey(muk, info);
  const params: AesGcmParams =
    additionalData === undefined ? { name: 'AES-GCM', iv } : { name: 'AES-GCM', iv, additionalData };
  try {
    return new Uint8Array(await crypto.subtle.decrypt(params, key, ct));
  } catch (error) {
    throw new MemberMaterialError('The sealed material does not open with this password for this user.', {
      cause: error,
    });
  }
}

function loginAdditionalData(kind: string, login: string): Bytes {
  const normalized = normalizeUsername(login);
  if (normalized.length === 0) throw new TypeError('A login is required.');
  return utf8(`${PROTOCOL_LABEL}|${kind}|${normalized}`);
}

async function sealJson(muk: CryptoKey, info: string, additionalData: Bytes, value: unknown): Promise<MukSealed> {
  const plaintext = utf8(JSON.stringify(value));
  try {
    return { v: 1, ...(await encryptUnderMuk(muk, info, plaintext, additionalData)) };
  } finally {
    wipe(plaintext);
  }
}

async function openJson(muk: CryptoKey, info: string, additionalData: Bytes, sealed: unknown): Promise<unknown> {
  if ((sealed as Partial<MukSealed> | null)?.v !== 1) throw new MemberMaterialError('Not sealed member material.');
  const plaintext = await decryptUnderMuk(muk, info, sealed, additionalData);
  try {
    return JSON.parse(fromUtf8(plaintext)) as unknown;
  } catch (error) {
    throw new MemberMaterialError('The sealed material is not JSON.', { cause: error });
  } finally {
    wipe(plaintext);
  }
}

/** True for opened member material of the right shape (canonical P-256 pins under facility ids). */
export function isMemberMaterial(value: unknown): value is MemberMaterial {
  if (typeof value !== 'object' || value === null) return false;
  const material = value as Partial<MemberMaterial>;
  const privateKey = material.privateKey as Partial<EncryptedPrivateKey> | undefined;
  const pins = material.pinnedSigningKeys;
  return (
    typeof privateKey?.iv === 'string' &&
    typeof privateKey.ct === 'string' &&
    typeof pins === 'object' &&
    pins !== null &&
    Object.entries(pins).every(([facilityId, jwk]) => isFacilityId(facilityId) && isEcPublicKeyJwk(jwk))
  );
}

/** Encrypts a PKCS#8 private key under muk in the `user-private-key/v1` format; the caller wipes the bytes. */
export function encryptMemberPrivateKey(muk: CryptoKey, pkcs8: Bytes): Promise<EncryptedPrivateKey> {
  return encryptUnderMuk(muk, USER_PRIVATE_KEY_INFO, pkcs8);
}

/** Decrypts the member's private key into a non-extractable ECDH key; a wrong muk throws `MemberMaterialError`. */
export async function openMemberPrivateKey(
  muk: CryptoKey,
  material: Pick<MemberMaterial, 'privateKey'>,
): Promise<CryptoKey> {
  const pkcs8 = await decryptUnderMuk(muk, USER_PRIVATE_KEY_INFO, material.privateKey);
  try {
    return await importEcdhPrivateKey(pkcs8);
  } catch (error) {
    throw new MemberMaterialError('The member material does not hold an ECDH P-256 private key.', { cause: error });
  } finally {
    wipe(pkcs8);
  }
}

/** Seals the member's material under muk, bound to the login. */
export async function sealMemberMaterial(muk: CryptoKey, login: string, material: MemberMaterial): Promise<MukSealed> {
  if (!isMemberMaterial(material)) throw new TypeError('Not member material.');
  const pinnedSigningKeys = Object.fromEntries(
    Object.entries(material.pinnedSigningKeys).map(([facilityId, jwk]) => [facilityId, canonicalJwk(jwk)]),
  );
  const value: MemberMaterial = {
    privateKey: { iv: material.privateKey.iv, ct: material.privateKey.ct },
    pinnedSigningKeys,
  };
  return sealJson(muk, MEMBER_MATERIAL_INFO, loginAdditionalData('member-material', login), value);
}

/** Opens the member's material; throws `MemberMaterialError` for a wrong muk, another login or damage. */
export async function openMemberMaterial(muk: CryptoKey, login: string, sealed: unknown): Promise<MemberMaterial> {
  const value = await openJson(muk, MEMBER_MATERIAL_INFO, loginAdditionalData('member-material', login), sealed);
  if (!isMemberMaterial(value)) throw new MemberMaterialError('The opened member material has the wrong shape.');
  return value;
}

/** Seals the device's key-ring state under muk, bound to the ring owner's login. */
export async function sealKeyRing(muk: CryptoKey, ring: KeyRing): Promise<MukSealed> {
  return sealJson(muk, KEY_RING_INFO, loginAdditionalData('key-ring', ring.owner.login), ring.toJSON());
}

/**
 * Opens a sealed key-ring state and restores the ring (re-checking every copy). Throws `MemberMaterialError` for a
 * wrong muk, another login, damage, a state that does not restore, or one that names another owner than `login`.
 */
export async function openKeyRing(muk: CryptoKey, login: string, sealed: unknown): Promise<KeyRing> {
  const state = await openJson(muk, KEY_RING_INFO, loginAdditionalData('key-ring', login), sealed);
  let ring: KeyRing;
  try {
    ring = await KeyRing.fromJSON(state);
  } catch (error) {
    throw new MemberMaterialError('The sealed key-ring state does not restore.', { cause: error });
  }
  if (ring.owner.login !== normalizeUsername(login))
    throw new MemberMaterialError('The key ring belongs to another user.');
  return ring;
}
