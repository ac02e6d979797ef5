/**
 * Calendar arithmetic on `YYYY-MM-DD` strings, in UTC, for report periods. Dates stay strings everywhere (they
 * compare in order as text, and the documents store them so); only adding days goes through `Date`.
 */

const DAY_MS = 24 * 3600 * 1000;

/** A real calendar date written `YYYY-MM-DD`. */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const day = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === value;
}

/** `date` moved by `days` (negative goes back). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** `date` moved by whole years; 29 February becomes 1 March in a year without it. */
export function addYears(date: string, years: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year + years, month - 1, day)).toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both counted: 1 for the same day, 0 when `to` comes first. */
export function daysInclusive(from: string, to: string): number {
  if (to < from) return 0;
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

/** Days that two inclusive ranges share. */
export function overlapDays(aFrom: string, aTo: string, bFrom: string, bTo: string): number {
  return daysInclusive(aFrom > bFrom ? aFrom : bFrom, aTo < bTo ? aTo : bTo);
}
