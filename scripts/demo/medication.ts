/**
 * Synthetic prescriptions: lines of treatment (an opioid titrated upwards, breakthrough doses, a laxative with it,
 * antiemetics, steroids, diuretics, terminal-phase injections), each issued as consecutive courses of about a month
 * — every course one prescription document, as a doctor renews them. A dose change or a switch of opioid cancels
 * the course in force (with a reason, sealed like any free text) and the next step starts the same day; a death
 * or an exclusion cancels whatever is still in force. Medicaments and their strengths are those of the reference
 * book's seed (common/reference/medicaments-seed.ts), so every dose converts to oral morphine as the reports do it.
 */
import type { PrescriptionInput } from '../../client/records/records-api.ts';
import type { PrescriptionForm } from '../../common/records/types.ts';
import type { Condition } from './clinical.ts';
import { addDays, between, chance, daysBetween, minDate, weighted, type Random } from './random.ts';

/** A prescription and, when it is cut short, the day and reason of its cancellation. */
export interface PlannedPrescription {
  input: PrescriptionInput;
  cancel?: { on: string; reason: string };
}

/** One dose in force over a stretch of days. */
interface Dose {
  medicament: string;
  dose: number;
  doseUnit: PrescriptionInput['doseUnit'];
  route: PrescriptionInput['route'];
  timesPerDay?: number;
  intervalHours?: number;
  regimen?: PrescriptionInput['regimen'];
  maxDailyDose?: number;
  form: PrescriptionForm;
  /** Units dispensed a day (tablets, ml, patches), for the quantity. */
  unitsPerDay: number;
}

export interface TreatmentWindow {
  /** First day a doctor sees the patient as confirmed. */
  from: string;
  /** Last day of care: the day of death or exclusion, or today. */
  to: string;
  ending: 'deceased' | 'excluded' | null;
  inpatient: boolean;
  today: string;
}

const NARCOTIC: PrescriptionForm = '107/у-НП';
const COURSE_DAYS = 30;

const tablets = (slug: string, mg: number, strength: number, times: number): Dose => ({
  medicament: `medicament:${slug}`,
  dose: mg,
  doseUnit: 'mg',
  route: 'oral',
  timesPerDay: times,
  form: NARCOTIC,
  unitsPerDay: Math.ceil(mg / strength) * times,
});

const patch = (ugPerHour: number): Dose => ({
  medicament: `medicament:fentanyl-patch-${ugPerHour}ug-h`,
  dose: ugPerHour,
  doseUnit: 'ug_per_h',
  route: 'transdermal',
  intervalHours: 72,
  form: NARCOTIC,
  unitsPerDay: 1 / 3,
});

/** The steps of one opioid titration, weakest first. */
function opioidSteps(random: Random, condition: Condition): Dose[] {
  if (condition.kind !== 'cancer' && condition.kind !== 'hiv') {
    // Low-dose morphine for breathlessness in organ failure and neurological disease.
    return [{ ...tablets('morphine-tablets-5mg', 2.5, 5, 4), unitsPerDay: 4 }];
  }
  const weak: Dose[] = chance(random, 0.35)
    ? [
        chance(random, 0.7)
          ? { ...tablets('tramadol-capsules-50mg', 50, 50, 4), form: '148-1/у-88' }
          : { ...tablets('codeine-paracetamol-tablets-8-500mg', 16, 8, 4), form: '148-1/у-88' },
      ]
    : [];
  const strong = weighted(random, { morphine: 55, fentanyl: 25, oxycodone: 15, tapentadol: 5 });
  const climb = between(random, 1, 4);
  if (strong === 'fentanyl') {
    return [...weak, ...[12, 25, 50, 75, 100].slice(0, climb + 1).map(patch)];
  }
  if (strong === 'oxycodone') {
    return [
      ...weak,
      ...[10, 20, 40, 60].slice(0, climb).map((mg) => tablets('oxycodone-prolonged-tablets-10mg', mg, 10, 2)),
    ];
  }
  if (strong === 'tapentadol') {
    return [
      ...weak,
      ...[50, 100, 150, 200].slice(0, climb).map((mg) => tablets('tapentadol-prolonged-tablets-50mg', mg, 50, 2)),
    ];
  }
  const prolonged = [30, 60, 100].map((mg) => tablets(`morphine-prolonged-tablets-${mg}mg`, mg, mg, 2));
  return [...weak, tablets('morphine-tablets-10mg', 10, 10, 6), ...prolonged.slice(0, climb - 1)];
}

/** Whole-number quantity for a course of `days`. */
function quantity(dose: Dose, days: number): number {
  return Math.max(1, Math.ceil(dose.unitsPerDay * days));
}

function prescriptionOf(random: Random, dose: Dose, start: string, end: string, inpatient: boolean): PrescriptionInput {
  const form = inpatient ? 'inpatient-sheet' : dose.form;
  const days = daysBetween(start, end) + 1;
  return {
    medicamentId: dose.medicament,
    dose: dose.dose,
    doseUnit: dose.doseUnit,
    route: dose.route,
    ...(dose.intervalHours === undefined
      ? { timesPerDay: dose.timesPerDay ?? 1 }
      : { intervalHours: dose.intervalHours }),
    regimen: dose.regimen ?? 'regular',
    ...(dose.maxDailyDose === undefined ? {} : { maxDailyDose: dose.maxDailyDose }),
    start,
    end,
    ...(form === 'inpatient-sheet' ? {} : { quantity: quantity(dose, days) }),
    prescriptionForm: form,
    ...(form === NARCOTIC || form === '148-1/у-88'
      ? {
          number: `${between(random, 10, 99)}-${start.slice(2, 4)} № ${String(between(random, 1, 999_999)).padStart(6, '0')}`,
        }
      : {}),
  };
}

/**
 * Courses of each dose from `steps` over `[from, to]`: a step lasts until the next one starts (its days are drawn
 * here); the last lasts to `to`. What is still in force at `to` is cancelled when care ended then (death,
 * exclusion); with `plannedEnd` the line simply ends at `to` (a short course), its last prescription ending then.
 */
function courses(
  random: Random,
  steps: readonly Dose[],
  from: string,
  window: TreatmentWindow,
  stepReason: string,
  plannedEnd = false,
): PlannedPrescription[] {
  const planned: PlannedPrescription[] = [];
  let start = from;
  for (let index = 0; index < steps.length && start <= window.to; index += 1) {
    const dose = steps[index] as Dose;
    const last = index === steps.length - 1;
    const stepEnd = last ? window.to : minDate(window.to, addDays(start, between(random, 10, 45) - 1));
    let course = start;
    while (course <= stepEnd) {
      const fullEnd = addDays(course, COURSE_DAYS - 1);
      const end = plannedEnd && last ? minDate(fullEnd, stepEnd) : fullEnd;
      const prescription: PlannedPrescription = { input: prescriptionOf(random, dose, course, end, window.inpatient) };
      if (end > stepEnd) {
        // Cut short: by the next step, or by the end of care (death, exclusion); still in force when care goes on.
        const cancelOn = minDate(addDays(stepEnd, 1), window.today);
        if (!last) prescription.cancel = { on: cancelOn, reason: stepReason };
        else if (window.ending === 'deceased') prescription.cancel = { on: cancelOn, reason: 'Смерть пациента' };
        else if (window.ending === 'excluded') {
          prescription.cancel = { on: cancelOn, reason: 'Пациент исключён из регистра' };
        }
      }
      planned.push(prescription);
      course = addDays(end, 1);
      if (prescription.cancel) break;
    }
    start = addDays(stepEnd, 1);
  }
  return planned;
}

function regular(slug: string, dose: number, unit: Dose['doseUnit'], route: Dose['route'], times: number): Dose {
  return {
    medicament: `medicament:${slug}`,
    dose,
    doseUnit: unit,
    route,
    timesPerDay: times,
    form: '148-1/у-04(л)',
    unitsPerDay: times,
  };
}

function asNeeded(slug: string, dose: number, route: Dose['route'], times: number, form: PrescriptionForm): Dose {
  return { ...regular(slug, dose, 'mg', route, times), regimen: 'as-needed', maxDailyDose: dose * times, form };
}

/** Every prescription of one patient over their time in care. */
export function prescriptionsFor(random: Random, condition: Condition, window: TreatmentWindow): PlannedPrescription[] {
  const planned: PlannedPrescription[] = [];
  const painful = condition.kind === 'cancer' || condition.kind === 'hiv';
  const onOpioid = chance(random, painful ? 0.85 : 0.3);
  const titration = 'Титрация: доза изменена по выраженности боли';
  if (onOpioid) {
    const steps = opioidSteps(random, condition);
    const opioidStart = addDays(window.from, between(random, 0, 10));
    planned.push(...courses(random, steps, opioidStart, window, titration));
    if (painful && steps.length > 1 && chance(random, 0.7)) {
      const breakthrough = asNeeded('morphine-tablets-5mg', 5, 'oral', 6, NARCOTIC);
      planned.push(...courses(random, [breakthrough], addDays(opioidStart, between(random, 5, 20)), window, titration));
    }
    if (chance(random, 0.8)) {
      const laxative = regular('lactulose-syrup-667mg-ml', 15, 'ml', 'oral', 2);
      planned.push(...courses(random, [laxative], opioidStart, window, titration));
    }
  }
  const short = (dose: Dose, days: number): void => {
    const start = addDays(window.from, between(random, 0, 60));
    if (start <= window.to) {
      const to = addDays(start, days);
      if (to <= window.to) planned.push(...courses(random, [dose], start, { ...window, to }, '', true));
      else planned.push(...courses(random, [dose], start, window, ''));
    }
  };
  if (chance(random, 0.4)) short(regular('metoclopramide-tablets-10mg', 10, 'mg', 'oral', 3), between(random, 10, 30));
  if (condition.kind === 'cancer' && chance(random, 0.4)) {
    short(regular('dexamethasone-injection-4mg-ml', 4, 'mg', 'parenteral', 1), between(random, 7, 14));
  }
  if (chance(random, 0.35))
    planned.push(
      ...courses(random, [regular('omeprazole-capsules-20mg', 20, 'mg', 'oral', 1)], window.from, window, ''),
    );
  if (chance(random, 0.35)) {
    short(asNeeded('paracetamol-tablets-500mg', 500, 'oral', 4, '107-1/у'), between(random, 14, 60));
  }
  if (condition.kind === 'heart' || (condition.kind === 'liver' && chance(random, 0.5))) {
    planned.push(
      ...courses(random, [regular('furosemide-tablets-40mg', 40, 'mg', 'oral', 1)], window.from, window, ''),
    );
  }
  if (chance(random, 0.1)) short(regular('haloperidol-tablets-5mg', 2.5, 'mg', 'oral', 2), between(random, 7, 21));
  if (window.ending === 'deceased' && daysBetween(window.from, window.to) > 7) {
    // The last days: morphine and midazolam by injection.
    const terminal = { ...window, from: addDays(window.to, -between(random, 2, 6)) };
    if (onOpioid) {
      const injection = { ...regular('morphine-injection-10mg-ml', 5, 'mg', 'parenteral', 6), form: NARCOTIC };
      planned.push(...courses(random, [injection], terminal.from, terminal, ''));
    }
    if (chance(random, 0.5)) {
      const sedation = asNeeded('midazolam-injection-5mg-ml', 2.5, 'parenteral', 4, '148-1/у-88');
      planned.push(...courses(random, [sedation], terminal.from, terminal, ''));
    }
  }
  return planned.sort((a, b) => a.input.start.localeCompare(b.input.start));
}
