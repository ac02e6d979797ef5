/**
 * `prescription:<patientId>:<uuid>` — one medicine for one patient. Only `active` and `cancelled` are stored; what
 * follows from the calendar ("planned", "completed") and from the reference book (the daily dose in oral morphine)
 * is derived when read, so that devices never fight over values that merely change with time (ARCHITECTURE.md,
 * "Documents"). Prescription numbers and cancellation reasons can identify a patient through other registers, so
 * they are sealed. `prescriptionWarnings` flags what a doctor should look at twice; it never refuses anything.
 */
import {
  AUTHORSHIP_FIELDS,
  FACILITY_ID,
  META_FIELDS,
  MEDICAMENT_ID,
  UUID_PATTERN,
  authorshipErrors,
  idErrors,
  isDate,
  isInteger,
  isIsoTime,
  isLogin,
  isOneOf,
  isPositiveNumber,
  isRecord,
  notObject,
  sealedErrors,
  unknownFieldErrors,
  type ReferenceLookups,
  type ValidationError,
} from './checks.ts';
import {
  dailyOralMorphineEquivalent,
  DOSE_UNITS,
  type DailyEquivalent,
  type DoseUnit,
  type FactorFields,
} from '../reference/opioid-equivalence.ts';
import { ROUTES } from '../reference/validation.ts';
import type { Medicament } from '../reference/types.ts';
import { PRESCRIPTION_FORMS, PRESCRIPTION_STATUSES, REGIMENS, type DisplayStatus, type Prescription } from './types.ts';

const PRESCRIPTION_FIELDS = [
  ...META_FIELDS,
  'type',
  'medicamentId',
  'dose',
  'doseUnit',
  'route',
  'timesPerDay',
  'intervalHours',
  'regimen',
  'maxDailyDose',
  'start',
  'end',
  'quantity',
  'prescriptionForm',
  'number',
  'prescriber',
  'status',
  'cancellation',
  'transferredFrom',
  ...AUTHORSHIP_FIELDS,
];

/** The longest interval between doses: a week. */
const MAX_INTERVAL_HOURS = 168;

function scheduleErrors(doc: Record<string, unknown>, errors: ValidationError[]): void {
  const hasTimes = doc.timesPerDay !== undefined;
  const hasInterval = doc.intervalHours !== undefined;
  if (hasTimes === hasInterval) {
    errors.push({ field: 'timesPerDay', message: 'Укажите либо кратность в сутки, либо интервал в часах.' });
  }
  if (hasTimes && !isInteger(doc.timesPerDay, 1, 24)) {
    errors.push({ field: 'timesPerDay', message: 'Кратность — целое от 1 до 24 раз в сутки.' });
  }
  if (hasInterval && !(isPositiveNumber(doc.intervalHours) && doc.intervalHours <= MAX_INTERVAL_HOURS)) {
    errors.push({ field: 'intervalHours', message: 'Интервал — больше 0 и не больше 168 часов.' });
  }
  if (!isOneOf(doc.regimen, REGIMENS))
    errors.push({ field: 'regimen', message: 'Режим: регулярно или по требованию.' });
  if (doc.regimen === 'as-needed' && !isPositiveNumber(doc.maxDailyDose)) {
    errors.push({ field: 'maxDailyDose', message: 'Для приёма по требованию укажите максимальную суточную дозу.' });
  } else if (doc.regimen !== 'as-needed' && doc.maxDailyDose !== undefined) {
    errors.push({ field: 'maxDailyDose', message: 'Максимальная суточная доза — только для приёма по требованию.' });
  } else if (isPositiveNumber(doc.maxDailyDose) && isPositiveNumber(doc.dose) && doc.maxDailyDose < doc.dose) {
    errors.push({ field: 'maxDailyDose', message: 'Максимальная суточная доза меньше разовой.' });
  }
}

function cancellationErrors(doc: Record<string, unknown>, errors: ValidationError[]): void {
  if (doc.status !== 'cancelled') {
    if (doc.cancellation !== undefined) {
      errors.push({ field: 'cancellation', message: 'Сведения об отмене — только у отменённого назначения.' });
    }
    return;
  }
  const cancellation = doc.cancellation;
  if (!isRecord(cancellation)) {
    errors.push({ field: 'cancellation', message: 'Укажите, кто, когда и почему отменил назначение.' });
    return;
  }
  unknownFieldErrors(cancellation, ['at', 'by', 'reason'], 'cancellation', errors);
  if (!isIsoTime(cancellation.at))
    errors.push({ field: 'cancellation.at', message: 'Время отмены не в формате ISO 8601.' });
  if (!isLogin(cancellation.by))
    errors.push({ field: 'cancellation.by', message: 'Не указано, кто отменил назначение.' });
  sealedErrors(cancellation.reason, 'cancellation.reason', errors);
}

/** Every structural problem of a prescription; `lookups.medicamentExists` lets the client check the medicament. */
export function validatePrescription(doc: unknown, lookups: ReferenceLookups = {}): ValidationError[] {
  if (!isRecord(doc)) return notObject();
  const errors = idErrors(doc, 'prescription', [UUID_PATTERN, UUID_PATTERN], 'prescription:<patientId>:<uuid>');
  unknownFieldErrors(doc, PRESCRIPTION_FIELDS, '', errors);
  if (!(typeof doc.medicamentId === 'string' && MEDICAMENT_ID.test(doc.medicamentId))) {
    errors.push({ field: 'medicamentId', message: 'Препарат — запись справочника «medicament:…».' });
  } else if (lookups.medicamentExists && !lookups.medicamentExists(doc.medicamentId)) {
    errors.push({ field: 'medicamentId', message: 'Такого препарата нет в справочнике.' });
  }
  if (!isPositiveNumber(doc.dose)) errors.push({ field: 'dose', message: 'Доза должна быть больше нуля.' });
  if (!isOneOf(doc.doseUnit, DOSE_UNITS)) errors.push({ field: 'doseUnit', message: 'Неизвестная единица дозы.' });
  if (!isOneOf(doc.route, ROUTES)) errors.push({ field: 'route', message: 'Неизвестный путь введения.' });
  scheduleErrors(doc, errors);
  if (!isDate(doc.start)) errors.push({ field: 'start', message: 'Дата начала должна иметь вид ГГГГ-ММ-ДД.' });
  if (doc.end !== undefined) {
    if (!isDate(doc.end)) errors.push({ field: 'end', message: 'Дата окончания должна иметь вид ГГГГ-ММ-ДД.' });
    else if (isDate(doc.start) && doc.end < doc.start) {
      errors.push({ field: 'end', message: 'Дата окончания раньше даты начала.' });
    }
  }
  if (doc.quantity !== undefined && !isPositiveNumber(doc.quantity)) {
    errors.push({ field: 'quantity', message: 'Количество должно быть больше нуля.' });
  }
  if (!isOneOf(doc.prescriptionForm, PRESCRIPTION_FORMS)) {
    errors.push({ field: 'prescriptionForm', message: 'Неизвестная форма рецептурного бланка.' });
  }
  if (doc.number !== undefined) sealedErrors(doc.number, 'number', errors);
  if (!isLogin(doc.prescriber)) errors.push({ field: 'prescriber', message: 'Не указан назначивший врач.' });
  if (
    doc.transferredFrom !== undefined &&
    !(typeof doc.transferredFrom === 'string' && FACILITY_ID.test(doc.transferredFrom))
  ) {
    errors.push({
      field: 'transferredFrom',
      message: 'Учреждение, из которого перенесено назначение, указано неверно.',
    });
  }
  if (!isOneOf(doc.status, PRESCRIPTION_STATUSES)) {
    errors.push({ field: 'status', message: 'Статус: действует или отменено.' });
  }
  cancellationErrors(doc, errors);
  authorshipErrors(doc, errors);
  return errors;
}

export function isPrescription(doc: unknown): doc is Prescription {
  return validatePrescription(doc).length === 0;
}

/** What a reader sees on `today`: cancelled, planned (not started), completed (its end has passed) or active. */
export function displayStatus(p: Pick<Prescription, 'status' | 'start' | 'end'>, today: string): DisplayStatus {
  if (p.status === 'cancelled') return 'cancelled';
  if (today < p.start) return 'planned';
  if (p.end !== undefined && p.end < today) return 'completed';
  return 'active';
}

type Schedule = Pick<Prescription, 'dose' | 'doseUnit' | 'timesPerDay' | 'intervalHours' | 'regimen' | 'maxDailyDose'>;

/** Doses a day: `timesPerDay`, or 24 / `intervalHours`. */
function timesPerDayOf(p: Schedule): number {
  return p.timesPerDay ?? 24 / (p.intervalHours ?? 24);
}

/**
 * The amount a day in the prescription's own unit: as-needed counts its prescribed daily maximum; a patch (µg/h)
 * its rate, which does not add up over the day; otherwise dose × doses a day.
 */
export function dailyDose(p: Schedule): { amount: number; unit: DoseUnit } {
  if (p.regimen === 'as-needed' && p.maxDailyDose !== undefined) return { amount: p.maxDailyDose, unit: p.doseUnit };
  if (p.doseUnit === 'ug_per_h') return { amount: p.dose, unit: p.doseUnit };
  return { amount: p.dose * timesPerDayOf(p), unit: p.doseUnit };
}

/** Oral morphine mg a day of one prescription of `medicament` (see opioid-equivalence.ts). */
export function dailyMorphineEquivalent(p: Schedule, medicament: FactorFields): DailyEquivalent {
  return dailyOralMorphineEquivalent(medicament, {
    dose: p.dose,
    unit: p.doseUnit,
    timesPerDay: timesPerDayOf(p),
    regimen: p.regimen,
    ...(p.maxDailyDose === undefined ? {} : { maxDailyDose: p.maxDailyDose }),
  });
}

/**
 * The upper end of the usual daily range in oral morphine mg, by WHO ATC code: well-tolerated palliative doses
 * go higher, so above it is a prompt to check the dose, not an error. Weak opioids are bounded by their licensed
 * daily maximum (tramadol 400 mg, tapentadol 500 mg, codeine 240 mg) times their factor.
 */
export const USUAL_MAX_MORPHINE_MG_PER_DAY: Readonly<Record<string, number>> = {
  N02AA01: 300, // morphine
  N02AA03: 300, // hydromorphone
  N02AA05: 300, // oxycodone
  N02AA55: 240, // oxycodone + naloxone: oxycodone up to 160 mg
  N02AB03: 300, // fentanyl, about 125 µg/h
  N07BC02: 200, // methadone
  N02AX02: 80, // tramadol
  N02AX06: 200, // tapentadol
  N02AJ06: 36, // codeine + paracetamol
};
const USUAL_MAX_BY_CLASS = { strong: 300, weak: 80 } as const;

const LONG_ACTING_FORMS = ['tablet-prolonged', 'capsule-prolonged', 'transdermal-patch'];

export type WarningMedicament = FactorFields & Pick<Medicament, 'atcCode' | 'form' | 'opioidClass'>;

export type PrescriptionWarning =
  | { kind: 'dose-above-usual'; prescriptionId: string; morphineMgPerDay: number; usualMaxMg: number }
  | { kind: 'two-long-acting-strong-opioids'; prescriptionIds: string[] };

/**
 * Warnings about the prescriptions in force on `today` for one patient: a daily oral-morphine equivalent above
 * the usual range, and long-acting strong opioids of two different substances at once (two strengths of the same
 * substance, which is how a dose is made up, do not count). Medicaments the lookup does not know are skipped.
 */
export function prescriptionWarnings(
  prescriptions: readonly Prescription[],
  medicamentOf: (id: string) => WarningMedicament | null,
  today: string,
): PrescriptionWarning[] {
  const warnings: PrescriptionWarning[] = [];
  const longActing: { id: string; atc: string }[] = [];
  for (const p of prescriptions) {
    if (displayStatus(p, today) !== 'active') continue;
    const medicament = medicamentOf(p.medicamentId);
    if (!medicament || medicament.opioidClass === 'none') continue;
    const usualMaxMg = USUAL_MAX_MORPHINE_MG_PER_DAY[medicament.atcCode] ?? USUAL_MAX_BY_CLASS[medicament.opioidClass];
    const equivalent = dailyMorphineEquivalent(p, medicament);
    if (equivalent.kind === 'equivalent' && equivalent.morphineMgPerDay > usualMaxMg) {
      warnings.push({
        kind: 'dose-above-usual',
        prescriptionId: p._id,
        morphineMgPerDay: equivalent.morphineMgPerDay,
        usualMaxMg,
      });
    }
    if (
      medicament.opioidClass === 'strong' &&
      p.regimen === 'regular' &&
      LONG_ACTING_FORMS.indexOf(medicament.form) !== -1
    ) {
      longActing.push({ id: p._id, atc: medicament.atcCode });
    }
  }
  const substances = longActing.map((entry) => entry.atc).filter((atc, index, all) => all.indexOf(atc) === index);
  if (substances.length >= 2) {
    warnings.push({ kind: 'two-long-acting-strong-opioids', prescriptionIds: longActing.map((entry) => entry.id) });
  }
  return warnings;
}
