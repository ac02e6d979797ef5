/**
 * Request shapes that crash the embedded store, or make it answer with a stack trace, are refused by the gateway
 * with a clear 400/403 — and the store keeps running. (What they do to the store alone: supervisor.int.test.ts.)
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useRegister } from '../helpers/start-register.ts';
import { send } from '../helpers/http.ts';
import { createFacility, createUser, logIn, storeSession, storeUrl, type Session } from '../helpers/users.ts';

const register = useRegister();
let member: Session;
let memberAtStore: string;

beforeAll(async () => {
  await createFacility(register.current, 'a');
  const nina = await createUser(register.current, {
    name: 'nina',
    password: 'nina-pass-2026',
    roles: ['nurse', 'facility:a'],
  });
  member = await logIn(register.current, nina);
  memberAtStore = await storeSession(register.current, nina);
});

describe('_changes shapes that crash the store', () => {
  it.each([
    [
      'POST with filter=_selector and the selector in the body (what PouchDB sends)',
      'POST',
      '?filter=_selector',
      { selector: { type: 'patient' } },
    ],
    ['GET with a selector that is not an object', 'GET', '?filter=_selector&selector=5', undefined],
    [
      'GET with a selector the matcher throws on',
      'GET',
      `?filter=_selector&selector=${encodeURIComponent('{"$and":5}')}`,
      undefined,
    ],
    ['GET with a selector and no filter', 'GET', '?selector=5', undefined],
    ['GET with a view filter', 'GET', '?filter=_view&view=register/none', undefined],
    ['GET with a view and no filter', 'GET', '?view=register/none', undefined],
    ['GET with a design-document filter', 'GET', '?filter=register/none', undefined],
    ['GET with filter=_doc_ids but no ids', 'GET', '?filter=_doc_ids', undefined],
    ['GET with a bracketed parameter', 'GET', '?filter[]=_view', undefined],
  ])('refuses %s with 400', async (_what, method, query, body) => {
    const answer = await member.request(`/db/facility-a/_changes${query}`, { method, body });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ error: 'bad_request', reason: expect.any(String) });
  });
});

describe('design-document endpoints the register does not use (a list crashes the store)', () => {
  it.each([
    ['a list function', '/_design/register/_list/none/none'],
    ['a show function', '/_design/register/_show/none'],
    ['a rewrite', '/_design/register/_rewrite/none'],
  ])('refuses %s with 403', async (_what, path) => {
    const answer = await member.get(`/db/facility-a${path}`);
    expect(answer.status).toBe(403);
  });

  it('still lets a member read the design document and its _info', async () => {
    expect((await member.get('/db/facility-a/_design/register')).status).toBe(200);
    expect((await member.get('/db/facility-a/_design/register/_info')).status).toBe(200);
  });
});

describe('bodies the store answers with a stack trace', () => {
  it.each([
    ['_bulk_docs with "docs" that is not a list', '/_bulk_docs', 'POST', { docs: 5 }],
    ['_bulk_docs with a null document', '/_bulk_docs', 'POST', { docs: [null] }],
    ['_bulk_docs with a numeric _id', '/_bulk_docs', 'POST', { docs: [{ _id: 5, type: 'patient' }] }],
    ['a document with a numeric _id', '/patient:n1', 'PUT', { _id: 5, type: 'patient' }],
    ['_bulk_get with "docs" that is not a list', '/_bulk_get', 'POST', { docs: 5 }],
  ])('refuses %s with 400 and no internals', async (_what, path, method, body) => {
    const answer = await member.request(`/db/facility-a${path}`, { method, body });
    expect(answer.status).toBe(400);
    expect(answer.text).not.toMatch(/\n\s+at |node_modules|TypeError/);
  });

  it('the store alone answers "docs": 5 with its HTML error page and a stack trace', async () => {
    const answer = await send(storeUrl(register.current), '/facility-a/_bulk_docs', {
      method: 'POST',
      body: { docs: 5 },
      cookie: memberAtStore,
    });
    expect(answer.status).toBe(500);
    expect(answer.text).toContain('node_modules');
  });
});

describe('afterwards', () => {
  it('the store has not died once, and the gateway serves', async () => {
    expect((await member.get('/db/facility-a/_all_docs')).status).toBe(200);
    expect(register.current.embedded?.restarts()).toBe(0);
  });
});
