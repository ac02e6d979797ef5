import { describe, expect, it } from 'vitest';
import {
  dailyDose,
  dailyMorphineEquivalent,
  displayStatus,
  prescriptionWarnings,
  validatePrescription,
  type WarningMedicament,
} from './prescription.ts';
import { changed, prescription, sealed } from './test-fixtures.ts';
import type { Prescription } from './types.ts';

const fields = (errors: { field: string }[]) => errors.map((error) => error.field);
type Change = (doc: Prescription & Record<string, unknown>) => void;

const cancelled = (p: Prescription) =>
  Object.assign(p, {
    status: 'cancelled',
    cancellation: { at: '2026-11-25T08:00:00.000Z', by: 'olga', reason: sealed() },
  });

describe('prescription', () => {
  it('accepts a regular prescription', () => {
    expect(validatePrescription(prescription())).toEqual([]);
  });

  it.each<[string, Change]>([
    [
      'an as-needed dose with its daily maximum',
      (p) => Object.assign(p, { regimen: 'as-needed', maxDailyDose: 60, timesPerDay: 6 }),
    ],
    [
      'a patch every 72 hours',
      (p) => {
        Object.assign(p, {
          medicamentId: 'medicament:fentanyl-patch-25',
          dose: 25,
          doseUnit: 'ug_per_h',
          route: 'transdermal',
          intervalHours: 72,
        });
        delete p.timesPerDay;
      },
    ],
    ['a cancellation with its sealed reason', (p) => cancelled(p)],
    [
      'no end, quantity or number',
      (p) => {
        delete p.end;
        delete p.quantity;
        delete p.number;
      },
    ],
    ['a one-day course', (p) => (p.end = p.start)],
    ['a start in the future (planned)', (p) => Object.assign(p, { start: '2027-01-01', end: undefined })],
    ['a copy made by a transfer, naming the facility it came from', (p) => (p.transferredFrom = 'hospice-2')],
  ])('accepts %s', (_what, change) => {
    expect(validatePrescription(changed(prescription(), change))).toEqual([]);
  });

  it.each<[string, Change, string[]]>([
    ['a medicament that is not a reference id', (p) => (p.medicamentId = 'Морфин'), ['medicamentId']],
    ['a dose of 0', (p) => (p.dose = 0), ['dose']],
    ['a negative dose', (p) => (p.dose = -5), ['dose']],
    ['an unknown dose unit', (p) => (p.doseUnit = 'drops' as 'mg'), ['doseUnit']],
    ['an unknown route', (p) => (p.route = 'nasal' as 'oral'), ['route']],
    ['both times a day and an interval', (p) => (p.intervalHours = 12), ['timesPerDay']],
    ['neither times a day nor an interval', (p) => delete p.timesPerDay, ['timesPerDay']],
    ['25 times a day', (p) => (p.timesPerDay = 25), ['timesPerDay']],
    [
      'an interval of 0 hours',
      (p) => Object.assign(p, { timesPerDay: undefined, intervalHours: 0 }),
      ['intervalHours'],
    ],
    ['an unknown regimen', (p) => (p.regimen = 'sometimes' as 'regular'), ['regimen']],
    ['as needed without a daily maximum', (p) => (p.regimen = 'as-needed'), ['maxDailyDose']],
    ['a daily maximum on a regular dose', (p) => (p.maxDailyDose = 60), ['maxDailyDose']],
    [
      'a daily maximum below one dose',
      (p) => Object.assign(p, { regimen: 'as-needed', maxDailyDose: 10 }),
      ['maxDailyDose'],
    ],
    ['an end before the start', (p) => (p.end = '2026-11-19'), ['end']],
    ['an impossible start', (p) => (p.start = '2026-13-01'), ['start']],
    ['a quantity of 0', (p) => (p.quantity = 0), ['quantity']],
    ['an unknown form', (p) => (p.prescriptionForm = '107/у' as '107-1/у'), ['prescriptionForm']],
    ['a plaintext number', (p) => ((p as Record<string, unknown>).number = '56 № 123456'), ['number']],
    ['no prescriber', (p) => delete (p as Partial<Prescription>).prescriber, ['prescriber']],
    ['a stored "completed" status', (p) => (p.status = 'completed' as 'active'), ['status']],
    ['a cancellation without its details', (p) => (p.status = 'cancelled'), ['cancellation']],
    [
      'a plaintext cancellation reason',
      (p) => ((cancelled(p).cancellation as Record<string, unknown>).reason = 'аллергия'),
      ['cancellation.reason'],
    ],
    [
      'a cancellation on an active prescription',
      (p) => (p.cancellation = { at: '2026-11-25T08:00:00Z', by: 'olga', reason: sealed() }),
      ['cancellation'],
    ],
    ['a stored oral-morphine equivalent', (p) => (p.morphineMgPerDay = 60), ['morphineMgPerDay']],
    ['a transfer marker that is no facility id', (p) => (p.transferredFrom = 'Хоспис №2'), ['transferredFrom']],
    ['an empty transfer marker', (p) => (p.transferredFrom = ''), ['transferredFrom']],
    [
      'a transfer marker that is not text',
      (p) => ((p as Record<string, unknown>).transferredFrom = true),
      ['transferredFrom'],
    ],
  ])('refuses %s', (_what, change, expected) => {
    expect(fields(validatePrescription(changed(prescription(), change)))).toEqual(expected);
  });

  it('checks the medicament against the reference book it is given', () => {
    expect(fields(validatePrescription(prescription(), { medicamentExists: () => false }))).toEqual(['medicamentId']);
  });
});

describe('what a prescription shows when read', () => {
  it.each([
    ['2026-11-19', 'planned'],
    ['2026-11-20', 'active'],
    ['2026-12-19', 'active'],
    ['2026-12-20', 'completed'],
  ])('on %s it is %s', (today, status) => {
    expect(displayStatus(prescription(), today)).toBe(status);
  });

  it('stays cancelled whatever the date', () => {
    expect(displayStatus(cancelled(prescription()), '2026-11-21')).toBe('cancelled');
  });

  it('has no end when none was set', () => {
    expect(displayStatus({ ...prescription(), end: undefined }, '2030-01-01')).toBe('active');
  });

  it.each<[string, Partial<Prescription>, { amount: number; unit: string }]>([
    ['regular: dose × times a day', {}, { amount: 60, unit: 'mg' }],
    ['every 8 hours', { timesPerDay: undefined, intervalHours: 8 }, { amount: 90, unit: 'mg' }],
    ['as needed: the daily maximum', { regimen: 'as-needed', maxDailyDose: 120 }, { amount: 120, unit: 'mg' }],
    [
      'a patch: its rate',
      { dose: 25, doseUnit: 'ug_per_h', timesPerDay: undefined, intervalHours: 72 },
      { amount: 25, unit: 'ug_per_h' },
    ],
  ])('daily dose, %s', (_what, change, expected) => {
    expect(dailyDose({ ...prescription(), ...change })).toEqual(expected);
  });
});

const morphineRetard: WarningMedicament = {
  atcCode: 'N02AA01',
  form: 'tablet-prolonged',
  opioidClass: 'strong',
  morphineFactor: 1,
  factorBasis: 'mg',
  strength: 30,
  strengthUnit: 'mg',
};
const fentanylPatch: WarningMedicament = {
  atcCode: 'N02AB03',
  form: 'transdermal-patch',
  opioidClass: 'strong',
  morphineFactor: 2.4,
  factorBasis: 'ug_per_h',
  strength: 25,
  strengthUnit: 'ug_per_h',
};
const tramadol: WarningMedicament = {
  atcCode: 'N02AX02',
  form: 'capsule',
  opioidClass: 'weak',
  morphineFactor: 0.2,
  factorBasis: 'mg',
  strength: 50,
  strengthUnit: 'mg',
};
const medicaments: Record<string, WarningMedicament> = {
  'medicament:morphine-tablets-prolonged-30mg': morphineRetard,
  'medicament:fentanyl-patch-25': fentanylPatch,
  'medicament:tramadol-capsules-50mg': tramadol,
};
const lookup = (id: string) => medicaments[id] ?? null;
const TODAY = '2026-11-29';
const withId = (p: Prescription, n: number): Prescription => ({ ...p, _id: p._id.slice(0, -1) + String(n) });
const patch = (p: Prescription): Prescription => ({
  ...withId(p, 1),
  medicamentId: 'medicament:fentanyl-patch-25',
  dose: 25,
  doseUnit: 'ug_per_h',
  route: 'transdermal',
  timesPerDay: undefined,
  intervalHours: 72,
});

describe('oral morphine equivalent and warnings', () => {
  it('converts through the medicament’s factor', () => {
    expect(dailyMorphineEquivalent(prescription(), morphineRetard)).toMatchObject({
      kind: 'equivalent',
      morphineMgPerDay: 60,
    });
    expect(dailyMorphineEquivalent(patch(prescription()), fentanylPatch)).toMatchObject({ morphineMgPerDay: 60 });
  });

  it('has nothing to say about a usual dose', () => {
    expect(prescriptionWarnings([prescription()], lookup, TODAY)).toEqual([]);
  });

  it('warns about a daily dose far above the usual range', () => {
    const high = { ...prescription(), dose: 200, timesPerDay: 2 };
    expect(prescriptionWarnings([high], lookup, TODAY)).toEqual([
      { kind: 'dose-above-usual', prescriptionId: high._id, morphineMgPerDay: 400, usualMaxMg: 300 },
    ]);
  });

  it('bounds a weak opioid by its licensed maximum', () => {
    const tramadolHigh: Prescription = {
      ...prescription(),
      medicamentId: 'medicament:tramadol-capsules-50mg',
      dose: 150,
      timesPerDay: 4,
    };
    expect(prescriptionWarnings([tramadolHigh], lookup, TODAY).map((w) => w.kind)).toEqual(['dose-above-usual']);
  });

  it('warns about two long-acting strong opioids at once', () => {
    const both = [prescription(), patch(prescription())];
    expect(prescriptionWarnings(both, lookup, TODAY)).toEqual([
      { kind: 'two-long-acting-strong-opioids', prescriptionIds: both.map((p) => p._id) },
    ]);
  });

  it.each<[string, Prescription[]]>([
    ['two strengths of one substance', [prescription(), withId(prescription(), 2)]],
    ['a patch that ended', [prescription(), { ...patch(prescription()), end: '2026-11-28' }]],
    ['a cancelled patch', [prescription(), cancelled(patch(prescription()))]],
    [
      'a medicament the reference book does not know',
      [prescription(), { ...patch(prescription()), medicamentId: 'medicament:unknown' }],
    ],
  ])('does not warn about %s', (_what, prescriptions) => {
    expect(prescriptionWarnings(prescriptions, lookup, TODAY)).toEqual([]);
  });
});
