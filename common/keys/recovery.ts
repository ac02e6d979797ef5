/**
 * Facility recovery (ARCHITECTURE.md, "Recovery"). At facility creation an ECDH P-256 recovery key pair is made;
 * its private key (PKCS#8) is sealed under a key derived from a printed 128-bit recovery code, and its public key
 * receives every epoch key — and the facility signing key — exactly like a member, under the login
 * `recovery:<facilityId>` (CouchDB user names cannot contain `:`, so no member can have that login).
 *
 *   recoveryKey = HKDF-SHA256(ikm = the 16 code bytes, salt = empty,
 *                             info = "palliative-register/v1|recovery|<facilityId>", 256 bits) as AES-256-GCM
 *   kit         = { v: 1, facilityId, publicKeyJwk, encryptedPrivateKey: { iv, ct } }
 *   ct          = AES-256-GCM(recoveryKey, iv = 12 random bytes, PKCS#8,
 *                             additionalData = "palliative-register/v1|recovery-kit|<facilityId>|<publicKeyHash>")
 *
 * A fast KDF is enough because the code is 128 random bits, not a password. The additional data ties the sealed
 * private key to the public key stored beside it, so a kit whose public key was swapped does not open.
 * The code is returned apart from the kit: the kit is stored, the code is only printed.
 */
import {
  PROTOCOL_LABEL,
  type Bytes,
  assertFacilityId,
  copyBytes,
  decodeBase64Url,
  encodeBase64Url,
  randomBytes,
  utf8,
  wipe,
} from './encoding.ts';
import { RecoveryKitError } from './errors.ts';
import {
  ECDH_P256,
  type EcPublicKeyJwk,
  exportPublicJwk,
  importEcdhPrivateKey,
  isEcPublicKeyJwk,
  publicKeyHash,
} from './jwk.ts';
import type { KeyRecipient } from './key-wrapping.ts';
import { RECOVERY_CODE_BYTES, formatRecoveryCode, parseRecoveryCode } from './recovery-code.ts';
import { isFacilityId } from '../roles.ts';

/** What is stored for a facility's recovery: public, and useless without the printed code. */
export interface RecoveryKit {
  v: 1;
  facilityId: string;
  publicKeyJwk: EcPublicKeyJwk;
  encryptedPrivateKey: { iv: string; ct: string };
}

const IV_LENGTH = 12;

/** The login under which epoch keys and the signing key are wrapped to a facility's recovery key. */
export function recoveryLogin(facilityId: string): string {
  assertFacilityId(facilityId);
  return `recovery:${facilityId}`;
}

/** The recipient to pass to `wrapEpochKey` / `wrapSigningKey` so that the recovery key receives a copy. */
export function recoveryRecipient(kit: RecoveryKit): KeyRecipient {
  return { login: recoveryLogin(kit.facilityId), publicKeyJwk: kit.publicKeyJwk };
}

/** True for the structure of a recovery kit. */
export function isRecoveryKit(value: unknown): value is RecoveryKit {
  if (typeof value !== 'object' || value === null) return false;
  const kit = value as Partial<RecoveryKit>;
  return (
    kit.v === 1 &&
    isFacilityId(kit.facilityId) &&
    isEcPublicKeyJwk(kit.publicKeyJwk) &&
    typeof kit.encryptedPrivateKey === 'object' &&
    kit.encryptedPrivateKey !== null &&
    typeof kit.encryptedPrivateKey.iv === 'string' &&
    typeof kit.encryptedPrivateKey.ct === 'string'
  );
}

async function deriveRecoveryKey(code: Bytes, facilityId: string): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey('raw', code, 'HKDF', false, ['deriveKey']);
  const info = utf8(`${PROTOCOL_LABEL}|recovery|${facilityId}`);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info },
    base,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

async function kitAdditionalData(facilityId: string, publicKeyJwk: EcPublicKeyJwk): Promise<Bytes> {
  return utf8(`${PROTOCOL_LABEL}|recovery-kit|${facilityId}|${await publicKeyHash(publicKeyJwk)}`);
}

/**
 * Makes a facility's recovery key pair and code. Print `code` (text and QR) for the safe and store `kit`;
 * then wrap every epoch key and the signing key to `recoveryRecipient(kit)`.
 */
export async function createRecoveryKit(facilityId: string): Promise<{ code: string; kit: RecoveryKit }> {
  assertFacilityId(facilityId);
  const codeBytes = randomBytes(RECOVERY_CODE_BYTES);
  const pair = await crypto.subtle.generateKey(ECDH_P256, true, ['deriveBits']);
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey));
  try {
    const publicKeyJwk = await exportPublicJwk(pair.publicKey);
    const key = await deriveRecoveryKey(codeBytes, facilityId);
    const iv = randomBytes(IV_LENGTH);
    const additionalData = await kitAdditionalData(facilityId, publicKeyJwk);
    const ct = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData }, key, pkcs8));
    return {
      code: formatRecoveryCode(codeBytes),
      kit: {
        v: 1,
        facilityId,
        publicKeyJwk,
        encryptedPrivateKey: { iv: encodeBase64Url(iv), ct: encodeBase64Url(ct) },
      },
    };
  } finally {
    wipe(pkcs8);
    wipe(codeBytes);
  }
}

/**
 * Opens a recovery kit with its code (as typed — see `parseRecoveryCode` — or as the 16 bytes) into the recovery
 * private key: non-extractable ECDH, ready to unwrap the copies made for `recovery:<facilityId>`.
 * Throws `RecoveryCodeError` for a mistyped code and `RecoveryKitError` for a well-formed but wrong code or a
 * damaged kit.
 */
export async function openRecoveryKit(code: string | Uint8Array, kit: unknown): Promise<CryptoKey> {
  const codeBytes = typeof code === 'string' ? parseRecoveryCode(code) : copyBytes(code);
  try {
    if (codeBytes.length !== RECOVERY_CODE_BYTES) throw new RecoveryKitError('A recovery code holds 16 bytes.');
    if (!isRecoveryKit(kit)) throw new RecoveryKitError('Not a recovery kit.');
    const iv = decodeBase64Url(kit.encryptedPrivateKey.iv);
    const ct = decodeBase64Url(kit.encryptedPrivateKey.ct);
    if (iv?.length !== IV_LENGTH || ct === null) throw new RecoveryKitError('The recovery kit is damaged.');
    const key = await deriveRecoveryKey(codeBytes, kit.facilityId);
    const additionalData = await kitAdditionalData(kit.facilityId, kit.publicKeyJwk);
    let pkcs8: Bytes;
    try {
      pkcs8 = new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData }, key, ct));
    } catch (error) {
      throw new RecoveryKitError(`This recovery code does not open the recovery kit of "${kit.facilityId}".`, {
        cause: error,
      });
    }
    try {
      return await importEcdhPrivateKey(pkcs8);
    } catch (error) {
      throw new RecoveryKitError('The recovery kit does not hold an ECDH P-256 key.', { cause: error });
    } finally {
      wipe(pkcs8);
    }
  } finally {
    wipe(codeBytes);
  }
}
