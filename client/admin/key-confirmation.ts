/**
 * Confirming a member's key pair in the administrator's browser (ARCHITECTURE.md, "Enrolment"): for each facility
 * the member lacks a copy of, the administrator's own copies in `facility-keys:<id>` (made for them at facility
 * creation, client/admin/facility-keys.ts) give the facility signing key and the current epoch key; the epoch key
 * is wrapped to the member's public key, signed, and wiped. Only the signed copies leave the browser.
 *
 * The administrator's own epoch copy must verify with the facility's signing public key before it is used, so a
 * copy slipped into `reference` by someone else is not re-wrapped. The member's public key is taken as the server
 * lists it (the staff directory); comparing a fingerprint with the member is a later step.
 */
import {
  publicKeyHash,
  signKeyCopy,
  unwrapEpochKey,
  unwrapSigningKey,
  verifyKeyCopy,
  wipe,
  wrapEpochKey,
  type SignedKeyCopy,
} from '../../common/keys/index.ts';
import type { OwnKeyPair } from '../crypto/user-key-pair.ts';
import type { FacilityKeysDoc, PendingKeyConfirmation } from './admin-types.ts';

/** The administrator holds no usable copy of a facility's keys (they did not create it, or it was changed). */
export class NoCustodyError extends Error {
  override name = 'NoCustodyError';
  constructor(readonly facilityId: string) {
    super(`You hold no copy of the keys of "${facilityId}".`);
  }
}

/** Signed copies of each pending facility's current epoch key for the member. */
export async function makeKeyCopies(
  member: PendingKeyConfirmation,
  keysOf: (facilityId: string) => Promise<FacilityKeysDoc | null>,
  own: OwnKeyPair,
): Promise<SignedKeyCopy[]> {
  const ownHash = await publicKeyHash(own.publicKeyJwk);
  const recipient = { login: member.login, publicKeyJwk: member.publicKey };
  const copies: SignedKeyCopy[] = [];
  for (const { facilityId, epoch } of member.facilities) {
    const keys = await keysOf(facilityId);
    if (keys === null || keys.epoch !== epoch) throw new NoCustodyError(facilityId);
    const mine = (copy: { recipient: string; recipientKeyHash: string }): boolean =>
      copy.recipient === own.login && copy.recipientKeyHash === ownHash;
    const wrappedSigning = keys.wrappedKeys.signingKey.find(mine);
    const epochCopy = keys.wrappedKeys.epochKeys.find((copy) => mine(copy) && copy.epoch === epoch);
    if (!wrappedSigning || !epochCopy || !(await verifyKeyCopy(keys.signingPublicKey, epochCopy)))
      throw new NoCustodyError(facilityId);
    const { privateKey: signingKey } = await unwrapSigningKey(
      wrappedSigning,
      own.privateKey,
      own.publicKeyJwk,
      keys.signingPublicKey,
    );
    const epochKey = await unwrapEpochKey(epochCopy, own.privateKey, own.publicKeyJwk);
    try {
      copies.push(await signKeyCopy(signingKey, await wrapEpochKey(epochKey, recipient, { facilityId, epoch })));
    } finally {
      wipe(epochKey);
    }
  }
  return copies;
}
