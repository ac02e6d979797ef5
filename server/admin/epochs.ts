/**
 * New key epochs and key custody (ARCHITECTURE.md, "Revocation" and "Recovery"). The server never holds a raw key:
 * an administrator's browser makes the new epoch key, wraps it to each remaining member, to the recovery key and to
 * itself, signs every copy with the facility signing key, and sends only the signed copies here.
 *
 * - `GET /api/admin/facilities/:id/key-recipients`: who must receive a new epoch — the facility's active members
 *   whose own key pair exists (they chose their password), and the recovery public key.
 * - `POST /api/admin/facilities/:id/epochs` `{epoch, graceHours, reason?, copies}`: starts epoch `current + 1`.
 *   Every copy must be of this facility and epoch and verify with the facility's signing key; one must be for the
 *   recovery key (so that recovery keeps working after any number of revocations) and one for the caller (the
 *   custody copy that lets their browser confirm members later). The older epochs are retired after `graceHours`:
 *   the facility's design document then refuses writes under them (couch/epoch-retirement.ts).
 *   Order of writes: `facility-keys:<id>` first, then the members' copies — if a member's copy fails to be written,
 *   the member shows up as a pending key confirmation and gets the same epoch key from the custody copy, instead of
 *   a second, different key for the same epoch.
 * - `POST /api/admin/facilities/:id/custody` `{signingKey, epochKeys}`: an administrator who opened the recovery kit
 *   with the printed code (in the browser) stores the facility signing key and every epoch key wrapped to their own
 *   public key, so that they can confirm members again — how a facility whose every member lost their password is
 *   restored. Audited as `recovery-used`.
 */
import type { StoreClient } from '../store-client.ts';
import { BadRequestError, ConflictError, HttpError } from '../errors.ts';
import {
  REFERENCE_DB,
  USERS_DB,
  ensureDesignDoc,
  userDocId,
  writeAuditEvent,
  type UserDoc,
} from '../../couch/provision.ts';
import { currentFacilityDesignDoc, isEpochRecord, type EpochRecord } from '../../couch/epoch-retirement.ts';
import { facilitiesOf } from '../../common/roles.ts';
import {
  isEcPublicKeyJwk,
  isWrappedSigningKey,
  publicKeyHash,
  recoveryLogin,
  verifyKeyCopy,
  type EcPublicKeyJwk,
  type SignedKeyCopy,
  type WrappedSigningKey,
} from '../../common/keys/index.ts';
import { facilityDocId, facilityKeysDocId, type FacilityDoc, type FacilityKeysDoc } from './facilities.ts';
import { issueKeyCopies, parseKeyCopies } from './key-confirmations.ts';
import { heldRoles } from './staff.ts';
import { bodyOf, isRecord, refuseUnknownFields } from './validation.ts';

export const MAX_GRACE_HOURS = 24 * 30;
export const DEFAULT_GRACE_HOURS = 24;
const MAX_ARTEFACT_CHARS = 4096;
const MAX_REASON_CHARS = 200;

export class NoKeyMaterialError extends HttpError {
  constructor(facilityId: string) {
    super(404, 'not_found', `The facility "${facilityId}" has no key material.`);
  }
}

export interface KeyRecipientMember {
  login: string;
  displayName: string;
  publicKey: EcPublicKeyJwk;
  publicKeyHash: string;
}

export interface KeyRecipients {
  facilityId: string;
  epoch: number;
  recoveryPublicKey: EcPublicKeyJwk;
  members: KeyRecipientMember[];
}

export interface NewEpoch {
  epoch: number;
  graceHours: number;
  reason?: string;
  copies: SignedKeyCopy[];
}

export interface Custody {
  signingKey: WrappedSigningKey;
  epochKeys: SignedKeyCopy[];
}

function isUserDoc(value: unknown): value is UserDoc {
  const doc = value as Partial<UserDoc> | null;
  return typeof doc === 'object' && doc !== null && doc.type === 'user' && typeof doc.name === 'string';
}

/** The epochs of a facility-keys document; documents from before epochs were recorded had only epoch 1. */
export function epochRecordsOf(doc: FacilityKeysDoc): EpochRecord[] {
  const records = Array.isArray(doc.epochs) ? doc.epochs.filter(isEpochRecord) : [];
  return records.length > 0 ? records : [{ epoch: 1, startedAt: doc.createdAt, startedBy: doc.createdBy }];
}

async function readKeys(store: StoreClient, facilityId: string): Promise<FacilityKeysDoc> {
  const doc = await store.getDoc<FacilityKeysDoc>(REFERENCE_DB, facilityKeysDocId(facilityId));
  if (doc?.type !== 'facility-keys' || typeof doc.epoch !== 'number' || !isEcPublicKeyJwk(doc.signingPublicKey))
    throw new NoKeyMaterialError(facilityId);
  return doc;
}

async function allUsers(store: StoreClient): Promise<UserDoc[]> {
  const range = `startkey=${encodeURIComponent('"org.couchdb.user:"')}&endkey=${encodeURIComponent('"org.couchdb.user:\ufff0"')}`;
  const result = await store.expect<{ rows: { doc?: unknown }[] }>(
    'GET',
    `/${USERS_DB}/_all_docs?include_docs=true&${range}`,
    undefined,
  );
  return result.body.rows.map((row) => row.doc).filter(isUserDoc);
}

/** Active members of the facility whose own key pair exists: the ones a new epoch is wrapped to. */
export async function keyRecipients(store: StoreClient, facilityId: string): Promise<KeyRecipients> {
  const keys = await readKeys(store, facilityId);
  const members: KeyRecipientMember[] = [];
  for (const doc of await allUsers(store)) {
    if (doc.status === 'disabled' || doc.mustChangePassword || !isEcPublicKeyJwk(doc.publicKey)) continue;
    if (!facilitiesOf(heldRoles(doc)).includes(facilityId)) continue;
    members.push({
      login: doc.name,
      displayName: typeof doc.displayName === 'string' ? doc.displayName : doc.name,
      publicKey: { kty: 'EC', crv: 'P-256', x: doc.publicKey.x, y: doc.publicKey.y },
      publicKeyHash: await publicKeyHash(doc.publicKey),
    });
  }
  return { facilityId, epoch: keys.epoch, recoveryPublicKey: keys.recoveryPublicKey, members };
}

/** `POST /api/admin/facilities/:id/epochs` body (shape only; checked against the store in `startEpoch`). */
export function parseNewEpoch(value: unknown): NewEpoch {
  const body = bodyOf(value);
  refuseUnknownFields(body, ['epoch', 'graceHours', 'reason', 'copies']);
  const { epoch, graceHours, reason } = body;
  if (typeof epoch !== 'number' || !Number.isInteger(epoch) || epoch < 2)
    throw new BadRequestError('"epoch" must be a whole number of at least 2.', 'epoch');
  const grace = graceHours ?? DEFAULT_GRACE_HOURS;
  if (typeof grace !== 'number' || !Number.isFinite(grace) || grace < 0 || grace > MAX_GRACE_HOURS)
    throw new BadRequestError(`"graceHours" must be a number from 0 to ${MAX_GRACE_HOURS}.`, 'graceHours');
  if (reason !== undefined && (typeof reason !== 'string' || reason.length > MAX_REASON_CHARS))
    throw new BadRequestError(`"reason" must be text of at most ${MAX_REASON_CHARS} characters.`, 'reason');
  const copies = parseKeyCopies({ copies: body.copies });
  return { epoch, graceHours: grace, ...(reason === undefined ? {} : { reason }), copies };
}

/** `POST /api/admin/facilities/:id/custody` body. */
export function parseCustody(value: unknown): Custody {
  const body = bodyOf(value);
  refuseUnknownFields(body, ['signingKey', 'epochKeys']);
  const signingKey = body.signingKey;
  if (
    !isRecord(signingKey) ||
    !isWrappedSigningKey(signingKey) ||
    'epoch' in signingKey ||
    Object.values(signingKey).some((member) => typeof member === 'string' && member.length > MAX_ARTEFACT_CHARS)
  )
    throw new BadRequestError('"signingKey" must be a wrapped facility signing key.', 'signingKey');
  const { x, y } = signingKey.ephemeralPublicKey;
  return {
    signingKey: {
      v: 1,
      facilityId: signingKey.facilityId,
      recipient: signingKey.recipient,
      recipientKeyHash: signingKey.recipientKeyHash,
      ephemeralPublicKey: { kty: 'EC', crv: 'P-256', x, y },
      iv: signingKey.iv,
      ct: signingKey.ct,
    },
    epochKeys: parseKeyCopies({ copies: body.epochKeys }),
  };
}

function field(index: number, name?: string): string {
  return name ? `copies[${index}].${name}` : `copies[${index}]`;
}

/** Checks the copies of a new epoch against the facility, the recovery key, the caller and the members. */
async function checkEpochCopies(
  store: StoreClient,
  by: string,
  facilityId: string,
  keys: FacilityKeysDoc,
  input: NewEpoch,
): Promise<{ recovery: SignedKeyCopy; custody: SignedKeyCopy; members: SignedKeyCopy[] }> {
  const recoveryHash = await publicKeyHash(keys.recoveryPublicKey);
  const users = new Map((await allUsers(store)).map((doc) => [doc.name, doc]));
  const caller = users.get(by);
  const callerHash = caller && isEcPublicKeyJwk(caller.publicKey) ? await publicKeyHash(caller.publicKey) : null;
  let recovery: SignedKeyCopy | null = null;
  let custody: SignedKeyCopy | null = null;
  const members: SignedKeyCopy[] = [];
  const seen = new Set<string>();
  for (const [index, copy] of input.copies.entries()) {
    if (copy.facilityId !== facilityId)
      throw new BadRequestError(`"${field(index, 'facilityId')}" must be "${facilityId}".`, field(index, 'facilityId'));
    if (copy.epoch !== input.epoch)
      throw new BadRequestError(`"${field(index, 'epoch')}" must be ${input.epoch}.`, field(index, 'epoch'));
    if (seen.has(copy.recipient))
      throw new BadRequestError(`"${field(index)}": a second copy for "${copy.recipient}".`, field(index));
    seen.add(copy.recipient);
    if (!(await verifyKeyCopy(keys.signingPublicKey, copy)))
      throw new BadRequestError(
        `"${field(index, 'sig')}" does not verify with the signing key of "${facilityId}".`,
        field(index, 'sig'),
      );
    if (copy.recipient === recoveryLogin(facilityId)) {
      if (copy.recipientKeyHash !== recoveryHash)
        throw new BadRequestError(
          `"${field(index, 'recipientKeyHash')}" must be the hash of the facility's recovery public key.`,
          field(index, 'recipientKeyHash'),
        );
      recovery = copy;
      continue;
    }
    const member = users.get(copy.recipient);
    const memberKey = member && isEcPublicKeyJwk(member.publicKey) ? member.publicKey : null;
    if (!member || !memberKey)
      throw new BadRequestError(
        `"${field(index, 'recipient')}": "${copy.recipient}" has no key pair.`,
        field(index, 'recipient'),
      );
    if (copy.recipientKeyHash !== (await publicKeyHash(memberKey)))
      throw new ConflictError(`The key pair of "${copy.recipient}" changed meanwhile; load the recipients again.`);
    if (copy.recipient === by) {
      custody = copy;
      if (!facilitiesOf(heldRoles(member)).includes(facilityId)) continue;
    } else if (member.status === 'disabled' || !facilitiesOf(heldRoles(member)).includes(facilityId)) {
      throw new BadRequestError(
        `"${field(index, 'recipient')}": "${copy.recipient}" is not an active member of "${facilityId}".`,
        field(index, 'recipient'),
      );
    }
    members.push(copy);
  }
  if (!recovery) throw new BadRequestError('"copies" must include a copy for the facility\'s recovery key.', 'copies');
  if (!custody || callerHash === null)
    throw new BadRequestError(`"copies" must include a copy for "${by}", who starts the epoch.`, 'copies');
  return { recovery, custody, members };
}

/** Starts the next epoch of a facility; returns its number and how many members received a copy. */
export async function startEpoch(
  store: StoreClient,
  by: string,
  facilityId: string,
  input: NewEpoch,
  now: number = Date.now(),
): Promise<{ epoch: number; members: number; retireAt: string }> {
  const keys = await readKeys(store, facilityId);
  if (input.epoch !== keys.epoch + 1)
    throw new ConflictError(`"${facilityId}" is at epoch ${keys.epoch}: the next epoch is ${keys.epoch + 1}.`);
  const checked = await checkEpochCopies(store, by, facilityId, keys, input);
  const at = new Date(now).toISOString();
  const retireAt = new Date(now + input.graceHours * 3_600_000).toISOString();
  await store.upsert<FacilityKeysDoc>(REFERENCE_DB, facilityKeysDocId(facilityId), (current) => {
    if (current?.type !== 'facility-keys') throw new NoKeyMaterialError(facilityId);
    if (current.epoch !== keys.epoch)
      throw new ConflictError(`Another epoch of "${facilityId}" was started meanwhile; load it again.`);
    const epochs = epochRecordsOf(current).map((record) => (record.retireAt ? record : { ...record, retireAt }));
    epochs.push({
      epoch: input.epoch,
      startedAt: at,
      startedBy: by,
      ...(input.reason === undefined ? {} : { reason: input.reason }),
    });
    const custodyCopies = [checked.recovery, checked.custody];
    return {
      ...current,
      epoch: input.epoch,
      epochs,
      wrappedKeys: {
        signingKey: current.wrappedKeys.signingKey,
        epochKeys: [...current.wrappedKeys.epochKeys, ...custodyCopies],
      },
      updatedBy: by,
      updatedAt: at,
    };
  });
  await store.upsert<FacilityDoc>(REFERENCE_DB, facilityDocId(facilityId), (current) =>
    current?.type === 'facility' && current.keys
      ? { ...current, keys: { ...current.keys, epoch: input.epoch }, updatedBy: by, updatedAt: at }
      : null,
  );
  await writeAuditEvent(store, by, 'epoch-started', {
    target: facilityId,
    epoch: input.epoch,
    graceHours: input.graceHours,
    retireAt,
    ...(input.reason === undefined ? {} : { reason: input.reason }),
    recipients: input.copies.map((copy) => copy.recipient),
  });
  for (const copy of checked.members) await issueKeyCopies(store, by, copy.recipient, [copy]);
  await ensureDesignDoc(store, `facility-${facilityId}`, await currentFacilityDesignDoc(store, facilityId, now));
  return { epoch: input.epoch, members: checked.members.length, retireAt };
}

/** Stores the caller's custody copies made from the recovery kit (see the module comment). */
export async function takeCustody(
  store: StoreClient,
  by: string,
  facilityId: string,
  custody: Custody,
): Promise<{ epochs: number[] }> {
  const keys = await readKeys(store, facilityId);
  const caller = await store.getDoc<unknown>(USERS_DB, userDocId(by));
  if (!isUserDoc(caller) || !isEcPublicKeyJwk(caller.publicKey))
    throw new ConflictError(`"${by}" has no key pair: choose your own password first.`);
  const callerHash = await publicKeyHash(caller.publicKey);
  const { signingKey } = custody;
  if (signingKey.facilityId !== facilityId || signingKey.recipient !== by || signingKey.recipientKeyHash !== callerHash)
    throw new BadRequestError(
      `"signingKey" must be wrapped to "${by}"'s current public key, for "${facilityId}".`,
      'signingKey',
    );
  const epochs = new Set<number>();
  for (const [index, copy] of custody.epochKeys.entries()) {
    const name = `epochKeys[${index}]`;
    if (copy.facilityId !== facilityId || copy.recipient !== by || copy.recipientKeyHash !== callerHash)
      throw new BadRequestError(
        `"${name}" must be a copy for "${by}"'s current public key, for "${facilityId}".`,
        name,
      );
    if (copy.epoch > keys.epoch || epochs.has(copy.epoch))
      throw new BadRequestError(`"${name}.epoch" must be a distinct epoch from 1 to ${keys.epoch}.`, `${name}.epoch`);
    if (!(await verifyKeyCopy(keys.signingPublicKey, copy)))
      throw new BadRequestError(
        `"${name}.sig" does not verify with the signing key of "${facilityId}".`,
        `${name}.sig`,
      );
    epochs.add(copy.epoch);
  }
  if (!epochs.has(keys.epoch))
    throw new BadRequestError(`"epochKeys" must include the current epoch ${keys.epoch}.`, 'epochKeys');
  const at = new Date().toISOString();
  await store.upsert<FacilityKeysDoc>(REFERENCE_DB, facilityKeysDocId(facilityId), (current) => {
    if (current?.type !== 'facility-keys') throw new NoKeyMaterialError(facilityId);
    const notMine = <T extends { recipient: string }>(copy: T): boolean => copy.recipient !== by;
    return {
      ...current,
      wrappedKeys: {
        signingKey: [...current.wrappedKeys.signingKey.filter(notMine), signingKey],
        epochKeys: [...current.wrappedKeys.epochKeys.filter(notMine), ...custody.epochKeys],
      },
      updatedBy: by,
      updatedAt: at,
    };
  });
  const sorted = [...epochs].sort((a, b) => a - b);
  await writeAuditEvent(store, by, 'recovery-used', { target: facilityId, epochs: sorted });
  return { epochs: sorted };
}
