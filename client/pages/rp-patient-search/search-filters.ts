/**
 * The search page's filters as chosen in the form (strings, '' for "all") and the records layer's `PatientFilter`
 * made from them. Kept apart from the element so the mapping — which empty choice means "no filter", how a typed
 * diagnosis range is normalised — is written once and tested directly.
 */
import type { CareSetting, DiseaseGroup, Need, PatientStatus } from '../../../common/records/index.ts';
import type { PatientFilter } from '../../records/records-api.ts';

export interface SearchChoices {
  text: string;
  status: PatientStatus | '';
  diseaseGroup: DiseaseGroup | '';
  diagnosis: string;
  districtId: string;
  careSetting: CareSetting | '';
  need: Need | '';
  ecogAtLeast: string;
  ppsAtMost: string;
  painAtLeast: string;
}

export const NO_CHOICES: SearchChoices = {
  text: '',
  status: '',
  diseaseGroup: '',
  diagnosis: '',
  districtId: '',
  careSetting: '',
  need: '',
  ecogAtLeast: '',
  ppsAtMost: '',
  painAtLeast: '',
};

/** The most rows a search shows; a longer list is narrowed by typing more. */
export const RESULT_LIMIT = 200;

/** Whether anything but the typed text narrows the list. */
export function hasRecordFilters(choices: SearchChoices): boolean {
  return (Object.keys(NO_CHOICES) as (keyof SearchChoices)[]).some(
    (key) => key !== 'text' && choices[key].trim() !== '',
  );
}

/**
 * The filter for the records layer. `normaliseCode` turns a typed code into the book's form (`с34` → `C34`); a
 * range is normalised on both sides (`с30-с39` → `C30-C39`).
 */
export function filterOf(choices: SearchChoices, normaliseCode: (typed: string) => string): PatientFilter {
  const filter: PatientFilter = { limit: RESULT_LIMIT };
  const text = choices.text.trim();
  if (text !== '') filter.text = text;
  if (choices.status) filter.status = [choices.status];
  if (choices.diseaseGroup) filter.diseaseGroup = [choices.diseaseGroup];
  const diagnosis = choices.diagnosis.replace(/\s+/g, '');
  if (diagnosis !== '') {
    filter.diagnosis = diagnosis
      .split(/[-–—]/)
      .filter((part) => part !== '')
      .map(normaliseCode)
      .join('-');
  }
  if (choices.districtId) filter.districtId = choices.districtId;
  if (choices.careSetting) filter.careSetting = [choices.careSetting];
  if (choices.need) filter.needs = [choices.need];
  if (choices.ecogAtLeast !== '') filter.ecogAtLeast = Number(choices.ecogAtLeast);
  if (choices.ppsAtMost !== '') filter.ppsAtMost = Number(choices.ppsAtMost);
  if (choices.painAtLeast !== '') filter.painAtLeast = Number(choices.painAtLeast);
  return filter;
}

/** A `YYYY-MM-DD` date as people read it in `locale` (`14.03.1948` in Russian). */
export function displayDate(date: string, locale: string): string {
  const [year, month, day] = date.split('-').map(Number);
  if (!year || !month || !day) return date;
  return new Intl.DateTimeFormat(locale, { timeZone: 'UTC', day: '2-digit', month: '2-digit', year: 'numeric' }).format(
    Date.UTC(year, month - 1, day),
  );
}
