/**
 * Request shapes, each found by the hostile-input suites, that the gateway now refuses with a clear 4xx before they
 * reach the store:
 * - writes the gateway and the store would read differently. The gateway judges a write by its path and the body
 *   it parsed; the embedded store takes the id from the body before the path (`PUT /db/x/patient:1` with
 *   `{"_id": "_design/register"}` writes the design document), falls back to `?id=`, lets design and `_local`
 *   documents past validation, and parses JSON in any `utf-*` charset and content type spelt in any case. The
 *   store's `_security` object refused the design documents too, but with a 401 that reads like an ended session;
 * - `/db//…`, which reached the store as `//…` (another host, to a URL parser) and failed with a 500;
 * - `open_revs` that is neither "all" nor a list, multipart bodies (a malformed one killed the store), writes to
 *   read endpoints, and bodies nested thousands of levels deep (the store's code overflowed its stack, and so did
 *   the facility design document's).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useRegister } from '../helpers/start-register.ts';
import { rawRequest } from '../helpers/http.ts';
import { createFacility, createUser, logIn, type Session } from '../helpers/users.ts';

const register = useRegister();
let member: Session;
let admin: Session;

beforeAll(async () => {
  const r = register.current;
  await createFacility(r, 'a');
  const nina = await createUser(r, { name: 'nina', password: 'nina-pass-2026', roles: ['nurse', 'facility:a'] });
  const root = await createUser(r, { name: 'root', password: 'root-pass-2026', roles: ['admin'] });
  member = await logIn(r, nina);
  admin = await logIn(r, root);
});

async function designDocIds(db: string): Promise<string[]> {
  const all = await register.current.store.expect<{ rows: { id: string }[] }>(
    'GET',
    `/${db}/_all_docs?startkey=%22_design%2F%22&endkey=%22_design0%22`,
    undefined,
  );
  return all.body.rows.map((row) => row.id);
}

async function registerRev(db: string): Promise<string> {
  const doc = await register.current.store.getDoc<{ _rev: string }>(db, '_design/register');
  if (!doc) throw new Error(`no design document in ${db}`);
  return doc._rev;
}

/** A replacement that would accept anything: what an attacker would write in place of the facility's rules. */
const permissive = { validate_doc_update: 'function () {}' };

/** UTF-7 spells `_` as `+AF8-`: the gateway reading UTF-8 sees another id than a store decoding UTF-7 would. */
const utf7 = (text: string): string => text.replace(/_/g, '+AF8-');

describe('writing a design document by another name', () => {
  it.each<[string, () => Promise<{ method: string; path: string; body: unknown; headers?: Record<string, string> }>]>([
    [
      'PUT of an ordinary id with the design document’s id in the body',
      async () => ({
        method: 'PUT',
        path: '/db/facility-a/patient:x',
        body: { _id: '_design/register', _rev: await registerRev('facility-a'), ...permissive },
      }),
    ],
    [
      'PUT of an ordinary id with a new design document’s id in the body',
      async () => ({ method: 'PUT', path: '/db/facility-a/patient:y', body: { _id: '_design/evil', ...permissive } }),
    ],
    [
      'PUT of a _local document with a design document’s id in the body',
      async () => ({ method: 'PUT', path: '/db/facility-a/_local/cp', body: { _id: '_design/evil', ...permissive } }),
    ],
    [
      'PUT of a deeper _local path (one id to the store) with a design document’s id in the body',
      async () => ({ method: 'PUT', path: '/db/facility-a/_local/a/b', body: { _id: '_design/evil', ...permissive } }),
    ],
    [
      'PUT with no _id in the body and ?id= naming a design document',
      async () => ({ method: 'PUT', path: '/db/facility-a/patient:z?id=_design%2Fevil', body: permissive }),
    ],
    [
      'POST of a design document with the content type in capitals',
      async () => ({
        method: 'POST',
        path: '/db/facility-a',
        body: { _id: '_design/evil', ...permissive },
        headers: { 'content-type': 'Application/JSON' },
      }),
    ],
    [
      'PUT of a design document id spelt in UTF-7',
      async () => ({
        method: 'PUT',
        path: '/db/facility-a/patient:w',
        body: utf7(JSON.stringify({ _id: '_design/evil', ...permissive })),
        headers: { 'content-type': 'application/json; charset=utf-7' },
      }),
    ],
  ])('refuses a member’s %s, and the design documents stay as they were', async (_what, shape) => {
    const { method, path, body, headers } = await shape();
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const answer = await rawRequest(
      register.current.url,
      method,
      path,
      { cookie: member.cookie, 'content-type': 'application/json', accept: 'application/json', ...headers },
      text,
    );
    // The store's own `_security` answers 401 as a last line; the gateway must see the write for what it is.
    expect([answer.status, JSON.parse(answer.text)]).toEqual([
      expect.any(Number),
      expect.objectContaining({ error: expect.stringMatching(/^(bad_request|forbidden|unsupported_media_type)$/) }),
    ]);
    expect([400, 403, 415]).toContain(answer.status);
    expect(await designDocIds('facility-a')).toEqual(['_design/register']);
    const stored = await register.current.store.getDoc<{ validate_doc_update: string }>(
      'facility-a',
      '_design/register',
    );
    expect(stored?.validate_doc_update).not.toBe(permissive.validate_doc_update);
  });

  it('refuses an administrator’s PUT of an ordinary reference id carrying the design document', async () => {
    const answer = await admin.put('/db/reference/district:x', {
      _id: '_design/register',
      _rev: await registerRev('reference'),
      ...permissive,
    });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ error: 'bad_request' });
    expect(await designDocIds('reference')).toEqual(['_design/register']);
  });

  it('refuses a body whose _id names another document than the path', async () => {
    const answer = await member.put('/db/facility-a/patient:one', { _id: 'patient:two', type: 'patient' });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ error: 'bad_request' });
  });

  it('still accepts a body whose _id is the path’s, and a body without one', async () => {
    const withId = await member.put('/db/facility-a/_local/checkpoint-1', { _id: '_local/checkpoint-1', seq: 1 });
    const withoutId = await member.put('/db/facility-a/_local/checkpoint-2', { seq: 1 });
    expect([withId.status, withoutId.status]).toEqual([201, 201]);
  });
});

describe('paths the store would read as another host', () => {
  it.each(['/db//', '/db//.', '/db//?x=1', '/db//evil.example/x'])(
    'refuses %s with 400 instead of failing on it',
    async (path) => {
      const answer = await rawRequest(register.current.url, 'GET', path, { cookie: admin.cookie });
      expect([answer.status, JSON.parse(answer.text)]).toEqual([
        400,
        expect.objectContaining({ error: 'bad_request' }),
      ]);
    },
  );
});

describe('query values the store fails on', () => {
  it.each(['_local%2Fx', '5', '%7B%7D', '%5B5%5D', 'x'])('refuses open_revs=%s with 400, not a 500', async (value) => {
    const answer = await admin.get(`/db/facility-a/patient:x?open_revs=${value}`);
    expect([answer.status, answer.json]).toEqual([400, expect.objectContaining({ error: 'bad_request' })]);
  });

  it.each(['all', '%5B%221-x%22%5D'])('still accepts open_revs=%s', async (value) => {
    const answer = await admin.get(`/db/facility-a/patient:x?open_revs=${value}`);
    expect(answer.status).toBeLessThan(500);
    expect(answer.status).not.toBe(400);
  });
});

describe('bodies the store parses on its own', () => {
  it.each([
    ['PUT of a document', 'PUT', '/db/facility-a/patient:m', 'multipart/related; boundary=x'],
    ['PUT of a _local document', 'PUT', '/db/facility-a/_local/m', 'multipart/related; boundary=x'],
    ['POST of a document', 'POST', '/db/facility-a', 'multipart/form-data; boundary=x'],
    ['PUT of an attachment', 'PUT', '/db/facility-a/patient:m/file', 'multipart/related; boundary=x'],
  ])('refuses a multipart %s (a malformed one kills the store) with 415', async (_what, method, path, type) => {
    const answer = await rawRequest(
      register.current.url,
      method,
      path,
      { cookie: member.cookie, 'content-type': type, accept: 'application/json' },
      '--x\r\ncontent-type: application/json\r\n\r\n{"_id":',
    );
    expect([answer.status, JSON.parse(answer.text)]).toEqual([
      415,
      expect.objectContaining({ error: 'unsupported_media_type' }),
    ]);
    expect(register.current.embedded?.restarts()).toBe(0);
  });

  it.each(['PUT', 'DELETE'])('refuses %s on a read endpoint such as _find', async (method) => {
    const answer = await member.request('/db/facility-a/_find', { method, body: method === 'PUT' ? {} : undefined });
    expect(answer.status).toBe(405);
  });
});

describe('documents nested deeper than anything the register writes', () => {
  it.each([
    // Under the gateway's limit, over the design document's: refused there (its recursion once overflowed).
    [40, 403, 'forbidden'],
    [1_000, 400, 'bad_request'],
    [100_000, 400, 'bad_request'],
  ])('refuses a document nested %i levels deep with %i, and the store lives', async (depth, status, error) => {
    const nested = '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
    const text = `{"_id":"visit:deep","type":"visit","createdBy":"nina","note":${nested}}`;
    const answer = await rawRequest(
      register.current.url,
      'PUT',
      '/db/facility-a/visit:deep',
      { cookie: member.cookie, 'content-type': 'application/json', accept: 'application/json' },
      text,
    );
    expect([answer.status, JSON.parse(answer.text)]).toEqual([status, expect.objectContaining({ error })]);
    expect(answer.text).not.toMatch(/RangeError|node_modules/);
    expect(register.current.embedded?.restarts()).toBe(0);
    expect((await member.get('/db/facility-a')).status).toBe(200);
  });
});

describe('deeply nested bodies at other endpoints', () => {
  const deep = (depth: number): string => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
  it.each<[string, string, string, (nested: string) => string]>([
    ['a _local document', 'PUT', '/db/facility-a/_local/deep', (nested) => `{"x":${nested}}`],
    ['_find', 'POST', '/db/facility-a/_find', (nested) => `{"selector":{"type":${nested}}}`],
    ['_all_docs', 'POST', '/db/facility-a/_all_docs', (nested) => `{"keys":[${nested}]}`],
    ['_bulk_get', 'POST', '/db/facility-a/_bulk_get', (nested) => `{"docs":[{"id":"x","rev":${nested}}]}`],
    ['_revs_diff', 'POST', '/db/facility-a/_revs_diff', (nested) => `{"x":[${nested}]}`],
  ])('answers %s with a body nested 10,000 deep below 500, and the store lives', async (_what, method, path, body) => {
    const answer = await rawRequest(
      register.current.url,
      method,
      path,
      { cookie: member.cookie, 'content-type': 'application/json', accept: 'application/json' },
      body(deep(10_000)),
    );
    expect([answer.status, JSON.parse(answer.text)]).toEqual([400, expect.objectContaining({ error: 'bad_request' })]);
    expect(answer.text).not.toMatch(/RangeError|node_modules/);
    expect(register.current.embedded?.restarts()).toBe(0);
  });
});

describe('a trailing slash after a document', () => {
  // Found by the endpoint property (seed -2142435755): `/db/_users/<own doc>/.` normalises to a trailing slash,
  // which the store read as an attachment with an empty name — and died.
  it.each(['/db/_users/org.couchdb.user:admin/.', '/db/_users/org.couchdb.user:admin/', '/db/facility-a/visit:1/'])(
    'refuses %s with 400, and the store keeps answering',
    async (path) => {
      const answer = await rawRequest(register.current.url, 'GET', path, { cookie: admin.cookie });
      expect(answer.status).toBe(400);
      const health = await fetch(`${register.current.url}/api/health`);
      expect(health.status).toBe(200);
    },
  );
});
