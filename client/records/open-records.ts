/**
 * Opening a facility's records after unlock, and keeping them open: what `FacilityRepository.open()` does.
 *
 * Reading and decrypting every passport of a facility is the slow part of unlocking (PouchDB's IndexedDB adapter
 * reads a range with one request per document). So the memory of an open facility is kept, sealed, in the search
 * snapshot (search-snapshot.ts), and opening is:
 * 1. the database's sequence now (`info()`), then the snapshot, opened with the current epoch's key — or, when there
 *    is none, it does not open, or it is of an older epoch, every passport and record read and decrypted;
 * 2. the live changes feed from the sequence the memory reflects: the changes since the snapshot are applied before
 *    `open()` resolves (so a stale snapshot is brought up to date, never shown), later ones as they arrive;
 * 3. a new snapshot written after a full load, after a catch-up, and a few seconds after replication changed
 *    something (at least every half minute while it goes on), never with the member's own writes — they are few,
 *    and the next open applies them from the feed.
 * A change that fails to apply leaves the list as it was until the next one; the snapshot's sequence then stays
 * before it, so the next open applies it again.
 */
import type { ChangesFeed, DatabaseChange, FacilityDatabase } from './facility-database.ts';
import type { FacilityKeySource, FacilitySealer } from './facility-sealer.ts';
import { PatientsInMemory, type LoadTimings } from './patients-in-memory.ts';
import {
  openSnapshot,
  readSnapshotDoc,
  sealSnapshot,
  snapshotEpoch,
  snapshotKey,
  writeSnapshotDoc,
  type SnapshotContent,
  type SnapshotOwner,
} from './search-snapshot.ts';

/** Quiet time after replication changed something before the snapshot is written again. */
const SNAPSHOT_DELAY_MS = 3000;
/** Longest a changed memory waits for its snapshot while changes keep coming (a first sync). */
const SNAPSHOT_MAX_WAIT_MS = 30_000;

export interface OpenRecordsOptions extends SnapshotOwner {
  db: FacilityDatabase;
  sealer: FacilitySealer;
  keys: FacilityKeySource;
  /** Whether to read and write the sealed search snapshot. */
  snapshot: boolean;
  /** True for a change the repository wrote itself: it is in memory already. */
  ownWrite: (change: DatabaseChange) => boolean;
  /** Called after a change from elsewhere (replication, another writer) was applied. */
  changed: () => void;
}

/** How an open went: from the snapshot or from every document, how many passports, and where the time went (ms). */
export interface OpenReport {
  source: 'snapshot' | 'documents';
  passports: number;
  /** Changes since the snapshot applied before the records counted as open. */
  caughtUp: number;
  ms: LoadTimings & { snapshot: number; catchUp: number; total: number };
}

/** A sequence as a number: PouchDB's local ones are numbers, CouchDB's start with one. */
function seqValue(seq: number | string): number {
  const value = typeof seq === 'number' ? seq : Number.parseInt(seq, 10);
  return Number.isNaN(value) ? Number.POSITIVE_INFINITY : value;
}

export class OpenRecords {
  readonly memory: PatientsInMemory;
  readonly report: OpenReport;
  readonly #options: OpenRecordsOptions;
  readonly #feed: ChangesFeed;
  #queue: Promise<void> = Promise.resolve();
  /** The sequence up to which every change is in memory (what a snapshot may claim). */
  #safeSeq: number | string;
  #frozen = false;
  /** The last sequence the feed delivered and was handled. */
  #reached: number | string;
  #waiters: { target: number; resolve: () => void }[] = [];
  #closed = false;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #dirtySince: number | null = null;
  #saving: Promise<void> = Promise.resolve();
  /** Counts the changes applied while opening (the catch-up after a snapshot). */
  #counting: (() => void) | null = null;

  private constructor(
    options: OpenRecordsOptions,
    memory: PatientsInMemory,
    since: number | string,
    report: OpenReport,
  ) {
    this.#options = options;
    this.memory = memory;
    this.report = report;
    this.#safeSeq = since;
    this.#reached = since;
    this.#feed = options.db.changes({ live: true, since, include_docs: true });
    this.#feed.on('change', (change) => {
      this.#queue = this.#queue.then(() => this.#apply(change));
    });
    // The feed ends with an error only when the database is closed or destroyed (erasing the device's data).
    this.#feed.on('error', () => this.#release(Number.POSITIVE_INFINITY));
  }

  /** Opens the facility's records (see the module comment); resolves once they are up to date with the database. */
  static async open(options: OpenRecordsOptions): Promise<OpenRecords> {
    const started = performance.now();
    const ms = { read: 0, decrypt: 0, index: 0, snapshot: 0, catchUp: 0, total: 0 };
    const { update_seq: target } = await options.db.info();
    // A snapshot is a cache: whatever goes wrong reading it, the records open from every document.
    const content = options.snapshot ? await readSnapshot(options).catch(() => null) : null;
    ms.snapshot = performance.now() - started;
    const holdsEpoch = async (epoch: number): Promise<boolean> =>
      (await options.keys.forEpoch(options.facilityId, epoch)) !== null;
    const memory = content
      ? await PatientsInMemory.restore(options.db, options.sealer, content, holdsEpoch, ms)
      : await PatientsInMemory.load(options.db, options.sealer, ms);
    const report: OpenReport = {
      source: content ? 'snapshot' : 'documents',
      passports: memory.size,
      caughtUp: 0,
      ms,
    };
    const state = new OpenRecords(options, memory, content?.seq ?? target, report);
    const catchUp = performance.now();
    let applied = 0;
    const count = (): void => void (applied += 1);
    state.#counting = count;
    await state.#whenReached(seqValue(target));
    state.#counting = null;
    report.caughtUp = applied;
    ms.catchUp = performance.now() - catchUp;
    ms.total = performance.now() - started;
    if ((report.source === 'documents' && memory.size > 0) || applied > 0) void state.saveSnapshot().catch(noop);
    return state;
  }

  /** Seals what is in memory now into the snapshot (after the changes being applied, if any). */
  saveSnapshot(): Promise<void> {
    const saving = this.#saving.catch(noop).then(() => this.#save());
    this.#saving = saving;
    return saving;
  }

  /** Stops following the database and drops everything decrypted. */
  close(): void {
    this.#closed = true;
    this.#feed.cancel();
    this.memory.clear();
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#release(Number.POSITIVE_INFINITY);
  }

  async #apply(change: DatabaseChange): Promise<void> {
    if (this.#closed) return;
    try {
      if (!this.#options.ownWrite(change)) {
        await this.memory.apply(change);
        this.#counting?.();
        if (!this.#closed) {
          this.#changedFromElsewhere();
          this.#options.changed();
        }
      }
      if (!this.#frozen) this.#safeSeq = change.seq;
    } catch {
      this.#frozen = true;
    }
    this.#reached = change.seq;
    this.#release(seqValue(change.seq));
  }

  #whenReached(target: number): Promise<void> {
    if (seqValue(this.#reached) >= target || this.#closed) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ target, resolve }));
  }

  #release(reached: number): void {
    const waiting = this.#waiters;
    this.#waiters = waiting.filter((waiter) => waiter.target > reached);
    for (const waiter of waiting) if (waiter.target <= reached) waiter.resolve();
  }

  #changedFromElsewhere(): void {
    if (!this.#options.snapshot) return;
    const now = performance.now();
    this.#dirtySince ??= now;
    if (this.#timer) clearTimeout(this.#timer);
    const delay = now - this.#dirtySince >= SNAPSHOT_MAX_WAIT_MS ? 0 : SNAPSHOT_DELAY_MS;
    this.#timer = setTimeout(() => void this.saveSnapshot().catch(noop), delay);
  }

  async #save(): Promise<void> {
    if (this.#closed || !this.#options.snapshot) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#dirtySince = null;
    const { db, keys, facilityId, login } = this.#options;
    const content = this.memory.content(this.#safeSeq);
    const current = await keys.current(facilityId);
    if (!current || this.#closed) return;
    const key = await snapshotKey(current.key, { facilityId, login }, current.epoch);
    const sealed = await sealSnapshot(key, { facilityId, login }, current.epoch, content);
    if (this.#closed) return;
    await writeSnapshotDoc(db, login, sealed);
  }
}

function noop(): void {
  // A snapshot that could not be written is made again later; the records stay open either way.
}

/** The stored snapshot opened with the current epoch's key, or null (none, another epoch, does not open). */
async function readSnapshot(options: OpenRecordsOptions): Promise<SnapshotContent | null> {
  const doc = await readSnapshotDoc(options.db, options.login);
  const epoch = snapshotEpoch(doc, options.facilityId);
  if (!doc || epoch === null) return null;
  const current = await options.keys.current(options.facilityId).catch(() => null);
  if (current?.epoch !== epoch) return null;
  const owner = { facilityId: options.facilityId, login: options.login };
  return openSnapshot(await snapshotKey(current.key, owner, epoch), owner, epoch, doc);
}
