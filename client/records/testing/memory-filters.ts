/**
 * TEST-ONLY: the filters of the in-memory `FacilityRecords` (memory-records.ts) — what a patient list and a
 * prescription search answer, by the contract's `PatientFilter` and `PrescriptionFilter` — and the small date and
 * history helpers it shares with them.
 */
import { valueOn } from '../../../common/records/index.ts';
import type { PatientRecord } from '../records-types.ts';
import type { PatientFilter, PatientSummary, PrescriptionFilter, PrescriptionView } from '../records-api.ts';

/** What the prescription filter needs to know of a medicament. */
export interface MedicamentFacts {
  innRu: string;
  innLatin: string;
  atcCode: string;
  opioidClass: 'none' | 'weak' | 'strong';
}

/** Whole years from `birthDate` to `today` (both `YYYY-MM-DD`). */
export function ageOn(birthDate: string, today: string): number {
  const years = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return today.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

/**
 * Whether an ICD-10 code answers a filter: one code (`C34` takes `C34.1`), a prefix (`C3`), or a range (`C30-C39`
 * takes `C39.8`).
 */
export function diagnosisMatches(code: string, filter: string): boolean {
  const wanted = filter.trim().toUpperCase().replace(/\s+/g, '');
  if (wanted === '') return true;
  const [from, to] = wanted.split('-');
  if (from !== undefined && to !== undefined && to !== '') return code >= from && (code <= to || code.startsWith(to));
  // A whole category takes its subcategories (C34 → C34.1, not C340); anything shorter is a plain prefix (C3).
  return /^[A-Z]\d{2}$/.test(wanted) ? code === wanted || code.startsWith(wanted + '.') : code.startsWith(wanted);
}

/** A dated history with `entry` in force from its date: an entry of the same date is replaced. */
export function withEntry<T extends { from: string }>(history: readonly T[], entry: T): T[] {
  return [...history.filter((old) => old.from !== entry.from), entry].sort((a, b) => a.from.localeCompare(b.from));
}

/** Whether a patient (its list row and record) answers the record filters of a `PatientFilter`. */
export function patientAnswers(
  row: PatientSummary,
  record: PatientRecord | null,
  filter: PatientFilter,
  today: string,
): boolean {
  if (!record) return false;
  if (filter.status?.length && !filter.status.includes(row.status)) return false;
  if (filter.diseaseGroup?.length && !filter.diseaseGroup.includes(row.diseaseGroup)) return false;
  if (filter.diagnosis && !record.diagnoses.some((d) => diagnosisMatches(d.code, filter.diagnosis ?? ''))) {
    return false;
  }
  if (filter.districtId && row.districtId !== filter.districtId) return false;
  if (filter.careSetting?.length && (row.careSetting === null || !filter.careSetting.includes(row.careSetting))) {
    return false;
  }
  if (filter.needs?.length) {
    const needs = valueOn(record.needsHistory, today)?.needs ?? {};
    if (!filter.needs.every((need) => needs[need]?.needed === true)) return false;
  }
  if (filter.ecogAtLeast !== undefined && !(row.latest.ecog !== undefined && row.latest.ecog >= filter.ecogAtLeast))
    return false;
  if (filter.ppsAtMost !== undefined && !(row.latest.pps !== undefined && row.latest.pps <= filter.ppsAtMost))
    return false;
  if (filter.painAtLeast !== undefined && !(row.latest.pain !== undefined && row.latest.pain >= filter.painAtLeast))
    return false;
  return true;
}

/** Whether a prescription answers a `PrescriptionFilter`; `medicaments` tells INN, ATC code and opioid class. */
export function prescriptionAnswers(
  view: PrescriptionView,
  filter: PrescriptionFilter,
  medicaments: ReadonlyMap<string, MedicamentFacts>,
): boolean {
  const p = view.prescription;
  if (filter.patientId && !p._id.startsWith(`prescription:${filter.patientId}:`)) return false;
  if (filter.prescriber && p.prescriber !== filter.prescriber) return false;
  if (filter.status?.length && !filter.status.includes(view.displayStatus)) return false;
  const medicament = medicaments.get(p.medicamentId);
  if (filter.opioid && medicament?.opioidClass !== filter.opioid) return false;
  if (filter.medicament) {
    const wanted = filter.medicament.trim().toLowerCase();
    const words = [p.medicamentId, medicament?.innRu, medicament?.innLatin].map((text) => text?.toLowerCase() ?? '');
    const atc = medicament?.atcCode.toLowerCase() ?? '';
    if (!(p.medicamentId === filter.medicament || atc.startsWith(wanted) || words.some((w) => w.includes(wanted)))) {
      return false;
    }
  }
  const end = view.prescription.cancellation?.at.slice(0, 10) ?? p.end;
  if (filter.to && p.start > filter.to) return false;
  if (filter.from && end !== undefined && end < filter.from) return false;
  return true;
}
