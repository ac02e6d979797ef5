/**
 * The device's own date, `YYYY-MM-DD`. Dates in the register are calendar days where the patient is (a visit "today"
 * at 01:00 in Petrozavodsk is today there, not yesterday in UTC), so they are read from local time.
 */
export function localDate(time: Date = new Date()): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${time.getFullYear()}-${pad(time.getMonth() + 1)}-${pad(time.getDate())}`;
}
