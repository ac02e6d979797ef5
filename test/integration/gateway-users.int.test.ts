/**
 * `_users` through the gateway: read-only, own document only, never a password hash — and what the embedded
 * store alone would have shown or accepted.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useRegister } from '../helpers/start-register.ts';
import { send } from '../helpers/http.ts';
import {
  changeUserDoc,
  createUser,
  logIn,
  readUserDoc,
  storeSession,
  storeUrl,
  type Session,
  type TestUser,
} from '../helpers/users.ts';

const register = useRegister();
const HASH_FIELDS = ['derived_key', 'salt', 'password_scheme', 'iterations', 'password', 'password_sha'];
let nina: TestUser;
let session: Session;

beforeAll(async () => {
  nina = await createUser(register.current, {
    name: 'nina',
    password: 'nina-pass-2026',
    roles: ['nurse', 'facility:a'],
  });
  await createUser(register.current, { name: 'boris', password: 'boris-pass-2026', roles: ['doctor', 'facility:b'] });
  session = await logIn(register.current, nina);
});

describe('_users through the gateway', () => {
  it.each([
    ['_find', 'POST', '/db/_users/_find', { selector: {} }],
    ['_bulk_get', 'POST', '/db/_users/_bulk_get', { docs: [{ id: 'org.couchdb.user:boris' }] }],
    ['_all_docs', 'GET', '/db/_users/_all_docs?include_docs=true', undefined],
    ['_changes', 'GET', '/db/_users/_changes?include_docs=true', undefined],
    ['someone else’s user document', 'GET', '/db/_users/org.couchdb.user:boris', undefined],
    ['the database itself', 'GET', '/db/_users', undefined],
  ])('refuses %s', async (_what, method, path, body) => {
    const answer = await session.request(path, { method, body });
    expect(answer.status).toBe(403);
    for (const field of HASH_FIELDS) expect(answer.text).not.toContain(`"${field}"`);
  });

  it('shows a user their own document without any password hash field', async () => {
    const answer = await session.get('/db/_users/org.couchdb.user:nina');
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({
      _id: 'org.couchdb.user:nina',
      name: 'nina',
      roles: ['nurse', 'facility:a'],
      status: 'active',
    });
    for (const field of HASH_FIELDS) expect(answer.json).not.toHaveProperty(field);
    // …although the stored document has them.
    expect(await readUserDoc(register.current, 'nina')).toMatchObject({
      derived_key: expect.any(String),
      salt: expect.any(String),
      password_scheme: 'pbkdf2',
    });
  });

  it('does not let the hash out through open_revs, whose answer is a list', async () => {
    const answer = await session.get('/db/_users/org.couchdb.user:nina?open_revs=all');
    expect(answer.status).toBe(400);
    expect(answer.text).not.toContain('derived_key');
  });

  it('the store alone gives anyone every user’s password hash through _users/_find', async () => {
    const answer = await send(storeUrl(register.current), '/_users/_find', {
      method: 'POST',
      body: { selector: { name: 'boris' } },
    });
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('"derived_key"');
  });
});

describe('_users is read-only from the browser', () => {
  async function putOwnDoc(change: Record<string, unknown>): Promise<number> {
    const current = await readUserDoc(register.current, 'nina');
    const answer = await session.put('/db/_users/org.couchdb.user:nina', { ...current, ...change });
    return answer.status;
  }

  it('refuses a user who gives themselves the admin role', async () => {
    expect(await putOwnDoc({ roles: ['nurse', 'facility:a', 'admin'] })).toBe(403);
    expect((await readUserDoc(register.current, 'nina')).roles).toEqual(['nurse', 'facility:a']);
  });

  it('refuses a user who joins another facility', async () => {
    expect(await putOwnDoc({ roles: ['nurse', 'facility:a', 'facility:b'] })).toBe(403);
  });

  it.each([
    ['DELETE their document', 'DELETE', '/db/_users/org.couchdb.user:nina', undefined],
    [
      'POST a new user',
      'POST',
      '/db/_users',
      { _id: 'org.couchdb.user:mallory', name: 'mallory', type: 'user', roles: ['admin'], password: 'x' },
    ],
    [
      '_bulk_docs',
      'POST',
      '/db/_users/_bulk_docs',
      { docs: [{ _id: 'org.couchdb.user:mallory', name: 'mallory', type: 'user', roles: ['admin'] }] },
    ],
  ])('refuses a user who tries to %s', async (_what, method, path, body) => {
    expect((await session.request(path, { method, body })).status).toBe(403);
  });

  it('the store alone lets a user give themselves the admin role', async () => {
    const mallory = await createUser(register.current, {
      name: 'mallory',
      password: 'mallory-pass-2026',
      roles: ['nurse'],
    });
    const atStore = await storeSession(register.current, mallory);
    const current = await readUserDoc(register.current, 'mallory');
    const answer = await send(storeUrl(register.current), '/_users/org.couchdb.user:mallory', {
      method: 'PUT',
      cookie: atStore,
      body: { ...current, roles: ['nurse', 'admin'], password: mallory.authKey },
    });
    expect(answer.status).toBe(201);
    expect((await readUserDoc(register.current, 'mallory')).roles).toContain('admin');
  });

  describe('a disabled account', () => {
    let victor: TestUser;

    beforeAll(async () => {
      victor = await createUser(register.current, { name: 'victor', password: 'victor-pass-2026', roles: ['nurse'] });
    });

    it('cannot write status "active" back, even with a session opened before it was disabled', async () => {
      const before = await logIn(register.current, victor);
      await changeUserDoc(register.current, 'victor', (doc) => ({ ...doc, status: 'disabled' }));
      const current = await readUserDoc(register.current, 'victor');
      const answer = await before.put('/db/_users/org.couchdb.user:victor', { ...current, status: 'active' });
      // 401 once the gateway has seen the change in _users, 403 (read-only) if it has not yet: refused either way.
      expect([401, 403]).toContain(answer.status);
      expect((await readUserDoc(register.current, 'victor')).status).toBe('disabled');
    });

    it('cannot log in again', async () => {
      const login = await send(register.current.url, '/db/_session', {
        method: 'POST',
        body: { name: 'victor', password: victor.authKey },
      });
      expect(login.status).toBe(401);
    });

    it('the store alone lets the disabled user write status "active" back', async () => {
      const atStore = await storeSession(register.current, victor);
      const current = await readUserDoc(register.current, 'victor');
      const answer = await send(storeUrl(register.current), '/_users/org.couchdb.user:victor', {
        method: 'PUT',
        cookie: atStore,
        body: { ...current, status: 'active', password: victor.authKey },
      });
      expect(answer.status).toBe(201);
      expect((await readUserDoc(register.current, 'victor')).status).toBe('active');
    });
  });
});
