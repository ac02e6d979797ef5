/**
 * What the staff routes do in the store: the `_users` document and the staff directory entry are written
 * together, every change drops the account's cached sessions at once (the UserWatcher would too, a moment later),
 * and every action writes an audit event naming the administrator and the account.
 */
import type { StoreClient } from '../store-client.ts';
import { StoreError, encodeDocId } from '../store-client.ts';
import { BadRequestError, ConflictError, HttpError } from '../errors.ts';
import type { SessionResolver } from '../gateway/session-resolver.ts';
import { REFERENCE_DB, USERS_DB, userDocId, writeAuditEvent, type UserDoc } from '../../couch/provision.ts';
import { facilitiesOf } from '../../common/roles.ts';
import { requireActiveFacilities } from './facility-actions.ts';
import {
  applyAccountChanges,
  buildStaffEntry,
  buildUserDoc,
  disableUserDoc,
  enrolUserDoc,
  heldRoles,
  matchesFilter,
  staffEntryId,
  staffRolesOf,
  staffSummary,
  syncStaffEntry,
  validateStaffEntry,
  type AccountChanges,
  type Enrolment,
  type NewAccount,
  type StaffEntry,
  type StaffFilter,
  type StaffSummary,
} from './staff.ts';

export class AccountNotFoundError extends HttpError {
  constructor(login: string) {
    super(404, 'not_found', `There is no account "${login}".`);
  }
}

/** The administrator acting and the services the actions need. */
export interface StaffContext {
  store: StoreClient;
  resolver: SessionResolver;
  by: string;
}

function isUserDoc(value: unknown): value is UserDoc {
  const doc = value as Partial<UserDoc> | null;
  return typeof doc === 'object' && doc !== null && doc.type === 'user' && typeof doc.name === 'string';
}

export async function listStaff(store: StoreClient, filter: StaffFilter): Promise<StaffSummary[]> {
  const range = `startkey=${encodeURIComponent('"org.couchdb.user:"')}&endkey=${encodeURIComponent('"org.couchdb.user:\ufff0"')}`;
  const result = await store.expect<{ rows: { doc?: unknown }[] }>(
    'GET',
    `/${USERS_DB}/_all_docs?include_docs=true&${range}`,
    undefined,
  );
  return result.body.rows
    .map((row) => row.doc)
    .filter(isUserDoc)
    .map(staffSummary)
    .filter((summary) => matchesFilter(summary, filter));
}

/** Brings the staff directory entry `staff:<login>` in step with the account document (creating it if missing). */
export async function writeStaffEntry(context: StaffContext, doc: UserDoc, at: string): Promise<void> {
  await context.store.upsert<StaffEntry>(REFERENCE_DB, staffEntryId(doc.name), (current) => {
    const entry = syncStaffEntry(current, doc, context.by, at);
    const errors = validateStaffEntry(entry);
    if (errors.length > 0) throw new Error(`staff entry ${doc.name} is not valid: ${JSON.stringify(errors)}`);
    return entry;
  });
}

export async function createAccount(context: StaffContext, account: NewAccount): Promise<StaffSummary> {
  const { store, by } = context;
  await requireActiveFacilities(store, account.facilities, 'facilities');
  const at = new Date().toISOString();
  const doc = buildUserDoc(account, by, at);
  const written = await store.request('PUT', `/${USERS_DB}/${encodeDocId(doc._id)}`, doc);
  if (written.status === 409) throw new ConflictError(`The login "${account.login}" is taken.`);
  if (written.status >= 300) throw new StoreError(written.status, 'put_failed', `${USERS_DB}/${doc._id}`);
  const entry = buildStaffEntry(account, by, at);
  await store.upsert<StaffEntry>(REFERENCE_DB, entry._id, () => entry);
  await writeAuditEvent(store, by, 'account-created', {
    target: account.login,
    roles: account.roles,
    facilities: account.facilities,
    oneTimePasswordExpiresAt: account.oneTimePasswordExpiresAt,
  });
  return staffSummary(doc);
}

/**
 * Reads, changes and writes the account document (retrying on a conflict with a fresh read), then brings the
 * staff directory in step and drops the account's cached sessions.
 */
async function changeAccount(
  context: StaffContext,
  login: string,
  change: (current: UserDoc, at: string) => UserDoc,
): Promise<UserDoc> {
  const at = new Date().toISOString();
  const written: { doc?: UserDoc } = {};
  await context.store.upsert<UserDoc>(USERS_DB, userDocId(login), (current) => {
    if (!isUserDoc(current)) throw new AccountNotFoundError(login);
    written.doc = change(current, at);
    return written.doc;
  });
  if (!written.doc) throw new AccountNotFoundError(login);
  context.resolver.invalidateUser(login);
  await writeStaffEntry(context, written.doc, at);
  return written.doc;
}

async function readAccount(store: StoreClient, login: string): Promise<UserDoc> {
  const doc = await store.getDoc<unknown>(USERS_DB, userDocId(login));
  if (!isUserDoc(doc)) throw new AccountNotFoundError(login);
  return doc;
}

export async function updateAccount(
  context: StaffContext,
  login: string,
  changes: AccountChanges,
): Promise<StaffSummary> {
  const current = await readAccount(context.store, login);
  if (login === context.by && changes.roles && !changes.roles.includes('admin'))
    throw new BadRequestError('"roles": you cannot remove your own administrator role.', 'roles');
  if (changes.facilities) {
    const held = facilitiesOf(heldRoles(current));
    const added = changes.facilities.filter((id) => !held.includes(id));
    await requireActiveFacilities(context.store, added, 'facilities');
  }
  const before = staffSummary(current);
  const doc = await changeAccount(context, login, (fresh, at) => applyAccountChanges(fresh, changes, context.by, at));
  const after = staffSummary(doc);
  await writeAuditEvent(context.store, context.by, 'account-updated', {
    target: login,
    ...(changes.displayName === undefined ? {} : { displayName: after.displayName }),
    ...(changes.roles === undefined ? {} : { roles: after.roles, previousRoles: before.roles }),
    ...(changes.facilities === undefined
      ? {}
      : { facilities: after.facilities, previousFacilities: before.facilities }),
  });
  return after;
}

export async function disableAccount(context: StaffContext, login: string): Promise<StaffSummary> {
  if (login === context.by) throw new BadRequestError('You cannot disable your own account.', 'login');
  const doc = await changeAccount(context, login, (current, at) => {
    if (current.status === 'disabled') throw new ConflictError(`The account "${login}" is disabled already.`);
    return disableUserDoc(current, context.by, at);
  });
  await writeAuditEvent(context.store, context.by, 'account-disabled', {
    target: login,
    roles: staffRolesOf(heldRoles(doc)),
  });
  return staffSummary(doc);
}

/** `enable` (a disabled account, roles given back) or `reset` (an active one): a new one-time password. */
export async function enrolAccount(
  context: StaffContext,
  login: string,
  enrolment: Enrolment,
  kind: 'enable' | 'reset',
): Promise<StaffSummary> {
  const doc = await changeAccount(context, login, (current, at) => {
    if (kind === 'enable' && current.status !== 'disabled')
      throw new ConflictError(`The account "${login}" is not disabled; reset its password instead.`);
    if (kind === 'reset' && current.status === 'disabled')
      throw new ConflictError(`The account "${login}" is disabled; enable it instead.`);
    return enrolUserDoc(current, enrolment, context.by, at);
  });
  await writeAuditEvent(context.store, context.by, kind === 'enable' ? 'account-enabled' : 'account-reset', {
    target: login,
    oneTimePasswordExpiresAt: enrolment.oneTimePasswordExpiresAt,
  });
  return staffSummary(doc);
}
