/**
 * Calendar dates as the care pages use them: `YYYY-MM-DD` strings in the device's own time zone (a visit made at
 * 00:30 in Petrozavodsk belongs to that day, not to the UTC one), whole years of age, and dates shown the way the
 * chosen language writes them. Pages take `today` as a property so that tests fix it instead of reading the clock.
 */

/** Today's date on this device, `YYYY-MM-DD`. */
export function localToday(now: Date = new Date()): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Whole years from `birthDate` to `today` (both `YYYY-MM-DD`). */
export function ageOn(birthDate: string, today: string): number {
  const years = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return today.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

/** `2026-11-29` as `29.11.2026` (Russian) or `29/11/2026`-like per locale; anything else is returned as it is. */
export function formatDate(date: string, locale: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return date;
  const at = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return new Intl.DateTimeFormat(locale, { timeZone: 'UTC', day: '2-digit', month: '2-digit', year: 'numeric' }).format(
    at,
  );
}

/** Days from `from` to `to` (both `YYYY-MM-DD`), for placing visits along a time axis. */
export function daysBetween(from: string, to: string): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
}
