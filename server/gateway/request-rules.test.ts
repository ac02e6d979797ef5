import { describe, expect, it } from 'vitest';
import {
  MAX_BODY_NESTING,
  databaseAccess,
  nestedDeeperThan,
  pathSegments,
  ruleFor,
  type CallerContext,
  type RuleResult,
} from './request-rules.ts';

const admin: CallerContext = { name: 'admin', roles: ['admin'] };
const nurseOfA: CallerContext = { name: 'nina', roles: ['nurse', 'facility:a'] };
const doctorOfB: CallerContext = { name: 'boris', roles: ['doctor', 'facility:b'] };
const analyst: CallerContext = { name: 'ana', roles: ['analyst'] };
const nobody: CallerContext = { name: 'nobody', roles: [] };

/** The rule for `METHOD /db/<path>?<query>` with an optional JSON body. */
function rule(caller: CallerContext, method: string, path: string, body: unknown = null): RuleResult {
  const url = new URL(`/db/${path}`, 'http://gateway.invalid');
  const segments = pathSegments(url.pathname);
  if (!segments) throw new Error(`invalid path ${path}`);
  return ruleFor({ method, segments, query: url.searchParams, body }, caller);
}

/** Status and error of a refusal, or the kind of an allowed request: `allow:feed`, `403 forbidden`… */
function outcome(result: RuleResult): string {
  return result.action === 'allow' ? `allow:${result.kind}` : `${result.status} ${result.error}`;
}

describe('request rules: who reaches which database', () => {
  it.each([
    ['a member', nurseOfA, 'facility-a', 'write'],
    ['a member of another facility', doctorOfB, 'facility-a', 'none'],
    ['an administrator', admin, 'facility-a', 'write'],
    ['an analyst', analyst, 'facility-a', 'none'],
    ['staff', nurseOfA, 'reference', 'read'],
    ['an analyst', analyst, 'reference', 'read'],
    ['an administrator', admin, 'reference', 'write'],
    ['an account without roles', nobody, 'reference', 'none'],
    ['an administrator', admin, 'audit', 'read'],
    ['staff', nurseOfA, 'audit', 'none'],
    ['an administrator', admin, 'register-settings', 'none'],
    ['a member', nurseOfA, 'facility-A', 'none'],
  ])('gives %s %s access to %s… as %s', (_who, caller, db, access) => {
    expect(databaseAccess(db, caller)).toBe(access);
  });
});

describe('request rules: facility databases', () => {
  const notFound = { action: 'deny', status: 404, error: 'not_found', reason: 'Database does not exist.' };

  it.each([
    ['GET', 'facility-a/patient:1'],
    ['GET', 'facility-a/_all_docs'],
    ['POST', 'facility-a/_find'],
    ['POST', 'facility-a/_bulk_get'],
    ['POST', 'facility-a/_explain'],
    ['GET', 'facility-a/_index'],
    ['POST', 'facility-a/_index'],
    ['GET', 'facility-a/_changes'],
    ['PUT', 'facility-a/patient:1'],
    ['GET', 'facility-a/_design/register'],
  ])('answers a non-member %s %s exactly as for a database that does not exist', (method, path) => {
    expect(rule(doctorOfB, method, path, { selector: {} })).toEqual(notFound);
    expect(rule(doctorOfB, method, path.replace('facility-a', 'facility-nonexistent'), { selector: {} })).toEqual(
      notFound,
    );
  });

  it.each([
    ['GET', 'facility-a', 'allow:plain'],
    ['GET', 'facility-a/patient:1', 'allow:plain'],
    ['PUT', 'facility-a/patient:1', 'allow:plain'],
    ['DELETE', 'facility-a/patient:1', 'allow:plain'],
    ['POST', 'facility-a/_find', 'allow:plain'],
    ['POST', 'facility-a/_bulk_get', 'allow:plain', { docs: [{ id: 'patient:1' }] }],
    ['POST', 'facility-a/_revs_diff', 'allow:plain'],
    ['POST', 'facility-a/_bulk_docs', 'allow:plain', { docs: [{ _id: 'patient:1' }, { type: 'visit' }] }],
    ['PUT', 'facility-a/_local/checkpoint', 'allow:plain'],
    ['GET', 'facility-a/_index', 'allow:plain'],
    ['GET', 'facility-a/_design/register', 'allow:plain'],
    ['POST', 'facility-a/_design/register/_view/by-date', 'allow:plain'],
    ['GET', 'facility-a/_design/register/_view/by-date', 'allow:plain'],
    ['GET', 'facility-a/_design/register/_info', 'allow:plain'],
    ['GET', 'facility-a/_design/register/_list/x/y', '403 forbidden'],
    ['GET', 'facility-a/_design/register/_show/x', '403 forbidden'],
    ['GET', 'facility-a/_design/register/_rewrite/x', '403 forbidden'],
    ['GET', 'facility-a/_design/register/attachment.txt', '403 forbidden'],
    ['POST', 'facility-a/_index', '403 forbidden'],
    ['PUT', 'facility-a/_design/x', '403 forbidden'],
    ['PUT', 'facility-a/_design%2Fx', '403 forbidden'],
    ['DELETE', 'facility-a/_design/register', '403 forbidden'],
    ['POST', 'facility-a/_design/register/_update/x', '403 forbidden'],
    ['POST', 'facility-a/_purge', '403 forbidden'],
    ['GET', 'facility-a/_security', '403 forbidden'],
    ['PUT', 'facility-a/_security', '403 forbidden'],
    ['POST', 'facility-a/_compact', '403 forbidden'],
    ['PUT', 'facility-a/_revs_limit', '403 forbidden'],
    ['POST', 'facility-a/_temp_view', '403 forbidden'],
    ['POST', 'facility-a/_unknown_endpoint', '403 forbidden'],
    ['PUT', 'facility-a', '403 forbidden'],
    ['PUT', 'facility-a/', '403 forbidden'],
    ['DELETE', 'facility-a', '403 forbidden'],
    ['DELETE', 'facility-a/', '403 forbidden'],
    ['POST', 'facility-a/patient:1', '405 method_not_allowed'],
    ['PUT', 'facility-a/_bulk_docs', '405 method_not_allowed'],
    ['COPY', 'facility-a/patient:1', '405 method_not_allowed'],
  ])('lets a member %s %s → %s', (method, path, expected, body: unknown = {}) => {
    expect(outcome(rule(nurseOfA, method, path, body))).toBe(expected);
  });

  it.each([
    ['POST', 'facility-a/_bulk_docs', { docs: 5 }],
    ['POST', 'facility-a/_bulk_docs', { docs: [null] }],
    ['POST', 'facility-a/_bulk_docs', { docs: [{ _id: 5 }] }],
    ['POST', 'facility-a/_bulk_docs', null],
    ['POST', 'facility-a/_bulk_get', { docs: 5 }],
    ['POST', 'facility-a/_bulk_get', { docs: [5] }],
    ['PUT', 'facility-a/patient:1', { _id: 5 }],
    ['PUT', 'facility-a/patient:1', [1]],
    ['PUT', 'facility-a/_local/checkpoint', { _id: 5 }],
    ['POST', 'facility-a', { _id: 5 }],
    ['POST', 'facility-a', [1]],
  ])('refuses a member’s %s %s with a body the store would choke on (%j)', (method, path, body) => {
    expect(outcome(rule(nurseOfA, method, path, body))).toBe('400 bad_request');
  });

  it('leaves a body it could not read (an attachment, another content type) to the store', () => {
    expect(outcome(rule(nurseOfA, 'PUT', 'facility-a/patient:1', null))).toBe('allow:plain');
    expect(outcome(rule(nurseOfA, 'PUT', 'facility-a/patient:1/scan.png', 'binary'))).toBe('allow:plain');
  });

  it.each([
    ['POST to the database', 'facility-a', { _id: '_design/x', views: {} }],
    ['_bulk_docs with docs', 'facility-a/_bulk_docs', { docs: [{ _id: 'patient:1' }, { _id: '_design/x' }] }],
    ['_bulk_docs as a bare list', 'facility-a/_bulk_docs', [{ _id: '_design/x' }]],
  ])('refuses a design document hidden in a %s', (_shape, path, body) => {
    expect(rule(nurseOfA, 'POST', path, body)).toMatchObject({
      status: 403,
      reason: 'Design documents are written by the server only.',
    });
  });

  it('lets a member POST an ordinary document to the database', () => {
    expect(outcome(rule(nurseOfA, 'POST', 'facility-a', { _id: 'patient:1' }))).toBe('allow:plain');
  });
});

describe('request rules: reference and audit', () => {
  it.each([
    ['a nurse', nurseOfA, 'GET', 'reference/medicament:1', 'allow:plain'],
    ['an analyst', analyst, 'POST', 'reference/_all_docs', 'allow:plain'],
    ['a nurse', nurseOfA, 'PUT', 'reference/medicament:1', '403 forbidden'],
    ['a nurse', nurseOfA, 'POST', 'reference/_bulk_docs', '403 forbidden'],
    ['a nurse', nurseOfA, 'PUT', 'reference/_local/checkpoint', '403 forbidden'],
    ['an administrator', admin, 'PUT', 'reference/medicament:1', 'allow:plain'],
    ['an administrator', admin, 'GET', 'audit/_all_docs', 'allow:plain'],
    ['an administrator', admin, 'PUT', 'audit/audit:admin:x', '403 forbidden'],
    ['a nurse', nurseOfA, 'GET', 'audit/_all_docs', '404 not_found'],
  ])('lets %s %s %s → %s', (_who, caller, method, path, expected) => {
    expect(outcome(rule(caller, method, path, {}))).toBe(expected);
  });
});

describe('request rules: _users and server endpoints', () => {
  it('lets a user read their own account document, to be shown without its hash', () => {
    expect(outcome(rule(nurseOfA, 'GET', '_users/org.couchdb.user:nina'))).toBe('allow:own-user-doc');
  });

  it.each([
    ['GET', '_users/org.couchdb.user:boris', '403 forbidden'],
    ['GET', '_users/org.couchdb.user:nina?open_revs=all', '400 bad_request'],
    ['GET', '_users/org.couchdb.user:nina/attachment', '403 forbidden'],
    ['PUT', '_users/org.couchdb.user:nina', '403 forbidden'],
    ['DELETE', '_users/org.couchdb.user:nina', '403 forbidden'],
    ['POST', '_users/_find', '403 forbidden'],
    ['POST', '_users/_bulk_get', '403 forbidden'],
    ['GET', '_users/_all_docs', '403 forbidden'],
    ['GET', '_users/_changes', '403 forbidden'],
    ['GET', '_users', '403 forbidden'],
    ['GET', '_all_dbs', '403 forbidden'],
    ['GET', '_config', '403 forbidden'],
    ['POST', '_replicate', '403 forbidden'],
    ['GET', '_uuids', '403 forbidden'],
    ['GET', '_active_tasks', '403 forbidden'],
    ['PUT', 'newdb', '403 forbidden'],
    ['PUT', 'newdb/', '403 forbidden'],
    ['POST', '', '403 forbidden'],
    ['GET', '', 'allow:plain'],
  ])('refuses a user (even an administrator) %s %s → %s', (method, path, expected) => {
    const caller = path.startsWith('_users/org.couchdb.user:nina') ? nurseOfA : admin;
    expect(outcome(rule(caller, method, path))).toBe(expected);
  });
});

describe('request rules: _changes', () => {
  it.each([
    ['GET', 'facility-a/_changes', null, 'allow:plain'],
    ['GET', 'facility-a/_changes?feed=continuous', null, 'allow:feed'],
    ['GET', 'facility-a/_changes?feed=eventsource', null, 'allow:feed'],
    ['GET', 'facility-a/_changes?feed=%22continuous%22', null, 'allow:feed'],
    ['GET', 'facility-a/_changes?feed=longpoll&timeout=1000', null, 'allow:longpoll'],
    ['POST', 'facility-a/_changes?filter=_doc_ids', { doc_ids: ['patient:1'] }, 'allow:plain'],
    ['GET', 'facility-a/_changes?filter=_doc_ids&doc_ids=%5B%22patient:1%22%5D', null, 'allow:plain'],
    ['POST', 'facility-a/_changes?filter=_selector', { selector: { type: 'patient' } }, '400 bad_request'],
    ['GET', 'facility-a/_changes?filter=_selector&selector=5', null, '400 bad_request'],
    ['GET', 'facility-a/_changes?filter=_selector&selector=%7B%22%24and%22%3A5%7D', null, '400 bad_request'],
    ['GET', 'facility-a/_changes?selector=5', null, '400 bad_request'],
    ['GET', 'facility-a/_changes?filter=%22_selector%22&selector=5', null, '400 bad_request'],
    ['GET', 'facility-a/_changes?filter=_view&view=register/x', null, '400 bad_request'],
    ['GET', 'facility-a/_changes?view=register/x', null, '400 bad_request'],
    ['GET', 'facility-a/_changes?filter=register/x', null, '400 bad_request'],
    ['GET', 'facility-a/_changes?filter=_doc_ids', null, '400 bad_request'],
    ['POST', 'facility-a/_changes?filter=_doc_ids', {}, '400 bad_request'],
    ['POST', 'facility-a/_changes?filter=_doc_ids', { doc_ids: 5 }, '400 bad_request'],
    ['GET', 'facility-a/_changes?doc_ids=5', null, '400 bad_request'],
    ['GET', 'facility-a/_changes?filter[]=_view', null, '400 bad_request'],
  ])('%s %s (body %j) → %s', (method, path, body, expected) => {
    expect(outcome(rule(nurseOfA, method, path, body))).toBe(expected);
  });
});

describe('request rules: paths', () => {
  it.each([
    ['/db', []],
    ['/db/', []],
    ['/db/facility-a', ['facility-a']],
    ['/db/facility-a/', ['facility-a']],
    ['/db/facility-a/patient%3A1', ['facility-a', 'patient:1']],
    ['/db/facility-a/_design/register', ['facility-a', '_design', 'register']],
    ['/db/facility-a/_design%2Fregister/_view/v', ['facility-a', '_design', 'register', '_view', 'v']],
    ['/db/facility-a/_local%2Fcheckpoint', ['facility-a', '_local', 'checkpoint']],
  ])('splits %s into %j', (path, segments) => {
    expect(pathSegments(path)).toEqual(segments);
  });

  it.each([
    ['a path outside /db, as /db/../_all_dbs normalises to', '/_all_dbs'],
    ['a path that only starts like /db', '/dbx/facility-a'],
    ['an empty segment', '/db/facility-a//_all_docs'],
    ['a broken percent escape', '/db/facility-a/%E0%A4%A'],
  ])('refuses %s', (_what, path) => {
    expect(pathSegments(path)).toBeNull();
  });

  it('sees where /db/../ leads once the URL is parsed', () => {
    expect(pathSegments(new URL('/db/../_all_dbs', 'http://gateway.invalid').pathname)).toBeNull();
    expect(pathSegments(new URL('/db/%2e%2e/_config', 'http://gateway.invalid').pathname)).toBeNull();
  });

  it('refuses query parameters in bracket syntax, which the store turns into objects', () => {
    expect(outcome(rule(nurseOfA, 'GET', 'facility-a/_all_docs?keys[0]=a'))).toBe('400 bad_request');
  });
});

describe('request rules: shapes the store mishandles', () => {
  it.each([
    ['a body naming another document', 'PUT', 'facility-a/visit:1', { _id: '_design/register' }, '400 bad_request'],
    ['a body naming the same document', 'PUT', 'facility-a/visit:1', { _id: 'visit:1' }, 'allow:plain'],
    ['a body without an id', 'PUT', 'facility-a/visit:1', { type: 'visit' }, 'allow:plain'],
    ['a local document naming another', 'PUT', 'facility-a/_local/a', { _id: '_local/b' }, '400 bad_request'],
    ['an id in the query', 'PUT', 'facility-a/visit:1?id=_design/x', { type: 'visit' }, '400 bad_request'],
    [
      'open_revs that is neither "all" nor a list',
      'GET',
      'facility-a/visit:1?open_revs=_local/x',
      null,
      '400 bad_request',
    ],
    ['open_revs=all', 'GET', 'facility-a/visit:1?open_revs=all', null, 'allow:plain'],
    ['PUT on a read endpoint', 'PUT', 'facility-a/_all_docs', {}, '405 method_not_allowed'],
    ['DELETE on a read endpoint', 'DELETE', 'facility-a/_find', null, '405 method_not_allowed'],
  ])('%s: %s %s → %s', (_what, method, path, body, expected) => {
    expect(outcome(rule(nurseOfA, method, path, body))).toBe(expected);
  });

  it('refuses /db// (the store would read "//" as another host)', () => {
    expect(pathSegments('/db//.')).toBeNull();
    expect(pathSegments('/db//facility-a')).toBeNull();
  });

  it('refuses a trailing slash after a document (an empty attachment name kills the store), not after a database', () => {
    expect(pathSegments('/db/_users/org.couchdb.user:admin/')).toBeNull();
    expect(pathSegments('/db/facility-a/visit:1/')).toBeNull();
    expect(pathSegments('/db/facility-a/')).toEqual(['facility-a']);
  });

  it('measures nesting without recursion, also far beyond the call stack', () => {
    let deep: unknown = 'leaf';
    for (let level = 0; level < 100_000; level += 1) deep = [deep];
    expect(nestedDeeperThan(deep, MAX_BODY_NESTING)).toBe(true);
    let shallow: unknown = { a: 1 };
    for (let level = 0; level < MAX_BODY_NESTING - 1; level += 1) shallow = { next: shallow };
    expect(nestedDeeperThan(shallow, MAX_BODY_NESTING)).toBe(false);
    expect(nestedDeeperThan({ next: { next: shallow } }, MAX_BODY_NESTING)).toBe(true);
    expect(nestedDeeperThan('text', 0)).toBe(false);
  });
});
