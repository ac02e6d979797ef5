/**
 * The documents the repository writes, built from what a form gave: the pseudonymous patient record, dated history
 * entries, visits, prescriptions and device-side audit events. Pure (no keys, no database): sealed values are passed
 * in already sealed, so what ends up in each document can be read here in one place, and checked against
 * common/records before any `put`.
 */
import { normalisePhone } from '../../common/records/passport.ts';
import { valueOn } from '../../common/records/patient.ts';
import type { ValidationError } from '../../common/records/checks.ts';
import type {
  AuditAction,
  AuditEvent,
  PassportData,
  PatientRecord,
  Prescription,
  SealedDocument,
  StatusEntry,
  Visit,
} from './records-types.ts';
import type { PatientInput, PrescriptionInput, StatusChange, VisitInput } from './records-api.ts';

/** A copy of `value` without the field `key` (the form's plain text, replaced by its sealed form). */
function without<T extends object, K extends keyof T>(value: T, key: K): Omit<T, K> {
  return Object.fromEntries(Object.entries(value).filter(([name]) => name !== key)) as Omit<T, K>;
}

/** Who writes and when: the bookkeeping every document carries. */
export interface Writer {
  login: string;
  /** ISO time of the write. */
  at: string;
}

/** Problems of one part of the input, with field paths prefixed as the contract names them (`passport.snils`). */
export function prefixed(prefix: string, problems: readonly ValidationError[]): ValidationError[] {
  return problems.map((problem) => ({
    field: problem.field === '' ? prefix : `${prefix}.${problem.field}`,
    message: problem.message,
  }));
}

/** The passport's plaintext: the form's fields, phones in their stored form where they can be read as phones. */
export function passportDataOf(patientId: string, input: PatientInput['passport']): PassportData {
  const phoneOf = (phone: string): string => normalisePhone(phone) ?? phone;
  return {
    ...input,
    patientId,
    phones: input.phones.map(phoneOf),
    ...(input.legalRepresentative?.phone === undefined
      ? {}
      : { legalRepresentative: { ...input.legalRepresentative, phone: phoneOf(input.legalRepresentative.phone) } }),
    caregivers: input.caregivers.map((contact) =>
      contact.phone === undefined ? contact : { ...contact, phone: phoneOf(contact.phone) },
    ),
  };
}

/**
 * Puts a dated entry into a history kept in order of `from`: an entry of the same date is replaced (a correction
 * made the same day), a later date is appended, an earlier one slots in before the entries that follow it.
 */
export function withHistoryEntry<T extends { from: string }>(history: readonly T[], entry: T): T[] {
  const kept = history.filter((item) => item.from !== entry.from);
  const at = kept.findIndex((item) => item.from > entry.from);
  return at === -1 ? [...kept, entry] : [...kept.slice(0, at), entry, ...kept.slice(at)];
}

/** Adds a dated entry only when the value in force on `on` differs from the new one. */
function withChange<T extends { from: string }>(history: readonly T[], entry: T, same: (a: T, b: T) => boolean): T[] {
  const current = valueOn(history, entry.from);
  return current !== null && same(current, entry) ? [...history] : withHistoryEntry(history, entry);
}

/** Needs compared by content, whatever the order of their keys. */
function sameNeeds(a: PatientInput['record']['needs'], b: PatientInput['record']['needs']): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof typeof a>;
  return [...keys].every((key) => a[key]?.needed === b[key]?.needed && a[key]?.met === b[key]?.met);
}

/** The birth year the record may carry (the passport's full date stays sealed). */
function birthYearOf(passport: PatientInput['passport']): number {
  return Number(String(passport.birthDate).slice(0, 4));
}

/** A new patient record; its first status is `active` for a doctor and `pending` for anyone else. */
export function newPatientRecord(
  patientId: string,
  input: PatientInput,
  isDoctor: boolean,
  writer: Writer,
): PatientRecord {
  const { record } = input;
  const from = record.inclusionDate;
  const doc: PatientRecord = {
    _id: `patient:${patientId}`,
    type: 'patient',
    sex: record.sex,
    birthYear: birthYearOf(input.passport),
    districtId: record.districtId,
    diseaseGroup: record.diseaseGroup,
    diagnoses: record.diagnoses,
    eligibility: record.eligibility,
    inclusionDate: from,
    statusHistory: [{ from, status: isDoctor ? 'active' : 'pending' }],
    careSettingHistory: [{ from, setting: record.careSetting }],
    needsHistory: [{ from, needs: record.needs }],
    caregiver: record.caregiver,
    createdBy: writer.login,
    createdAt: writer.at,
  };
  return doc;
}

/** The record after the form was saved on `on`: care setting and needs get a dated entry only when they changed. */
export function updatedPatientRecord(
  current: PatientRecord,
  input: PatientInput,
  on: string,
  writer: Writer,
): PatientRecord {
  const { record } = input;
  return {
    ...current,
    sex: record.sex,
    birthYear: birthYearOf(input.passport),
    districtId: record.districtId,
    diseaseGroup: record.diseaseGroup,
    diagnoses: record.diagnoses,
    eligibility: record.eligibility,
    inclusionDate: record.inclusionDate,
    careSettingHistory: withChange(
      current.careSettingHistory,
      { from: on, setting: record.careSetting },
      (a, b) => a.setting === b.setting,
    ),
    needsHistory: withChange(current.needsHistory, { from: on, needs: record.needs }, (a, b) =>
      sameNeeds(a.needs, b.needs),
    ),
    caregiver: record.caregiver,
    updatedBy: writer.login,
    updatedAt: writer.at,
  };
}

/** The status entry of a change; its note (free text) comes sealed. */
export function statusEntryOf(change: StatusChange, note: SealedDocument | undefined): StatusEntry {
  const entry: StatusEntry = { from: change.from, status: change.status };
  if (change.status === 'excluded') entry.reason = change.reason;
  if (change.status === 'deceased') entry.death = change.death;
  if (change.status === 'transferred') entry.transferredTo = change.transferredTo;
  if (note) entry.note = note;
  return entry;
}

export function newVisit(id: string, input: VisitInput, note: SealedDocument | undefined, writer: Writer): Visit {
  const fields = without(input, 'note');
  return {
    _id: id,
    type: 'visit',
    ...fields,
    performer: writer.login,
    ...(note ? { note } : {}),
    createdBy: writer.login,
    createdAt: writer.at,
  };
}

export function newPrescription(
  id: string,
  input: PrescriptionInput,
  number: SealedDocument | undefined,
  writer: Writer,
): Prescription {
  const fields = without(input, 'number');
  return {
    _id: id,
    type: 'prescription',
    ...fields,
    ...(number ? { number } : {}),
    prescriber: writer.login,
    status: 'active',
    createdBy: writer.login,
    createdAt: writer.at,
  };
}

/**
 * A device-side audit event: who did what to which document revision, when, from which device. Details are flat
 * tokens only; the event replicates to every member's device and the server, so it names nobody.
 */
export function auditEvent(
  action: AuditAction,
  target: { docId: string; rev?: string },
  writer: Writer,
  uuid: string,
  device?: string,
  details?: AuditEvent['details'],
): AuditEvent {
  return {
    _id: `audit:${writer.login}:${writer.at}:${uuid}`,
    type: 'audit',
    action,
    docId: target.docId,
    ...(target.rev === undefined ? {} : { rev: target.rev }),
    at: writer.at,
    ...(device === undefined ? {} : { device }),
    ...(details === undefined ? {} : { details }),
    createdBy: writer.login,
    createdAt: writer.at,
  };
}
