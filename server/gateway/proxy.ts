/**
 * Forwards one browser request to the store with the user's store session, streaming both ways. Feeds are never
 * compressed (the embedded store's continuous `_changes` stalls behind gzip), and a longpoll is answered when its
 * `timeout` runs out even though the embedded store ignores `timeout`.
 */
import http from 'node:http';
import https from 'node:https';
import type { Request, Response } from 'express';
import { storeCookieFrom } from './session-cookie.ts';

/** Request headers a browser sends that must not reach the store. */
const DROPPED_REQUEST_HEADERS = new Set([
  'host',
  'cookie',
  'authorization',
  'accept-encoding',
  'connection',
  'origin',
  'referer',
  'content-length',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-couchdb-www-authenticate',
  'x-auth-couchdb-username',
  'x-auth-couchdb-roles',
  'x-auth-couchdb-token',
  'transfer-encoding',
  'keep-alive',
  'upgrade',
]);
/** Response headers of the store that the browser does not get. */
const DROPPED_RESPONSE_HEADERS = new Set([
  'set-cookie',
  'server',
  'x-powered-by',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'www-authenticate',
]);

export interface ProxyOptions {
  storeUrl: string;
  storeCookie: string;
  /** Path and query as sent to the store, e.g. `/facility-a/_changes?feed=longpoll`. */
  path: string;
  body: Buffer | null;
  /** Answer this after `ms` if the store has not finished (longpoll). */
  longpoll?: { ms: number; emptyBody: () => Promise<unknown> };
  /** Rewrites a buffered JSON answer (e.g. strips password hashes from a user document). */
  transformJson?: (body: unknown) => unknown;
  /** The store sent a refreshed session cookie. */
  onStoreCookie?: (cookie: string) => void;
  /** Registers a way to close this (feed) response; returns the function to unregister it. */
  registerClose?: (close: () => void) => () => void;
}

export function forwardToStore(req: Request, res: Response, options: ProxyOptions): void {
  const target = new URL(options.path, options.storeUrl);
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined && !DROPPED_REQUEST_HEADERS.has(name)) headers[name] = value;
  }
  headers.cookie = `AuthSession=${options.storeCookie}`;
  headers['accept-encoding'] = 'identity';
  if (options.body) headers['content-length'] = String(options.body.length);

  const transport = target.protocol === 'https:' ? https : http;
  let finished = false;
  let unregister: (() => void) | null = null;
  let longpollTimer: NodeJS.Timeout | null = null;

  const upstream = transport.request(target, { method: req.method, headers }, (storeResponse) => {
    if (finished) {
      storeResponse.resume();
      return;
    }
    const cookie = storeCookieFrom(storeResponse.headers['set-cookie']);
    if (cookie) options.onStoreCookie?.(cookie);
    const status = storeResponse.statusCode ?? 502;
    const responseHeaders: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(storeResponse.headers)) {
      if (value !== undefined && !DROPPED_RESPONSE_HEADERS.has(name)) responseHeaders[name] = value;
    }
    if (status >= 500 && !String(storeResponse.headers['content-type'] ?? '').includes('json')) {
      // Express's default error page in the store: HTML with a stack trace and file paths. Never pass it on.
      storeResponse.resume();
      finished = true;
      if (longpollTimer) clearTimeout(longpollTimer);
      unregister?.();
      res.status(status).json({ error: 'store_error', reason: 'The data store could not handle this request.' });
      return;
    }
    if (options.transformJson && status === 200) {
      const chunks: Buffer[] = [];
      storeResponse.on('data', (chunk: Buffer) => chunks.push(chunk));
      storeResponse.on('end', () => {
        finished = true;
        let body: unknown;
        try {
          body = options.transformJson?.(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch {
          body = { error: 'bad_gateway', reason: 'The store sent an unreadable answer.' };
        }
        res.status(status).json(body);
      });
      return;
    }
    if (options.longpoll) {
      // The embedded store starts a longpoll answer at once (`{"results":[` and heartbeats) and finishes it only
      // when a change comes. Streaming that would leave the timeout nothing to answer, so wait for the whole answer.
      const chunks: Buffer[] = [];
      storeResponse.on('data', (chunk: Buffer) => chunks.push(chunk));
      storeResponse.on('end', () => {
        if (finished) return;
        finished = true;
        if (longpollTimer) clearTimeout(longpollTimer);
        unregister?.();
        res.writeHead(status, { ...responseHeaders, 'cache-control': 'no-store' });
        res.end(Buffer.concat(chunks));
      });
      return;
    }
    res.writeHead(status, { ...responseHeaders, 'cache-control': 'no-store' });
    res.flushHeaders();
    storeResponse.pipe(res);
    storeResponse.on('end', () => {
      finished = true;
      if (longpollTimer) clearTimeout(longpollTimer);
      unregister?.();
    });
  });

  upstream.on('error', () => {
    if (longpollTimer) clearTimeout(longpollTimer);
    unregister?.();
    if (finished) return;
    finished = true;
    if (!res.headersSent)
      res.status(503).json({ error: 'store_unavailable', reason: 'The data store is not reachable.' });
    else res.destroy();
  });

  const closeBoth = (): void => {
    upstream.destroy();
    if (!res.writableEnded) res.end();
  };
  if (options.registerClose) unregister = options.registerClose(closeBoth);
  res.on('close', () => {
    if (!finished) upstream.destroy();
    finished = true;
    if (longpollTimer) clearTimeout(longpollTimer);
    unregister?.();
  });

  if (options.longpoll) {
    const { ms, emptyBody } = options.longpoll;
    longpollTimer = setTimeout(() => {
      if (res.headersSent || finished) return;
      finished = true;
      upstream.destroy();
      emptyBody().then(
        (body) => res.status(200).json(body),
        () => res.status(503).json({ error: 'store_unavailable', reason: 'The data store is not reachable.' }),
      );
    }, ms);
  }

  upstream.end(options.body ?? undefined);
}
