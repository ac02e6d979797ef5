/**
 * The small `/api` surface and the error handler: health, public configuration, unknown endpoints, unreadable
 * bodies — never a stack trace — and health once the store is gone (last, as it stops the store).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useRegister } from '../helpers/start-register.ts';
import { send, type HttpResult } from '../helpers/http.ts';
import { createFacility, createUser, logIn, type Session } from '../helpers/users.ts';

const register = useRegister();
let member: Session;

beforeAll(async () => {
  await createFacility(register.current, 'a');
  member = await logIn(
    register.current,
    await createUser(register.current, { name: 'nina', password: 'nina-pass-2026', roles: ['nurse', 'facility:a'] }),
  );
});

/** Signs of a leaked stack trace or internals in an answer body. */
function expectNoInternals(answer: HttpResult): void {
  expect(answer.text).not.toMatch(/\n\s+at |node_modules|\.ts:\d+|Error:/);
}

describe('/api', () => {
  it('reports health with the store mode', async () => {
    const answer = await send(register.current.url, '/api/health');
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ ok: true, store: { mode: 'embedded', reachable: true } });
  });

  it('publishes the deploymentId and the store generation, and nothing else', async () => {
    const answer = await send(register.current.url, '/api/config');
    expect(answer.json).toEqual({
      deploymentId: register.current.deploymentId,
      storeGeneration: expect.stringMatching(/^[\w-]{22}$/),
    });
    expect(answer.text).not.toContain(register.current.provisioned.settings.sessionSecret);
  });

  it.each(['/api/nope', '/api/me', '/api/me/credentials/extra'])(
    'answers the unknown endpoint %s with a JSON 404',
    async (path) => {
      const answer = await send(register.current.url, path);
      expect(answer.status).toBe(404);
      expect(answer.json).toMatchObject({ error: 'not_found', reason: expect.any(String) });
    },
  );

  it('answers an unknown page with 404 and a PWA that is not built with 503, both without internals', async () => {
    const page = await send(register.current.url, '/no/such/page');
    expect(page.status).toBe(404);
    expectNoInternals(page);
    const root = await send(register.current.url, '/');
    expect(root.status).toBe(503);
    expect(root.text).toContain('npm run build');
  });

  it('sends its security headers on every answer', async () => {
    const answer = await send(register.current.url, '/api/config');
    expect(answer.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(answer.headers.get('x-frame-options')).toBe('DENY');
    expect(answer.headers.get('x-powered-by')).toBeNull();
  });
});

describe('unreadable requests', () => {
  const malformed = '{"name": "nina", "password": ';

  it.each([
    ['a login', '/db/_session', null],
    ['a credentials change', '/api/me/credentials', 'member'],
    ['a _bulk_docs write', '/db/facility-a/_bulk_docs', 'member'],
    ['a _find', '/db/facility-a/_find', 'member'],
  ])('answers a malformed JSON body to %s with 400 and no stack trace', async (_what, path, who) => {
    const answer = await send(register.current.url, path, {
      method: 'POST',
      body: malformed,
      cookie: who ? member.cookie : null,
    });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ error: 'bad_request', reason: expect.any(String) });
    expectNoInternals(answer);
  });

  it('answers an oversized login with 4xx and no stack trace', async () => {
    const answer = await send(register.current.url, '/db/_session', {
      method: 'POST',
      body: { name: 'nina', password: 'x'.repeat(20_000) },
    });
    expect(answer.status).toBe(413);
    expectNoInternals(answer);
  });

  it('answers a path with a broken escape with 400', async () => {
    const answer = await member.get('/db/facility-a/%E0%A4%A');
    expect(answer.status).toBe(400);
    expectNoInternals(answer);
  });
});

describe('when the store is gone', () => {
  it('reports health 503 with a reason, and refuses logins with 503', async () => {
    await register.current.embedded?.stop();
    const health = await send(register.current.url, '/api/health');
    expect(health.status).toBe(503);
    expect(health.json).toEqual({
      ok: false,
      store: { mode: 'embedded', reachable: false, reason: 'The data store does not answer.' },
    });
    const login = await send(register.current.url, '/db/_session', {
      method: 'POST',
      body: { name: 'nina', password: 'x'.repeat(43) },
    });
    expect(login.status).toBe(503);
    expectNoInternals(login);
  });
});
