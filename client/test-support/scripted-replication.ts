/**
 * A replication whose PouchDB events the test fires by hand: for unit tests of SyncService and component tests
 * of the sync indicator, which must show states (changes waiting, offline, refused) on cue. Tests of the real
 * replication against the real register use openReferenceReplication instead (see test-services.ts).
 */
import type { Replication } from '../services/sync-service.ts';

export class ScriptedReplication implements Replication {
  readonly #listeners = new Map<string, Array<(arg?: unknown) => void>>();
  cancelled = false;

  on(event: string, listener: (arg?: unknown) => void): this {
    this.#listeners.set(event, [...(this.#listeners.get(event) ?? []), listener]);
    return this;
  }

  emit(event: string, arg?: unknown): void {
    for (const listener of this.#listeners.get(event) ?? []) listener(arg);
  }

  cancel(): void {
    this.cancelled = true;
  }
}
