/**
 * Confirming members' key pairs (ARCHITECTURE.md, "Enrolment"): after a member chose their own password, their
 * device made a fresh key pair; an administrator's browser then wraps the facility's current epoch key to the
 * member's public key, signs the copy with the facility signing key, and sends it here.
 *
 * - `GET /api/admin/key-confirmations`: active members with a public key who lack a valid copy of the current epoch
 *   key of one of their facilities (current epoch and signing public key from `facility-keys:<id>` in `reference`).
 * - `POST /api/admin/staff/:login/key-copies` `{copies}`: each copy must be of one of the member's facilities, for
 *   this login and the hash of the member's current public key, of the facility's current epoch, within size caps,
 *   and its signature must verify with the facility's signing public key — checked here, so a broken or foreign
 *   copy is refused at once rather than by every device later. Devices check again (they trust their pinned key,
 *   not this server). Stored in the member's `_users` document as `keyCopies` (a copy of the same facility and epoch
 *   is replaced), with an audit event `key-issued`.
 */
import type { StoreClient } from '../store-client.ts';
import { BadRequestError, ConflictError } from '../errors.ts';
import { REFERENCE_DB, USERS_DB, userDocId, writeAuditEvent, type UserDoc } from '../../couch/provision.ts';
import { facilitiesOf } from '../../common/roles.ts';
import {
  isEcPublicKeyJwk,
  isSignedKeyCopy,
  publicKeyHash,
  verifyKeyCopy,
  type EcPublicKeyJwk,
  type SignedKeyCopy,
} from '../../common/keys/index.ts';
import { pickWrappedKey } from '../../common/keys/key-wrapping.ts';
import { facilityKeysDocId, type FacilityKeysDoc } from './facilities.ts';
import { heldRoles } from './staff.ts';
import { AccountNotFoundError } from './staff-actions.ts';
import { bodyOf, isRecord, refuseUnknownFields } from './validation.ts';

export const MAX_COPIES_PER_REQUEST = 50;
const MAX_COPY_STRING_CHARS = 4096;
const MAX_STORED_COPIES = 500;

/** A member waiting for confirmation, with the facilities (and their current epochs) they lack a copy of. */
export interface PendingConfirmation {
  login: string;
  displayName: string;
  publicKey: EcPublicKeyJwk;
  publicKeyHash: string;
  facilities: { facilityId: string; epoch: number }[];
}

interface FacilityKeyInfo {
  epoch: number;
  signingPublicKey: EcPublicKeyJwk;
}

function isUserDoc(value: unknown): value is UserDoc {
  const doc = value as Partial<UserDoc> | null;
  return typeof doc === 'object' && doc !== null && doc.type === 'user' && typeof doc.name === 'string';
}

function storedCopies(doc: UserDoc): SignedKeyCopy[] {
  return Array.isArray(doc.keyCopies) ? (doc.keyCopies as unknown[]).filter(isSignedKeyCopy) : [];
}

async function readFacilityKeys(store: StoreClient, facilityId: string): Promise<FacilityKeyInfo | null> {
  const doc = await store.getDoc<Partial<FacilityKeysDoc>>(REFERENCE_DB, facilityKeysDocId(facilityId));
  if (!doc || doc.type !== 'facility-keys' || doc.active === false) return null;
  if (typeof doc.epoch !== 'number' || !isEcPublicKeyJwk(doc.signingPublicKey)) return null;
  return { epoch: doc.epoch, signingPublicKey: doc.signingPublicKey };
}

/** True if `copies` holds a copy of the facility's current epoch for this login and key that verifies. */
async function hasValidCopy(
  copies: readonly SignedKeyCopy[],
  login: string,
  keyHash: string,
  facilityId: string,
  keys: FacilityKeyInfo,
): Promise<boolean> {
  for (const copy of copies) {
    if (
      copy.facilityId === facilityId &&
      copy.epoch === keys.epoch &&
      copy.recipient === login &&
      copy.recipientKeyHash === keyHash &&
      (await verifyKeyCopy(keys.signingPublicKey, copy))
    ) {
      return true;
    }
  }
  return false;
}

export async function listPendingConfirmations(store: StoreClient): Promise<PendingConfirmation[]> {
  const range = `startkey=${encodeURIComponent('"org.couchdb.user:"')}&endkey=${encodeURIComponent('"org.couchdb.user:\ufff0"')}`;
  const result = await store.expect<{ rows: { doc?: unknown }[] }>(
    'GET',
    `/${USERS_DB}/_all_docs?include_docs=true&${range}`,
    undefined,
  );
  const facilityKeys = new Map<string, Promise<FacilityKeyInfo | null>>();
  const keysOf = (facilityId: string): Promise<FacilityKeyInfo | null> => {
    let found = facilityKeys.get(facilityId);
    if (!found) {
      found = readFacilityKeys(store, facilityId);
      facilityKeys.set(facilityId, found);
    }
    return found;
  };
  const pending: PendingConfirmation[] = [];
  for (const doc of result.body.rows.map((row) => row.doc).filter(isUserDoc)) {
    if (doc.status === 'disabled' || doc.mustChangePassword === true || !isEcPublicKeyJwk(doc.publicKey)) continue;
    const publicKey = doc.publicKey;
    const keyHash = await publicKeyHash(publicKey);
    const copies = storedCopies(doc);
    const lacking: PendingConfirmation['facilities'] = [];
    for (const facilityId of facilitiesOf(heldRoles(doc))) {
      const keys = await keysOf(facilityId);
      if (keys && !(await hasValidCopy(copies, doc.name, keyHash, facilityId, keys)))
        lacking.push({ facilityId, epoch: keys.epoch });
    }
    if (lacking.length > 0) {
      pending.push({
        login: doc.name,
        displayName: typeof doc.displayName === 'string' ? doc.displayName : doc.name,
        publicKey: { kty: 'EC', crv: 'P-256', x: publicKey.x, y: publicKey.y },
        publicKeyHash: keyHash,
        facilities: lacking,
      });
    }
  }
  return pending;
}

/** `POST /api/admin/staff/:login/key-copies` body: the shape only (checked against the store in `issueKeyCopies`). */
export function parseKeyCopies(value: unknown): SignedKeyCopy[] {
  const body = bodyOf(value);
  refuseUnknownFields(body, ['copies']);
  const copies = body.copies;
  if (!Array.isArray(copies) || copies.length === 0 || copies.length > MAX_COPIES_PER_REQUEST)
    throw new BadRequestError(`"copies" must be a list of 1 to ${MAX_COPIES_PER_REQUEST} signed key copies.`, 'copies');
  return copies.map((copy: unknown, index) => {
    const field = `copies[${index}]`;
    if (!isRecord(copy) || !isSignedKeyCopy(copy))
      throw new BadRequestError(`"${field}" must be a signed key copy.`, field);
    if (JSON.stringify(copy).length > 4 * MAX_COPY_STRING_CHARS)
      throw new BadRequestError(`"${field}" is too large.`, field);
    for (const [name, member] of Object.entries(copy)) {
      if (typeof member === 'string' && member.length > MAX_COPY_STRING_CHARS)
        throw new BadRequestError(`"${field}.${name}" is too long.`, `${field}.${name}`);
    }
    // Only the fields of the protocol are kept (pickWrappedKey also canonicalises the ephemeral public key).
    return { ...pickWrappedKey(copy), sig: copy.sig };
  });
}

/** Checks every copy against the member and the facility keys, verifies its signature, and stores the copies. */
export async function issueKeyCopies(
  store: StoreClient,
  by: string,
  login: string,
  copies: readonly SignedKeyCopy[],
): Promise<{ stored: number }> {
  const doc = await store.getDoc<unknown>(USERS_DB, userDocId(login));
  if (!isUserDoc(doc)) throw new AccountNotFoundError(login);
  if (!isEcPublicKeyJwk(doc.publicKey))
    throw new ConflictError(`The account "${login}" has no key pair yet: it must choose its own password first.`);
  const keyHash = await publicKeyHash(doc.publicKey);
  const memberFacilities = facilitiesOf(heldRoles(doc));
  const seen = new Set<string>();
  for (const [index, copy] of copies.entries()) {
    const field = `copies[${index}]`;
    if (!memberFacilities.includes(copy.facilityId))
      throw new BadRequestError(
        `"${field}.facilityId": "${login}" is not a member of "${copy.facilityId}".`,
        `${field}.facilityId`,
      );
    if (copy.recipient !== login)
      throw new BadRequestError(`"${field}.recipient" must be "${login}".`, `${field}.recipient`);
    if (copy.recipientKeyHash !== keyHash)
      throw new BadRequestError(
        `"${field}.recipientKeyHash" must be the hash of the member's current public key.`,
        `${field}.recipientKeyHash`,
      );
    const keys = await readFacilityKeys(store, copy.facilityId);
    if (!keys)
      throw new BadRequestError(
        `"${field}.facilityId": the facility "${copy.facilityId}" has no key material.`,
        `${field}.facilityId`,
      );
    // Older epochs too: a member confirmed after a revocation needs them to read what was written before it.
    if (copy.epoch > keys.epoch)
      throw new BadRequestError(
        `"${field}.epoch" must be at most the current epoch ${keys.epoch} of "${copy.facilityId}".`,
        `${field}.epoch`,
      );
    const slot = `${copy.facilityId}:${copy.epoch}`;
    if (seen.has(slot)) throw new BadRequestError(`"${field}": a second copy for ${slot} in the same request.`, field);
    seen.add(slot);
    if (!(await verifyKeyCopy(keys.signingPublicKey, copy)))
      throw new BadRequestError(
        `"${field}.sig" does not verify with the signing key of "${copy.facilityId}".`,
        `${field}.sig`,
      );
  }
  await store.upsert<UserDoc>(USERS_DB, userDocId(login), (current) => {
    if (!isUserDoc(current)) throw new AccountNotFoundError(login);
    const currentKey = current.publicKey as Partial<EcPublicKeyJwk> | undefined;
    const sameKey =
      isEcPublicKeyJwk(currentKey) &&
      currentKey.x === (doc.publicKey as EcPublicKeyJwk).x &&
      currentKey.y === (doc.publicKey as EcPublicKeyJwk).y;
    if (!sameKey) throw new ConflictError(`The key pair of "${login}" changed meanwhile; load the list again.`);
    const kept = storedCopies(current).filter((copy) => !seen.has(`${copy.facilityId}:${copy.epoch}`));
    const keyCopies = [...kept, ...copies];
    if (keyCopies.length > MAX_STORED_COPIES)
      throw new ConflictError(`The account "${login}" holds too many key copies.`);
    return { ...current, keyCopies, updatedBy: by, updatedAt: new Date().toISOString() };
  });
  await writeAuditEvent(store, by, 'key-issued', {
    target: login,
    recipientKeyHash: keyHash,
    copies: copies.map((copy) => ({ facilityId: copy.facilityId, epoch: copy.epoch })),
  });
  return { stored: copies.length };
}
