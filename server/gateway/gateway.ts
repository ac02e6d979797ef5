/**
 * The gateway at `/db`: the only way from a browser to the store (ARCHITECTURE.md, "The gateway").
 * It opens and closes sessions (throttled, re-issued as an HttpOnly SameSite=Strict cookie with an absolute
 * lifetime), resolves the caller once per session, applies request-rules.ts, and forwards what is allowed.
 */
import express, { type Request, type Response, type NextFunction, type Router } from 'express';
import type { StoreClient } from '../store-client.ts';
import { normalizeUsername, isAuthKey } from '../../common/auth-derivation.ts';
import type { LoginThrottle } from './login-throttle.ts';
import type { SessionResolver } from './session-resolver.ts';
import { type ResolvedUser } from './session-resolver.ts';
import {
  SESSION_COOKIE,
  openSession,
  parseCookies,
  sealSession,
  serializeSessionCookie,
  storeCookieFrom,
} from './session-cookie.ts';
import { MAX_BODY_NESTING, nestedDeeperThan, pathSegments, ruleFor } from './request-rules.ts';
import { forwardToStore } from './proxy.ts';
import { BadRequestError, TooManyRequestsError, UnauthorizedError, HttpError } from '../errors.ts';
import { userDocId, writeAuditEvent, type UserDoc } from '../../couch/provision.ts';

export interface GatewayOptions {
  store: StoreClient;
  resolver: SessionResolver;
  throttle: LoginThrottle;
  sessionSecret: string;
  sessionLifetimeMs: number;
  log: (line: string) => void;
}

/** What a request carries once its session is checked. */
export interface SessionLocals {
  user: ResolvedUser;
  storeCookie: string;
  issuedAt: number;
}

const MAX_BODY_BYTES = 64 * 1024 * 1024;
const LONGPOLL_DEFAULT_MS = 60_000;
/** Fields of a `_users` document that never leave the server, even to their owner. */
const HIDDEN_USER_FIELDS = [
  'password',
  'password_sha',
  'password_scheme',
  'derived_key',
  'salt',
  'iterations',
  'pbkdf2_prf',
];

function clientAddress(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

function sessionCookieHeader(req: Request, value: string, maxAgeSeconds: number): string {
  return serializeSessionCookie(value, { secure: req.secure, maxAgeSeconds });
}

/**
 * Middleware: requires a valid, unexpired gateway session, and puts the caller in `res.locals.session`.
 * Shared by `/db` and the `/api` routes that act for the user.
 */
export function requireSession(options: GatewayOptions, { allowPasswordChange = false } = {}) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    try {
      const raw = parseCookies(req.headers.cookie)[SESSION_COOKIE];
      const sealed = raw ? openSession(raw, options.sessionSecret) : null;
      if (!sealed) throw new UnauthorizedError('You are not logged in.');
      if (Date.now() - sealed.issuedAt > options.sessionLifetimeMs) {
        res.setHeader('set-cookie', sessionCookieHeader(req, '', 0));
        throw new UnauthorizedError('The session has reached its maximum length; please log in again.');
      }
      const user = await options.resolver.resolveLogin(sealed.storeCookie, sealed.issuedAt);
      if (!user) {
        res.setHeader('set-cookie', sessionCookieHeader(req, '', 0));
        throw new UnauthorizedError('The session has ended or the account is disabled; please log in again.');
      }
      if (user.mustChangePassword && !allowPasswordChange) {
        throw new HttpError(403, 'password_change_required', 'Choose a new password before continuing.');
      }
      const locals: SessionLocals = { user, storeCookie: sealed.storeCookie, issuedAt: sealed.issuedAt };
      res.locals.session = locals;
      next();
    } catch (error) {
      next(error);
    }
  };
}

/** Reads the whole request body (up to 64 MiB) for the rules that must look inside it. */
async function readBody(req: Request): Promise<Buffer | null> {
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'DELETE') return null;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'too_large', 'The request is larger than 64 MiB.');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * The body as the store will read it. The store's parser matches the content type without regard to case and
 * decodes any `utf-*` charset (UTF-7 included), so the gateway does the same matching and accepts UTF-8 only:
 * otherwise it would judge one document and the store write another.
 */
function parseJsonBody(req: Request, body: Buffer | null): unknown {
  if (!body || body.length === 0) return null;
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (!type.includes('json')) return null;
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)/.exec(type)?.[1];
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new HttpError(415, 'unsupported_media_type', 'JSON is accepted in UTF-8 only.');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new BadRequestError('The request body is not valid JSON.');
  }
  if (nestedDeeperThan(parsed, MAX_BODY_NESTING)) {
    throw new BadRequestError(`The request body nests deeper than ${MAX_BODY_NESTING} levels.`);
  }
  return parsed;
}

/**
 * Whether the account still has to replace a one-time password whose validity has ended. Accounts without an
 * expiry (the first administrator made by provisioning) are not affected.
 */
async function oneTimePasswordExpired(store: StoreClient, name: string): Promise<boolean> {
  const doc = await store.getDoc<UserDoc>('_users', userDocId(name));
  if (doc?.mustChangePassword !== true || typeof doc.oneTimePasswordExpiresAt !== 'string') return false;
  const expiresAt = Date.parse(doc.oneTimePasswordExpiresAt);
  return Number.isNaN(expiresAt) || expiresAt <= Date.now();
}

export function createGateway(options: GatewayOptions): Router {
  const router = express.Router();
  const { store, resolver, throttle } = options;

  router.post(
    '/_session',
    express.json({ limit: '16kb' }),
    express.urlencoded({ extended: false, limit: '16kb' }),
    async (req, res, next) => {
      try {
        const body = (req.body ?? {}) as { name?: unknown; password?: unknown };
        if (typeof body.name !== 'string' || typeof body.password !== 'string' || !body.name.trim()) {
          throw new BadRequestError('Give "name" and "password" (the authKey derived from the password).');
        }
        const name = normalizeUsername(body.name);
        const address = clientAddress(req);
        const wait = throttle.retryAfter(address, name);
        if (wait > 0) {
          res.setHeader('retry-after', String(wait));
          throw new TooManyRequestsError(`Too many failed attempts; try again in ${wait} s.`, wait);
        }
        const reject = (): never => {
          throttle.recordFailure(address, name);
          void writeAuditEvent(store, name, 'login-failed', { address }).catch(() => undefined);
          throw new UnauthorizedError('Name or password is incorrect.');
        };
        if (!isAuthKey(body.password)) reject();
        const response = await fetch(`${store.baseUrl}/_session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify({ name, password: body.password }),
        }).catch(() => null);
        if (!response) throw new HttpError(503, 'store_unavailable', 'The data store is not reachable.');
        const storeCookie = storeCookieFrom(response.headers.getSetCookie());
        if (response.status !== 200 || !storeCookie) reject();
        const user = await resolver.userByName(name);
        if (!user) reject();
        throttle.recordSuccess(address, name);
        // Checked only after the store accepted the password, so it tells a guesser nothing.
        if (await oneTimePasswordExpired(store, name)) {
          void writeAuditEvent(store, name, 'login-otp-expired', { address }).catch(() => undefined);
          throw new HttpError(
            401,
            'otp_expired',
            'The one-time password has expired; ask an administrator for a new one.',
          );
        }
        const issuedAt = Date.now();
        res.setHeader(
          'set-cookie',
          sessionCookieHeader(
            req,
            sealSession({ storeCookie: storeCookie as string, issuedAt }, options.sessionSecret),
            options.sessionLifetimeMs / 1000,
          ),
        );
        void writeAuditEvent(store, name, 'login', { address }).catch(() => undefined);
        const resolved = user as ResolvedUser;
        res.json({
          ok: true,
          name: resolved.name,
          roles: resolved.roles,
          displayName: resolved.displayName,
          mustChangePassword: resolved.mustChangePassword,
          expiresAt: new Date(issuedAt + options.sessionLifetimeMs).toISOString(),
        });
      } catch (error) {
        next(error);
      }
    },
  );

  router.get('/_session', async (req, res, next) => {
    try {
      const raw = parseCookies(req.headers.cookie)[SESSION_COOKIE];
      const sealed = raw ? openSession(raw, options.sessionSecret) : null;
      const live =
        sealed && Date.now() - sealed.issuedAt <= options.sessionLifetimeMs
          ? await resolver.resolveLogin(sealed.storeCookie, sealed.issuedAt)
          : null;
      if (!live || !sealed) {
        res.json({ ok: true, userCtx: { name: null, roles: [] } });
        return;
      }
      res.json({
        ok: true,
        userCtx: { name: live.name, roles: live.roles },
        displayName: live.displayName,
        mustChangePassword: live.mustChangePassword,
        expiresAt: new Date(sealed.issuedAt + options.sessionLifetimeMs).toISOString(),
      });
    } catch (error) {
      next(error);
    }
  });

  router.delete('/_session', async (req, res, next) => {
    try {
      const raw = parseCookies(req.headers.cookie)[SESSION_COOKIE];
      const sealed = raw ? openSession(raw, options.sessionSecret) : null;
      const user = sealed ? await resolver.resolve(sealed.storeCookie).catch(() => null) : null;
      if (sealed && user)
        await resolver.revoke(user.name, sealed.issuedAt, sealed.issuedAt + options.sessionLifetimeMs);
      res.setHeader('set-cookie', sessionCookieHeader(req, '', 0));
      res.json({ ok: true });
    } catch (error) {
      next(error);
    }
  });

  router.all('/_session', (_req, _res, next) =>
    next(new HttpError(405, 'method_not_allowed', 'Use GET, POST or DELETE on _session.')),
  );

  router.use(requireSession(options), async (req, res, next) => {
    try {
      const session = res.locals.session as SessionLocals;
      const url = new URL(req.originalUrl, 'http://gateway.invalid');
      const segments = pathSegments(url.pathname);
      if (!segments) throw new BadRequestError('The request path is not valid.');
      // The store parses multipart bodies itself, and one that ends early kills it (an uncaught parser error).
      // The register's clients send JSON, and attachments as their own content type.
      if ((req.headers['content-type'] ?? '').trim().toLowerCase().startsWith('multipart/')) {
        throw new HttpError(415, 'unsupported_media_type', 'Multipart bodies are not accepted; send JSON.');
      }
      const rawBody = await readBody(req);
      const rule = ruleFor(
        { method: req.method, segments, query: url.searchParams, body: parseJsonBody(req, rawBody) },
        session.user,
      );
      if (rule.action === 'deny') throw new HttpError(rule.status, rule.error, rule.reason);
      const storePath = url.pathname.replace(/^\/db/, '') + url.search;
      const timeout = Number(url.searchParams.get('timeout'));
      forwardToStore(req, res, {
        storeUrl: store.baseUrl,
        storeCookie: session.storeCookie,
        path: storePath || '/',
        body: rawBody,
        onStoreCookie: (cookie) => {
          const remaining = options.sessionLifetimeMs - (Date.now() - session.issuedAt);
          if (!res.headersSent)
            res.setHeader(
              'set-cookie',
              sessionCookieHeader(
                req,
                sealSession({ storeCookie: cookie, issuedAt: session.issuedAt }, options.sessionSecret),
                remaining / 1000,
              ),
            );
        },
        ...(rule.kind === 'own-user-doc'
          ? {
              transformJson: (doc: unknown) =>
                Object.fromEntries(
                  Object.entries(doc as Record<string, unknown>).filter(
                    ([field]) => !HIDDEN_USER_FIELDS.includes(field),
                  ),
                ),
            }
          : {}),
        ...(rule.kind === 'feed' || rule.kind === 'longpoll'
          ? { registerClose: (close: () => void) => resolver.trackFeed(session.user.name, close) }
          : {}),
        ...(rule.kind === 'longpoll'
          ? {
              longpoll: {
                ms:
                  Number.isFinite(timeout) && timeout > 0
                    ? Math.min(timeout, LONGPOLL_DEFAULT_MS)
                    : LONGPOLL_DEFAULT_MS,
                emptyBody: async () => {
                  const since = url.searchParams.get('since');
                  if (since && since !== 'now')
                    return { results: [], last_seq: /^\d+$/.test(since) ? Number(since) : since };
                  const info = await store.request<{ update_seq?: unknown }>(
                    'GET',
                    `/${encodeURIComponent(segments[0] ?? '')}`,
                  );
                  return { results: [], last_seq: info.body.update_seq ?? 0 };
                },
              },
            }
          : {}),
      });
    } catch (error) {
      next(error);
    }
  });
  return router;
}
