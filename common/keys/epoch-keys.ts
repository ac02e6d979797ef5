/**
 * Facility epoch keys and the content keys derived from them (ARCHITECTURE.md, "Keys").
 *
 * An epoch key is 32 random bytes, one per facility per epoch (epochs count from 1; revocation starts the next).
 * Raw bytes exist only while an administrator's client wraps or re-wraps them; everywhere else the epoch key is a
 * non-extractable HKDF `CryptoKey` made by `importEpochKey`. Content keys are non-extractable AES-256-GCM keys:
 *
 *   contentKey = HKDF-SHA256(ikm = epoch key, salt = empty, info = UTF-8 of
 *                "palliative-register/v1|content|<purpose>|<facilityId>|<epoch>", 256 bits)
 *
 * where `<epoch>` is the decimal epoch number. Every field is from an alphabet without `|` (purposes and facility
 * ids are slugs), so the info string is unambiguous. The salt is empty because the epoch key is already uniformly
 * random. One purpose's key never opens another purpose's ciphertext.
 */
import { isFacilityId } from '../roles.ts';
import {
  PROTOCOL_LABEL,
  type Bytes,
  assertEpoch,
  assertFacilityId,
  copyBytes,
  randomBytes,
  utf8,
  wipe,
} from './encoding.ts';

/** Length of an epoch key in bytes. */
export const EPOCH_KEY_LENGTH = 32;

/**
 * What a content key encrypts. Passports, free-text notes (people type names into notes), free-text reasons and
 * prescription numbers (both can identify a patient through other registers), and drafts kept on the device.
 */
export const CONTENT_PURPOSES = ['passport', 'note', 'reason', 'prescription-number', 'draft'] as const;
export type ContentPurpose = (typeof CONTENT_PURPOSES)[number];

/** Which content key: purpose, facility and epoch all go into the HKDF info. */
export interface ContentKeyContext {
  purpose: ContentPurpose;
  facilityId: string;
  epoch: number;
}

export function isContentPurpose(value: unknown): value is ContentPurpose {
  return typeof value === 'string' && (CONTENT_PURPOSES as readonly string[]).includes(value);
}

/** 32 fresh random bytes: the key of a new epoch (made by an administrator's client only). */
export function generateEpochKey(): Bytes {
  return randomBytes(EPOCH_KEY_LENGTH);
}

/**
 * Imports epoch key bytes as a non-extractable HKDF base key, usable only with `deriveKey` (so nothing can pull a
 * content key's bits out of it). The bytes are left alone (an administrator's re-wrap
 * flow may still need them); pass `{ wipe: true }` when this is the last use, as a device does after unwrapping.
 */
export async function importEpochKey(epochKey: Uint8Array, options: { wipe?: boolean } = {}): Promise<CryptoKey> {
  if (epochKey.length !== EPOCH_KEY_LENGTH) throw new TypeError(`An epoch key has ${EPOCH_KEY_LENGTH} bytes.`);
  const bytes = copyBytes(epochKey);
  try {
    return await crypto.subtle.importKey('raw', bytes, 'HKDF', false, ['deriveKey']);
  } finally {
    wipe(bytes);
    if (options.wipe === true) wipe(epochKey);
  }
}

/** The HKDF info string of a content key (the public contract; see the module comment). */
export function contentKeyInfo(context: ContentKeyContext): string {
  if (!isContentPurpose(context.purpose)) throw new TypeError(`Unknown content purpose: ${String(context.purpose)}.`);
  assertFacilityId(context.facilityId);
  assertEpoch(context.epoch);
  return `${PROTOCOL_LABEL}|content|${context.purpose}|${context.facilityId}|${context.epoch}`;
}

/** HKDF parameters of a content key: SHA-256, empty salt, the content info string. */
export function contentKeyHkdfParams(context: ContentKeyContext): HkdfParams {
  return { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: utf8(contentKeyInfo(context)) };
}

/**
 * Derives the non-extractable AES-256-GCM content key for one purpose, facility and epoch. `epochKey` is either
 * the HKDF key from `importEpochKey` (usual) or the raw 32 bytes (imported here and not kept).
 */
export async function deriveContentKey(
  epochKey: CryptoKey | Uint8Array,
  context: ContentKeyContext,
): Promise<CryptoKey> {
  const params = contentKeyHkdfParams(context);
  const base = epochKey instanceof Uint8Array ? await importEpochKey(epochKey) : epochKey;
  return crypto.subtle.deriveKey(params, base, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
}

/** The key id written into sealed documents: `<facilityId>:<epoch>` (e.g. `hospice-1:3`). Not secret. */
export function keyId(facilityId: string, epoch: number): string {
  assertFacilityId(facilityId);
  assertEpoch(epoch);
  return `${facilityId}:${epoch}`;
}

/** Facility and epoch named by a key id, or `null` if the text is not one (`x:0`, `x:01` and `x:1.5` are not). */
export function parseKeyId(kid: unknown): { facilityId: string; epoch: number } | null {
  if (typeof kid !== 'string') return null;
  const colon = kid.lastIndexOf(':');
  const facilityId = kid.slice(0, colon);
  const epochText = kid.slice(colon + 1);
  if (colon < 0 || !isFacilityId(facilityId) || !/^[1-9][0-9]*$/.test(epochText)) return null;
  const epoch = Number(epochText);
  return Number.isSafeInteger(epoch) ? { facilityId, epoch } : null;
}
