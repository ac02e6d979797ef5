/**
 * The keys a new facility is born with, made in the administrator's browser (ARCHITECTURE.md, "Keys"):
 * the facility signing key pair, the recovery kit and its printed code, and epoch 1. What leaves the browser is only
 * public or encrypted: the two public keys, the kit (its private key sealed under the code), and the signing key and
 * the epoch-1 key wrapped to the recovery key — the latter signed by the facility. Without those two wrapped copies
 * the signing key and epoch 1 would exist nowhere once this page is closed; with them, the recovery code restores
 * both. Copies for members are made when they enrol (not here).
 */
import {
  createFacilitySigningKey,
  createRecoveryKit,
  generateEpochKey,
  recoveryRecipient,
  signKeyCopy,
  wipe,
  wrapEpochKey,
  wrapSigningKey,
} from '../../common/keys/index.ts';
import type { FacilityKeys } from './admin-types.ts';

export interface NewFacilityKeys {
  keys: FacilityKeys;
  /** The recovery code, for the printed sheet only; never sent, never stored. */
  recoveryCode: string;
}

export async function createFacilityKeys(facilityId: string): Promise<NewFacilityKeys> {
  const signing = await createFacilitySigningKey();
  const epochKey = generateEpochKey();
  try {
    const { code, kit } = await createRecoveryKit(facilityId);
    const recipient = recoveryRecipient(kit);
    const signingKeyCopy = await wrapSigningKey(signing.privateKeyPkcs8, recipient, { facilityId });
    const epochCopy = await signKeyCopy(
      signing.privateKey,
      await wrapEpochKey(epochKey, recipient, { facilityId, epoch: 1 }),
    );
    return {
      recoveryCode: code,
      keys: {
        epoch: 1,
        signingPublicKey: signing.publicKeyJwk,
        recoveryPublicKey: kit.publicKeyJwk,
        recoveryKit: kit,
        wrappedKeys: { signingKey: [signingKeyCopy], epochKeys: [epochCopy] },
      },
    };
  } finally {
    wipe(signing.privateKeyPkcs8);
    wipe(epochKey);
  }
}
