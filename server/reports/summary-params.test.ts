import { describe, expect, it } from 'vitest';
import { BadRequestError, ForbiddenError } from '../errors.ts';
import { parseSummaryQuery, reportAccess } from './summary-params.ts';

function fieldOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof BadRequestError) return error.field;
    throw error;
  }
  return 'no error';
}

describe('summary report query', () => {
  it('reads a full query, keeping the facilities in order without repeats', () => {
    expect(
      parseSummaryQuery({ from: '2026-01-01', to: '2026-06-30', facilities: 'b,a,b', format: 'csv', nextDays: '14' }),
    ).toEqual({
      period: { from: '2026-01-01', to: '2026-06-30', nextDays: 14 },
      facilities: ['b', 'a'],
      format: 'csv',
    });
  });

  it('defaults to JSON, 30 days ahead and no facilities named', () => {
    expect(parseSummaryQuery({ from: '2026-01-01', to: '2026-01-01' })).toEqual({
      period: { from: '2026-01-01', to: '2026-01-01', nextDays: 30 },
      facilities: null,
      format: 'json',
    });
  });

  it.each([
    [{ to: '2026-01-01' }, 'from'],
    [{ from: '2026-13-01', to: '2026-12-01' }, 'from'],
    [{ from: '2026-01-01', to: '2026-02-29' }, 'to'],
    [{ from: ['2026-01-01', '2026-01-02'], to: '2026-02-01' }, 'from'],
    [{ from: '2026-02-01', to: '2026-01-31' }, 'from'],
    [{ from: '2021-01-01', to: '2026-01-01' }, 'to'],
    [{ from: '2026-01-01', to: '2026-02-01', format: 'xml' }, 'format'],
    [{ from: '2026-01-01', to: '2026-02-01', nextDays: '1.5' }, 'nextDays'],
    [{ from: '2026-01-01', to: '2026-02-01', nextDays: '400' }, 'nextDays'],
    [{ from: '2026-01-01', to: '2026-02-01', facilities: 'a,,b' }, 'facilities'],
  ])('refuses %j naming %s', (query, field) => {
    expect(fieldOf(() => parseSummaryQuery(query))).toBe(field);
  });

  it('allows five years less a day', () => {
    expect(parseSummaryQuery({ from: '2021-01-01', to: '2025-12-31' }).period.to).toBe('2025-12-31');
  });
});

describe('who sees which report', () => {
  const known = ['a', 'b', 'c'];

  it('gives analysts every facility, suppressed', () => {
    expect(reportAccess(['analyst'], null, known)).toEqual({ facilities: known, suppressed: true });
    expect(reportAccess(['analyst'], ['c'], known)).toEqual({ facilities: ['c'], suppressed: true });
  });

  it('gives administrators exact figures of any facility', () => {
    expect(reportAccess(['admin'], ['b'], known)).toEqual({ facilities: ['b'], suppressed: false });
  });

  it('gives doctors exact figures of their own facilities and nothing else', () => {
    expect(reportAccess(['doctor', 'facility:a'], null, known)).toEqual({ facilities: ['a'], suppressed: false });
    expect(() => reportAccess(['doctor', 'facility:a'], ['a', 'b'], known)).toThrow(ForbiddenError);
  });

  it('keeps suppression for an analyst who is also a doctor elsewhere', () => {
    expect(reportAccess(['doctor', 'analyst', 'facility:a'], ['b'], known).suppressed).toBe(true);
    expect(reportAccess(['doctor', 'analyst', 'facility:a'], ['a'], known).suppressed).toBe(false);
  });

  it('refuses nurses, and names an unknown facility', () => {
    expect(() => reportAccess(['nurse', 'facility:a'], ['a'], known)).toThrow(ForbiddenError);
    expect(fieldOf(() => reportAccess(['analyst'], ['a', 'x'], known))).toBe('facilities');
  });
});
