/**
 * One facility's patients, visits and prescriptions on this device, for the signed-in member (records-api.ts is
 * the contract; ARCHITECTURE.md, "Documents", "Keys", "Search").
 *
 * What it guarantees, and how:
 * - Nothing identifying reaches the database in readable form. A passport is sealed whole into
 *   `passport:<uuid>` = `{_id, _rev, type, v, kid, iv, ct}`; free text of records, visits and prescriptions
 *   (status notes, visit notes, prescription numbers, cancellation reasons) is sealed field by field, bound to its
 *   document and field (common/keys/sealed-fields.ts). Patient ids are random UUIDs, so the record
 *   `patient:<patientId>` names nobody.
 * - Every document is checked with common/records before `put`, with the very functions the facility design
 *   document runs, so what the store would refuse is refused here first, each problem naming its field. The two
 *   authority rules a member meets every day are checked here too: a patient registered by someone who is not a
 *   doctor starts as `pending`, and only doctors write prescriptions.
 * - Every write seals anew whatever the document still holds under an older epoch, so documents leave a retired
 *   epoch as they are touched (the design document refuses retired epochs).
 * - Decrypted passports live in memory only, from `open()` to `close()`: the search index (common/search) is built
 *   there, and nothing decrypted is written to IndexedDB, `_local` documents, the console or the server.
 * - Opening a passport and every write leave a device-side audit event (`audit:<login>:<time>:<uuid>`) that holds
 *   ids, revisions and flags only.
 */
import { can } from '../../common/roles.ts';
import type { ReferenceLookups } from '../../common/records/checks.ts';
import { validatePassportData, validatePassportDoc } from '../../common/records/passport.ts';
import { validatePatientRecord } from '../../common/records/patient.ts';
import { validatePrescription } from '../../common/records/prescription.ts';
import { validateVisit } from '../../common/records/visit.ts';
import { findSealedValues, withSealedValue } from '../../common/keys/sealed-fields.ts';
import {
  getOrNull,
  rangeEnd,
  readAll,
  type ChangesFeed,
  type DatabaseChange,
  type FacilityDatabase,
  type StoredDoc,
} from './facility-database.ts';
import { DocumentWriter, RecordNotFoundError } from './document-writer.ts';
import { FacilitySealer, type FacilityKeySource } from './facility-sealer.ts';
import { patientFileOf, prescriptionViewOf, visitViewOf } from './record-views.ts';
import { PASSPORT_PREFIX, PatientsInMemory, openPassport, visitsOf, type OpenPassport } from './patients-in-memory.ts';
import {
  newPatientRecord,
  newPrescription,
  newVisit,
  passportDataOf,
  prefixed,
  statusEntryOf,
  updatedPatientRecord,
  withHistoryEntry,
  type Writer,
} from './record-documents.ts';
import { matchesPrescription, type MedicamentLookup } from './prescription-filter.ts';
import {
  RecordValidationError,
  type FacilityRecords,
  type PatientFile,
  type PatientFilter,
  type PatientInput,
  type PatientSummary,
  type PrescriptionFilter,
  type PrescriptionInput,
  type PrescriptionView,
  type StatusChange,
  type ValidationError,
  type VisitInput,
  type VisitView,
} from './records-api.ts';
import type { PassportData, PatientRecord, Prescription, Visit } from './records-types.ts';
import type {
  OpenedDoc,
  OpenedValue,
  PatientExport,
  SealedTransfer,
  TransferCopies,
  TransferStatus,
} from './transfer.ts';

export type { FacilityKeySource } from './facility-sealer.ts';
export type { FacilityDatabase } from './facility-database.ts';
export { RecordNotFoundError } from './document-writer.ts';

export interface FacilityRepositoryDeps {
  facilityId: string;
  /** The signed-in member. */
  login: string;
  /** Their CouchDB roles (`doctor`, `nurse`, `facility:<id>`…). */
  roles: readonly string[];
  /** The local replica of `facility-<id>` (local-databases.ts names it). */
  db: FacilityDatabase;
  keys: FacilityKeySource;
  /** The device's date, `YYYY-MM-DD` (from `now` unless given). */
  today?: () => string;
  now?: () => Date;
  /** A random device label for audit events (never a name). */
  device?: string;
  /** What the reference books know, for checks of diagnoses, districts and medicaments. */
  lookups?: ReferenceLookups;
  /** Medicaments of the reference books, for prescription filters by name, ATC code and opioid class. */
  medicamentOf?: MedicamentLookup;
}

/** The records are closed (locked): nothing decrypted is held, so nothing can be listed or opened. */
export class RecordsClosedError extends Error {
  override name = 'RecordsClosedError';
  constructor() {
    super('The facility records are closed; open them after unlocking.');
  }
}

/** What is held while open; replaced as a whole, so a late answer for a closed state changes nothing. */
interface OpenState {
  memory: PatientsInMemory;
  feed: ChangesFeed;
  /** Changes from the feed, applied one after another. */
  queue: Promise<void>;
}

function localDate(date: Date): string {
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function refuse(problems: ValidationError[]): void {
  if (problems.length > 0) throw new RecordValidationError(problems);
}

/**
 * @fires change - after any document of the facility changed, by a local write or by replication
 */
export class FacilityRepository extends EventTarget implements FacilityRecords {
  readonly facilityId: string;
  readonly #login: string;
  readonly #roles: readonly string[];
  readonly #db: FacilityDatabase;
  readonly #sealer: FacilitySealer;
  readonly #now: () => Date;
  readonly #today: () => string;
  readonly #writes: DocumentWriter;
  readonly #lookups: ReferenceLookups;
  readonly #medicamentOf: MedicamentLookup | undefined;
  #state: OpenState | null = null;
  #opening: Promise<OpenState> | null = null;

  constructor(deps: FacilityRepositoryDeps) {
    super();
    this.facilityId = deps.facilityId;
    this.#login = deps.login;
    this.#roles = deps.roles;
    this.#db = deps.db;
    this.#sealer = new FacilitySealer(deps.facilityId, deps.keys);
    this.#now = deps.now ?? (() => new Date());
    this.#today = deps.today ?? (() => localDate(this.#now()));
    this.#writes = new DocumentWriter(deps.db, () => this.#writer(), deps.device);
    this.#lookups = deps.lookups ?? {};
    this.#medicamentOf = deps.medicamentOf;
  }

  get #isDoctor(): boolean {
    return this.#roles.includes('doctor');
  }

  /** Passports of this facility that did not open on this device while open (their ids). */
  get unreadablePassports(): string[] {
    return this.#state?.memory.unreadable ?? [];
  }

  // ---- open / close ----

  async open(): Promise<void> {
    if (this.#state) return;
    const opening = (this.#opening ??= this.#load());
    let state: OpenState;
    try {
      state = await opening;
    } catch (error) {
      if (this.#opening === opening) this.#opening = null;
      throw error;
    }
    if (this.#state === state) return;
    if (this.#opening !== opening) {
      // Closed (locked) while it was opening: what was decrypted is dropped at once.
      state.feed.cancel();
      state.memory.clear();
      return;
    }
    this.#opening = null;
    this.#state = state;
    this.#writes.remember = true;
  }

  close(): void {
    const state = this.#state;
    this.#state = null;
    this.#opening = null;
    state?.feed.cancel();
    state?.memory.clear();
    this.#writes.remember = false;
    this.#writes.forget();
    this.#sealer.clear();
  }

  async #load(): Promise<OpenState> {
    const { update_seq: since } = await this.#db.info();
    const memory = await PatientsInMemory.load(this.#db, this.#sealer);
    // Changes since the snapshot began: what arrived while reading is applied again, which changes nothing.
    const feed = this.#db.changes({ live: true, since, include_docs: true });
    const state: OpenState = { memory, feed, queue: Promise.resolve() };
    feed.on('change', (change) => {
      // A change that fails to apply (its visits could not be read) leaves the list as it was until the next one.
      state.queue = state.queue.then(() => this.#applyChange(state, change)).catch(() => undefined);
    });
    // The feed ends with an error only when the database is closed or destroyed (erasing the device's data).
    feed.on('error', () => undefined);
    return state;
  }

  async #applyChange(state: OpenState, change: DatabaseChange): Promise<void> {
    if (this.#state !== state) return;
    // This repository's own writes are in memory already and were announced when written.
    if (this.#writes.wrote(change.id, change.doc?._rev)) return;
    await state.memory.apply(change);
    if (this.#state === state) this.dispatchEvent(new Event('change'));
  }

  #requireOpen(): OpenState {
    if (!this.#state) throw new RecordsClosedError();
    return this.#state;
  }

  // ---- patients ----

  async listPatients(filter: PatientFilter = {}): Promise<PatientSummary[]> {
    return this.#requireOpen().memory.list(filter, this.#today());
  }

  async openPatient(patientId: string): Promise<PatientFile> {
    const state = this.#requireOpen();
    const passport = state.memory.passport(patientId);
    const record = await this.#readRecord(patientId);
    if (!passport || !record) throw new RecordNotFoundError(`No patient ${patientId} on this device.`);
    await this.#writes.audit('passport-opened', { docId: passport.passportId, rev: passport.rev });
    return patientFileOf(this.#sealer, passport, record);
  }

  async createPatient(input: PatientInput): Promise<PatientFile> {
    const state = this.#requireOpen();
    const today = this.#today();
    const writer = this.#writer();
    const patientId = crypto.randomUUID();
    const data = passportDataOf(patientId, input.passport);
    const record = newPatientRecord(patientId, input, this.#isDoctor, writer);
    refuse([
      ...prefixed('passport', validatePassportData(data, today)),
      ...prefixed('record', validatePatientRecord(record, today, this.#lookups)),
    ]);
    const passportId = `${PASSPORT_PREFIX}${crypto.randomUUID()}`;
    const passportDoc = await this.#sealPassport(passportId, undefined, data);
    const storedRecord = await this.#writes.put(record);
    const storedPassport = await this.#writes.put(passportDoc);
    const opened: OpenPassport = { passportId, rev: storedPassport._rev, data };
    state.memory.setRecord(storedRecord);
    state.memory.holdPassport(opened);
    await this.#writes.audit('created', { docId: storedRecord._id, rev: storedRecord._rev });
    await this.#writes.audit('created', { docId: passportId, rev: storedPassport._rev });
    this.#changed();
    return patientFileOf(this.#sealer, opened, storedRecord);
  }

  async updatePatient(patientId: string, input: PatientInput, on: string): Promise<PatientFile> {
    const state = this.#requireOpen();
    const today = this.#today();
    const held = state.memory.passport(patientId);
    if (!held) throw new RecordNotFoundError(`No patient ${patientId} on this device.`);
    const data = passportDataOf(patientId, input.passport);
    const stored = await this.#writes.update<PatientRecord>(`patient:${patientId}`, async (current) => {
      const record = updatedPatientRecord(current, input, on, this.#writer());
      refuse([
        ...prefixed('passport', validatePassportData(data, today)),
        ...prefixed('record', validatePatientRecord(record, today, this.#lookups)),
      ]);
      return this.#sealer.resealOlder(record);
    });
    await this.#writes.audit('changed', { docId: stored._id, rev: stored._rev });
    const passport = await this.#writePassport(state, held, data);
    state.memory.setRecord(stored);
    this.#changed();
    return patientFileOf(this.#sealer, passport, stored);
  }

  async changeStatus(patientId: string, change: StatusChange): Promise<PatientFile> {
    const state = this.#requireOpen();
    const today = this.#today();
    const held = state.memory.passport(patientId);
    if (!held) throw new RecordNotFoundError(`No patient ${patientId} on this device.`);
    const recordId = `patient:${patientId}`;
    const stored = await this.#writes.update<PatientRecord>(recordId, async (current) => {
      const last = current.statusHistory[current.statusHistory.length - 1];
      if (!this.#isDoctor && last?.status === 'pending') {
        refuse([
          { field: 'record.statusHistory', message: 'Подтвердить пациента или изменить его статус может только врач.' },
        ]);
      }
      const text = 'note' in change ? change.note?.trim() : undefined;
      // Bound to `patient:<id>#note` whatever its place in the history (sealed-fields.ts), so the index is moot.
      const note = text ? await this.#sealer.seal(recordId, ['statusHistory', 0, 'note'], text) : undefined;
      const record: PatientRecord = {
        ...current,
        statusHistory: withHistoryEntry(current.statusHistory, statusEntryOf(change, note)),
        updatedBy: this.#login,
        updatedAt: this.#now().toISOString(),
      };
      refuse(prefixed('record', validatePatientRecord(record, today, this.#lookups)));
      return this.#sealer.resealOlder(record);
    });
    state.memory.setRecord(stored);
    await this.#writes.audit('status-changed', { docId: stored._id, rev: stored._rev }, { status: change.status });
    this.#changed();
    return patientFileOf(this.#sealer, held, stored);
  }

  /** Writes the passport again when its content changed or it is still under an older epoch. */
  async #writePassport(state: OpenState, held: OpenPassport, data: PassportData): Promise<OpenPassport> {
    const current = await this.#db.get(held.passportId);
    const epoch = await this.#sealer.currentEpoch();
    const sameEpoch = current.kid === `${this.facilityId}:${epoch}`;
    if (sameEpoch && JSON.stringify(held.data) === JSON.stringify(data) && current._rev === held.rev) return held;
    const doc = await this.#sealPassport(held.passportId, current._rev, data);
    const stored = await this.#writes.put(doc);
    const passport: OpenPassport = { passportId: held.passportId, rev: stored._rev, data };
    state.memory.holdPassport(passport);
    await this.#writes.audit('changed', { docId: held.passportId, rev: stored._rev });
    return passport;
  }

  async #sealPassport(passportId: string, rev: string | undefined, data: PassportData): Promise<StoredDoc> {
    const sealed = await this.#sealer.seal(passportId, [], data);
    const doc: StoredDoc = {
      _id: passportId,
      ...(rev === undefined ? {} : { _rev: rev }),
      type: 'passport',
      ...sealed,
    };
    refuse(prefixed('passport', validatePassportDoc(doc)));
    return doc;
  }

  async #readRecord(patientId: string): Promise<PatientRecord | null> {
    const doc = await getOrNull(this.#db, `patient:${patientId}`);
    return doc as unknown as PatientRecord | null;
  }

  // ---- visits ----

  async listVisits(patientId: string): Promise<VisitView[]> {
    const visits = await visitsOf(this.#db, patientId);
    const views = await Promise.all(visits.map((visit) => visitViewOf(this.#sealer, visit)));
    return views.sort(
      (a, b) => b.visit.date.localeCompare(a.visit.date) || b.visit.createdAt.localeCompare(a.visit.createdAt),
    );
  }

  async addVisit(patientId: string, input: VisitInput): Promise<VisitView> {
    const today = this.#today();
    if (!(await this.#readRecord(patientId))) throw new RecordNotFoundError(`No patient ${patientId} on this device.`);
    const id = `visit:${patientId}:${crypto.randomUUID()}`;
    const text = input.note?.trim();
    const note = text ? await this.#sealer.seal(id, ['note'], text) : undefined;
    const visit = newVisit(id, input, note, this.#writer());
    refuse(validateVisit(visit, today));
    const stored = await this.#writes.put(visit);
    await this.#writes.audit('created', { docId: id, rev: stored._rev });
    await this.#state?.memory.addVisit(patientId, stored);
    this.#changed();
    return { visit: stored, note: text ?? null };
  }

  // ---- prescriptions ----

  async listPrescriptions(filter: PrescriptionFilter = {}): Promise<PrescriptionView[]> {
    const today = this.#today();
    const prefix = filter.patientId === undefined ? 'prescription:' : `prescription:${filter.patientId}:`;
    const { rows } = await this.#db.allDocs({ include_docs: true, startkey: prefix, endkey: rangeEnd(prefix) });
    const prescriptions = rows.flatMap((row) =>
      row.doc && row.doc.type === 'prescription' ? [row.doc as unknown as Prescription] : [],
    );
    const chosen = prescriptions.filter((p) => matchesPrescription(p, filter, today, this.#medicamentOf));
    const views = await Promise.all(chosen.map((p) => prescriptionViewOf(this.#sealer, p, today)));
    return views.sort((a, b) => b.prescription.start.localeCompare(a.prescription.start));
  }

  async addPrescription(patientId: string, input: PrescriptionInput): Promise<PrescriptionView> {
    this.#refuseUnlessDoctor();
    if (!(await this.#readRecord(patientId))) throw new RecordNotFoundError(`No patient ${patientId} on this device.`);
    const id = `prescription:${patientId}:${crypto.randomUUID()}`;
    const text = input.number?.trim();
    const number = text ? await this.#sealer.seal(id, ['number'], text) : undefined;
    const prescription = newPrescription(id, input, number, this.#writer());
    refuse(validatePrescription(prescription, this.#lookups));
    const stored = await this.#writes.put(prescription);
    await this.#writes.audit('created', { docId: id, rev: stored._rev });
    this.#changed();
    return prescriptionViewOf(this.#sealer, stored, this.#today());
  }

  async cancelPrescription(prescriptionId: string, reason: string): Promise<PrescriptionView> {
    this.#refuseUnlessDoctor();
    const text = reason.trim();
    if (text === '') refuse([{ field: 'cancellation.reason', message: 'Укажите причину отмены.' }]);
    const stored = await this.#writes.update<Prescription>(prescriptionId, async (current) => {
      if (current.status === 'cancelled') {
        refuse([{ field: 'status', message: 'Назначение уже отменено.' }]);
      }
      const at = this.#now().toISOString();
      const sealedReason = await this.#sealer.seal(prescriptionId, ['cancellation', 'reason'], text);
      const prescription: Prescription = {
        ...current,
        status: 'cancelled',
        cancellation: { at, by: this.#login, reason: sealedReason },
        updatedBy: this.#login,
        updatedAt: at,
      };
      refuse(validatePrescription(prescription, this.#lookups));
      return this.#sealer.resealOlder(prescription);
    });
    await this.#writes.audit('prescription-cancelled', { docId: prescriptionId, rev: stored._rev });
    this.#changed();
    return prescriptionViewOf(this.#sealer, stored, this.#today());
  }

  /** Records that these documents were printed (the prescription report): one `printed` audit event each. */
  async recordAudit(action: 'printed', docIds: readonly string[]): Promise<void> {
    for (const docId of docIds) await this.#writes.audit(action, { docId }, { count: docIds.length });
  }

  #refuseUnlessDoctor(): void {
    if (!can(this.#roles, 'write-prescriptions')) {
      refuse([{ field: 'prescriber', message: 'Назначения пишет и отменяет только врач.' }]);
    }
  }

  // ---- transfer to another facility (transfer.ts) ----

  /** Everything of one patient on this device, with the sealed values of visits and prescriptions opened. */
  async exportPatient(patientId: string): Promise<PatientExport> {
    const state = this.#requireOpen();
    const held = state.memory.passport(patientId);
    const record = await this.#readRecord(patientId);
    if (!held || !record) throw new RecordNotFoundError(`No patient ${patientId} on this device.`);
    const visits = await visitsOf(this.#db, patientId);
    const prescriptions = (await readAll(this.#db, `prescription:${patientId}:`)).flatMap((doc) =>
      doc.type === 'prescription' ? [doc as unknown as Prescription] : [],
    );
    return {
      facilityId: this.facilityId,
      patientId,
      passport: held.data,
      record: record as PatientRecord & { _rev: string },
      visits: await Promise.all(visits.map((visit) => this.#opened(visit))),
      prescriptions: await Promise.all(prescriptions.map((prescription) => this.#opened(prescription))),
    };
  }

  async #opened<T extends { _id: string }>(doc: T): Promise<OpenedDoc<T>> {
    const opened: OpenedValue[] = [];
    for (const found of findSealedValues(doc)) {
      opened.push({ path: found.path, value: await this.#sealer.open(doc._id, found.path, found.sealed) });
    }
    return { doc, opened };
  }

  /** Whether any record, visit or prescription of this patient id is in this facility's database. */
  async holdsPatient(patientId: string): Promise<boolean> {
    if (await getOrNull(this.#db, `patient:${patientId}`)) return true;
    for (const prefix of [`visit:${patientId}:`, `prescription:${patientId}:`]) {
      const { rows } = await this.#db.allDocs({ startkey: prefix, endkey: rangeEnd(prefix), limit: 1 });
      if (rows.length > 0) return true;
    }
    return false;
  }

  /**
   * A transferred patient's documents sealed for this facility (a new passport id; every opened value sealed again
   * under the current epoch) and checked with common/records. Writes nothing.
   */
  async sealTransferred(copies: TransferCopies): Promise<SealedTransfer> {
    const today = this.#today();
    const epoch = await this.#sealer.currentEpoch();
    const passportId = `${PASSPORT_PREFIX}${crypto.randomUUID()}`;
    refuse([
      ...prefixed('passport', validatePassportData(copies.passport, today)),
      ...prefixed('record', validatePatientRecord(copies.record, today, this.#lookups)),
    ]);
    const passport = await this.#sealPassport(passportId, undefined, copies.passport);
    const docs: (Visit | Prescription)[] = [];
    for (const { doc, opened } of copies.docs) {
      let sealed = doc;
      for (const { path, value } of opened) {
        sealed = withSealedValue(sealed, path, await this.#sealer.seal(doc._id, path, value, epoch));
      }
      refuse(
        prefixed(
          doc._id,
          sealed.type === 'visit' ? validateVisit(sealed, today) : validatePrescription(sealed, this.#lookups),
        ),
      );
      docs.push(sealed);
    }
    return { passport, record: copies.record, docs };
  }

  /** Writes what `sealTransferred` made, then a `transferred` audit event naming the source facility. */
  async writeTransferred(sealed: SealedTransfer, fromFacility: string): Promise<void> {
    const storedPassport = await this.#writes.put(sealed.passport);
    const stored: (Visit | Prescription)[] = [];
    for (const doc of sealed.docs) stored.push(await this.#writes.put(doc));
    const storedRecord = await this.#writes.put(sealed.record);
    const details = { from: fromFacility, passport: storedPassport._id, copies: stored.length };
    await this.#writes.audit('transferred', { docId: storedRecord._id, rev: storedRecord._rev }, details);
    // Open (the facility in use): what was written joins the list at once, as a local write does.
    const state = this.#state;
    if (state) {
      const passport = await openPassport(this.#sealer, storedPassport);
      state.memory.setRecord(storedRecord);
      if (passport) state.memory.holdPassport(passport);
      const patientId = storedRecord._id.slice('patient:'.length);
      for (const doc of stored) if (doc.type === 'visit') await state.memory.addVisit(patientId, doc);
    }
    this.#changed();
  }

  /** The source's side: the `transferred` status (as `changeStatus` writes it) and a `transferred` audit event. */
  async markTransferred(patientId: string, change: TransferStatus): Promise<PatientFile> {
    const file = await this.changeStatus(patientId, change);
    const details = { to: change.transferredTo };
    await this.#writes.audit('transferred', { docId: `patient:${patientId}`, rev: file.record._rev }, details);
    return file;
  }

  // ---- writing ----

  #writer(): Writer {
    return { login: this.#login, at: this.#now().toISOString() };
  }

  #changed(): void {
    this.dispatchEvent(new Event('change'));
  }
}
