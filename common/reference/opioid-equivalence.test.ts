import { describe, expect, it } from 'vitest';
import {
  dailyOralMorphineEquivalent,
  totalDailyEquivalents,
  type DailyEquivalent,
  type DoseSchedule,
  type FactorFields,
} from './opioid-equivalence.ts';
import { MEDICAMENT_SEED } from './medicaments-seed.ts';

function seed(slug: string): FactorFields {
  const found = MEDICAMENT_SEED.find((medicament) => medicament.slug === slug);
  if (!found) throw new Error(`no seed medicament ${slug}`);
  return found;
}

const regular = (dose: number, unit: DoseSchedule['unit'], timesPerDay: number): DoseSchedule => ({
  dose,
  unit,
  timesPerDay,
  regimen: 'regular',
});

describe('oral morphine equivalent per day', () => {
  it.each<[string, string, DoseSchedule, number]>([
    ['oral morphine, 10 mg 6 times a day', 'morphine-tablets-10mg', regular(10, 'mg', 6), 60],
    ['prolonged morphine, one 30 mg tablet twice a day', 'morphine-prolonged-tablets-30mg', regular(1, 'unit', 2), 60],
    ['morphine injection, 5 mg 4 times a day (×3)', 'morphine-injection-10mg-ml', regular(5, 'mg', 4), 60],
    ['morphine injection, 0.5 ml of 10 mg/ml 6 times a day', 'morphine-injection-10mg-ml', regular(0.5, 'ml', 6), 90],
    ['oxycodone, 10 mg twice a day (×1.5)', 'oxycodone-prolonged-tablets-10mg', regular(10, 'mg', 2), 30],
    [
      'oxycodone/naloxone counted by its oxycodone',
      'oxycodone-naloxone-prolonged-tablets-10-5mg',
      regular(2, 'unit', 2),
      60,
    ],
    ['hydromorphone, 8 mg once a day (×5)', 'hydromorphone-prolonged-tablets-8mg', regular(8, 'mg', 1), 40],
    ['methadone, 5 mg 3 times a day (×4.7)', 'methadone-tablets-5mg', regular(5, 'mg', 3), 70.5],
    ['tramadol, 50 mg 4 times a day (×0.2)', 'tramadol-capsules-50mg', regular(50, 'mg', 4), 40],
    [
      'codeine combination, 2 tablets of 8 mg 4 times a day (×0.15)',
      'codeine-paracetamol-tablets-8-500mg',
      regular(2, 'unit', 4),
      9.6,
    ],
    ['tapentadol, 100 mg twice a day (×0.4)', 'tapentadol-prolonged-tablets-50mg', regular(100, 'mg', 2), 80],
    ['a dose in µg', 'morphine-tablets-10mg', regular(5000, 'ug', 2), 10],
    ['a fentanyl 25 µg/h patch, whatever the changes a day', 'fentanyl-patch-25ug-h', regular(1, 'unit', 1 / 3), 60],
    ['two 50 µg/h patches', 'fentanyl-patch-50ug-h', regular(2, 'unit', 1), 240],
    ['a patch rate written in µg/h', 'fentanyl-patch-12ug-h', regular(12, 'ug_per_h', 1), 28.8],
  ])('counts %s', (_what, slug, schedule, expected) => {
    const result = dailyOralMorphineEquivalent(seed(slug), schedule);
    expect(result.kind).toBe('equivalent');
    if (result.kind === 'equivalent') expect(result.morphineMgPerDay).toBeCloseTo(expected, 9);
  });

  it.each<[string, DoseSchedule, number]>([
    ['at the prescribed daily maximum', { ...regular(10, 'mg', 6), regimen: 'as-needed', maxDailyDose: 40 }, 40],
    ['at dose × times a day when no maximum is written', { ...regular(5, 'mg', 4), regimen: 'as-needed' }, 20],
    ['at a maximum written in tablets', { ...regular(1, 'unit', 6), regimen: 'as-needed', maxDailyDose: 3 }, 30],
  ])('counts an as-needed dose %s, marked as-needed', (_what, schedule, expected) => {
    const result = dailyOralMorphineEquivalent(seed('morphine-tablets-10mg'), schedule);
    expect(result).toMatchObject({ kind: 'equivalent', regimen: 'as-needed', amountUnit: 'mg' });
    if (result.kind === 'equivalent') expect(result.morphineMgPerDay).toBeCloseTo(expected, 9);
  });

  it.each([
    ['buprenorphine patch', 'buprenorphine-patch-35ug-h'],
    ['trimeperidine (Promedol)', 'trimeperidine-injection-20mg-ml'],
    ['tramadol injection', 'tramadol-injection-50mg-ml'],
    ['paracetamol', 'paracetamol-tablets-500mg'],
  ])('reports %s as "no factor", never as zero', (_what, slug) => {
    expect(dailyOralMorphineEquivalent(seed(slug), regular(1, 'unit', 2))).toEqual({
      kind: 'no-factor',
      regimen: 'regular',
    });
  });

  it.each<[string, string, DoseSchedule, string]>([
    ['a dose of zero', 'morphine-tablets-10mg', regular(0, 'mg', 2), 'Доза должна быть больше нуля.'],
    ['no times a day', 'morphine-tablets-10mg', regular(10, 'mg', 0), 'Кратность приёма должна быть больше нуля.'],
    ['ml of tablets', 'morphine-tablets-10mg', regular(1, 'ml', 2), 'Доза в мл возможна только для раствора (мг/мл).'],
    [
      'ampoules of a solution',
      'morphine-injection-10mg-ml',
      regular(1, 'unit', 2),
      'Для раствора укажите дозу в мг или мл.',
    ],
    [
      'µg/h of tablets',
      'morphine-tablets-10mg',
      regular(25, 'ug_per_h', 1),
      'Доза в мкг/ч возможна только для пластыря.',
    ],
    [
      'mg of a patch',
      'fentanyl-patch-25ug-h',
      regular(25, 'mg', 1),
      'Для пластыря укажите скорость в мкг/ч или число пластырей.',
    ],
    [
      'a patch as needed',
      'fentanyl-patch-25ug-h',
      { ...regular(1, 'unit', 1), regimen: 'as-needed' },
      'Пластырь не назначают по требованию.',
    ],
    [
      'a negative daily maximum',
      'morphine-tablets-10mg',
      { ...regular(10, 'mg', 2), regimen: 'as-needed', maxDailyDose: -1 },
      'Максимальная суточная доза должна быть больше нуля.',
    ],
  ])('refuses to guess with %s', (_what, slug, schedule, message) => {
    expect(dailyOralMorphineEquivalent(seed(slug), schedule)).toEqual({
      kind: 'invalid',
      regimen: schedule.regimen,
      message,
    });
  });

  it('adds up regular and as-needed doses apart, and counts what it could not convert', () => {
    const results: DailyEquivalent[] = [
      dailyOralMorphineEquivalent(seed('morphine-prolonged-tablets-30mg'), regular(1, 'unit', 2)),
      dailyOralMorphineEquivalent(seed('fentanyl-patch-25ug-h'), regular(1, 'unit', 1)),
      dailyOralMorphineEquivalent(seed('morphine-tablets-5mg'), {
        ...regular(5, 'mg', 6),
        regimen: 'as-needed',
        maxDailyDose: 20,
      }),
      dailyOralMorphineEquivalent(seed('buprenorphine-patch-35ug-h'), regular(1, 'unit', 1)),
      dailyOralMorphineEquivalent(seed('morphine-tablets-5mg'), regular(0, 'mg', 1)),
    ];
    const totals = totalDailyEquivalents(results);
    expect(totals).toMatchObject({ noFactor: 1, invalid: 1 });
    expect(totals.regularMg).toBeCloseTo(120, 9);
    expect(totals.asNeededMg).toBeCloseTo(20, 9);
  });
});
