/**
 * The `audit` database through the gateway: administrators read it, and nobody — administrator, member, analyst,
 * anonymous — adds, changes, deletes, purges, compacts or re-secures anything in it by any endpoint or method, nor
 * deletes the database. The events that were there keep their revisions and gain no conflicting branch.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useRegister } from '../helpers/start-register.ts';
import { rawRequest } from '../helpers/http.ts';
import { createFacility, createUser, firstAdmin, logIn, type Session } from '../helpers/users.ts';

const register = useRegister();
const sessions: Record<string, Session | null> = { anonymous: null };
let events: { id: string; rev: string }[] = [];
let first = { id: '', rev: '' };

interface AllDocs {
  rows: { id: string; value: { rev: string; deleted?: boolean } }[];
}

async function auditRows(): Promise<AllDocs['rows']> {
  return (await register.current.store.expect<AllDocs>('GET', '/audit/_all_docs', undefined)).body.rows.filter(
    (row) => !row.id.startsWith('_design/'),
  );
}

beforeAll(async () => {
  const r = register.current;
  await createFacility(r, 'a');
  sessions.administrator = await logIn(r, await firstAdmin(r));
  sessions.member = await logIn(
    r,
    await createUser(r, { name: 'nina', password: 'nina-pass-2026', roles: ['nurse', 'facility:a'] }),
  );
  sessions.analyst = await logIn(
    r,
    await createUser(r, { name: 'ana', password: 'ana-pass-2026', roles: ['analyst'] }),
  );
  sessions['administrator and member'] = await logIn(
    r,
    await createUser(r, { name: 'root', password: 'root-pass-2026', roles: ['admin', 'facility:a'] }),
  );
  events = (await auditRows()).map((row) => ({ id: row.id, rev: row.value.rev }));
  first = events[0] ?? first;
});

const NEW_ID = 'audit:nina:2026-11-29T09:00:00.000Z:forged';
const forged = { _id: NEW_ID, type: 'audit', event: 'login', login: 'nina', at: '2026-11-29T09:00:00.000Z' };

/** [what, method, path after /db/audit, body] — every way to change the audit trail the gateway could be asked. */
function attempts(): [string, string, string, unknown][] {
  const existing = encodeURIComponent(first.id);
  return [
    ['PUT a new event', 'PUT', `/${encodeURIComponent(NEW_ID)}`, forged],
    ['POST a new event', 'POST', '', forged],
    ['_bulk_docs with a new event', 'POST', '/_bulk_docs', { docs: [forged] }],
    [
      '_bulk_docs with a conflicting branch (new_edits: false)',
      'POST',
      '/_bulk_docs',
      { new_edits: false, docs: [{ _id: first.id, _rev: '1-forged', type: 'audit', event: 'x', at: 'x' }] },
    ],
    [
      'PUT a changed event',
      'PUT',
      `/${existing}`,
      { _id: first.id, _rev: first.rev, type: 'audit', event: 'x', at: 'x' },
    ],
    ['DELETE an event', 'DELETE', `/${existing}?rev=${first.rev}`, undefined],
    [
      '_bulk_docs deleting an event',
      'POST',
      '/_bulk_docs',
      { docs: [{ _id: first.id, _rev: first.rev, _deleted: true }] },
    ],
    ['COPY an event', 'COPY', `/${existing}`, undefined],
    ['PUT an attachment', 'PUT', `/${existing}/note.txt?rev=${first.rev}`, 'text'],
    ['DELETE an attachment', 'DELETE', `/${existing}/note.txt?rev=${first.rev}`, undefined],
    ['PUT a _local document', 'PUT', '/_local/x', { any: 1 }],
    ['PUT the design document', 'PUT', '/_design/register', { validate_doc_update: 'function () {}' }],
    ['DELETE the design document', 'DELETE', '/_design/register', undefined],
    ['_purge', 'POST', '/_purge', { [first.id]: [first.rev] }],
    ['PUT _security', 'PUT', '/_security', { members: { roles: [] }, admins: { roles: [] } }],
    ['_compact', 'POST', '/_compact', {}],
    ['_view_cleanup', 'POST', '/_view_cleanup', {}],
    ['PUT _revs_limit', 'PUT', '/_revs_limit', 1],
    ['POST _index', 'POST', '/_index', { index: { fields: ['event'] } }],
    ['DELETE the database', 'DELETE', '', undefined],
    ['PUT the database', 'PUT', '', undefined],
  ];
}

describe('the audit database through the gateway', () => {
  it.each(['administrator', 'administrator and member', 'member', 'analyst', 'anonymous'])(
    'refuses every change by %s',
    async (who) => {
      const session = sessions[who] ?? null;
      for (const [what, method, path, body] of attempts()) {
        const headers: Record<string, string> = { accept: 'application/json' };
        if (session) headers.cookie = session.cookie;
        if (body !== undefined) headers['content-type'] = typeof body === 'string' ? 'text/plain' : 'application/json';
        if (method === 'COPY') headers.destination = NEW_ID;
        const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
        const answer = await rawRequest(register.current.url, method, `/db/audit${path}`, headers, text);
        expect([what, answer.status >= 400 && answer.status < 500]).toEqual([what, true]);
        if (session === null) expect([what, answer.status]).toEqual([what, 401]);
      }
    },
  );

  it('keeps every event that was there, at its revision, with no new branch and no forged event', async () => {
    const rows = new Map((await auditRows()).map((row) => [row.id, row.value]));
    for (const event of events) expect(rows.get(event.id)).toEqual({ rev: event.rev });
    expect(rows.has(NEW_ID)).toBe(false);
    const withConflicts = await register.current.store.expect<{ _conflicts?: string[] }>(
      'GET',
      `/audit/${encodeURIComponent(first.id)}?conflicts=true`,
      undefined,
    );
    expect(withConflicts.body._conflicts).toBeUndefined();
    const security = await register.current.store.expect<{ members: unknown }>('GET', '/audit/_security', undefined);
    expect(security.body.members).toEqual({ names: [], roles: ['_admin', 'admin'] });
    expect(await register.current.store.getDoc('audit', '_local/x')).toBeNull();
  });

  const read = (who: string) =>
    rawRequest(register.current.url, 'GET', '/db/audit/_all_docs', {
      cookie: sessions[who]?.cookie ?? '',
      accept: 'application/json',
    });

  it('answers members and analysts as if it did not exist', async () => {
    for (const who of ['member', 'analyst']) expect((await read(who)).status).toBe(404);
  });

  it('lets administrators read it', async () => {
    expect((await read('administrator')).status).toBe(200);
  });

  it.each(['POST', 'PUT', 'PATCH', 'DELETE'])('refuses %s /api/admin/audit', async (method) => {
    const answer = await rawRequest(
      register.current.url,
      method,
      '/api/admin/audit',
      { cookie: sessions.administrator?.cookie ?? '', 'content-type': 'application/json' },
      JSON.stringify(forged),
    );
    expect(answer.status).toBe(404);
    expect(await register.current.store.getDoc('audit', NEW_ID)).toBeNull();
  });
});
