import { describe, expect, it } from 'vitest';
import { computeFigures, lastDayInForce, type ReportMedicament } from './figures.ts';
import type { FacilityRows, PatientRow, PrescriptionRow } from './report-rows.ts';

const PERIOD = { from: '2026-01-01', to: '2026-03-31', nextDays: 30 };

const MEDICAMENTS = new Map<string, ReportMedicament>([
  [
    'medicament:morphine-10',
    {
      _id: 'medicament:morphine-10',
      innRu: 'Морфин',
      form: 'tablet',
      strength: 10,
      strengthUnit: 'mg',
      opioidClass: 'strong',
      morphineFactor: 1,
      factorBasis: 'mg',
    },
  ],
  [
    'medicament:trimeperidine',
    {
      _id: 'medicament:trimeperidine',
      innRu: 'Тримеперидин',
      form: 'injection',
      strength: 20,
      strengthUnit: 'mg_per_ml',
      opioidClass: 'strong',
      morphineFactor: null,
      factorBasis: null,
    },
  ],
]);

function patient(id: string, fields: Partial<PatientRow> = {}): PatientRow {
  return {
    patientId: id,
    sex: 'male',
    birthYear: 1950,
    diseaseGroup: 'cancer',
    inclusionDate: '2025-12-01',
    status: [{ from: '2025-12-01', status: 'active', reason: null, deathDate: null, deathPlace: null }],
    care: [{ from: '2025-12-01', setting: 'home' }],
    needs: [],
    ...fields,
  };
}

function prescription(patientId: string, n: number, fields: Partial<PrescriptionRow> = {}): PrescriptionRow {
  return {
    id: `prescription:${patientId}:${n}`,
    patientId,
    medicamentId: 'medicament:morphine-10',
    dose: 10,
    doseUnit: 'mg',
    timesPerDay: 2,
    regimen: 'regular',
    start: '2026-03-01',
    end: null,
    cancelledOn: null,
    ...fields,
  };
}

function facility(id: string, rows: Partial<FacilityRows>): FacilityRows {
  return { facilityId: id, patients: [], visits: [], prescriptions: [], skipped: 0, ...rows };
}

const value = (figures: ReturnType<typeof computeFigures>, key: string): number => figures.get(key)?.value ?? 0;

describe('summary figures', () => {
  it('count a transferred patient once in the total, where they are at the end of the period', () => {
    const source = patient('p1', {
      status: [
        { from: '2025-12-01', status: 'active', reason: null, deathDate: null, deathPlace: null },
        { from: '2026-02-01', status: 'transferred', reason: null, deathDate: null, deathPlace: null },
      ],
    });
    const target = patient('p1', {
      sex: 'female',
      status: [{ from: '2026-02-01', status: 'active', reason: null, deathDate: null, deathPlace: null }],
    });
    const shared = prescription('p1', 1, { start: '2026-01-01', end: '2026-01-10' });
    const a = facility('a', { patients: [source], prescriptions: [shared] });
    const b = facility('b', { patients: [target], prescriptions: [shared] });
    expect(value(computeFigures([a], MEDICAMENTS, PERIOD), 'registered')).toBe(0);
    expect(value(computeFigures([b], MEDICAMENTS, PERIOD), 'registered')).toBe(1);
    const total = computeFigures([a, b], MEDICAMENTS, PERIOD);
    expect(value(total, 'registered')).toBe(1);
    expect(value(total, 'sex:female')).toBe(1);
    expect(value(total, 'opioid-strong')).toBe(1);
    expect(value(total, 'ome-regular')).toBe(200); // the copied prescription counts once: 10 days × 20 mg
  });

  it('stop a cancelled prescription the day before its cancellation', () => {
    expect(lastDayInForce(prescription('p', 1, { end: '2026-05-01', cancelledOn: '2026-03-11' }))).toBe('2026-03-10');
    const figures = computeFigures(
      [
        facility('a', {
          patients: [patient('p')],
          prescriptions: [prescription('p', 1, { cancelledOn: '2026-03-11' })],
        }),
      ],
      MEDICAMENTS,
      PERIOD,
    );
    expect(value(figures, 'ome-regular')).toBe(200);
    expect(value(figures, 'opioid-end')).toBe(0);
    expect(figures.has('medicine:medicament:morphine-10')).toBe(false);
  });

  it('report an opioid without a factor as "no factor", never as zero mg', () => {
    const figures = computeFigures(
      [
        facility('a', {
          patients: [patient('p')],
          prescriptions: [
            prescription('p', 1),
            prescription('p', 2, { medicamentId: 'medicament:trimeperidine', dose: 1, doseUnit: 'ml' }),
          ],
        }),
      ],
      MEDICAMENTS,
      PERIOD,
    );
    expect(value(figures, 'ome-no-factor')).toBe(1);
    expect(value(figures, 'band:no-factor')).toBe(1);
    expect(value(figures, 'ome-regular')).toBe(31 * 20);
    expect(value(figures, 'medicine:medicament:trimeperidine')).toBe(60); // 2 ml a day for 30 days
    expect(value(figures, 'medicine:medicament:morphine-10')).toBe(60); // 2 tablets a day for 30 days
  });

  it('count a first visit within 48 hours only face to face', () => {
    const included = patient('p', { inclusionDate: '2026-02-10' });
    const visit = (n: number, date: string, visitType: string) => ({
      id: `visit:p:${n}`,
      patientId: 'p',
      date,
      visitType,
    });
    const byPhone = facility('a', { patients: [included], visits: [visit(1, '2026-02-10', 'phone')] });
    const late = facility('a', { patients: [included], visits: [visit(2, '2026-02-13', 'home')] });
    const inTime = facility('a', { patients: [included], visits: [visit(3, '2026-02-12', 'office')] });
    expect(
      [byPhone, late, inTime].map((f) => value(computeFigures([f], MEDICAMENTS, PERIOD), 'first-visit-48h')),
    ).toEqual([0, 0, 1]);
  });

  it('count deaths and exclusions in the period by place and reason', () => {
    const died = patient('d', {
      status: [
        { from: '2025-12-01', status: 'active', reason: null, deathDate: null, deathPlace: null },
        { from: '2026-03-31', status: 'deceased', reason: null, deathDate: '2026-03-31', deathPlace: 'hospice' },
      ],
    });
    const excluded = patient('e', {
      status: [
        { from: '2025-12-01', status: 'active', reason: null, deathDate: null, deathPlace: null },
        { from: '2026-01-05', status: 'excluded', reason: 'moved-away', deathDate: null, deathPlace: null },
      ],
    });
    const figures = computeFigures([facility('a', { patients: [died, excluded] })], MEDICAMENTS, PERIOD);
    expect(value(figures, 'death:hospice')).toBe(1);
    expect(value(figures, 'excluded:moved-away')).toBe(1);
    expect(value(figures, 'registered')).toBe(0);
  });
});
