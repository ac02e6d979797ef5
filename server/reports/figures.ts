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
import type { Medicament } from '../../common/reference/types.ts';
import { addDays, overlapDays } from './dates.ts';
import { dailyUnits } from './medicine-quantity.ts';
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

/** Patients per figure key, and sums with the patients behind them. */
class Tally {
  private readonly patients = new Map<string, Set<string>>();
  private readonly sums = new Map<string, number>();

  add(key: string, patientId: string, amount?: number): void {
    let set = this.patients.get(key);
    if (!set) this.patients.set(key, (set = new Set()));
    set.add(patientId);
    if (amount !== undefined) this.sums.set(key, (this.sums.get(key) ?? 0) + amount);
  }

  figures(round: (key: string, value: number) => number): Figures {
    const figures: Figures = new Map();
    for (const [key, set] of this.patients) {
      const sum = this.sums.get(key);
      figures.set(key, { value: sum === undefined ? set.size : round(key, sum), patients: set.size });
    }
    return figures;
  }
}

function ageGroupOf(age: number): string {
  return AGE_GROUPS.find((group) => age >= group.min && age <= group.max)?.key ?? '75+';
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

function uniqueById<T extends { id: string }>(lists: readonly T[][]): T[] {
  const seen = new Set<string>();
  const all: T[] = [];
  for (const list of lists) {
    for (const item of list) {
      if (seen.has(item.id)) continue;
      seen.add(item.id);
      all.push(item);
    }
  }
  return all;
}

function tallyRegistered(tally: Tally, patient: PatientRow, to: string): void {
  const id = patient.patientId;
  tally.add('registered', id);
  tally.add(`status:${stepOn(patient.status, to)?.status ?? ''}`, id);
  tally.add(`disease:${patient.diseaseGroup}`, id);
  const age = Number(to.slice(0, 4)) - patient.birthYear;
  const group = ageGroupOf(age);
  tally.add(age < 18 ? 'children' : 'adults', id);
  tally.add(`age:${group}`, id);
  tally.add(`sex:${patient.sex}`, id);
  tally.add(`sex-age:${patient.sex}:${group}`, id);
  const setting = entryOn(patient.care, to)?.setting ?? 'unknown';
  tally.add(`care:${setting}`, id);
  const needs = entryOn(patient.needs, to)?.needs ?? {};
  for (const [need, state] of Object.entries(needs)) {
    if (!state.needed) continue;
    tally.add(`need:${need}:needed`, id);
    if (state.met) tally.add(`need:${need}:met`, id);
  }
  const respiratory = needs['respiratory-support'];
  if (setting === 'home' && respiratory?.needed) {
    tally.add('respiratory-home-needed', id);
    if (respiratory.met) tally.add('respiratory-home-met', id);
  }
}

function tallyMovement(tally: Tally, records: readonly PatientRow[], period: ReportPeriod): void {
  const { from, to } = period;
  const within = (date: string | null): boolean => date !== null && from <= date && date <= to;
  const id = records[0]?.patientId ?? '';
  if (records.some((record) => within(record.inclusionDate))) tally.add('included', id);
  for (const record of records) {
    const exclusions = record.status.filter((step) => step.status === 'excluded' && within(step.from));
    const last = exclusions[exclusions.length - 1];
    if (last) {
      tally.add('excluded', id);
      tally.add(`excluded:${last.reason ?? 'other'}`, id);
      break;
    }
  }
  for (const record of records) {
    const death = record.status.find((step) => step.status === 'deceased' && within(step.deathDate));
    if (death) {
      tally.add('deaths', id);
      tally.add(`death:${death.deathPlace ?? 'other'}`, id);
      break;
    }
  }
}

function firstVisitWithin48h(record: PatientRow, visits: readonly VisitRow[]): boolean {
  const last = addDays(record.inclusionDate, 2);
  return visits.some(
    (visit) =>
      VISITS_FACE_TO_FACE.includes(visit.visitType) && record.inclusionDate <= visit.date && visit.date <= last,
  );
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

/** Everything prescriptions give: opioids in the period, bands on `to`, totals, medicines for the next period. */
function tallyPrescriptions(
  tally: Tally,
  prescriptions: readonly PrescriptionRow[],
  registeredOnTo: ReadonlySet<string>,
  medicaments: ReadonlyMap<string, ReportMedicament>,
  period: ReportPeriod,
): void {
  const { from, to } = period;
  const nextFrom = addDays(to, 1);
  const nextTo = addDays(to, period.nextDays);
  const endStates = new Map<string, EndState>();
  for (const p of prescriptions) {
    const last = lastDayInForce(p);
    const medicament = medicaments.get(p.medicamentId);
    if (!medicament || last < p.start) continue;
    const id = p.patientId;
    const daysInPeriod = overlapDays(p.start, last, from, to);
    const opioid = medicament.opioidClass !== 'none';
    if (opioid && daysInPeriod > 0) {
      tally.add(medicament.opioidClass === 'weak' ? 'opioid-weak' : 'opioid-strong', id);
      const equivalent = dailyMorphineEquivalent(p, medicament);
      if (equivalent.kind === 'no-factor') tally.add('ome-no-factor', id);
      else if (equivalent.kind === 'invalid') tally.add('ome-invalid', id);
      else {
        const key = equivalent.regimen === 'regular' ? 'ome-regular' : 'ome-as-needed';
        tally.add(key, id, equivalent.morphineMgPerDay * daysInPeriod);
      }
    }
    if (opioid && registeredOnTo.has(id) && p.start <= to && to <= last) {
      const state = endStates.get(id) ?? { regularMg: 0, hasRegular: false, noFactor: false, invalid: false };
      const equivalent = dailyMorphineEquivalent(p, medicament);
      if (equivalent.kind === 'no-factor') state.noFactor = true;
      else if (equivalent.kind === 'invalid') state.invalid = true;
      else if (equivalent.regimen === 'regular') {
        state.regularMg += equivalent.morphineMgPerDay;
        state.hasRegular = true;
      }
      endStates.set(id, state);
    }
    const daysNext = overlapDays(p.start, last, nextFrom, nextTo);
    if (registeredOnTo.has(id) && daysNext > 0) {
      const units = dailyUnits(p, medicament);
      if (units !== null) tally.add(`medicine:${p.medicamentId}`, id, units * daysNext);
    }
  }
  for (const [id, state] of endStates) {
    tally.add('opioid-end', id);
    const band: OmeBand = state.noFactor
      ? 'no-factor'
      : state.invalid
        ? 'invalid'
        : bandOf(state.regularMg, state.hasRegular);
    tally.add(`band:${band}`, id);
  }
}

/** Rounding of sums: mg to two decimals, medicines up to whole units (a little float noise is not a unit). */
export function roundSum(key: string, value: number): number {
  if (key.startsWith('medicine:')) return Math.ceil(value - 1e-9);
  return Math.round(value * 100) / 100;
}

/** The figures of one scope (see the definitions above); keys missing from the map are zero. */
export function computeFigures(
  scope: readonly FacilityRows[],
  medicaments: ReadonlyMap<string, ReportMedicament>,
  period: ReportPeriod,
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
    const registered = records.find((record) => onRegister(record, to));
    if (registered) {
      registeredOnTo.add(id);
      tallyRegistered(tally, registered, to);
    }
    tallyMovement(tally, records, period);
    const included = records.find((record) => from <= record.inclusionDate && record.inclusionDate <= to);
    if (included && firstVisitWithin48h(included, visitsOf.get(id) ?? [])) tally.add('first-visit-48h', id);
  }
  const prescriptions = uniqueById(scope.map((facility) => facility.prescriptions));
  tallyPrescriptions(tally, prescriptions, registeredOnTo, medicaments, period);
  return tally.figures(roundSum);
}
