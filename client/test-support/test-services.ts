/**
 * The application's real services, as browser tests give them to rp-app or to rp-test-context: the real HTTP
 * client talking to the real register at the page's own origin (through a SimulatedNetwork that can only be cut
 * or delayed), the real Argon2id derivation, the page's real localStorage, and — unless a test asks for a
 * scripted one — the real replication of the reference books into the real IndexedDB.
 *
 * Every set created here is disposed after each test (a root `afterEach` below): sync stopped, local databases
 * destroyed, the server session ended and localStorage cleared, so the next test starts on a clean device.
 */
import { ApiClient } from '../http/api-client.ts';
import type { Services } from '../app/contexts.ts';
import { I18n, type Locale } from '../i18n/i18n.ts';
import { DeviceStore } from '../services/device-store.ts';
import { LockService } from '../services/lock-service.ts';
import { SessionService } from '../services/session-service.ts';
import { SyncService, type Replication } from '../services/sync-service.ts';
import { UpdateService } from '../services/update-service.ts';
import { FacilityService, type FacilityServiceDeps } from '../services/facility-service.ts';
import { FacilityRepository, type FacilityDatabase } from '../records/facility-repository.ts';
import { openReferenceReplication, referenceDatabaseName } from '../sync/reference-replication.ts';
import { ScriptedReplication } from './scripted-replication.ts';
import { SimulatedNetwork } from './simulated-network.ts';

export interface TestServices extends Services {
  /** The page's localStorage, which holds the device's lock record, configuration and language. */
  storage: Storage;
  device: DeviceStore;
  network: SimulatedNetwork;
  /** Scripted replications opened so far, newest last (empty with the real replication). */
  replications: ScriptedReplication[];
  /** As closing the tab: stops idle watching and sync, leaves the device and the server session as they are. */
  close(): void;
  /** Closes, then leaves the device clean: local databases destroyed, server session ended, storage cleared. */
  dispose(): Promise<void>;
}

export interface TestServicesOptions {
  locale?: Locale;
  /** Shares the network with another set, e.g. to start the app again on the same device. */
  network?: SimulatedNetwork;
  now?: () => number;
  /** 'reference' (default): the real replication from the register; 'scripted': events fired by the test. */
  replication?: 'reference' | 'scripted';
  /** True: the facility service follows the session (opens facility replicas and records). Off by default. */
  facilities?: boolean;
  /** Builds the records layer when `facilities` is on (the real FacilityRepository unless given). */
  createRecords?: FacilityServiceDeps['createRecords'];
}

const live = new Set<TestServices>();

export function createTestServices(options: TestServicesOptions = {}): TestServices {
  const storage = globalThis.localStorage;
  const network = options.network ?? new SimulatedNetwork();
  const device = new DeviceStore(storage);
  const replications: ScriptedReplication[] = [];
  const localDatabases = new Set<string>();
  const clock = options.now ? { now: options.now } : {};
  const lock = new LockService(device, { activityTarget: new EventTarget(), ...clock });
  const open = (username: string): Replication => {
    if (options.replication === 'scripted') {
      const replication = new ScriptedReplication();
      replications.push(replication);
      return replication;
    }
    localDatabases.add(referenceDatabaseName(username));
    return openReferenceReplication(username, location.origin, network.fetch);
  };
  const sync = new SyncService(open, {
    isOnline: () => network.online,
    connectivity: network.connectivity,
    ...clock,
  });
  // No `derive`: the session uses the real Argon2id derivation (about a second per password in Chromium).
  const session = new SessionService({ api: new ApiClient(network.fetch), device, lock, sync });
  const facilities = new FacilityService({
    session,
    follow: options.facilities === true,
    createRecords:
      options.createRecords ??
      ((deps) => new FacilityRepository({ ...deps, db: deps.db as unknown as FacilityDatabase })),
    openDatabase: async (name, remote) => {
      const { default: PouchDB } = await import('pouchdb-browser/lib/index.es.js');
      if (!remote) localDatabases.add(name);
      return remote
        ? new PouchDB(`${location.origin}/db/${name}`, {
            skip_setup: true,
            fetch: (url, init) => network.fetch(url, init),
          })
        : new PouchDB(name);
    },
    storage,
  });
  const services: TestServices = {
    i18n: new I18n(storage, options.locale ?? 'ru'),
    facilities,
    session,
    lock,
    sync,
    updates: new UpdateService(),
    storage,
    device,
    network,
    replications,
    close: () => {
      lock.stopWatching();
      sync.stop();
      facilities.close();
    },
    dispose: async () => {
      live.delete(services);
      services.close();
      // Nothing of this test may still be under way when the next one starts: a late answer would carry this
      // test's session cookie (the gateway renews it on every answer) into the next test's page state.
      await network.drain();
      if (localDatabases.size > 0) {
        // Loaded only here, as the app loads it, so tests that never sync do not load PouchDB.
        const { default: PouchDB } = await import('pouchdb-browser/lib/index.es.js');
        for (const name of localDatabases) await new PouchDB(name).destroy();
      }
      await fetch('/db/_session', { method: 'DELETE' });
      storage.clear();
    },
  };
  live.add(services);
  return services;
}

afterEach(async () => {
  for (const services of [...live]) await services.dispose();
});
