/**
 * The member's facility keys on this device (ARCHITECTURE.md, "Members hold it wrapped", "Nothing unsigned is
 * trusted"): after login or unlock the device reads its own `_users` document, and a KeyRing (common/keys) accepts
 * the signed key copies in it — only those that verify with the facility signing key pinned on this device, name
 * this member and their current public key, and do not roll the current epoch back. Refused copies are reported,
 * never used. The ring is kept on the device sealed under muk, with the private key as the server keeps it
 * (encrypted under muk), so the keys open offline at the next unlock.
 *
 * Pinning happens at enrolment: the administrator's browser authenticated the signing keys of the member's
 * facilities with the one-time password printed on the slip (common/keys/enrolment-pins.ts), and the session pins
 * what verifies at the first login, before anything else. Only a facility the member joined after enrolment (no
 * pin for it) is pinned on first use, from `facility-keys:<id>` (reference); forged pins disable that too. Once
 * pinned, a different key is never accepted (PinnedKeyConflictError).
 */
import {
  KeyCopyError,
  KeyRing,
  PinnedKeyConflictError,
  isEcPublicKeyJwk,
  type EcPublicKeyJwk,
  openKeyRing,
  sealKeyRing,
} from '../../common/keys/index.ts';
import { facilitiesOf } from '../../common/roles.ts';
import type { ApiClient } from '../http/api-client.ts';
import { ApiError, NetworkError } from '../http/api-errors.ts';
import { keyMaterialOf, openUserPrivateKey, type UserKeyMaterial } from '../crypto/user-key-pair.ts';
import type { DeviceStore } from './device-store.ts';

/** A key copy the device refused, and why (the error's name: UnverifiableKeyCopyError, WrongRecipientError, …). */
export interface RefusedKeyCopy {
  facilityId: string | null;
  epoch: number | null;
  reason: string;
  message: string;
}

export interface MemberKeys {
  ring: KeyRing;
  privateKey: CryptoKey;
  refused: RefusedKeyCopy[];
}

export interface LoadMemberKeysOptions {
  api: ApiClient;
  device: DeviceStore;
  muk: CryptoKey;
  login: string;
  roles: readonly string[];
  /** Whether the server can be asked (else only what the device holds is used). */
  online: boolean;
  /** Signing keys pinned at enrolment (verified with the one-time password): pinned before anything else. */
  pins?: Readonly<Record<string, EcPublicKeyJwk>>;
  /** Enrolment pins were there but did not verify: nothing is then trusted on first use. */
  pinsRefused?: Error | null;
}

function refusal(copy: unknown, error: Error): RefusedKeyCopy {
  const fields = (typeof copy === 'object' && copy !== null ? copy : {}) as { facilityId?: unknown; epoch?: unknown };
  return {
    facilityId: typeof fields.facilityId === 'string' ? fields.facilityId : null,
    epoch: typeof fields.epoch === 'number' ? fields.epoch : null,
    reason: error.name,
    message: error.message,
  };
}

/**
 * Opens what the device holds, then (online) accepts the copies of the member's `_users` document and saves the
 * ring again. `null` when the member has no key pair yet. Throws only for a device record that muk does not open.
 */
export async function loadMemberKeys(options: LoadMemberKeysOptions): Promise<MemberKeys | null> {
  const { api, device, muk, login } = options;
  const stored = device.keyMaterial(login);
  let material: UserKeyMaterial | null = stored;
  let copies: unknown[] = [];
  let online = options.online;
  if (online) {
    try {
      const doc = await api.getOwnUserDoc(login);
      material = keyMaterialOf(doc) ?? material;
      copies = Array.isArray(doc.keyCopies) ? (doc.keyCopies as unknown[]) : [];
    } catch (error) {
      // The server went away meanwhile: use what the device holds.
      if (!(error instanceof NetworkError) && !(error instanceof ApiError)) throw error;
      online = false;
    }
  }
  if (material === null) return null;
  const privateKey = await openUserPrivateKey(muk, material.encryptedPrivateKey);
  const owner = { login, publicKeyJwk: material.publicKey };
  let ring = stored?.keyRing ? await openKeyRing(muk, login, stored.keyRing) : await KeyRing.create(owner);
  const samePublicKey = (a: { x: string; y: string }, b: { x: string; y: string }): boolean =>
    a.x === b.x && a.y === b.y;
  // A new key pair (password changed and confirmed again): same pins and epochs, no copies of the old key.
  if (!samePublicKey(ring.owner.publicKeyJwk, material.publicKey)) ring = await ring.withOwner(owner);

  const refused: RefusedKeyCopy[] = [];
  for (const [facilityId, signingKey] of Object.entries(options.pins ?? {})) {
    try {
      ring.pin(facilityId, signingKey);
    } catch (error) {
      if (!(error instanceof PinnedKeyConflictError)) throw error;
      refused.push(refusal({ facilityId }, error));
    }
  }
  if (options.pinsRefused) refused.push(refusal({}, options.pinsRefused));
  // A first login with verified pins (or none) allows trust on first use again; forged pins stop it on this device.
  const trustOnFirstUse = options.pinsRefused ? false : options.pins ? true : stored?.trustOnFirstUse !== false;
  if (online) {
    // Trust on first use, only for facilities without enrolment pins (added to the member later, or enrolled before
    // pins existed), and never once pins were found forged.
    for (const facilityId of trustOnFirstUse ? facilitiesOf(options.roles) : []) {
      if (ring.pinnedSigningKey(facilityId) !== null) continue;
      const keys = await api.getReferenceDoc(`facility-keys:${facilityId}`);
      if (keys?.type !== 'facility-keys' || !isEcPublicKeyJwk(keys.signingPublicKey)) continue;
      try {
        ring.pin(facilityId, keys.signingPublicKey);
      } catch (error) {
        if (!(error instanceof PinnedKeyConflictError)) throw error;
      }
    }
    const result = await ring.acceptAll(copies);
    for (const { copy, error } of result.refused) {
      if (!(error instanceof KeyCopyError)) throw error;
      refused.push(refusal(copy, error));
    }
  }
  device.saveKeyMaterial(login, {
    publicKey: material.publicKey,
    encryptedPrivateKey: material.encryptedPrivateKey,
    keyRing: await sealKeyRing(muk, ring),
    trustOnFirstUse,
  });
  return { ring, privateKey, refused };
}
