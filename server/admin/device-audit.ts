/**
 * Reading the audit events that devices write into the facility databases (`audit:<login>:<time>:<uuid>` in
 * `facility-<id>`, see common/records/audit-event.ts) for administrators. The devices replicate them to the store;
 * an administrator need not be a member of a facility to read its journal, so the server reads with the store's
 * admin credentials and answers with a fixed, flat shape.
 *
 * Why the shape is built field by field and never spread from the stored document: a `conflict-resolved` event
 * carries the losing revision of the document it resolved (`losing`), and a losing passport is sealed identity.
 * Only what names and dates the event leaves the server — ids, revisions, times, flat detail tokens — and `losing`
 * is summarised as its type, revision and field names. An event the store holds with conflicting revisions can only
 * come from tampering (the design document forbids changing one), so it is flagged.
 */
import { BadRequestError } from '../errors.ts';
import type { StoreClient } from '../store-client.ts';
import { AUDIT_ACTIONS, type AuditAction } from '../../common/records/types.ts';
import { auditLoginOf } from '../../common/records/audit-event.ts';
import { facilityDatabase } from '../../common/roles.ts';
import { auditKeyRange } from './audit.ts';
import { isRecord, parseFacilityId, parseIsoTime, parseLimit, parseLogin, queryValue } from './validation.ts';
import type { DeviceAuditEvent, DeviceAuditPage, LosingSummary } from '../../common/records/device-audit.ts';

export const DEFAULT_DEVICE_AUDIT_LIMIT = 100;
export const MAX_DEVICE_AUDIT_LIMIT = 500;
/** Paging goes this far back; a period or a login narrows a longer search. */
export const MAX_DEVICE_AUDIT_OFFSET = 100_000;

const FACILITY_DB_PREFIX = 'facility-';
/** Ids, revisions, times, slugs: what a detail may hold (as common/records/audit-event.ts checks on write). */
const TOKEN = /^[A-Za-z0-9:._#@+-]{0,200}$/;
const DETAIL_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const REV = /^\d+-[0-9a-f]{1,64}$/;
const DEVICE = /^[A-Za-z0-9_-]{1,64}$/;
const DOC_ID = /^[a-z]+:[^\s]{1,300}$/;
const DOC_TYPE = /^[a-z][a-z-]{0,31}$/;

export interface DeviceAuditFilter {
  facility?: string;
  action?: AuditAction;
  login?: string;
  /** ISO times (`toISOString()`), compared as text with each event's `at`. */
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

function parseAction(value: string): AuditAction {
  const action = AUDIT_ACTIONS.find((known) => known === value);
  if (!action) throw new BadRequestError(`"action" must be one of ${AUDIT_ACTIONS.join(', ')}.`, 'action');
  return action;
}

function parseOffset(value: string | undefined): number {
  if (value === undefined) return 0;
  const offset = /^\d{1,6}$/.test(value) ? Number(value) : NaN;
  if (!(offset >= 0 && offset <= MAX_DEVICE_AUDIT_OFFSET)) {
    throw new BadRequestError(`"offset" must be a whole number from 0 to ${MAX_DEVICE_AUDIT_OFFSET}.`, 'offset');
  }
  return offset;
}

/** The filter from the query string; throws BadRequestError naming the parameter at fault. */
export function parseDeviceAuditFilter(query: unknown): DeviceAuditFilter {
  if (isRecord(query)) {
    const known = ['facility', 'action', 'login', 'from', 'to', 'limit', 'offset'];
    const unknown = Object.keys(query).find((name) => !known.includes(name));
    if (unknown !== undefined) throw new BadRequestError(`"${unknown}" is not a filter of the device audit.`, unknown);
  }
  const facility = queryValue(query, 'facility');
  const action = queryValue(query, 'action');
  const login = queryValue(query, 'login');
  const from = queryValue(query, 'from');
  const to = queryValue(query, 'to');
  const filter: DeviceAuditFilter = {
    ...(facility === undefined ? {} : { facility: parseFacilityId(facility, 'facility') }),
    ...(action === undefined ? {} : { action: parseAction(action) }),
    ...(login === undefined ? {} : { login: parseLogin(login, 'login') }),
    ...(from === undefined ? {} : { from: new Date(parseIsoTime(from, 'from')).toISOString() }),
    ...(to === undefined ? {} : { to: new Date(parseIsoTime(to, 'to')).toISOString() }),
    limit: parseLimit(queryValue(query, 'limit'), DEFAULT_DEVICE_AUDIT_LIMIT, MAX_DEVICE_AUDIT_LIMIT),
    offset: parseOffset(queryValue(query, 'offset')),
  };
  if (filter.from && filter.to && filter.from > filter.to) {
    throw new BadRequestError('"to" must not be before "from".', 'to');
  }
  return filter;
}

function flatDetails(value: unknown): Record<string, string | number | boolean | null> | undefined {
  if (!isRecord(value)) return undefined;
  const details: Record<string, string | number | boolean | null> = {};
  for (const [name, detail] of Object.entries(value)) {
    if (!DETAIL_NAME.test(name)) continue;
    if (
      detail === null ||
      typeof detail === 'boolean' ||
      (typeof detail === 'number' && Number.isFinite(detail)) ||
      (typeof detail === 'string' && TOKEN.test(detail))
    ) {
      details[name] = detail;
    }
  }
  return Object.keys(details).length > 0 ? details : undefined;
}

function losingSummary(value: unknown): LosingSummary | undefined {
  if (!isRecord(value)) return undefined;
  const fields = Object.keys(value)
    .filter((name) => !name.startsWith('_') && DETAIL_NAME.test(name))
    .sort();
  return {
    ...(typeof value.type === 'string' && DOC_TYPE.test(value.type) ? { type: value.type } : {}),
    ...(typeof value._rev === 'string' && REV.test(value._rev) ? { rev: value._rev } : {}),
    fields,
  };
}

function matching(value: unknown, pattern: RegExp): string | undefined {
  return typeof value === 'string' && pattern.test(value) ? value : undefined;
}

/** A stored device audit event as the API shows it, or null for anything else. */
export function toDeviceAuditEvent(facilityId: string, doc: unknown): DeviceAuditEvent | null {
  if (!isRecord(doc) || doc.type !== 'audit' || typeof doc._id !== 'string') return null;
  const login = auditLoginOf(doc._id);
  if (login === null || typeof doc.action !== 'string' || typeof doc.at !== 'string') return null;
  const device = matching(doc.device, DEVICE);
  const docId = matching(doc.docId, DOC_ID);
  const rev = matching(doc.rev, REV);
  const details = flatDetails(doc.details);
  const losing = losingSummary(doc.losing);
  const conflicts = doc._conflicts;
  return {
    _id: doc._id,
    facilityId,
    action: matching(doc.action, DOC_TYPE) ?? 'unknown',
    login,
    at: doc.at,
    ...(device === undefined ? {} : { device }),
    ...(docId === undefined ? {} : { docId }),
    ...(rev === undefined ? {} : { rev }),
    ...(details === undefined ? {} : { details }),
    ...(losing === undefined ? {} : { losing }),
    ...(Array.isArray(conflicts) && conflicts.length > 0 ? { tampered: true as const } : {}),
  };
}

/** The events that match, newest first (then by facility and id, so pages never overlap), one page of them. */
export function selectDeviceAuditEvents(
  events: readonly DeviceAuditEvent[],
  filter: DeviceAuditFilter,
): DeviceAuditPage {
  const matched = events
    .filter(
      (event) =>
        (!filter.facility || event.facilityId === filter.facility) &&
        (!filter.action || event.action === filter.action) &&
        (!filter.login || event.login === filter.login) &&
        (!filter.from || event.at >= filter.from) &&
        (!filter.to || event.at <= filter.to),
    )
    .sort((a, b) => b.at.localeCompare(a.at) || a.facilityId.localeCompare(b.facilityId) || b._id.localeCompare(a._id));
  const end = filter.offset + filter.limit;
  return { events: matched.slice(filter.offset, end), nextOffset: end < matched.length ? end : null };
}

/** The facility ids whose databases the store holds. */
export async function facilityDatabaseIds(store: StoreClient): Promise<string[]> {
  const { body } = await store.expect<string[]>('GET', '/_all_dbs', undefined);
  return body
    .filter((name) => name.startsWith(FACILITY_DB_PREFIX))
    .map((name) => name.slice(FACILITY_DB_PREFIX.length));
}

async function eventsOf(
  store: StoreClient,
  facilityId: string,
  filter: DeviceAuditFilter,
): Promise<DeviceAuditEvent[]> {
  const { startkey, endkey } = auditKeyRange({
    ...(filter.login === undefined ? {} : { login: filter.login }),
    ...(filter.from === undefined ? {} : { from: filter.from }),
    ...(filter.to === undefined ? {} : { to: filter.to }),
    limit: filter.limit,
  });
  const range = `startkey=${encodeURIComponent(JSON.stringify(startkey))}&endkey=${encodeURIComponent(JSON.stringify(endkey))}`;
  const db = encodeURIComponent(facilityDatabase(facilityId));
  // A database deleted between listing and reading has no events left to show (404).
  const result = await store.expect<{ rows?: { doc?: unknown }[] }>(
    'GET',
    `/${db}/_all_docs?include_docs=true&conflicts=true&${range}`,
    undefined,
    [404],
  );
  if (result.status === 404 || !Array.isArray(result.body.rows)) return [];
  return result.body.rows
    .map((row) => toDeviceAuditEvent(facilityId, row.doc))
    .filter((event): event is DeviceAuditEvent => event !== null);
}

/**
 * One page of device audit events. With a login, each facility is read only over that login's period (ids sort by
 * login, then time); without one, every facility's events are read and filtered here — like the server's own
 * audit listing, a large installation wants a view by time. A facility the store does not hold is refused.
 */
export async function readDeviceAuditEvents(store: StoreClient, filter: DeviceAuditFilter): Promise<DeviceAuditPage> {
  const facilities = await facilityDatabaseIds(store);
  if (filter.facility !== undefined && !facilities.includes(filter.facility)) {
    throw new BadRequestError(`There is no facility "${filter.facility}".`, 'facility');
  }
  const read = filter.facility === undefined ? facilities : [filter.facility];
  const events: DeviceAuditEvent[] = [];
  for (const facilityId of read) events.push(...(await eventsOf(store, facilityId, filter)));
  return selectDeviceAuditEvents(events, filter);
}
