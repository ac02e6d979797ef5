/**
 * forwardToStore between two real HTTP servers: an Express app that forwards every request, and a scripted
 * upstream that answers the way the embedded store was measured to answer (an HTML error page with a stack trace,
 * a longpoll that starts at once and never ends, a continuous feed).
 */
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forwardToStore, type ProxyOptions } from './proxy.ts';

type Script = (req: IncomingMessage, res: ServerResponse) => void;

let script: Script = (_req, res) => res.end();
let lastRequest: { url: string; headers: IncomingHttpHeaders } | null = null;
let options: Partial<ProxyOptions> = {};
let closeFeed: (() => void) | null = null;
let upstream: http.Server;
let gateway: http.Server;
let gatewayUrl: string;

function listen(server: http.Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    lastRequest = { url: req.url ?? '', headers: req.headers };
    script(req, res);
  });
  const storeUrl = await listen(upstream);
  const app = express();
  app.use((req, res) =>
    forwardToStore(req, res, { storeUrl, storeCookie: 'store-cookie', path: req.url, body: null, ...options }),
  );
  gateway = http.createServer(app);
  gatewayUrl = await listen(gateway);
});

afterAll(async () => {
  for (const server of [gateway, upstream]) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

function setUp(nextScript: Script, nextOptions: Partial<ProxyOptions> = {}): void {
  script = nextScript;
  options = nextOptions;
  lastRequest = null;
}

describe('forwarding to the store', () => {
  it('sends the store session instead of the browser’s credentials, and never forwards client addresses', async () => {
    setUp((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'));
    const answer = await fetch(`${gatewayUrl}/facility-a/doc?rev=1`, {
      headers: {
        cookie: 'rp_session=browser',
        authorization: 'Basic eDp5',
        'x-forwarded-for': '6.6.6.6',
        'accept-encoding': 'gzip',
      },
    });
    expect(await answer.json()).toEqual({ ok: true });
    expect(lastRequest?.url).toBe('/facility-a/doc?rev=1');
    expect(lastRequest?.headers).toMatchObject({ cookie: 'AuthSession=store-cookie', 'accept-encoding': 'identity' });
    expect(lastRequest?.headers).not.toHaveProperty('authorization');
    expect(lastRequest?.headers).not.toHaveProperty('x-forwarded-for');
  });

  it('keeps the store’s cookies and server banner from the browser, and forbids caching', async () => {
    const refreshed: string[] = [];
    setUp(
      (_req, res) =>
        res
          .writeHead(200, {
            'set-cookie': 'AuthSession=renewed; Path=/',
            server: 'CouchDB',
            'content-type': 'application/json',
          })
          .end('{}'),
      {
        onStoreCookie: (cookie) => refreshed.push(cookie),
      },
    );
    const answer = await fetch(`${gatewayUrl}/facility-a`);
    expect(answer.headers.getSetCookie()).toEqual([]);
    expect(answer.headers.get('server')).toBeNull();
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(refreshed).toEqual(['renewed']);
  });

  it('replaces the store’s HTML error page, stack trace and all, with a JSON error', async () => {
    setUp((_req, res) =>
      res
        .writeHead(500, { 'content-type': 'text/html' })
        .end('<pre>TypeError: x<br> at /work/node_modules/express-pouchdb/lib/x.js:1:2</pre>'),
    );
    const answer = await fetch(`${gatewayUrl}/facility-a/_bulk_docs`);
    expect(answer.status).toBe(500);
    expect(await answer.json()).toEqual({
      error: 'store_error',
      reason: 'The data store could not handle this request.',
    });
  });

  it('passes the store’s JSON errors on unchanged', async () => {
    setUp((_req, res) =>
      res
        .writeHead(409, { 'content-type': 'application/json' })
        .end('{"error":"conflict","reason":"Document update conflict."}'),
    );
    const answer = await fetch(`${gatewayUrl}/facility-a/doc`);
    expect(answer.status).toBe(409);
    expect(await answer.json()).toEqual({ error: 'conflict', reason: 'Document update conflict.' });
  });

  it('rewrites a JSON answer when asked to (the fields of a user document)', async () => {
    setUp(
      (_req, res) =>
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"name":"nina","derived_key":"abc"}'),
      {
        transformJson: (body) => ({ ...(body as object), derived_key: undefined }),
      },
    );
    expect(await (await fetch(`${gatewayUrl}/_users/org.couchdb.user:nina`)).json()).toEqual({ name: 'nina' });
  });

  it('answers 503 when the store is not there', async () => {
    const closed = http.createServer();
    const deadUrl = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    setUp(() => undefined, { storeUrl: deadUrl });
    const answer = await fetch(`${gatewayUrl}/facility-a`);
    expect(answer.status).toBe(503);
    expect(await answer.json()).toMatchObject({ error: 'store_unavailable' });
  });
});

describe('feeds', () => {
  it('answers a longpoll whose timeout ran out, although the store had begun its answer', async () => {
    setUp(
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"results":[\n'); // what the embedded store sends at once, then heartbeats, for ever
      },
      { longpoll: { ms: 100, emptyBody: async () => ({ results: [], last_seq: 7 }) } },
    );
    const answer = await fetch(`${gatewayUrl}/facility-a/_changes?feed=longpoll&since=7`, {
      signal: AbortSignal.timeout(20_000),
    });
    expect(await answer.json()).toEqual({ results: [], last_seq: 7 });
  });

  it('passes a longpoll answer on whole when the store finishes first', async () => {
    setUp(
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"results":[\n');
        res.end('{"id":"a","seq":8}],\n"last_seq":8}\n');
      },
      { longpoll: { ms: 60_000, emptyBody: async () => ({ results: [], last_seq: 0 }) } },
    );
    const answer = await fetch(`${gatewayUrl}/facility-a/_changes?feed=longpoll`);
    expect(await answer.json()).toEqual({ results: [{ id: 'a', seq: 8 }], last_seq: 8 });
  });

  it('streams a continuous feed as it comes, and ends it when the gateway closes it', async () => {
    setUp(
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"seq":1,"id":"a"}\n');
      },
      {
        registerClose: (close) => {
          closeFeed = close;
          return () => (closeFeed = null);
        },
      },
    );
    const answer = await fetch(`${gatewayUrl}/facility-a/_changes?feed=continuous`);
    const reader = (answer.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe('{"seq":1,"id":"a"}\n');
    closeFeed?.();
    let done = false;
    while (!done) done = (await reader.read()).done;
    expect(closeFeed).toBeNull();
  });
});
