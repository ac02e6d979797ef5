/**
 * Parsing of administration API input: every parser takes an `unknown` from the request and returns a typed value
 * or throws BadRequestError naming the field, so the administrator's form can show the message next to it.
 */
import { BadRequestError } from '../errors.ts';
import { isAuthKey, normalizeUsername } from '../../common/auth-derivation.ts';
import { STAFF_ROLES, isFacilityId, isStaffRole, type StaffRole } from '../../common/roles.ts';

export type Fields = Record<string, unknown>;

const LOGIN = /^[a-z0-9][a-z0-9._-]{1,63}$/;
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const EVENT = /^[a-z0-9][a-z0-9-]{0,63}$/;
const DAY_MS = 86_400_000;
export const DEFAULT_OTP_DAYS = 7;
export const MAX_OTP_DAYS = 30;
export const MAX_FACILITIES_PER_ACCOUNT = 100;

export function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The JSON body as an object (express.json leaves `{}` when there is none). */
export function bodyOf(value: unknown): Fields {
  if (!isRecord(value)) throw new BadRequestError('The request body must be a JSON object.', '');
  return value;
}

/** A login, trimmed and lower-cased: 2–64 characters `[a-z0-9][a-z0-9._-]*`. */
export function parseLogin(value: unknown, field = 'login'): string {
  const login = typeof value === 'string' ? normalizeUsername(value) : '';
  if (!LOGIN.test(login)) {
    throw new BadRequestError(
      `"${field}" must be 2–64 characters: latin letters, digits, ".", "_" or "-", starting with a letter or digit.`,
      field,
    );
  }
  return login;
}

/** Non-empty trimmed text of at most `max` characters. */
export function parseText(value: unknown, field: string, max = 200): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (!text) throw new BadRequestError(`"${field}" must be a non-empty text.`, field);
  if (text.length > max) throw new BadRequestError(`"${field}" must be at most ${max} characters.`, field);
  return text;
}

export function parseBoolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw new BadRequestError(`"${field}" must be true or false.`, field);
  return value;
}

export function parseFacilityId(value: unknown, field = 'id'): string {
  if (!isFacilityId(value)) {
    throw new BadRequestError(
      `"${field}" must be 1–63 characters: lower-case latin letters, digits and "-", starting with a letter or digit.`,
      field,
    );
  }
  return value;
}

/** A reference-book slug, such as a district id. */
export function parseSlug(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length > 100 || !SLUG.test(value)) {
    throw new BadRequestError(`"${field}" must be a reference-book id such as "petrozavodsk".`, field);
  }
  return value;
}

/** One or more distinct staff roles. */
export function parseRoles(value: unknown, field = 'roles'): StaffRole[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every(isStaffRole)) {
    throw new BadRequestError(`"${field}" must be a non-empty list of ${STAFF_ROLES.join(', ')}.`, field);
  }
  if (new Set(value).size !== value.length) throw new BadRequestError(`"${field}" lists a role twice.`, field);
  return STAFF_ROLES.filter((role) => value.includes(role));
}

/** Distinct facility ids (possibly none); whether they exist is checked against the reference book. */
export function parseFacilityIds(value: unknown, field = 'facilities'): string[] {
  if (!Array.isArray(value) || !value.every(isFacilityId)) {
    throw new BadRequestError(`"${field}" must be a list of facility ids.`, field);
  }
  if (value.length > MAX_FACILITIES_PER_ACCOUNT)
    throw new BadRequestError(`"${field}" lists too many facilities.`, field);
  if (new Set(value).size !== value.length) throw new BadRequestError(`"${field}" lists a facility twice.`, field);
  return [...value];
}

export function parseAuthKey(value: unknown, field = 'authKey'): string {
  if (!isAuthKey(value)) {
    throw new BadRequestError(
      `"${field}" must be the authKey derived from the one-time password (43 base64url characters).`,
      field,
    );
  }
  return value;
}

/**
 * When a one-time password stops working: the given ISO time (in the future, at most 30 days ahead) or, when
 * none is given, 7 days from now.
 */
export function parseOneTimePasswordExpiry(value: unknown, now: number, field = 'oneTimePasswordExpiresAt'): string {
  if (value === undefined || value === null) return new Date(now + DEFAULT_OTP_DAYS * DAY_MS).toISOString();
  const time = parseIsoTime(value, field);
  if (time <= now) throw new BadRequestError(`"${field}" must be in the future.`, field);
  if (time > now + MAX_OTP_DAYS * DAY_MS)
    throw new BadRequestError(`"${field}" must be at most ${MAX_OTP_DAYS} days ahead.`, field);
  return new Date(time).toISOString();
}

/** An ISO 8601 date-time with a time zone, as milliseconds. */
export function parseIsoTime(value: unknown, field: string): number {
  const time =
    typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(value)
      ? Date.parse(value)
      : NaN;
  if (Number.isNaN(time))
    throw new BadRequestError(`"${field}" must be an ISO 8601 time such as 2026-01-31T12:00:00Z.`, field);
  return time;
}

/** A query parameter given once, or undefined; repeated parameters are refused rather than guessed at. */
export function queryValue(query: unknown, name: string): string | undefined {
  const value = isRecord(query) ? query[name] : undefined;
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new BadRequestError(`"${name}" must be given once.`, name);
  return value;
}

export function parseEventName(value: unknown, field = 'event'): string {
  if (typeof value !== 'string' || !EVENT.test(value))
    throw new BadRequestError(`"${field}" must be an event name such as "account-created".`, field);
  return value;
}

/** A whole number between `min` and `max`, from a query parameter. */
export function parseLimit(value: string | undefined, fallback: number, max: number, field = 'limit'): number {
  if (value === undefined) return fallback;
  const limit = /^\d{1,6}$/.test(value) ? Number(value) : NaN;
  if (!(limit >= 1 && limit <= max))
    throw new BadRequestError(`"${field}" must be a whole number from 1 to ${max}.`, field);
  return limit;
}

/** Refuses fields a route does not know, so a typo is not silently ignored. */
export function refuseUnknownFields(body: Fields, allowed: readonly string[], prefix = ''): void {
  for (const field of Object.keys(body)) {
    if (!allowed.includes(field)) throw new BadRequestError(`"${prefix}${field}" cannot be set here.`, prefix + field);
  }
}
