/**
 * Who can reach a facility database through the gateway, and what the embedded store alone would have let
 * through (ARCHITECTURE.md, "The gateway").
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { visit, withFreshId } from '../../common/records/test-fixtures.ts';
import { useRegister } from '../helpers/start-register.ts';
import { rawRequest, send, type HttpResult } from '../helpers/http.ts';
import {
  createFacility,
  createUser,
  firstAdmin,
  logIn,
  storeSession,
  storeUrl,
  type Session,
} from '../helpers/users.ts';

const register = useRegister();
const SECRET = 'only-members-may-read-this';
let member: Session;
let nonMember: Session;
let nonMemberAtStore: string;
let admin: Session;

beforeAll(async () => {
  const r = register.current;
  await createFacility(r, 'a');
  await createFacility(r, 'scratch');
  await r.store.expect('PUT', '/facility-a/patient:p1', { type: 'patient', note: SECRET, createdBy: 'nina' });
  const nina = await createUser(r, { name: 'nina', password: 'nina-pass-2026', roles: ['nurse', 'facility:a'] });
  const boris = await createUser(r, { name: 'boris', password: 'boris-pass-2026', roles: ['doctor', 'facility:b'] });
  member = await logIn(r, nina);
  nonMember = await logIn(r, boris);
  nonMemberAtStore = await storeSession(r, boris);
  admin = await logIn(r, await firstAdmin(r));
});

/** [what, method, path after the database name, body] — the ways to read a database. */
const READS: [string, string, string, unknown][] = [
  ['_find', 'POST', '/_find', { selector: {} }],
  ['_bulk_get', 'POST', '/_bulk_get', { docs: [{ id: 'patient:p1' }] }],
  ['_index (GET)', 'GET', '/_index', undefined],
  ['_index (POST)', 'POST', '/_index', { index: { fields: ['note'] } }],
  ['_explain', 'POST', '/_explain', { selector: { type: 'patient' } }],
  ['_all_docs', 'GET', '/_all_docs?include_docs=true', undefined],
  ['_changes', 'GET', '/_changes?include_docs=true', undefined],
  ['a document', 'GET', '/patient:p1', undefined],
];

function read(session: Session | null, db: string, method: string, path: string, body: unknown): Promise<HttpResult> {
  return send(register.current.url, `/db/${db}${path}`, { method, body, cookie: session?.cookie ?? null });
}

describe('a secured facility database', () => {
  it.each(READS)('refuses an anonymous %s with 401', async (_what, method, path, body) => {
    const answer = await read(null, 'facility-a', method, path, body);
    expect(answer.status).toBe(401);
    expect(answer.json).toMatchObject({ error: 'unauthorized' });
    expect(answer.headers.get('www-authenticate')).toBeNull();
  });

  it.each(READS)(
    'answers a non-member’s %s exactly as for a database that does not exist',
    async (_what, method, path, body) => {
      const existing = await read(nonMember, 'facility-a', method, path, body);
      const missing = await read(nonMember, 'facility-does-not-exist', method, path, body);
      expect(existing.status).toBe(404);
      expect(existing.text).toBe(missing.text);
      expect(existing.text).not.toContain(SECRET);
    },
  );

  it.each(READS.filter(([what]) => what !== '_index (POST)'))(
    'lets a member read through %s',
    async (_what, method, path, body) => {
      expect((await read(member, 'facility-a', method, path, body)).status).toBe(200);
    },
  );

  it.each([
    ['_find', 'POST', '/_find', { selector: {} }],
    ['_bulk_get', 'POST', '/_bulk_get', { docs: [{ id: 'patient:p1' }] }],
  ])('the store alone hands an anonymous caller the documents through %s', async (_what, method, path, body) => {
    const answer = await send(storeUrl(register.current), `/facility-a${path}`, { method, body });
    expect(answer.status).toBe(200);
    expect(answer.text).toContain(SECRET);
  });

  it.each([
    ['_index', 'GET', '/_index', undefined],
    ['_explain', 'POST', '/_explain', { selector: { type: 'patient' } }],
  ])('the store alone answers a non-member’s %s about the database', async (_what, method, path, body) => {
    const answer = await send(storeUrl(register.current), `/facility-a${path}`, {
      method,
      body,
      cookie: nonMemberAtStore,
    });
    expect(answer.status).toBe(200);
  });
});

describe('server-side indexes and design documents', () => {
  async function designDocIds(db: string): Promise<string[]> {
    const all = await register.current.store.expect<{ rows: { id: string }[] }>(
      'GET',
      `/${db}/_all_docs?startkey=%22_design%2F%22&endkey=%22_design0%22`,
      undefined,
    );
    return all.body.rows.map((row) => row.id);
  }

  it('refuses an anonymous POST _index, and no design document appears', async () => {
    const answer = await read(null, 'facility-scratch', 'POST', '/_index', {
      index: { fields: ['type'] },
      ddoc: 'anonymous',
    });
    expect(answer.status).toBe(401);
    expect(await designDocIds('facility-scratch')).toEqual(['_design/register']);
  });

  it('the store alone lets an anonymous caller create a design document through _index', async () => {
    const answer = await send(storeUrl(register.current), '/facility-scratch/_index', {
      method: 'POST',
      body: { index: { fields: ['type'] }, ddoc: 'anonymous' },
    });
    expect(answer.status).toBe(200);
    expect(await designDocIds('facility-scratch')).toContain('_design/anonymous');
  });

  it.each([
    ['POST _index', 'POST', '/_index', { index: { fields: ['type'] }, ddoc: 'mine' }],
    ['PUT _design/x', 'PUT', '/_design/x', { views: {} }],
    ['PUT _design%2Fx', 'PUT', '/_design%2Fx', { views: {} }],
    ['DELETE the design document', 'DELETE', '/_design/register', undefined],
    [
      '_bulk_docs with _design/x',
      'POST',
      '/_bulk_docs',
      { docs: [{ _id: 'patient:p9', type: 'patient', createdBy: 'nina' }, { _id: '_design/x' }] },
    ],
    ['POST of {_id: _design/x}', 'POST', '', { _id: '_design/x', views: {} }],
    ['_purge', 'POST', '/_purge', { 'patient:p1': ['1-x'] }],
    ['PUT _security', 'PUT', '/_security', { members: { names: ['nina'], roles: [] } }],
    ['GET _security', 'GET', '/_security', undefined],
  ])('refuses a member’s %s with 403', async (_what, method, path, body) => {
    const answer = await read(member, 'facility-a', method, path, body);
    expect(answer.status).toBe(403);
    expect(answer.json).toMatchObject({ error: 'forbidden' });
    expect(await designDocIds('facility-a')).toEqual(['_design/register']);
  });

  it('still lets a member write ordinary documents', async () => {
    const doc = withFreshId(visit());
    const answer = await read(member, 'facility-a', 'PUT', `/${encodeURIComponent(doc._id)}`, doc);
    expect(answer.status).toBe(201);
  });
});

describe('cross-site requests', () => {
  it.each([
    ['an Origin of another site', { origin: 'http://evil.example' }],
    ['an opaque Origin', { origin: 'null' }],
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
    ['Sec-Fetch-Site: same-site', { 'sec-fetch-site': 'same-site' }],
  ])('refuses a write marked with %s, even with a valid session', async (_what, headers) => {
    const doc = withFreshId(visit());
    const path = `/${encodeURIComponent(doc._id)}`;
    const answer = await send(register.current.url, `/db/facility-a${path}`, {
      method: 'PUT',
      cookie: member.cookie,
      headers,
      body: doc,
    });
    expect(answer.status).toBe(403);
    expect((await read(member, 'facility-a', 'GET', path, undefined)).status).toBe(404);
  });

  it('refuses a login posted from another site', async () => {
    const answer = await send(register.current.url, '/db/_session', {
      method: 'POST',
      headers: { origin: 'http://evil.example' },
      body: { name: 'nina', password: 'x'.repeat(43) },
    });
    expect(answer.status).toBe(403);
  });

  it('accepts a write from the register’s own origin', async () => {
    const doc = withFreshId(visit());
    const answer = await send(register.current.url, `/db/facility-a/${encodeURIComponent(doc._id)}`, {
      method: 'PUT',
      cookie: member.cookie,
      headers: { origin: register.current.url, 'sec-fetch-site': 'same-origin' },
      body: doc,
    });
    expect(answer.status).toBe(201);
  });
});

describe('server-level endpoints', () => {
  it.each([
    ['PUT /db/newdb, which crashes the store alone', 'PUT', '/db/newdb', 403],
    ['PUT /db/facility-new/, the same with a trailing slash', 'PUT', '/db/facility-new/', 403],
    ['DELETE /db/facility-a', 'DELETE', '/db/facility-a', 403],
    ['GET /db/_all_dbs', 'GET', '/db/_all_dbs', 403],
    ['GET /db/_config', 'GET', '/db/_config', 403],
    ['PUT /db/_config/admins/x', 'PUT', '/db/_config/admins/x', 403],
    ['POST /db/_replicate', 'POST', '/db/_replicate', 403],
    ['GET /db/_uuids', 'GET', '/db/_uuids', 403],
    ['GET /db/_active_tasks', 'GET', '/db/_active_tasks', 403],
    ['GET /db/register-settings/deployment', 'GET', '/db/register-settings/deployment', 404],
  ])('refuses an administrator %s with a clear 4xx', async (_what, method, path, status) => {
    const answer = await admin.request(path, {
      method,
      body: method === 'GET' || method === 'DELETE' ? undefined : {},
    });
    expect(answer.status).toBe(status);
    expect(answer.json).toMatchObject({
      error: status === 404 ? 'not_found' : 'forbidden',
      reason: expect.any(String),
    });
  });

  it.each([
    ['/db/../_all_dbs'],
    ['/db/%2e%2e/_all_dbs'],
    ['/db/../_users/_all_docs'],
    ['/db/facility-a/../../_config'],
  ])('refuses a path that climbs out of /db: %s', async (path) => {
    const answer = await rawRequest(register.current.url, 'GET', path, { cookie: member.cookie });
    expect(answer.status).toBe(400);
    expect(answer.text).not.toContain('facility-a"');
  });

  it('keeps serving afterwards, without the store having died once', async () => {
    expect((await member.get('/db/facility-a/patient:p1')).status).toBe(200);
    expect(register.current.embedded?.restarts()).toBe(0);
    const databases = await register.current.store.expect<string[]>('GET', '/_all_dbs', undefined);
    expect(databases.body).not.toContain('newdb');
    expect(databases.body).not.toContain('facility-new');
  });
});
