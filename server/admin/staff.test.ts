import { describe, expect, it } from 'vitest';
import type { UserDoc } from '../../couch/provision.ts';
import {
  applyAccountChanges,
  buildStaffEntry,
  buildUserDoc,
  disableUserDoc,
  enrolUserDoc,
  matchesFilter,
  parseNewAccount,
  parseStaffFilter,
  staffSummary,
  syncStaffEntry,
  validateStaffEntry,
  type NewAccount,
} from './staff.ts';

const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const AT = '2026-03-01T12:00:00.000Z';
const account: NewAccount = {
  login: 'nina',
  displayName: 'Нина',
  roles: ['nurse'],
  facilities: ['a', 'b'],
  authKey: 'A'.repeat(43),
  oneTimePasswordExpiresAt: '2026-03-08T12:00:00.000Z',
};
/** A user document as the store returns it: hashed, with the secret fields the API must never show. */
const stored: UserDoc = {
  ...buildUserDoc(account, 'admin', AT),
  password: undefined,
  derived_key: 'd'.repeat(40),
  salt: 's'.repeat(32),
  iterations: 10,
  password_scheme: 'pbkdf2',
};

describe('staff accounts', () => {
  it('parses a new account with a default expiry', () => {
    const body = {
      login: ' Nina ',
      displayName: ' Нина ',
      roles: ['nurse'],
      facilities: ['a', 'b'],
      authKey: 'A'.repeat(43),
    };
    expect(parseNewAccount(body, NOW)).toEqual(account);
  });

  it('keeps well-formed enrolment pins for the account and refuses others, naming the field', () => {
    const jwk = { kty: 'EC', crv: 'P-256', x: 'A'.repeat(43), y: `${'B'.repeat(42)}A` };
    const pins = { v: 1, login: 'nina', keys: { a: jwk }, mac: 'bWFj' };
    const body = {
      login: 'nina',
      displayName: 'Нина',
      roles: ['nurse'],
      facilities: ['a', 'b'],
      authKey: 'A'.repeat(43),
    };
    expect(parseNewAccount({ ...body, enrolmentPins: pins }, NOW).enrolmentPins).toEqual(pins);
    expect(buildUserDoc(parseNewAccount({ ...body, enrolmentPins: pins }, NOW), 'admin', AT).enrolmentPins).toEqual(
      pins,
    );
    const refused = (enrolmentPins: unknown): string | undefined => {
      try {
        parseNewAccount({ ...body, enrolmentPins }, NOW);
        return undefined;
      } catch (error) {
        return (error as { field?: string }).field;
      }
    };
    expect(refused('pins')).toBe('enrolmentPins');
    expect(refused({ ...pins, keys: { a: { kty: 'RSA' } } })).toBe('enrolmentPins');
    expect(refused({ ...pins, login: 'olga' })).toBe('enrolmentPins.login');
    expect(refused({ ...pins, keys: { c: jwk } })).toBe('enrolmentPins.keys');
  });

  it('writes staff roles, then one membership role per facility, and must change its password', () => {
    expect(buildUserDoc(account, 'admin', AT)).toMatchObject({
      _id: 'org.couchdb.user:nina',
      roles: ['nurse', 'facility:a', 'facility:b'],
      mustChangePassword: true,
      status: 'active',
      createdBy: 'admin',
    });
  });

  it('shows an account without any secret field', () => {
    const summary = staffSummary(stored);
    expect(summary).toEqual({
      login: 'nina',
      displayName: 'Нина',
      roles: ['nurse'],
      facilities: ['a', 'b'],
      status: 'active',
      mustChangePassword: true,
      oneTimePasswordExpiresAt: '2026-03-08T12:00:00.000Z',
      hasKeys: false,
      createdAt: AT,
    });
    expect(JSON.stringify(summary)).not.toMatch(/derived_key|salt|password"|iterations/);
  });

  it('keeps the roles aside when disabled, replaces the password, and gives them back when enabled', () => {
    const disabled = disableUserDoc(stored, 'admin', AT);
    expect(disabled).toMatchObject({ status: 'disabled', roles: [], disabledRoles: stored.roles });
    expect(disabled.password).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(staffSummary(disabled)).toMatchObject({ status: 'disabled', roles: ['nurse'], facilities: ['a', 'b'] });
    const enrolment = { authKey: 'B'.repeat(43), oneTimePasswordExpiresAt: '2026-03-04T00:00:00.000Z' };
    const enabled = enrolUserDoc(disabled, enrolment, 'admin', AT);
    expect(enabled).toMatchObject({ status: 'active', roles: stored.roles, password: 'B'.repeat(43) });
    expect(enabled).not.toHaveProperty('disabledRoles');
  });

  it('changes the roles kept aside while an account is disabled, and keeps roles set by hand', () => {
    const disabled = disableUserDoc({ ...stored, roles: [...stored.roles, 'reports-beta'] }, 'admin', AT);
    const changed = applyAccountChanges(disabled, { roles: ['doctor'], facilities: ['c'] }, 'admin', AT);
    expect(changed.roles).toEqual([]);
    expect(changed.disabledRoles).toEqual(['doctor', 'facility:c', 'reports-beta']);
  });

  it('builds directory entries that pass validation, in step with the account', () => {
    const entry = buildStaffEntry(account, 'admin', AT);
    expect(validateStaffEntry(entry)).toEqual([]);
    const synced = syncStaffEntry(entry, disableUserDoc(stored, 'root', AT), 'root', AT);
    expect(synced).toMatchObject({ active: false, roles: ['nurse'], facilities: ['a', 'b'], createdBy: 'admin' });
    expect(validateStaffEntry(synced)).toEqual([]);
  });

  it.each([
    ['_id', { _id: 'staff:other' }],
    ['roles', { roles: ['root'] }],
    ['facilities', { facilities: ['A B'] }],
    ['publicKey', { publicKey: 'key' }],
    ['active', { active: 'yes' }],
  ])('finds a directory entry with a wrong %s', (field, change) => {
    const errors = validateStaffEntry({ ...buildStaffEntry(account, 'admin', AT), ...change });
    expect(errors.map((error) => error.field)).toContain(field);
  });

  it('filters by words, role, facility and status', () => {
    const summary = staffSummary(stored);
    expect(matchesFilter(summary, parseStaffFilter({ q: 'НИН' }))).toBe(true);
    expect(matchesFilter(summary, parseStaffFilter({ role: 'doctor' }))).toBe(false);
    expect(matchesFilter(summary, parseStaffFilter({ facility: 'b', status: 'active' }))).toBe(true);
    expect(matchesFilter(summary, parseStaffFilter({ status: 'disabled' }))).toBe(false);
  });
});
