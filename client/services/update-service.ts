/**
 * Whether a new version of the application is waiting in the service worker, and how to switch to it.
 * main.ts connects it to vite-plugin-pwa's `registerSW`; the update bar only renders it.
 */

/**
 * @fires change - when an update became available or was dismissed
 */
export class UpdateService extends EventTarget {
  #needRefresh = false;
  #apply: (() => Promise<void>) | null = null;

  get needRefresh(): boolean {
    return this.#needRefresh;
  }

  /** Called by the registration when a new service worker waits; `apply` activates it and reloads. */
  offerUpdate(apply: () => Promise<void>): void {
    this.#apply = apply;
    this.#needRefresh = true;
    this.dispatchEvent(new Event('change'));
  }

  dismiss(): void {
    this.#needRefresh = false;
    this.dispatchEvent(new Event('change'));
  }

  async applyUpdate(): Promise<void> {
    await this.#apply?.();
  }
}
