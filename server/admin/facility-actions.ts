/**
 * What the facility routes do in the store: read and write `facility:<id>` (and `facility-keys:<id>`) in
 * `reference`, create the facility's database, and write the audit events. Curried over the server's own
 * StoreClient; the routes only parse, call and send.
 */
import type { StoreClient } from '../store-client.ts';
import { StoreError, encodeDocId } from '../store-client.ts';
import { BadRequestError, ConflictError, HttpError } from '../errors.ts';
import { REFERENCE_DB, provisionFacilityDatabase, writeAuditEvent } from '../../couch/provision.ts';
import {
  applyFacilityChanges,
  buildFacilityDoc,
  buildFacilityKeysDoc,
  facilityDocId,
  facilitySummary,
  isFacilityDoc,
  type FacilityChanges,
  type FacilityDoc,
  type FacilityKeysDoc,
  type FacilitySummary,
  type NewFacility,
} from './facilities.ts';

export class FacilityNotFoundError extends HttpError {
  constructor(id: string) {
    super(404, 'not_found', `There is no facility "${id}".`);
  }
}

export async function listFacilities(store: StoreClient): Promise<FacilitySummary[]> {
  const range = `startkey=${encodeURIComponent('"facility:"')}&endkey=${encodeURIComponent('"facility:\ufff0"')}`;
  const result = await store.expect<{ rows: { doc?: unknown }[] }>(
    'GET',
    `/${REFERENCE_DB}/_all_docs?include_docs=true&${range}`,
    undefined,
  );
  return result.body.rows
    .map((row) => row.doc)
    .filter(isFacilityDoc)
    .map(facilitySummary);
}

export async function readFacility(store: StoreClient, id: string): Promise<FacilityDoc | null> {
  const doc = await store.getDoc<unknown>(REFERENCE_DB, facilityDocId(id));
  return isFacilityDoc(doc) ? doc : null;
}

/**
 * Checks that every facility named exists and is active (those in `alreadyHeld` may also be inactive: an account
 * keeps a membership it had when the facility was deactivated). Throws BadRequestError naming `field`.
 */
export async function requireActiveFacilities(
  store: StoreClient,
  ids: readonly string[],
  field: string,
  alreadyHeld: readonly string[] = [],
): Promise<void> {
  const docs = await Promise.all(ids.map((id) => readFacility(store, id)));
  ids.forEach((id, index) => {
    const doc = docs[index];
    if (!doc) throw new BadRequestError(`"${field}": there is no facility "${id}".`, field);
    if (!doc.active && !alreadyHeld.includes(id))
      throw new BadRequestError(`"${field}": the facility "${id}" is deactivated.`, field);
  });
}

async function requireDistrict(store: StoreClient, districtId: string | undefined): Promise<void> {
  if (districtId === undefined) return;
  const district = await store.getDoc<{ type?: unknown }>(REFERENCE_DB, `district:${districtId}`);
  if (district?.type !== 'district')
    throw new BadRequestError(`"districtId": there is no district "${districtId}".`, 'districtId');
}

/** Creates the facility: its database (security object and design document), its reference entry, its keys. */
export async function createFacility(store: StoreClient, by: string, input: NewFacility): Promise<FacilitySummary> {
  await requireDistrict(store, input.districtId);
  if (await store.getDoc(REFERENCE_DB, facilityDocId(input.id)))
    throw new ConflictError(`The facility "${input.id}" exists already.`);
  const at = new Date().toISOString();
  // The database first: a facility that is listed can always be used.
  await provisionFacilityDatabase(store, input.id);
  if (input.keys) {
    const keysDoc = buildFacilityKeysDoc(input.id, input.keys, by, at);
    await store.upsert<FacilityKeysDoc>(REFERENCE_DB, keysDoc._id, () => keysDoc);
  }
  const doc = buildFacilityDoc(input, by, at);
  const written = await store.request('PUT', `/${REFERENCE_DB}/${encodeDocId(doc._id)}`, doc);
  if (written.status === 409) throw new ConflictError(`The facility "${input.id}" exists already.`);
  if (written.status >= 300) throw new StoreError(written.status, 'put_failed', `${REFERENCE_DB}/${doc._id}`);
  await writeAuditEvent(store, by, 'facility-created', { target: input.id, name: input.name });
  if (input.keys) {
    await writeAuditEvent(store, by, 'key-material-stored', {
      target: input.id,
      epoch: input.keys.epoch,
      signingKeyCopies: input.keys.wrappedKeys.signingKey.length,
      epochKeyCopies: input.keys.wrappedKeys.epochKeys.length,
    });
  }
  return facilitySummary(doc);
}

export async function updateFacility(
  store: StoreClient,
  by: string,
  id: string,
  changes: FacilityChanges,
): Promise<FacilitySummary> {
  await requireDistrict(store, changes.districtId);
  const written: { doc?: FacilityDoc } = {};
  await store.upsert<FacilityDoc>(REFERENCE_DB, facilityDocId(id), (current) => {
    if (!isFacilityDoc(current)) throw new FacilityNotFoundError(id);
    written.doc = applyFacilityChanges(current, changes, by, new Date().toISOString());
    return written.doc;
  });
  if (!written.doc) throw new FacilityNotFoundError(id);
  await writeAuditEvent(store, by, 'facility-updated', { target: id, changes });
  return facilitySummary(written.doc);
}
