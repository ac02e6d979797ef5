/**
 * The documents of a facility database `facility-<id>` (ARCHITECTURE.md, "Documents (facility database)"): their
 * value lists and types. The value lists are plain arrays so that the validators — bundled into the facility design
 * document — and forms share one source; the types are derived from them. A passport's plaintext (`PassportData`)
 * never reaches the store: it is sealed into `{v, kid, iv, ct}` first, and so is every free text (notes, reasons,
 * prescription numbers), because people type names into them.
 */
import type { SealedDocument } from '../keys/sealed-document.ts';
import type { DoseUnit } from '../reference/opioid-equivalence.ts';
import type { Route } from '../reference/types.ts';

export type { SealedDocument };

export const FACILITY_DOC_TYPES = ['passport', 'patient', 'visit', 'prescription', 'audit'] as const;
export type FacilityDocType = (typeof FACILITY_DOC_TYPES)[number];

// ---- passport ----

export const SEXES = ['male', 'female'] as const;
export type Sex = (typeof SEXES)[number];

export const IDENTITY_DOCUMENT_KINDS = ['passport-rf', 'birth-certificate', 'foreign', 'other'] as const;
export type IdentityDocumentKind = (typeof IDENTITY_DOCUMENT_KINDS)[number];

export interface IdentityDocument {
  kind: IdentityDocumentKind;
  series?: string;
  number: string;
  issuedBy?: string;
  issuedOn?: string;
}

export interface Contact {
  name: string;
  /** Free text ("дочь", "соседка"). */
  relation: string;
  phone?: string;
}

/** What is sealed inside `passport:<uuid>`; `patientId` links it to `patient:<patientId>`. */
export interface PassportData {
  patientId: string;
  surname: string;
  name: string;
  patronymic?: string;
  birthDate: string;
  sex: Sex;
  /** 11 digits, checksum valid. */
  snils?: string;
  /** The unified OMS policy number: 16 digits. */
  omsPolicy?: string;
  identityDocument?: IdentityDocument;
  address?: { text: string; districtId?: string };
  /** Russian numbers as `+7` and ten digits. */
  phones: string[];
  legalRepresentative?: Contact;
  caregivers: Contact[];
}

/** `passport:<uuid>` as stored: ciphertext only. */
export interface PassportDoc extends SealedDocument {
  _id: string;
  _rev?: string;
  type: 'passport';
}

// ---- patient ----

export const DISEASE_GROUPS = ['cancer', 'hiv-terminal', 'other-progressive'] as const;
export type DiseaseGroup = (typeof DISEASE_GROUPS)[number];

export const DIAGNOSIS_ROLES = ['main', 'secondary', 'complication'] as const;
export type DiagnosisRole = (typeof DIAGNOSIS_ROLES)[number];

/** Grounds for palliative care (after the criteria of Order No. 345n/372n of 31.05.2019). */
export const ELIGIBILITY_BASES = [
  'incurable-cancer',
  'organ-failure',
  'chronic-progressive',
  'neurodegenerative',
  'severe-dementia',
  'terminal-hiv',
  'severe-injury-consequences',
  'congenital-or-perinatal',
  'other',
] as const;
export type EligibilityBasis = (typeof ELIGIBILITY_BASES)[number];

export const PATIENT_STATUSES = ['pending', 'active', 'excluded', 'deceased', 'transferred'] as const;
export type PatientStatus = (typeof PATIENT_STATUSES)[number];

export const EXCLUSION_REASONS = [
  'condition-improved',
  'criteria-not-met',
  'refused-care',
  'moved-away',
  'lost-to-follow-up',
  'entered-in-error',
  'other',
] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

export const DEATH_PLACES = ['home', 'hospice', 'hospital', 'other'] as const;
export type DeathPlace = (typeof DEATH_PLACES)[number];

export const CARE_SETTINGS = ['home', 'hospice', 'palliative-ward', 'other-hospital', 'care-home', 'day-care'] as const;
export type CareSetting = (typeof CARE_SETTINGS)[number];

export const NEEDS = [
  'respiratory-support',
  'oxygen-concentrator',
  'functional-bed',
  'anti-decubitus-mattress',
  'wheelchair',
  'walker',
  'commode-chair',
  'suction-device',
  'tube-feeding',
  'stoma-care',
  'catheter-care',
  'pain-pump',
] as const;
export type Need = (typeof NEEDS)[number];

export const CAREGIVER_AVAILABILITY = ['available', 'partial', 'none'] as const;
export type CaregiverAvailability = (typeof CAREGIVER_AVAILABILITY)[number];

export interface Diagnosis {
  /** ICD-10 category or subcategory: `C34`, `C34.1`. */
  code: string;
  role: DiagnosisRole;
  since?: string;
}

export interface StatusEntry {
  from: string;
  status: PatientStatus;
  /** Only with `excluded`. */
  reason?: ExclusionReason;
  /** Only (and always) with `deceased`. */
  death?: { date: string; causeCode?: string; place: DeathPlace };
  /** Only (and always) with `transferred`. */
  transferredTo?: string;
  note?: SealedDocument;
}

export interface CareSettingEntry {
  from: string;
  setting: CareSetting;
}

export interface NeedState {
  needed: boolean;
  /** True only for a need that is there and is met. */
  met: boolean;
}

/** Needs not listed are not needed. */
export interface NeedsEntry {
  from: string;
  needs: Partial<Record<Need, NeedState>>;
}

/** A dated history: entries ordered by `from`, the last one in force from its date on. */
export type History<T extends { from: string }> = T[];

export interface Authorship {
  createdBy: string;
  createdAt: string;
  updatedBy?: string;
  updatedAt?: string;
}

/** `patient:<patientId>` — the pseudonymous medical record. */
export interface PatientRecord extends Authorship {
  _id: string;
  _rev?: string;
  type: 'patient';
  sex: Sex;
  birthYear: number;
  districtId: string;
  diseaseGroup: DiseaseGroup;
  diagnoses: Diagnosis[];
  eligibility: EligibilityBasis;
  inclusionDate: string;
  statusHistory: History<StatusEntry>;
  careSettingHistory: History<CareSettingEntry>;
  needsHistory: History<NeedsEntry>;
  caregiver: CaregiverAvailability;
}

// ---- visit ----

export const VISIT_TYPES = ['home', 'phone', 'office', 'inpatient'] as const;
export type VisitType = (typeof VISIT_TYPES)[number];

export const PERFORMER_ROLES = ['doctor', 'nurse'] as const;
export type PerformerRole = (typeof PERFORMER_ROLES)[number];

/** The nine items of the revised Edmonton Symptom Assessment System, each 0–10. */
export const ESAS_ITEMS = [
  'pain',
  'tiredness',
  'drowsiness',
  'nausea',
  'lackOfAppetite',
  'shortnessOfBreath',
  'depression',
  'anxiety',
  'wellbeing',
] as const;
export type EsasItem = (typeof ESAS_ITEMS)[number];

export const SYNDROMES = [
  'pain',
  'dyspnoea',
  'nausea-vomiting',
  'constipation',
  'cachexia',
  'dysphagia',
  'delirium',
  'anxiety-depression',
  'insomnia',
  'bleeding',
  'oedema',
  'ascites',
  'pressure-ulcers',
  'fatigue',
] as const;
export type Syndrome = (typeof SYNDROMES)[number];

/** `visit:<patientId>:<uuid>` */
export interface Visit extends Authorship {
  _id: string;
  _rev?: string;
  type: 'visit';
  date: string;
  visitType: VisitType;
  performer: string;
  performerRole: PerformerRole;
  ecog?: number;
  karnofsky?: number;
  pps?: number;
  pain?: number;
  esas?: Partial<Record<EsasItem, number>>;
  syndromes: Syndrome[];
  needsNoticed: Need[];
  note?: SealedDocument;
}

// ---- prescription ----

export const REGIMENS = ['regular', 'as-needed'] as const;
export type PrescriptionRegimen = (typeof REGIMENS)[number];

/**
 * Prescription forms (Orders No. 1094n and 54n): 107-1/у ordinary, 107/у-НП narcotic drugs of List II, 148-1/у-88
 * psychotropics and others subject to quantitative accounting, 148-1/у-04(л) and 148-1/у-06(л) subsidised, and an
 * inpatient prescription sheet (no form issued).
 */
export const PRESCRIPTION_FORMS = [
  '107-1/у',
  '107/у-НП',
  '148-1/у-88',
  '148-1/у-04(л)',
  '148-1/у-06(л)',
  'inpatient-sheet',
] as const;
export type PrescriptionForm = (typeof PRESCRIPTION_FORMS)[number];

export const PRESCRIPTION_STATUSES = ['active', 'cancelled'] as const;
export type PrescriptionStatus = (typeof PRESCRIPTION_STATUSES)[number];

/** What a reader sees; only `active`/`cancelled` are stored, the rest is derived from the dates. */
export const DISPLAY_STATUSES = ['planned', 'active', 'completed', 'cancelled'] as const;
export type DisplayStatus = (typeof DISPLAY_STATUSES)[number];

/** `prescription:<patientId>:<uuid>` */
export interface Prescription extends Authorship {
  _id: string;
  _rev?: string;
  type: 'prescription';
  /** `medicament:<slug>` of the reference book. */
  medicamentId: string;
  dose: number;
  doseUnit: DoseUnit;
  route: Route;
  /** Exactly one of `timesPerDay` and `intervalHours`. */
  timesPerDay?: number;
  intervalHours?: number;
  regimen: PrescriptionRegimen;
  /** Required for `as-needed`, in `doseUnit`. */
  maxDailyDose?: number;
  start: string;
  end?: string;
  quantity?: number;
  prescriptionForm: PrescriptionForm;
  number?: SealedDocument;
  prescriber: string;
  status: PrescriptionStatus;
  cancellation?: { at: string; by: string; reason: SealedDocument };
  /**
   * Set only on a copy written by a transfer: the facility it came from. Such a copy is written by the
   * transferring doctor (`createdBy`) but keeps the colleague who prescribed it (`prescriber`) and, when cancelled,
   * who cancelled it; the design document accepts that only on creation, only from a doctor, only with this marker.
   */
  transferredFrom?: string;
}

// ---- audit ----

export const AUDIT_ACTIONS = [
  'passport-opened',
  'printed',
  'exported',
  'created',
  'changed',
  'status-changed',
  'prescription-cancelled',
  'transferred',
  'conflict-resolved',
  'write-refused',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** `audit:<login>:<ISO time>:<uuid>` — append-only. */
export interface AuditEvent {
  _id: string;
  _rev?: string;
  type: 'audit';
  action: AuditAction;
  docId?: string;
  /** The revision acted on; for `conflict-resolved`, the losing revision that was deleted. */
  rev?: string;
  at: string;
  /** A device label the client makes up (random), never a name. */
  device?: string;
  /** Flat tokens only (ids, counts, flags): nothing that could identify anyone. */
  details?: Record<string, string | number | boolean | null>;
  /** For `conflict-resolved`: the losing revision as it was, a facility document itself. */
  losing?: Record<string, unknown>;
  createdBy: string;
  createdAt: string;
}

export type FacilityDoc = PassportDoc | PatientRecord | Visit | Prescription | AuditEvent;
