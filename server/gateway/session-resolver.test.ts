/**
 * SessionResolver against a scripted store (a real HTTP server answering `/_session` and `_users` the way the
 * store does), to pin down the race the integration tests can only meet by chance: an account change that lands
 * while a session lookup is under way must not leave the stale answer cached.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreClient } from '../store-client.ts';
import { SessionResolver } from './session-resolver.ts';

let server: http.Server;
let sessionLookups = 0;
let holdSession: Promise<void> = Promise.resolve();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/_session') {
      sessionLookups += 1;
      void holdSession.then(() => res.end(JSON.stringify({ ok: true, userCtx: { name: 'nina', roles: ['nurse'] } })));
      return;
    }
    if (req.url?.startsWith('/_users/')) {
      res.end(JSON.stringify({ _id: 'org.couchdb.user:nina', name: 'nina', roles: ['nurse'], status: 'active' }));
      return;
    }
    res.statusCode = 404;
    res.end(JSON.stringify({ error: 'not_found' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function resolver(): SessionResolver {
  const { port } = server.address() as AddressInfo;
  return new SessionResolver(new StoreClient(`http://127.0.0.1:${port}`, 'admin', 'secret'));
}

describe('session resolver', () => {
  it('asks the store once and then answers from its cache', async () => {
    const subject = resolver();
    sessionLookups = 0;
    expect((await subject.resolve('cookie-a'))?.name).toBe('nina');
    expect((await subject.resolve('cookie-a'))?.name).toBe('nina');
    expect(sessionLookups).toBe(1);
  });

  it('asks the store again after the account changed', async () => {
    const subject = resolver();
    sessionLookups = 0;
    await subject.resolve('cookie-b');
    subject.invalidateUser('nina');
    await subject.resolve('cookie-b');
    expect(sessionLookups).toBe(2);
  });

  it('does not cache an answer that was under way when the account changed', async () => {
    const subject = resolver();
    sessionLookups = 0;
    let release = (): void => undefined;
    holdSession = new Promise((resolve) => (release = resolve));
    const during = subject.resolve('cookie-c');
    await new Promise((resolve) => setTimeout(resolve, 50));
    subject.invalidateUser('nina');
    release();
    await during;
    holdSession = Promise.resolve();
    await subject.resolve('cookie-c');
    expect(sessionLookups).toBe(2);
  });
});
