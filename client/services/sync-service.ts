/**
 * The visible state of replication (ARCHITECTURE.md, "Sync that users can trust"). For now one pull-only live
 * replication of the reference books; the replication itself is opened by a factory (reference-replication.ts
 * in the app, a fake in tests), so this service and the elements never touch PouchDB.
 */

/** The part of a PouchDB replication that the service listens to. */
export interface Replication {
  on(
    event: 'change' | 'paused' | 'active' | 'requestError' | 'denied' | 'error' | 'complete',
    listener: (arg?: unknown) => void,
  ): unknown;
  cancel(): void;
}

export type OpenReplication = (username: string) => Replication;

export type SyncState =
  | { kind: 'stopped' }
  | { kind: 'connecting' }
  | { kind: 'up-to-date'; at: number }
  | { kind: 'pending'; count: number }
  | { kind: 'offline'; since: number }
  | { kind: 'error'; reason: 'session' | 'refused' | 'unknown' };

export interface SyncServiceOptions {
  now?: () => number;
  isOnline?: () => boolean;
  /** Where `online`/`offline` events arrive (window in the app). */
  connectivity?: EventTarget;
}

function statusOf(error: unknown): number | null {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status > 0 ? status : null;
}

/**
 * @fires change - after the state changed
 * @fires session-ended - when the server refused replication because the session has ended (401)
 */
export class SyncService extends EventTarget {
  #state: SyncState = { kind: 'stopped' };
  #username: string | null = null;
  #replication: Replication | null = null;
  readonly #open: OpenReplication;
  readonly #now: () => number;
  readonly #isOnline: () => boolean;
  readonly #connectivity: EventTarget;
  readonly #onOnline = (): void => this.#restart();
  readonly #onOffline = (): void => this.#goOffline();

  constructor(open: OpenReplication, options: SyncServiceOptions = {}) {
    super();
    this.#open = open;
    this.#now = options.now ?? Date.now;
    this.#isOnline = options.isOnline ?? (() => globalThis.navigator?.onLine ?? true);
    this.#connectivity = options.connectivity ?? globalThis;
  }

  get state(): SyncState {
    return this.#state;
  }

  get running(): boolean {
    return this.#username !== null;
  }

  /** Starts live replication for this user (a no-op when it already runs for them). */
  start(username: string): void {
    if (this.#username === username) return;
    this.stop();
    this.#username = username;
    this.#connectivity.addEventListener('online', this.#onOnline);
    this.#connectivity.addEventListener('offline', this.#onOffline);
    this.#openReplication();
  }

  stop(): void {
    this.#replication?.cancel();
    this.#replication = null;
    if (this.#username !== null) {
      this.#connectivity.removeEventListener('online', this.#onOnline);
      this.#connectivity.removeEventListener('offline', this.#onOffline);
    }
    this.#username = null;
    this.#set({ kind: 'stopped' });
  }

  #openReplication(): void {
    if (this.#username === null) return;
    if (this.#isOnline()) this.#set({ kind: 'connecting' });
    else this.#goOffline();
    const replication = this.#open(this.#username);
    this.#replication = replication;
    const current = (listener: (arg?: unknown) => void) => (arg?: unknown) => {
      if (this.#replication === replication) listener(arg);
    };
    replication.on(
      'change',
      current((info) => this.#onChange(info)),
    );
    replication.on(
      'paused',
      current((error) => (error ? this.#onRequestError(error) : this.#set({ kind: 'up-to-date', at: this.#now() }))),
    );
    replication.on(
      'requestError',
      current((error) => this.#onRequestError(error)),
    );
    replication.on(
      'denied',
      current(() => this.#set({ kind: 'error', reason: 'refused' })),
    );
    replication.on(
      'error',
      current((error) => this.#onRequestError(error)),
    );
  }

  /** Reconnects at once when the network returns, instead of waiting for PouchDB's back-off. */
  #restart(): void {
    if (this.#username === null) return;
    this.#replication?.cancel();
    this.#replication = null;
    this.#openReplication();
  }

  #onChange(info: unknown): void {
    const pending = (info as { pending?: unknown } | null)?.pending;
    if (typeof pending === 'number' && pending > 0) this.#set({ kind: 'pending', count: pending });
  }

  #onRequestError(error: unknown): void {
    const status = statusOf(error);
    if (status === null || !this.#isOnline()) {
      this.#goOffline();
    } else if (status === 401) {
      this.#set({ kind: 'error', reason: 'session' });
      this.dispatchEvent(new Event('session-ended'));
    } else if (status === 403 || status === 404) {
      this.#set({ kind: 'error', reason: 'refused' });
    } else if (status >= 500) {
      // The gateway or the store is down: from the user's side this is "no server", not a data problem.
      this.#goOffline();
    } else {
      this.#set({ kind: 'error', reason: 'unknown' });
    }
  }

  #goOffline(): void {
    if (this.#state.kind === 'offline') return;
    this.#set({ kind: 'offline', since: this.#now() });
  }

  #set(state: SyncState): void {
    this.#state = state;
    this.dispatchEvent(new Event('change'));
  }
}
