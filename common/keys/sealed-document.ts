/**
 * Sealed documents: how passports, notes and other identifying text are stored (ARCHITECTURE.md, "Keys").
 *
 *   envelope  = { v: 1, kid: "<facilityId>:<epoch>", iv: base64url(12 random bytes), ct: base64url(ciphertext) }
 *   plaintext = UTF-8 JSON of the value, padded to a multiple of 256 bytes (see padding.ts)
 *   ct        = AES-256-GCM(contentKey, iv, plaintext, additionalData), with the 16-byte tag appended
 *   additionalData = UTF-8 of "palliative-register/v1|document|<facilityId>|<epoch>|<docId>"
 *
 * The content key comes from `deriveContentKey` for the value's purpose. The additional data binds the facility,
 * the epoch and the document id, so a ciphertext copied into another document, another facility's database or
 * relabelled with another epoch does not open. The document id is the last field, so it may contain any character.
 * A document holding several sealed values of one purpose gives each its own id, `<_id>#<field>`, so they cannot
 * be swapped either. `kid` only tells the reader which epoch key to fetch; it is not trusted, but it must agree
 * with the context the reader passes, and that context is authenticated through the additional data.
 */
import {
  PROTOCOL_LABEL,
  type Bytes,
  assertEpoch,
  assertFacilityId,
  decodeBase64Url,
  encodeBase64Url,
  fromUtf8,
  randomBytes,
  utf8,
} from './encoding.ts';
import { keyId } from './epoch-keys.ts';
import { DecryptionError } from './errors.ts';
import { pad, unpad } from './padding.ts';

/** The stored form of a sealed value: exactly the fields a passport document carries besides `type`. */
export interface SealedDocument {
  v: 1;
  kid: string;
  iv: string;
  ct: string;
}

/** Where a sealed value lives: its facility, its document id (or `<_id>#<field>`) and the epoch of its key. */
export interface DocumentContext {
  facilityId: string;
  docId: string;
  epoch: number;
}

const IV_LENGTH = 12;
const TAG_LENGTH = 16;

/** True for `{v: 1, kid, iv, ct}` with string fields (whether they decode is checked when opening). */
export function isSealedDocument(value: unknown): value is SealedDocument {
  if (typeof value !== 'object' || value === null) return false;
  const sealed = value as Record<string, unknown>;
  return (
    sealed.v === 1 && typeof sealed.kid === 'string' && typeof sealed.iv === 'string' && typeof sealed.ct === 'string'
  );
}

/** The AES-GCM additional data of a sealed value (the public contract; see the module comment). */
export function documentAdditionalData(context: DocumentContext): Bytes {
  assertFacilityId(context.facilityId);
  assertEpoch(context.epoch);
  if (typeof context.docId !== 'string' || context.docId.length === 0)
    throw new TypeError('A document id is required.');
  return utf8(`${PROTOCOL_LABEL}|document|${context.facilityId}|${context.epoch}|${context.docId}`);
}

/**
 * Seals with a given IV. Only `encryptDocument` (random IV) may be used for real data — reusing an IV under one
 * key breaks AES-GCM. Exported for the fixed test vector that pins the format; not part of the public API.
 * @internal
 */
export async function sealDocumentWithIv(
  contentKey: CryptoKey,
  context: DocumentContext,
  value: unknown,
  iv: Bytes,
): Promise<SealedDocument> {
  const json = JSON.stringify(value) as string | undefined;
  if (json === undefined) throw new TypeError('Only JSON values can be sealed.');
  const additionalData = documentAdditionalData(context);
  const plaintext = pad(utf8(json));
  try {
    const ct = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData }, contentKey, plaintext);
    return {
      v: 1,
      kid: keyId(context.facilityId, context.epoch),
      iv: encodeBase64Url(iv),
      ct: encodeBase64Url(new Uint8Array(ct)),
    };
  } finally {
    plaintext.fill(0);
  }
}

/**
 * Encrypts a JSON value (a passport, a note…) for one document of one facility under one epoch's content key,
 * with a fresh random 96-bit IV and length-hiding padding. Returns the envelope to store.
 */
export function encryptDocument(
  contentKey: CryptoKey,
  context: DocumentContext,
  value: unknown,
): Promise<SealedDocument> {
  return sealDocumentWithIv(contentKey, context, value, randomBytes(IV_LENGTH));
}

/**
 * Decrypts a sealed value for the given facility, document and epoch and parses its JSON. Throws
 * `DecryptionError` on every failure — malformed envelope, `kid` naming another key, wrong key, a ciphertext moved
 * from another document, facility or epoch, tampering, bad padding or JSON — and never returns partial data.
 * The result is `unknown`: check its shape with a type guard before use. An invalid context (not a facility id,
 * not an epoch, empty document id) is the caller's bug and throws a TypeError instead.
 */
export async function decryptDocument(
  contentKey: CryptoKey,
  context: DocumentContext,
  sealed: unknown,
): Promise<unknown> {
  if (!isSealedDocument(sealed)) throw new DecryptionError('Not a sealed document ({v: 1, kid, iv, ct}).');
  if (sealed.kid !== keyId(context.facilityId, context.epoch)) {
    throw new DecryptionError(`The document is sealed under key "${sealed.kid}", not the key it is opened with.`);
  }
  const iv = decodeBase64Url(sealed.iv);
  const ct = decodeBase64Url(sealed.ct);
  if (iv?.length !== IV_LENGTH || ct === null || ct.length < TAG_LENGTH) {
    throw new DecryptionError('The sealed document is malformed.');
  }
  let padded: Bytes;
  try {
    const additionalData = documentAdditionalData(context);
    padded = new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData }, contentKey, ct));
  } catch (error) {
    throw new DecryptionError('The document does not open with this key for this document.', { cause: error });
  }
  try {
    const plaintext = unpad(padded);
    if (plaintext === null) throw new DecryptionError('The decrypted document is not padded correctly.');
    return JSON.parse(fromUtf8(plaintext)) as unknown;
  } catch (error) {
    if (error instanceof DecryptionError) throw error;
    throw new DecryptionError('The decrypted document is not JSON.', { cause: error });
  } finally {
    padded.fill(0);
  }
}
