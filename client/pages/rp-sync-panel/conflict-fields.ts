/**
 * What a person reads when two versions of a record are shown side by side: each field under the label the forms
 * give it, each value the way the patient file shows it — codes by name where the reference book has them, dated
 * histories as lines «дата — значение», sealed values as «зашифровано» unless the records layer opened them.
 * Values are compared raw elsewhere (conflict-merge.ts); this module only words them.
 */
import type { MessageKey, MessageParams } from '../../i18n/i18n.ts';
import { isSealed } from '../../../common/records/index.ts';
import type { PatientReference } from '../rp-patients-section/patient-reference.ts';

type Translate = (key: MessageKey, params?: MessageParams) => string;

/** What turns codes into names; any part may be missing (the reference replica may still be empty). */
export interface ConflictWording {
  t: Translate;
  locale: string;
  reference?: PatientReference | null;
  medicamentName?: ((id: string) => string | null) | null;
  facilityName?: ((id: string) => string | null) | null;
}

/** A value as shown: one line, or a list of lines. */
export type Shown = string | string[];

const LABELS: Readonly<Record<string, Readonly<Record<string, MessageKey>>>> = {
  patient: {
    sex: 'patients.form.sex',
    birthYear: 'sync.field.birthYear',
    districtId: 'patients.form.district',
    diseaseGroup: 'patients.form.diseaseGroup',
    diagnoses: 'patients.form.diagnoses',
    eligibility: 'patients.form.eligibility',
    inclusionDate: 'patients.form.inclusionDate',
    statusHistory: 'care.record.status',
    careSettingHistory: 'patients.form.careSetting',
    needsHistory: 'patients.form.needs',
    caregiver: 'patients.form.caregiverAvailability',
  },
  visit: {
    date: 'care.visit.date',
    visitType: 'care.visit.type',
    performer: 'care.visits.performer',
    performerRole: 'sync.field.performerRole',
    ecog: 'care.scale.ecog',
    karnofsky: 'care.scale.karnofsky',
    pps: 'care.scale.pps',
    pain: 'care.scale.pain',
    esas: 'care.visit.esas',
    syndromes: 'care.visit.syndromes',
    needsNoticed: 'care.visit.needsNoticed',
    note: 'care.visit.note',
  },
  prescription: {
    medicamentId: 'care.prescription.medicament',
    dose: 'care.prescription.dose',
    doseUnit: 'care.prescription.doseUnit',
    route: 'care.prescription.route',
    timesPerDay: 'care.prescription.timesPerDay',
    intervalHours: 'care.prescription.intervalHours',
    regimen: 'care.prescription.regimen',
    maxDailyDose: 'care.prescription.maxDailyDose',
    start: 'care.prescription.start',
    end: 'care.prescription.end',
    quantity: 'care.prescription.quantity',
    prescriptionForm: 'care.prescription.form',
    number: 'care.prescription.number',
    prescriber: 'care.list.prescriber',
    status: 'care.list.status',
    cancellation: 'sync.field.cancellation',
    transferredFrom: 'sync.field.transferredFrom',
  },
};

const AUTHORSHIP_LABELS: Readonly<Record<string, MessageKey>> = {
  createdBy: 'sync.field.createdBy',
  createdAt: 'sync.field.createdAt',
  updatedBy: 'sync.field.updatedBy',
  updatedAt: 'sync.field.updatedAt',
};

/** Coded values worded by a message per code: `prefix.<code>`. */
const CODED: Readonly<Record<string, string>> = {
  sex: 'patients.sex',
  diseaseGroup: 'patients.diseaseGroup',
  eligibility: 'patients.eligibility',
  caregiver: 'patients.caregiver',
  visitType: 'care.visitType',
  performerRole: 'care.performer',
  doseUnit: 'care.doseUnit',
  route: 'ref.route',
  regimen: 'care.regimen',
  status: 'care.status',
};

/** The label of a field of a document of `type`, or the field's own name when no form shows it. */
export function fieldLabel(type: string, field: string, t: Translate): string {
  const key = LABELS[type]?.[field] ?? AUTHORSHIP_LABELS[field];
  return key ? t(key) : field;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `2026-11-28` → `28.11.2026`; a time in the user's format; anything else as it is. */
function dateText(value: unknown, locale: string): string {
  if (typeof value !== 'string') return String(value);
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (day) return `${day[3]}.${day[2]}.${day[1]}`;
  const time = Date.parse(value);
  return /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(time) ? new Date(time).toLocaleString(locale) : value;
}

function coded(w: ConflictWording, prefix: string, code: unknown): string {
  if (typeof code !== 'string') return String(code);
  const text = w.t(`${prefix}.${code}` as MessageKey);
  return text === `${prefix}.${code}` ? code : text;
}

/** Free text or a sealed value: «зашифровано» unless it was opened. */
function textOrSealed(w: ConflictWording, value: unknown): string {
  if (isSealed(value)) return w.t('sync.field.sealed');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function withName(code: string, name: string | null | undefined): string {
  return name ? `${code} ${name}` : code;
}

function statusLine(w: ConflictWording, entry: Record<string, unknown>): string {
  const parts = [coded(w, 'patients.status', entry.status)];
  if (entry.reason !== undefined) parts.push(coded(w, 'care.exclusion', entry.reason));
  const death = entry.death;
  if (isRecord(death)) {
    const place = coded(w, 'care.deathPlace', death.place);
    parts.push(w.t('care.death', { date: dateText(death.date, w.locale), place }));
    if (typeof death.causeCode === 'string') {
      parts.push(withName(death.causeCode, w.reference?.diagnosisName(death.causeCode)));
    }
  }
  if (typeof entry.transferredTo === 'string') {
    const facility = w.facilityName?.(entry.transferredTo) ?? entry.transferredTo;
    parts.push(w.t('care.transferredTo', { facility }));
  }
  if (entry.note !== undefined) parts.push(`${w.t('sync.field.note')}: ${textOrSealed(w, entry.note)}`);
  return parts.join(', ');
}

function needsLine(w: ConflictWording, needs: unknown): string {
  if (!isRecord(needs)) return w.t('care.needs.none');
  const listed = Object.entries(needs)
    .filter(([, state]) => isRecord(state) && state.needed === true)
    .map(([need, state]) => {
      const met = isRecord(state) && state.met === true;
      return `${coded(w, 'care.need', need)} (${w.t(met ? 'care.needs.met' : 'care.needs.unmet')})`;
    });
  return listed.length > 0 ? listed.join(', ') : w.t('care.needs.none');
}

/** A dated history as lines «дата — значение», oldest first. */
function historyLines(w: ConflictWording, field: string, history: unknown[]): string[] {
  return history.filter(isRecord).map((entry) => {
    const value =
      field === 'statusHistory'
        ? statusLine(w, entry)
        : field === 'careSettingHistory'
          ? coded(w, 'care.setting', entry.setting)
          : needsLine(w, entry.needs);
    return `${dateText(entry.from, w.locale)} — ${value}`;
  });
}

function diagnosisLine(w: ConflictWording, diagnosis: Record<string, unknown>): string {
  const code = typeof diagnosis.code === 'string' ? diagnosis.code : '?';
  const parts = [withName(code, w.reference?.diagnosisName(code)), coded(w, 'care.diagnosisRole', diagnosis.role)];
  if (typeof diagnosis.since === 'string') parts.push(w.t('care.since', { date: dateText(diagnosis.since, w.locale) }));
  return parts.join(' — ');
}

/** How one value of field `field` of a document of `type` reads. */
export function shownValue(type: string, field: string, value: unknown, w: ConflictWording): Shown {
  if (value === undefined || value === null) return '—';
  if (Array.isArray(value)) {
    if (field.endsWith('History')) return historyLines(w, field, value);
    if (field === 'diagnoses') return value.filter(isRecord).map((d) => diagnosisLine(w, d));
    if (field === 'syndromes') return value.map((code) => coded(w, 'care.syndrome', code));
    if (field === 'needsNoticed') return value.map((code) => coded(w, 'care.need', code));
    return value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item)));
  }
  if (field === 'note' || field === 'number' || isSealed(value)) return textOrSealed(w, value);
  if (field === 'esas' && isRecord(value)) {
    return Object.entries(value).map(([item, score]) => `${coded(w, 'care.esas', item)}: ${String(score)}`);
  }
  if (field === 'cancellation' && isRecord(value)) {
    const when = dateText(value.at, w.locale);
    return `${when} — ${String(value.by)}; ${w.t('sync.field.reason')}: ${textOrSealed(w, value.reason)}`;
  }
  if (field === 'districtId' && typeof value === 'string') return w.reference?.districtName(value) ?? value;
  if (field === 'medicamentId' && typeof value === 'string') return w.medicamentName?.(value) ?? value;
  if (field === 'transferredFrom' && typeof value === 'string') return w.facilityName?.(value) ?? value;
  if (type === 'prescription' && field === 'status') return coded(w, 'care.status', value);
  if (field === 'prescriptionForm' && value === 'inpatient-sheet') return w.t('care.prescriptionForm.inpatient-sheet');
  const prefix = CODED[field];
  if (prefix) return coded(w, prefix, value);
  if (typeof value === 'string') return dateText(value, w.locale);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
