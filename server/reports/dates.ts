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

/**
 * Reports turn the same few thousand dates into times hundreds of thousands of times (a million prescriptions),
 * so parsed dates and moved dates are remembered; the remembered values are exactly what the plain computation
 * gives (NaN for a malformed date too). Bounded, so odd input cannot grow them without end.
 */
const MEMO_LIMIT = 200_000;
const parsedDates = new Map<string, number>();
const movedDates = new Map<number, Map<string, string>>();

function timeOf(date: string): number {
  let time = parsedDates.get(date);
  if (time === undefined) {
    time = Date.parse(`${date}T00:00:00Z`);
    if (parsedDates.size < MEMO_LIMIT) parsedDates.set(date, time);
  }
  return time;
}

/** `date` moved by `days` (negative goes back). */
export function addDays(date: string, days: number): string {
  let moved = movedDates.get(days);
  if (!moved) movedDates.set(days, (moved = new Map()));
  let text = moved.get(date);
  if (text === undefined) {
    text = new Date(timeOf(date) + days * DAY_MS).toISOString().slice(0, 10);
    if (moved.size < MEMO_LIMIT) moved.set(date, text);
  }
  return text;
}

/** `date` moved by whole years; 29 February becomes 1 March in a year without it. */
export function addYears(date: string, years: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year + years, month - 1, day)).toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both counted: 1 for the same day, 0 when `to` comes first. */
export function daysInclusive(from: string, to: string): number {
  if (to < from) return 0;
  return Math.round((timeOf(to) - timeOf(from)) / DAY_MS) + 1;
}

/** Days that two inclusive ranges share. */
export function overlapDays(aFrom: string, aTo: string, bFrom: string, bTo: string): number {
  return daysInclusive(aFrom > bFrom ? aFrom : bFrom, aTo < bTo ? aTo : bTo);
}

/** Days since 1970-01-01 of a calendar date (`isCalendarDate`), for compact storage and fast comparison. */
export function dayNumber(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

const dayTexts = new Map<number, string>();

/** The `YYYY-MM-DD` of a day number; remembered, since reports turn the same few thousand days back again and again. */
export function dayText(day: number): string {
  let text = dayTexts.get(day);
  if (text === undefined) {
    text = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (dayTexts.size < 100_000) dayTexts.set(day, text);
  }
  return text;
}
