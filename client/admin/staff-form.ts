/**
 * Checks of the staff form, before anything is sent: the same rules the admin API applies, so that the
 * administrator sees the problem next to the field at once. Returns message keys per field.
 */
import { STAFF_ROLES, isFacilityId } from '../../common/roles.ts';
import { normalizeUsername } from '../../common/auth-derivation.ts';
import type { MessageKey } from '../i18n/i18n.ts';

export interface StaffFormValues {
  login: string;
  displayName: string;
  roles: string[];
  facilities: string[];
}

export type StaffField = keyof StaffFormValues;
export type StaffFormErrors = Partial<Record<StaffField, MessageKey>>;

/** Logins: lower-case Latin letters, digits, `.`, `_`, `-`; CouchDB names cannot hold `:`. */
export const LOGIN_PATTERN = /^[a-z][a-z0-9._-]{1,39}$/;

/** Roles that work with patients need at least one facility; administrators and analysts may have none. */
const ROLES_NEEDING_FACILITY = ['doctor', 'nurse'];

export function validateStaffForm(values: StaffFormValues): StaffFormErrors {
  const errors: StaffFormErrors = {};
  const login = normalizeUsername(values.login);
  if (login === '') errors.login = 'admin.staff.error.loginRequired';
  else if (!LOGIN_PATTERN.test(login)) errors.login = 'admin.staff.error.loginFormat';
  const name = values.displayName.trim();
  if (name === '') errors.displayName = 'admin.staff.error.nameRequired';
  else if (name.length > 120) errors.displayName = 'admin.staff.error.nameTooLong';
  if (values.roles.length === 0) errors.roles = 'admin.staff.error.rolesRequired';
  else if (values.roles.some((role) => !(STAFF_ROLES as readonly string[]).includes(role)))
    errors.roles = 'admin.staff.error.rolesRequired';
  if (values.facilities.some((id) => !isFacilityId(id))) errors.facilities = 'admin.staff.error.facilitiesRequired';
  else if (values.facilities.length === 0 && values.roles.some((role) => ROLES_NEEDING_FACILITY.includes(role)))
    errors.facilities = 'admin.staff.error.facilitiesRequired';
  return errors;
}

/** True when the member's one-time password can no longer be used. */
export function oneTimePasswordExpired(expiresAt: string | undefined, now: Date = new Date()): boolean {
  return expiresAt !== undefined && Date.parse(expiresAt) <= now.getTime();
}
