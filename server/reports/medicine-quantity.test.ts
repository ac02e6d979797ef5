import { describe, expect, it } from 'vitest';
import { dailyUnits, dispensingUnit } from './medicine-quantity.ts';
import type { PrescriptionRow } from './report-rows.ts';

function row(fields: Partial<PrescriptionRow>): PrescriptionRow {
  return {
    id: 'prescription:p:1',
    patientId: 'p',
    medicamentId: 'medicament:x',
    dose: 10,
    doseUnit: 'mg',
    timesPerDay: 3,
    regimen: 'regular',
    start: '2026-01-01',
    end: null,
    cancelledOn: null,
    ...fields,
  };
}

const tablet10mg = { strength: 10, strengthUnit: 'mg' as const };
const solution20mgMl = { strength: 20, strengthUnit: 'mg_per_ml' as const };
const patch25 = { strength: 25, strengthUnit: 'ug_per_h' as const };

describe('medicine quantities', () => {
  it.each([
    ['tablets by mg', row({}), tablet10mg, 3],
    ['tablets by count', row({ dose: 2, doseUnit: 'unit', timesPerDay: 2 }), tablet10mg, 4],
    ['every 6 hours', row({ intervalHours: 6, timesPerDay: undefined }), tablet10mg, 4],
    ['as needed, at the daily maximum', row({ regimen: 'as-needed', maxDailyDose: 60 }), tablet10mg, 6],
    ['a solution by ml', row({ dose: 1, doseUnit: 'ml', timesPerDay: 2 }), solution20mgMl, 2],
    ['a solution by mg', row({ dose: 20, doseUnit: 'mg', timesPerDay: 2 }), solution20mgMl, 2],
    ['a 50 µg/h rate of 25 µg/h patches, changed every 72 h', row({ dose: 50, doseUnit: 'ug_per_h' }), patch25, 2 / 3],
  ])('%s', (_name, prescription, medicament, expected) => {
    expect(dailyUnits(prescription, medicament)).toBeCloseTo(expected, 10);
  });

  it('cannot count millilitres of tablets', () => {
    expect(dailyUnits(row({ doseUnit: 'ml' }), tablet10mg)).toBeNull();
    expect(dailyUnits(row({ doseUnit: 'unit' }), solution20mgMl)).toBeNull();
  });

  it('counts solutions in ml and everything else in pieces', () => {
    expect([tablet10mg, solution20mgMl, patch25].map(dispensingUnit)).toEqual(['pcs', 'ml', 'pcs']);
  });
});
