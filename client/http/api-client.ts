/**
 * The few HTTP calls of the session: configuration, `/db/_session`, and the own-credentials change.
 * Every call goes to the same origin with the session cookie; failures become NetworkError or ApiError.
 */
import { ApiError } from './api-errors.ts';
import { requestJson } from './request-json.ts';
import type { UserKeyMaterial } from '../crypto/user-key-pair.ts';

export interface ServerConfig {
  deploymentId: string;
}

/** The caller as the server sees them. */
export interface ServerUser {
  name: string;
  roles: string[];
  displayName: string;
  mustChangePassword: boolean;
  expiresAt: string | null;
}

export interface CredentialsChange {
  currentAuthKey: string;
  newAuthKey: string;
  keys: UserKeyMaterial;
}

type Fetch = typeof fetch;
const REQUEST_TIMEOUT_MS = 15_000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** Reads a session answer (POST or GET `_session`) into a ServerUser, or null when nobody is logged in. */
export function parseServerUser(body: unknown): ServerUser | null {
  if (!isRecord(body)) return null;
  const context = isRecord(body.userCtx) ? body.userCtx : body;
  if (typeof context.name !== 'string' || context.name === '') return null;
  return {
    name: context.name,
    roles: stringArray(context.roles),
    displayName: typeof body.displayName === 'string' && body.displayName !== '' ? body.displayName : context.name,
    mustChangePassword: body.mustChangePassword === true,
    expiresAt: typeof body.expiresAt === 'string' ? body.expiresAt : null,
  };
}

export class ApiClient {
  readonly #fetch: Fetch;

  constructor(fetchImpl: Fetch = (input, init) => globalThis.fetch(input, init)) {
    this.#fetch = fetchImpl;
  }

  #request(method: string, path: string, body?: unknown): Promise<unknown> {
    return requestJson(this.#fetch, method, path, body, REQUEST_TIMEOUT_MS);
  }

  async getConfig(): Promise<ServerConfig> {
    const body = await this.#request('GET', '/api/config');
    if (!isRecord(body) || typeof body.deploymentId !== 'string' || body.deploymentId === '') {
      throw new ApiError(502, 'bad_config', 'The server configuration has no deploymentId.');
    }
    return { deploymentId: body.deploymentId };
  }

  /** The current server session, or null when the cookie is missing or expired. */
  async getSession(): Promise<ServerUser | null> {
    return parseServerUser(await this.#request('GET', '/db/_session'));
  }

  async createSession(name: string, authKey: string): Promise<ServerUser> {
    const user = parseServerUser(await this.#request('POST', '/db/_session', { name, password: authKey }));
    if (!user) throw new ApiError(502, 'bad_session', 'The server did not say who logged in.');
    return user;
  }

  async deleteSession(): Promise<void> {
    await this.#request('DELETE', '/db/_session');
  }

  /** The user's own `_users` document (the gateway lets a user read only their own), as plain JSON. */
  async getOwnUserDoc(name: string): Promise<Record<string, unknown>> {
    const body = await this.#request('GET', `/db/_users/${encodeURIComponent(`org.couchdb.user:${name}`)}`);
    if (!isRecord(body)) throw new ApiError(502, 'bad_answer', 'The server sent no user document.');
    return body;
  }

  /** A document of the `reference` database (readable by all staff), or null if there is none. */
  async getReferenceDoc(id: string): Promise<Record<string, unknown> | null> {
    try {
      const body = await this.#request('GET', `/db/reference/${encodeURIComponent(id)}`);
      return isRecord(body) ? body : null;
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return null;
      throw error;
    }
  }

  /** Sets the new password and key pair; answers the enrolment pins the server dropped with the old password. */
  async changeCredentials(change: CredentialsChange): Promise<{ enrolmentPins?: unknown }> {
    const body = await this.#request('POST', '/api/me/credentials', change);
    return isRecord(body) && body.enrolmentPins !== undefined ? { enrolmentPins: body.enrolmentPins } : {};
  }
}
