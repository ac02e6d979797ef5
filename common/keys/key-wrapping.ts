/**
 * Epoch keys wrapped to members (ARCHITECTURE.md, "Members hold it wrapped"). Each epoch key is wrapped to each
 * member's ECDH P-256 public key, and to the facility's recovery key, as a `WrappedKey`:
 *
 *   { v: 1, facilityId, epoch, recipient: "<login>", recipientKeyHash: publicKeyHash(recipient key),
 *     ephemeralPublicKey: JWK, iv, ct }
 *
 * sealed as described in ecdh-seal.ts with the context fields `epoch-key|<facilityId>|<epoch>`, i.e.
 *
 *   info = "palliative-register/v1|wrap|epoch-key|<facilityId>|<epoch>|<recipientKeyHash>|<ephemeralKeyHash>|<login>"
 *
 * A wrapped key is only half of a key copy: devices accept it only with the facility's signature
 * (facility-signing.ts, key-ring.ts), because whoever can write `_users` can also wrap a key they know.
 */
import { type Bytes, assertEpoch, assertFacilityId, assertLogin, isEpoch, wipe } from './encoding.ts';
import { EPOCH_KEY_LENGTH, importEpochKey } from './epoch-keys.ts';
import { type EcdhEnvelope, openAsRecipient, sealToRecipient } from './ecdh-seal.ts';
import { UnwrapError } from './errors.ts';
import { type EcPublicKeyJwk, isEcPublicKeyJwk } from './jwk.ts';
import { isFacilityId } from '../roles.ts';

/** An epoch key wrapped to one recipient's public key. */
export interface WrappedKey extends EcdhEnvelope {
  v: 1;
  facilityId: string;
  epoch: number;
  /** The recipient's login (`recovery:<facilityId>` for the recovery key). */
  recipient: string;
}

/** Who receives a copy: a login and its ECDH P-256 public key (from the staff directory). */
export interface KeyRecipient {
  login: string;
  publicKeyJwk: EcPublicKeyJwk;
}

/** Which epoch key is wrapped. */
export interface EpochKeyContext {
  facilityId: string;
  epoch: number;
}

function contextFields(facilityId: string, epoch: number): string[] {
  return ['epoch-key', facilityId, String(epoch)];
}

/** True for the structure of a `WrappedKey` (not whether it opens or is signed). Extra fields are allowed. */
export function isWrappedKey(value: unknown): value is WrappedKey {
  if (typeof value !== 'object' || value === null) return false;
  const copy = value as Record<string, unknown>;
  return (
    copy.v === 1 &&
    isFacilityId(copy.facilityId) &&
    isEpoch(copy.epoch) &&
    typeof copy.recipient === 'string' &&
    copy.recipient.length > 0 &&
    typeof copy.recipientKeyHash === 'string' &&
    isEcPublicKeyJwk(copy.ephemeralPublicKey) &&
    typeof copy.iv === 'string' &&
    typeof copy.ct === 'string'
  );
}

/** Exactly the fields of a `WrappedKey` (drops anything else, e.g. a signature), with a canonical ephemeral key. */
export function pickWrappedKey(copy: WrappedKey): WrappedKey {
  const { x, y } = copy.ephemeralPublicKey;
  return {
    v: 1,
    facilityId: copy.facilityId,
    epoch: copy.epoch,
    recipient: copy.recipient,
    recipientKeyHash: copy.recipientKeyHash,
    ephemeralPublicKey: { kty: 'EC', crv: 'P-256', x, y },
    iv: copy.iv,
    ct: copy.ct,
  };
}

/**
 * Wraps 32 epoch key bytes to one recipient (an administrator's flow: new epoch, new member, confirmed key pair).
 * The bytes are not wiped here: the caller wraps them to every member, then wipes them.
 */
export async function wrapEpochKey(
  epochKey: Uint8Array,
  recipient: KeyRecipient,
  context: EpochKeyContext,
): Promise<WrappedKey> {
  if (epochKey.length !== EPOCH_KEY_LENGTH) throw new TypeError(`An epoch key has ${EPOCH_KEY_LENGTH} bytes.`);
  assertFacilityId(context.facilityId);
  assertEpoch(context.epoch);
  assertLogin(recipient.login);
  const envelope = await sealToRecipient(epochKey, recipient, contextFields(context.facilityId, context.epoch));
  return { v: 1, facilityId: context.facilityId, epoch: context.epoch, recipient: recipient.login, ...envelope };
}

/**
 * Unwraps an epoch key to its 32 raw bytes — for the administrator's re-wrap flow only; the caller wipes them.
 * `recipientPublicKeyJwk` must be the public half of `recipientPrivateKey` (its hash is checked against the copy).
 * Throws `UnwrapError` for a malformed copy, another recipient's copy, a wrong private key or any tampering.
 */
export async function unwrapEpochKey(
  wrapped: unknown,
  recipientPrivateKey: CryptoKey,
  recipientPublicKeyJwk: EcPublicKeyJwk,
): Promise<Bytes> {
  if (!isWrappedKey(wrapped)) throw new UnwrapError('Not a wrapped epoch key.');
  const fields = contextFields(wrapped.facilityId, wrapped.epoch);
  const bytes = await openAsRecipient(wrapped, wrapped.recipient, fields, recipientPrivateKey, recipientPublicKeyJwk);
  if (bytes.length !== EPOCH_KEY_LENGTH) {
    wipe(bytes);
    throw new UnwrapError('The wrapped copy does not hold an epoch key.');
  }
  return bytes;
}

/**
 * Unwraps an epoch key straight into a non-extractable HKDF `CryptoKey` (what a member's device needs to derive
 * content keys); the raw bytes are wiped before this returns.
 */
export async function unwrapEpochKeyAsHkdf(
  wrapped: unknown,
  recipientPrivateKey: CryptoKey,
  recipientPublicKeyJwk: EcPublicKeyJwk,
): Promise<CryptoKey> {
  const bytes = await unwrapEpochKey(wrapped, recipientPrivateKey, recipientPublicKeyJwk);
  return importEpochKey(bytes, { wipe: true });
}
