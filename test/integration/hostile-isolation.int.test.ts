/**
 * Isolation between facilities: a member of facility A reaches nothing of facility B through any endpoint of the
 * gateway, with any method, and learns not even that B exists — every answer about `facility-b` is byte for byte
 * the answer about a facility that does not exist. Facility B's database is unchanged afterwards, while a member
 * of B gets through the same endpoints (so the refusals are the gateway's rule, not broken requests).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useRegister } from '../helpers/start-register.ts';
import { rawRequest, type RawResult } from '../helpers/http.ts';
import { createFacility, createUser, logIn, type Session } from '../helpers/users.ts';
import { patientRecord, visit } from '../../common/records/test-fixtures.ts';

const register = useRegister();
const SECRET = 'facility-b-only';
const patient = patientRecord();
const patientPath = encodeURIComponent(patient._id);
const visitOfB = { ...visit(), note: { v: 1, kid: 'b:1', iv: 'AAECAwQFBgcICQoL', ct: 'Y2lwaGVydGV4dA' } };
let memberOfA: Session;
let analyst: Session;
let memberOfB: Session;
let before: { doc_count: number; update_seq: unknown };

beforeAll(async () => {
  const r = register.current;
  await createFacility(r, 'a');
  await createFacility(r, 'b');
  await r.store.expect('PUT', `/facility-b/${patientPath}`, {
    ...patient,
    createdBy: 'boris',
    _attachments: { 'secret.txt': { content_type: 'text/plain', data: btoa(SECRET) } },
  });
  await r.store.expect('PUT', `/facility-b/${encodeURIComponent(visitOfB._id)}`, visitOfB);
  await r.store.expect('PUT', `/facility-b/_local/checkpoint`, { secret: SECRET });
  const users = [
    { name: 'nina', password: 'nina-pass-2026', roles: ['nurse', 'facility:a'] },
    { name: 'ana', password: 'ana-pass-2026', roles: ['analyst'] },
    { name: 'boris', password: 'boris-pass-2026', roles: ['doctor', 'facility:b'] },
  ];
  [memberOfA, analyst, memberOfB] = await Promise.all(users.map(async (user) => logIn(r, await createUser(r, user))));
  before = (await r.store.expect<{ doc_count: number; update_seq: unknown }>('GET', '/facility-b', undefined)).body;
});

/** [method, path after the database name, body] — every way into a database, reading and writing. */
type Probe = [string, string, unknown];

const ENDPOINTS: [string, unknown][] = [
  ['', { _id: 'patient:new', type: 'patient' }],
  ['/_all_docs?include_docs=true', { keys: [patient._id] }],
  [
    `/_changes?include_docs=true&filter=_doc_ids&doc_ids=${encodeURIComponent(JSON.stringify([patient._id]))}`,
    { doc_ids: [patient._id] },
  ],
  ['/_changes?include_docs=true&style=all_docs', {}],
  ['/_bulk_get?revs=true', { docs: [{ id: patient._id }] }],
  ['/_find', { selector: { type: 'patient' } }],
  ['/_explain', { selector: { type: 'patient' } }],
  ['/_index', { index: { fields: ['type'] } }],
  ['/_revs_diff', { [patient._id]: ['1-x'] }],
  ['/_missing_revs', { [patient._id]: ['1-x'] }],
  ['/_bulk_docs', { docs: [{ _id: patient._id, _rev: '1-x', _deleted: true }] }],
  ['/_ensure_full_commit', {}],
  ['/_design_docs', undefined],
  [`/${patientPath}`, { ...patient, _rev: '1-x' }],
  [`/${patientPath}?open_revs=all&revs=true&attachments=true`, undefined],
  [`/${patientPath}?rev=1-x`, undefined],
  [`/${patientPath}/secret.txt`, SECRET],
  [`/${patientPath}/secret.txt?rev=1-x`, SECRET],
  ['/_local/checkpoint', { secret: 'overwritten' }],
  ['/_local%2Fcheckpoint', { secret: 'overwritten' }],
  ['/_design/register', { validate_doc_update: 'function () {}' }],
  ['/_design%2Fregister', { validate_doc_update: 'function () {}' }],
  ['/_design/register/_view/none', { keys: [] }],
  ['/_design/register/_info', undefined],
  ['/_security', { members: { roles: ['facility:a'] } }],
  ['/_purge', { [patient._id]: ['1-x'] }],
  ['/_compact', {}],
  ['/_revs_limit', 1],
  ['/_view_cleanup', {}],
];
const METHODS = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'COPY', 'PATCH'];
const PROBES: Probe[] = ENDPOINTS.flatMap(([path, body]) => METHODS.map((method): Probe => [method, path, body]));

function probe(session: Session, db: string, [method, path, body]: Probe): Promise<RawResult> {
  const headers: Record<string, string> = { cookie: session.cookie, accept: 'application/json' };
  if (method === 'COPY') headers.destination = 'patient:copied';
  const sendsBody = body !== undefined && !['GET', 'HEAD', 'DELETE', 'COPY'].includes(method);
  if (sendsBody) headers['content-type'] = typeof body === 'string' ? 'text/plain' : 'application/json';
  const text = sendsBody ? (typeof body === 'string' ? body : JSON.stringify(body)) : undefined;
  return rawRequest(register.current.url, method, `/db/${db}${path}`, headers, text);
}

/** What a caller can observe: status, content type and body (the rest of the headers are the same everywhere). */
function observed(answer: RawResult): [number, string | undefined, string] {
  return [answer.status, answer.headers['content-type'], answer.text];
}

describe('a member of facility A and facility B', () => {
  it(`gets for each of ${PROBES.length} requests into facility B exactly the answer for a facility that does not exist`, async () => {
    const differing: string[] = [];
    const statuses = new Set<number>();
    for (const request of PROBES) {
      for (const [who, session] of [
        ['member of A', memberOfA],
        ['analyst', analyst],
      ] as const) {
        const existing = await probe(session, 'facility-b', request);
        const missing = await probe(session, 'facility-nonexistent', request);
        statuses.add(existing.status);
        if (JSON.stringify(observed(existing)) !== JSON.stringify(observed(missing)))
          differing.push(
            `${who} ${request[0]} ${request[1]}: ${existing.status} ${existing.text} ≠ ${missing.status} ${missing.text}`,
          );
        expect(existing.text).not.toContain(SECRET);
        expect(existing.text).not.toContain(patient._id.slice('patient:'.length));
        expect(existing.status).toBeGreaterThanOrEqual(400);
      }
    }
    expect(differing).toEqual([]);
    // Only "does not exist" and the refusals that come before any look at the database.
    expect([...statuses].sort()).toEqual([403, 404, 405]);
  });

  it('finds facility B exactly as it was', async () => {
    const after = await register.current.store.expect<{ doc_count: number; update_seq: unknown }>(
      'GET',
      '/facility-b',
      undefined,
    );
    expect(after.body).toMatchObject({ doc_count: before.doc_count, update_seq: before.update_seq });
    const local = await register.current.store.getDoc<{ secret: string }>('facility-b', '_local/checkpoint');
    expect(local?.secret).toBe(SECRET);
    expect(await register.current.store.getDoc('facility-b', 'patient:copied')).toBeNull();
  });

  it.each<[string, string, string, unknown]>([
    ['a document', 'GET', `/${patientPath}`, undefined],
    ['_all_docs', 'GET', '/_all_docs?include_docs=true', undefined],
    ['_changes', 'GET', '/_changes?include_docs=true', undefined],
    ['_bulk_get', 'POST', '/_bulk_get', { docs: [{ id: patient._id }] }],
    ['_find', 'POST', '/_find', { selector: { type: 'patient' } }],
    ['an attachment', 'GET', `/${patientPath}/secret.txt`, undefined],
    ['a _local document', 'GET', '/_local/checkpoint', undefined],
    ['_revs_diff', 'POST', '/_revs_diff', { [patient._id]: ['1-x'] }],
  ])('lets a member of B read %s through the same gateway', async (_what, method, path, body) => {
    const answer = await probe(memberOfB, 'facility-b', [method, path, body]);
    expect(answer.status).toBe(200);
  });

  it('answers the same to a member of A whose session names facility B in a query or body only', async () => {
    const viaA = await probe(memberOfA, 'facility-a', [
      'POST',
      '/_bulk_get',
      { docs: [{ id: `../facility-b/${patient._id}` }] },
    ]);
    expect(viaA.status).toBe(200);
    expect(viaA.text).not.toContain(SECRET);
    expect(viaA.text).not.toContain('"ok"');
  });
});
