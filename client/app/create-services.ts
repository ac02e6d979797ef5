/**
 * Builds the application's services for the browser: the one place that wires the HTTP client, the device
 * store, PouchDB replication and the translation service together.
 */
import { ApiClient } from '../http/api-client.ts';
import { I18n } from '../i18n/i18n.ts';
import { DeviceStore } from '../services/device-store.ts';
import { LockService } from '../services/lock-service.ts';
import { SessionService } from '../services/session-service.ts';
import { SyncService } from '../services/sync-service.ts';
import { UpdateService } from '../services/update-service.ts';
import { openReferenceReplication } from '../sync/reference-replication.ts';
import { FacilityService } from '../services/facility-service.ts';
import type { Services } from './contexts.ts';

export function createServices(): Services {
  const device = new DeviceStore(localStorage);
  const lock = new LockService(device, { activityTarget: window });
  const sync = new SyncService((username) => openReferenceReplication(username), { connectivity: window });
  const session = new SessionService({ api: new ApiClient(), device, lock, sync });
  const facilities = new FacilityService({
    session,
    // The records layer (validation, sealing, search) loads with the first facility opened, not with the login page.
    createRecords: async (options) => {
      const { FacilityRepository } = await import('../records/facility-repository.ts');
      return new FacilityRepository({ ...options, db: options.db as never, device: deviceLabel() });
    },
  });
  return { i18n: new I18n(localStorage), session, lock, sync, updates: new UpdateService(), facilities };
}

/** A random label of this device for audit events (never a name), kept in localStorage. */
function deviceLabel(): string {
  const key = 'rp.device-label';
  let label = localStorage.getItem(key);
  if (!label) {
    label = `device-${crypto.randomUUID().slice(0, 8)}`;
    localStorage.setItem(key, label);
  }
  return label;
}
