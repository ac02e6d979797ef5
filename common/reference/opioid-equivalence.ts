/**
 * Oral morphine equivalent per day (ARCHITECTURE.md, "Opioid equivalence"): daily dose × the medicament's factor.
 * Regular doses count dose × times per day; a patch counts its rate in µg/h (the factor is per µg/h); as-needed
 * doses count at their prescribed daily maximum and are reported apart from regular ones; a medicament without a
 * factor is "no factor", never zero. Computed when read, from the current reference book, never stored.
 */
import type { Medicament } from './types.ts';

/** `unit` = one dose unit of the medicament: a tablet, capsule, suppository or patch. */
export const DOSE_UNITS = ['mg', 'ug', 'g', 'ml', 'ug_per_h', 'unit'] as const;
export type DoseUnit = (typeof DOSE_UNITS)[number];

export type Regimen = 'regular' | 'as-needed';

export interface DoseSchedule {
  dose: number;
  unit: DoseUnit;
  /** For as-needed doses: at most this many times a day. */
  timesPerDay: number;
  regimen: Regimen;
  /** The prescribed daily maximum of an as-needed dose, in `unit`; without it, dose × timesPerDay. */
  maxDailyDose?: number;
}

export type DailyEquivalent =
  | {
      kind: 'equivalent';
      regimen: Regimen;
      /** Oral morphine, mg per day. */
      morphineMgPerDay: number;
      /** What the factor multiplied: mg of the medicine a day, or a patch's µg/h. */
      amount: number;
      amountUnit: 'mg' | 'ug_per_h';
      factor: number;
    }
  | { kind: 'no-factor'; regimen: Regimen }
  | { kind: 'invalid'; regimen: Regimen; message: string };

export type FactorFields = Pick<Medicament, 'morphineFactor' | 'factorBasis' | 'strength' | 'strengthUnit'>;

const MG_PER: Partial<Record<string, number>> = { mg: 1, ug: 0.001, g: 1000, mg_per_ml: 1, ug_per_ml: 0.001 };

type Amount = { ok: true; value: number } | { ok: false; message: string };

function invalid(message: string): Amount {
  return { ok: false, message };
}

/** A dose in mg of the active substance, or why it cannot be told. */
function doseInMg(dose: number, unit: DoseUnit, medicament: FactorFields): Amount {
  const strengthMg = MG_PER[medicament.strengthUnit];
  const perMl = medicament.strengthUnit === 'mg_per_ml' || medicament.strengthUnit === 'ug_per_ml';
  switch (unit) {
    case 'mg':
    case 'ug':
    case 'g':
      return { ok: true, value: dose * (MG_PER[unit] ?? 1) };
    case 'ml':
      if (!perMl || strengthMg === undefined) return invalid('Доза в мл возможна только для раствора (мг/мл).');
      return { ok: true, value: dose * medicament.strength * strengthMg };
    case 'unit':
      if (perMl || strengthMg === undefined) return invalid('Для раствора укажите дозу в мг или мл.');
      return { ok: true, value: dose * medicament.strength * strengthMg };
    case 'ug_per_h':
      return invalid('Доза в мкг/ч возможна только для пластыря.');
  }
}

/** A patch's rate in µg/h, or why it cannot be told. */
function patchRate(dose: number, unit: DoseUnit, medicament: FactorFields): Amount {
  if (unit === 'ug_per_h') return { ok: true, value: dose };
  if (unit === 'unit' && medicament.strengthUnit === 'ug_per_h') return { ok: true, value: dose * medicament.strength };
  return invalid('Для пластыря укажите скорость в мкг/ч или число пластырей.');
}

function isPositive(value: number): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

/**
 * The oral morphine equivalent per day of one prescription of `medicament`. A schedule that cannot be converted
 * (a dose in ml of a tablet, a patch "as needed") is `invalid` with a Russian message, so reports can list it
 * instead of counting it wrong.
 */
export function dailyOralMorphineEquivalent(medicament: FactorFields, schedule: DoseSchedule): DailyEquivalent {
  const { regimen } = schedule;
  const factor = medicament.morphineFactor;
  if (factor === null || medicament.factorBasis === null) return { kind: 'no-factor', regimen };
  if (!isPositive(schedule.dose)) return { kind: 'invalid', regimen, message: 'Доза должна быть больше нуля.' };
  if (medicament.factorBasis === 'ug_per_h') {
    if (regimen === 'as-needed') return { kind: 'invalid', regimen, message: 'Пластырь не назначают по требованию.' };
    const rate = patchRate(schedule.dose, schedule.unit, medicament);
    if (!rate.ok) return { kind: 'invalid', regimen, message: rate.message };
    return {
      kind: 'equivalent',
      regimen,
      morphineMgPerDay: rate.value * factor,
      amount: rate.value,
      amountUnit: 'ug_per_h',
      factor,
    };
  }
  if (!isPositive(schedule.timesPerDay)) {
    return { kind: 'invalid', regimen, message: 'Кратность приёма должна быть больше нуля.' };
  }
  const single = doseInMg(schedule.dose, schedule.unit, medicament);
  if (!single.ok) return { kind: 'invalid', regimen, message: single.message };
  let daily = single.value * schedule.timesPerDay;
  if (regimen === 'as-needed' && schedule.maxDailyDose !== undefined) {
    if (!isPositive(schedule.maxDailyDose)) {
      return { kind: 'invalid', regimen, message: 'Максимальная суточная доза должна быть больше нуля.' };
    }
    const maximum = doseInMg(schedule.maxDailyDose, schedule.unit, medicament);
    if (!maximum.ok) return { kind: 'invalid', regimen, message: maximum.message };
    daily = maximum.value;
  }
  return { kind: 'equivalent', regimen, morphineMgPerDay: daily * factor, amount: daily, amountUnit: 'mg', factor };
}

export interface EquivalentTotals {
  /** Oral morphine mg per day from regular prescriptions. */
  regularMg: number;
  /** Oral morphine mg per day that as-needed prescriptions allow at most — reported apart. */
  asNeededMg: number;
  /** Prescriptions whose medicament has no factor: not counted, and said so. */
  noFactor: number;
  invalid: number;
}

/** Adds up the equivalents of several prescriptions, keeping regular and as-needed apart. */
export function totalDailyEquivalents(results: readonly DailyEquivalent[]): EquivalentTotals {
  const totals: EquivalentTotals = { regularMg: 0, asNeededMg: 0, noFactor: 0, invalid: 0 };
  for (const result of results) {
    if (result.kind === 'no-factor') totals.noFactor += 1;
    else if (result.kind === 'invalid') totals.invalid += 1;
    else if (result.regimen === 'regular') totals.regularMg += result.morphineMgPerDay;
    else totals.asNeededMg += result.morphineMgPerDay;
  }
  return totals;
}
