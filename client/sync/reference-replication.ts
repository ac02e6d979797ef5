/**
 * Pull-only live replication of the reference books (`/db/reference`) into this user's local
 * `reference-<username>` database. The gateway keeps reference read-only for non-administrators, so the
 * checkpoint is kept on the device only. PouchDB is loaded on first use, which keeps it out of the first
 * paint of the login page (it is still precached for offline use).
 */
import type { ReplicationEmitter } from 'pouchdb-browser/lib/index.es.js';
import type { Replication } from '../services/sync-service.ts';

type Listener = (arg?: unknown) => void;

/** Local database names carry the username: on a shared tablet each user has their own. */
export function referenceDatabaseName(username: string): string {
  return `reference-${username}`;
}

/** Reconnect quickly at first, then at most every 30 seconds (PouchDB's default grows to 10 minutes). */
function backOff(delay: number): number {
  return delay === 0 ? 1000 : Math.min(delay * 2, 30_000);
}

/**
 * Opens the live pull of `/db/reference` for this user. `fetchImpl` carries every request to the server (the page's
 * `fetch` in the app; tests pass one that can simulate a lost network, as for ApiClient).
 */
export function openReferenceReplication(
  username: string,
  origin: string = location.origin,
  fetchImpl: typeof fetch = (input, init) => fetch(input, init),
): Replication {
  const listeners: Array<[string, Listener]> = [];
  let replication: ReplicationEmitter | null = null;
  let cancelled = false;
  let closeRemote = (): void => undefined;

  import('pouchdb-browser/lib/index.es.js').then(
    ({ default: PouchDB }) => {
      if (cancelled) return;
      const local = new PouchDB(referenceDatabaseName(username));
      const remote = new PouchDB(`${origin}/db/reference`, {
        skip_setup: true,
        fetch: (url, options) => fetchImpl(url, { ...options, credentials: 'same-origin' }),
      });
      closeRemote = () => void remote.close().catch(() => undefined);
      replication = local.replicate.from(remote, {
        live: true,
        retry: true,
        batch_size: 200,
        checkpoint: 'target',
        back_off_function: backOff,
      });
      for (const [event, listener] of listeners) replication.on(event, listener);
    },
    (error: unknown) => {
      // The PouchDB chunk could not be loaded (offline before it was ever cached): report it like a failed request.
      for (const [event, listener] of listeners) if (event === 'requestError') listener(error);
    },
  );

  return {
    on: (event, listener) => {
      listeners.push([event, listener]);
      replication?.on(event, listener);
      return undefined;
    },
    cancel: () => {
      cancelled = true;
      replication?.cancel();
      closeRemote();
    },
  };
}
