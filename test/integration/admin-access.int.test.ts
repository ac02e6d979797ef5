/**
 * Only administrators reach the administration API: every route refuses other staff with 403 and callers
 * without a session with 401, and changes nothing for them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useRegister } from '../helpers/start-register.ts';
import { send } from '../helpers/http.ts';
import { createUser, firstAdmin, logIn, readUserDoc, type Session } from '../helpers/users.ts';

const register = useRegister();
const sessions = new Map<string, Session>();

/** [method, path, body] — every route, each with a body an administrator's request would succeed with. */
const ROUTES: [string, string, unknown][] = [
  ['GET', '/api/admin/facilities', undefined],
  ['POST', '/api/admin/facilities', { id: 'x', name: 'X' }],
  ['PATCH', '/api/admin/facilities/a', { name: 'Renamed' }],
  ['GET', '/api/admin/staff', undefined],
  [
    'POST',
    '/api/admin/staff',
    { login: 'mallory', displayName: 'M', roles: ['admin'], facilities: [], authKey: 'A'.repeat(43) },
  ],
  ['PATCH', '/api/admin/staff/target', { roles: ['admin'] }],
  ['POST', '/api/admin/staff/target/disable', {}],
  ['POST', '/api/admin/staff/target/enable', { authKey: 'A'.repeat(43) }],
  ['POST', '/api/admin/staff/target/reset', { authKey: 'A'.repeat(43) }],
  ['GET', '/api/admin/audit', undefined],
];

beforeAll(async () => {
  const r = register.current;
  const admin = await logIn(r, await firstAdmin(r));
  expect((await admin.post('/api/admin/facilities', { id: 'a', name: 'A' })).status).toBe(201);
  const target = { login: 'target', displayName: 'T', roles: ['nurse'], facilities: ['a'], authKey: 'T'.repeat(43) };
  expect((await admin.post('/api/admin/staff', target)).status).toBe(201);
  for (const role of ['nurse', 'doctor', 'analyst']) {
    const user = await createUser(r, { name: role, password: `${role}-pass-2026`, roles: [role, 'facility:a'] });
    sessions.set(role, await logIn(r, user));
  }
});

const CASES = ['nurse', 'doctor', 'analyst'].flatMap((role) =>
  ROUTES.map(([method, path, body]) => [role, method, path, body] as const),
);

describe('the administration API', () => {
  it.each(CASES)('refuses a %s: %s %s with 403', async (role, method, path, body) => {
    const session = sessions.get(role);
    if (!session) throw new Error(`no session for ${role}`);
    const answer = await session.request(path, { method, body });
    expect(answer.status).toBe(403);
    expect(answer.json).toEqual({ error: 'forbidden', reason: expect.any(String) });
  });

  it.each(ROUTES)('refuses a caller without a session: %s %s with 401', async (method, path, body) => {
    const answer = await send(register.current.url, path, { method, body });
    expect(answer.status).toBe(401);
    expect(answer.json).toMatchObject({ error: 'unauthorized' });
  });

  it('changed nothing for them', async () => {
    const { store } = register.current;
    expect(await store.getDoc('reference', 'facility:x')).toBeNull();
    expect(await store.getDoc('reference', 'facility:a')).toMatchObject({ name: 'A' });
    expect(await store.getDoc('_users', 'org.couchdb.user:mallory')).toBeNull();
    expect(await readUserDoc(register.current, 'target')).toMatchObject({
      roles: ['nurse', 'facility:a'],
      status: 'active',
    });
  });

  it('refuses an administrator who has not yet replaced a one-time password', async () => {
    const r = register.current;
    const fresh = await createUser(r, {
      name: 'new-admin',
      password: 'slip-password-2026',
      roles: ['admin'],
      mustChangePassword: true,
    });
    const answer = await (await logIn(r, fresh)).get('/api/admin/staff');
    expect(answer.status).toBe(403);
    expect(answer.json).toMatchObject({ error: 'password_change_required' });
  });
});
