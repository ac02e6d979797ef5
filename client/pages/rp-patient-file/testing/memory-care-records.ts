/**
 * TEST-ONLY: a minimal in-memory `FacilityRecords` for the care pages' browser tests (never imported by the app).
 * It runs the real shared validation (common/records) on every write and rejects with `RecordValidationError`
 * like the real repository, keeps free text "opened" beside the documents instead of sealing it, and remembers
 * every call in `calls` so a test can check what a page asked for. It stands in for the repository that was being
 * built at the same time; the repository's own tests cover sealing, auditing and the local database.
 */
import {
  RecordValidationError,
  type FacilityRecords,
  type PatientFile,
  type PatientSummary,
  type PrescriptionFilter,
  type PrescriptionInput,
  type PrescriptionView,
  type VisitInput,
  type VisitView,
} from '../../../records/records-api.ts';
import { displayStatus, validatePrescription, validateVisit } from '../../../../common/records/index.ts';
import type { Prescription, SealedDocument, Visit } from '../../../../common/records/types.ts';
import { isMedicament, type Medicament } from '../../../../common/reference/types.ts';
import { searchMedicaments } from '../../rp-prescription-form/medicaments.ts';

/** A stand-in for a sealed value: the shape the validators expect, the text kept apart in the double. */
const SEALED: SealedDocument = { v: 1, kid: 'test:1', iv: 'AAECAwQFBgcICQoL', ct: 'Y2lwaGVydGV4dA' };

export interface MemoryCareRecordsOptions {
  today: string;
  login?: string;
  medicaments?: readonly Medicament[];
}

export class MemoryCareRecords extends EventTarget implements FacilityRecords {
  readonly facilityId = 'test';
  readonly calls: { method: string; args: unknown[] }[] = [];
  readonly patients = new Map<string, PatientFile>();
  readonly visits: VisitView[] = [];
  readonly prescriptions: { prescription: Prescription; number: string | null; reason: string | null }[] = [];
  /** Set to make the next write fail with this error (then cleared). */
  failNextWrite: Error | null = null;
  readonly #today: string;
  readonly #login: string;
  readonly #medicaments: Medicament[];

  constructor(options: MemoryCareRecordsOptions) {
    super();
    this.#today = options.today;
    this.#login = options.login ?? 'olga';
    this.#medicaments = [...(options.medicaments ?? [])].filter(isMedicament);
  }

  open(): Promise<void> {
    return Promise.resolve();
  }
  close(): void {
    /* nothing decrypted to drop */
  }

  listPatients(): Promise<PatientSummary[]> {
    this.calls.push({ method: 'listPatients', args: [] });
    return Promise.resolve(
      [...this.patients.values()].map((file) => ({
        patientId: file.patientId,
        surname: file.passport.surname,
        name: file.passport.name,
        ...(file.passport.patronymic ? { patronymic: file.passport.patronymic } : {}),
        birthDate: file.passport.birthDate,
        age: 0,
        sex: file.record.sex,
        status: file.record.statusHistory.at(-1)?.status ?? 'pending',
        diseaseGroup: file.record.diseaseGroup,
        mainDiagnosis: file.record.diagnoses.find((d) => d.role === 'main')?.code ?? null,
        districtId: file.record.districtId,
        careSetting: file.record.careSettingHistory.at(-1)?.setting ?? null,
        lastVisit: null,
        latest: {},
      })),
    );
  }

  openPatient(patientId: string): Promise<PatientFile> {
    this.calls.push({ method: 'openPatient', args: [patientId] });
    const file = this.patients.get(patientId);
    return file ? Promise.resolve(structuredClone(file)) : Promise.reject(new Error(`no patient ${patientId}`));
  }
  createPatient(): Promise<PatientFile> {
    return Promise.reject(new Error('not used by the care pages'));
  }
  updatePatient(): Promise<PatientFile> {
    return Promise.reject(new Error('not used by the care pages'));
  }
  changeStatus(): Promise<PatientFile> {
    return Promise.reject(new Error('not used by the care pages'));
  }

  listVisits(patientId: string): Promise<VisitView[]> {
    this.calls.push({ method: 'listVisits', args: [patientId] });
    return Promise.resolve(structuredClone(this.visits.filter((v) => v.visit._id.split(':')[1] === patientId)));
  }

  recordAudit(action: 'printed', docIds: readonly string[]): Promise<void> {
    this.calls.push({ method: 'recordAudit', args: [action, [...docIds]] });
    return Promise.resolve();
  }

  addVisit(patientId: string, input: VisitInput): Promise<VisitView> {
    this.calls.push({ method: 'addVisit', args: [patientId, structuredClone(input)] });
    const failure = this.#takeFailure();
    if (failure) return Promise.reject(failure);
    const { note, ...fields } = input;
    const visit: Visit = {
      _id: `visit:${patientId}:${crypto.randomUUID()}`,
      type: 'visit',
      ...fields,
      performer: this.#login,
      ...(note ? { note: SEALED } : {}),
      createdBy: this.#login,
      createdAt: `${this.#today}T10:00:00.000Z`,
    };
    const problems = validateVisit(visit, this.#today);
    if (problems.length > 0) return Promise.reject(new RecordValidationError(problems));
    const view = { visit, note: note ?? null };
    this.visits.push(view);
    this.dispatchEvent(new Event('change'));
    return Promise.resolve(structuredClone(view));
  }

  listPrescriptions(filter: PrescriptionFilter = {}): Promise<PrescriptionView[]> {
    this.calls.push({ method: 'listPrescriptions', args: [structuredClone(filter)] });
    const views = this.prescriptions.map((entry) => this.#view(entry)).filter((view) => this.#matches(view, filter));
    return Promise.resolve(structuredClone(views));
  }

  addPrescription(patientId: string, input: PrescriptionInput): Promise<PrescriptionView> {
    this.calls.push({ method: 'addPrescription', args: [patientId, structuredClone(input)] });
    const failure = this.#takeFailure();
    if (failure) return Promise.reject(failure);
    const { number, ...fields } = input;
    const prescription: Prescription = {
      _id: `prescription:${patientId}:${crypto.randomUUID()}`,
      type: 'prescription',
      ...fields,
      ...(number ? { number: SEALED } : {}),
      prescriber: this.#login,
      status: 'active',
      createdBy: this.#login,
      createdAt: `${this.#today}T10:00:00.000Z`,
    };
    const problems = validatePrescription(prescription);
    if (problems.length > 0) return Promise.reject(new RecordValidationError(problems));
    const entry = { prescription, number: number ?? null, reason: null };
    this.prescriptions.push(entry);
    this.dispatchEvent(new Event('change'));
    return Promise.resolve(structuredClone(this.#view(entry)));
  }

  cancelPrescription(prescriptionId: string, reason: string): Promise<PrescriptionView> {
    this.calls.push({ method: 'cancelPrescription', args: [prescriptionId, reason] });
    const failure = this.#takeFailure();
    if (failure) return Promise.reject(failure);
    const entry = this.prescriptions.find((candidate) => candidate.prescription._id === prescriptionId);
    if (!entry) return Promise.reject(new Error(`no prescription ${prescriptionId}`));
    if (reason.trim() === '') {
      return Promise.reject(new RecordValidationError([{ field: 'reason', message: 'Укажите причину отмены.' }]));
    }
    entry.prescription = {
      ...entry.prescription,
      status: 'cancelled',
      cancellation: { at: `${this.#today}T11:00:00.000Z`, by: this.#login, reason: SEALED },
    };
    entry.reason = reason;
    this.dispatchEvent(new Event('change'));
    return Promise.resolve(structuredClone(this.#view(entry)));
  }

  /** Adds a stored prescription as it would arrive by sync (no call recorded). */
  seedPrescription(prescription: Prescription, number: string | null = null): void {
    this.prescriptions.push({ prescription, number, reason: null });
  }

  #takeFailure(): Error | null {
    const failure = this.failNextWrite;
    this.failNextWrite = null;
    return failure;
  }

  #view(entry: { prescription: Prescription; number: string | null; reason: string | null }): PrescriptionView {
    return {
      prescription: entry.prescription,
      number: entry.number,
      cancellationReason: entry.reason,
      displayStatus: displayStatus(entry.prescription, this.#today),
    };
  }

  #matches(view: PrescriptionView, filter: PrescriptionFilter): boolean {
    const p = view.prescription;
    if (filter.patientId && p._id.split(':')[1] !== filter.patientId) return false;
    if (filter.status && !filter.status.includes(view.displayStatus)) return false;
    if (filter.prescriber && p.prescriber !== filter.prescriber) return false;
    if (filter.from && p.end !== undefined && p.end < filter.from) return false;
    if (filter.to && p.start > filter.to) return false;
    const medicament = this.#medicaments.find((m) => m._id === p.medicamentId);
    if (filter.opioid && medicament?.opioidClass !== filter.opioid) return false;
    if (filter.medicament) {
      if (!medicament) return false;
      const byId = filter.medicament === medicament._id;
      if (!byId && searchMedicaments([medicament], filter.medicament).length === 0) return false;
    }
    return true;
  }
}
