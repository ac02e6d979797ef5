/**
 * What the records layer holds of a facility between unlock and lock: every passport it could open (decrypted),
 * the search index over their names (common/search), the pseudonymous records, and the latest scales from visits.
 * Kept current change by change, so a replicated passport does not rebuild the index. None of it is ever written
 * in readable form to IndexedDB, `_local` documents or the server (ARCHITECTURE.md, "Search"): `content()` hands it
 * only to the sealed search snapshot (search-snapshot.ts), and `restore` takes it back from there.
 */
import { DecryptionError } from '../../common/keys/errors.ts';
import { patientIdOf } from '../../common/records/visit.ts';
import { DEFAULT_SEARCH_LIMIT, PatientIndex, type PatientEntry } from '../../common/search/patient-index.ts';
import {
  rangeEnd,
  readAll,
  readRange,
  type DatabaseChange,
  type FacilityDatabase,
  type StoredDoc,
} from './facility-database.ts';
import type { FacilitySealer } from './facility-sealer.ts';
import { parseKeyId } from '../../common/keys/epoch-keys.ts';
import type { SnapshotContent } from './search-snapshot.ts';
import { byName, hasRecordFilters, passesFilter, summaryOf, withVisit, type LatestScales } from './patient-listing.ts';
import { NoFacilityKeyError, type PatientFilter, type PatientSummary } from './records-api.ts';
import type { PassportData, PatientRecord, Visit } from './records-types.ts';

/** A passport opened on this device: its document id and revision, and what it says. */
export interface OpenPassport {
  passportId: string;
  rev: string;
  data: PassportData;
  /** The epoch it is sealed under, when known. */
  epoch?: number;
}

/** How long each part of a full load took (ms), for the benchmarks: reading, decrypting, indexing. */
export interface LoadTimings {
  read: number;
  decrypt: number;
  index: number;
}

export const PASSPORT_PREFIX = 'passport:';
const PATIENT_PREFIX = 'patient:';
/**
 * Passports being decrypted at any moment: enough to keep WebCrypto busy, few enough not to hold thousands of
 * pending operations. Each lane takes the next passport as soon as its last one opened, so no batch waits for its
 * slowest member.
 */
const DECRYPT_LANES = 500;
/** Visits read per page for the latest scales: a facility holds many more visits than patients. */
const VISIT_PAGE = 5000;

function noop(): void {
  // A failed read of the visits is handled where it is awaited.
}

/** What the search index keeps of an opened passport. */
export function entryOf(data: PassportData): PatientEntry {
  return {
    id: data.patientId,
    surname: data.surname,
    name: data.name,
    ...(data.patronymic === undefined ? {} : { patronymic: data.patronymic }),
    birthDate: data.birthDate,
    ...(data.snils === undefined ? {} : { snils: data.snils }),
    ...(data.omsPolicy === undefined ? {} : { omsPolicy: data.omsPolicy }),
  };
}

/** What a decrypted passport must at least hold to be listed (its full check ran when it was written). */
function isPassportData(value: unknown): value is PassportData {
  if (typeof value !== 'object' || value === null) return false;
  const data = value as Record<string, unknown>;
  return (
    typeof data.patientId === 'string' &&
    typeof data.surname === 'string' &&
    typeof data.name === 'string' &&
    typeof data.birthDate === 'string'
  );
}

/** A stored passport opened, or null when it does not open on this device (no key of its epoch, or damaged). */
export async function openPassport(sealer: FacilitySealer, doc: StoredDoc): Promise<OpenPassport | null> {
  if (doc._deleted === true || typeof doc._rev !== 'string') return null;
  try {
    const data = await sealer.open(doc._id, [], doc);
    if (!isPassportData(data)) return null;
    // The sealer checked that the kid names this facility: it opened with that epoch's key.
    const epoch = parseKeyId(doc.kid)?.epoch;
    return { passportId: doc._id, rev: doc._rev, data, ...(epoch === undefined ? {} : { epoch }) };
  } catch (error) {
    if (error instanceof DecryptionError || error instanceof NoFacilityKeyError) return null;
    throw error;
  }
}

export async function visitsOf(db: FacilityDatabase, patientId: string): Promise<Visit[]> {
  const prefix = `visit:${patientId}:`;
  const { rows } = await db.allDocs({ include_docs: true, startkey: prefix, endkey: rangeEnd(prefix) });
  return rows.flatMap((row) => (row.doc && row.doc.type === 'visit' ? [row.doc as unknown as Visit] : []));
}

export class PatientsInMemory {
  readonly #db: FacilityDatabase;
  readonly #sealer: FacilitySealer;
  readonly #passports = new Map<string, OpenPassport>();
  readonly #patientOfPassport = new Map<string, string>();
  readonly #records = new Map<string, PatientRecord>();
  #index = new PatientIndex();
  /** Latest scales per patient, read on the first listing that needs them. */
  #latest: Promise<Map<string, LatestScales>> | null = null;
  /** The same once read (what a snapshot keeps). */
  #latestRead: Map<string, LatestScales> | null = null;
  readonly #unreadable = new Set<string>();

  private constructor(db: FacilityDatabase, sealer: FacilitySealer) {
    this.#db = db;
    this.#sealer = sealer;
  }

  /**
   * Decrypts every passport of the database and reads every record. Each range is read at once, both asked for
   * together: in the browser straight from IndexedDB, mostly in one `getAll` (idb-range.ts), and pages cost more
   * than they save (measured in Chromium: 10,000 passports in pages of 1,000 took twice as long; asking for the
   * records only after the passports, to overlap them with decryption, was slower too, because decryption and the
   * adapter share the main thread). Each epoch's content key is derived once (facility-sealer.ts).
   */
  static async load(db: FacilityDatabase, sealer: FacilitySealer, timings?: LoadTimings): Promise<PatientsInMemory> {
    const memory = new PatientsInMemory(db, sealer);
    let mark = performance.now();
    const lap = (part: keyof LoadTimings): void => {
      const now = performance.now();
      if (timings) timings[part] += now - mark;
      mark = now;
    };
    await sealer.currentEpoch().catch(() => undefined);
    const records = readAll(db, PATIENT_PREFIX);
    const passports = await readAll(db, PASSPORT_PREFIX);
    lap('read');
    const opened = new Array<OpenPassport | null>(passports.length);
    let next = 0;
    const lane = async (): Promise<void> => {
      for (let at = next++; at < passports.length; at = next++) {
        const doc = passports[at];
        opened[at] = doc ? await openPassport(sealer, doc) : null;
      }
    };
    await Promise.all(Array.from({ length: Math.min(DECRYPT_LANES, passports.length) }, lane));
    const entries: PatientEntry[] = [];
    opened.forEach((passport, i) => {
      if (passport) {
        memory.#hold(passport);
        entries.push(entryOf(passport.data));
      } else {
        memory.#unreadable.add(passports[i]?._id ?? '');
      }
    });
    lap('decrypt');
    memory.#index = new PatientIndex(entries);
    lap('index');
    for (const doc of await records) memory.setRecord(doc as unknown as PatientRecord);
    lap('read');
    return memory;
  }

  /**
   * Memory as a sealed snapshot left it (search-snapshot.ts). Passports sealed under an epoch this device no longer
   * holds a key of count as unreadable, as a full load would find them; those that did not open then are tried again.
   */
  static async restore(
    db: FacilityDatabase,
    sealer: FacilitySealer,
    content: SnapshotContent,
    holdsEpoch: (epoch: number) => Promise<boolean>,
    timings?: LoadTimings,
  ): Promise<PatientsInMemory> {
    const memory = new PatientsInMemory(db, sealer);
    let mark = performance.now();
    const epochs = new Map<number, boolean>();
    for (const passport of content.passports) {
      if (passport.epoch !== null && !epochs.has(passport.epoch)) {
        epochs.set(passport.epoch, await holdsEpoch(passport.epoch));
      }
    }
    const entries: PatientEntry[] = [];
    for (const { passportId, rev, epoch, data } of content.passports) {
      if (epoch !== null && epochs.get(epoch) !== true) {
        memory.#unreadable.add(passportId);
        continue;
      }
      memory.#hold({ passportId, rev, data, ...(epoch === null ? {} : { epoch }) });
      entries.push(entryOf(data));
    }
    for (const record of content.records) memory.setRecord(record);
    if (content.latest) memory.#setLatest(new Map(content.latest));
    const retry = content.unreadable.filter((id) => id.startsWith(PASSPORT_PREFIX));
    if (retry.length > 0) {
      const { rows } = await db.allDocs({ keys: retry, include_docs: true });
      for (const row of rows) {
        const passport = row.doc ? await openPassport(sealer, row.doc) : null;
        if (passport) {
          memory.#hold(passport);
          entries.push(entryOf(passport.data));
        } else if (row.doc) memory.#unreadable.add(row.id);
      }
    }
    if (timings) timings.decrypt += performance.now() - mark;
    mark = performance.now();
    memory.#index = new PatientIndex(entries);
    if (timings) timings.index += performance.now() - mark;
    return memory;
  }

  /** What a snapshot keeps of this memory at database sequence `seq` (taken at once, so it is consistent). */
  content(seq: number | string): SnapshotContent {
    return {
      seq,
      passports: [...this.#passports.values()].map(({ passportId, rev, data, epoch }) => ({
        passportId,
        rev,
        epoch: epoch ?? null,
        data,
      })),
      unreadable: [...this.#unreadable],
      records: [...this.#records.values()],
      latest: this.#latestRead ? [...this.#latestRead] : null,
    };
  }

  /** How many passports are held open. */
  get size(): number {
    return this.#passports.size;
  }

  /** Passports that did not open on this device (their ids). */
  get unreadable(): string[] {
    return [...this.#unreadable];
  }

  passport(patientId: string): OpenPassport | undefined {
    return this.#passports.get(patientId);
  }

  /** Holds a passport (new or changed) and files it in the search index. */
  holdPassport(passport: OpenPassport): void {
    this.#hold(passport);
    this.#index.update(entryOf(passport.data));
  }

  setRecord(record: PatientRecord): void {
    this.#records.set(record._id.slice(PATIENT_PREFIX.length), record);
  }

  /** Takes a visit just written into the latest scales (when they have been read). */
  async addVisit(patientId: string, visit: Visit): Promise<void> {
    if (!this.#latest) return;
    const latest = await this.#latest;
    latest.set(patientId, withVisit(latest.get(patientId), visit));
  }

  /** Applies one change reported by the database's feed. */
  async apply(change: DatabaseChange): Promise<void> {
    const type = change.id.split(':')[0];
    const doc = change.deleted === true ? undefined : change.doc;
    if (type === 'passport') {
      const patientId = this.#patientOfPassport.get(change.id);
      if (!doc) {
        if (patientId === undefined) return;
        this.#passports.delete(patientId);
        this.#patientOfPassport.delete(change.id);
        this.#index.remove(patientId);
        return;
      }
      const passport = await openPassport(this.#sealer, doc);
      if (passport) this.holdPassport(passport);
      else this.#unreadable.add(change.id);
    } else if (type === 'patient') {
      if (doc) this.setRecord(doc as unknown as PatientRecord);
      else this.#records.delete(change.id.slice(PATIENT_PREFIX.length));
    } else if (type === 'visit') {
      const patientId = patientIdOf(change.id);
      if (patientId !== null) await this.#refreshLatest(patientId);
    }
  }

  /** The patient list: text through the search index, then the record filters (patient-listing.ts). */
  async list(filter: PatientFilter, today: string): Promise<PatientSummary[]> {
    const latest = await this.#latestScales();
    const text = filter.text?.trim() ?? '';
    const limit = filter.limit ?? Number.POSITIVE_INFINITY;
    // With record filters the search must not stop at its usual count: the filters may drop its best hits.
    const searchLimit = hasRecordFilters(filter) ? this.#index.size : Math.min(limit, DEFAULT_SEARCH_LIMIT * 4);
    const patientIds =
      text === '' ? [...this.#passports.keys()] : this.#index.search(text, { limit: searchLimit }).map((hit) => hit.id);
    const summaries: PatientSummary[] = [];
    for (const patientId of patientIds) {
      const passport = this.#passports.get(patientId);
      const record = this.#records.get(patientId);
      if (!passport || !record) continue;
      const summary = summaryOf(passport.data, record, latest.get(patientId), today);
      if (passesFilter(summary, record, filter, today)) summaries.push(summary);
    }
    if (text === '') summaries.sort(byName);
    return summaries.slice(0, limit);
  }

  /** Drops everything decrypted. */
  clear(): void {
    this.#passports.clear();
    this.#patientOfPassport.clear();
    this.#records.clear();
    this.#index = new PatientIndex();
    this.#latest = null;
    this.#latestRead = null;
    this.#unreadable.clear();
  }

  #setLatest(latest: Map<string, LatestScales>): void {
    this.#latest = Promise.resolve(latest);
    this.#latestRead = latest;
  }

  #hold(passport: OpenPassport): void {
    const previous = this.#passports.get(passport.data.patientId);
    if (previous && previous.passportId !== passport.passportId) this.#patientOfPassport.delete(previous.passportId);
    this.#passports.set(passport.data.patientId, passport);
    this.#patientOfPassport.set(passport.passportId, passport.data.patientId);
    this.#unreadable.delete(passport.passportId);
  }

  #latestScales(): Promise<Map<string, LatestScales>> {
    if (this.#latest) return this.#latest;
    const loading = (async () => {
      const latest = new Map<string, LatestScales>();
      await readRange(
        this.#db,
        'visit:',
        (docs) => {
          for (const doc of docs) {
            const patientId = patientIdOf(doc._id);
            if (patientId !== null && typeof doc.date === 'string') {
              latest.set(patientId, withVisit(latest.get(patientId), doc as unknown as Visit));
            }
          }
        },
        VISIT_PAGE,
      );
      return latest;
    })();
    this.#latest = loading;
    void loading.then((latest) => {
      if (this.#latest === loading) this.#latestRead = latest;
    }, noop);
    // A failed read is asked again by the next listing rather than remembered.
    void loading.catch(() => {
      if (this.#latest === loading) this.#latest = null;
    });
    return loading;
  }

  async #refreshLatest(patientId: string): Promise<void> {
    if (!this.#latest) return;
    const latest = await this.#latest;
    let scales: LatestScales | undefined;
    for (const visit of await visitsOf(this.#db, patientId)) scales = withVisit(scales, visit);
    if (scales) latest.set(patientId, scales);
    else latest.delete(patientId);
  }
}
