/**
 * Real services over a fake server, an in-memory device and a scripted replication: what browser tests give
 * to rp-app or to rp-test-context.
 */
import { ApiClient } from '../http/api-client.ts';
import type { Services } from '../app/contexts.ts';
import { I18n, type Locale } from '../i18n/i18n.ts';
import { DeviceStore } from '../services/device-store.ts';
import { LockService } from '../services/lock-service.ts';
import { SessionService } from '../services/session-service.ts';
import { SyncService, type Replication } from '../services/sync-service.ts';
import { UpdateService } from '../services/update-service.ts';
import { FakeServer, fastDerive } from './fake-server.ts';
import { MemoryStorage } from './memory-storage.ts';

/** A replication whose events the test fires by hand. */
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

export interface TestServices extends Services {
  server: FakeServer;
  storage: MemoryStorage;
  device: DeviceStore;
  /** Replications opened so far, newest last. */
  replications: ScriptedReplication[];
  online: { value: boolean };
  /** Window-like target for `online`/`offline` events. */
  connectivity: EventTarget;
}

export interface TestServicesOptions {
  locale?: Locale;
  storage?: MemoryStorage;
  server?: FakeServer;
  now?: () => number;
}

export function createTestServices(options: TestServicesOptions = {}): TestServices {
  const storage = options.storage ?? new MemoryStorage();
  const server = options.server ?? new FakeServer();
  const device = new DeviceStore(storage);
  const online = { value: true };
  const connectivity = new EventTarget();
  const replications: ScriptedReplication[] = [];
  const lock = new LockService(device, {
    activityTarget: new EventTarget(),
    ...(options.now ? { now: options.now } : {}),
  });
  const sync = new SyncService(
    () => {
      const replication = new ScriptedReplication();
      replications.push(replication);
      return replication;
    },
    { isOnline: () => online.value, connectivity, ...(options.now ? { now: options.now } : {}) },
  );
  const session = new SessionService({ api: new ApiClient(server.fetch), device, lock, sync, derive: fastDerive });
  const i18n = new I18n(storage, options.locale ?? 'ru');
  return {
    i18n,
    session,
    lock,
    sync,
    updates: new UpdateService(),
    server,
    storage,
    device,
    replications,
    online,
    connectivity,
  };
}
