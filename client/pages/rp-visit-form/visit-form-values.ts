/**
 * Checks a visit as typed with the same validator the records layer and the facility design document run
 * (common/records/visit.ts), so a nurse sees "pain 11" or a date in the future refused next to the field before
 * anything is saved. The validator checks whole documents; the form fills in the parts the records layer sets
 * (id, performer, authorship) with stand-ins and keeps only the problems about what the form edits.
 */
import { validateVisit } from '../../../common/records/visit.ts';
import type { VisitInput, ValidationError } from '../../records/records-api.ts';
import { problemsAbout } from '../rp-patient-file/field-problems.ts';

/** What the form edits, by field path head. */
export const VISIT_FORM_FIELDS = [
  'date',
  'visitType',
  'ecog',
  'karnofsky',
  'pps',
  'pain',
  'esas',
  'syndromes',
  'needsNoticed',
  'note',
] as const;

const STAND_IN_ID = 'visit:00000000-0000-4000-8000-000000000000:00000000-0000-4000-8000-000000000000';

/** Every problem of `input` as a visit on `today` (`YYYY-MM-DD`). */
export function visitFormProblems(input: VisitInput, today: string): ValidationError[] {
  const candidate = {
    _id: STAND_IN_ID,
    type: 'visit',
    ...input,
    note: undefined, // sealed by the records layer: any text goes
    performer: 'form-check',
    createdBy: 'form-check',
    createdAt: `${today}T00:00:00.000Z`,
  };
  return problemsAbout(validateVisit(candidate, today), VISIT_FORM_FIELDS);
}
