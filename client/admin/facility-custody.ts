/**
 * What an administrator's browser does with a facility's keys after the facility exists (ARCHITECTURE.md, "Keys"):
 * open its custody copies (the signing key and the epoch keys wrapped to the administrator), start a new epoch when
 * a member is revoked, and take custody from the recovery kit with the printed code. Raw key bytes exist here only
 * between unwrapping and re-wrapping, and are wiped in `finally`.
 *
 * Every epoch copy the administrator opens must verify with the facility's signing public key first, so a copy
 * slipped into `reference` by someone who can write there is never re-wrapped to anyone.
 */
import {
  generateEpochKey,
  openRecoveryKit,
  publicKeyHash,
  recoveryLogin,
  recoveryRecipient,
  signKeyCopy,
  unwrapEpochKey,
  unwrapSigningKey,
  verifyKeyCopy,
  wipe,
  wrapEpochKey,
  wrapSigningKey,
  type EcPublicKeyJwk,
  type KeyRecipient,
  type SignedKeyCopy,
} from '../../common/keys/index.ts';
import type { OwnKeyPair } from '../crypto/user-key-pair.ts';
import type { AdminApi, FacilityKeysDoc } from './admin-types.ts';

/** The administrator holds no usable copy of a facility's keys (they did not create it, or it was changed). */
export class NoCustodyError extends Error {
  override name = 'NoCustodyError';
  constructor(readonly facilityId: string) {
    super(`You hold no copy of the keys of "${facilityId}".`);
  }
}

/** The recovery kit is missing, or the code does not open it. */
export class RecoveryFailedError extends Error {
  override name = 'RecoveryFailedError';
  constructor(
    readonly facilityId: string,
    options?: ErrorOptions,
  ) {
    super(`The recovery code does not open the recovery kit of "${facilityId}".`, options);
  }
}

/** Opened custody: the signing key (non-extractable) and every epoch key held, by epoch. Call `close()` after use. */
export interface OpenCustody {
  facilityId: string;
  currentEpoch: number;
  signingKey: CryptoKey;
  epochKeys: Map<number, Uint8Array>;
  close(): void;
}

function opened(facilityId: string, currentEpoch: number, signingKey: CryptoKey, epochKeys: Map<number, Uint8Array>) {
  return {
    facilityId,
    currentEpoch,
    signingKey,
    epochKeys,
    close: () => {
      for (const key of epochKeys.values()) wipe(key);
      epochKeys.clear();
    },
  };
}

/** Opens the administrator's own custody copies of a facility's keys; throws NoCustodyError without them. */
export async function openCustody(keys: FacilityKeysDoc, own: OwnKeyPair): Promise<OpenCustody> {
  const ownHash = await publicKeyHash(own.publicKeyJwk);
  const mine = (copy: { recipient: string; recipientKeyHash: string }): boolean =>
    copy.recipient === own.login && copy.recipientKeyHash === ownHash;
  const wrappedSigning = keys.wrappedKeys.signingKey.filter(mine).at(-1);
  if (!wrappedSigning) throw new NoCustodyError(keys.facilityId);
  const { privateKey: signingKey } = await unwrapSigningKey(
    wrappedSigning,
    own.privateKey,
    own.publicKeyJwk,
    keys.signingPublicKey,
  );
  const epochKeys = new Map<number, Uint8Array>();
  for (const copy of keys.wrappedKeys.epochKeys.filter(mine)) {
    if (epochKeys.has(copy.epoch) || copy.epoch > keys.epoch) continue;
    if (!(await verifyKeyCopy(keys.signingPublicKey, copy))) continue;
    epochKeys.set(copy.epoch, await unwrapEpochKey(copy, own.privateKey, own.publicKeyJwk));
  }
  const custody = opened(keys.facilityId, keys.epoch, signingKey, epochKeys);
  if (!epochKeys.has(keys.epoch)) {
    custody.close();
    throw new NoCustodyError(keys.facilityId);
  }
  return custody;
}

/** Signed copies of every epoch in custody (at most `upTo`) for one recipient. */
export async function copiesFor(
  custody: OpenCustody,
  recipient: KeyRecipient,
  upTo: number = custody.currentEpoch,
): Promise<SignedKeyCopy[]> {
  const copies: SignedKeyCopy[] = [];
  for (const [epoch, key] of [...custody.epochKeys].sort(([a], [b]) => a - b)) {
    if (epoch > upTo) continue;
    const wrapped = await wrapEpochKey(key, recipient, { facilityId: custody.facilityId, epoch });
    copies.push(await signKeyCopy(custody.signingKey, wrapped));
  }
  return copies;
}

export interface StartedEpoch {
  facilityId: string;
  epoch: number;
  members: number;
  retireAt: string;
}

/**
 * Starts the next epoch of a facility: a new random key wrapped to every remaining member who has a key pair, to the
 * recovery key and to this administrator, each copy signed. Members without a key pair yet get it when confirmed.
 */
export async function startNewEpoch(
  api: AdminApi,
  facilityId: string,
  own: OwnKeyPair,
  options: { graceHours: number; reason?: string },
): Promise<StartedEpoch> {
  const keys = await api.facilityKeys(facilityId);
  if (!keys) throw new NoCustodyError(facilityId);
  const custody = await openCustody(keys, own);
  const recipients = await api.keyRecipients(facilityId);
  const epoch = recipients.epoch + 1;
  const epochKey = generateEpochKey();
  try {
    const to: KeyRecipient[] = [
      { login: recoveryLogin(facilityId), publicKeyJwk: recipients.recoveryPublicKey },
      { login: own.login, publicKeyJwk: own.publicKeyJwk },
      ...recipients.members
        .filter((member) => member.login !== own.login)
        .map((member) => ({ login: member.login, publicKeyJwk: member.publicKey })),
    ];
    const copies: SignedKeyCopy[] = [];
    for (const recipient of to) {
      const wrapped = await wrapEpochKey(epochKey, recipient, { facilityId, epoch });
      copies.push(await signKeyCopy(custody.signingKey, wrapped));
    }
    const started = await api.startEpoch(facilityId, {
      epoch,
      graceHours: options.graceHours,
      ...(options.reason ? { reason: options.reason } : {}),
      copies,
    });
    return { facilityId, ...started };
  } finally {
    wipe(epochKey);
    custody.close();
  }
}

/**
 * Opens the facility's recovery kit with the printed code and gives this administrator custody: the signing key
 * and every epoch key the recovery key received, re-wrapped to the administrator's own key pair.
 */
export async function recoverCustody(
  api: AdminApi,
  facilityId: string,
  code: string,
  own: OwnKeyPair,
): Promise<{ epochs: number[] }> {
  const keys = await api.facilityKeys(facilityId);
  if (!keys?.recoveryKit) throw new RecoveryFailedError(facilityId);
  let recoveryKey: CryptoKey;
  try {
    recoveryKey = await openRecoveryKit(code, keys.recoveryKit);
  } catch (error) {
    throw new RecoveryFailedError(facilityId, { cause: error });
  }
  const recovery = recoveryRecipient(keys.recoveryKit);
  const recoveryPublic: EcPublicKeyJwk = recovery.publicKeyJwk;
  const forRecovery = (copy: { recipient: string }): boolean => copy.recipient === recovery.login;
  const wrappedSigning = keys.wrappedKeys.signingKey.find(forRecovery);
  if (!wrappedSigning) throw new RecoveryFailedError(facilityId);
  const { privateKey: signingKey, privateKeyPkcs8 } = await unwrapSigningKey(
    wrappedSigning,
    recoveryKey,
    recoveryPublic,
    keys.signingPublicKey,
    { keepPkcs8: true },
  );
  const epochKeys = new Map<number, Uint8Array>();
  const custody = opened(facilityId, keys.epoch, signingKey, epochKeys);
  try {
    for (const copy of keys.wrappedKeys.epochKeys.filter(forRecovery)) {
      if (epochKeys.has(copy.epoch) || !(await verifyKeyCopy(keys.signingPublicKey, copy))) continue;
      epochKeys.set(copy.epoch, await unwrapEpochKey(copy, recoveryKey, recoveryPublic));
    }
    if (!epochKeys.has(keys.epoch)) throw new RecoveryFailedError(facilityId);
    const me = { login: own.login, publicKeyJwk: own.publicKeyJwk };
    const signingCopy = await wrapSigningKey(privateKeyPkcs8 ?? new Uint8Array(), me, { facilityId });
    return await api.takeCustody(facilityId, { signingKey: signingCopy, epochKeys: await copiesFor(custody, me) });
  } finally {
    if (privateKeyPkcs8) wipe(privateKeyPkcs8);
    custody.close();
  }
}
