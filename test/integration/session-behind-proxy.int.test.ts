/**
 * A register behind a TLS-terminating proxy (TRUST_PROXY) with a very short absolute session lifetime (about a
 * second), to see the Secure cookie, throttling per real client address, and the lifetime being enforced.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useRegister } from '../helpers/start-register.ts';
import { eventually, type HttpResult } from '../helpers/http.ts';
import { createFacility, createUser, logIn, postSession, type TestUser } from '../helpers/users.ts';

const register = useRegister({ trustProxy: true, sessionLifetimeHours: 0.0003 });
let nina: TestUser;

beforeAll(async () => {
  await createFacility(register.current, 'a');
  nina = await createUser(register.current, {
    name: 'nina',
    password: 'nina-pass-2026',
    roles: ['nurse', 'facility:a'],
  });
});

/** A login as the proxy forwards it: the client's address appended to X-Forwarded-For, TLS said in X-Forwarded-Proto. */
function loginVia(forwardedFor: string, authKey: string, extra: Record<string, string> = {}): Promise<HttpResult> {
  return postSession(register.current.url, 'nina', authKey, {
    'x-forwarded-for': forwardedFor,
    'x-forwarded-proto': 'https',
    ...extra,
  });
}

describe('behind a TLS-terminating proxy', () => {
  it('marks the session cookie Secure when the proxy says the request came over https', async () => {
    const answer = await loginVia('198.51.100.1', nina.authKey);
    expect(answer.status).toBe(200);
    expect(answer.headers.getSetCookie()[0]).toMatch(/; HttpOnly; SameSite=Strict; Max-Age=\d+; Secure$/);
  });

  it('does not mark it Secure for a plain http request', async () => {
    const answer = await postSession(register.current.url, 'nina', nina.authKey);
    expect(answer.headers.getSetCookie()[0]).not.toMatch(/Secure/);
  });

  it('accepts a write from its own https origin', async () => {
    const { host } = new URL(register.current.url);
    const answer = await loginVia('198.51.100.1', nina.authKey, { origin: `https://${host}` });
    expect(answer.status).toBe(200);
  });

  it('accepts a write from the public host the proxy forwards, and refuses another origin there', async () => {
    const forwarded = { 'x-forwarded-host': 'register.example' };
    expect(
      (await loginVia('198.51.100.2', nina.authKey, { ...forwarded, origin: 'https://register.example' })).status,
    ).toBe(200);
    expect(
      (await loginVia('198.51.100.2', nina.authKey, { ...forwarded, origin: 'https://evil.example' })).status,
    ).toBe(403);
  });

  it('throttles guessing per client address, so the user can still log in from elsewhere', async () => {
    for (let attempt = 0; attempt < 5; attempt += 1)
      expect((await loginVia('198.51.100.7', 'G'.repeat(43))).status).toBe(401);
    expect((await loginVia('198.51.100.7', nina.authKey)).status).toBe(429);
    expect((await loginVia('198.51.100.8', nina.authKey)).status).toBe(200);
  });

  it('keys the throttle by the address the proxy saw, not by one the client wrote into X-Forwarded-For', async () => {
    // The proxy appends the real address; whatever comes before it is the client's own claim.
    expect((await loginVia('203.0.113.66, 198.51.100.7', nina.authKey)).status).toBe(429);
  });
});

describe('the absolute session lifetime', () => {
  it('ends a session once it has lasted its maximum length, whatever the store thinks', async () => {
    const session = await logIn(register.current, nina);
    let last: HttpResult | null = null;
    await eventually(async () => {
      last = await session.get('/db/facility-a');
      return last.status === 401;
    });
    expect(last).toMatchObject({
      json: { error: 'unauthorized', reason: 'The session has reached its maximum length; please log in again.' },
    });
  });
});
