/**
 * Random and malformed input at every endpoint of the register — the administration API, `/api/me/credentials`,
 * `/db/_session`, `/api/config`, `/api/health` and the gateway's `/db/…` paths with odd ids, query strings, bodies
 * and content types — as an administrator, a member and anonymously. Whatever arrives, the register answers with
 * a status below 500 (the error handler logging an unexpected error fails the file too), the store never dies
 * (no restart of the supervised child), and afterwards every document in `_users`, `reference`, `audit` and the
 * facility databases still passes its validator. Runs are bounded so the file stays fast; a failure prints the
 * seed and the shrunk request, which replays it.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useRegister } from '../helpers/start-register.ts';
import { rawRequest, type RawResult } from '../helpers/http.ts';
import { createFacility, createUser, firstAdmin, logIn } from '../helpers/users.ts';
import { storeToday } from '../../design-docs/facility/validate.ts';
import { validateFacilityDoc } from '../../common/records/index.ts';
import { REFERENCE_TYPES, validateReferenceDoc } from '../../common/reference/validation.ts';
import { heldRoles, validateStaffEntry } from '../../server/admin/staff.ts';
import type { UserDoc } from '../../couch/provision.ts';
import { isFacilityId, isStaffRole } from '../../common/roles.ts';
import { patientRecord, visit, withFreshId } from '../../common/records/test-fixtures.ts';

/** Runs per property; `HOSTILE_RUNS=2000` searches harder (the seed printed on failure replays a find). */
const RUNS = Number(process.env.HOSTILE_RUNS ?? 150);
/** `HOSTILE_SEED=<seed>` replays the runs of a failure that fast-check printed. */
const SEED = process.env.HOSTILE_SEED === undefined ? undefined : Number(process.env.HOSTILE_SEED);
const register = useRegister();
/** Who sends a request: a logged-in administrator, a member of facility `a`, or nobody. */
const callers: Record<'admin' | 'member' | 'anonymous', string | null> = { admin: '', member: '', anonymous: null };
let counted = 0;
/** The last requests sent, so a failure shows what came just before it (a store crash shows up one request late). */
const recent: string[] = [];
const statuses = new Map<string, number>();

beforeAll(async () => {
  const r = register.current;
  await createFacility(r, 'a');
  await createFacility(r, 'b');
  await r.store.expect('PUT', `/facility-a/${encodeURIComponent(patientRecord()._id)}`, patientRecord());
  const nina = await createUser(r, { name: 'nina', password: 'nina-pass-2026', roles: ['nurse', 'facility:a'] });
  // Accounts the fuzz may hurt: `cora`'s login is guessed at (and throttled), `victim` may be disabled or reset.
  await createUser(r, { name: 'cora', password: 'cora-pass-2026', roles: ['nurse', 'facility:b'] });
  await createUser(r, { name: 'victim', password: 'victim-pass-2026', roles: ['nurse', 'facility:b'] });
  callers.admin = (await logIn(r, await firstAdmin(r))).cookie;
  callers.member = (await logIn(r, nina)).cookie;
});

afterAll(() => {
  const tally = [...statuses].sort(([a], [b]) => a.localeCompare(b)).map(([key, n]) => `${key}: ${n}`);
  console.log(`hostile-endpoints: ${counted} requests sent; answers by caller and status — ${tally.join(', ')}`);
});

interface HostileRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** Sends one request as written; a hang (20 s) or a dropped connection fails the property. */
async function sendRaw(request: HostileRequest, cookie: string | null): Promise<RawResult> {
  counted += 1;
  recent.push(
    `${request.method} ${request.path} ${JSON.stringify(request.headers)} ${request.body?.slice(0, 300) ?? ''}`,
  );
  if (recent.length > 10) recent.shift();
  const tallied = (answer: RawResult): RawResult => {
    const who = Object.entries(callers).find(([, value]) => value === cookie)?.[0] ?? 'forged';
    statuses.set(`${who} ${answer.status}`, (statuses.get(`${who} ${answer.status}`) ?? 0) + 1);
    return answer;
  };
  const headers = { accept: 'application/json', ...request.headers, ...(cookie ? { cookie } : {}) };
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer to ${request.method} ${request.path}`)), 20_000);
  });
  try {
    return tallied(
      await Promise.race([
        rawRequest(register.current.url, request.method, request.path, headers, request.body),
        guard,
      ]),
    );
  } finally {
    clearTimeout(timer);
  }
}

/** The promise every answer keeps: a status below 500, and never a stack trace. */
function expectHandled(request: HostileRequest, answer: RawResult): void {
  const what = `${request.method} ${request.path} ${JSON.stringify(request.headers)} ${request.body ?? ''}`;
  expect(answer.status, `${what} → ${answer.text}`).toBeGreaterThanOrEqual(200);
  expect(answer.status, `${what} → ${answer.text}\nafter:\n${recent.join('\n')}`).toBeLessThan(500);
  expect(answer.text, what).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
}

/** The store still answers, and was never restarted. */
async function expectStoreAlive(): Promise<void> {
  const health = await rawRequest(register.current.url, 'GET', '/api/health');
  expect(health.status).toBe(200);
  expect(register.current.embedded?.restarts(), `the store restarted; last requests:\n${recent.join('\n')}`).toBe(0);
}

// --- generators ----------------------------------------------------------------------------------------------

/** Text that tends to break things: markup, encodings, separators, very long and empty strings. */
const nastyText = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    '',
    ' ',
    '..',
    '.',
    '%',
    '%zz',
    '%00',
    '\u0000',
    '_design/register',
    '_local/x',
    '_users',
    'org.couchdb.user:admin',
    '<img src=x onerror=alert(1)>',
    '__proto__',
    'constructor',
    'a'.repeat(5000),
    'null',
    'true',
    '[]',
    '{}',
    '{"$gt":null}',
    '"continuous"',
  ),
);

/** A path segment as a browser could send it: percent-encoded, or one of a few odd raw forms. */
const segment = fc.oneof(
  nastyText.map((text) => encodeURIComponent(text)),
  fc.constantFrom('..', '.', '%2e%2e', '%2F', '%zz', '%00', '_design%2Fregister', 'a%2Fb'),
);

const jsonBody = fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value));
const body = fc.oneof(
  jsonBody,
  nastyText,
  fc.constantFrom('{', '{"docs": 5}', '{"docs": [5]}', '{"_id": 5}', '{"selector": 5}', '['.repeat(2000), 'null'),
);

const CONTENT_TYPES = [
  'application/json',
  'Application/JSON',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16le',
  'application/json; charset=latin1',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'multipart/related; boundary=x',
];
const headers = fc.record({ 'content-type': fc.constantFrom(...CONTENT_TYPES) }, { requiredKeys: [] }) as fc.Arbitrary<
  Record<string, string>
>;

/** Query parameters, including ones the store parses as JSON, repeated names and brackets. */
const QUERY_NAMES = [
  'include_docs',
  'since',
  'limit',
  'skip',
  'startkey',
  'endkey',
  'key',
  'keys',
  'descending',
  'rev',
  'revs',
  'open_revs',
  'conflicts',
  'attachments',
  'style',
  'filter',
  'doc_ids',
  'selector',
  'view',
  'id',
  'q',
  'role',
  'facility',
  'status',
  'login',
  'event',
  'from',
  'to',
  'a[b]',
  'timeout',
];
const query = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom(...QUERY_NAMES), nastyText), fc.oneof(nastyText, jsonBody)), {
    maxLength: 4,
  })
  .map((pairs) =>
    pairs.length === 0
      ? ''
      : '?' + pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'),
  );

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'COPY', 'OPTIONS'];

function requestTo(paths: fc.Arbitrary<string>, methods: readonly string[] = METHODS): fc.Arbitrary<HostileRequest> {
  return fc
    .record({
      method: fc.constantFrom(...methods),
      path: paths,
      query,
      headers,
      body: fc.option(body, { nil: undefined }),
    })
    .map(({ method, path, query: q, headers: h, body: b }) => ({
      method,
      path: path + q,
      headers: h,
      ...(b === undefined || method === 'GET' || method === 'HEAD' ? {} : { body: b }),
    }));
}

const callerName = fc.constantFrom<keyof typeof callers>('admin', 'member', 'anonymous');

async function checkProperty(requests: fc.Arbitrary<HostileRequest>, runs = RUNS): Promise<void> {
  await fc.assert(
    fc.asyncProperty(requests, callerName, async (request, who) => {
      expectHandled(request, await sendRaw(request, callers[who]));
    }),
    { numRuns: runs, ...(SEED === undefined ? {} : { seed: SEED }) },
  );
  await expectStoreAlive();
}

// --- endpoints -----------------------------------------------------------------------------------------------

/** Ids that exist, that do not, and that are not ids at all. */
const facilityIds = fc.oneof(fc.constantFrom('a', 'b', 'zzz'), segment);
/** The login a path segment names, as the admin API reads it (decoded, trimmed, lower-cased). */
function loginOf(segmentText: string): string {
  try {
    return decodeURIComponent(segmentText).trim().toLowerCase();
  } catch {
    return segmentText;
  }
}
/** `victim` may be disabled or reset by the fuzz; the administrator and the member stay as they are. */
const logins = fc.oneof(
  fc.constantFrom('victim', 'ghost'),
  segment.filter((s) => !['admin', 'nina', 'cora'].includes(loginOf(s))),
);

const adminPaths = fc.oneof(
  fc.constantFrom('/api/admin/facilities', '/api/admin/staff', '/api/admin/key-confirmations', '/api/admin/audit'),
  facilityIds.map((id) => `/api/admin/facilities/${id}`),
  fc
    .tuple(facilityIds, fc.constantFrom('key-recipients', 'epochs', 'custody'))
    .map(([id, what]) => `/api/admin/facilities/${id}/${what}`),
  logins.map((login) => `/api/admin/staff/${login}`),
  fc
    .tuple(logins, fc.constantFrom('disable', 'enable', 'reset', 'key-copies'))
    .map(([login, what]) => `/api/admin/staff/${login}/${what}`),
  segment.map((rest) => `/api/admin/${rest}`),
);

const DATABASES = [
  'facility-a',
  'facility-b',
  'facility-zzz',
  'reference',
  'audit',
  '_users',
  '_all_dbs',
  '_replicate',
];
const DB_ENDPOINTS = [
  '_all_docs',
  '_changes',
  '_bulk_get',
  '_find',
  '_explain',
  '_index',
  '_revs_diff',
  '_missing_revs',
  '_bulk_docs',
  '_local/x',
  '_design/register',
  '_design/register/_view/x',
  '_design/register/_info',
  '_security',
  '_purge',
  '_compact',
  'patient:x',
  `patient:${patientRecord()._id.slice('patient:'.length)}`,
  'visit:x/attachment.txt',
  'org.couchdb.user:admin',
];
const gatewayPaths = fc
  .tuple(
    fc.oneof(fc.constantFrom(...DATABASES), segment),
    fc.array(fc.oneof(fc.constantFrom(...DB_ENDPOINTS), segment), { maxLength: 2 }),
  )
  .map(([db, rest]) => ['/db', db, ...rest].join('/'));

/** A valid-looking authKey, so some attempts get past the format check to the password check. */
const authKeyLike = fc.stringMatching(/^[A-Za-z0-9_-]{43}$/);

// A hang guard that grows with HOSTILE_RUNS (the default runs take a few seconds per property).
describe('hostile input at every endpoint', { timeout: Math.max(60_000, RUNS * 4 * 30) }, () => {
  it(`the administration API answers ${RUNS} random requests without a 500`, async () => {
    await checkProperty(requestTo(adminPaths));
  });

  it(`POST /api/me/credentials answers ${RUNS} random bodies without a 500`, async () => {
    const bodies = fc.oneof(
      body,
      fc
        .record(
          {
            currentAuthKey: fc.oneof(authKeyLike, nastyText),
            newAuthKey: fc.oneof(authKeyLike, nastyText),
            keys: fc.jsonValue({ maxDepth: 3 }),
          },
          { requiredKeys: [] },
        )
        .map((value) => JSON.stringify(value)),
    );
    const requests = fc
      .record({ method: fc.constantFrom('POST', 'GET', 'PUT'), b: bodies, headers })
      .map(({ method, b, headers: h }) => ({
        method,
        path: '/api/me/credentials',
        headers: h,
        ...(method === 'GET' ? {} : { body: b }),
      }));
    await checkProperty(requests);
  });

  it(`/api/config, /api/health and unknown /api paths answer ${RUNS} random requests without a 500`, async () => {
    const paths = fc.oneof(
      fc.constantFrom('/api/config', '/api/health', '/api', '/api/', '/api/me'),
      segment.map((rest) => `/api/${rest}`),
    );
    await checkProperty(requestTo(paths));
  });

  it(`the gateway answers ${RUNS * 4} random /db requests — odd ids, queries, bodies — without a 500`, async () => {
    await checkProperty(requestTo(gatewayPaths), RUNS * 4);
  });

  it(`the gateway answers ${RUNS} requests with forged session cookies with 401`, async () => {
    const cookies = fc.oneof(
      nastyText.map((text) => `rp_session=${encodeURIComponent(text)}`),
      fc.constantFrom('rp_session=', 'rp_session', 'rp_session=a.b.c', '=;;=', `${callers.member ?? ''}x`),
    );
    await fc.assert(
      fc.asyncProperty(requestTo(gatewayPaths, ['GET', 'POST']), cookies, async (request, cookie) => {
        const answer = await sendRaw(request, cookie);
        expectHandled(request, answer);
        if (!request.path.startsWith('/db/_session')) expect([400, 401]).toContain(answer.status);
      }),
      { numRuns: RUNS },
    );
    await expectStoreAlive();
  });

  // Last of the requests: failed logins are throttled per address, which would slow the other properties down.
  it(`/db/_session answers ${RUNS} random logins and logouts without a 500`, async () => {
    const loginBodies = fc.oneof(
      body,
      fc
        .record(
          { name: fc.oneof(fc.constantFrom('cora', 'ghost'), nastyText), password: fc.oneof(authKeyLike, nastyText) },
          { requiredKeys: [] },
        )
        .map((value) => JSON.stringify(value)),
    );
    const requests = fc
      .record({ method: fc.constantFrom('POST', 'GET', 'DELETE', 'PUT'), b: loginBodies, headers, q: query })
      .map(({ method, b, headers: h, q }) => ({
        method,
        path: `/db/_session${q}`,
        headers: h,
        ...(method === 'POST' || method === 'PUT' ? { body: b } : {}),
      }));
    await fc.assert(
      fc.asyncProperty(requests, async (request) => {
        expectHandled(request, await sendRaw(request, null));
      }),
      { numRuns: RUNS },
    );
    await expectStoreAlive();
  });
});

// --- afterwards: nothing invalid got in ---------------------------------------------------------------------

interface Row {
  id: string;
  doc: Record<string, unknown> & { _id: string };
}

async function documentsOf(db: string): Promise<Row['doc'][]> {
  const all = await register.current.store.expect<{ rows: Row[] }>(
    'GET',
    `/${db}/_all_docs?include_docs=true`,
    undefined,
  );
  return all.body.rows.filter((row) => !row.id.startsWith('_design/')).map((row) => row.doc);
}

const USER_STATUSES = ['active', 'disabled'];

describe('after the hostile requests', () => {
  it('still lets a member write a valid document (the properties did not pass by refusing everything)', async () => {
    const doc = withFreshId(visit());
    const answer = await rawRequest(
      register.current.url,
      'PUT',
      `/db/facility-a/${encodeURIComponent(doc._id)}`,
      { cookie: callers.member ?? '', 'content-type': 'application/json' },
      JSON.stringify(doc),
    );
    expect(answer.status).toBe(201);
  });

  it.each(['facility-a', 'facility-b'])('every document in %s passes the facility validator', async (db) => {
    const today = storeToday(Date.now());
    for (const doc of await documentsOf(db)) expect([doc._id, validateFacilityDoc(doc, today)]).toEqual([doc._id, []]);
  });

  it('every document in reference passes its validator', async () => {
    for (const doc of await documentsOf('reference')) {
      const type = doc._id.split(':')[0] ?? '';
      const errors = (REFERENCE_TYPES as readonly string[]).includes(type)
        ? validateReferenceDoc(doc)
        : type === 'staff'
          ? validateStaffEntry(doc)
          : ['facility', 'facility-keys'].includes(type) && doc.type === type
            ? []
            : [{ field: '_id', message: 'not a document the register writes to reference' }];
      expect([doc._id, errors]).toEqual([doc._id, []]);
    }
  });

  it('every account in _users is one the register could have written', async () => {
    const validRole = (role: unknown): boolean =>
      isStaffRole(role) || (typeof role === 'string' && role.startsWith('facility:') && isFacilityId(role.slice(9)));
    for (const doc of await documentsOf('_users')) {
      const account = doc as unknown as UserDoc;
      // A disabled account holds no roles; the ones it would get back are kept aside (server/admin/staff.ts).
      const held = heldRoles(account);
      expect({
        id: doc._id,
        name: doc.name,
        type: doc.type,
        held: held.length > 0 && held.every(validRole),
        roles:
          account.status === 'disabled'
            ? account.roles.length === 0
            : JSON.stringify(account.roles) === JSON.stringify(held),
        status: USER_STATUSES.includes(String(doc.status)),
      }).toEqual({
        id: doc._id,
        name: doc._id.replace(/^org\.couchdb\.user:/, ''),
        type: 'user',
        held: true,
        roles: true,
        status: true,
      });
    }
  });

  it('every document in audit is an audit event', async () => {
    for (const doc of await documentsOf('audit')) {
      expect([doc._id.startsWith('audit:'), doc.type, typeof doc.event, typeof doc.at]).toEqual([
        true,
        'audit',
        'string',
        'string',
      ]);
    }
  });
});
