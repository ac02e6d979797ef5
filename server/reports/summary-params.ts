/**
 * The query of `GET /api/reports/summary`, parsed and checked: 400 naming the parameter for anything malformed,
 * 403 for a facility the caller may not report on. Who may see what follows the permission table
 * (common/roles.ts): administrators and analysts any facility, doctors their own; analysts see small cells
 * hidden, administrators and doctors exact figures.
 */
import { BadRequestError, ForbiddenError } from '../errors.ts';
import { can, facilitiesOf, isFacilityId } from '../../common/roles.ts';
import { addYears, isCalendarDate } from './dates.ts';
import type { ReportPeriod } from './figures.ts';

export const REPORT_FORMATS = ['json', 'csv', 'pdf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const MAX_PERIOD_YEARS = 5;
export const DEFAULT_NEXT_DAYS = 30;
export const MAX_NEXT_DAYS = 366;

export interface SummaryQuery {
  period: ReportPeriod;
  /** As asked, without repeats; null when the query names none (then: every facility the caller may see). */
  facilities: string[] | null;
  format: ReportFormat;
}

function single(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new BadRequestError(`"${name}" must be given once.`, name);
  return value;
}

function date(query: Record<string, unknown>, name: string): string {
  const value = single(query, name);
  if (value === undefined) throw new BadRequestError(`"${name}" is required (YYYY-MM-DD).`, name);
  if (!isCalendarDate(value)) throw new BadRequestError(`"${name}" must be a date written YYYY-MM-DD.`, name);
  return value;
}

/** Parses the query string; facility ids are checked for form here and for existence by the route. */
export function parseSummaryQuery(query: Record<string, unknown>): SummaryQuery {
  const from = date(query, 'from');
  const to = date(query, 'to');
  if (from > to) throw new BadRequestError('"from" comes after "to".', 'from');
  if (to >= addYears(from, MAX_PERIOD_YEARS))
    throw new BadRequestError(`The period may not be longer than ${MAX_PERIOD_YEARS} years.`, 'to');
  const rawFormat = single(query, 'format') ?? 'json';
  if (!(REPORT_FORMATS as readonly string[]).includes(rawFormat))
    throw new BadRequestError(`"format" must be one of ${REPORT_FORMATS.join(', ')}.`, 'format');
  const rawNext = single(query, 'nextDays');
  let nextDays = DEFAULT_NEXT_DAYS;
  if (rawNext !== undefined) {
    nextDays = /^\d{1,3}$/.test(rawNext) ? Number(rawNext) : NaN;
    if (!(nextDays >= 1 && nextDays <= MAX_NEXT_DAYS))
      throw new BadRequestError(`"nextDays" must be a whole number from 1 to ${MAX_NEXT_DAYS}.`, 'nextDays');
  }
  const rawFacilities = single(query, 'facilities');
  let facilities: string[] | null = null;
  if (rawFacilities !== undefined) {
    const ids = rawFacilities.split(',').map((id) => id.trim());
    const bad = ids.find((id) => !isFacilityId(id));
    if (bad !== undefined) throw new BadRequestError(`"facilities": "${bad}" is not a facility id.`, 'facilities');
    facilities = ids.filter((id, index) => ids.indexOf(id) === index);
  }
  return { period: { from, to, nextDays }, facilities, format: rawFormat as ReportFormat };
}

export interface ReportAccess {
  facilities: string[];
  /** Small cells hidden: true for an analyst, false for administrators and doctors on their own facilities. */
  suppressed: boolean;
}

/**
 * Which facilities the report covers and whether it is suppressed. `known` are the facilities of the reference
 * book; an unknown one is a 400, one the caller may not see a 403.
 */
export function reportAccess(roles: readonly string[], asked: string[] | null, known: readonly string[]): ReportAccess {
  if (!can(roles, 'summary-report')) throw new ForbiddenError('Your role does not give access to summary reports.');
  const unknown = asked?.find((id) => !known.includes(id));
  if (unknown !== undefined)
    throw new BadRequestError(`"facilities": there is no facility "${unknown}".`, 'facilities');
  const own = facilitiesOf(roles);
  const anyFacility = roles.includes('admin') || roles.includes('analyst');
  const facilities = asked ?? (anyFacility ? [...known] : own.filter((id) => known.includes(id)));
  if (facilities.length === 0) throw new BadRequestError('"facilities": no facility to report on.', 'facilities');
  const allOwn = roles.includes('doctor') && facilities.every((id) => own.includes(id));
  if (!anyFacility && !allOwn) {
    const other = facilities.find((id) => !own.includes(id));
    throw new ForbiddenError(`You may not see reports of the facility "${other}".`);
  }
  return { facilities, suppressed: !roles.includes('admin') && !allOwn };
}
