/**
 * Staff accounts: the `_users` document (CouchDB roles = staff roles + `facility:<id>` memberships) and the staff
 * directory entry `staff:<login>` in `reference` — parsing of the administrator's input and the documents built
 * from it. Pure functions, no store access.
 *
 * The administrator's browser makes the one-time password and derives `authKey` from it; the server only ever
 * sees the authKey, which the store hashes. Nothing answered or written here carries `password`, `derived_key`,
 * `salt` or any other secret.
 */
import { randomBytes } from 'node:crypto';
import { BadRequestError } from '../errors.ts';
import { FACILITY_ROLE_PREFIX, STAFF_ROLES, facilitiesOf, facilityRole, isStaffRole } from '../../common/roles.ts';
import type { StaffRole } from '../../common/roles.ts';
import { userDocId, type UserDoc } from '../../couch/provision.ts';
import { isEnrolmentPins, type EnrolmentPins } from '../../common/keys/index.ts';
import {
  bodyOf,
  isRecord,
  parseAuthKey,
  parseFacilityIds,
  parseLogin,
  parseOneTimePasswordExpiry,
  parseRoles,
  parseText,
  queryValue,
  refuseUnknownFields,
} from './validation.ts';
import { parseFacilityId } from './validation.ts';

export type AccountStatus = 'active' | 'disabled';

/** What the API answers about an account. */
export interface StaffSummary {
  login: string;
  displayName: string;
  roles: StaffRole[];
  facilities: string[];
  status: AccountStatus;
  mustChangePassword: boolean;
  oneTimePasswordExpiresAt?: string;
  hasKeys: boolean;
  createdAt: string;
}

/** `staff:<login>` in `reference`: what colleagues, prescriptions, reports and key wrapping need to know. */
export interface StaffEntry {
  _id: string;
  _rev?: string;
  type: 'staff';
  login: string;
  displayName: string;
  roles: StaffRole[];
  facilities: string[];
  publicKey: unknown;
  active: boolean;
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
}

export interface NewAccount {
  login: string;
  displayName: string;
  roles: StaffRole[];
  facilities: string[];
  authKey: string;
  oneTimePasswordExpiresAt: string;
  /** The member's facilities' signing keys, authenticated with the one-time password (common/keys/enrolment-pins.ts). */
  enrolmentPins?: EnrolmentPins;
}

export interface AccountChanges {
  displayName?: string;
  roles?: StaffRole[];
  facilities?: string[];
}

export interface Enrolment {
  authKey: string;
  oneTimePasswordExpiresAt: string;
  enrolmentPins?: EnrolmentPins;
}

/**
 * `enrolmentPins`: the shape only — the server cannot check the MAC (it never sees the one-time password), the
 * member's device does. They must name this login and at most the account's facilities.
 */
function parseEnrolmentPins(value: unknown, login: string | null, facilities: readonly string[] | null) {
  if (value === undefined) return {};
  if (!isEnrolmentPins(value) || JSON.stringify(value).length > 64 * 1024)
    throw new BadRequestError('"enrolmentPins" must be {v: 1, login, keys, mac}.', 'enrolmentPins');
  if (login !== null && value.login !== login)
    throw new BadRequestError(`"enrolmentPins.login" must be "${login}".`, 'enrolmentPins.login');
  const extra = facilities === null ? [] : Object.keys(value.keys).filter((id) => !facilities.includes(id));
  if (extra.length > 0)
    throw new BadRequestError(
      `"enrolmentPins.keys": "${extra[0]}" is not one of the account's facilities.`,
      'enrolmentPins.keys',
    );
  const keys: EnrolmentPins['keys'] = {};
  for (const [id, jwk] of Object.entries(value.keys)) keys[id] = { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y };
  return { enrolmentPins: { v: 1 as const, login: value.login, keys, mac: value.mac.slice(0, 100) } };
}

export interface StaffFilter {
  q?: string;
  role?: StaffRole;
  facility?: string;
  status?: AccountStatus;
}

export function staffEntryId(login: string): string {
  return `staff:${login}`;
}

export function parseNewAccount(value: unknown, now: number): NewAccount {
  const body = bodyOf(value);
  refuseUnknownFields(body, [
    'login',
    'displayName',
    'roles',
    'facilities',
    'authKey',
    'oneTimePasswordExpiresAt',
    'enrolmentPins',
  ]);
  const login = parseLogin(body.login);
  const facilities = parseFacilityIds(body.facilities ?? []);
  return {
    login,
    displayName: parseText(body.displayName, 'displayName'),
    roles: parseRoles(body.roles),
    facilities,
    authKey: parseAuthKey(body.authKey),
    oneTimePasswordExpiresAt: parseOneTimePasswordExpiry(body.oneTimePasswordExpiresAt, now),
    ...parseEnrolmentPins(body.enrolmentPins, login, facilities),
  };
}

export function parseAccountChanges(value: unknown): AccountChanges {
  const body = bodyOf(value);
  refuseUnknownFields(body, ['displayName', 'roles', 'facilities']);
  return {
    ...(body.displayName === undefined ? {} : { displayName: parseText(body.displayName, 'displayName') }),
    ...(body.roles === undefined ? {} : { roles: parseRoles(body.roles) }),
    ...(body.facilities === undefined ? {} : { facilities: parseFacilityIds(body.facilities) }),
  };
}

/** `enable` and `reset`: a new one-time password (as its authKey) and when it stops working. */
export function parseEnrolment(value: unknown, now: number): Enrolment {
  const body = bodyOf(value);
  refuseUnknownFields(body, ['authKey', 'oneTimePasswordExpiresAt', 'enrolmentPins']);
  return {
    authKey: parseAuthKey(body.authKey),
    oneTimePasswordExpiresAt: parseOneTimePasswordExpiry(body.oneTimePasswordExpiresAt, now),
    // The login and facilities are checked against the account in `enrolUserDoc`.
    ...parseEnrolmentPins(body.enrolmentPins, null, null),
  };
}

export function parseStaffFilter(query: unknown): StaffFilter {
  const q = queryValue(query, 'q');
  const role = queryValue(query, 'role');
  const facility = queryValue(query, 'facility');
  const status = queryValue(query, 'status');
  if (role !== undefined && !isStaffRole(role))
    throw new BadRequestError(`"role" must be one of ${STAFF_ROLES.join(', ')}.`, 'role');
  if (status !== undefined && status !== 'active' && status !== 'disabled')
    throw new BadRequestError('"status" must be "active" or "disabled".', 'status');
  if (q !== undefined && q.length > 100) throw new BadRequestError('"q" must be at most 100 characters.', 'q');
  return {
    ...(q === undefined ? {} : { q: q.trim().toLowerCase() }),
    ...(role === undefined ? {} : { role }),
    ...(facility === undefined ? {} : { facility: parseFacilityId(facility, 'facility') }),
    ...(status === undefined ? {} : { status }),
  };
}

/** CouchDB roles of an account: its staff roles, then one membership role per facility. */
export function couchRoles(roles: readonly StaffRole[], facilities: readonly string[]): string[] {
  return [...roles, ...facilities.map(facilityRole)];
}

/** The roles an account holds, or would hold again once enabled (a disabled account keeps them aside). */
export function heldRoles(doc: UserDoc): string[] {
  const roles = doc.status === 'disabled' ? doc.disabledRoles : doc.roles;
  return Array.isArray(roles) ? roles.filter((role): role is string => typeof role === 'string') : [];
}

export function staffRolesOf(roles: readonly string[]): StaffRole[] {
  return STAFF_ROLES.filter((role) => roles.includes(role));
}

export function buildUserDoc(account: NewAccount, by: string, at: string): UserDoc {
  return {
    _id: userDocId(account.login),
    name: account.login,
    type: 'user',
    roles: couchRoles(account.roles, account.facilities),
    password: account.authKey,
    displayName: account.displayName,
    status: 'active',
    mustChangePassword: true,
    oneTimePasswordExpiresAt: account.oneTimePasswordExpiresAt,
    ...(account.enrolmentPins ? { enrolmentPins: account.enrolmentPins } : {}),
    createdAt: at,
    createdBy: by,
  };
}

export function buildStaffEntry(account: NewAccount, by: string, at: string): StaffEntry {
  return {
    _id: staffEntryId(account.login),
    type: 'staff',
    login: account.login,
    displayName: account.displayName,
    roles: account.roles,
    facilities: account.facilities,
    publicKey: null,
    active: true,
    createdBy: by,
    createdAt: at,
    updatedBy: by,
    updatedAt: at,
  };
}

/** Applies changes to the held roles (to `disabledRoles` while the account is disabled). */
export function applyAccountChanges(doc: UserDoc, changes: AccountChanges, by: string, at: string): UserDoc {
  const held = heldRoles(doc);
  const roles = couchRoles(changes.roles ?? staffRolesOf(held), changes.facilities ?? facilitiesOf(held));
  // Roles that are neither staff roles nor memberships (set by hand by an operator) are kept as they are.
  const other = held.filter((role) => !isStaffRole(role) && !role.startsWith(FACILITY_ROLE_PREFIX));
  const next = [...roles, ...other];
  return {
    ...doc,
    ...(changes.displayName === undefined ? {} : { displayName: changes.displayName }),
    ...(doc.status === 'disabled' ? { disabledRoles: next } : { roles: next }),
    updatedBy: by,
    updatedAt: at,
  };
}

/**
 * Disables an account: roles kept aside in `disabledRoles`, no roles left, and the password replaced by a random
 * authKey nobody knows — the store's session cookies are bound to the password, so open sessions end with it.
 */
export function disableUserDoc(doc: UserDoc, by: string, at: string): UserDoc {
  return {
    ...doc,
    status: 'disabled',
    disabledRoles: doc.roles,
    roles: [],
    password: randomBytes(32).toString('base64url'),
    disabledBy: by,
    disabledAt: at,
    updatedBy: by,
    updatedAt: at,
  };
}

/** Enrols an account again with a new one-time password; an `enable` also gives back the roles kept aside. */
export function enrolUserDoc(doc: UserDoc, enrolment: Enrolment, by: string, at: string): UserDoc {
  const { disabledRoles, disabledBy, disabledAt, enrolmentPins, ...rest } = doc;
  void disabledBy;
  void disabledAt;
  void enrolmentPins;
  const roles = doc.status === 'disabled' && Array.isArray(disabledRoles) ? (disabledRoles as string[]) : doc.roles;
  if (enrolment.enrolmentPins) {
    const pins = enrolment.enrolmentPins;
    if (pins.login !== doc.name)
      throw new BadRequestError(`"enrolmentPins.login" must be "${doc.name}".`, 'enrolmentPins.login');
    const extra = Object.keys(pins.keys).filter((id) => !facilitiesOf(roles).includes(id));
    if (extra.length > 0)
      throw new BadRequestError(
        `"enrolmentPins.keys": "${extra[0]}" is not one of the account's facilities.`,
        'enrolmentPins.keys',
      );
  }
  return {
    ...rest,
    status: 'active',
    roles,
    ...(enrolment.enrolmentPins ? { enrolmentPins: enrolment.enrolmentPins } : {}),
    password: enrolment.authKey,
    mustChangePassword: true,
    oneTimePasswordExpiresAt: enrolment.oneTimePasswordExpiresAt,
    updatedBy: by,
    updatedAt: at,
  };
}

/**
 * The staff directory entry in step with the account document. The public key comes from the account document
 * when it has one (it changes with every key pair the member makes, `POST /api/me/credentials`).
 */
export function syncStaffEntry(entry: StaffEntry | null, doc: UserDoc, by: string, at: string): StaffEntry {
  const held = heldRoles(doc);
  return {
    _id: staffEntryId(doc.name),
    type: 'staff',
    login: doc.name,
    displayName: doc.displayName,
    roles: staffRolesOf(held),
    facilities: facilitiesOf(held),
    publicKey: isRecord(doc.publicKey) ? doc.publicKey : (entry?.publicKey ?? null),
    active: doc.status !== 'disabled',
    createdBy: entry?.createdBy ?? by,
    createdAt: entry?.createdAt ?? at,
    updatedBy: by,
    updatedAt: at,
  };
}

/** The account as the API shows it: a whitelist, so no password field can ever slip through. */
export function staffSummary(doc: UserDoc): StaffSummary {
  const held = heldRoles(doc);
  const expiry = doc.oneTimePasswordExpiresAt;
  return {
    login: doc.name,
    displayName: typeof doc.displayName === 'string' ? doc.displayName : doc.name,
    roles: staffRolesOf(held),
    facilities: facilitiesOf(held),
    status: doc.status === 'disabled' ? 'disabled' : 'active',
    mustChangePassword: doc.mustChangePassword === true,
    ...(doc.mustChangePassword === true && typeof expiry === 'string' ? { oneTimePasswordExpiresAt: expiry } : {}),
    hasKeys: isRecord(doc.publicKey),
    createdAt: typeof doc.createdAt === 'string' ? doc.createdAt : '',
  };
}

export function matchesFilter(summary: StaffSummary, filter: StaffFilter): boolean {
  if (filter.status && summary.status !== filter.status) return false;
  if (filter.role && !summary.roles.includes(filter.role)) return false;
  if (filter.facility && !summary.facilities.includes(filter.facility)) return false;
  if (filter.q && !`${summary.login}\n${summary.displayName.toLowerCase()}`.includes(filter.q)) return false;
  return true;
}

/** Structural validation of a staff directory entry (common/reference has no `staff` validator yet). */
export function validateStaffEntry(doc: unknown): { field: string; message: string }[] {
  if (!isRecord(doc)) return [{ field: '', message: 'The entry must be an object.' }];
  const errors: { field: string; message: string }[] = [];
  const login = doc.login;
  if (typeof login !== 'string' || !/^[a-z0-9][a-z0-9._-]{1,63}$/.test(login))
    errors.push({ field: 'login', message: 'Not a login.' });
  else if (doc._id !== staffEntryId(login)) errors.push({ field: '_id', message: 'The id must be "staff:<login>".' });
  if (doc.type !== 'staff') errors.push({ field: 'type', message: 'The type must be "staff".' });
  if (typeof doc.displayName !== 'string' || !doc.displayName.trim())
    errors.push({ field: 'displayName', message: 'A display name is needed.' });
  if (!Array.isArray(doc.roles) || !doc.roles.every(isStaffRole))
    errors.push({ field: 'roles', message: 'Roles must be staff roles.' });
  if (
    !Array.isArray(doc.facilities) ||
    facilitiesOf(doc.facilities.map((id) => facilityRole(String(id)))).length !== doc.facilities.length
  )
    errors.push({ field: 'facilities', message: 'Facilities must be facility ids.' });
  if (doc.publicKey !== null && !isRecord(doc.publicKey))
    errors.push({ field: 'publicKey', message: 'The public key must be a JWK or null.' });
  if (typeof doc.active !== 'boolean') errors.push({ field: 'active', message: 'Active must be true or false.' });
  for (const field of ['createdBy', 'createdAt', 'updatedBy', 'updatedAt']) {
    if (typeof doc[field] !== 'string' || !doc[field]) errors.push({ field, message: `"${field}" is needed.` });
  }
  return errors;
}
