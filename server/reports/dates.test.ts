import { describe, expect, it } from 'vitest';
import { addDays, addYears, daysInclusive, isCalendarDate, overlapDays } from './dates.ts';

describe('report dates', () => {
  it('knows real calendar dates', () => {
    expect(['2024-02-29', '2026-12-31'].map(isCalendarDate)).toEqual([true, true]);
    expect(['2026-02-29', '2026-1-01', '01.01.2026', 20260101].map(isCalendarDate)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it('adds days and years across months and leap days', () => {
    expect(addDays('2026-02-27', 2)).toBe('2026-03-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(addYears('2024-02-29', 1)).toBe('2025-03-01');
  });

  it('counts days with both ends included', () => {
    expect(daysInclusive('2026-01-01', '2026-01-01')).toBe(1);
    expect(daysInclusive('2026-01-02', '2026-01-01')).toBe(0);
    expect(overlapDays('2025-12-20', '2026-01-10', '2026-01-01', '2026-06-30')).toBe(10);
    expect(overlapDays('2026-07-01', '9999-12-31', '2026-01-01', '2026-06-30')).toBe(0);
  });
});
