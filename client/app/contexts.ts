/**
 * The contexts through which rp-app hands its services to the elements below it (@lit/context), so that
 * elements never construct services, open databases or call the server themselves.
 */
import { createContext } from '@lit/context';
import type { I18n } from '../i18n/i18n.ts';
import type { SessionService } from '../services/session-service.ts';
import type { LockService } from '../services/lock-service.ts';
import type { SyncService } from '../services/sync-service.ts';
import type { UpdateService } from '../services/update-service.ts';
import type { FacilityService } from '../services/facility-service.ts';

export const i18nContext = createContext<I18n>(Symbol('rp-i18n'));
export const sessionContext = createContext<SessionService>(Symbol('rp-session'));
export const lockContext = createContext<LockService>(Symbol('rp-lock'));
export const syncContext = createContext<SyncService>(Symbol('rp-sync'));
export const updateContext = createContext<UpdateService>(Symbol('rp-update'));
export const facilitiesContext = createContext<FacilityService>(Symbol('rp-facilities'));

/** Everything rp-app provides. */
export interface Services {
  i18n: I18n;
  session: SessionService;
  lock: LockService;
  sync: SyncService;
  updates: UpdateService;
  /** The member's facilities: their sync and the records layer of the one in use. */
  facilities: FacilityService;
}
