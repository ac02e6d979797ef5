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
 *   there, and nothing decrypted is written in readable form to IndexedDB, `_local` documents, the console or the
 *   server. What is open is kept for the next unlock only sealed, in a `_local` search snapshot under a key derived
 *   from the facility's current epoch key for this member (search-snapshot.ts), brought up to date by the changes
 *   since its sequence before the records count as open, and ignored after a new epoch (open-records.ts).
 * - Opening a passport and every write leave a device-side audit event (`audit:<login>:<time>:<uuid>`) that holds
 *   ids, revisions and flags only.
 */
import { can } from '../../common/roles.ts';
import type { ReferenceLookups } from '../../common/records/checks.ts';
import { validatePassportData } from '../../common/records/passport.ts';
import { validatePatientRecord } from '../../common/records/patient.ts';
import { getOrNull, type FacilityDatabase } from './facility-database.ts';
import { DocumentWriter, RecordNotFoundError } from './document-writer.ts';
import { FacilitySealer, type FacilityKeySource } from './facility-sealer.ts';
import { patientFileOf } from './record-views.ts';
import { PASSPORT_PREFIX, openPassport, type OpenPassport } from './patients-in-memory.ts';
import { OpenRecords, type OpenReport } from './open-records.ts';
import { newPatientRecord, passportDataOf, prefixed, updatedPatientRecord, type Writer } from './record-documents.ts';
import type { MedicamentLookup } from './prescription-filter.ts';
import type {
  FacilityRecords,
  PatientFile,
  PatientFilter,
  PatientInput,
  PatientSummary,
  PrescriptionFilter,
  PrescriptionInput,
  PrescriptionView,
  StatusChange,
  VisitInput,
  VisitView,
} from './records-api.ts';
import type { PassportData, PatientRecord } from './records-types.ts';
import type { PatientExport, SealedTransfer, TransferCopies, TransferStatus } from './transfer.ts';
import { RecordsClosedError, localDate, type FacilityRepositoryDeps } from './repository-deps.ts';
import { listedVisits, statusChanged, writtenVisit } from './record-writes.ts';
import {
  epochOf,
  exportedPatient,
  holdsPatientIn,
  refuse,
  sealedPassportDoc,
  sealedTransfer,
  writtenTransfer,
} from './repository-transfer.ts';
import {
  cancelledPrescription,
  listedPrescriptions,
  writtenPrescription,
  type PrescriptionSide,
} from './prescription-records.ts';

export type { FacilityKeySource } from './facility-sealer.ts';
export type { FacilityDatabase } from './facility-database.ts';
export type { OpenReport } from './open-records.ts';
export { RecordNotFoundError } from './document-writer.ts';
export { RecordsClosedError, type FacilityRepositoryDeps } from './repository-deps.ts';

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
  readonly #keys: FacilityKeySource;
  readonly #snapshot: boolean;
  /** What is held while open; replaced as a whole, so a late answer for a closed state changes nothing. */
  #state: OpenRecords | null = null;
  #opening: Promise<OpenRecords> | null = null;

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
    this.#keys = deps.keys;
    this.#snapshot = deps.searchSnapshot ?? true;
  }

  get #isDoctor(): boolean {
    return this.#roles.includes('doctor');
  }

  /** Passports of this facility that did not open on this device while open (their ids). */
  get unreadablePassports(): string[] {
    return this.#state?.memory.unreadable ?? [];
  }

  // ---- open / close ----

  /** How the current open went: from the snapshot or every document, and where the time went (null when closed). */
  get openReport(): OpenReport | null {
    return this.#state?.report ?? null;
  }

  async open(): Promise<void> {
    if (this.#state) return;
    const opening = (this.#opening ??= this.#load());
    let state: OpenRecords;
    try {
      state = await opening;
    } catch (error) {
      if (this.#opening === opening) this.#opening = null;
      throw error;
    }
    if (this.#state === state) return;
    if (this.#opening !== opening) {
      // Closed (locked) while it was opening: what was decrypted is dropped at once.
      state.close();
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
    state?.close();
    this.#writes.remember = false;
    this.#writes.forget();
    this.#sealer.clear();
  }

  /** Seals what is open now into the device's search snapshot (also written on its own: open-records.ts). */
  async saveSearchSnapshot(): Promise<void> {
    await this.#state?.saveSnapshot();
  }

  #load(): Promise<OpenRecords> {
    let opened: OpenRecords | null = null;
    const loading = OpenRecords.open({
      facilityId: this.facilityId,
      login: this.#login,
      db: this.#db,
      sealer: this.#sealer,
      keys: this.#keys,
      snapshot: this.#snapshot,
      // This repository's own writes are in memory already and were announced when written.
      ownWrite: (change) => this.#writes.wrote(change.id, change.doc?._rev),
      changed: () => {
        if (opened && this.#state === opened) this.dispatchEvent(new Event('change'));
      },
    });
    return loading.then((state) => (opened = state));
  }

  #requireOpen(): OpenRecords {
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
    const passportDoc = await sealedPassportDoc(this.#sealer, passportId, undefined, data);
    // One write for both: the device never holds a record whose passport is missing, whatever stops the save.
    const [storedRecord, storedPassport] = (await this.#writes.putAll([record, passportDoc])) as [
      typeof record & { _rev: string },
      typeof passportDoc & { _rev: string },
    ];
    const opened: OpenPassport = { passportId, rev: storedPassport._rev, data, ...epochOf(passportDoc) };
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
    const held = state.memory.passport(patientId);
    if (!held) throw new RecordNotFoundError(`No patient ${patientId} on this device.`);
    const recordId = `patient:${patientId}`;
    const stored = await this.#writes.update<PatientRecord>(recordId, (current) =>
      statusChanged(this.#side(), current, change, this.#isDoctor),
    );
    state.memory.setRecord(stored);
    await this.#writes.audit('status-changed', { docId: stored._id, rev: stored._rev }, { status: change.status });
    this.#changed();
    return patientFileOf(this.#sealer, held, stored);
  }

  /** Writes the passport again when its content changed or it is still under an older epoch. */
  async #writePassport(state: OpenRecords, held: OpenPassport, data: PassportData): Promise<OpenPassport> {
    const current = await this.#db.get(held.passportId);
    const epoch = await this.#sealer.currentEpoch();
    const sameEpoch = current.kid === `${this.facilityId}:${epoch}`;
    if (sameEpoch && JSON.stringify(held.data) === JSON.stringify(data) && current._rev === held.rev) return held;
    const doc = await sealedPassportDoc(this.#sealer, held.passportId, current._rev, data);
    const stored = await this.#writes.put(doc);
    const passport: OpenPassport = { passportId: held.passportId, rev: stored._rev, data, ...epochOf(doc) };
    state.memory.holdPassport(passport);
    await this.#writes.audit('changed', { docId: held.passportId, rev: stored._rev });
    return passport;
  }

  async #readRecord(patientId: string): Promise<PatientRecord | null> {
    const doc = await getOrNull(this.#db, `patient:${patientId}`);
    return doc as unknown as PatientRecord | null;
  }

  // ---- visits ----

  listVisits(patientId: string): Promise<VisitView[]> {
    return listedVisits(this.#side(), patientId);
  }

  async addVisit(patientId: string, input: VisitInput): Promise<VisitView> {
    if (!(await this.#readRecord(patientId))) throw new RecordNotFoundError(`No patient ${patientId} on this device.`);
    const stored = await writtenVisit(this.#side(), patientId, input);
    await this.#state?.memory.addVisit(patientId, stored);
    this.#changed();
    return { visit: stored, note: input.note?.trim() ?? null };
  }

  // ---- prescriptions (prescription-records.ts) ----

  listPrescriptions(filter: PrescriptionFilter = {}): Promise<PrescriptionView[]> {
    return listedPrescriptions(this.#side(), filter);
  }

  async addPrescription(patientId: string, input: PrescriptionInput): Promise<PrescriptionView> {
    this.#refuseUnlessDoctor();
    if (!(await this.#readRecord(patientId))) throw new RecordNotFoundError(`No patient ${patientId} on this device.`);
    const view = await writtenPrescription(this.#side(), patientId, input);
    this.#changed();
    return view;
  }

  async cancelPrescription(prescriptionId: string, reason: string): Promise<PrescriptionView> {
    this.#refuseUnlessDoctor();
    const view = await cancelledPrescription(this.#side(), prescriptionId, reason);
    this.#changed();
    return view;
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

  // ---- transfer to another facility (transfer.ts, repository-transfer.ts) ----

  /** Everything of one patient on this device, with the sealed values of visits and prescriptions opened. */
  async exportPatient(patientId: string): Promise<PatientExport> {
    const state = this.#requireOpen();
    const held = state.memory.passport(patientId);
    const record = await this.#readRecord(patientId);
    if (!held || !record) throw new RecordNotFoundError(`No patient ${patientId} on this device.`);
    return exportedPatient(this.#side(), held, record);
  }

  /** Whether any record, visit or prescription of this patient id is in this facility's database. */
  holdsPatient(patientId: string): Promise<boolean> {
    return holdsPatientIn(this.#db, patientId);
  }

  /**
   * A transferred patient's documents sealed for this facility (a new passport id; every opened value sealed again
   * under the current epoch) and checked with common/records. Writes nothing.
   */
  sealTransferred(copies: TransferCopies): Promise<SealedTransfer> {
    return sealedTransfer(this.#side(), copies);
  }

  /** Writes what `sealTransferred` made, then a `transferred` audit event naming the source facility. */
  async writeTransferred(sealed: SealedTransfer, fromFacility: string): Promise<void> {
    const stored = await writtenTransfer(this.#side(), sealed, fromFacility);
    // Open (the facility in use): what was written joins the list at once, as a local write does.
    const state = this.#state;
    if (state) {
      const passport = await openPassport(this.#sealer, stored.passport);
      state.memory.setRecord(stored.record);
      if (passport) state.memory.holdPassport(passport);
      const patientId = stored.record._id.slice('patient:'.length);
      for (const doc of stored.docs) if (doc.type === 'visit') await state.memory.addVisit(patientId, doc);
    }
    this.#changed();
  }

  /** What the split-out parts of the repository work with (repository-transfer.ts, prescription-records.ts). */
  #side(): PrescriptionSide {
    return {
      facilityId: this.facilityId,
      db: this.#db,
      sealer: this.#sealer,
      writes: this.#writes,
      today: this.#today(),
      lookups: this.#lookups,
      writer: this.#writer(),
      medicamentOf: this.#medicamentOf,
    };
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
