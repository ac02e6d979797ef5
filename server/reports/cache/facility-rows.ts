/**
 * The report rows of one facility database, kept in memory in compact form and replaced document by document as
 * the database changes (report-cache.ts feeds it from `_changes`).
 *
 * Prescriptions and visits are the bulk — a million prescriptions in a regional register — so they live in typed
 * columns (days as day numbers, medicaments, units and visit types as small indexes into per-facility string
 * tables, patients as indexes into the facility's patient list), about 60 bytes a prescription besides its id.
 * Patient records are a tenth as many and keep their parsed rows. A row whose dates are not calendar dates (a
 * document restored without validation, say) is kept as it was parsed rather than forced into a column.
 *
 * `rowsFor(period)` hands the figures only what the period needs, with the same bounds as the report view's key
 * ranges: records still open or closed on or after `from`, visits from `from` to `to`+2, prescriptions in force on
 * or after `from` that start by the end of the next period. Checking a day column is a few milliseconds for a
 * million rows, so the columns are not split by month: the bound is on what is handed on, not on what is looked at.
 */
import { addDays, dayNumber, dayText, isCalendarDate } from '../dates.ts';
import { lastDayInForce } from '../figures.ts';
import type { FacilityRows, PatientRow, PrescriptionRow, VisitRow } from '../report-rows.ts';
import type { ReportPeriod } from '../figures.ts';
import type { DocumentRow } from './document-row.ts';

/** A missing date in a day column. */
const NONE = -2_147_483_648;
/** A cancellation without a readable day: in force on no day (the view gives ''). */
const NO_DAY = -2_147_483_647;
const DEAD = -1;

/** Strings seen often, stored once and referred to by index. */
export class StringTable {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();

  constructor(values: readonly string[] = []) {
    for (const value of values) this.indexOf(value);
  }

  indexOf(value: string): number {
    let found = this.index.get(value);
    if (found === undefined) {
      found = this.values.length;
      this.values.push(value);
      this.index.set(value, found);
    }
    return found;
  }

  at(index: number): string {
    return this.values[index] ?? '';
  }
}

type Columns = Record<string, Int32Array | Float64Array | Uint8Array>;

/** Slots of typed columns with an id per slot; a freed slot is reused by the next row. */
class ColumnSlots<C extends Columns> {
  ids: string[] = [];
  private readonly slotOf = new Map<string, number>();
  private readonly free: number[] = [];
  columns: C;

  constructor(
    private readonly make: (capacity: number) => C,
    private readonly alive: (columns: C, slot: number) => boolean,
    private readonly kill: (columns: C, slot: number) => void,
  ) {
    this.columns = make(1024);
  }

  get size(): number {
    return this.slotOf.size;
  }

  /** Slots in use so far, dead ones included: the range to scan. */
  get length(): number {
    return this.ids.length;
  }

  has(id: string): boolean {
    return this.slotOf.has(id);
  }

  isAlive(slot: number): boolean {
    return this.alive(this.columns, slot);
  }

  /** The slot for `id`, its old one when it has one. */
  slotFor(id: string): number {
    const existing = this.slotOf.get(id);
    if (existing !== undefined) return existing;
    const slot = this.free.pop() ?? this.ids.length;
    if (slot === this.ids.length) {
      this.ids.push(id);
      this.ensure(slot + 1);
    } else {
      this.ids[slot] = id;
    }
    this.slotOf.set(id, slot);
    return slot;
  }

  remove(id: string): void {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return;
    this.slotOf.delete(id);
    this.kill(this.columns, slot);
    this.ids[slot] = '';
    this.free.push(slot);
  }

  private ensure(capacity: number): void {
    const current = Object.values(this.columns)[0]?.length ?? 0;
    if (capacity <= current) return;
    const grown = this.make(Math.max(capacity, current * 2));
    for (const [name, column] of Object.entries(this.columns)) (grown[name] as typeof column).set(column);
    this.columns = grown;
  }

  /** Fills an empty set of slots with rows read back from a snapshot: slot n holds `ids[n]`. */
  load(ids: string[], columns: C): void {
    this.ids = ids;
    this.columns = columns;
    ids.forEach((id, slot) => this.slotOf.set(id, slot));
  }

  /** The live slots in order, for persisting. */
  liveSlots(): number[] {
    const slots: number[] = [];
    for (let slot = 0; slot < this.ids.length; slot += 1) if (this.alive(this.columns, slot)) slots.push(slot);
    return slots;
  }
}

const prescriptionColumns = (n: number) => ({
  patient: new Int32Array(n),
  medicament: new Int32Array(n),
  unit: new Uint8Array(n),
  regimen: new Uint8Array(n),
  dose: new Float64Array(n),
  timesPerDay: new Float64Array(n),
  intervalHours: new Float64Array(n),
  maxDailyDose: new Float64Array(n),
  start: new Int32Array(n),
  end: new Int32Array(n),
  cancelled: new Int32Array(n),
  last: new Int32Array(n),
});
type PrescriptionColumns = ReturnType<typeof prescriptionColumns>;

const visitColumns = (n: number) => ({
  patient: new Int32Array(n),
  day: new Int32Array(n),
  type: new Uint8Array(n),
});
type VisitColumns = ReturnType<typeof visitColumns>;

/** The columns a snapshot must carry, by kind. */
export const COLUMN_NAMES = {
  visit: Object.keys(visitColumns(0)),
  prescription: Object.keys(prescriptionColumns(0)),
};

const REGIMENS = ['regular', 'as-needed'] as const;

const optional = (value: number): number | undefined => (Number.isNaN(value) ? undefined : value);

/** What a facility's rows look like when written to the cache file: string tables, patients, then columns. */
export interface FacilityRowsSnapshot {
  strings: { patients: string[]; medicaments: string[]; units: string[]; visitTypes: string[] };
  patients: [string, PatientRow, string][];
  odd: { visits: VisitRow[]; prescriptions: PrescriptionRow[] };
  skipped: string[];
  visitIds: string[];
  prescriptionIds: string[];
  visitColumns: VisitColumns;
  prescriptionColumns: PrescriptionColumns;
}

export class FacilityRowStore {
  private readonly patientIds = new StringTable();
  private readonly medicaments = new StringTable();
  private readonly units = new StringTable();
  private readonly visitTypes = new StringTable();
  /** Patient records by document id, with the date of their view key. */
  private readonly patients = new Map<string, { row: PatientRow; key: string }>();
  private readonly visits = new ColumnSlots<VisitColumns>(
    visitColumns,
    (c, slot) => c.patient[slot] !== DEAD,
    (c, slot) => void (c.patient[slot] = DEAD),
  );
  private readonly prescriptions = new ColumnSlots<PrescriptionColumns>(
    prescriptionColumns,
    (c, slot) => c.patient[slot] !== DEAD,
    (c, slot) => void (c.patient[slot] = DEAD),
  );
  /** Rows kept as parsed because a date in them is not a calendar date. */
  private readonly oddVisits = new Map<string, VisitRow>();
  private readonly oddPrescriptions = new Map<string, PrescriptionRow>();
  /** Documents that emit a row of the wrong shape. */
  private readonly skipped = new Set<string>();

  constructor(readonly facilityId: string) {}

  /** Rows held, by kind. */
  counts(): { patients: number; visits: number; prescriptions: number; skipped: number } {
    return {
      patients: this.patients.size,
      visits: this.visits.size + this.oddVisits.size,
      prescriptions: this.prescriptions.size + this.oddPrescriptions.size,
      skipped: this.skipped.size,
    };
  }

  /** Replaces whatever the document `id` gave before with `row` (null: it gives nothing now, or was deleted). */
  apply(id: string, row: DocumentRow | null): void {
    this.patients.delete(id);
    this.visits.remove(id);
    this.prescriptions.remove(id);
    this.oddVisits.delete(id);
    this.oddPrescriptions.delete(id);
    this.skipped.delete(id);
    if (row === null) return;
    if (row.kind === 'skipped') this.skipped.add(id);
    else if (row.kind === 'patient') this.patients.set(id, { row: row.row, key: row.key });
    else if (row.kind === 'visit') this.putVisit(row.row);
    else this.putPrescription(row.row);
  }

  private putVisit(row: VisitRow): void {
    if (!isCalendarDate(row.date) || this.visitTypes.values.length > 250) {
      this.oddVisits.set(row.id, row);
      return;
    }
    const slot = this.visits.slotFor(row.id);
    const c = this.visits.columns;
    c.patient[slot] = this.patientIds.indexOf(row.patientId);
    c.day[slot] = dayNumber(row.date);
    c.type[slot] = this.visitTypes.indexOf(row.visitType);
  }

  private putPrescription(row: PrescriptionRow): void {
    const calendar = (date: string | null) => date === null || isCalendarDate(date);
    const cancelledOk = row.cancelledOn === null || row.cancelledOn === '' || isCalendarDate(row.cancelledOn);
    if (!isCalendarDate(row.start) || !calendar(row.end) || !cancelledOk || this.units.values.length > 250) {
      this.oddPrescriptions.set(row.id, row);
      return;
    }
    const slot = this.prescriptions.slotFor(row.id);
    const c = this.prescriptions.columns;
    c.patient[slot] = this.patientIds.indexOf(row.patientId);
    c.medicament[slot] = this.medicaments.indexOf(row.medicamentId);
    c.unit[slot] = this.units.indexOf(row.doseUnit);
    c.regimen[slot] = row.regimen === 'regular' ? 0 : 1;
    c.dose[slot] = row.dose;
    c.timesPerDay[slot] = row.timesPerDay ?? NaN;
    c.intervalHours[slot] = row.intervalHours ?? NaN;
    c.maxDailyDose[slot] = row.maxDailyDose ?? NaN;
    c.start[slot] = dayNumber(row.start);
    c.end[slot] = row.end === null ? NONE : dayNumber(row.end);
    c.cancelled[slot] = row.cancelledOn === null ? NONE : row.cancelledOn === '' ? NO_DAY : dayNumber(row.cancelledOn);
    const last = lastDayInForce(row);
    c.last[slot] = last === '' ? NO_DAY : dayNumber(last);
  }

  private prescriptionAt(slot: number): PrescriptionRow {
    const c = this.prescriptions.columns;
    const end = c.end[slot] ?? NONE;
    const cancelled = c.cancelled[slot] ?? NONE;
    // Every row gets the same fields in the same order (absent ones undefined): one object shape for the figures.
    return {
      id: this.prescriptions.ids[slot] ?? '',
      patientId: this.patientIds.at(c.patient[slot] ?? 0),
      medicamentId: this.medicaments.at(c.medicament[slot] ?? 0),
      dose: c.dose[slot] ?? 0,
      doseUnit: this.units.at(c.unit[slot] ?? 0) as PrescriptionRow['doseUnit'],
      timesPerDay: optional(c.timesPerDay[slot] ?? NaN),
      intervalHours: optional(c.intervalHours[slot] ?? NaN),
      regimen: REGIMENS[c.regimen[slot] ?? 0] ?? 'regular',
      maxDailyDose: optional(c.maxDailyDose[slot] ?? NaN),
      start: dayText(c.start[slot] ?? 0),
      end: end === NONE ? null : dayText(end),
      cancelledOn: cancelled === NONE ? null : cancelled === NO_DAY ? '' : dayText(cancelled),
    };
  }

  /** The rows a report of `period` needs (see the header for the bounds). */
  rowsFor(period: ReportPeriod): FacilityRows {
    const patients: PatientRow[] = [];
    for (const { row, key } of this.patients.values()) if (key >= period.from) patients.push(row);
    const visits: VisitRow[] = [];
    const visitsTo = addDays(period.to, 2);
    const [visitFrom, visitTo] = [dayNumber(period.from), dayNumber(visitsTo)];
    const v = this.visits.columns;
    for (let slot = 0; slot < this.visits.length; slot += 1) {
      const day = v.day[slot] ?? 0;
      if (day < visitFrom || day > visitTo || v.patient[slot] === DEAD) continue;
      visits.push({
        id: this.visits.ids[slot] ?? '',
        patientId: this.patientIds.at(v.patient[slot] ?? 0),
        date: dayText(day),
        visitType: this.visitTypes.at(v.type[slot] ?? 0),
      });
    }
    for (const row of this.oddVisits.values()) if (row.date >= period.from && row.date <= visitsTo) visits.push(row);
    const prescriptions: PrescriptionRow[] = [];
    const from = dayNumber(period.from);
    const startsBy = dayNumber(addDays(period.to, period.nextDays));
    const p = this.prescriptions.columns;
    for (let slot = 0; slot < this.prescriptions.length; slot += 1) {
      if ((p.last[slot] ?? 0) < from || (p.start[slot] ?? 0) > startsBy || p.patient[slot] === DEAD) continue;
      prescriptions.push(this.prescriptionAt(slot));
    }
    for (const row of this.oddPrescriptions.values()) if (lastDayInForce(row) >= period.from) prescriptions.push(row);
    return { facilityId: this.facilityId, patients, visits, prescriptions, skipped: this.skipped.size };
  }

  /** Everything held, compacted (live slots only), for the cache file. */
  snapshot(): FacilityRowsSnapshot {
    const pick = <C extends Columns>(slots: ColumnSlots<C>, make: (n: number) => C): [string[], C] => {
      const live = slots.liveSlots();
      const out = make(live.length);
      for (const [name, column] of Object.entries(slots.columns)) {
        const target = out[name] as typeof column;
        live.forEach((slot, index) => (target[index] = column[slot] ?? 0));
      }
      return [live.map((slot) => slots.ids[slot] ?? ''), out];
    };
    const [visitIds, visitCols] = pick(this.visits, visitColumns);
    const [prescriptionIds, prescriptionCols] = pick(this.prescriptions, prescriptionColumns);
    return {
      strings: {
        patients: this.patientIds.values,
        medicaments: this.medicaments.values,
        units: this.units.values,
        visitTypes: this.visitTypes.values,
      },
      patients: [...this.patients].map(([id, { row, key }]) => [id, row, key]),
      odd: { visits: [...this.oddVisits.values()], prescriptions: [...this.oddPrescriptions.values()] },
      skipped: [...this.skipped],
      visitIds,
      prescriptionIds,
      visitColumns: visitCols,
      prescriptionColumns: prescriptionCols,
    };
  }

  /** A store holding exactly what `snapshot()` gave. */
  static fromSnapshot(facilityId: string, snapshot: FacilityRowsSnapshot): FacilityRowStore {
    const store = new FacilityRowStore(facilityId);
    for (const value of snapshot.strings.patients) store.patientIds.indexOf(value);
    for (const value of snapshot.strings.medicaments) store.medicaments.indexOf(value);
    for (const value of snapshot.strings.units) store.units.indexOf(value);
    for (const value of snapshot.strings.visitTypes) store.visitTypes.indexOf(value);
    for (const [id, row, key] of snapshot.patients) store.patients.set(id, { row, key });
    for (const row of snapshot.odd.visits) store.oddVisits.set(row.id, row);
    for (const row of snapshot.odd.prescriptions) store.oddPrescriptions.set(row.id, row);
    for (const id of snapshot.skipped) store.skipped.add(id);
    store.visits.load(snapshot.visitIds, snapshot.visitColumns);
    store.prescriptions.load(snapshot.prescriptionIds, snapshot.prescriptionColumns);
    return store;
  }
}
