/**
 * `patient:<patientId>` — the pseudonymous medical record (ARCHITECTURE.md, "Documents"). Status, care setting and
 * needs are dated histories, so a report can ask what was true on any day: `valueOn(history, date)` answers it.
 * Free text is never plain here: a status note is sealed like a passport.
 */
import {
  AUTHORSHIP_FIELDS,
  DISTRICT_ID,
  FACILITY_ID,
  ICD10_CODE,
  META_FIELDS,
  UUID_PATTERN,
  authorshipErrors,
  idErrors,
  isDate,
  isInteger,
  isOneOf,
  isRecord,
  notObject,
  pastDateErrors,
  sealedErrors,
  unknownFieldErrors,
  type Fields,
  type ReferenceLookups,
  type ValidationError,
} from './checks.ts';
import {
  CAREGIVER_AVAILABILITY,
  CARE_SETTINGS,
  DEATH_PLACES,
  DIAGNOSIS_ROLES,
  DISEASE_GROUPS,
  ELIGIBILITY_BASES,
  EXCLUSION_REASONS,
  NEEDS,
  PATIENT_STATUSES,
  SEXES,
  type PatientRecord,
  type PatientStatus,
} from './types.ts';

const PATIENT_FIELDS = [
  ...META_FIELDS,
  'type',
  'sex',
  'birthYear',
  'districtId',
  'diseaseGroup',
  'diagnoses',
  'eligibility',
  'inclusionDate',
  'statusHistory',
  'careSettingHistory',
  'needsHistory',
  'caregiver',
  ...AUTHORSHIP_FIELDS,
];

/** The entry of a dated history in force on `date` (the last one from that date or before), or null. */
export function valueOn<T extends { from: string }>(history: readonly T[], date: string): T | null {
  let found: T | null = null;
  for (const entry of history) {
    if (entry.from <= date) found = entry;
  }
  return found;
}

/** The patient's status on `onDate`, or null before the first entry. */
export function currentStatus(record: Pick<PatientRecord, 'statusHistory'>, onDate: string): PatientStatus | null {
  return valueOn(record.statusHistory, onDate)?.status ?? null;
}

/** The date may not come before the year of birth (`birthYear` when it is valid) nor after today. */
function lifetimeDateErrors(
  value: unknown,
  birthYear: number | null,
  today: string,
  field: string,
  errors: ValidationError[],
): void {
  const before = errors.length;
  pastDateErrors(value, today, field, errors);
  if (errors.length === before && birthYear !== null && Number(String(value).slice(0, 4)) < birthYear) {
    errors.push({ field, message: 'Дата не может быть раньше года рождения.' });
  }
}

/**
 * Checks a dated history: a non-empty list of objects ordered by `from`; `entryErrors` checks the rest of each
 * entry. Returns the entries that are objects, for checks across entries.
 */
function historyErrors(
  value: unknown,
  field: string,
  birthYear: number | null,
  today: string,
  errors: ValidationError[],
  entryErrors: (entry: Fields, path: string) => void,
): Fields[] {
  if (!Array.isArray(value) || value.length === 0) {
    errors.push({ field, message: 'История не может быть пустой.' });
    return [];
  }
  const entries: Fields[] = [];
  let previous: string | null = null;
  value.forEach((entry: unknown, index: number) => {
    const path = field + '[' + index + ']';
    if (!isRecord(entry)) {
      errors.push({ field: path, message: 'Запись истории должна быть объектом.' });
      return;
    }
    entries.push(entry);
    lifetimeDateErrors(entry.from, birthYear, today, path + '.from', errors);
    if (isDate(entry.from)) {
      if (previous !== null && entry.from < previous) {
        errors.push({ field: path + '.from', message: 'Записи истории должны идти по порядку дат.' });
      }
      previous = entry.from;
    }
    entryErrors(entry, path);
  });
  return entries;
}

function diagnosesErrors(value: unknown, today: string, lookups: ReferenceLookups, errors: ValidationError[]): void {
  if (!Array.isArray(value) || value.length === 0) {
    errors.push({ field: 'diagnoses', message: 'Укажите хотя бы основной диагноз.' });
    return;
  }
  const seen: Record<string, number> = {};
  let mains = 0;
  value.forEach((diagnosis: unknown, index: number) => {
    const path = 'diagnoses[' + index + ']';
    if (!isRecord(diagnosis)) {
      errors.push({ field: path, message: 'Диагноз должен быть объектом.' });
      return;
    }
    unknownFieldErrors(diagnosis, ['code', 'role', 'since'], path, errors);
    const code = diagnosis.code;
    if (typeof code !== 'string' || !ICD10_CODE.test(code)) {
      errors.push({ field: path + '.code', message: 'Код МКБ-10 должен иметь вид C34 или C34.1.' });
    } else if (lookups.diagnosisExists && !lookups.diagnosisExists(code)) {
      errors.push({ field: path + '.code', message: 'Кода ' + code + ' нет в справочнике МКБ-10.' });
    } else if (seen[code] !== undefined) {
      errors.push({
        field: path + '.code',
        message: 'Диагноз ' + code + ' уже указан в diagnoses[' + seen[code] + '].',
      });
    } else {
      seen[code] = index;
    }
    if (!isOneOf(diagnosis.role, DIAGNOSIS_ROLES)) {
      errors.push({ field: path + '.role', message: 'Роль диагноза: основной, сопутствующий или осложнение.' });
    } else if (diagnosis.role === 'main') {
      mains += 1;
    }
    if (diagnosis.since !== undefined) pastDateErrors(diagnosis.since, today, path + '.since', errors);
  });
  if (mains !== 1) errors.push({ field: 'diagnoses', message: 'Основной диагноз должен быть ровно один.' });
}

function statusEntryErrors(birthYear: number | null, today: string, errors: ValidationError[]) {
  return (entry: Fields, path: string): void => {
    unknownFieldErrors(entry, ['from', 'status', 'reason', 'death', 'transferredTo', 'note'], path, errors);
    const status = entry.status;
    if (!isOneOf(status, PATIENT_STATUSES)) errors.push({ field: path + '.status', message: 'Неизвестный статус.' });
    if (status === 'excluded') {
      if (!isOneOf(entry.reason, EXCLUSION_REASONS)) {
        errors.push({ field: path + '.reason', message: 'Укажите причину исключения из регистра.' });
      }
    } else if (entry.reason !== undefined) {
      errors.push({ field: path + '.reason', message: 'Причина указывается только при исключении.' });
    }
    if (status === 'deceased') {
      const death = entry.death;
      if (!isRecord(death)) {
        errors.push({ field: path + '.death', message: 'Укажите дату и место смерти.' });
      } else {
        unknownFieldErrors(death, ['date', 'causeCode', 'place'], path + '.death', errors);
        lifetimeDateErrors(death.date, birthYear, today, path + '.death.date', errors);
        if (
          death.causeCode !== undefined &&
          !(typeof death.causeCode === 'string' && ICD10_CODE.test(death.causeCode))
        ) {
          errors.push({ field: path + '.death.causeCode', message: 'Причина смерти — код МКБ-10 вида C34 или C34.1.' });
        }
        if (!isOneOf(death.place, DEATH_PLACES)) {
          errors.push({ field: path + '.death.place', message: 'Место смерти: дом, хоспис, больница или другое.' });
        }
      }
    } else if (entry.death !== undefined) {
      errors.push({ field: path + '.death', message: 'Сведения о смерти — только при статусе «умер».' });
    }
    if (status === 'transferred') {
      if (!(typeof entry.transferredTo === 'string' && FACILITY_ID.test(entry.transferredTo))) {
        errors.push({ field: path + '.transferredTo', message: 'Укажите организацию, куда переведён пациент.' });
      }
    } else if (entry.transferredTo !== undefined) {
      errors.push({ field: path + '.transferredTo', message: 'Организация указывается только при переводе.' });
    }
    if (entry.note !== undefined) sealedErrors(entry.note, path + '.note', errors);
  };
}

function needsEntryErrors(errors: ValidationError[]) {
  return (entry: Fields, path: string): void => {
    unknownFieldErrors(entry, ['from', 'needs'], path, errors);
    const needs = entry.needs;
    if (!isRecord(needs)) {
      errors.push({ field: path + '.needs', message: 'Потребности — объект «потребность → есть/обеспечена».' });
      return;
    }
    for (const need in needs) {
      const state = needs[need];
      const at = path + '.needs.' + need;
      if (!isOneOf(need, NEEDS)) errors.push({ field: at, message: 'Неизвестная потребность.' });
      else if (!isRecord(state) || typeof state.needed !== 'boolean' || typeof state.met !== 'boolean') {
        errors.push({ field: at, message: 'Укажите, есть ли потребность и обеспечена ли она.' });
      } else if (state.met && !state.needed) {
        errors.push({ field: at + '.met', message: 'Обеспеченной может быть только имеющаяся потребность.' });
      } else {
        unknownFieldErrors(state, ['needed', 'met'], at, errors);
      }
    }
  };
}

/**
 * Every structural problem of a patient record. `today` (`YYYY-MM-DD`) bounds the dates; `lookups` lets the
 * client check diagnosis codes and districts against its reference books.
 */
export function validatePatientRecord(doc: unknown, today: string, lookups: ReferenceLookups = {}): ValidationError[] {
  if (!isRecord(doc)) return notObject();
  const errors = idErrors(doc, 'patient', [UUID_PATTERN], 'patient:<uuid>');
  unknownFieldErrors(doc, PATIENT_FIELDS, '', errors);
  if (!isOneOf(doc.sex, SEXES)) errors.push({ field: 'sex', message: 'Укажите пол.' });
  const thisYear = Number(today.slice(0, 4));
  const birthYear = isInteger(doc.birthYear, thisYear - 130, thisYear) ? doc.birthYear : null;
  if (birthYear === null)
    errors.push({ field: 'birthYear', message: 'Год рождения — не позже текущего и не раньше чем 130 лет назад.' });
  if (!(typeof doc.districtId === 'string' && DISTRICT_ID.test(doc.districtId))) {
    errors.push({ field: 'districtId', message: 'Район — запись справочника «district:…».' });
  } else if (lookups.districtExists && !lookups.districtExists(doc.districtId)) {
    errors.push({ field: 'districtId', message: 'Такого района нет в справочнике.' });
  }
  if (!isOneOf(doc.diseaseGroup, DISEASE_GROUPS)) {
    errors.push({
      field: 'diseaseGroup',
      message: 'Группа: онкология, ВИЧ в терминальной стадии или другое прогрессирующее заболевание.',
    });
  }
  diagnosesErrors(doc.diagnoses, today, lookups, errors);
  if (!isOneOf(doc.eligibility, ELIGIBILITY_BASES)) {
    errors.push({ field: 'eligibility', message: 'Укажите основание для паллиативной помощи.' });
  }
  lifetimeDateErrors(doc.inclusionDate, birthYear, today, 'inclusionDate', errors);
  const statuses = historyErrors(
    doc.statusHistory,
    'statusHistory',
    birthYear,
    today,
    errors,
    statusEntryErrors(birthYear, today, errors),
  );
  const final = statuses.findIndex((entry) => entry.status === 'deceased');
  if (final !== -1 && final < statuses.length - 1) {
    errors.push({ field: 'statusHistory[' + (final + 1) + '].status', message: 'После смерти статус не меняется.' });
  }
  historyErrors(doc.careSettingHistory, 'careSettingHistory', birthYear, today, errors, (entry, path) => {
    unknownFieldErrors(entry, ['from', 'setting'], path, errors);
    if (!isOneOf(entry.setting, CARE_SETTINGS))
      errors.push({ field: path + '.setting', message: 'Неизвестное место оказания помощи.' });
  });
  historyErrors(doc.needsHistory, 'needsHistory', birthYear, today, errors, needsEntryErrors(errors));
  if (!isOneOf(doc.caregiver, CAREGIVER_AVAILABILITY)) {
    errors.push({ field: 'caregiver', message: 'Укажите, есть ли кому ухаживать: да, частично, нет.' });
  }
  authorshipErrors(doc, errors);
  return errors;
}

export function isPatientRecord(doc: unknown, today: string): doc is PatientRecord {
  return validatePatientRecord(doc, today).length === 0;
}
