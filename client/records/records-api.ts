/**
 * What the patient pages ask of the data layer: one facility's patients, visits and prescriptions on this device
 * (ARCHITECTURE.md, "Documents", "Keys", "Search", "Sync that users can trust"). Pages see plaintext only through
 * this interface; the implementation (facility-repository.ts) seals passports and free text before every `put`,
 * validates every document with common/records first, keeps decrypted passports in memory only, and writes the
 * device-side audit events. Tests of the pages use an in-memory implementation of the same interface.
 *
 * Every write either resolves with the stored document or rejects with `RecordValidationError` (problems by field
 * path, e.g. `passport.snils`, `record.diagnoses[0].code`) — nothing the user typed is dropped by the data layer;
 * the page keeps its form as it was.
 */
import type { ValidationError } from '../../common/reference/validation.ts';
import type {
  CareSetting,
  CaregiverAvailability,
  DeathPlace,
  Diagnosis,
  DiseaseGroup,
  DisplayStatus,
  DoseUnitValue,
  EligibilityBasis,
  EsasItem,
  ExclusionReason,
  Need,
  NeedState,
  PassportData,
  PatientRecord,
  PatientStatus,
  PerformerRole,
  Prescription,
  PrescriptionForm,
  PrescriptionRegimen,
  RouteValue,
  Syndrome,
  Visit,
  VisitType,
} from './records-types.ts';

export type { ValidationError };

/** A write refused before it reached the local database: the problems, each naming its field. */
export class RecordValidationError extends Error {
  override name = 'RecordValidationError';
  constructor(readonly problems: readonly ValidationError[]) {
    super(problems.map((problem) => `${problem.field}: ${problem.message}`).join('; '));
  }
}

/** The device holds no key of the facility's current epoch (not confirmed yet, or locked): nothing can be sealed. */
export class NoFacilityKeyError extends Error {
  override name = 'NoFacilityKeyError';
  constructor(readonly facilityId: string) {
    super(`This device holds no key of facility "${facilityId}".`);
  }
}

/** One row of the patient list and of search results: decrypted name fields joined with the record. */
export interface PatientSummary {
  patientId: string;
  surname: string;
  name: string;
  patronymic?: string;
  birthDate: string;
  /** Whole years on `today`. */
  age: number;
  sex: PatientRecord['sex'];
  status: PatientStatus;
  diseaseGroup: DiseaseGroup;
  mainDiagnosis: string | null;
  districtId: string;
  careSetting: CareSetting | null;
  /** Date of the latest visit, if any. */
  lastVisit: string | null;
  /** Latest scales, for the filters. */
  latest: { ecog?: number; pps?: number; pain?: number };
}

/** A patient opened: the passport (decrypted) and the record as stored, with free-text notes opened. */
export interface PatientFile {
  patientId: string;
  passportId: string;
  passport: PassportData;
  record: PatientRecord;
  /** Opened `statusHistory[i].note` values, by index (absent when there is none). */
  statusNotes: Record<number, string>;
}

/** What the patient form edits: everything but the bookkeeping fields the repository sets. */
export interface PatientInput {
  passport: Omit<PassportData, 'patientId'>;
  record: {
    sex: PatientRecord['sex'];
    districtId: string;
    diseaseGroup: DiseaseGroup;
    diagnoses: Diagnosis[];
    eligibility: EligibilityBasis;
    inclusionDate: string;
    careSetting: CareSetting;
    needs: Partial<Record<Need, NeedState>>;
    caregiver: CaregiverAvailability;
  };
}

/** A dated change of status (exclusion, death, transfer, confirmation of a pending patient). */
export type StatusChange =
  | { status: 'active'; from: string }
  | { status: 'excluded'; from: string; reason: ExclusionReason; note?: string }
  | { status: 'deceased'; from: string; death: { date: string; causeCode?: string; place: DeathPlace } }
  | { status: 'transferred'; from: string; transferredTo: string; note?: string };

export interface PatientFilter {
  /** Name, birth date, SNILS or OMS policy typed by the user (common/search). */
  text?: string;
  status?: PatientStatus[];
  diseaseGroup?: DiseaseGroup[];
  /** A code (`C34`) or a range (`C30-C39`). */
  diagnosis?: string;
  districtId?: string;
  careSetting?: CareSetting[];
  needs?: Need[];
  /** Latest scale at most / at least. */
  ecogAtLeast?: number;
  ppsAtMost?: number;
  painAtLeast?: number;
  limit?: number;
}

export interface VisitInput {
  date: string;
  visitType: VisitType;
  performerRole: PerformerRole;
  ecog?: number;
  karnofsky?: number;
  pps?: number;
  pain?: number;
  esas?: Partial<Record<EsasItem, number>>;
  syndromes: Syndrome[];
  needsNoticed: Need[];
  /** Free text: sealed before it is stored. */
  note?: string;
}

/** A visit as a page shows it: the stored visit with its note opened. */
export interface VisitView {
  visit: Visit;
  note: string | null;
}

export interface PrescriptionInput {
  medicamentId: string;
  dose: number;
  doseUnit: DoseUnitValue;
  route: RouteValue;
  timesPerDay?: number;
  intervalHours?: number;
  regimen: PrescriptionRegimen;
  maxDailyDose?: number;
  start: string;
  end?: string;
  quantity?: number;
  prescriptionForm: PrescriptionForm;
  /** Sealed before it is stored. */
  number?: string;
}

/** A prescription as a page shows it: opened number and cancellation reason, derived status. */
export interface PrescriptionView {
  prescription: Prescription;
  number: string | null;
  cancellationReason: string | null;
  displayStatus: DisplayStatus;
}

export interface PrescriptionFilter {
  patientId?: string;
  /** Medicament id, INN (Russian or Latin) words or an ATC prefix. */
  medicament?: string;
  opioid?: 'strong' | 'weak';
  /** Prescriptions whose active interval overlaps [from, to]. */
  from?: string;
  to?: string;
  prescriber?: string;
  status?: DisplayStatus[];
}

/** One facility's data on this device, for the signed-in member. */
export interface FacilityRecords {
  readonly facilityId: string;
  /** Decrypts the facility's passports into memory (after unlock) and builds the search index. */
  open(): Promise<void>;
  /** Drops everything decrypted (at lock and logout). */
  close(): void;

  listPatients(filter?: PatientFilter): Promise<PatientSummary[]>;
  /** Opens a patient (writes a `passport-opened` audit event). */
  openPatient(patientId: string): Promise<PatientFile>;
  /** A new patient: a member who is not a doctor registers them as `pending` (a doctor confirms). */
  createPatient(input: PatientInput): Promise<PatientFile>;
  /** Changes passport and record; status, care setting and needs get a new dated entry only when they changed. */
  updatePatient(patientId: string, input: PatientInput, on: string): Promise<PatientFile>;
  changeStatus(patientId: string, change: StatusChange): Promise<PatientFile>;

  listVisits(patientId: string): Promise<VisitView[]>;
  addVisit(patientId: string, input: VisitInput): Promise<VisitView>;

  listPrescriptions(filter?: PrescriptionFilter): Promise<PrescriptionView[]>;
  addPrescription(patientId: string, input: PrescriptionInput): Promise<PrescriptionView>;
  cancelPrescription(prescriptionId: string, reason: string): Promise<PrescriptionView>;

  /** Writes a device audit event for each document acted on outside the records layer (printing a report). */
  recordAudit(action: 'printed', docIds: readonly string[]): Promise<void>;

  /** Fires `change` after any document of the facility changed (a local write or one that arrived by sync). */
  addEventListener(type: 'change', listener: () => void): void;
  removeEventListener(type: 'change', listener: () => void): void;
}
