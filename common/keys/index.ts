/**
 * Key management of the register — the public contract (ARCHITECTURE.md, "Keys"). Isomorphic: WebCrypto only
 * (`globalThis.crypto`), the same code in browsers and in Node 20. Other clients and scripts that read or write
 * the register's ciphertext must follow exactly what is written here; changing any string below is a new
 * protocol version, not a refactoring.
 *
 * ## Conventions
 * - Bytes travel as unpadded base64url, strictly canonical. Public keys are EC P-256 JWKs `{kty, crv, x, y}`.
 *   `publicKeyHash(jwk)` = base64url(SHA-256(UTF-8 of `{"crv":"P-256","kty":"EC","x":"…","y":"…"}`)).
 * - Every label starts with `palliative-register/v1`. In `|`-separated labels every field but the last comes from
 *   an alphabet without `|` (facility ids are `[a-z0-9][a-z0-9-]{0,62}`, epochs decimal integers ≥ 1, purposes
 *   and kinds fixed slugs, key hashes base64url), and the one free-form field (document id, login) is last, so
 *   every label is unambiguous. HKDF is always HKDF-SHA256 with an empty salt and a 256-bit output; AES is
 *   always AES-256-GCM with a random 96-bit IV and a 128-bit tag appended to the ciphertext.
 * - In memory, keys are non-extractable `CryptoKey`s. Raw epoch keys exist only in an administrator's wrap and
 *   re-wrap flow (`generateEpochKey`, `unwrapEpochKey`); callers wipe them (`wipe`) as soon as they are wrapped.
 *
 * ## Epoch keys and content keys (epoch-keys.ts)
 * Epoch key: 32 random bytes per facility per epoch (epochs from 1). Content key for a purpose
 * (`passport`, `note`, `reason`, `prescription-number`, `draft`):
 *   HKDF(epoch key, info "palliative-register/v1|content|<purpose>|<facilityId>|<epoch>") → AES-256-GCM.
 * Key id: `kid = "<facilityId>:<epoch>"`.
 *
 * ## Sealed documents (sealed-document.ts)
 * `{v: 1, kid, iv, ct}`; plaintext = UTF-8 JSON + 0x80 + zero bytes up to the next multiple of 256 bytes
 * (always at least the 0x80); additional data = "palliative-register/v1|document|<facilityId>|<epoch>|<docId>".
 * Several values of one purpose in one document use `docId = "<_id>#<field>"`.
 *
 * ## Key copies (key-wrapping.ts, ecdh-seal.ts, facility-signing.ts)
 * `WrappedKey = {v: 1, facilityId, epoch, recipient, recipientKeyHash, ephemeralPublicKey, iv, ct}`:
 *   shared  = ECDH(fresh ephemeral P-256 private key, recipient public key) (32 bytes)
 *   info    = "palliative-register/v1|wrap|epoch-key|<facilityId>|<epoch>|<recipientKeyHash>|<ephemeralKeyHash>|<login>"
 *   ct      = AES-256-GCM(HKDF(shared, info), iv, epoch key, additional data = info)
 * `SignedKeyCopy = WrappedKey + {sig}`: ECDSA P-256 / SHA-256 (P1363, 64 bytes) by the facility signing key over
 * the length-prefixed fields (4-byte big-endian length + UTF-8 each):
 *   "palliative-register/v1|key-copy", v, facilityId, epoch, recipient, recipientKeyHash,
 *   canonical JSON of ephemeralPublicKey, iv, ct.
 * The facility signing private key (PKCS#8) is sealed the same way to administrators and to the recovery key as a
 * `WrappedSigningKey = {v: 1, facilityId, recipient, recipientKeyHash, ephemeralPublicKey, iv, ct}` with
 *   info = "palliative-register/v1|wrap|signing-key|<facilityId>|<recipientKeyHash>|<ephemeralKeyHash>|<login>".
 *
 * ## Acceptance on the device (key-ring.ts)
 * A device accepts a copy only if it is signed, verifies with the signing key pinned for its facility, and names
 * the device owner's login and key hash. The current epoch (used for new writes) is the highest ever accepted
 * and never goes backwards: a copy offered as current with a lower epoch is an `EpochRollbackError`; copies of
 * older epochs may still be added for reading old documents. See `KeyRing` for the reasoning.
 *
 * ## Recovery (recovery-code.ts, recovery.ts)
 * Code: 16 random bytes as 26 Crockford base32 characters + 2 check characters (Σ (i+1)·value_i mod 1021),
 * in groups of four. Kit: `{v: 1, facilityId, publicKeyJwk, encryptedPrivateKey: {iv, ct}}`, the recovery
 * private key (PKCS#8) under HKDF(code bytes, info "palliative-register/v1|recovery|<facilityId>") with additional
 * data "palliative-register/v1|recovery-kit|<facilityId>|<publicKeyHash>". Copies to the recovery key use the
 * login `recovery:<facilityId>`.
 *
 * ## Under muk (member-material.ts)
 * HKDF(muk, info) → AES-256-GCM with info "user-private-key/v1" (PKCS#8 → {iv, ct}, no additional data, as in
 * client/crypto/user-key-pair.ts), "member-material/v1" ({privateKey, pinnedSigningKeys} → {v: 1, iv, ct},
 * additional data "palliative-register/v1|member-material|<login>") and "key-ring/v1" (KeyRing state, additional
 * data "palliative-register/v1|key-ring|<login>").
 */
export { wipe } from './encoding.ts';
export {
  DecryptionError,
  EpochRollbackError,
  KeyCopyError,
  MemberMaterialError,
  PinnedKeyConflictError,
  RecoveryCodeError,
  RecoveryKitError,
  UnsignedKeyCopyError,
  UnverifiableKeyCopyError,
  UnwrapError,
  WrongRecipientError,
} from './errors.ts';
export type { RecoveryCodeProblem } from './errors.ts';
export { canonicalJwk, exportPublicJwk, importEcdhPublicKey, isEcPublicKeyJwk, publicKeyHash } from './jwk.ts';
export type { EcPublicKeyJwk } from './jwk.ts';
export {
  CONTENT_PURPOSES,
  EPOCH_KEY_LENGTH,
  deriveContentKey,
  generateEpochKey,
  importEpochKey,
  isContentPurpose,
  keyId,
  parseKeyId,
} from './epoch-keys.ts';
export type { ContentKeyContext, ContentPurpose } from './epoch-keys.ts';
export { PADDING_BLOCK } from './padding.ts';
export { decryptDocument, encryptDocument, isSealedDocument } from './sealed-document.ts';
export type { DocumentContext, SealedDocument } from './sealed-document.ts';
export { isWrappedKey, unwrapEpochKey, unwrapEpochKeyAsHkdf, wrapEpochKey } from './key-wrapping.ts';
export type { EpochKeyContext, KeyRecipient, WrappedKey } from './key-wrapping.ts';
export {
  createFacilitySigningKey,
  isSignedKeyCopy,
  isWrappedSigningKey,
  signKeyCopy,
  unwrapSigningKey,
  verifyKeyCopy,
  wrapSigningKey,
} from './facility-signing.ts';
export type { FacilitySigningKey, SignedKeyCopy, WrappedSigningKey } from './facility-signing.ts';
export { KeyRing } from './key-ring.ts';
export type { AcceptAllResult, AcceptOutcome, KeyRingOwner, KeyRingState } from './key-ring.ts';
export { RECOVERY_CODE_BYTES, formatRecoveryCode, generateRecoveryCode, parseRecoveryCode } from './recovery-code.ts';
export { createRecoveryKit, isRecoveryKit, openRecoveryKit, recoveryLogin, recoveryRecipient } from './recovery.ts';
export type { RecoveryKit } from './recovery.ts';
export {
  encryptMemberPrivateKey,
  isMemberMaterial,
  openKeyRing,
  openMemberMaterial,
  openMemberPrivateKey,
  sealKeyRing,
  sealMemberMaterial,
} from './member-material.ts';
export type { EncryptedPrivateKey, MemberMaterial, MukSealed } from './member-material.ts';
export {
  contextOf,
  findSealedValues,
  purposeOfField,
  sealedContext,
  sealedEpoch,
  withSealedValue,
} from './sealed-fields.ts';
export type { SealedPath, SealedValue } from './sealed-fields.ts';
export { EnrolmentPinsError, isEnrolmentPins, makeEnrolmentPins, openEnrolmentPins } from './enrolment-pins.ts';
export type { EnrolmentPins } from './enrolment-pins.ts';
