/**
 * Talking to a running register over HTTP, as a browser would: `fetch` with the session cookie for ordinary
 * requests, `node:http` for the two things fetch cannot do — send a path exactly as written (`/db/../x`, which
 * fetch normalises) and watch a streaming feed arrive chunk by chunk.
 */
import http, { type IncomingHttpHeaders } from 'node:http';

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

export interface SendOptions {
  method?: string;
  cookie?: string | null;
  /** Sent as JSON unless it is already a string. */
  body?: unknown;
  headers?: Record<string, string>;
}

export async function send(baseUrl: string, path: string, options: SendOptions = {}): Promise<HttpResult> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.cookie) headers.cookie = options.cookie;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(baseUrl + path, {
    method: options.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    body,
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** The `name=value` part of the first Set-Cookie header for `name`, or null. */
export function cookiePair(headers: Headers, name: string): string | null {
  for (const header of headers.getSetCookie()) {
    if (header.startsWith(`${name}=`)) return header.split(';')[0] ?? null;
  }
  return null;
}

export interface RawResult {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** One request with the path sent byte for byte as given (no normalisation of `..` or `//`). */
export function rawRequest(
  baseUrl: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<RawResult> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        hostname,
        port,
        method,
        path,
        headers: { ...headers, ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** A streaming response (a `_changes` feed) that stays open until the server or `close()` ends it. */
export interface OpenFeed {
  status: number;
  headers: IncomingHttpHeaders;
  /** Everything received so far. */
  received(): string;
  /** Resolves when what was received satisfies `test`; rejects after `guardMs` (a hang guard, not a timing check). */
  waitFor(test: (received: string) => boolean, guardMs?: number): Promise<string>;
  /** Resolves when the server ends the response (or the connection closes). */
  ended: Promise<void>;
  close(): void;
}

export function openFeed(baseUrl: string, path: string, cookie: string): Promise<OpenFeed> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const request = http.get({ hostname, port, path, headers: { cookie, accept: 'application/json' } }, (response) => {
      let text = '';
      const waiters = new Set<() => void>();
      let resolveEnded: () => void = () => undefined;
      const ended = new Promise<void>((done) => (resolveEnded = done));
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
        for (const wake of [...waiters]) wake();
      });
      response.on('end', () => resolveEnded());
      response.on('close', () => resolveEnded());
      response.on('error', () => resolveEnded());
      resolve({
        status: response.statusCode ?? 0,
        headers: response.headers,
        received: () => text,
        ended,
        close: () => request.destroy(),
        waitFor: (test, guardMs = 20_000) =>
          new Promise((done, fail) => {
            const check = (): void => {
              if (!test(text)) return;
              clearTimeout(guard);
              waiters.delete(check);
              done(text);
            };
            const guard = setTimeout(() => {
              waiters.delete(check);
              fail(new Error(`the feed did not deliver what was expected; received so far: ${JSON.stringify(text)}`));
            }, guardMs);
            waiters.add(check);
            check();
          }),
      });
    });
    request.on('error', reject);
  });
}

/** Repeats `probe` until it returns true, pausing between tries; fails after `guardMs` (a hang guard). */
export async function eventually(probe: () => Promise<boolean>, guardMs = 20_000, pauseMs = 100): Promise<void> {
  const deadline = Date.now() + guardMs;
  for (;;) {
    if (await probe()) return;
    if (Date.now() > deadline) throw new Error('the condition did not come true');
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
}
