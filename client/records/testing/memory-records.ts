/**
 * TEST-ONLY: an in-memory `FacilityRecords` for the tests of the patient pages (never imported by the app).
 *
 * It keeps the contract of records-api.ts the way the real repository does, so that a page tested against it
 * behaves the same against the real one: every write is checked first with the shared validators of common/records
 * (passport plaintext, patient record, visit, prescription) and refused with `RecordValidationError` whose fields
 * carry the `passport.` / `record.` prefixes of the contract; a member who is not a doctor registers patients as
 * `pending`, may not confirm them and may not write prescriptions; status, care setting and needs get a new dated
 * entry only when they change; search goes through the real in-memory patient index (common/search), so a
 * misspelt surname is found exactly as the app finds it; `change` fires after every write.
 * Free text (status notes, visit notes, prescription numbers, cancellation reasons) is stored in the documents as
 * a placeholder envelope — what a store would see — and kept open beside them, as the real layer opens it.
 *
 * For tests it also records every call (`calls`), can refuse the next write with any error (`failNext`) and can be
 * filled without calls (`seedPatient`, `seedVisit`, `seedPrescription`).
 */
import { PatientIndex } from '../../../common/search/patient-index.ts';
import { localDate } from '../../pages/rp-patients-section/local-date.ts';
import { copy, envelope, prescriptionDoc, searchEntry, summaryOf, visitDoc, withStatus } from './memory-documents.ts';
import {
  ageOn,
  diagnosisMatches,
  patientAnswers,
  prescriptionAnswers,
  withEntry,
  type MedicamentFacts,
} from './memory-filters.ts';
import {
  displayStatus,
  validatePassportData,
  validatePatientRecord,
  validatePrescription,
  validateVisit,
  valueOn,
  type ReferenceLookups,
} from '../../../common/records/index.ts';
import {
  NoFacilityKeyError,
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
} from '../records-api.ts';
import type { PassportData, PatientRecord, Prescription, StatusEntry, Visit } from '../records-types.ts';

/** A call made through the `FacilityRecords` interface, with its arguments as given (deep-copied). */
export interface RecordsCall {
  method: keyof FacilityRecords;
  args: unknown[];
}

export interface MemoryRecordsOptions {
  facilityId?: string;
  /** The signed-in member: their login is written as author, their roles decide pending/doctor-only rules. */
  login?: string;
  roles?: readonly string[];
  /** The device's date (`YYYY-MM-DD`); the real date unless given. */
  today?: string;
  /** Reference lookups the validators consult (diagnosis codes, districts, medicaments). */
  lookups?: ReferenceLookups;
  /** Medicaments as the prescription filter needs them (INN, ATC, opioid class), by id. */
  medicaments?: ReadonlyMap<string, MedicamentFacts>;
}

/** Options of `seedPatient`: a fixed id, a status history other than "active from the inclusion date". */
export interface SeedOptions {
  patientId?: string;
  statusHistory?: StatusEntry[];
  by?: string;
}

export { ageOn, diagnosisMatches, localDate, type MedicamentFacts };

interface StoredPatient {
  passportId: string;
  passport: PassportData;
  record: PatientRecord;
  statusNotes: Record<number, string>;
}

function prefixed(prefix: string, problems: readonly ValidationError[]): ValidationError[] {
  return problems.map((problem) => ({
    field: problem.field === '' ? prefix.slice(0, -1) : prefix + problem.field,
    message: problem.message,
  }));
}

export class MemoryRecords extends EventTarget implements FacilityRecords {
  readonly facilityId: string;
  readonly login: string;
  readonly roles: readonly string[];
  today: string;
  lookups: ReferenceLookups;
  readonly medicaments: ReadonlyMap<string, MedicamentFacts>;
  /** Every call through the interface, oldest first. */
  readonly calls: RecordsCall[] = [];
  readonly #patients = new Map<string, StoredPatient>();
  readonly #visits = new Map<string, VisitView>();
  readonly #prescriptions = new Map<string, PrescriptionView>();
  #index: PatientIndex | null = new PatientIndex();
  #failure: Error | null = null;

  constructor(options: MemoryRecordsOptions = {}) {
    super();
    this.facilityId = options.facilityId ?? 'hospice-ptz';
    this.login = options.login ?? 'doctor';
    this.roles = options.roles ?? ['doctor', 'facility:' + this.facilityId];
    this.today = options.today ?? localDate();
    this.lookups = options.lookups ?? {};
    this.medicaments = options.medicaments ?? new Map();
  }

  get #isDoctor(): boolean {
    return this.roles.includes('doctor');
  }

  /** The next write (or open) rejects with `error` instead of running; the form must keep what was typed. */
  failNext(error: Error): void {
    this.#failure = error;
  }

  /** Calls of one method, their arguments only. */
  callsOf(method: keyof FacilityRecords): unknown[][] {
    return this.calls.filter((call) => call.method === method).map((call) => call.args);
  }

  // ---- FacilityRecords ----

  open(): Promise<void> {
    this.#record('open', []);
    this.#index = new PatientIndex([...this.#patients.values()].map(({ passport }) => searchEntry(passport)));
    return Promise.resolve();
  }

  close(): void {
    this.#record('close', []);
    this.#index = null;
  }

  listPatients(filter: PatientFilter = {}): Promise<PatientSummary[]> {
    this.#record('listPatients', [filter]);
    return this.#run(() => {
      const index = this.#openIndex();
      const text = filter.text?.trim() ?? '';
      let patients: StoredPatient[];
      if (text !== '') {
        patients = index
          .search(text, { limit: Number.MAX_SAFE_INTEGER })
          .flatMap((hit) => this.#patients.get(hit.id) ?? []);
      } else {
        patients = [...this.#patients.values()].sort((a, b) =>
          `${a.passport.surname} ${a.passport.name}`.localeCompare(`${b.passport.surname} ${b.passport.name}`, 'ru'),
        );
      }
      const rows = patients
        .map(({ passport, record }) => summaryOf(passport, record, this.#visitsOf(passport.patientId), this.today))
        .filter((row) => patientAnswers(row, this.#patients.get(row.patientId)?.record ?? null, filter, this.today));
      return filter.limit === undefined ? rows : rows.slice(0, filter.limit);
    });
  }

  openPatient(patientId: string): Promise<PatientFile> {
    this.#record('openPatient', [patientId]);
    return this.#run(() => this.#file(this.#stored(patientId)));
  }

  createPatient(input: PatientInput): Promise<PatientFile> {
    this.#record('createPatient', [input]);
    return this.#write(() => this.#create(input, {}));
  }

  updatePatient(patientId: string, input: PatientInput, on: string): Promise<PatientFile> {
    this.#record('updatePatient', [patientId, input, on]);
    return this.#write(() => {
      const stored = this.#stored(patientId);
      const record = copy(stored.record);
      const passport: PassportData = { ...copy(input.passport), patientId };
      const { careSetting, needs, ...fields } = copy(input.record);
      Object.assign(record, fields, { birthYear: Number(passport.birthDate.slice(0, 4)) });
      if (valueOn(record.careSettingHistory, on)?.setting !== careSetting) {
        record.careSettingHistory = withEntry(record.careSettingHistory, { from: on, setting: careSetting });
      }
      if (JSON.stringify(valueOn(record.needsHistory, on)?.needs ?? {}) !== JSON.stringify(needs)) {
        record.needsHistory = withEntry(record.needsHistory, { from: on, needs });
      }
      record.updatedBy = this.login;
      record.updatedAt = new Date().toISOString();
      this.#check(passport, record);
      const updated = { ...stored, passport, record };
      this.#patients.set(patientId, updated);
      this.#index?.update(searchEntry(passport));
      return this.#file(updated);
    });
  }

  changeStatus(patientId: string, change: StatusChange): Promise<PatientFile> {
    this.#record('changeStatus', [patientId, change]);
    return this.#write(() => {
      const stored = this.#stored(patientId);
      if (change.status === 'active' && !this.#isDoctor) {
        throw new RecordValidationError([{ field: 'status', message: 'Подтвердить пациента может только врач.' }]);
      }
      const { record, note } = withStatus(stored.record, change, this.facilityId);
      record.updatedBy = this.login;
      record.updatedAt = new Date().toISOString();
      this.#check(stored.passport, record);
      const statusNotes = { ...stored.statusNotes };
      if (note) statusNotes[record.statusHistory.length - 1] = note;
      const updated = { ...stored, record, statusNotes };
      this.#patients.set(patientId, updated);
      return this.#file(updated);
    });
  }

  listVisits(patientId: string): Promise<VisitView[]> {
    this.#record('listVisits', [patientId]);
    return this.#run(() => {
      this.#stored(patientId);
      return [...this.#visits.values()]
        .filter((view) => view.visit._id.startsWith(`visit:${patientId}:`))
        .sort((a, b) => b.visit.date.localeCompare(a.visit.date) || b.visit.createdAt.localeCompare(a.visit.createdAt))
        .map(copy);
    });
  }

  /** Records the call (the printing tests extend this to keep and gate what was printed). */
  recordAudit(action: 'printed', docIds: readonly string[]): Promise<void> {
    this.#record('recordAudit', [action, [...docIds]]);
    return Promise.resolve();
  }

  addVisit(patientId: string, input: VisitInput): Promise<VisitView> {
    this.#record('addVisit', [patientId, input]);
    return this.#write(() => this.#addVisit(patientId, input, this.login));
  }

  listPrescriptions(filter: PrescriptionFilter = {}): Promise<PrescriptionView[]> {
    this.#record('listPrescriptions', [filter]);
    return this.#run(() =>
      [...this.#prescriptions.values()]
        .map((view) => ({ ...copy(view), displayStatus: displayStatus(view.prescription, this.today) }))
        .filter((view) => prescriptionAnswers(view, filter, this.medicaments))
        .sort((a, b) => b.prescription.start.localeCompare(a.prescription.start)),
    );
  }

  addPrescription(patientId: string, input: PrescriptionInput): Promise<PrescriptionView> {
    this.#record('addPrescription', [patientId, input]);
    return this.#write(() => this.#addPrescription(patientId, input, this.login));
  }

  cancelPrescription(prescriptionId: string, reason: string): Promise<PrescriptionView> {
    this.#record('cancelPrescription', [prescriptionId, reason]);
    return this.#write(() => {
      const view = this.#prescriptions.get(prescriptionId);
      if (!view) throw new RecordValidationError([{ field: 'prescriptionId', message: 'Назначение не найдено.' }]);
      if (!this.#isDoctor) {
        throw new RecordValidationError([{ field: 'prescriber', message: 'Отменить назначение может только врач.' }]);
      }
      if (reason.trim() === '') {
        throw new RecordValidationError([{ field: 'reason', message: 'Укажите причину отмены.' }]);
      }
      const at = new Date().toISOString();
      const prescription: Prescription = {
        ...copy(view.prescription),
        status: 'cancelled',
        cancellation: { at, by: this.login, reason: envelope(this.facilityId) },
        updatedBy: this.login,
        updatedAt: at,
      };
      const problems = validatePrescription(prescription, this.lookups);
      if (problems.length > 0) throw new RecordValidationError(problems);
      const updated: PrescriptionView = {
        prescription,
        number: view.number,
        cancellationReason: reason.trim(),
        displayStatus: 'cancelled',
      };
      this.#prescriptions.set(prescriptionId, updated);
      return copy(updated);
    });
  }

  // ---- filling without calls ----

  /** Adds a patient as if it were already stored (no call recorded, no `change`); returns its file. */
  seedPatient(input: PatientInput, options: SeedOptions = {}): PatientFile {
    return this.#create(input, options);
  }

  /** Adds a visit as if it were already stored. */
  seedVisit(patientId: string, input: VisitInput, by = this.login): VisitView {
    return this.#addVisit(patientId, input, by);
  }

  /** Adds a prescription as if it were already stored (the doctor-only rule is not applied). */
  seedPrescription(patientId: string, input: PrescriptionInput, by = this.login): PrescriptionView {
    return this.#addPrescription(patientId, input, by, true);
  }

  // ---- inside ----

  #record(method: keyof FacilityRecords, args: unknown[]): void {
    this.calls.push({ method, args: copy(args) });
  }

  #changed(): void {
    this.dispatchEvent(new Event('change'));
  }

  #openIndex(): PatientIndex {
    if (!this.#index) throw new NoFacilityKeyError(this.facilityId);
    return this.#index;
  }

  /** Runs a read, rejecting instead of throwing. */
  #run<T>(read: () => T): Promise<T> {
    try {
      return Promise.resolve(read());
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** Runs a write: the injected failure first, the facility key, then `change` after it succeeded. */
  #write<T>(write: () => T): Promise<T> {
    const failure = this.#failure;
    this.#failure = null;
    if (failure) return Promise.reject(failure);
    return this.#run(() => {
      this.#openIndex();
      const result = write();
      this.#changed();
      return result;
    });
  }

  #visitsOf(patientId: string): Visit[] {
    return [...this.#visits.values()]
      .map((view) => view.visit)
      .filter((visit) => visit._id.startsWith(`visit:${patientId}:`));
  }

  #stored(patientId: string): StoredPatient {
    const stored = this.#patients.get(patientId);
    if (!stored) throw new RecordValidationError([{ field: 'patientId', message: 'Пациент не найден.' }]);
    return stored;
  }

  #check(passport: PassportData, record: PatientRecord): void {
    const problems = [
      ...prefixed('passport.', validatePassportData(passport, this.today)),
      ...prefixed('record.', validatePatientRecord(record, this.today, this.lookups)),
    ];
    if (problems.length > 0) throw new RecordValidationError(problems);
  }

  #create(input: PatientInput, options: SeedOptions): PatientFile {
    const patientId = options.patientId ?? crypto.randomUUID();
    const by = options.by ?? this.login;
    const passport: PassportData = { ...copy(input.passport), patientId };
    const { careSetting, needs, ...fields } = copy(input.record);
    const from = fields.inclusionDate;
    const record: PatientRecord = {
      _id: `patient:${patientId}`,
      type: 'patient',
      ...fields,
      birthYear: Number(passport.birthDate.slice(0, 4)),
      statusHistory: options.statusHistory ?? [{ from, status: this.#isDoctor ? 'active' : 'pending' }],
      careSettingHistory: [{ from, setting: careSetting }],
      needsHistory: [{ from, needs }],
      createdBy: by,
      createdAt: new Date().toISOString(),
    };
    this.#check(passport, record);
    const stored: StoredPatient = { passportId: `passport:${crypto.randomUUID()}`, passport, record, statusNotes: {} };
    this.#patients.set(patientId, stored);
    this.#index?.update(searchEntry(passport));
    return this.#file(stored);
  }

  #addVisit(patientId: string, input: VisitInput, by: string): VisitView {
    this.#stored(patientId);
    const { visit, text } = visitDoc(patientId, input, by, this.facilityId);
    const problems = validateVisit(visit, this.today);
    if (problems.length > 0) throw new RecordValidationError(problems);
    const view: VisitView = { visit, note: text || null };
    this.#visits.set(visit._id, view);
    return copy(view);
  }

  #addPrescription(patientId: string, input: PrescriptionInput, by: string, seeding = false): PrescriptionView {
    this.#stored(patientId);
    if (!seeding && !this.#isDoctor) {
      throw new RecordValidationError([{ field: 'prescriber', message: 'Назначения делает только врач.' }]);
    }
    const { prescription, text } = prescriptionDoc(patientId, input, by, this.facilityId);
    const problems = validatePrescription(prescription, this.lookups);
    if (problems.length > 0) throw new RecordValidationError(problems);
    const view: PrescriptionView = {
      prescription,
      number: text || null,
      cancellationReason: null,
      displayStatus: displayStatus(prescription, this.today),
    };
    this.#prescriptions.set(prescription._id, view);
    return copy(view);
  }

  #file(stored: StoredPatient): PatientFile {
    return copy({
      patientId: stored.passport.patientId,
      passportId: stored.passportId,
      passport: stored.passport,
      record: stored.record,
      statusNotes: stored.statusNotes,
    });
  }
}
