/**
 * Retiring a facility's old key epochs (ARCHITECTURE.md, "Revocation"). When a new epoch starts, the one before it
 * stays writable for a grace period, so that a device that was offline can still upload what it wrote; after that
 * the facility's design document refuses every sealed value under a retired epoch, and the device gets those writes
 * back as refused and re-encrypts them.
 *
 * `validate_doc_update` cannot look anything up, so the lowest writable epoch is written into the design document
 * itself. The epochs and their retirement times are in `facility-keys:<id>` (`epochs`), written by the admin API;
 * this module turns them into the design document: at every start (provisioning), right after an epoch starts, and
 * from a timer while the server runs (`startEpochRetirement`).
 */
import type { StoreClient } from '../server/store-client.ts';
import { facilityDesignDoc } from '../design-docs/index.ts';
import { REFERENCE_DB } from './databases.ts';

/** One epoch of a facility: when it started and, once a later one started, from when it is no longer writable. */
export interface EpochRecord {
  epoch: number;
  startedAt: string;
  startedBy: string;
  /** Set on an epoch when the next one starts: writes under it are refused from this instant on. */
  retireAt?: string;
  reason?: string;
}

/** How often a running server looks for epochs whose grace period ended. */
export const RETIREMENT_CHECK_MS = 60_000;

export function isEpochRecord(value: unknown): value is EpochRecord {
  const record = value as Partial<EpochRecord> | null;
  return (
    typeof record === 'object' &&
    record !== null &&
    typeof record.epoch === 'number' &&
    Number.isInteger(record.epoch) &&
    record.epoch >= 1 &&
    typeof record.startedAt === 'string' &&
    (record.retireAt === undefined || typeof record.retireAt === 'string')
  );
}

/** The lowest epoch that may still be written at `now`: one above the highest epoch whose grace period ended. */
export function minWriteEpoch(epochs: readonly EpochRecord[], now: number): number {
  let min = 1;
  for (const record of epochs) {
    if (record.retireAt !== undefined && Date.parse(record.retireAt) <= now) min = Math.max(min, record.epoch + 1);
  }
  return min;
}

/** The next instant at which some epoch retires, or null when none is waiting. */
export function nextRetirement(epochs: readonly EpochRecord[], now: number): number | null {
  let next: number | null = null;
  for (const record of epochs) {
    if (record.retireAt === undefined) continue;
    const at = Date.parse(record.retireAt);
    if (at > now && (next === null || at < next)) next = at;
  }
  return next;
}

/** The epoch records of a facility (none for a facility made without keys). */
export async function readEpochRecords(store: StoreClient, facilityId: string): Promise<EpochRecord[]> {
  const doc = await store.getDoc<{ epochs?: unknown }>(REFERENCE_DB, `facility-keys:${facilityId}`);
  return Array.isArray(doc?.epochs) ? doc.epochs.filter(isEpochRecord) : [];
}

/** The design document a facility's database should hold at `now`. */
export async function currentFacilityDesignDoc(
  store: StoreClient,
  facilityId: string,
  now: number = Date.now(),
): Promise<ReturnType<typeof facilityDesignDoc>> {
  return facilityDesignDoc(facilityId, {
    minWriteEpoch: minWriteEpoch(await readEpochRecords(store, facilityId), now),
  });
}
