/**
 * The keys a new facility is born with, made in the administrator's browser (ARCHITECTURE.md, "Keys"):
 * the facility signing key pair, the recovery kit and its printed code, and epoch 1. What leaves the browser is only
 * public or encrypted: the two public keys, the kit (its private key sealed under the code), and the signing key and
 * the epoch-1 key wrapped to the recovery key — the latter signed by the facility. Without those two wrapped copies
 * the signing key and epoch 1 would exist nowhere once this page is closed; with them, the recovery code restores
 * both. The creating administrator also gets both (wrapped to their own public key), so that their browser can
 * later confirm members' key pairs — sign epoch-key copies for them — without the recovery code. Copies for other
 * members are made when an administrator confirms their key pairs (not here).
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
import type { EcPublicKeyJwk } from '../../common/keys/index.ts';
import type { FacilityKeys } from './admin-types.ts';

/** The administrator creating the facility: their login and the public key of their own key pair. */
export interface FacilityCustodian {
  login: string;
  publicKeyJwk: EcPublicKeyJwk;
}

export interface NewFacilityKeys {
  keys: FacilityKeys;
  /** The recovery code, for the printed sheet only; never sent, never stored. */
  recoveryCode: string;
}

export async function createFacilityKeys(facilityId: string, custodian: FacilityCustodian): Promise<NewFacilityKeys> {
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
    const admin = { login: custodian.login, publicKeyJwk: custodian.publicKeyJwk };
    const adminSigningKeyCopy = await wrapSigningKey(signing.privateKeyPkcs8, admin, { facilityId });
    const adminEpochCopy = await signKeyCopy(
      signing.privateKey,
      await wrapEpochKey(epochKey, admin, { facilityId, epoch: 1 }),
    );
    return {
      recoveryCode: code,
      keys: {
        epoch: 1,
        signingPublicKey: signing.publicKeyJwk,
        recoveryPublicKey: kit.publicKeyJwk,
        recoveryKit: kit,
        wrappedKeys: {
          signingKey: [signingKeyCopy, adminSigningKeyCopy],
          epochKeys: [epochCopy, adminEpochCopy],
        },
      },
    };
  } finally {
    wipe(signing.privateKeyPkcs8);
    wipe(epochKey);
  }
}
