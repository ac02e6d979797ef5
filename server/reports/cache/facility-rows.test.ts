import { describe, expect, it } from 'vitest';
import { MEDICAMENT_SEED } from '../../../common/reference/medicaments-seed.ts';
import { computeFigures, type ReportMedicament, type ReportPeriod } from '../figures.ts';
import type { FacilityRows } from '../report-rows.ts';
import { generateRegister } from '../testing/generated-register.ts';
import { documentRow } from './document-row.ts';
import { FacilityRowStore } from './facility-rows.ts';

const MEDICAMENTS = new Map<string, ReportMedicament>(
  MEDICAMENT_SEED.map((seed) => [`medicament:${seed.slug}`, { ...seed, _id: `medicament:${seed.slug}` }]),
);
const PERIODS: ReportPeriod[] = [
  { from: '2025-01-01', to: '2025-12-31', nextDays: 30 },
  { from: '2026-01-01', to: '2026-06-30', nextDays: 90 },
  { from: '2024-06-01', to: '2024-06-30', nextDays: 7 },
  { from: '2023-01-01', to: '2027-12-31', nextDays: 366 },
];

/** Every row of every document, unfiltered: what a report over all of them would compute from. */
function allRows(facilityId: string, docs: { _id: string }[]): FacilityRows {
  const rows: FacilityRows = { facilityId, patients: [], visits: [], prescriptions: [], skipped: 0 };
  for (const doc of docs) {
    const row = documentRow(doc);
    if (row?.kind === 'patient') rows.patients.push(row.row);
    else if (row?.kind === 'visit') rows.visits.push(row.row);
    else if (row?.kind === 'prescription') rows.prescriptions.push(row.row);
    else if (row?.kind === 'skipped') rows.skipped += 1;
  }
  return rows;
}

function storeOf(facilityId: string, docs: { _id: string }[]): FacilityRowStore {
  const store = new FacilityRowStore(facilityId);
  for (const doc of docs) store.apply(doc._id, documentRow(doc));
  return store;
}

const generated = generateRegister({
  seed: 77,
  facilities: ['f1', 'f2'],
  patientsPerFacility: 80,
  firstDay: '2024-01-01',
  lastDay: '2026-10-31',
});
const docsOf = (id: string) => generated.byFacility.get(id) ?? [];

describe('facility rows in compact form', () => {
  it.each(PERIODS)('give the figures all rows give, from $from to $to', (period) => {
    const stores = ['f1', 'f2'].map((id) => storeOf(id, docsOf(id)));
    const everything = ['f1', 'f2'].map((id) => allRows(id, docsOf(id)));
    const bounded = stores.map((store) => store.rowsFor(period));
    expect(computeFigures(bounded, MEDICAMENTS, period)).toEqual(computeFigures(everything, MEDICAMENTS, period));
    expect(computeFigures(bounded.slice(0, 1), MEDICAMENTS, period)).toEqual(
      computeFigures(everything.slice(0, 1), MEDICAMENTS, period),
    );
  });

  it('hands on fewer rows than it holds for a short period', () => {
    const store = storeOf('f1', docsOf('f1'));
    const rows = store.rowsFor({ from: '2024-06-01', to: '2024-06-30', nextDays: 7 });
    const counts = store.counts();
    expect(rows.prescriptions.length).toBeLessThan(counts.prescriptions / 2);
    expect(rows.visits.length).toBeLessThan(counts.visits / 2);
  });

  it('replaces the row of a changed document and drops the row of a removed one', () => {
    const store = new FacilityRowStore('f1');
    const prescription = docsOf('f1').find((doc) => doc.type === 'prescription' && doc.end === undefined);
    if (prescription?.type !== 'prescription') throw new Error('the generator made no open prescription');
    const period = { from: '2000-01-01', to: '2030-12-31', nextDays: 1 };
    store.apply(prescription._id, documentRow({ ...prescription, start: '2026-01-01', status: 'active' }));
    expect(store.rowsFor(period).prescriptions.map((row) => [row.start, row.cancelledOn])).toEqual([
      ['2026-01-01', null],
    ]);
    const cancelled = {
      ...prescription,
      start: '2026-01-01',
      status: 'cancelled',
      cancellation: { at: '2026-01-05T10:00:00.000Z', by: 'olga', reason: {} },
    };
    store.apply(prescription._id, documentRow(cancelled));
    expect(store.rowsFor(period).prescriptions.map((row) => [row.start, row.cancelledOn])).toEqual([
      ['2026-01-01', '2026-01-05'],
    ]);
    store.apply(prescription._id, null);
    expect(store.rowsFor(period).prescriptions).toEqual([]);
    expect(store.counts().prescriptions).toBe(0);
  });

  it('keeps a row whose date is not a calendar date as it was parsed, and counts rows of the wrong shape', () => {
    const store = new FacilityRowStore('f1');
    const visit = docsOf('f1').find((doc) => doc.type === 'visit');
    if (!visit) throw new Error('the generator made no visit');
    store.apply(visit._id, documentRow({ ...visit, date: '2026-02-30' }));
    store.apply('prescription:x:y', documentRow({ _id: 'prescription:x:y', type: 'prescription', dose: 'a lot' }));
    const rows = store.rowsFor({ from: '2026-02-01', to: '2026-02-28', nextDays: 1 });
    expect(rows.visits.map((row) => row.date)).toEqual(['2026-02-30']);
    expect(rows.skipped).toBe(1);
  });

  it('gives back exactly what it held from a snapshot', () => {
    const store = storeOf('f2', docsOf('f2'));
    const removed = docsOf('f2')
      .filter((doc) => doc.type !== 'patient')
      .slice(0, 25);
    for (const doc of removed) store.apply(doc._id, null);
    const copy = FacilityRowStore.fromSnapshot('f2', structuredClone(store.snapshot()));
    for (const period of PERIODS) expect(copy.rowsFor(period)).toEqual(store.rowsFor(period));
    expect(copy.counts()).toEqual(store.counts());
  });
});
