/**
 * TEST-ONLY: how the in-memory `FacilityRecords` (memory-records.ts) builds what it stores and returns — the placeholder
 * envelope standing for sealed text, the search entry of a passport, a list row, a record with a new status entry —
 * kept apart so the stand-in itself stays a short list of the contract's methods.
 */
import { currentStatus, valueOn } from '../../../common/records/index.ts';
import type { PatientEntry } from '../../../common/search/patient-index.ts';
import type { PatientSummary, PrescriptionInput, StatusChange, VisitInput } from '../records-api.ts';
import type {
  PassportData,
  PatientRecord,
  Prescription,
  SealedDocument,
  StatusEntry,
  Visit,
} from '../records-types.ts';
import { ageOn } from './memory-filters.ts';

/** A placeholder envelope standing where a real store holds ciphertext. */
export function envelope(facilityId: string): SealedDocument {
  return { v: 1, kid: `${facilityId}:1`, iv: 'AAAAAAAAAAAAAAAA', ct: 'c2VhbGVk' };
}

export function copy<T>(value: T): T {
  return structuredClone(value);
}

/** What the search index holds of a passport. */
export function searchEntry(passport: PassportData): PatientEntry {
  return {
    id: passport.patientId,
    surname: passport.surname,
    name: passport.name,
    ...(passport.patronymic === undefined ? {} : { patronymic: passport.patronymic }),
    birthDate: passport.birthDate,
    ...(passport.snils === undefined ? {} : { snils: passport.snils }),
    ...(passport.omsPolicy === undefined ? {} : { omsPolicy: passport.omsPolicy }),
  };
}

/** A list row: the passport's name fields with the record's status, diagnosis and setting, and the latest scales. */
export function summaryOf(
  passport: PassportData,
  record: PatientRecord,
  patientVisits: readonly Visit[],
  today: string,
): PatientSummary {
  const visits = [...patientVisits].sort(
    (a, b) => a.date.localeCompare(b.date) || a.createdAt.localeCompare(b.createdAt),
  );
  const latest: PatientSummary['latest'] = {};
  for (const visit of visits) {
    if (visit.ecog !== undefined) latest.ecog = visit.ecog;
    if (visit.pps !== undefined) latest.pps = visit.pps;
    if (visit.pain !== undefined) latest.pain = visit.pain;
  }
  const last = record.statusHistory[record.statusHistory.length - 1];
  return {
    patientId: passport.patientId,
    surname: passport.surname,
    name: passport.name,
    ...(passport.patronymic === undefined ? {} : { patronymic: passport.patronymic }),
    birthDate: passport.birthDate,
    age: ageOn(passport.birthDate, today),
    sex: record.sex,
    status: currentStatus(record, today) ?? last?.status ?? 'pending',
    diseaseGroup: record.diseaseGroup,
    mainDiagnosis: record.diagnoses.find((diagnosis) => diagnosis.role === 'main')?.code ?? null,
    districtId: record.districtId,
    careSetting: valueOn(record.careSettingHistory, today)?.setting ?? null,
    lastVisit: visits[visits.length - 1]?.date ?? null,
    latest,
  };
}

/** The record with `change` as its newest status entry; a note is stored as an envelope and returned open. */
export function withStatus(
  stored: PatientRecord,
  change: StatusChange,
  facilityId: string,
): { record: PatientRecord; note: string | undefined } {
  const record = copy(stored);
  const entry: StatusEntry = { from: change.from, status: change.status };
  const note = 'note' in change ? change.note?.trim() || undefined : undefined;
  if (change.status === 'excluded') entry.reason = change.reason;
  if (change.status === 'deceased') entry.death = copy(change.death);
  if (change.status === 'transferred') entry.transferredTo = change.transferredTo;
  if (note) entry.note = envelope(facilityId);
  record.statusHistory = [...record.statusHistory, entry];
  return { record, note };
}

/** A new visit by `by`; its note (free text) as an envelope, returned open as `text`. */
export function visitDoc(
  patientId: string,
  input: VisitInput,
  by: string,
  facilityId: string,
): { visit: Visit; text: string | undefined } {
  const { note, ...fields } = copy(input);
  const visit: Visit = {
    _id: `visit:${patientId}:${crypto.randomUUID()}`,
    type: 'visit',
    ...fields,
    performer: by,
    createdBy: by,
    createdAt: new Date().toISOString(),
  };
  const text = note?.trim() || undefined;
  if (text) visit.note = envelope(facilityId);
  return { visit, text };
}

/** A new active prescription by `by`; its number (free text) as an envelope, returned open as `text`. */
export function prescriptionDoc(
  patientId: string,
  input: PrescriptionInput,
  by: string,
  facilityId: string,
): { prescription: Prescription; text: string | undefined } {
  const { number, ...fields } = copy(input);
  const prescription: Prescription = {
    _id: `prescription:${patientId}:${crypto.randomUUID()}`,
    type: 'prescription',
    ...fields,
    prescriber: by,
    status: 'active',
    createdBy: by,
    createdAt: new Date().toISOString(),
  };
  const text = number?.trim() || undefined;
  if (text) prescription.number = envelope(facilityId);
  return { prescription, text };
}
