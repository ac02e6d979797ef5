/**
 * Keeps an element's reading of the reference books current. The pages read the member's local replica, and on a
 * new device the first sync is still bringing the books when the member opens the patient list or the new-patient
 * form: a reading made once, when the element got its store, would keep an empty district list until the app is
 * reloaded. So the element reads when it gets its store and again each time the store says its books changed
 * (records/local-reference-store.ts); a late answer to an older reading never overwrites a newer one.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ReferenceStore } from '../admin/reference-store.ts';
import { watchReference } from '../records/local-reference-store.ts';

export interface ReferenceReaderOptions<T> {
  /** The store the element reads now (its `reference` property). */
  store: () => ReferenceStore | null;
  read: (store: ReferenceStore) => Promise<T>;
  /** Receives each reading. */
  use: (value: T) => void;
  /** Called when a reading failed (the element falls back to what works without the books). */
  failed?: () => void;
}

export class ReferenceReader<T> implements ReactiveController {
  readonly #options: ReferenceReaderOptions<T>;
  #store: ReferenceStore | null = null;
  #stop = (): void => undefined;
  #reading = 0;

  constructor(host: ReactiveControllerHost, options: ReferenceReaderOptions<T>) {
    this.#options = options;
    host.addController(this);
  }

  hostConnected(): void {
    // Reconnected without a property change, the element would not update: follow its store again from here.
    this.#follow(this.#options.store() ?? null);
  }

  hostUpdated(): void {
    const store = this.#options.store() ?? null;
    if (store !== this.#store) this.#follow(store);
  }

  hostDisconnected(): void {
    this.#follow(null);
  }

  #follow(store: ReferenceStore | null): void {
    this.#stop();
    this.#stop = () => undefined;
    this.#store = store;
    this.#reading += 1;
    if (!store) return;
    this.#stop = watchReference(store, () => void this.#read(store));
    void this.#read(store);
  }

  async #read(store: ReferenceStore): Promise<void> {
    const reading = ++this.#reading;
    const current = (): boolean => reading === this.#reading && store === this.#store;
    try {
      const value = await this.#options.read(store);
      if (current()) this.#options.use(value);
    } catch {
      if (current()) this.#options.failed?.();
    }
  }
}
