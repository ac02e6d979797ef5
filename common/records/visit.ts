/**
 * `visit:<patientId>:<uuid>` — one contact with a patient: when, how, by whom, the scales (ECOG, Karnofsky, PPS,
 * pain NRS, ESAS-r), leading syndromes and needs noticed. The note is sealed: people type names into notes.
 */
import {
  AUTHORSHIP_FIELDS,
  META_FIELDS,
  UUID_PATTERN,
  authorshipErrors,
  idErrors,
  isInteger,
  isLogin,
  isOneOf,
  isRecord,
  notObject,
  pastDateErrors,
  sealedErrors,
  unknownFieldErrors,
  type ValidationError,
} from './checks.ts';
import { ESAS_ITEMS, NEEDS, PERFORMER_ROLES, SYNDROMES, VISIT_TYPES, type Visit } from './types.ts';

const VISIT_FIELDS = [
  ...META_FIELDS,
  'type',
  'date',
  'visitType',
  'performer',
  'performerRole',
  'ecog',
  'karnofsky',
  'pps',
  'pain',
  'esas',
  'syndromes',
  'needsNoticed',
  'note',
  ...AUTHORSHIP_FIELDS,
];

/** The scales: range and step. Karnofsky and PPS go in tens. */
const SCALES: { field: 'ecog' | 'karnofsky' | 'pps' | 'pain'; max: number; step: number; message: string }[] = [
  { field: 'ecog', max: 4, step: 1, message: 'ECOG — целое от 0 до 4.' },
  { field: 'karnofsky', max: 100, step: 10, message: 'Индекс Карновского — от 0 до 100 с шагом 10.' },
  { field: 'pps', max: 100, step: 10, message: 'PPS — от 0 до 100 с шагом 10.' },
  { field: 'pain', max: 10, step: 1, message: 'Боль (ЦРШ) — целое от 0 до 10.' },
];

/** A list of distinct values of `allowed`. */
function enumListErrors(value: unknown, allowed: readonly string[], field: string, errors: ValidationError[]): void {
  if (!Array.isArray(value)) {
    errors.push({ field, message: 'Ожидается список.' });
    return;
  }
  value.forEach((item: unknown, index: number) => {
    if (!isOneOf(item, allowed)) errors.push({ field: field + '[' + index + ']', message: 'Неизвестное значение.' });
    else if (value.indexOf(item) !== index)
      errors.push({ field: field + '[' + index + ']', message: 'Значение повторяется.' });
  });
}

/** Every structural problem of a visit; `today` (`YYYY-MM-DD`) bounds its date. */
export function validateVisit(doc: unknown, today: string): ValidationError[] {
  if (!isRecord(doc)) return notObject();
  const errors = idErrors(doc, 'visit', [UUID_PATTERN, UUID_PATTERN], 'visit:<patientId>:<uuid>');
  unknownFieldErrors(doc, VISIT_FIELDS, '', errors);
  pastDateErrors(doc.date, today, 'date', errors);
  if (!isOneOf(doc.visitType, VISIT_TYPES)) {
    errors.push({ field: 'visitType', message: 'Вид: на дому, по телефону, в кабинете, в стационаре.' });
  }
  if (!isLogin(doc.performer)) errors.push({ field: 'performer', message: 'Укажите, кто провёл посещение.' });
  if (!isOneOf(doc.performerRole, PERFORMER_ROLES)) {
    errors.push({ field: 'performerRole', message: 'Посещение проводит врач или медицинская сестра.' });
  }
  for (const scale of SCALES) {
    const value = doc[scale.field];
    if (value !== undefined && !(isInteger(value, 0, scale.max) && value % scale.step === 0)) {
      errors.push({ field: scale.field, message: scale.message });
    }
  }
  if (doc.esas !== undefined) {
    const esas = doc.esas;
    if (!isRecord(esas)) errors.push({ field: 'esas', message: 'ESAS-r — оценки девяти симптомов.' });
    else {
      for (const item in esas) {
        if (!isOneOf(item, ESAS_ITEMS)) errors.push({ field: 'esas.' + item, message: 'Неизвестный пункт ESAS-r.' });
        else if (!isInteger(esas[item], 0, 10))
          errors.push({ field: 'esas.' + item, message: 'Оценка — целое от 0 до 10.' });
      }
    }
  }
  enumListErrors(doc.syndromes, SYNDROMES, 'syndromes', errors);
  enumListErrors(doc.needsNoticed, NEEDS, 'needsNoticed', errors);
  if (doc.note !== undefined) sealedErrors(doc.note, 'note', errors);
  authorshipErrors(doc, errors);
  return errors;
}

export function isVisit(doc: unknown, today: string): doc is Visit {
  return validateVisit(doc, today).length === 0;
}

/** The patient a visit or prescription id belongs to (`visit:<patientId>:<uuid>`), or null. */
export function patientIdOf(docId: string): string | null {
  const parts = docId.split(':');
  return parts.length === 3 && UUID_PATTERN.test(parts[1] ?? '') ? (parts[1] ?? null) : null;
}
