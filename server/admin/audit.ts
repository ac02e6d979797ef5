/**
 * Reading the server's audit trail (database `audit`, ids `audit:<login>:<iso time>:<uuid>`) for administrators:
 * the filter from the query string, the key range it allows, and filtering and ordering of the events read.
 */
import { BadRequestError } from '../errors.ts';
import type { StoreClient } from '../store-client.ts';
import { AUDIT_DB } from '../../couch/databases.ts';
import { isRecord, parseEventName, parseIsoTime, parseLimit, parseLogin, queryValue } from './validation.ts';

export const DEFAULT_AUDIT_LIMIT = 100;
export const MAX_AUDIT_LIMIT = 500;

export interface AuditFilter {
  login?: string;
  event?: string;
  /** ISO times as written by the server (`toISOString()`), so they compare as text. */
  from?: string;
  to?: string;
  limit: number;
}

/** A stored event without its revision: `_id` (`audit:<login>:<time>:<uuid>`), event, login, at, details. */
export interface AuditEvent {
  _id: string;
  event: string;
  login: string;
  at: string;
  [detail: string]: unknown;
}

export function parseAuditFilter(query: unknown): AuditFilter {
  const login = queryValue(query, 'login');
  const event = queryValue(query, 'event');
  const from = queryValue(query, 'from');
  const to = queryValue(query, 'to');
  const filter: AuditFilter = {
    ...(login === undefined ? {} : { login: parseLogin(login, 'login') }),
    ...(event === undefined ? {} : { event: parseEventName(event) }),
    ...(from === undefined ? {} : { from: new Date(parseIsoTime(from, 'from')).toISOString() }),
    ...(to === undefined ? {} : { to: new Date(parseIsoTime(to, 'to')).toISOString() }),
    limit: parseLimit(queryValue(query, 'limit'), DEFAULT_AUDIT_LIMIT, MAX_AUDIT_LIMIT),
  };
  if (filter.from && filter.to && filter.from > filter.to)
    throw new BadRequestError('"to" must not be before "from".', 'to');
  return filter;
}

/**
 * The `_all_docs` key range to read: one login's events between the times asked for (ids sort by login, then
 * time), or every event when no login is given.
 */
export function auditKeyRange(filter: AuditFilter): { startkey: string; endkey: string } {
  if (!filter.login) return { startkey: 'audit:', endkey: 'audit:\ufff0' };
  const prefix = `audit:${filter.login}:`;
  return { startkey: prefix + (filter.from ?? ''), endkey: prefix + (filter.to ?? '') + '\ufff0' };
}

/** A stored audit document as the API shows it (without `_rev`), or null for anything else. */
export function toAuditEvent(doc: unknown): AuditEvent | null {
  if (!isRecord(doc) || doc.type !== 'audit') return null;
  const { _id, _rev, ...rest } = doc;
  void _rev;
  if (typeof _id !== 'string' || typeof rest.event !== 'string' || typeof rest.at !== 'string') return null;
  return { ...rest, _id, event: rest.event, login: typeof rest.login === 'string' ? rest.login : '', at: rest.at };
}

/** The events that match, newest first, at most `limit`. */
export function selectAuditEvents(events: readonly AuditEvent[], filter: AuditFilter): AuditEvent[] {
  return events
    .filter(
      (event) =>
        (!filter.login || event.login === filter.login) &&
        (!filter.event || event.event === filter.event) &&
        (!filter.from || event.at >= filter.from) &&
        (!filter.to || event.at <= filter.to),
    )
    .sort((a, b) => (a.at === b.at ? b._id.localeCompare(a._id) : b.at.localeCompare(a.at)))
    .slice(0, filter.limit);
}

/**
 * The events asked for. With a login, only that login's period is read (a key range); without one, the whole
 * trail is read and filtered here — fine for thousands of events; a larger installation wants a view by time.
 */
export async function readAuditEvents(store: StoreClient, filter: AuditFilter): Promise<AuditEvent[]> {
  const { startkey, endkey } = auditKeyRange(filter);
  const range = `startkey=${encodeURIComponent(JSON.stringify(startkey))}&endkey=${encodeURIComponent(JSON.stringify(endkey))}`;
  const result = await store.expect<{ rows: { doc?: unknown }[] }>(
    'GET',
    `/${AUDIT_DB}/_all_docs?include_docs=true&${range}`,
    undefined,
  );
  const events = result.body.rows.map((row) => toAuditEvent(row.doc)).filter((event) => event !== null);
  return selectAuditEvents(events, filter);
}
