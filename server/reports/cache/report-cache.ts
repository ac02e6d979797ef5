/**
 * The summary report's rows, kept by the service itself and brought up to date from each facility database's
 * `_changes` feed, so that a report never waits for a view. The embedded store re-reads a whole view range on every
 * query and builds a view in a pass over the whole database (minutes at a million prescriptions); following
 * `_changes` costs a request per facility when nothing changed and reads only what did.
 *
 * How it follows a database: a normal (not continuous: the embedded store's continuous feed stalls behind
 * compression) `_changes` request from the saved sequence, as the store's administrator, in pages; ids of
 * patients, visits and prescriptions that changed are then read with `_all_docs?include_docs` — a passport or any
 * other document is never fetched — and each document's row (document-row.ts: the report view's own map function)
 * replaces the row it gave before, or removes it when the document was deleted or no longer gives one. A
 * cancelled prescription, a changed status history or a source record marked "transferred" is thus replaced, not
 * added. A facility read for the first time (or again) is read by id ranges instead (`readAll`), then followed from
 * the sequence taken before. A database whose sequence went back (recreated, restored from a backup) is read again
 * from the start.
 *
 * "Up to date" means: a report includes every change the store had made before the report was asked for. Each
 * report catches up every facility it covers first; a catch-up that was already running when the report came in
 * is not enough (it may have read the feed before the write), so the report waits for one that starts after it.
 * Writes that land while a report is being computed may or may not be in it.
 *
 * Rows are saved per facility under `DATA_DIR/report-cache/` (cache-file.ts) a little after they change and when
 * the register stops; a restart loads them and reads only the changes since. A damaged, foreign or outdated file,
 * or one saved from another copy of the store (its generation marker, server/store-generation.ts, changes with a
 * restore from backup), is left unused and the facility is read again from the start. `stats` counts full reads,
 * documents read and files loaded, so tests and benchmarks can see which happened.
 *
 * Memory: at 20 facilities, 106,000 patient records, 308,000 visits and 1,036,000 prescriptions the rows take about
 * 360–390 MiB of heap (measured, bench/report-cache/): prescriptions and visits in typed columns plus their ids,
 * patient records as parsed rows.
 */
import { facilityDatabase } from '../../../common/roles.ts';
import { SETTINGS_DB } from '../../../couch/databases.ts';
import { STORE_GENERATION_ID } from '../../store-generation.ts';
import type { StoreClient } from '../../store-client.ts';
import type { FacilityRows } from '../report-rows.ts';
import type { ReportPeriod } from '../figures.ts';
import { CacheFileRefused, readCacheFile, writeCacheFile } from './cache-file.ts';
import { documentRow, isReportDocumentId, REPORT_KINDS } from './document-row.ts';
import { FacilityRowStore } from './facility-rows.ts';

export interface ReportCacheOptions {
  /** Where rows are saved between runs; null keeps them in memory only. */
  directory: string | null;
  log?: (line: string) => void;
  /** Changes read per `_changes` request. */
  batchSize?: number;
  /** How long after a change the rows are saved (later changes within it are saved together). */
  saveDelayMs?: number;
}

export interface ReportCacheStats {
  /** Facilities read from the start of their `_changes` feed (first time, damaged file, database recreated). */
  fullReads: number;
  /** Facilities whose saved rows were loaded from disk and used. */
  filesLoaded: number;
  /** Saved files left unused because they were damaged, of another version or of another view. */
  filesRefused: number;
  filesSaved: number;
  /** `_changes` entries seen and report documents fetched, over all facilities. */
  changesRead: number;
  documentsRead: number;
}

interface Facility {
  id: string;
  rows: FacilityRowStore;
  /** The sequence the rows are complete up to (opaque: a number on the embedded store, a string on CouchDB). */
  seq: unknown;
  /** Changed since last saved. */
  dirty: boolean;
  /** Goes up whenever a row changes: equal versions, equal rows. */
  version: number;
  /** The last catch-up or save, in order; each waits for the one before. */
  queue: Promise<void>;
  /** A catch-up queued but not started yet, which a new caller may join. */
  waiting: Promise<void> | null;
  saveTimer: NodeJS.Timeout | null;
  /** When the database's own sequence was last compared with ours (ms since the epoch; 0: never). */
  checkedAt: number;
}

interface Change {
  id: string;
  deleted?: boolean;
}

const SEQUENCE_CHECK_MS = 60_000;

/** The numeric part of a sequence (`123` or `123-g1AAAA…`), to notice one that went back. */
function seqNumber(seq: unknown): number {
  const number = Number.parseInt(String(seq), 10);
  return Number.isFinite(number) ? number : 0;
}

export class ReportCache {
  private readonly facilities = new Map<string, Facility>();
  private readonly log: (line: string) => void;
  private readonly batchSize: number;
  private readonly saveDelayMs: number;
  private stopped = false;
  private generation: Promise<string | null> | null = null;
  readonly stats: ReportCacheStats = {
    fullReads: 0,
    filesLoaded: 0,
    filesRefused: 0,
    filesSaved: 0,
    changesRead: 0,
    documentsRead: 0,
  };

  constructor(
    private readonly store: StoreClient,
    private readonly options: ReportCacheOptions,
  ) {
    this.log = options.log ?? (() => undefined);
    this.batchSize = options.batchSize ?? 2_000;
    this.saveDelayMs = options.saveDelayMs ?? 30_000;
  }

  /** The rows of each facility for `period`, after catching up with every change made before the call. */
  async rowsFor(facilityIds: readonly string[], period: ReportPeriod): Promise<FacilityRows[]> {
    await this.catchUp(facilityIds);
    return this.rowsHeld(facilityIds, period);
  }

  /** The rows held now, without catching up (after `catchUp`, in the same synchronous step as `versions`). */
  rowsHeld(facilityIds: readonly string[], period: ReportPeriod): FacilityRows[] {
    return facilityIds.map((id) => this.facility(id).rows.rowsFor(period));
  }

  /** The version of each facility's rows now: the same versions mean the same rows. */
  versions(facilityIds: readonly string[]): number[] {
    return facilityIds.map((id) => this.facility(id).version);
  }

  /** Brings the rows of each facility up to date (in the background after start-up, and every few minutes). */
  async catchUp(facilityIds: readonly string[]): Promise<void> {
    // Stopping: what is held is all there will be (and no facility starts loading behind `stop`'s back).
    if (this.stopped) return;
    await Promise.all(facilityIds.map((id) => this.catchUpOne(this.facility(id))));
  }

  /** Rows held per facility, for the log and for tests. */
  counts(): Record<string, ReturnType<FacilityRowStore['counts']> & { seq: unknown }> {
    return Object.fromEntries([...this.facilities].map(([id, f]) => [id, { ...f.rows.counts(), seq: f.seq }]));
  }

  /** Waits for running work and saves what changed; later catch-ups do nothing (reports get the rows held). */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(
      [...this.facilities.values()].map(async (facility) => {
        if (facility.saveTimer) clearTimeout(facility.saveTimer);
        facility.saveTimer = null;
        await facility.queue;
        if (facility.dirty) await this.save(facility);
      }),
    );
  }

  private facility(id: string): Facility {
    let facility = this.facilities.get(id);
    if (!facility) {
      facility = {
        id,
        rows: new FacilityRowStore(id),
        seq: 0,
        dirty: false,
        version: 0,
        queue: Promise.resolve(),
        waiting: null,
        saveTimer: null,
        checkedAt: 0,
      };
      const created = facility;
      created.queue = this.load(created).catch((error: unknown) => this.failed(created, 'loading', error));
      this.facilities.set(id, facility);
    }
    return facility;
  }

  private failed(facility: Facility, what: string, error: unknown): void {
    this.log(`report cache: ${what} ${facility.id} failed: ${error instanceof Error ? error.message : String(error)}`);
  }

  /** Joins a catch-up that has not started yet, or queues a new one behind whatever runs now. */
  private catchUpOne(facility: Facility): Promise<void> {
    // Stopping: what is held is all there will be.
    if (this.stopped) return Promise.resolve();
    if (facility.waiting) return facility.waiting;
    const run = facility.queue.then(() => {
      facility.waiting = null;
      return this.pull(facility);
    });
    facility.waiting = run;
    // The queue goes on after a failed catch-up; the caller still sees the failure.
    facility.queue = run.catch(() => undefined);
    return run;
  }

  /** The store's generation marker: rows saved from another copy of the store (before a restore) are not used. */
  private storeGeneration(): Promise<string | null> {
    this.generation ??= this.store
      .getDoc<{ generation?: unknown }>(SETTINGS_DB, STORE_GENERATION_ID)
      .then((doc) => (typeof doc?.generation === 'string' ? doc.generation : null))
      .catch((error: unknown) => {
        // Asked again next time: the store may only have been away for a moment.
        this.generation = null;
        throw error;
      });
    return this.generation;
  }

  private async load(facility: Facility): Promise<void> {
    const directory = this.options.directory;
    if (directory === null) return;
    try {
      const saved = await readCacheFile(directory, facility.id);
      if (saved === null) return;
      if (saved.generation !== (await this.storeGeneration()))
        throw new CacheFileRefused('it was read from another copy of the store (before a restore)');
      facility.rows = FacilityRowStore.fromSnapshot(facility.id, saved.snapshot);
      facility.seq = saved.seq;
      this.stats.filesLoaded += 1;
    } catch (error) {
      if (!(error instanceof CacheFileRefused) && !(error instanceof SyntaxError)) throw error;
      this.stats.filesRefused += 1;
      this.log(`report cache: the saved rows of ${facility.id} are not used (${error.message}); reading them again`);
    }
  }

  /** Reads the changes since the facility's sequence, page by page, and applies them. */
  private async pull(facility: Facility): Promise<void> {
    const database = `/${facilityDatabase(facility.id)}`;
    // A database recreated or restored from a backup starts its sequence again: compared at most once a minute
    // (and at the first catch-up), since a report should not pay a request per facility for it.
    if (Date.now() - facility.checkedAt > SEQUENCE_CHECK_MS) {
      const info = await this.store.request<{ update_seq?: unknown }>('GET', database);
      if (info.status === 404) {
        // No database (yet): nothing to report. If there was one, what it held is gone.
        if (seqNumber(facility.seq) !== 0) this.reset(facility);
        return;
      }
      facility.checkedAt = Date.now();
      if (seqNumber(info.body.update_seq) < seqNumber(facility.seq)) {
        this.log(`report cache: the sequence of ${facility.id} went back; reading it again`);
        this.reset(facility);
      }
    }
    if (seqNumber(facility.seq) === 0) {
      this.stats.fullReads += 1;
      await this.readAll(facility, database);
    }
    for (;;) {
      const since = encodeURIComponent(String(facility.seq));
      const page = await this.store.expect<{ results: Change[]; last_seq: unknown }>(
        'GET',
        `${database}/_changes?since=${since}&limit=${this.batchSize}`,
        undefined,
        [404],
      );
      if (page.status === 404) {
        if (seqNumber(facility.seq) !== 0) this.reset(facility);
        return;
      }
      const { results, last_seq: lastSeq } = page.body;
      this.stats.changesRead += results.length;
      const wanted = results.filter((change) => isReportDocumentId(change.id));
      for (const change of wanted) if (change.deleted) facility.rows.apply(change.id, null);
      const fetch = wanted.filter((change) => !change.deleted).map((change) => change.id);
      if (fetch.length > 0) {
        const docs = await this.store.expect<{ rows: { key: string; doc?: unknown }[] }>(
          'POST',
          `${database}/_all_docs?include_docs=true`,
          { keys: fetch },
        );
        this.stats.documentsRead += docs.body.rows.length;
        for (const row of docs.body.rows) facility.rows.apply(row.key, row.doc ? documentRow(row.doc) : null);
      }
      if (wanted.length > 0) facility.version += 1;
      if (results.length > 0) this.changed(facility);
      facility.seq = lastSeq;
      if (results.length < this.batchSize) return;
    }
  }

  /**
   * Reads a facility from the start: the three id ranges of patients, visits and prescriptions in order (a passport
   * is outside them), which the store reads sequentially, instead of every change and every document by id. The
   * sequence is taken before the ranges are read, so the changes that follow it — written during the read — are
   * applied afterwards again; applying a document twice leaves the same row.
   */
  private async readAll(facility: Facility, database: string): Promise<void> {
    const info = await this.store.expect<{ update_seq: unknown }>('GET', database, undefined);
    for (const kind of REPORT_KINDS) {
      let startkey = `${kind}:`;
      let skip = 0;
      const endkey = JSON.stringify(`${kind}:\ufff0`);
      for (;;) {
        const page = await this.store.expect<{ rows: { id: string; doc?: unknown }[] }>(
          'GET',
          `${database}/_all_docs?include_docs=true&limit=${this.batchSize}&skip=${skip}` +
            `&startkey=${encodeURIComponent(JSON.stringify(startkey))}&endkey=${encodeURIComponent(endkey)}`,
          undefined,
        );
        const rows = page.body.rows;
        this.stats.documentsRead += rows.length;
        for (const row of rows) facility.rows.apply(row.id, documentRow(row.doc));
        const last = rows[rows.length - 1];
        if (!last || rows.length < this.batchSize) break;
        // The next page starts just after the last id read (CouchDB's way of paging a range).
        startkey = last.id;
        skip = 1;
      }
    }
    facility.seq = info.body.update_seq;
    facility.version += 1;
    this.changed(facility);
  }

  private reset(facility: Facility): void {
    facility.checkedAt = 0;
    facility.version += 1;
    facility.rows = new FacilityRowStore(facility.id);
    facility.seq = 0;
    this.changed(facility);
  }

  /** Marks the facility changed and saves it a little later (changes close together are saved once). */
  private changed(facility: Facility): void {
    facility.dirty = true;
    if (facility.saveTimer || this.options.directory === null || this.stopped) return;
    facility.saveTimer = setTimeout(() => {
      facility.saveTimer = null;
      facility.queue = facility.queue
        .then(() => this.save(facility))
        .catch((error: unknown) => this.failed(facility, 'saving', error));
    }, this.saveDelayMs);
    facility.saveTimer.unref();
  }

  private async save(facility: Facility): Promise<void> {
    const directory = this.options.directory;
    if (directory === null || !facility.dirty) return;
    // The snapshot and its sequence are taken together, before anything else can change the rows.
    const seq = facility.seq;
    const snapshot = facility.rows.snapshot();
    facility.dirty = false;
    try {
      await writeCacheFile(directory, facility.id, seq, snapshot, await this.storeGeneration());
      this.stats.filesSaved += 1;
    } catch (error) {
      facility.dirty = true;
      throw error;
    }
  }
}

const caches = new WeakMap<StoreClient, ReportCache>();

/** Makes the report cache of the register that uses `store` and registers it for the report routes. */
export function startReportCache(store: StoreClient, options: ReportCacheOptions): ReportCache {
  const cache = new ReportCache(store, options);
  caches.set(store, cache);
  return cache;
}

/** The report cache of the register that uses `store`, if one was started. */
export function reportCacheOf(store: StoreClient): ReportCache | null {
  return caches.get(store) ?? null;
}
