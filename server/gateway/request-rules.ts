/**
 * Which browser requests the gateway lets through to the store — a pure function of the request and the caller,
 * so every rule is tested in isolation (request-rules.test.ts) and end to end (test/integration/gateway.int.test.ts).
 *
 * Each rule closes a hole measured in the embedded store (ARCHITECTURE.md, "The gateway"): reads of secured
 * databases through `_find`/`_bulk_get`/`_index`/`_explain`, `_users` documents with password hashes, role
 * escalation through one's own `_users` document, server-level endpoints, and request shapes that crash it.
 */
import { facilitiesOf } from '../../common/roles.ts';

export interface CallerContext {
  name: string;
  roles: string[];
}

export interface GatewayRequest {
  method: string;
  /** Decoded path segments after `/db`. */
  segments: string[];
  query: URLSearchParams;
  /** Parsed JSON body of POST/PUT, when there is one. */
  body: unknown;
}

export type RuleResult =
  | { action: 'allow'; kind: 'plain' | 'feed' | 'longpoll' | 'own-user-doc' }
  | { action: 'deny'; status: number; error: string; reason: string };

const READ_METHODS = new Set(['GET', 'HEAD']);
const WRITE_METHODS = new Set(['PUT', 'POST', 'DELETE']);
/** POST endpoints that only read. */
const READ_POSTS = new Set(['_all_docs', '_bulk_get', '_revs_diff', '_missing_revs', '_find', '_explain', '_changes', '_ensure_full_commit']);
/** Database endpoints nobody reaches from a browser. */
const REFUSED_DB_ENDPOINTS = new Set(['_purge', '_compact', '_view_cleanup', '_temp_view', '_security', '_revs_limit', '_shards', '_sync_shards', '_partition']);

const notFound: RuleResult = { action: 'deny', status: 404, error: 'not_found', reason: 'Database does not exist.' };

function deny(status: number, reason: string, error = status === 400 ? 'bad_request' : 'forbidden'): RuleResult {
  return { action: 'deny', status, error, reason };
}

function isAdmin(caller: CallerContext): boolean {
  return caller.roles.includes('admin');
}

type Access = 'none' | 'read' | 'write';

/** What the caller may do with a database; 'none' answers exactly like a database that does not exist. */
export function databaseAccess(db: string, caller: CallerContext): Access {
  if (db === 'reference') {
    if (isAdmin(caller)) return 'write';
    return ['doctor', 'nurse', 'analyst'].some((role) => caller.roles.includes(role)) ? 'read' : 'none';
  }
  if (db === 'audit') return isAdmin(caller) ? 'read' : 'none';
  const facility = /^facility-([a-z0-9][a-z0-9-]*)$/.exec(db)?.[1];
  if (facility) return isAdmin(caller) || facilitiesOf(caller.roles).includes(facility) ? 'write' : 'none';
  return 'none';
}

function changesRule(request: GatewayRequest): RuleResult {
  const { query, method } = request;
  if (query.get('filter') === '_selector') {
    if (method === 'POST') {
      return deny(400, 'A "_selector" filter in a POST body is not accepted; use GET with a JSON object in "selector", or "_doc_ids".');
    }
    const selector = query.get('selector');
    let parsed: unknown = null;
    try {
      parsed = selector === null ? null : JSON.parse(selector);
    } catch {
      parsed = null;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return deny(400, 'The "selector" parameter must be a JSON object.');
    }
  }
  const feed = query.get('feed');
  if (feed === 'continuous' || feed === 'eventsource') return { action: 'allow', kind: 'feed' };
  if (feed === 'longpoll') return { action: 'allow', kind: 'longpoll' };
  return { action: 'allow', kind: 'plain' };
}

function bodyHasDesignDoc(body: unknown): boolean {
  const isDesign = (doc: unknown): boolean =>
    typeof doc === 'object' && doc !== null && typeof (doc as { _id?: unknown })._id === 'string' && (doc as { _id: string })._id.startsWith('_design/');
  if (Array.isArray(body)) return body.some(isDesign);
  if (typeof body === 'object' && body !== null && Array.isArray((body as { docs?: unknown }).docs)) {
    return (body as { docs: unknown[] }).docs.some(isDesign);
  }
  return isDesign(body);
}

function usersRule(request: GatewayRequest, caller: CallerContext): RuleResult {
  const [, docId, ...rest] = request.segments;
  if (READ_METHODS.has(request.method) && docId === `org.couchdb.user:${caller.name}` && rest.length === 0) {
    return { action: 'allow', kind: 'own-user-doc' };
  }
  return deny(403, '_users is read-only from the browser and shows only your own account; change your password in the application.');
}

/** The rule for one authenticated request (the `_session` endpoint is handled before this). */
export function ruleFor(request: GatewayRequest, caller: CallerContext): RuleResult {
  const { method, segments } = request;
  if (!READ_METHODS.has(method) && !WRITE_METHODS.has(method)) return deny(405, `Method ${method} is not allowed here.`, 'method_not_allowed');
  const [db, second, ...rest] = segments;
  if (db === undefined || db === '') {
    return READ_METHODS.has(method) ? { action: 'allow', kind: 'plain' } : deny(403, 'Not allowed at the server root.');
  }
  if (db === '_users') return usersRule(request, caller);
  if (db.startsWith('_')) return deny(403, `The server endpoint "${db}" is not available through the gateway.`);
  if (second === undefined && (method === 'PUT' || method === 'DELETE')) {
    return deny(403, 'Databases are created and deleted by the server only.');
  }
  const access = databaseAccess(db, caller);
  if (access === 'none') return notFound;
  const writes = !READ_METHODS.has(method) && !(method === 'POST' && second !== undefined && READ_POSTS.has(second));
  const designViewPost = method === 'POST' && second === '_design' && rest[1] === '_view';
  if (second === '_design' || second?.startsWith('_design/')) {
    if (READ_METHODS.has(method) || designViewPost) return { action: 'allow', kind: 'plain' };
    return deny(403, 'Design documents are written by the server only.');
  }
  if (writes && access === 'read') return deny(403, `The database "${db}" is read-only for you.`);
  if (second === undefined) {
    if (method === 'POST' && bodyHasDesignDoc(request.body)) return deny(403, 'Design documents are written by the server only.');
    return { action: 'allow', kind: 'plain' };
  }
  if (second === '_local') return { action: 'allow', kind: 'plain' };
  if (second === '_index') {
    return READ_METHODS.has(method) ? { action: 'allow', kind: 'plain' } : deny(403, 'Indexes on the server are created by the server only.');
  }
  if (second === '_changes') return changesRule(request);
  if (second === '_bulk_docs') {
    if (method !== 'POST') return deny(405, 'Use POST for _bulk_docs.', 'method_not_allowed');
    return bodyHasDesignDoc(request.body) ? deny(403, 'Design documents are written by the server only.') : { action: 'allow', kind: 'plain' };
  }
  if (REFUSED_DB_ENDPOINTS.has(second)) return deny(403, `"${second}" is not available through the gateway.`);
  if (second.startsWith('_')) {
    if (READ_POSTS.has(second) || second === '_design_docs') return { action: 'allow', kind: 'plain' };
    return deny(403, `"${second}" is not available through the gateway.`);
  }
  if (method === 'POST') return deny(405, 'Use PUT to write a document by its id.', 'method_not_allowed');
  return { action: 'allow', kind: 'plain' };
}

/** Splits `/db/<a>/<b>…` (raw, still percent-encoded) into decoded segments; null when a segment is not valid. */
export function pathSegments(rawPath: string): string[] | null {
  const path = rawPath.replace(/^\/db\/?/, '');
  if (path === '') return [];
  const raw = path.split('/');
  const decoded: string[] = [];
  for (const segment of raw) {
    try {
      decoded.push(decodeURIComponent(segment));
    } catch {
      return null;
    }
  }
  // `_design/x` and `_local/x` arrive either encoded in one segment or as two; normalise to two segments.
  if (decoded[1]?.startsWith('_design/') || decoded[1]?.startsWith('_local/')) {
    const [prefix, ...restOfId] = decoded[1].split('/');
    decoded.splice(1, 1, prefix ?? '', restOfId.join('/'));
  }
  return decoded;
}
