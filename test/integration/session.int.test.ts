/**
 * Logging in at `POST /db/_session`: the gateway's own cookie instead of the store's, throttled guessing, logout.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { visit, withFreshId } from '../../common/records/test-fixtures.ts';
import { useRegister } from '../helpers/start-register.ts';
import { send } from '../helpers/http.ts';
import { createFacility, createUser, logIn, postSession, sessionWith, type TestUser } from '../helpers/users.ts';

const register = useRegister();
let nina: TestUser;
let boris: TestUser;

beforeAll(async () => {
  await createFacility(register.current, 'a');
  nina = await createUser(register.current, {
    name: 'nina',
    password: 'nina-pass-2026',
    roles: ['nurse', 'facility:a'],
  });
  boris = await createUser(register.current, {
    name: 'boris',
    password: 'boris-pass-2026',
    roles: ['doctor', 'facility:a'],
  });
});

describe('logging in', () => {
  it('answers with the account and sets only the gateway’s cookie: HttpOnly, SameSite=Strict, not Secure on http', async () => {
    const answer = await postSession(register.current.url, 'nina', nina.authKey);
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({
      ok: true,
      name: 'nina',
      roles: ['nurse', 'facility:a'],
      mustChangePassword: false,
      expiresAt: expect.any(String),
    });
    const cookies = answer.headers.getSetCookie();
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatch(/^rp_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/);
    expect(cookies[0]).not.toMatch(/Secure/);
  });

  it('ignores X-Forwarded-Proto when it is not told to trust a proxy', async () => {
    const answer = await postSession(register.current.url, 'nina', nina.authKey, { 'x-forwarded-proto': 'https' });
    expect(answer.headers.getSetCookie()[0]).not.toMatch(/Secure/);
  });

  it('accepts an untidy spelling of the login', async () => {
    expect((await postSession(register.current.url, '  Nina ', nina.authKey)).status).toBe(200);
  });

  it('never lets the store’s own AuthSession cookie reach the browser', async () => {
    const session = await logIn(register.current, nina);
    const ninaVisit = withFreshId(visit());
    const answers = [
      await postSession(register.current.url, 'nina', nina.authKey),
      await session.get('/db/_session'),
      await session.get('/db/facility-a'),
      await session.put(`/db/facility-a/${encodeURIComponent(ninaVisit._id)}`, ninaVisit),
      await session.get('/db/_users/org.couchdb.user:nina'),
    ];
    for (const answer of answers) {
      expect(answer.status).toBeLessThan(300);
      expect(answer.headers.getSetCookie().join('\n')).not.toContain('AuthSession');
      expect(answer.text).not.toContain('AuthSession');
    }
  });

  it('the store alone hands out its AuthSession cookie, which is what the gateway hides', async () => {
    const answer = await send(register.current.embedded?.url ?? '', '/_session', {
      method: 'POST',
      body: { name: 'nina', password: nina.authKey },
    });
    expect(answer.headers.getSetCookie().join()).toMatch(/^AuthSession=/);
  });

  it.each([
    ['no name', { password: 'x'.repeat(43) }, 400],
    ['a blank name', { name: '  ', password: 'x'.repeat(43) }, 400],
    ['no password', { name: 'nina' }, 400],
    ['a password that is not an authKey', { name: 'nina', password: 'nina-pass-2026' }, 401],
    ['an unknown user', { name: 'nobody-here', password: 'x'.repeat(43) }, 401],
  ])('refuses %s', async (_what, body, status) => {
    const answer = await send(register.current.url, '/db/_session', { method: 'POST', body });
    expect(answer.status).toBe(status);
    expect(answer.headers.getSetCookie()).toEqual([]);
  });

  it('shows the session, and clears the cookie at logout', async () => {
    const session = await logIn(register.current, boris);
    expect((await session.get('/db/_session')).json).toMatchObject({
      userCtx: { name: 'boris', roles: ['doctor', 'facility:a'] },
    });
    const logout = await session.request('/db/_session', { method: 'DELETE' });
    expect(logout.status).toBe(200);
    expect(logout.headers.getSetCookie()).toEqual(['rp_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0']);
  });

  it('ends the login for good at logout: a copy of the cookie kept elsewhere is refused afterwards', async () => {
    const session = await logIn(register.current, boris);
    const copy = sessionWith(register.current.url, 'boris', session.cookie);
    expect((await copy.get('/db/facility-a')).status).toBe(200);
    expect((await session.request('/db/_session', { method: 'DELETE' })).status).toBe(200);
    expect((await copy.get('/db/facility-a')).status).toBe(401);
    expect((await copy.get('/db/_session')).json).toMatchObject({ userCtx: { name: null } });
  });

  it('shows an anonymous caller an empty session', async () => {
    expect((await send(register.current.url, '/db/_session')).json).toEqual({
      ok: true,
      userCtx: { name: null, roles: [] },
    });
  });

  it('refuses a forged or tampered session cookie', async () => {
    const session = await logIn(register.current, nina);
    const [name, value] = session.cookie.split('=') as [string, string];
    const tampered = `${name}=${value.slice(0, -2)}${value.endsWith('AA') ? 'BB' : 'AA'}`;
    expect((await send(register.current.url, '/db/facility-a', { cookie: tampered })).status).toBe(401);
    expect((await send(register.current.url, '/db/facility-a', { cookie: 'rp_session=forged.1.x' })).status).toBe(401);
  });
});

describe('guessing passwords', () => {
  it('is slowed per (address, user): after a burst of failures even the right authKey waits, with Retry-After', async () => {
    const guesser = await createUser(register.current, {
      name: 'guessed',
      password: 'guessed-pass-2026',
      roles: ['nurse'],
    });
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await postSession(register.current.url, 'guessed', 'G'.repeat(43))).status).toBe(401);
    }
    const throttled = await postSession(register.current.url, 'guessed', guesser.authKey);
    expect(throttled.status).toBe(429);
    expect(throttled.json).toMatchObject({ error: 'too_many_requests' });
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('does not slow another user from the same address', async () => {
    expect((await postSession(register.current.url, 'boris', boris.authKey)).status).toBe(200);
  });

  it('writes failed logins to the audit trail', async () => {
    const events = await register.current.store.expect<{ docs: { event: string; login: string }[] }>(
      'POST',
      '/audit/_find',
      {
        selector: { event: 'login-failed', login: 'guessed' },
      },
    );
    expect(events.body.docs.length).toBeGreaterThanOrEqual(5);
  });
});
