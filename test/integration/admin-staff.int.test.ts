/**
 * Staff accounts through the administration API: enrolment with a one-time password the server never sees,
 * changes, disabling (open sessions and feeds end), enabling, resetting, and one-time passwords that expire.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { deriveAuthKey } from '../../common/auth-derivation.ts';
import { validateStaffEntry } from '../../server/admin/staff.ts';
import { useRegister } from '../helpers/start-register.ts';
import { openFeed, type HttpResult } from '../helpers/http.ts';
import { changeUserDoc, firstAdmin, logIn, postSession, readUserDoc, type Session } from '../helpers/users.ts';

const register = useRegister();
const OTP = 'kq7wd-m3fzp-8hrtx-ye2nb';
const SECRET_FIELDS = /"(password|password_sha|derived_key|salt|iterations|pbkdf2_prf)"/;
let admin: Session;
/** Every answer of the API in this file, checked at the end for secrets. */
const answers: HttpResult[] = [];

function patch(session: Session, path: string, body: unknown): Promise<HttpResult> {
  return session.request(path, { method: 'PATCH', body });
}

async function call(promise: Promise<HttpResult>): Promise<HttpResult> {
  const answer = await promise;
  answers.push(answer);
  return answer;
}

function authKeyOf(login: string, password: string): Promise<string> {
  return deriveAuthKey(register.current.deploymentId, login, password);
}

function future(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString();
}

beforeAll(async () => {
  admin = await logIn(register.current, await firstAdmin(register.current));
  for (const id of ['a', 'b'])
    expect((await admin.post('/api/admin/facilities', { id, name: `Hospice ${id}` })).status).toBe(201);
});

describe('creating an account', () => {
  let ninaKey: string;
  let created: HttpResult;

  beforeAll(async () => {
    ninaKey = await authKeyOf('nina', OTP);
    created = await call(
      admin.post('/api/admin/staff', {
        login: '  Nina ',
        displayName: 'Нина Петрова',
        roles: ['nurse'],
        facilities: ['a'],
        authKey: ninaKey,
      }),
    );
  });

  it('answers 201 with the account, one-time password due within a week', () => {
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({
      ok: true,
      staff: {
        login: 'nina',
        displayName: 'Нина Петрова',
        roles: ['nurse'],
        facilities: ['a'],
        status: 'active',
        mustChangePassword: true,
        oneTimePasswordExpiresAt: expect.any(String),
        hasKeys: false,
        createdAt: expect.any(String),
      },
    });
  });

  it('writes the account with staff and membership roles, and a valid staff directory entry', async () => {
    const doc = await readUserDoc(register.current, 'nina');
    expect(doc).toMatchObject({ roles: ['nurse', 'facility:a'], mustChangePassword: true, status: 'active' });
    const entry = await register.current.store.getDoc('reference', 'staff:nina');
    expect(entry).toMatchObject({
      type: 'staff',
      login: 'nina',
      displayName: 'Нина Петрова',
      roles: ['nurse'],
      facilities: ['a'],
      publicKey: null,
      active: true,
      createdBy: 'admin',
    });
    expect(validateStaffEntry(entry)).toEqual([]);
  });

  it('refuses the same login again with 409, whatever its case', async () => {
    const again = await call(
      admin.post('/api/admin/staff', {
        login: 'NINA',
        displayName: 'x',
        roles: ['nurse'],
        facilities: [],
        authKey: ninaKey,
      }),
    );
    expect(again.status).toBe(409);
  });

  it('lets the account log in with the authKey, and only to change its password', async () => {
    const nina = await logIn(register.current, { name: 'nina', authKey: ninaKey });
    const stopped = await nina.get('/db/facility-a');
    expect(stopped.status).toBe(403);
    expect(stopped.json).toMatchObject({ error: 'password_change_required' });
    const newAuthKey = await authKeyOf('nina', 'nina-chose-a-long-passphrase');
    expect((await nina.post('/api/me/credentials', { currentAuthKey: ninaKey, newAuthKey })).status).toBe(200);
    const fresh = await logIn(register.current, { name: 'nina', authKey: newAuthKey });
    expect((await fresh.get('/db/facility-a')).status).toBe(200);
  });

  it('puts a new key pair into the directory entry the administrator made, and later edits keep it', async () => {
    const before = await authKeyOf('nina', 'nina-chose-a-long-passphrase');
    const nina = await logIn(register.current, { name: 'nina', authKey: before });
    const publicKey = {
      kty: 'EC',
      crv: 'P-256',
      x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
      y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
    };
    const keys = { publicKey, encryptedPrivateKey: { iv: 'AAECAwQFBgcICQoL', ct: 'c2VhbGVkLWtleQ' } };
    const newAuthKey = await authKeyOf('nina', 'nina-chose-another-passphrase');
    expect((await nina.post('/api/me/credentials', { currentAuthKey: before, newAuthKey, keys })).status).toBe(200);
    const entry = await register.current.store.getDoc('reference', 'staff:nina');
    expect(entry).toMatchObject({ publicKey, displayName: 'Нина Петрова', createdBy: 'admin', updatedBy: 'nina' });
    expect(validateStaffEntry(entry)).toEqual([]);
    expect((await call(patch(admin, '/api/admin/staff/nina', { displayName: 'Нина Петрова' }))).status).toBe(200);
    expect(await register.current.store.getDoc('reference', 'staff:nina')).toMatchObject({ publicKey });
  });
});

describe('listing accounts', () => {
  beforeAll(async () => {
    const accounts = [
      { login: 'dmitry', displayName: 'Дмитрий Орлов', roles: ['doctor'], facilities: ['a', 'b'] },
      { login: 'anna.m', displayName: 'Анна Минздрав', roles: ['analyst'], facilities: [] },
    ];
    for (const account of accounts)
      expect((await admin.post('/api/admin/staff', { ...account, authKey: 'A'.repeat(43) })).status).toBe(201);
  });

  it.each([
    ['everyone', '', ['admin', 'anna.m', 'dmitry', 'nina']],
    ['by role', '?role=doctor', ['dmitry']],
    ['by facility', '?facility=b', ['dmitry']],
    ['by words in the name', '?q=%D0%BE%D1%80%D0%BB%D0%BE%D0%B2', ['dmitry']],
    ['by part of the login', '?q=ANNA', ['anna.m']],
    ['by status', '?status=active&role=analyst', ['anna.m']],
  ])('lists %s', async (_what, query, logins) => {
    const answer = await call(admin.get(`/api/admin/staff${query}`));
    expect(answer.status).toBe(200);
    const staff = (answer.json as { staff: { login: string }[] }).staff;
    expect(staff.map((account) => account.login).sort()).toEqual(expect.arrayContaining(logins));
    expect(staff).toHaveLength(logins.length);
  });

  it('shows the first administrator without an expiry and never a secret field', async () => {
    const answer = await call(admin.get('/api/admin/staff?role=admin'));
    const [first] = (answer.json as { staff: Record<string, unknown>[] }).staff;
    expect(first).toMatchObject({ login: 'admin', roles: ['admin'], facilities: [], status: 'active' });
    expect(first).not.toHaveProperty('oneTimePasswordExpiresAt');
    expect(answer.text).not.toMatch(SECRET_FIELDS);
  });
});

describe('changing an account', () => {
  it('changes the name, roles and facilities in the account and in the staff directory', async () => {
    const answer = await call(
      patch(admin, '/api/admin/staff/dmitry', {
        displayName: 'Д. Орлов',
        roles: ['doctor', 'nurse'],
        facilities: ['b'],
      }),
    );
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({
      staff: { login: 'dmitry', displayName: 'Д. Орлов', roles: ['doctor', 'nurse'], facilities: ['b'] },
    });
    expect((await readUserDoc(register.current, 'dmitry')).roles).toEqual(['doctor', 'nurse', 'facility:b']);
    const entry = await register.current.store.getDoc('reference', 'staff:dmitry');
    expect(entry).toMatchObject({ displayName: 'Д. Орлов', roles: ['doctor', 'nurse'], facilities: ['b'] });
    expect(validateStaffEntry(entry)).toEqual([]);
  });

  it('refuses to let administrators remove their own admin role', async () => {
    const answer = await call(patch(admin, '/api/admin/staff/admin', { roles: ['doctor'] }));
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ error: 'bad_request', field: 'roles' });
    expect((await readUserDoc(register.current, 'admin')).roles).toEqual(['admin']);
  });

  it('answers 404 for an account that does not exist', async () => {
    expect((await call(patch(admin, '/api/admin/staff/nobody', { displayName: 'x' }))).status).toBe(404);
  });
});

describe('disabling, enabling and resetting an account', () => {
  let olga: Session;
  let olgaKey: string;

  beforeAll(async () => {
    olgaKey = await authKeyOf('olga', 'olga-passphrase-2026');
    expect(
      (
        await admin.post('/api/admin/staff', {
          login: 'olga',
          displayName: 'Ольга',
          roles: ['nurse'],
          facilities: ['a'],
          authKey: olgaKey,
        })
      ).status,
    ).toBe(201);
    await changeUserDoc(register.current, 'olga', (doc) => ({ ...doc, mustChangePassword: false }));
    olga = await logIn(register.current, { name: 'olga', authKey: olgaKey });
    expect((await olga.get('/db/facility-a')).status).toBe(200);
  });

  it('ends the open session and feed at once, and keeps the roles aside', async () => {
    const feed = await openFeed(
      register.current.url,
      '/db/facility-a/_changes?feed=continuous&since=now&heartbeat=1000',
      olga.cookie,
    );
    expect(feed.status).toBe(200);
    const answer = await call(admin.post('/api/admin/staff/olga/disable', {}));
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ staff: { status: 'disabled', roles: ['nurse'], facilities: ['a'] } });
    await feed.ended;
    expect((await olga.get('/db/facility-a')).status).toBe(401);
    expect((await postSession(register.current.url, 'olga', olgaKey)).status).toBe(401);
    const doc = await readUserDoc(register.current, 'olga');
    expect(doc).toMatchObject({ status: 'disabled', roles: [], disabledRoles: ['nurse', 'facility:a'] });
    expect(await register.current.store.getDoc('reference', 'staff:olga')).toMatchObject({ active: false });
  });

  it('lists the disabled account by status', async () => {
    const answer = await call(admin.get('/api/admin/staff?status=disabled'));
    expect((answer.json as { staff: { login: string }[] }).staff.map((account) => account.login)).toEqual(['olga']);
  });

  it('refuses to disable an account twice, or the administrator’s own', async () => {
    expect((await call(admin.post('/api/admin/staff/olga/disable', {}))).status).toBe(409);
    const own = await call(admin.post('/api/admin/staff/admin/disable', {}));
    expect(own.status).toBe(400);
    expect(own.json).toMatchObject({ field: 'login' });
  });

  it('refuses a reset of a disabled account (enable it instead)', async () => {
    expect((await call(admin.post('/api/admin/staff/olga/reset', { authKey: 'B'.repeat(43) }))).status).toBe(409);
  });

  it('enables the account with a new one-time password and gives its roles back', async () => {
    const enrolKey = await authKeyOf('olga', OTP);
    const answer = await call(
      admin.post('/api/admin/staff/olga/enable', { authKey: enrolKey, oneTimePasswordExpiresAt: future(3) }),
    );
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ staff: { status: 'active', mustChangePassword: true, roles: ['nurse'] } });
    expect(await readUserDoc(register.current, 'olga')).toMatchObject({ roles: ['nurse', 'facility:a'] });
    expect(await readUserDoc(register.current, 'olga')).not.toHaveProperty('disabledRoles');
    expect((await postSession(register.current.url, 'olga', olgaKey)).status).toBe(401);
    const back = await logIn(register.current, { name: 'olga', authKey: enrolKey });
    expect((await back.get('/db/facility-a')).json).toMatchObject({ error: 'password_change_required' });
    expect(await register.current.store.getDoc('reference', 'staff:olga')).toMatchObject({ active: true });
  });

  it('refuses to enable an active account', async () => {
    expect((await call(admin.post('/api/admin/staff/olga/enable', { authKey: 'B'.repeat(43) }))).status).toBe(409);
  });

  it('resets the password: the new one-time password works, the previous one does not', async () => {
    const previous = await authKeyOf('olga', OTP);
    const resetKey = await authKeyOf('olga', 'another-slip-password');
    const answer = await call(admin.post('/api/admin/staff/olga/reset', { authKey: resetKey }));
    expect(answer.status).toBe(200);
    expect((await postSession(register.current.url, 'olga', previous)).status).toBe(401);
    expect((await postSession(register.current.url, 'olga', resetKey)).status).toBe(200);
  });
});

describe('a one-time password that has expired', () => {
  let petrKey: string;

  beforeAll(async () => {
    petrKey = await authKeyOf('petr', OTP);
    const created = await admin.post('/api/admin/staff', {
      login: 'petr',
      displayName: 'Пётр',
      roles: ['doctor'],
      facilities: ['a'],
      authKey: petrKey,
    });
    expect(created.status).toBe(201);
    // Time passes: the expiry is moved into the past, as it would be a week later.
    await changeUserDoc(register.current, 'petr', (doc) => ({
      ...doc,
      oneTimePasswordExpiresAt: '2020-01-01T00:00:00.000Z',
    }));
  });

  it('refuses the login with 401 otp_expired', async () => {
    const answer = await postSession(register.current.url, 'petr', petrKey);
    expect(answer.status).toBe(401);
    expect(answer.json).toEqual({
      error: 'otp_expired',
      reason: 'The one-time password has expired; ask an administrator for a new one.',
    });
    expect(answer.headers.getSetCookie()).toEqual([]);
  });

  it('tells someone with a wrong password nothing about it', async () => {
    const answer = await postSession(register.current.url, 'petr', 'W'.repeat(43));
    expect(answer.json).toMatchObject({ error: 'unauthorized' });
  });

  it('works again after a reset', async () => {
    const resetKey = await authKeyOf('petr', 'a-fresh-slip-password');
    expect((await call(admin.post('/api/admin/staff/petr/reset', { authKey: resetKey }))).status).toBe(200);
    expect((await postSession(register.current.url, 'petr', resetKey)).status).toBe(200);
  });
});

describe('refused input', () => {
  const valid = { login: 'vera', displayName: 'Вера', roles: ['nurse'], facilities: ['a'], authKey: 'A'.repeat(43) };

  it.each([
    ['a login of one character', { login: 'v' }, 'login'],
    ['a login with a space', { login: 've ra' }, 'login'],
    ['a login of 65 characters', { login: 'v'.repeat(65) }, 'login'],
    ['a login starting with a dot', { login: '.vera' }, 'login'],
    ['no display name', { displayName: '  ' }, 'displayName'],
    ['no roles', { roles: [] }, 'roles'],
    ['an unknown role', { roles: ['surgeon'] }, 'roles'],
    ['a role twice', { roles: ['nurse', 'nurse'] }, 'roles'],
    ['a facility id that is not one', { facilities: ['A B'] }, 'facilities'],
    ['a facility that does not exist', { facilities: ['zzz'] }, 'facilities'],
    ['a password instead of an authKey', { authKey: OTP }, 'authKey'],
    ['an expiry in the past', { oneTimePasswordExpiresAt: '2020-01-01T00:00:00Z' }, 'oneTimePasswordExpiresAt'],
    ['an expiry beyond 30 days', { oneTimePasswordExpiresAt: future(31) }, 'oneTimePasswordExpiresAt'],
    ['an expiry that is not a time', { oneTimePasswordExpiresAt: 'next week' }, 'oneTimePasswordExpiresAt'],
    ['a field the server does not take', { oneTimePassword: OTP }, 'oneTimePassword'],
  ])('refuses an account with %s, naming the field', async (_what, change, field) => {
    const answer = await call(admin.post('/api/admin/staff', { ...valid, ...change }));
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ error: 'bad_request', field, reason: expect.any(String) });
    expect(await register.current.store.getDoc('_users', 'org.couchdb.user:vera')).toBeNull();
  });

  it('refuses a facility that is deactivated', async () => {
    expect((await patch(admin, '/api/admin/facilities/b', { active: false })).status).toBe(200);
    const answer = await call(admin.post('/api/admin/staff', { ...valid, facilities: ['b'] }));
    expect(answer.json).toMatchObject({ field: 'facilities' });
  });

  it.each([
    ['roles', { roles: 'nurse' }],
    ['facilities', { facilities: 'a' }],
    ['displayName', { displayName: 7 }],
    ['status', { status: 'active' }],
  ])('refuses a change of %s that is not valid, naming the field', async (field, body) => {
    const answer = await call(patch(admin, '/api/admin/staff/nina', body));
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ error: 'bad_request', field });
  });

  it.each([
    ['enable', { authKey: 'short' }, 'authKey'],
    [
      'reset',
      { authKey: 'A'.repeat(43), oneTimePasswordExpiresAt: '2020-01-01T00:00:00Z' },
      'oneTimePasswordExpiresAt',
    ],
  ])('refuses a %s with %j', async (kind, body, field) => {
    const answer = await call(admin.post(`/api/admin/staff/nina/${kind}`, body));
    expect(answer.json).toMatchObject({ error: 'bad_request', field });
  });

  it.each([
    ['role', '?role=surgeon'],
    ['status', '?status=gone'],
    ['facility', '?facility=A%20B'],
  ])('refuses a listing filtered by a %s that is not valid', async (field, query) => {
    const answer = await call(admin.get(`/api/admin/staff${query}`));
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ field });
  });
});

describe('what the API writes and answers', () => {
  it('never holds a password, derived key, salt or the one-time password', async () => {
    const audit = await register.current.store.expect<{ rows: { doc: unknown }[] }>(
      'GET',
      '/audit/_all_docs?include_docs=true',
      undefined,
    );
    const staff = await register.current.store.expect<{ rows: { doc: unknown }[] }>(
      'GET',
      `/reference/_all_docs?include_docs=true&startkey=${encodeURIComponent('"staff:"')}&endkey=${encodeURIComponent('"staff:\ufff0"')}`,
      undefined,
    );
    const written = [...audit.body.rows, ...staff.body.rows].map((row) => JSON.stringify(row.doc));
    expect(staff.body.rows.length).toBeGreaterThanOrEqual(5);
    const ninaKey = await authKeyOf('nina', OTP);
    for (const text of [...written, ...answers.map((answer) => answer.text)]) {
      expect(text).not.toMatch(SECRET_FIELDS);
      expect(text).not.toContain(OTP);
      expect(text).not.toContain(ninaKey);
    }
    const users = await Promise.all(['nina', 'olga', 'petr'].map((name) => readUserDoc(register.current, name)));
    for (const doc of users) {
      // The store keeps only its hash of the authKey (derived_key, salt): the plain field is gone once stored.
      expect(doc).not.toHaveProperty('password');
      expect(JSON.stringify(doc)).not.toContain(OTP);
    }
  });
});
