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
const READ_POSTS = new Set([
  '_all_docs',
  '_bulk_get',
  '_revs_diff',
  '_missing_revs',
  '_find',
  '_explain',
  '_changes',
  '_ensure_full_commit',
]);
/** Database endpoints nobody reaches from a browser. */
const REFUSED_DB_ENDPOINTS = new Set([
  '_purge',
  '_compact',
  '_view_cleanup',
  '_temp_view',
  '_security',
  '_revs_limit',
  '_shards',
  '_sync_shards',
  '_partition',
]);

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

/**
 * A query value as the embedded store reads it: express-pouchdb JSON-parses every query parameter, so
 * `feed="continuous"` is a continuous feed there even though it is not the string `continuous` here.
 */
function storeQueryValue(query: URLSearchParams, name: string): unknown {
  const raw = query.get(name);
  if (raw === null) return null;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

function isListOfIds(value: unknown): boolean {
  return Array.isArray(value) && value.every((id) => typeof id === 'string');
}

/**
 * Every `_changes` filter except `_doc_ids` runs code in the embedded store that ends in an unhandled rejection
 * (measured: `_view`, `<ddoc>/<filter>`, `view=…` without a filter, any `selector` the matcher throws on, and
 * `_doc_ids` without a list) — the store answers and then the whole process dies. So only `_doc_ids`, with a
 * list, is let through; reads by selector go through `_find`, which reports bad selectors as 400.
 */
function changesRule(request: GatewayRequest): RuleResult {
  const { query, method, body } = request;
  const filter = storeQueryValue(query, 'filter');
  if (filter === '_selector' || query.has('selector')) {
    return deny(
      400,
      'Selector filters on _changes are not accepted (they crash the store); use "_doc_ids", or read with _find.',
    );
  }
  if (query.has('view')) return deny(400, 'View filters on _changes are not accepted; use "_doc_ids".');
  if (filter !== null && filter !== '_doc_ids') return deny(400, 'Only the "_doc_ids" filter is accepted on _changes.');
  const bodyIds =
    method === 'POST' && typeof body === 'object' && body !== null
      ? (body as { doc_ids?: unknown }).doc_ids
      : undefined;
  const queryIds = storeQueryValue(query, 'doc_ids');
  if ((bodyIds !== undefined && !isListOfIds(bodyIds)) || (queryIds !== null && !isListOfIds(queryIds))) {
    return deny(400, '"doc_ids" must be a list of document ids.');
  }
  if (filter === '_doc_ids' && bodyIds === undefined && queryIds === null) {
    return deny(400, 'The "_doc_ids" filter needs "doc_ids", a list of document ids.');
  }
  const feed = storeQueryValue(query, 'feed');
  if (feed === 'continuous' || feed === 'eventsource') return { action: 'allow', kind: 'feed' };
  if (feed === 'longpoll') return { action: 'allow', kind: 'longpoll' };
  return { action: 'allow', kind: 'plain' };
}

/**
 * A document as the store's code expects one: an object whose `_id`, if any, is a string. Anything else fails
 * inside the store with a 500 whose body carries a stack trace (a number as `_id` breaks validate_doc_update).
 */
function isDocument(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const id = (value as { _id?: unknown })._id;
  return id === undefined || typeof id === 'string';
}

/** A body the gateway could not read as JSON (another content type) is left to the store, which ignores it. */
function isDocumentBody(body: unknown): boolean {
  return body === null || isDocument(body);
}

const notADocument: RuleResult = {
  action: 'deny',
  status: 400,
  error: 'bad_request',
  reason: 'A document must be a JSON object, with a string "_id" if it has one.',
};

/**
 * `PUT` of one document: the store takes its id from the body's `_id`, then from `?id=`, and only then from the
 * path — so a body naming another document (a design document, say) would be judged by the path and written
 * under its own id. The body must name the path's document, or nothing.
 */
function documentWriteRule(request: GatewayRequest, pathId: string): RuleResult {
  if (!isDocumentBody(request.body)) return notADocument;
  if (request.query.has('id')) return deny(400, 'The document id is given in the path, not as "?id=".');
  const bodyId = (request.body as { _id?: unknown } | null)?._id;
  if (bodyId !== undefined && bodyId !== pathId) return deny(400, 'The "_id" in the body must be the id in the path.');
  return { action: 'allow', kind: 'plain' };
}

function bodyHasDesignDoc(body: unknown): boolean {
  const isDesign = (doc: unknown): boolean =>
    typeof doc === 'object' &&
    doc !== null &&
    typeof (doc as { _id?: unknown })._id === 'string' &&
    (doc as { _id: string })._id.startsWith('_design/');
  if (Array.isArray(body)) return body.some(isDesign);
  if (typeof body === 'object' && body !== null && Array.isArray((body as { docs?: unknown }).docs)) {
    return (body as { docs: unknown[] }).docs.some(isDesign);
  }
  return isDesign(body);
}

function usersRule(request: GatewayRequest, caller: CallerContext): RuleResult {
  const [, docId, ...rest] = request.segments;
  if (READ_METHODS.has(request.method) && docId === `org.couchdb.user:${caller.name}` && rest.length === 0) {
    // open_revs answers a list of revisions, which the field filter would not see into: it carries the hash.
    if (request.query.has('open_revs')) return deny(400, '"open_revs" is not available on your account document.');
    return { action: 'allow', kind: 'own-user-doc' };
  }
  return deny(
    403,
    '_users is read-only from the browser and shows only your own account; change your password in the application.',
  );
}

/** The rule for one authenticated request (the `_session` endpoint is handled before this). */
export function ruleFor(request: GatewayRequest, caller: CallerContext): RuleResult {
  const { method, segments } = request;
  if (!READ_METHODS.has(method) && !WRITE_METHODS.has(method))
    return deny(405, `Method ${method} is not allowed here.`, 'method_not_allowed');
  // The store parses `a[b]=c` into objects and lists that its code does not expect; no CouchDB client sends them.
  for (const name of request.query.keys()) {
    if (name.includes('[') || name.includes(']')) return deny(400, `The query parameter "${name}" is not accepted.`);
  }
  // Anything but "all" or a list of revisions fails inside the store with a 500 (`open_revs="_local/x"`).
  const openRevs = storeQueryValue(request.query, 'open_revs');
  if (openRevs !== null && openRevs !== 'all' && !isListOfIds(openRevs)) {
    return deny(400, '"open_revs" must be "all" or a list of revisions.');
  }
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
  if (second === '_design') {
    // rest = [name, endpoint, …]: the document itself, its views and _info. Shows, lists, rewrites and updates are
    // not used, and `_list/<list>/<view>` crashes the embedded store.
    const readsDocument = READ_METHODS.has(method) && rest.length === 1;
    const queriesView = (READ_METHODS.has(method) || method === 'POST') && rest[1] === '_view' && rest.length === 3;
    const readsInfo = READ_METHODS.has(method) && rest[1] === '_info' && rest.length === 2;
    if (readsDocument || queriesView || readsInfo) return { action: 'allow', kind: 'plain' };
    if (READ_METHODS.has(method))
      return deny(403, 'Of a design document only the document, its views and _info are available.');
    return deny(403, 'Design documents are written by the server only.');
  }
  if (writes && access === 'read') return deny(403, `The database "${db}" is read-only for you.`);
  if (second === undefined) {
    if (method === 'POST' && bodyHasDesignDoc(request.body))
      return deny(403, 'Design documents are written by the server only.');
    if (method === 'POST' && !isDocumentBody(request.body)) return notADocument;
    return { action: 'allow', kind: 'plain' };
  }
  if (second === '_local') {
    // `_local/a/b` is one document id to the store, not an attachment.
    if (method === 'PUT') return documentWriteRule(request, `_local/${rest.join('/')}`);
    return { action: 'allow', kind: 'plain' };
  }
  if (second === '_index') {
    return READ_METHODS.has(method)
      ? { action: 'allow', kind: 'plain' }
      : deny(403, 'Indexes on the server are created by the server only.');
  }
  if (second === '_changes') return changesRule(request);
  if (second === '_bulk_docs') {
    if (method !== 'POST') return deny(405, 'Use POST for _bulk_docs.', 'method_not_allowed');
    if (bodyHasDesignDoc(request.body)) return deny(403, 'Design documents are written by the server only.');
    const docs =
      typeof request.body === 'object' && request.body !== null ? (request.body as { docs?: unknown }).docs : undefined;
    if (!Array.isArray(docs) || !docs.every(isDocument))
      return deny(400, 'The body must be {"docs": [...]}, a list of documents with string ids.');
    return { action: 'allow', kind: 'plain' };
  }
  if (second === '_bulk_get' && method === 'POST') {
    const docs =
      typeof request.body === 'object' && request.body !== null ? (request.body as { docs?: unknown }).docs : undefined;
    const isRequest = (item: unknown): boolean =>
      typeof item === 'object' && item !== null && typeof (item as { id?: unknown }).id === 'string';
    if (!Array.isArray(docs) || !docs.every(isRequest)) return deny(400, 'The body must be {"docs": [{"id": …}, …]}.');
  }
  if (REFUSED_DB_ENDPOINTS.has(second)) return deny(403, `"${second}" is not available through the gateway.`);
  if (second.startsWith('_')) {
    if ((READ_POSTS.has(second) || second === '_design_docs') && (READ_METHODS.has(method) || method === 'POST'))
      return { action: 'allow', kind: 'plain' };
    if (READ_POSTS.has(second) || second === '_design_docs')
      return deny(405, `Use GET or POST for "${second}".`, 'method_not_allowed');
    return deny(403, `"${second}" is not available through the gateway.`);
  }
  if (method === 'POST') return deny(405, 'Use PUT to write a document by its id.', 'method_not_allowed');
  if (method === 'PUT' && rest.length === 0) return documentWriteRule(request, second);
  return { action: 'allow', kind: 'plain' };
}

/** Deeper than any body a CouchDB client sends; the store's code recurses through bodies and overflows its stack. */
export const MAX_BODY_NESTING = 64;

/** Whether objects or lists inside `value` nest deeper than `limit` — found without recursion. */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (typeof next.value !== 'object' || next.value === null) continue;
    if (next.depth > limit) return true;
    for (const item of Object.values(next.value)) pending.push({ value: item, depth: next.depth + 1 });
  }
  return false;
}

/**
 * Splits `/db/<a>/<b>…` (already normalised by URL parsing, still percent-encoded) into decoded segments; null when
 * the path is not under `/db` (`/db/../_all_dbs` normalises to `/_all_dbs`) or a segment is empty or not valid.
 * One trailing slash is dropped: `PUT /db/x/` creates a database in the store just like `PUT /db/x`.
 */
export function pathSegments(normalisedPath: string): string[] | null {
  if (normalisedPath !== '/db' && !normalisedPath.startsWith('/db/')) return null;
  // `/db//` would reach the store as `//`, which a URL parser reads as the start of another host.
  if (normalisedPath.startsWith('/db//')) return null;
  const path = normalisedPath.slice('/db/'.length).replace(/\/$/, '');
  if (path === '') return [];
  // `/db/<db>/<doc>/` (also what `/<doc>/.` normalises to) reaches the store as an attachment with an empty name,
  // which kills the embedded store: only a database may be named with a trailing slash.
  if (normalisedPath.endsWith('/') && path.includes('/')) return null;
  const decoded: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '') return null;
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
