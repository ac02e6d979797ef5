/**
 * The figures of the summary report for one scope — one facility, or all chosen facilities together for the total
 * column — computed from the rows of the report views. Every figure has a written definition here (the
 * integration test checks each against its own computation over the raw documents):
 *
 * - A patient is on the register on a day when included by then and their status that day is active or pending.
 *   "End of the period" is `to`; age is `to`'s year minus the birth year; children are under 18.
 * - Included: inclusion date in the period. Excluded: an `excluded` status starting in the period, by the reason
 *   of the last such. Deaths: a death date in the period, by place.
 * - Care setting and needs: the entry in force on `to`, for patients on the register then. Respiratory support at
 *   home: the need `respiratory-support` with the care setting `home`; "receiving" is the need met.
 * - Home visits: visits of type home dated in the period. First visit within 48 hours: of the patients included in
 *   the period, those with a home, office or inpatient visit dated from the inclusion day to two days after it.
 * - A prescription is in force from its start to its end, or to the day before it was cancelled. Patients on weak
 *   (strong) opioids: an opioid of that class in force on a day of the period. Bands: the regular doses in force on
 *   `to`, in oral morphine mg a day, for patients on the register then; a patient with an opioid that has no
 *   factor is in the "no factor" band, never counted as zero. Totals: mg a day × days in force within the period,
 *   regular and as-needed apart, from the current reference book.
 * - Medicines for the next period (`to`+1 … `to`+`nextDays`): units a day × days in force in it, for patients on
 *   the register on `to`, rounded up per medicament.
 *
 * A transferred patient is counted once: records of one patient id in several facilities of the scope count as one
 * patient (the first facility in the request's order that satisfies a definition gives the breakdown), and a
 * visit or prescription copied with the patient counts once by its document id.
 */
import { dailyMorphineEquivalent } from '../../common/records/prescription.ts';
import type { DailyEquivalent } from '../../common/reference/opioid-equivalence.ts';
import type { Medicament } from '../../common/reference/types.ts';
import { addDays, overlapDays } from './dates.ts';
import { dailyUnits } from './medicine-quantity.ts';
import { keyOf, Tally } from './tally.ts';
import { AGE_GROUPS, OME_BANDS, ON_REGISTER, type OmeBand } from './report-layout.ts';
import type { FacilityRows, PatientRow, PrescriptionRow, StatusStep, VisitRow } from './report-rows.ts';

export interface ReportPeriod {
  from: string;
  to: string;
  nextDays: number;
}

/** One figure: its value, and how many patients it is built from (the same number for a count). */
export interface Cell {
  value: number;
  patients: number;
}

export type Figures = Map<string, Cell>;

export type ReportMedicament = Pick<
  Medicament,
  '_id' | 'innRu' | 'form' | 'strength' | 'strengthUnit' | 'opioidClass' | 'morphineFactor' | 'factorBasis'
>;

const OPEN = '9999-12-31';
const VISITS_FACE_TO_FACE = ['home', 'office', 'inpatient'];

/** The status step in force on `date`, or null before the first. */
export function stepOn(steps: readonly StatusStep[], date: string): StatusStep | null {
  let found: StatusStep | null = null;
  for (const step of steps) if (step.from <= date) found = step;
  return found;
}

function entryOn<T extends { from: string }>(entries: readonly T[], date: string): T | null {
  let found: T | null = null;
  for (const entry of entries) if (entry.from <= date) found = entry;
  return found;
}

export function onRegister(patient: PatientRow, date: string): boolean {
  const step = stepOn(patient.status, date);
  return patient.inclusionDate <= date && step !== null && ON_REGISTER.includes(step.status);
}

/** The last day a prescription is in force, or '' when it never was (cancelled before any day). */
export function lastDayInForce(p: PrescriptionRow): string {
  let last = p.end ?? OPEN;
  if (p.cancelledOn !== null) {
    const dayBefore = p.cancelledOn === '' ? '' : addDays(p.cancelledOn, -1);
    if (dayBefore < last) last = dayBefore;
  }
  return last;
}

function ageGroupOf(age: number): string {
  for (const group of AGE_GROUPS) if (age >= group.min && age <= group.max) return group.key;
  return '75+';
}

function byPatient(scope: readonly FacilityRows[]): Map<string, PatientRow[]> {
  const grouped = new Map<string, PatientRow[]>();
  for (const facility of scope) {
    for (const patient of facility.patients) {
      const list = grouped.get(patient.patientId);
      if (list) list.push(patient);
      else grouped.set(patient.patientId, [patient]);
    }
  }
  return grouped;
}

/**
 * Every document once, the first facility's copy kept. Only a transfer puts one document in two databases, and it
 * copies a patient's documents, so only documents of patients met in an earlier facility need their ids checked —
 * a Set of every id in a million-prescription report would cost more than the rest of the prescriptions' work.
 */
function duplicatesOf<T extends { id: string; patientId: string }>(lists: readonly (readonly T[])[]): Uint8Array[] {
  const marks = lists.map((list) => new Uint8Array(list.length));
  // One facility's database holds each document once.
  if (lists.length < 2) return marks;
  const facilityOf = new Map<string, number>();
  const shared = new Set<string>();
  lists.forEach((list, index) => {
    for (const item of list) {
      const first = facilityOf.get(item.patientId);
      if (first === undefined) facilityOf.set(item.patientId, index);
      else if (first !== index) shared.add(item.patientId);
    }
  });
  const seen = new Set<string>();
  lists.forEach((list, index) => {
    const mark = marks[index] as Uint8Array;
    list.forEach((item, position) => {
      if (!shared.has(item.patientId)) return;
      if (seen.has(item.id)) mark[position] = 1;
      else seen.add(item.id);
    });
  });
  return marks;
}

/**
 * Every document once, the first facility's copy kept. Only a transfer puts one document in two databases, and it
 * copies a patient's documents, so only documents of patients met in an earlier facility need their ids checked —
 * a Set of every id in a million-prescription report would cost more than the rest of the prescriptions' work.
 */
function uniqueById<T extends { id: string; patientId: string }>(lists: readonly (readonly T[])[]): T[] {
  if (lists.length === 1) return [...(lists[0] ?? [])];
  const marks = duplicatesOf(lists);
  const all: T[] = [];
  lists.forEach((list, index) => {
    const mark = marks[index] as Uint8Array;
    list.forEach((item, position) => {
      if (mark[position] === 0) all.push(item);
    });
  });
  return all;
}

function tallyRegistered(tally: Tally, patient: PatientRow, to: string): void {
  tally.once('registered');
  tally.once(keyOf('status:', stepOn(patient.status, to)?.status ?? ''));
  tally.once(keyOf('disease:', patient.diseaseGroup));
  const age = Number(to.slice(0, 4)) - patient.birthYear;
  const group = ageGroupOf(age);
  tally.once(age < 18 ? 'children' : 'adults');
  tally.once(keyOf('age:', group));
  tally.once(keyOf('sex:', patient.sex));
  tally.once(keyOf(keyOf('sex-age:', patient.sex), keyOf(':', group)));
  const setting = entryOn(patient.care, to)?.setting ?? 'unknown';
  tally.once(keyOf('care:', setting));
  const needs = entryOn(patient.needs, to)?.needs ?? {};
  for (const [need, state] of Object.entries(needs)) {
    if (!state.needed) continue;
    const prefix = keyOf('need:', need);
    tally.once(keyOf(prefix, ':needed'));
    if (state.met) tally.once(keyOf(prefix, ':met'));
  }
  const respiratory = needs['respiratory-support'];
  if (setting === 'home' && respiratory?.needed) {
    tally.once('respiratory-home-needed');
    if (respiratory.met) tally.once('respiratory-home-met');
  }
}

function tallyMovement(tally: Tally, records: readonly PatientRow[], period: ReportPeriod): void {
  const { from, to } = period;
  let included = false;
  for (const record of records) if (from <= record.inclusionDate && record.inclusionDate <= to) included = true;
  if (included) tally.once('included');
  for (const record of records) {
    let last: StatusStep | null = null;
    for (const step of record.status)
      if (step.status === 'excluded' && from <= step.from && step.from <= to) last = step;
    if (last) {
      tally.once('excluded');
      tally.once(keyOf('excluded:', last.reason ?? 'other'));
      break;
    }
  }
  for (const record of records) {
    let death: StatusStep | null = null;
    for (const step of record.status) {
      const date = step.deathDate;
      if (step.status === 'deceased' && date !== null && from <= date && date <= to) {
        death = step;
        break;
      }
    }
    if (death) {
      tally.once('deaths');
      tally.once(keyOf('death:', death.deathPlace ?? 'other'));
      break;
    }
  }
}

function firstVisitWithin48h(record: PatientRow, visits: readonly VisitRow[]): boolean {
  const last = addDays(record.inclusionDate, 2);
  for (const visit of visits) {
    if (VISITS_FACE_TO_FACE.includes(visit.visitType) && record.inclusionDate <= visit.date && visit.date <= last)
      return true;
  }
  return false;
}

function bandOf(regularMg: number, hasRegular: boolean): OmeBand {
  if (!hasRegular) return 'as-needed-only';
  for (const band of OME_BANDS) {
    if ('min' in band && regularMg >= band.min && regularMg < band.max) return band.key;
  }
  return '200+';
}

interface EndState {
  regularMg: number;
  hasRegular: boolean;
  noFactor: boolean;
  invalid: boolean;
}

/**
 * What one prescription gives for the period whatever the scope it is counted in, worked out once per report: the
 * facility's column and the total column count the same prescription, and a report has a million of them.
 */
interface PrescriptionTerms {
  medicament: ReportMedicament;
  opioid: boolean;
  daysInPeriod: number;
  inForceOnTo: boolean;
  daysNext: number;
  /** For opioids only. */
  equivalent: DailyEquivalent | null;
  /** Units a day, when in force in the next period. */
  units: number | null;
}

/**
 * Terms of prescriptions already worked out in one report (for one period and one reference book), by facility
 * list and position in it: a million lookups by position cost far less than by row.
 */
export type TermsMemo = WeakMap<readonly PrescriptionRow[], (PrescriptionTerms | null | undefined)[]>;

function termsOf(
  p: PrescriptionRow,
  medicaments: ReadonlyMap<string, ReportMedicament>,
  period: ReportPeriod,
  nextFrom: string,
  nextTo: string,
): PrescriptionTerms | null {
  const last = lastDayInForce(p);
  const medicament = medicaments.get(p.medicamentId);
  if (!medicament || last < p.start) return null;
  const opioid = medicament.opioidClass !== 'none';
  const daysNext = overlapDays(p.start, last, nextFrom, nextTo);
  return {
    medicament,
    opioid,
    daysInPeriod: overlapDays(p.start, last, period.from, period.to),
    inForceOnTo: p.start <= period.to && period.to <= last,
    daysNext,
    equivalent: opioid ? dailyMorphineEquivalent(p, medicament) : null,
    units: daysNext > 0 ? dailyUnits(p, medicament) : null,
  };
}

/** Everything prescriptions give: opioids in the period, bands on `to`, totals, medicines for the next period. */
function tallyPrescriptions(
  tally: Tally,
  lists: readonly (readonly PrescriptionRow[])[],
  registeredOnTo: ReadonlySet<string>,
  medicaments: ReadonlyMap<string, ReportMedicament>,
  period: ReportPeriod,
  memo: TermsMemo,
): void {
  const nextFrom = addDays(period.to, 1);
  const nextTo = addDays(period.to, period.nextDays);
  const endStates = new Map<string, EndState>();
  const duplicates = duplicatesOf(lists);
  lists.forEach((list, index) => {
    const duplicate = duplicates[index] as Uint8Array;
    let known = memo.get(list);
    if (!known) memo.set(list, (known = new Array<PrescriptionTerms | null | undefined>(list.length)));
    for (let position = 0; position < list.length; position += 1) {
      if (duplicate[position] === 1) continue;
      const p = list[position] as PrescriptionRow;
      let terms = known[position];
      if (terms === undefined) known[position] = terms = termsOf(p, medicaments, period, nextFrom, nextTo);
      if (terms === null) continue;
      const id = p.patientId;
      const { medicament, equivalent } = terms;
      if (equivalent && terms.daysInPeriod > 0) {
        tally.add(medicament.opioidClass === 'weak' ? 'opioid-weak' : 'opioid-strong', id);
        if (equivalent.kind === 'no-factor') tally.add('ome-no-factor', id);
        else if (equivalent.kind === 'invalid') tally.add('ome-invalid', id);
        else {
          const key = equivalent.regimen === 'regular' ? 'ome-regular' : 'ome-as-needed';
          tally.add(key, id, equivalent.morphineMgPerDay * terms.daysInPeriod);
        }
      }
      const registered = registeredOnTo.has(id);
      if (equivalent && terms.inForceOnTo && registered) {
        const state = endStates.get(id) ?? { regularMg: 0, hasRegular: false, noFactor: false, invalid: false };
        if (equivalent.kind === 'no-factor') state.noFactor = true;
        else if (equivalent.kind === 'invalid') state.invalid = true;
        else if (equivalent.regimen === 'regular') {
          state.regularMg += equivalent.morphineMgPerDay;
          state.hasRegular = true;
        }
        endStates.set(id, state);
      }
      if (terms.units !== null && terms.daysNext > 0 && registered)
        tally.add(keyOf('medicine:', p.medicamentId), id, terms.units * terms.daysNext);
    }
  });
  for (const state of endStates.values()) {
    tally.once('opioid-end');
    const band: OmeBand = state.noFactor
      ? 'no-factor'
      : state.invalid
        ? 'invalid'
        : bandOf(state.regularMg, state.hasRegular);
    tally.once(keyOf('band:', band));
  }
}

/** Rounding of sums: mg to two decimals, medicines up to whole units (a little float noise is not a unit). */
export function roundSum(key: string, value: number): number {
  if (key.startsWith('medicine:')) return Math.ceil(value - 1e-9);
  return Math.round(value * 100) / 100;
}

/**
 * The figures of one scope (see the definitions above); keys missing from the map are zero. Columns of one report
 * share `memo` (same period, same reference book), so a prescription's terms are worked out once.
 */
export function computeFigures(
  scope: readonly FacilityRows[],
  medicaments: ReadonlyMap<string, ReportMedicament>,
  period: ReportPeriod,
  memo: TermsMemo = new WeakMap(),
): Figures {
  const tally = new Tally();
  const { from, to } = period;
  const visits = uniqueById(scope.map((facility) => facility.visits));
  const visitsOf = new Map<string, VisitRow[]>();
  for (const visit of visits) {
    const list = visitsOf.get(visit.patientId);
    if (list) list.push(visit);
    else visitsOf.set(visit.patientId, [visit]);
    if (visit.visitType === 'home' && from <= visit.date && visit.date <= to)
      tally.add('home-visits', visit.patientId, 1);
    if (visit.visitType === 'home' && from <= visit.date && visit.date <= to)
      tally.add('home-visit-patients', visit.patientId);
  }
  const registeredOnTo = new Set<string>();
  for (const [id, records] of byPatient(scope)) {
    // Plain loops: this runs for every patient of every column, and closures here cost more than the work.
    let registered: PatientRow | null = null;
    let included: PatientRow | null = null;
    for (const record of records) {
      if (registered === null && onRegister(record, to)) registered = record;
      if (included === null && from <= record.inclusionDate && record.inclusionDate <= to) included = record;
    }
    if (registered) {
      registeredOnTo.add(id);
      tallyRegistered(tally, registered, to);
    }
    tallyMovement(tally, records, period);
    if (included && firstVisitWithin48h(included, visitsOf.get(id) ?? [])) tally.once('first-visit-48h');
  }
  const prescriptions = scope.map((facility) => facility.prescriptions);
  tallyPrescriptions(tally, prescriptions, registeredOnTo, medicaments, period, memo);
  return tally.figures(roundSum);
}
