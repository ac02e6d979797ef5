/**
 * What the prescription form computes as a doctor types: the problems the shared validator finds (so a dose of 0
 * or an end before the start is refused next to its field before anything is saved), the daily dose, the oral
 * morphine equivalent per day, and the warnings of `prescriptionWarnings` for the patient's prescriptions with the
 * new one among them. The validator and the warnings work on whole documents; the parts the records layer sets
 * (id, prescriber, authorship, status) are filled with stand-ins.
 */
import {
  dailyDose,
  dailyMorphineEquivalent,
  prescriptionWarnings,
  validatePrescription,
  type PrescriptionWarning,
} from '../../../common/records/prescription.ts';
import type { Prescription } from '../../../common/records/types.ts';
import type { DailyEquivalent, DoseUnit } from '../../../common/reference/opioid-equivalence.ts';
import type { Medicament } from '../../../common/reference/types.ts';
import type { PrescriptionInput, ValidationError } from '../../records/records-api.ts';
import { problemsAbout } from '../rp-patient-file/field-problems.ts';

export const PRESCRIPTION_FORM_FIELDS = [
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
] as const;

/** The id the new prescription carries in the warnings until it is stored. */
export const NEW_PRESCRIPTION_ID =
  'prescription:00000000-0000-4000-8000-000000000000:00000000-0000-4000-8000-000000000000';

/** The input as a stored prescription would look (stand-ins for what the records layer sets). */
export function candidatePrescription(input: PrescriptionInput, today: string): Prescription {
  return {
    _id: NEW_PRESCRIPTION_ID,
    type: 'prescription',
    ...input,
    number: undefined, // sealed by the records layer: any text goes
    prescriber: 'form-check',
    status: 'active',
    createdBy: 'form-check',
    createdAt: `${today}T00:00:00.000Z`,
  };
}

/** Every problem of `input`; a missing medicament is said plainly. */
export function prescriptionFormProblems(input: PrescriptionInput, today: string): ValidationError[] {
  const problems = problemsAbout(validatePrescription(candidatePrescription(input, today)), PRESCRIPTION_FORM_FIELDS);
  return problems.map((problem) =>
    problem.field === 'medicamentId' && input.medicamentId === ''
      ? { field: 'medicamentId', message: 'Выберите препарат из справочника.' }
      : problem,
  );
}

export interface PrescriptionPreview {
  daily: { amount: number; unit: DoseUnit } | null;
  equivalent: DailyEquivalent | null;
  warnings: PrescriptionWarning[];
}

/**
 * The daily dose, the oral-morphine equivalent and the warnings, for as much of the input as makes sense so far.
 * Warnings are judged on the day the new prescription starts (or today, if it started already), among the
 * patient's prescriptions in force then, and only those that involve the new prescription are kept.
 */
export function prescriptionPreview(
  input: PrescriptionInput,
  medicament: Medicament | null,
  existing: readonly Prescription[],
  medicamentOf: (id: string) => Medicament | null,
  today: string,
): PrescriptionPreview {
  const scheduled =
    Number.isFinite(input.dose) &&
    input.dose > 0 &&
    (input.timesPerDay !== undefined || input.intervalHours !== undefined);
  if (!medicament || !scheduled) return { daily: null, equivalent: null, warnings: [] };
  const candidate = candidatePrescription(input, today);
  const on = /^\d{4}-\d{2}-\d{2}$/.test(input.start) && input.start > today ? input.start : today;
  const lookup = (id: string) => (id === medicament._id ? medicament : medicamentOf(id));
  const warnings = prescriptionWarnings([...existing, candidate], lookup, on).filter((warning) =>
    warning.kind === 'dose-above-usual'
      ? warning.prescriptionId === NEW_PRESCRIPTION_ID
      : warning.prescriptionIds.includes(NEW_PRESCRIPTION_ID),
  );
  return {
    daily: dailyDose(candidate),
    equivalent:
      medicament.opioidClass === 'none' && medicament.morphineFactor === null
        ? null
        : dailyMorphineEquivalent(candidate, medicament),
    warnings,
  };
}
