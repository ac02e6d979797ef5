import { describe, expect, it } from 'vitest';
import { BadRequestError } from '../errors.ts';
import {
  parseFacilityIds,
  parseLimit,
  parseLogin,
  parseOneTimePasswordExpiry,
  parseRoles,
  refuseUnknownFields,
} from './validation.ts';

const NOW = Date.parse('2026-03-01T12:00:00.000Z');

/** The field a parser names when it refuses `run`. */
function refusedField(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestError);
    return (error as BadRequestError).field;
  }
  throw new Error('expected a BadRequestError');
}

describe('administration input', () => {
  it.each([
    ['  Nina.P ', 'nina.p'],
    ['ab', 'ab'],
    ['x'.repeat(64), 'x'.repeat(64)],
    ['dr_ivanov-2', 'dr_ivanov-2'],
  ])('normalises the login %j to %j', (input, login) => {
    expect(parseLogin(input)).toBe(login);
  });

  it.each([['a'], ['x'.repeat(65)], ['-nina'], ['ni na'], ['нина'], ['nina:x'], [7], [null]])(
    'refuses the login %j, naming the field',
    (input) => {
      expect(refusedField(() => parseLogin(input))).toBe('login');
    },
  );

  it('keeps roles in the order of the permission table and refuses unknown or repeated roles', () => {
    expect(parseRoles(['nurse', 'admin'])).toEqual(['admin', 'nurse']);
    for (const roles of [[], ['nurse', 'nurse'], ['_admin'], ['facility:a'], 'nurse'])
      expect(refusedField(() => parseRoles(roles))).toBe('roles');
  });

  it('accepts no facilities and refuses ids that are not facility ids', () => {
    expect(parseFacilityIds([])).toEqual([]);
    for (const ids of [['A'], ['a', 'a'], 'a', [1]])
      expect(refusedField(() => parseFacilityIds(ids))).toBe('facilities');
  });

  it('gives a one-time password a week by default and at most 30 days', () => {
    expect(parseOneTimePasswordExpiry(undefined, NOW)).toBe('2026-03-08T12:00:00.000Z');
    expect(parseOneTimePasswordExpiry('2026-03-31T12:00:00Z', NOW)).toBe('2026-03-31T12:00:00.000Z');
    expect(parseOneTimePasswordExpiry('2026-03-02T15:00:00+03:00', NOW)).toBe('2026-03-02T12:00:00.000Z');
    for (const value of ['2026-03-31T12:00:01Z', '2026-03-01T12:00:00Z', '2026-03-05', 'soon', 5])
      expect(refusedField(() => parseOneTimePasswordExpiry(value, NOW))).toBe('oneTimePasswordExpiresAt');
  });

  it.each([
    [undefined, 100],
    ['1', 1],
    ['500', 500],
  ])('reads the limit %j as %d', (value, limit) => {
    expect(parseLimit(value, 100, 500)).toBe(limit);
  });

  it.each([['0'], ['501'], ['1.5'], ['-1'], ['ten']])('refuses the limit %j', (value) => {
    expect(refusedField(() => parseLimit(value, 100, 500))).toBe('limit');
  });

  it('names the first unknown field, with its prefix', () => {
    expect(refusedField(() => refuseUnknownFields({ epoch: 1, epochKey: 'x' }, ['epoch'], 'keys.'))).toBe(
      'keys.epochKey',
    );
  });
});
