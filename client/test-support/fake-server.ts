/**
 * A stand-in for the register's HTTP API in browser tests: answers `/api/config`, `/db/_session` and
 * `/api/me/credentials` like the real server, records every request, and can be told to be offline or to
 * answer a login with a given status.
 */
import type { DerivedSecrets } from '../../common/auth-derivation.ts';
import { toBase64Url } from '../../common/auth-derivation.ts';

export interface FakeAccount {
  name: string;
  password: string;
  roles: string[];
  displayName: string;
  mustChangePassword?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
}

const encoder = new TextEncoder();

/**
 * A fast, deterministic stand-in for Argon2id (tests would otherwise spend a second and 64 MiB per login):
 * authKey and muk are SHA-256 of labelled inputs, so different passwords give different keys.
 */
export async function fastDerive(deploymentId: string, username: string, password: string): Promise<DerivedSecrets> {
  const digest = async (label: string) =>
    new Uint8Array(
      await crypto.subtle.digest('SHA-256', encoder.encode(`${label}|${deploymentId}|${username}|${password}`)),
    );
  return { authKey: toBase64Url(await digest('auth')), muk: await digest('muk') };
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

export class FakeServer {
  readonly deploymentId = 'test-deployment';
  readonly requests: RecordedRequest[] = [];
  offline = false;
  /** When set, the next logins answer with this status (401, 429, 403 …). */
  loginStatus: number | null = null;
  retryAfter = 42;
  #session: string | null = null;
  readonly #accounts = new Map<string, FakeAccount & { authKey: string }>();

  async addAccount(account: FakeAccount): Promise<void> {
    const { authKey } = await fastDerive(this.deploymentId, account.name, account.password);
    this.#accounts.set(account.name, { ...account, authKey });
  }

  /** Ends the server session, as the absolute lifetime or a restart would. */
  endSession(): void {
    this.#session = null;
  }

  get sessionUser(): string | null {
    return this.#session;
  }

  readonly fetch = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const path =
      typeof input === 'string' ? input : input instanceof URL ? input.pathname : new URL(input.url).pathname;
    const method = init.method ?? 'GET';
    const body: unknown = typeof init.body === 'string' ? JSON.parse(init.body) : null;
    this.requests.push({ method, path, body });
    if (this.offline) throw new TypeError('Failed to fetch');
    if (path === '/api/config') return json(200, { deploymentId: this.deploymentId });
    if (path === '/db/_session') return this.#sessionRoute(method, body as { name?: string; password?: string } | null);
    if (path === '/api/me/credentials' && method === 'POST')
      return this.#credentials(body as { currentAuthKey: string; newAuthKey: string });
    return json(404, { error: 'not_found', reason: 'Not found.' });
  };

  #userBody(account: FakeAccount) {
    return {
      displayName: account.displayName,
      mustChangePassword: account.mustChangePassword === true,
      expiresAt: '2030-01-01T00:00:00.000Z',
    };
  }

  #sessionRoute(method: string, body: { name?: string; password?: string } | null): Response {
    if (method === 'DELETE') {
      this.#session = null;
      return json(200, { ok: true });
    }
    if (method === 'GET') {
      const account = this.#session ? this.#accounts.get(this.#session) : undefined;
      if (!account) return json(200, { ok: true, userCtx: { name: null, roles: [] } });
      return json(200, { ok: true, userCtx: { name: account.name, roles: account.roles }, ...this.#userBody(account) });
    }
    if (this.loginStatus === 429) {
      return json(429, { error: 'too_many_requests', reason: 'Too many.' }, { 'retry-after': String(this.retryAfter) });
    }
    if (this.loginStatus !== null)
      return json(this.loginStatus, {
        error: this.loginStatus === 403 ? 'password_change_required' : 'unauthorized',
        reason: 'No.',
      });
    const account = this.#accounts.get(body?.name ?? '');
    if (!account || account.authKey !== body?.password)
      return json(401, { error: 'unauthorized', reason: 'Name or password is incorrect.' });
    this.#session = account.name;
    return json(200, { ok: true, name: account.name, roles: account.roles, ...this.#userBody(account) });
  }

  #credentials(body: { currentAuthKey: string; newAuthKey: string }): Response {
    const account = this.#session ? this.#accounts.get(this.#session) : undefined;
    if (!account) return json(401, { error: 'unauthorized', reason: 'You are not logged in.' });
    if (account.authKey !== body.currentAuthKey)
      return json(401, { error: 'unauthorized', reason: 'Wrong current password.' });
    account.authKey = body.newAuthKey;
    account.mustChangePassword = false;
    return json(200, { ok: true });
  }
}
