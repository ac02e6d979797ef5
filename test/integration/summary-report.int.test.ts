/**
 * The summary report against the real register: hundreds of generated patients across several facilities (written
 * as the server admin into `facility-<id>`, with transfers, copied visits and prescriptions, cancelled and
 * as-needed ones, patches and medicaments without a factor) and a small facility of named edge cases. Every figure
 * of the report is compared with the same figure computed here by brute force over the raw documents — written
 * independently of server/reports, from the definitions in server/reports/figures.ts. Then what analysts see
 * (small cells hidden, complementary suppression), CSV and PDF against JSON, and the refusals. The register's report
 * cache (server/reports/cache/) serves every report here; the view is still checked to build.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { dailyDose, dailyMorphineEquivalent } from '../../common/records/prescription.ts';
import type { PatientRecord, Prescription, Visit } from '../../common/records/types.ts';
import type { Medicament } from '../../common/reference/types.ts';
import { reportRelations } from '../../server/reports/report-layout.ts';
import { refreshReportViews } from '../../server/reports/read-rows.ts';
import { reportCacheOf } from '../../server/reports/cache/report-cache.ts';
import type { SummaryReport } from '../../server/reports/build-report.ts';
import { generateRegister, type FacilityDocument } from '../../server/reports/testing/generated-register.ts';
import { useRegister } from '../helpers/start-register.ts';
import { createFacility, createUser, firstAdmin, logIn, type Session } from '../helpers/users.ts';

const register = useRegister();
const FACILITIES = ['rep-a', 'rep-b', 'rep-c'];
const EDGE = 'rep-edge';
const ALL = [...FACILITIES, EDGE];
const NAMES: Record<string, string> = {
  'rep-a': 'Хоспис Петрозаводска',
  'rep-b': 'Кондопожская ЦРБ',
  'rep-c': 'Сортавальская ЦРБ',
  'rep-edge': 'Отделение граничных случаев',
};

let admin: Session;
let analyst: Session;
let doctor: Session;
let nurse: Session;
/** What the store holds, read back raw: documents per facility. */
const raw = new Map<string, Record<string, unknown>[]>();
let medicaments: Map<string, Medicament>;

// ---------------------------------------------------------------- the edge cases, by name

const E1 = '00000000-0000-4000-a000-0000000000e1';
const E2 = '00000000-0000-4000-a000-0000000000e2';
const E3 = '00000000-0000-4000-a000-0000000000e3';

function edgePatient(id: string, inclusionDate: string, change: Partial<PatientRecord> = {}): PatientRecord {
  return {
    _id: `patient:${id}`,
    type: 'patient',
    sex: 'female',
    birthYear: 1950,
    districtId: 'district:petrozavodsk',
    diseaseGroup: 'cancer',
    diagnoses: [{ code: 'C34.1', role: 'main' }],
    eligibility: 'incurable-cancer',
    inclusionDate,
    statusHistory: [{ from: inclusionDate, status: 'active' }],
    careSettingHistory: [{ from: inclusionDate, setting: 'home' }],
    needsHistory: [{ from: inclusionDate, needs: { 'respiratory-support': { needed: true, met: true } } }],
    caregiver: 'available',
    createdBy: 'olga',
    createdAt: `${inclusionDate}T09:00:00.000Z`,
    ...change,
  };
}

function edgePrescription(patientId: string, n: number, fields: Partial<Prescription>): Prescription {
  return {
    _id: `prescription:${patientId}:00000000-0000-4000-a000-00000000000${n}`,
    type: 'prescription',
    medicamentId: 'medicament:morphine-tablets-10mg',
    dose: 10,
    doseUnit: 'mg',
    route: 'oral',
    timesPerDay: 3,
    regimen: 'regular',
    start: '2026-01-01',
    prescriptionForm: '107/у-НП',
    prescriber: 'olga',
    status: 'active',
    createdBy: 'olga',
    createdAt: '2026-01-01T10:00:00.000Z',
    ...fields,
  };
}

/**
 * E1: on the register since December, morphine 30 mg a day from 20 December to 10 January (10 days inside the
 * period), and trimeperidine — no factor — from June on. E2: included on 29 June, first home visit on 1 July (within
 * 48 hours, after the period), a 25 µg/h fentanyl patch from 25 June to 15 July. E3: died at home on the period's
 * last day, morphine still prescribed.
 */
function edgeDocuments(): FacilityDocument[] {
  const visit: Visit = {
    _id: `visit:${E2}:00000000-0000-4000-a000-000000000001`,
    type: 'visit',
    date: '2026-07-01',
    visitType: 'home',
    performer: 'nina',
    performerRole: 'nurse',
    syndromes: [],
    needsNoticed: [],
    createdBy: 'nina',
    createdAt: '2026-07-01T12:00:00.000Z',
  };
  return [
    edgePatient(E1, '2025-12-01'),
    edgePrescription(E1, 1, { start: '2025-12-20', end: '2026-01-10' }),
    edgePrescription(E1, 2, {
      medicamentId: 'medicament:trimeperidine-injection-20mg-ml',
      dose: 1,
      doseUnit: 'ml',
      route: 'parenteral',
      timesPerDay: 2,
      start: '2026-06-01',
    }),
    edgePatient(E2, '2026-06-29', { sex: 'male', birthYear: 2015 }),
    edgePrescription(E2, 3, {
      medicamentId: 'medicament:fentanyl-patch-25ug-h',
      dose: 25,
      doseUnit: 'ug_per_h',
      route: 'transdermal',
      timesPerDay: 1,
      start: '2026-06-25',
      end: '2026-07-15',
    }),
    visit,
    edgePatient(E3, '2026-02-01', {
      statusHistory: [
        { from: '2026-02-01', status: 'active' },
        { from: '2026-06-30', status: 'deceased', death: { date: '2026-06-30', place: 'home' } },
      ],
    }),
    edgePrescription(E3, 4, { start: '2026-06-01' }),
  ];
}

// ---------------------------------------------------------------- brute force over the raw documents

type Doc = Record<string, unknown>;
const plusDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const between = (date: string | undefined | null, from: string, to: string): boolean =>
  typeof date === 'string' && from <= date && date <= to;
const daysShared = (a1: string, a2: string, b1: string, b2: string): number => {
  const start = a1 > b1 ? a1 : b1;
  const end = a2 < b2 ? a2 : b2;
  if (end < start) return 0;
  return Math.round((Date.parse(end) - Date.parse(start)) / 86_400_000) + 1;
};

function inForce<T extends { from: string }>(history: T[], day: string): T | undefined {
  return history.filter((entry) => entry.from <= day).pop();
}

function isRegisteredOn(record: PatientRecord, day: string): boolean {
  const status = inForce(record.statusHistory, day)?.status;
  return record.inclusionDate <= day && (status === 'active' || status === 'pending');
}

/** A prescription's days in force: start to end, or to the day before its cancellation. */
function daysOf(p: Prescription): [string, string] {
  let last = p.end ?? '9999-12-31';
  if (p.status === 'cancelled') {
    const before = plusDays(p.cancellation?.at.slice(0, 10) ?? '0000-01-02', -1);
    if (before < last) last = before;
  }
  return [p.start, last];
}

/** Pieces or ml a day, worked out for the medicaments the generator uses. */
function unitsPerDay(p: Prescription, m: Medicament): number | null {
  const daily = dailyDose(p).amount;
  if (m.strengthUnit === 'ug_per_h') return p.doseUnit === 'unit' ? daily / 3 : daily / m.strength / 3;
  if (m.strengthUnit === 'mg_per_ml')
    return p.doseUnit === 'ml' ? daily : p.doseUnit === 'mg' ? daily / m.strength : null;
  if (p.doseUnit === 'unit') return daily;
  if (p.doseUnit === 'mg') return daily / m.strength;
  return null;
}

interface Period {
  from: string;
  to: string;
  nextDays: number;
}

/** Every figure of one scope (facilities in order), from the raw documents. */
function bruteForce(scope: string[], period: Period): Map<string, number> {
  const { from, to } = period;
  const out = new Map<string, number>();
  const bump = (key: string, by = 1): void => void out.set(key, (out.get(key) ?? 0) + by);
  const docs = scope.flatMap((id) => raw.get(id) ?? []);
  const seenDocs = new Set<string>();
  const unique = docs.filter((doc) => {
    const id = doc._id as string;
    if (!id.startsWith('patient:') && seenDocs.has(id)) return false;
    seenDocs.add(id);
    return true;
  });
  const records = unique.filter((doc) => doc.type === 'patient') as unknown as PatientRecord[];
  const visits = unique.filter((doc) => doc.type === 'visit') as unknown as Visit[];
  const prescriptions = unique.filter((doc) => doc.type === 'prescription') as unknown as Prescription[];
  const patientIds = [...new Set(records.map((r) => r._id))];
  const registered = new Set<string>();
  for (const pid of patientIds) {
    const mine = records.filter((r) => r._id === pid);
    const reg = mine.find((r) => isRegisteredOn(r, to));
    if (reg) {
      registered.add(pid.slice('patient:'.length));
      const age = Number(to.slice(0, 4)) - reg.birthYear;
      const group = age < 18 ? '0-17' : age < 40 ? '18-39' : age < 60 ? '40-59' : age < 75 ? '60-74' : '75+';
      bump('registered');
      bump(`status:${inForce(reg.statusHistory, to)?.status}`);
      bump(`disease:${reg.diseaseGroup}`);
      bump(age < 18 ? 'children' : 'adults');
      bump(`age:${group}`);
      bump(`sex:${reg.sex}`);
      bump(`sex-age:${reg.sex}:${group}`);
      const setting = inForce(reg.careSettingHistory, to)?.setting ?? 'unknown';
      bump(`care:${setting}`);
      const needs = inForce(reg.needsHistory, to)?.needs ?? {};
      for (const [need, state] of Object.entries(needs)) {
        if (state?.needed) bump(`need:${need}:needed`);
        if (state?.needed && state.met) bump(`need:${need}:met`);
      }
      if (setting === 'home' && needs['respiratory-support']?.needed) {
        bump('respiratory-home-needed');
        if (needs['respiratory-support'].met) bump('respiratory-home-met');
      }
    }
    const included = mine.find((r) => between(r.inclusionDate, from, to));
    if (included) {
      bump('included');
      const seen = visits.some(
        (v) =>
          v._id.split(':')[1] === pid.split(':')[1] &&
          v.visitType !== 'phone' &&
          between(v.date, included.inclusionDate, plusDays(included.inclusionDate, 2)),
      );
      if (seen) bump('first-visit-48h');
    }
    for (const r of mine) {
      const exclusions = r.statusHistory.filter((s) => s.status === 'excluded' && between(s.from, from, to));
      if (exclusions.length === 0) continue;
      bump('excluded');
      bump(`excluded:${exclusions[exclusions.length - 1]?.reason}`);
      break;
    }
    for (const r of mine) {
      const death = r.statusHistory.find((s) => s.status === 'deceased' && between(s.death?.date, from, to));
      if (!death) continue;
      bump('deaths');
      bump(`death:${death.death?.place}`);
      break;
    }
  }
  const homeVisits = visits.filter((v) => v.visitType === 'home' && between(v.date, from, to));
  if (homeVisits.length > 0) out.set('home-visits', homeVisits.length);
  const visited = new Set(homeVisits.map((v) => v._id.split(':')[1]));
  if (visited.size > 0) out.set('home-visit-patients', visited.size);

  const weak = new Set<string>();
  const strong = new Set<string>();
  const noFactor = new Set<string>();
  const invalid = new Set<string>();
  const sums: Record<string, number> = {};
  const atEnd = new Map<string, { mg: number; regular: boolean; noFactor: boolean; invalid: boolean }>();
  for (const p of prescriptions) {
    const pid = p._id.split(':')[1] as string;
    const m = medicaments.get(p.medicamentId);
    if (!m) continue;
    const [first, last] = daysOf(p);
    const inPeriod = daysShared(first, last, from, to);
    const equivalent = dailyMorphineEquivalent(p, m);
    if (m.opioidClass !== 'none' && inPeriod > 0) {
      (m.opioidClass === 'weak' ? weak : strong).add(pid);
      if (equivalent.kind === 'no-factor') noFactor.add(pid);
      else if (equivalent.kind === 'invalid') invalid.add(pid);
      else {
        const key = p.regimen === 'regular' ? 'ome-regular' : 'ome-as-needed';
        sums[key] = (sums[key] ?? 0) + equivalent.morphineMgPerDay * inPeriod;
      }
    }
    if (m.opioidClass !== 'none' && registered.has(pid) && first <= to && to <= last) {
      const state = atEnd.get(pid) ?? { mg: 0, regular: false, noFactor: false, invalid: false };
      if (equivalent.kind === 'no-factor') state.noFactor = true;
      else if (equivalent.kind === 'invalid') state.invalid = true;
      else if (p.regimen === 'regular') {
        state.mg += equivalent.morphineMgPerDay;
        state.regular = true;
      }
      atEnd.set(pid, state);
    }
    const next = daysShared(first, last, plusDays(to, 1), plusDays(to, period.nextDays));
    const units = unitsPerDay(p, m);
    if (registered.has(pid) && next > 0 && units !== null) {
      const key = `medicine:${p.medicamentId}`;
      sums[key] = (sums[key] ?? 0) + units * next;
    }
  }
  for (const [key, set] of [
    ['opioid-weak', weak],
    ['opioid-strong', strong],
    ['ome-no-factor', noFactor],
    ['ome-invalid', invalid],
  ] as const) {
    if (set.size > 0) out.set(key, set.size);
  }
  for (const [key, value] of Object.entries(sums)) {
    out.set(key, key.startsWith('medicine:') ? Math.ceil(value - 1e-9) : value);
  }
  for (const state of atEnd.values()) {
    bump('opioid-end');
    const mg = state.mg;
    const band = state.noFactor
      ? 'no-factor'
      : state.invalid
        ? 'invalid'
        : !state.regular
          ? 'as-needed-only'
          : mg < 30
            ? '<30'
            : mg < 60
              ? '30-59'
              : mg < 120
                ? '60-119'
                : mg < 200
                  ? '120-199'
                  : '200+';
    bump(`band:${band}`);
  }
  return out;
}

// ---------------------------------------------------------------- helpers

function query(period: Period, facilities: string[], format = 'json'): string {
  return (
    `/api/reports/summary?from=${period.from}&to=${period.to}&nextDays=${period.nextDays}` +
    `&facilities=${facilities.join(',')}&format=${format}`
  );
}

async function jsonReport(session: Session, period: Period, facilities: string[]): Promise<SummaryReport> {
  const response = await session.get(query(period, facilities));
  expect(response.status, response.text).toBe(200);
  return response.json as SummaryReport;
}

function linesOf(report: SummaryReport) {
  return report.sections.flatMap((section) => section.lines);
}

/** Compares every figure of every column with the brute force; sums in mg to the hundredth. */
function expectMatchesBruteForce(report: SummaryReport, facilities: string[], period: Period): void {
  const scopes = [...facilities.map((id) => [id]), facilities];
  const lines = linesOf(report);
  scopes.forEach((scope, column) => {
    const expected = bruteForce(scope, period);
    for (const line of lines) {
      const shown = line.cells[column]?.value;
      const want = expected.get(line.key) ?? 0;
      if (line.key.startsWith('ome-regular') || line.key.startsWith('ome-as-needed')) {
        expect(Math.abs((shown ?? NaN) - want), `${line.key} in ${scope.join('+')}`).toBeLessThan(0.011);
      } else {
        expect(shown, `${line.key} in ${scope.join('+')}`).toBe(want);
      }
    }
    for (const key of expected.keys()) {
      if (key.startsWith('medicine:'))
        expect(
          lines.map((line) => line.key),
          key,
        ).toContain(key);
    }
  });
}

const P1: Period = { from: '2026-01-01', to: '2026-06-30', nextDays: 30 };
const P2: Period = { from: '2025-03-15', to: '2026-03-14', nextDays: 45 };
const P3: Period = { from: '2024-06-01', to: '2024-06-30', nextDays: 7 };

beforeAll(async () => {
  const r = register.current;
  const generated = generateRegister({
    seed: 20261129,
    facilities: FACILITIES,
    patientsPerFacility: 110,
    firstDay: '2024-01-01',
    lastDay: '2026-10-31',
  });
  generated.byFacility.set(EDGE, edgeDocuments());
  for (const id of ALL) {
    await createFacility(r, id);
    await r.store.upsert('reference', `facility:${id}`, () => ({
      _id: `facility:${id}`,
      type: 'facility',
      id,
      name: NAMES[id],
      active: true,
      createdBy: 'admin',
      createdAt: '2024-01-01T00:00:00.000Z',
      updatedBy: 'admin',
      updatedAt: '2024-01-01T00:00:00.000Z',
    }));
    const written = await r.store.expect<{ ok?: boolean; error?: string }[]>('POST', `/facility-${id}/_bulk_docs`, {
      docs: generated.byFacility.get(id),
    });
    expect(written.body.filter((row) => row.error)).toEqual([]);
    const all = await r.store.expect<{ rows: { doc: Doc }[] }>(
      'GET',
      `/facility-${id}/_all_docs?include_docs=true`,
      undefined,
    );
    raw.set(
      id,
      all.body.rows.map((row) => row.doc).filter((doc) => !(doc._id as string).startsWith('_design/')),
    );
  }
  const reference = await r.store.expect<{ rows: { doc: Medicament }[] }>(
    'GET',
    `/reference/_all_docs?include_docs=true&startkey="medicament:"&endkey="medicament:\ufff0"`,
    undefined,
  );
  medicaments = new Map(reference.body.rows.map((row) => [row.doc._id, row.doc]));
  const users = await Promise.all([
    createUser(r, { name: 'report-analyst', password: 'Analyst-Pass-2026!', roles: ['analyst'] }),
    createUser(r, { name: 'report-doctor', password: 'Doctor-Pass-2026!', roles: ['doctor', 'facility:rep-a'] }),
    createUser(r, { name: 'report-nurse', password: 'Nurse-Pass-2026!', roles: ['nurse', 'facility:rep-a'] }),
  ]);
  [admin, analyst, doctor, nurse] = await Promise.all([
    logIn(r, await firstAdmin(r)),
    ...users.map((user) => logIn(r, user)),
  ]);
}, 180_000);

describe('summary report figures', () => {
  it('holds hundreds of patients, transfers among them', () => {
    const patients = FACILITIES.flatMap((id) => (raw.get(id) ?? []).filter((doc) => doc.type === 'patient'));
    expect(patients.length).toBeGreaterThan(300);
    expect(new Set(patients.map((doc) => doc._id)).size).toBeLessThan(patients.length);
  });

  it('equal the brute force over the raw documents, per facility and in total', async () => {
    const report = await jsonReport(admin, P1, ALL);
    expect(report.columns.map((column) => column.id)).toEqual([...ALL, 'total']);
    expect(report.suppressed).toBe(false);
    expectMatchesBruteForce(report, ALL, P1);
    // Not a comparison of zeros: every part of the report has figures in the total column.
    const total = (key: string): number =>
      linesOf(report).find((line) => line.key === key)?.cells[ALL.length]?.value ?? 0;
    for (const key of ['registered', 'included', 'excluded', 'deaths', 'home-visits', 'first-visit-48h', 'opioid-weak'])
      expect(total(key), key).toBeGreaterThan(4);
    for (const key of ['opioid-end', 'ome-regular', 'ome-as-needed', 'ome-no-factor', 'respiratory-home-needed'])
      expect(total(key), key).toBeGreaterThan(0);
    expect(linesOf(report).filter((line) => line.key.startsWith('medicine:')).length).toBeGreaterThan(5);
    // Transferred patients are in two facility columns for what happened in the period, once in the total.
    const overlapping = linesOf(report).filter((line) => {
      const sum = line.cells.slice(0, ALL.length).reduce((all, cell) => all + (cell.value ?? 0), 0);
      return line.kind === 'count' && (line.cells[ALL.length]?.value ?? 0) < sum;
    });
    expect(overlapping.map((line) => line.key)).toContain('opioid-strong');
  });

  it('equal the brute force for another period and facility order', async () => {
    const facilities = ['rep-b', 'rep-a'];
    expectMatchesBruteForce(await jsonReport(admin, P2, facilities), facilities, P2);
  });

  it('equal the brute force for one facility and one month', async () => {
    expectMatchesBruteForce(await jsonReport(admin, P3, ['rep-c']), ['rep-c'], P3);
  });

  it('get the named edge cases right', async () => {
    const report = await jsonReport(admin, P1, [EDGE]);
    const value = (key: string): number | null | undefined =>
      linesOf(report).find((line) => line.key === key)?.cells[0]?.value;
    expect(value('registered')).toBe(2); // E3 died on the last day
    expect(value('deaths')).toBe(1);
    expect(value('death:home')).toBe(1);
    expect(value('children')).toBe(1);
    expect(value('included')).toBe(2); // E2 and E3
    expect(value('first-visit-48h')).toBe(1); // E2's visit came after the period, within 48 hours
    expect(value('respiratory-home-needed')).toBe(2);
    // E1: 10 days of 30 mg inside the period; E2: 6 days of a 25 µg/h patch (60 mg a day); E3: 30 days of 30 mg
    expect(value('ome-regular')).toBe(300 + 360 + 900);
    expect(value('opioid-strong')).toBe(3);
    expect(value('ome-no-factor')).toBe(1);
    expect(value('band:no-factor')).toBe(1);
    expect(value('band:60-119')).toBe(1);
    expect(value('opioid-end')).toBe(2);
    expect(value('medicine:medicament:trimeperidine-injection-20mg-ml')).toBe(60);
    expect(value('medicine:medicament:fentanyl-patch-25ug-h')).toBe(5);
    expect(value('medicine:medicament:morphine-tablets-10mg')).toBeUndefined(); // E3 is not on the register
  });
});

describe('what analysts see', () => {
  it('hides counts from 1 to 4 and sums of fewer than 5 patients, with complementary cells, in every format', async () => {
    const exact = await jsonReport(admin, P1, ALL);
    const hidden = await jsonReport(analyst, P1, ALL);
    expect(hidden.suppressed).toBe(true);
    const exactLines = linesOf(exact);
    const hiddenLines = linesOf(hidden);
    expect(hiddenLines.map((line) => line.key)).toEqual(exactLines.map((line) => line.key));
    let small = 0;
    let complementary = 0;
    hiddenLines.forEach((line, row) => {
      line.cells.forEach((cell, column) => {
        const truth = exactLines[row]?.cells[column]?.value ?? NaN;
        if (cell.hidden === undefined) {
          expect(cell.value, `${line.key}[${column}]`).toBe(truth);
          if (line.kind === 'count') expect(truth < 1 || truth > 4, `${line.key}[${column}] shown`).toBe(true);
        } else {
          expect(cell.value).toBeNull();
          expect(cell.shown).toBe(cell.hidden === 'small' ? '<5' : 'x');
          if (cell.hidden === 'small') small += 1;
          else complementary += 1;
        }
        if (line.kind === 'count' && truth >= 1 && truth <= 4) expect(cell.shown).toBe('<5');
      });
    });
    expect(small).toBeGreaterThan(0);
    expect(complementary).toBeGreaterThan(0);
    // The edge facility's mg sum rests on two patients: hidden.
    const edgeColumn = hidden.columns.findIndex((column) => column.id === EDGE);
    expect(hiddenLines.find((line) => line.key === 'ome-regular')?.cells[edgeColumn]?.shown).toBe('<5');
  });

  it('never leaves a sum with exactly one hidden cell', async () => {
    const hidden = await jsonReport(analyst, P1, ALL);
    const lines = linesOf(hidden);
    const byKey = new Map(lines.map((line) => [line.key, line]));
    const total = hidden.columns.length - 1;
    for (const relation of reportRelations()) {
      for (let column = 0; column <= total; column += 1) {
        const cells = [relation.total, ...relation.parts].map((key) => byKey.get(key)?.cells[column]);
        expect(cells.filter((cell) => cell?.hidden).length, `${relation.total} [${column}]`).not.toBe(1);
      }
    }
    for (const line of lines) {
      expect(line.cells.filter((cell) => cell.hidden).length, line.key).not.toBe(1);
    }
  });

  it('shows doctors exact figures of their own facility', async () => {
    const report = await jsonReport(doctor, P1, ['rep-a']);
    expect(report.suppressed).toBe(false);
    expectMatchesBruteForce(report, ['rep-a'], P1);
  });
});

describe('formats', () => {
  it('CSV is UTF-8 with a BOM, ";"-separated, Russian headers, and agrees with JSON', async () => {
    for (const session of [admin, analyst]) {
      const json = await jsonReport(session, P1, ALL);
      const response = await session.get(query(P1, ALL, 'csv'));
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
      const bytes = Buffer.from(
        await (
          await fetch(register.current.url + query(P1, ALL, 'csv'), {
            headers: { cookie: session.cookie },
          })
        ).arrayBuffer(),
      );
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const rows = response.text
        .replace(/^\ufeff/, '')
        .split('\r\n')
        .map((row) => row.split(';'));
      const header = rows.findIndex((row) => row[0] === 'Раздел');
      expect(rows[header]).toEqual(['Раздел', 'Показатель', 'Ед. изм.', ...json.columns.map((c) => c.name)]);
      const body = rows.slice(header + 1, header + 1 + linesOf(json).length);
      linesOf(json).forEach((line, index) => {
        expect(body[index]?.[1]).toBe(line.label.includes(';') ? `"${line.label}"` : line.label);
        expect(body[index]?.slice(3)).toEqual(line.cells.map((cell) => cell.shown));
      });
    }
  });

  it('PDF carries the Russian headings and the figures (read back with pdftotext)', async () => {
    const json = await jsonReport(admin, P1, [EDGE]);
    const response = await fetch(register.current.url + query(P1, [EDGE], 'pdf'), {
      headers: { cookie: admin.cookie },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    const folder = mkdtempSync(join(tmpdir(), 'summary-pdf-'));
    try {
      const file = join(folder, 'report.pdf');
      writeFileSync(file, Buffer.from(await response.arrayBuffer()));
      const text = execFileSync('/usr/bin/pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      expect(text).toContain('Сводный отчёт регистра паллиативных пациентов');
      expect(text).toContain('Период: 01.01.2026 — 30.06.2026');
      for (const section of json.sections) expect(text).toContain(section.title);
      for (const word of (NAMES[EDGE] ?? '').split(' ')) expect(text).toContain(word);
      expect(linesOf(json).find((line) => line.key === 'ome-regular')?.cells[0]?.shown).toBe('1560');
      expect(text).toMatch(/пероральный морфин: регулярный приём\s+мг\s+1560\s+1560/);
      expect(text).toMatch(/Тримеперидин, раствор для инъекций 20 мг\/мл\s+мл\s+60\s+60/);
      expect(text).toMatch(/Умерли за период, всего\s+чел\.\s+1\s+1/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('the report cache behind it', () => {
  it('holds a row for every record, visit and prescription of each facility, and was read once', () => {
    const cache = reportCacheOf(register.current.store);
    expect(cache).not.toBeNull();
    const counts = cache?.counts() ?? {};
    for (const id of ALL) {
      const docs = raw.get(id) ?? [];
      const count = (type: string): number => docs.filter((doc) => doc.type === type).length;
      expect(counts[id], id).toMatchObject({
        patients: count('patient'),
        visits: count('visit'),
        prescriptions: count('prescription'),
        skipped: 0,
      });
    }
    expect(cache?.stats.fullReads).toBe(ALL.length);
  });
});

describe('keeping the view fresh', () => {
  it('brings the report view of every facility up to date without reading rows', async () => {
    await expect(refreshReportViews(register.current.store, ALL)).resolves.toBeUndefined();
  });
});

describe('refusals', () => {
  it.each([
    ['from=2026-02-30&to=2026-03-01', 'from'],
    ['to=2026-03-01', 'from'],
    ['from=2026-03-01', 'to'],
    ['from=2026-03-02&to=2026-03-01', 'from'],
    ['from=2020-01-01&to=2025-01-01', 'to'],
    ['from=2026-01-01&to=2026-02-01&format=xlsx', 'format'],
    ['from=2026-01-01&to=2026-02-01&facilities=rep-a,nowhere', 'facilities'],
    ['from=2026-01-01&to=2026-02-01&facilities=Rep%20A', 'facilities'],
    ['from=2026-01-01&to=2026-02-01&nextDays=0', 'nextDays'],
  ])('answers %s with 400 naming %s', async (params, field) => {
    const response = await analyst.get(`/api/reports/summary?${params}`);
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ error: 'bad_request', field });
  });

  it('accepts a period of just under five years', async () => {
    const response = await analyst.get('/api/reports/summary?from=2020-01-01&to=2024-12-31&facilities=rep-c');
    expect(response.status).toBe(200);
  });

  it('refuses a doctor another facility, and a nurse any report', async () => {
    expect((await doctor.get(query(P1, ['rep-a', 'rep-b']))).status).toBe(403);
    expect((await nurse.get(query(P1, ['rep-a']))).status).toBe(403);
  });

  it('needs a session', async () => {
    const response = await fetch(register.current.url + query(P1, ['rep-a']));
    expect(response.status).toBe(401);
  });
});
