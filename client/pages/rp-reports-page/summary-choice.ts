/**
 * What the member chooses for the summary report (period, facilities, days of the "next period", format) and
 * everything derived from it without the server: the default and preset periods, the checks shown next to each
 * field before any request, the query of `GET /api/reports/summary` and the file name. The checks mirror
 * server/reports/summary-params.ts where the page can know the answer (dates, order, days); the period's upper
 * length and the facilities' existence stay the server's word, and its 400 is shown next to the field it names.
 */
import type { MessageKey } from '../../i18n/i18n.ts';

export const SUMMARY_FORMATS = ['pdf', 'csv', 'json'] as const;
export type SummaryFormat = (typeof SUMMARY_FORMATS)[number];
export const DEFAULT_NEXT_DAYS = 30;
export const MAX_NEXT_DAYS = 366;

export interface SummaryChoice {
  from: string;
  to: string;
  facilities: string[];
  /** As typed, so that a half-typed number is kept and checked rather than lost. */
  nextDays: string;
  format: SummaryFormat;
}

export type SummaryField = 'from' | 'to' | 'facilities' | 'nextDays' | 'format';
export const SUMMARY_FIELDS: readonly SummaryField[] = ['from', 'to', 'facilities', 'nextDays', 'format'];
export type FieldErrors = Partial<Record<SummaryField, MessageKey>>;

export type PeriodPreset = 'month' | 'quarter' | 'year';
export const PERIOD_PRESETS: readonly PeriodPreset[] = ['month', 'quarter', 'year'];

export interface Period {
  from: string;
  to: string;
}

export function isSummaryField(value: unknown): value is SummaryField {
  return typeof value === 'string' && (SUMMARY_FIELDS as readonly string[]).includes(value);
}

export function isSummaryFormat(value: unknown): value is SummaryFormat {
  return typeof value === 'string' && (SUMMARY_FORMATS as readonly string[]).includes(value);
}

const pad = (value: number): string => String(value).padStart(2, '0');

/** `YYYY-MM-DD` of a date in the device's time zone (the member's "today", not UTC's). */
export function localDate(at: Date): string {
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}

/** The first and last day of the months `[firstMonth, firstMonth + months)`, months counted from 0 (may be < 0). */
function months(year: number, firstMonth: number, count: number): Period {
  const start = new Date(Date.UTC(year, firstMonth, 1));
  const end = new Date(Date.UTC(year, firstMonth + count, 0));
  const iso = (date: Date) => date.toISOString().slice(0, 10);
  return { from: iso(start), to: iso(end) };
}

/** The previous calendar month, quarter or year before the one `today` falls in. */
export function presetPeriod(preset: PeriodPreset, today: string): Period {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7)) - 1;
  if (preset === 'month') return months(year, month - 1, 1);
  if (preset === 'quarter') return months(year, Math.floor(month / 3) * 3 - 3, 3);
  return months(year - 1, 0, 12);
}

/** Which preset a period is, if any (so the page can show the chosen one as pressed). */
export function presetOf(period: Period, today: string): PeriodPreset | null {
  return (
    PERIOD_PRESETS.find((preset) => {
      const candidate = presetPeriod(preset, today);
      return candidate.from === period.from && candidate.to === period.to;
    }) ?? null
  );
}

export function defaultChoice(today: string, facilities: string[] = []): SummaryChoice {
  return { ...presetPeriod('month', today), facilities, nextDays: String(DEFAULT_NEXT_DAYS), format: 'pdf' };
}

function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** The problems the page can see by itself, by field; empty when the choice may be sent. */
export function checkChoice(choice: SummaryChoice): FieldErrors {
  const errors: FieldErrors = {};
  const fromOk = isCalendarDate(choice.from);
  const toOk = isCalendarDate(choice.to);
  if (!fromOk) errors.from = 'reports.summary.invalid.from';
  if (!toOk) errors.to = 'reports.summary.invalid.to';
  if (fromOk && toOk && choice.from > choice.to) errors.from = 'reports.summary.invalid.order';
  if (choice.facilities.length === 0) errors.facilities = 'reports.summary.invalid.facilities';
  const days = choice.nextDays.trim();
  if (!/^\d{1,3}$/.test(days) || Number(days) < 1 || Number(days) > MAX_NEXT_DAYS)
    errors.nextDays = 'reports.summary.invalid.nextDays';
  if (!isSummaryFormat(choice.format)) errors.format = 'reports.summary.invalid.format';
  return errors;
}

/** The address of the report for a checked choice. */
export function summaryUrl(choice: SummaryChoice): string {
  const query = new URLSearchParams({
    from: choice.from,
    to: choice.to,
    facilities: choice.facilities.join(','),
    format: choice.format,
    nextDays: String(Number(choice.nextDays.trim())),
  });
  return `/api/reports/summary?${query.toString()}`;
}

/** `svodnyj-otchet_2026-10-01_2026-10-31.pdf`: the Russian name transliterated, so any system keeps it intact. */
export function summaryFileName(choice: Pick<SummaryChoice, 'from' | 'to' | 'format'>): string {
  return `svodnyj-otchet_${choice.from}_${choice.to}.${choice.format}`;
}
