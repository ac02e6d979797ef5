/**
 * The member's facilities on this device: for each, the local replica and its sync with the server; for the
 * facility in use, the records layer the patient pages work with (ARCHITECTURE.md, "Sync that users can trust":
 * "Live sync for the facility in use, the others in turns — browsers allow about six connections per origin").
 *
 * It follows the session: when the member is signed in and unlocked, the facility in use gets a live sync and an
 * opened records layer (passports decrypted into memory); the other facilities are synchronised one at a time every
 * few minutes. Locking drops everything decrypted (the records layer is closed) while replication of the protected
 * data goes on; signing out stops it all. PouchDB is loaded only here, on first use.
 */
import type { Database } from 'pouchdb-browser/lib/index.es.js';
import { facilitiesOf } from '../../common/roles.ts';
import type { FacilityRecords } from '../records/records-api.ts';
import type { TransferRequest, TransferResult } from '../records/transfer.ts';
import { localFacilityDatabaseName } from '../records/local-databases.ts';
import { FacilitySync } from '../sync/facility-sync.ts';
import { fetchStoreGeneration } from '../sync/store-generation.ts';
import type { SessionService } from './session-service.ts';

/** What the records layer needs to open sealed data: the current epoch's key, and older epochs' keys. */
export interface RecordKeys {
  current(facilityId: string): Promise<{ epoch: number; key: CryptoKey } | null>;
  forEpoch(facilityId: string, epoch: number): Promise<CryptoKey | null>;
}

export interface RecordsFactoryOptions {
  facilityId: string;
  login: string;
  roles: readonly string[];
  db: Database;
  keys: RecordKeys;
}

export interface FacilityServiceDeps {
  session: SessionService;
  /** Builds the records layer of one facility (facility-repository.ts, loaded on first use in the app). */
  createRecords: (options: RecordsFactoryOptions) => FacilityRecords | Promise<FacilityRecords>;
  /** Opens PouchDB databases (the app loads pouchdb-browser lazily). */
  openDatabase?: (name: string, remote: boolean) => Promise<Database>;
  storage?: Storage;
  /** How often the facilities not in use are synchronised, one after another. */
  backgroundIntervalMs?: number;
  /** False: do not follow the session (tests of other parts that sign members in). */
  follow?: boolean;
}

const ACTIVE_KEY = 'rp.active-facility.';

async function openPouch(name: string, remote: boolean): Promise<Database> {
  const { default: PouchDB } = await import('pouchdb-browser/lib/index.es.js');
  return remote
    ? new PouchDB(`${location.origin}/db/${name}`, {
        skip_setup: true,
        fetch: (url, options) => fetch(url, { ...options, credentials: 'same-origin' }),
      })
    : new PouchDB(name);
}

/**
 * @fires change - after the facilities, the facility in use, its records layer or a sync state changed
 */
export class FacilityService extends EventTarget {
  #login: string | null = null;
  #roles: readonly string[] = [];
  #facilities: string[] = [];
  #active: string | null = null;
  #records: FacilityRecords | null = null;
  #recordsOpen = false;
  readonly #syncs = new Map<string, FacilitySync>();
  readonly #locals = new Map<string, Database>();
  #background: ReturnType<typeof setInterval> | null = null;
  #generation = 0;
  readonly #deps: FacilityServiceDeps;
  readonly #onSessionChange = (): void => void this.#follow();
  readonly #onSyncChange = (): void => this.#changed();
  /**
   * The browser says the network is back: the live sync of the facility in use starts again at once instead of
   * waiting out PouchDB's back-off (up to 30 s after many failures) — a tablet back in coverage syncs immediately.
   */
  readonly #onOnline = (): void => {
    if (this.#active) void this.#syncs.get(this.#active)?.reconnect();
  };

  constructor(deps: FacilityServiceDeps) {
    super();
    this.#deps = deps;
    if (deps.follow !== false) deps.session.addEventListener('change', this.#onSessionChange);
    globalThis.addEventListener('online', this.#onOnline);
  }

  /** Stops following the session and everything it started. */
  close(): void {
    this.#deps.session.removeEventListener('change', this.#onSessionChange);
    globalThis.removeEventListener('online', this.#onOnline);
    this.#stopAll();
  }

  /** The member's facility ids (from their roles). */
  get facilities(): readonly string[] {
    return this.#facilities;
  }

  /** The facility in use. */
  get active(): string | null {
    return this.#active;
  }

  /** The records layer of the facility in use, opened (null while locked, signed out or before keys exist). */
  get records(): FacilityRecords | null {
    return this.#recordsOpen ? this.#records : null;
  }

  get syncs(): readonly FacilitySync[] {
    return [...this.#syncs.values()];
  }

  /** Chooses the facility in use (kept per member on this device). */
  async select(facilityId: string): Promise<void> {
    if (!this.#facilities.includes(facilityId) || facilityId === this.#active || !this.#login) return;
    this.#storage()?.setItem(ACTIVE_KEY + this.#login, facilityId);
    await this.#activate(facilityId);
  }

  async #follow(): Promise<void> {
    const state = this.#deps.session.state;
    if (state.kind === 'ready') {
      if (this.#login !== state.user.name || this.#roles.join() !== state.user.roles.join()) {
        await this.#startFor(state.user.name, state.user.roles);
      } else if (!this.#recordsOpen) {
        await this.#openRecords();
      }
    } else if (state.kind === 'locked') {
      this.#closeRecords();
    } else {
      this.#stopAll();
    }
  }

  async #startFor(login: string, roles: readonly string[]): Promise<void> {
    this.#stopAll();
    this.#login = login;
    this.#roles = roles;
    this.#facilities = facilitiesOf(roles);
    const generation = this.#generation;
    for (const facilityId of this.#facilities) {
      const local = await this.#open(localFacilityDatabaseName(facilityId, login), false);
      const remote = await this.#open(`facility-${facilityId}`, true);
      if (generation !== this.#generation) return;
      this.#locals.set(facilityId, local);
      const sync = new FacilitySync({ facilityId, login, local, remote, storeGeneration: fetchStoreGeneration });
      sync.addEventListener('change', this.#onSyncChange);
      this.#syncs.set(facilityId, sync);
    }
    const saved = this.#storage()?.getItem(ACTIVE_KEY + login) ?? null;
    const active = saved && this.#facilities.includes(saved) ? saved : (this.#facilities[0] ?? null);
    if (active) await this.#activate(active);
    this.#background = setInterval(() => void this.#syncInTurns(), this.#deps.backgroundIntervalMs ?? 5 * 60_000);
    this.#changed();
  }

  async #activate(facilityId: string): Promise<void> {
    if (this.#active) this.#syncs.get(this.#active)?.stop();
    this.#closeRecords();
    this.#active = facilityId;
    await this.#syncs.get(facilityId)?.start();
    await this.#openRecords();
  }

  async #openRecords(): Promise<void> {
    const facilityId = this.#active;
    const local = facilityId ? this.#locals.get(facilityId) : undefined;
    const state = this.#deps.session.state;
    if (!facilityId || !local || !this.#login || state.kind !== 'ready') return;
    const session = this.#deps.session;
    // Without a key of the facility (not confirmed yet) nothing can be opened or sealed: the pages say so.
    if ((await session.epochKey(facilityId)) === null) {
      this.#records = null;
      this.#recordsOpen = false;
      this.#changed();
      return;
    }
    const generation = this.#generation;
    const records = await this.#deps.createRecords({
      facilityId,
      login: this.#login,
      roles: this.#roles,
      db: local,
      keys: {
        current: (id) => session.epochKey(id),
        forEpoch: (id, epoch) => session.epochKeyFor(id, epoch),
      },
    });
    await records.open();
    if (generation !== this.#generation || this.#active !== facilityId) {
      records.close();
      return;
    }
    this.#records = records;
    this.#recordsOpen = true;
    this.#changed();
  }

  #closeRecords(): void {
    this.#records?.close();
    this.#records = null;
    this.#recordsOpen = false;
    this.#changed();
  }

  /**
   * Transfers a patient of the facility in use to another of the member's facilities (records/transfer.ts): a new
   * passport, the record, visits and prescriptions sealed for the target, then "transferred" in the source. The
   * member must hold keys of both; otherwise, and whenever the target would refuse, it rejects with
   * `TransferRefusedError` and nothing is written. The target's records layer is made for the transfer only (its
   * passports are not decrypted) and closed afterwards; its sync is started at once so the copy leaves the device.
   */
  async transfer(request: TransferRequest): Promise<TransferResult> {
    const transfers = await import('../records/transfer.ts');
    const source = this.records;
    const login = this.#login;
    const session = this.#deps.session;
    if (!source || !login) throw new Error('The facility records are closed; open them after unlocking.');
    const db = this.#locals.get(request.to);
    if (!db) throw transfers.notMemberRefusal(request.to);
    if ((await session.epochKey(request.to)) === null) throw transfers.noKeyRefusal(request.to);
    const target = await this.#deps.createRecords({
      facilityId: request.to,
      login,
      roles: this.#roles,
      db,
      keys: {
        current: (id) => session.epochKey(id),
        forEpoch: (id, epoch) => session.epochKeyFor(id, epoch),
      },
    });
    try {
      if (!transfers.isTransferSource(source) || !transfers.isTransferTarget(target)) {
        throw new Error('This records layer cannot transfer patients.');
      }
      const result = await transfers.transferPatient({ source, target, login, roles: this.#roles }, request);
      void this.#syncs.get(request.to)?.syncNow();
      this.#changed();
      return result;
    } finally {
      target.close();
    }
  }

  /**
   * The facilities not in use, one at a time; for the one in live sync, only the store generation — an outage too
   * short for the device to see (the replication was waiting to retry) or a restored CouchDB behind a gateway that
   * never went away is noticed within this interval.
   */
  async #syncInTurns(): Promise<void> {
    for (const [facilityId, sync] of this.#syncs) {
      if (facilityId !== this.#active) await sync.syncNow();
      else await sync.checkGeneration().catch(() => undefined);
    }
  }

  #stopAll(): void {
    this.#generation += 1;
    if (this.#background) clearInterval(this.#background);
    this.#background = null;
    for (const sync of this.#syncs.values()) {
      sync.removeEventListener('change', this.#onSyncChange);
      sync.stop();
    }
    this.#syncs.clear();
    for (const local of this.#locals.values()) void local.close().catch(() => undefined);
    this.#locals.clear();
    this.#closeRecords();
    this.#login = null;
    this.#roles = [];
    this.#facilities = [];
    this.#active = null;
  }

  #open(name: string, remote: boolean): Promise<Database> {
    return (this.#deps.openDatabase ?? openPouch)(name, remote);
  }

  #storage(): Storage | null {
    return this.#deps.storage ?? globalThis.localStorage ?? null;
  }

  #changed(): void {
    this.dispatchEvent(new Event('change'));
  }
}
