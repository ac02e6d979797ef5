/**
 * The patient form's values as typed (strings, lists of rows), turned into the records layer's `PatientInput`
 * and checked with the same validators the repository and the design document run (common/records), so every
 * problem shows next to its field before anything is saved. Problems are keyed by the records layer's paths
 * (`passport.snils`, `record.diagnoses[0].code`): a refusal that comes back from a save lands on the same fields.
 * The draft is the element's state, not read back from the controls, so nothing typed is lost when a save fails
 * or the page re-renders.
 */
import {
  NEEDS,
  normalisePhone,
  validatePassportData,
  validatePatientRecord,
  type CareSetting,
  type CaregiverAvailability,
  type Contact,
  type DiagnosisRole,
  type DiseaseGroup,
  type EligibilityBasis,
  type IdentityDocumentKind,
  type Need,
  type NeedState,
  type PassportData,
  type PatientRecord,
  type ReferenceLookups,
  type Sex,
  type ValidationError,
} from '../../../common/records/index.ts';
import type { PatientFile, PatientInput } from '../../records/records-api.ts';

export type NeedChoice = 'no' | 'unmet' | 'met';

export interface ContactDraft {
  name: string;
  relation: string;
  phone: string;
}

export interface DiagnosisDraft {
  code: string;
  role: DiagnosisRole;
  since: string;
}

export interface PatientDraft {
  surname: string;
  name: string;
  patronymic: string;
  birthDate: string;
  sex: Sex | '';
  snils: string;
  omsPolicy: string;
  documentKind: IdentityDocumentKind | '';
  documentSeries: string;
  documentNumber: string;
  documentIssuedBy: string;
  documentIssuedOn: string;
  address: string;
  /** The district of residence: the record's `districtId` and the address's district. */
  districtId: string;
  phones: string[];
  representative: ContactDraft;
  caregivers: ContactDraft[];
  diseaseGroup: DiseaseGroup | '';
  diagnoses: DiagnosisDraft[];
  eligibility: EligibilityBasis | '';
  inclusionDate: string;
  careSetting: CareSetting | '';
  needs: Record<Need, NeedChoice>;
  caregiver: CaregiverAvailability | '';
}

/** Problems by the records layer's field path; the first message of each field. */
export type DraftErrors = Record<string, string>;

const SOME_UUID = '00000000-0000-4000-8000-000000000000';

export function emptyContact(): ContactDraft {
  return { name: '', relation: '', phone: '' };
}

function noNeeds(): Record<Need, NeedChoice> {
  return Object.fromEntries(NEEDS.map((need) => [need, 'no'])) as Record<Need, NeedChoice>;
}

export function emptyDraft(today: string): PatientDraft {
  return {
    surname: '',
    name: '',
    patronymic: '',
    birthDate: '',
    sex: '',
    snils: '',
    omsPolicy: '',
    documentKind: '',
    documentSeries: '',
    documentNumber: '',
    documentIssuedBy: '',
    documentIssuedOn: '',
    address: '',
    districtId: '',
    phones: [''],
    representative: emptyContact(),
    caregivers: [],
    diseaseGroup: '',
    diagnoses: [],
    eligibility: '',
    inclusionDate: today,
    careSetting: 'home',
    needs: noNeeds(),
    caregiver: '',
  };
}

function contactDraft(contact: Contact | undefined): ContactDraft {
  return { name: contact?.name ?? '', relation: contact?.relation ?? '', phone: contact?.phone ?? '' };
}

/** The draft of a stored patient, with the care setting and needs in force on `today`. */
export function draftFromFile(file: PatientFile, today: string): PatientDraft {
  const { passport, record } = file;
  const document = passport.identityDocument;
  const lastOnOrBefore = <T extends { from: string }>(history: T[]): T | undefined =>
    history.filter((entry) => entry.from <= today).pop() ?? history[history.length - 1];
  const needsInForce = lastOnOrBefore(record.needsHistory)?.needs ?? {};
  const needs = noNeeds();
  for (const need of NEEDS) {
    const state = needsInForce[need];
    if (state?.needed) needs[need] = state.met ? 'met' : 'unmet';
  }
  return {
    surname: passport.surname,
    name: passport.name,
    patronymic: passport.patronymic ?? '',
    birthDate: passport.birthDate,
    sex: passport.sex,
    snils: passport.snils ?? '',
    omsPolicy: passport.omsPolicy ?? '',
    documentKind: document?.kind ?? '',
    documentSeries: document?.series ?? '',
    documentNumber: document?.number ?? '',
    documentIssuedBy: document?.issuedBy ?? '',
    documentIssuedOn: document?.issuedOn ?? '',
    address: passport.address?.text ?? '',
    districtId: record.districtId,
    phones: passport.phones.length > 0 ? [...passport.phones] : [''],
    representative: contactDraft(passport.legalRepresentative),
    caregivers: passport.caregivers.map(contactDraft),
    diseaseGroup: record.diseaseGroup,
    diagnoses: record.diagnoses.map((d) => ({ code: d.code, role: d.role, since: d.since ?? '' })),
    eligibility: record.eligibility,
    inclusionDate: record.inclusionDate,
    careSetting: lastOnOrBefore(record.careSettingHistory)?.setting ?? '',
    needs,
    caregiver: record.caregiver,
  };
}

function isBlank(contact: ContactDraft): boolean {
  return contact.name.trim() === '' && contact.relation.trim() === '' && contact.phone.trim() === '';
}

/** A phone in its stored form when it is one, else as typed (the validator then names it). */
function phoneOf(typed: string): string {
  return normalisePhone(typed.trim()) ?? typed.trim();
}

function contactOf(draft: ContactDraft): Contact {
  const contact: Contact = { name: draft.name.trim(), relation: draft.relation.trim() };
  if (draft.phone.trim() !== '') contact.phone = phoneOf(draft.phone);
  return contact;
}

/** Optional text: absent when blank. */
function optional<K extends string>(key: K, value: string): Partial<Record<K, string>> {
  const text = value.trim();
  return text === '' ? {} : ({ [key]: text } as Record<K, string>);
}

/**
 * The records layer's input. Empty rows (a blank phone, a blank caregiver) are left out; values that cannot be
 * right (an empty sex, a bad phone) are passed on as they are for the validators to name.
 */
export function inputFromDraft(draft: PatientDraft): PatientInput {
  const passport: PatientInput['passport'] = {
    surname: draft.surname.trim(),
    name: draft.name.trim(),
    ...optional('patronymic', draft.patronymic),
    birthDate: draft.birthDate,
    sex: draft.sex as Sex,
    ...optional('snils', draft.snils),
    ...optional('omsPolicy', draft.omsPolicy.replace(/\s+/g, '')),
    phones: draft.phones.filter((phone) => phone.trim() !== '').map(phoneOf),
    caregivers: draft.caregivers.filter((contact) => !isBlank(contact)).map(contactOf),
  };
  const documentFields = [draft.documentSeries, draft.documentNumber, draft.documentIssuedBy, draft.documentIssuedOn];
  if (draft.documentKind !== '' || documentFields.some((value) => value.trim() !== '')) {
    passport.identityDocument = {
      kind: draft.documentKind as IdentityDocumentKind,
      number: draft.documentNumber.trim(),
      ...optional('series', draft.documentSeries),
      ...optional('issuedBy', draft.documentIssuedBy),
      ...optional('issuedOn', draft.documentIssuedOn),
    };
  }
  if (draft.address.trim() !== '') {
    passport.address = { text: draft.address.trim(), ...optional('districtId', draft.districtId) };
  }
  if (!isBlank(draft.representative)) passport.legalRepresentative = contactOf(draft.representative);
  const needs: Partial<Record<Need, NeedState>> = {};
  for (const need of NEEDS) {
    if (draft.needs[need] !== 'no') needs[need] = { needed: true, met: draft.needs[need] === 'met' };
  }
  return {
    passport,
    record: {
      sex: draft.sex as Sex,
      districtId: draft.districtId,
      diseaseGroup: draft.diseaseGroup as DiseaseGroup,
      diagnoses: draft.diagnoses.map((d) => ({ code: d.code.trim(), role: d.role, ...optional('since', d.since) })),
      eligibility: draft.eligibility as EligibilityBasis,
      inclusionDate: draft.inclusionDate,
      careSetting: draft.careSetting as CareSetting,
      needs,
      caregiver: draft.caregiver as CaregiverAvailability,
    },
  };
}

/** Fields the form does not show (bookkeeping, or said twice: sex and birth year come from the passport). */
const HIDDEN_RECORD_FIELD = /^(_id|type|createdBy|createdAt|updatedBy|updatedAt|sex|birthYear|statusHistory)/;

/**
 * A problem's path as a field of the form: the record's dated histories are edited as the care setting and needs
 * in force; problems of fields the form does not show are dropped by `formErrors` unless nothing else explains them.
 */
export function formFieldOf(path: string): string | null {
  if (path.startsWith('passport.')) return path === 'passport.patientId' ? null : path;
  if (!path.startsWith('record.')) return null;
  const field = path.slice('record.'.length);
  if (field.startsWith('careSettingHistory')) return field.endsWith('.from') ? null : 'record.careSetting';
  if (field.startsWith('needsHistory')) return field.endsWith('.from') ? null : 'record.needs';
  if (HIDDEN_RECORD_FIELD.test(field)) return null;
  return path;
}

/** Problems by form field (first message wins); problems no field shows are returned apart. */
export function formErrors(problems: readonly ValidationError[]): { byField: DraftErrors; other: string[] } {
  const byField: DraftErrors = {};
  const other: string[] = [];
  for (const problem of problems) {
    const field = formFieldOf(problem.field);
    if (field === null) {
      if (!problem.field.startsWith('record.')) other.push(problem.message);
    } else {
      byField[field] ??= problem.message;
    }
  }
  return { byField, other };
}

/** Which draft row each stored phone and caregiver came from (blank rows are left out of the input). */
function rowsKept(draft: PatientDraft): Record<'phones' | 'caregivers', number[]> {
  const kept = <T>(rows: readonly T[], blank: (row: T) => boolean) =>
    rows.flatMap((row, index) => (blank(row) ? [] : [index]));
  return {
    phones: kept(draft.phones, (phone) => phone.trim() === ''),
    caregivers: kept(draft.caregivers, isBlank),
  };
}

/**
 * Problems of the input made from `draft`, with list positions turned back into the draft's rows: the third phone
 * row is `passport.phones[2]` even when a blank row before it was left out of what was saved.
 */
export function problemsInDraftRows(problems: readonly ValidationError[], draft: PatientDraft): ValidationError[] {
  const rows = rowsKept(draft);
  return problems.map((problem) => {
    const match = /^passport\.(phones|caregivers)\[(\d+)\](.*)$/.exec(problem.field);
    if (!match) return problem;
    const list = match[1] as 'phones' | 'caregivers';
    const row = rows[list][Number(match[2])];
    return row === undefined ? problem : { ...problem, field: `passport.${list}[${row}]${match[3] ?? ''}` };
  });
}

/** Every problem of the draft as the records layer would find it, before anything is saved. */
export function validateDraft(draft: PatientDraft, today: string, lookups: ReferenceLookups): ValidationError[] {
  const input = inputFromDraft(draft);
  const passport: PassportData = { ...input.passport, patientId: SOME_UUID };
  const { careSetting, needs, ...fields } = input.record;
  const from = input.record.inclusionDate;
  const record: PatientRecord = {
    _id: `patient:${SOME_UUID}`,
    type: 'patient',
    ...fields,
    birthYear: Number(draft.birthDate.slice(0, 4)) || 0,
    statusHistory: [{ from, status: 'active' }],
    careSettingHistory: [{ from, setting: careSetting }],
    needsHistory: [{ from, needs }],
    createdBy: 'someone',
    createdAt: '2000-01-01T00:00:00.000Z',
  };
  const problems: ValidationError[] = [
    ...validatePassportData(passport, today).map((p) => ({ ...p, field: `passport.${p.field}` })),
    ...validatePatientRecord(record, today, lookups).map((p) => ({ ...p, field: `record.${p.field}` })),
  ];
  // An empty choice is a missing answer, not a malformed reference id.
  return problemsInDraftRows(problems, draft).map((problem) =>
    problem.field === 'record.districtId' && draft.districtId === ''
      ? { ...problem, message: 'Укажите район.' }
      : problem,
  );
}

/** The id of the control showing `field` (`passport.caregivers[1].phone` → `passport-caregivers-1-phone`). */
export function controlId(field: string): string {
  return field.replace(/[^A-Za-z0-9]+/g, '-').replace(/-+$/, '');
}
