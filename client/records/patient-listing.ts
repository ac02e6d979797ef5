/**
 * The patient list as pages ask for it: decrypted name fields joined with the pseudonymous record and the latest
 * scales from visits, filtered by what the record says. Pure functions over what the repository holds in memory,
 * so the rules are the same for the first screen and for every keystroke, and testable without a database.
 */
import { currentStatus, valueOn } from '../../common/records/patient.ts';
import type { PassportData, PatientRecord, Visit } from './records-types.ts';
import type { PatientFilter, PatientSummary } from './records-api.ts';

/** The latest value of each scale over a patient's visits, and the date of the latest visit. */
export interface LatestScales {
  lastVisit: string | null;
  ecog?: { date: string; value: number };
  pps?: { date: string; value: number };
  pain?: { date: string; value: number };
}

const SCALES = ['ecog', 'pps', 'pain'] as const;

/** Folds one visit into a patient's latest scales: each scale keeps its most recent recorded value. */
export function withVisit(
  latest: LatestScales | undefined,
  visit: Pick<Visit, 'date' | 'ecog' | 'pps' | 'pain'>,
): LatestScales {
  const next: LatestScales = { ...(latest ?? { lastVisit: null }) };
  if (next.lastVisit === null || visit.date > next.lastVisit) next.lastVisit = visit.date;
  for (const scale of SCALES) {
    const value = visit[scale];
    const known = next[scale];
    if (value !== undefined && (known === undefined || visit.date >= known.date)) {
      next[scale] = { date: visit.date, value };
    }
  }
  return next;
}

/** Whole years between a birth date and `today` (both `YYYY-MM-DD`). */
export function ageOn(birthDate: string, today: string): number {
  const years = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return today.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

/** The status in force on `today`; a history that starts later (an inclusion dated ahead) shows its first entry. */
function statusOn(record: PatientRecord, today: string): PatientSummary['status'] {
  return currentStatus(record, today) ?? record.statusHistory[0]?.status ?? 'pending';
}

export function summaryOf(
  passport: PassportData,
  record: PatientRecord,
  latest: LatestScales | undefined,
  today: string,
): PatientSummary {
  const scales: PatientSummary['latest'] = {};
  for (const scale of SCALES) {
    const value = latest?.[scale]?.value;
    if (value !== undefined) scales[scale] = value;
  }
  return {
    patientId: passport.patientId,
    surname: passport.surname,
    name: passport.name,
    ...(passport.patronymic === undefined ? {} : { patronymic: passport.patronymic }),
    birthDate: passport.birthDate,
    age: ageOn(passport.birthDate, today),
    sex: record.sex,
    status: statusOn(record, today),
    diseaseGroup: record.diseaseGroup,
    mainDiagnosis: record.diagnoses.find((diagnosis) => diagnosis.role === 'main')?.code ?? null,
    districtId: record.districtId,
    careSetting: (valueOn(record.careSettingHistory, today) ?? record.careSettingHistory[0])?.setting ?? null,
    lastVisit: latest?.lastVisit ?? null,
    latest: scales,
  };
}

/**
 * Whether an ICD-10 code answers a typed diagnosis filter: a code (`C34`) matches itself and its subcategories
 * (`C34.1`), as a prefix; a range (`C30-C39`, also `C30–C39`) matches every code whose category lies within it, ends included.
 */
export function diagnosisMatches(code: string, filter: string): boolean {
  const typed = filter.trim().toUpperCase().replace(/\s/g, '');
  if (typed === '') return true;
  const range = /^([A-Z]\d{2}(?:\.\d{1,2})?)[-–—]([A-Z]\d{2}(?:\.\d{1,2})?)$/.exec(typed);
  if (range) {
    const [from, to] = [range[1] ?? '', range[2] ?? ''];
    return code >= from && (code <= to || code.startsWith(to));
  }
  return code.startsWith(typed);
}

/** True when a filter asks about the record or visits, not only about the name. */
export function hasRecordFilters(filter: PatientFilter): boolean {
  return (
    filter.status !== undefined ||
    filter.diseaseGroup !== undefined ||
    (filter.diagnosis !== undefined && filter.diagnosis.trim() !== '') ||
    filter.districtId !== undefined ||
    filter.careSetting !== undefined ||
    filter.needs !== undefined ||
    filter.ecogAtLeast !== undefined ||
    filter.ppsAtMost !== undefined ||
    filter.painAtLeast !== undefined
  );
}

/** Whether a patient passes every record filter (the text is matched by the search index before this). */
export function passesFilter(
  summary: PatientSummary,
  record: PatientRecord,
  filter: PatientFilter,
  today: string,
): boolean {
  if (filter.status && !filter.status.includes(summary.status)) return false;
  if (filter.diseaseGroup && !filter.diseaseGroup.includes(summary.diseaseGroup)) return false;
  if (filter.districtId !== undefined && summary.districtId !== filter.districtId) return false;
  if (filter.careSetting && (summary.careSetting === null || !filter.careSetting.includes(summary.careSetting))) {
    return false;
  }
  const diagnosis = filter.diagnosis;
  if (diagnosis !== undefined && !record.diagnoses.some((entry) => diagnosisMatches(entry.code, diagnosis))) {
    return false;
  }
  if (filter.needs && filter.needs.length > 0) {
    const needs = (valueOn(record.needsHistory, today) ?? record.needsHistory[0])?.needs ?? {};
    if (!filter.needs.every((need) => needs[need]?.needed === true)) return false;
  }
  const { ecog, pps, pain } = summary.latest;
  if (filter.ecogAtLeast !== undefined && !(ecog !== undefined && ecog >= filter.ecogAtLeast)) return false;
  if (filter.ppsAtMost !== undefined && !(pps !== undefined && pps <= filter.ppsAtMost)) return false;
  if (filter.painAtLeast !== undefined && !(pain !== undefined && pain >= filter.painAtLeast)) return false;
  return true;
}

const collator = new Intl.Collator('ru', { sensitivity: 'base' });

/** Alphabetical order of the list without a query: surname, name, patronymic, then birth date. */
export function byName(a: PatientSummary, b: PatientSummary): number {
  return (
    collator.compare(a.surname, b.surname) ||
    collator.compare(a.name, b.name) ||
    collator.compare(a.patronymic ?? '', b.patronymic ?? '') ||
    a.birthDate.localeCompare(b.birthDate)
  );
}
