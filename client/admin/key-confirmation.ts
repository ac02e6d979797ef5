/**
 * Confirming a member's key pair in the administrator's browser (ARCHITECTURE.md, "Enrolment"): for each facility
 * the member lacks a copy of, the administrator's custody copies in `facility-keys:<id>` (facility-custody.ts) give
 * the facility signing key and the epoch keys; each epoch key up to the current one is wrapped to the member's public
 * key and signed — the older ones so that a member confirmed after a revocation can read what was written before
 * it. Only the signed copies leave the browser.
 *
 * The member's public key is taken as the server lists it (the staff directory); comparing a fingerprint with the
 * member is a later step.
 */
import type { SignedKeyCopy } from '../../common/keys/index.ts';
import type { OwnKeyPair } from '../crypto/user-key-pair.ts';
import type { FacilityKeysDoc, PendingKeyConfirmation } from './admin-types.ts';
import { NoCustodyError, copiesFor, openCustody } from './facility-custody.ts';

export { NoCustodyError };

/** Signed copies of each pending facility's epoch keys (up to the current one) for the member. */
export async function makeKeyCopies(
  member: PendingKeyConfirmation,
  keysOf: (facilityId: string) => Promise<FacilityKeysDoc | null>,
  own: OwnKeyPair,
): Promise<SignedKeyCopy[]> {
  const recipient = { login: member.login, publicKeyJwk: member.publicKey };
  const copies: SignedKeyCopy[] = [];
  for (const { facilityId, epoch } of member.facilities) {
    const keys = await keysOf(facilityId);
    if (keys === null || keys.epoch !== epoch) throw new NoCustodyError(facilityId);
    const custody = await openCustody(keys, own);
    try {
      copies.push(...(await copiesFor(custody, recipient, epoch)));
    } finally {
      custody.close();
    }
  }
  return copies;
}
