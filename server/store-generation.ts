/**
 * The store's generation marker: a random value that changes whenever the store's data is replaced by an older
 * copy (a restore from backup). Devices remember, per facility database, the generation their replication
 * checkpoints belong to. A checkpoint says "the server already holds everything up to here"; after a restore that
 * is false, and PouchDB would believe it — its checkpoint comparison trusts the device's own sequence when both
 * sides carry the same replication session, so documents written between the backup and the restore would never be
 * uploaded again. When the published generation differs from the remembered one, a device replicates under fresh
 * checkpoints and checks with `_revs_diff` that the server holds every revision it has (client/sync/).
 *
 * The marker is kept in the server-only settings database as `{_id: 'store-generation', generation}`, so it lives
 * with the data (a restore of the store brings back the old marker, and the restore then writes a new one) and every
 * gateway instance in front of the same CouchDB publishes the same value. It is random and says nothing about the
 * installation, the time or anyone; it is published to everyone by `GET /api/config` as `storeGeneration`.
 */
import { randomBytes } from 'node:crypto';
import { SETTINGS_DB } from '../couch/databases.ts';
import type { StoreClient } from './store-client.ts';

export const STORE_GENERATION_ID = 'store-generation';

export interface StoreGenerationDoc {
  _id: string;
  _rev?: string;
  generation: string;
}

/** A fresh marker: 128 random bits, base64url. */
export function newStoreGeneration(): string {
  return randomBytes(16).toString('base64url');
}

/** The current marker, made on first use (a fresh installation, or one from before the marker existed). */
export async function ensureStoreGeneration(store: StoreClient): Promise<string> {
  const existing = await store.getDoc<StoreGenerationDoc>(SETTINGS_DB, STORE_GENERATION_ID);
  if (existing && typeof existing.generation === 'string') return existing.generation;
  await store.upsert<StoreGenerationDoc>(SETTINGS_DB, STORE_GENERATION_ID, (current) =>
    current && typeof current.generation === 'string'
      ? null
      : { _id: STORE_GENERATION_ID, generation: newStoreGeneration() },
  );
  const doc = await store.getDoc<StoreGenerationDoc>(SETTINGS_DB, STORE_GENERATION_ID);
  if (!doc || typeof doc.generation !== 'string') throw new Error('the store generation could not be written');
  return doc.generation;
}

/** Writes a new marker (after a restore, or by an operator who restored an external CouchDB). */
export async function bumpStoreGeneration(store: StoreClient): Promise<string> {
  const generation = newStoreGeneration();
  await store.upsert<StoreGenerationDoc>(SETTINGS_DB, STORE_GENERATION_ID, () => ({
    _id: STORE_GENERATION_ID,
    generation,
  }));
  return generation;
}

/**
 * The published marker, read from the store at most every `maxAgeMs`: an operator who restores an external CouchDB
 * and bumps the marker is seen by every gateway instance within that time, without restarting them.
 */
export function storeGenerationReader(store: StoreClient, maxAgeMs = 5_000): () => Promise<string> {
  let cached: { generation: string; at: number } | null = null;
  return async () => {
    const now = performance.now();
    if (cached && now - cached.at < maxAgeMs) return cached.generation;
    const generation = await ensureStoreGeneration(store);
    cached = { generation, at: now };
    return generation;
  };
}
