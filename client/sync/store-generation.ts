/**
 * The server's store generation (server/store-generation.ts), as published by `GET /api/config`. A device compares
 * it with the generation its replication checkpoints belong to: a different value means the store was restored
 * from an older copy, so the checkpoints claim more than the server holds (client/sync/facility-sync.ts).
 * Offline, or from a server that does not publish one, there is no answer: the device keeps what it knows.
 */

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/** The published generation, or null when the server cannot be asked or publishes none. */
export async function fetchStoreGeneration(
  fetchImpl: Fetch = (input, init) => globalThis.fetch(input, init),
): Promise<string | null> {
  try {
    const response = await fetchImpl('/api/config', { credentials: 'same-origin', cache: 'no-store' });
    if (!response.ok) return null;
    const body = (await response.json()) as { storeGeneration?: unknown } | null;
    const generation = body?.storeGeneration;
    return typeof generation === 'string' && generation !== '' ? generation : null;
  } catch {
    return null;
  }
}
