/**
 * Staff accounts and facilities for integration tests, made the way the server makes them: user documents written
 * by the server admin StoreClient, facility databases by `provisionFacilityDatabase`, passwords turned into
 * authKeys by the public derivation (Argon2id, about a second — derive once per user per file).
 */
import { deriveAuthKey } from '../../common/auth-derivation.ts';
import { provisionFacilityDatabase, userDocId, type UserDoc } from '../../couch/provision.ts';
import { ADMIN_PASSWORD, type TestRegister } from './start-register.ts';
import { cookiePair, send, type HttpResult, type SendOptions } from './http.ts';

export interface TestUser {
  name: string;
  password: string;
  authKey: string;
  roles: string[];
}

export interface NewUser {
  name: string;
  password: string;
  roles: string[];
  mustChangePassword?: boolean;
}

/** Writes an active account into `_users` through the server admin connection. */
export async function createUser(register: TestRegister, user: NewUser): Promise<TestUser> {
  const authKey = await deriveAuthKey(register.deploymentId, user.name, user.password);
  await register.store.upsert<UserDoc>('_users', userDocId(user.name), () => ({
    _id: userDocId(user.name),
    name: user.name,
    type: 'user',
    roles: user.roles,
    password: authKey,
    displayName: `Test ${user.name}`,
    status: 'active',
    mustChangePassword: user.mustChangePassword ?? false,
    createdAt: new Date().toISOString(),
  }));
  return { name: user.name, password: user.password, authKey, roles: user.roles };
}

/** The first administrator that provisioning created from ADMIN_PASSWORD. */
export async function firstAdmin(register: TestRegister): Promise<TestUser> {
  return {
    name: 'admin',
    password: ADMIN_PASSWORD,
    authKey: await deriveAuthKey(register.deploymentId, 'admin', ADMIN_PASSWORD),
    roles: ['admin'],
  };
}

/** Changes a user document as the server does (admin API, tools): read, change, write. */
export async function changeUserDoc(
  register: TestRegister,
  name: string,
  change: (doc: UserDoc) => UserDoc,
): Promise<void> {
  await register.store.upsert<UserDoc>('_users', userDocId(name), (current) => {
    if (!current) throw new Error(`no user ${name}`);
    return change(current);
  });
}

export async function readUserDoc(register: TestRegister, name: string): Promise<UserDoc> {
  const doc = await register.store.getDoc<UserDoc>('_users', userDocId(name));
  if (!doc) throw new Error(`no user ${name}`);
  return doc;
}

/** Creates `facility-<id>` with its `_security` object and design document; returns the database name. */
export async function createFacility(register: TestRegister, facilityId: string): Promise<string> {
  await provisionFacilityDatabase(register.store, facilityId);
  return `facility-${facilityId}`;
}

/** A logged-in browser: every request carries its gateway session cookie. */
export interface Session {
  name: string;
  cookie: string;
  request(path: string, options?: SendOptions): Promise<HttpResult>;
  get(path: string): Promise<HttpResult>;
  post(path: string, body: unknown): Promise<HttpResult>;
  put(path: string, body?: unknown): Promise<HttpResult>;
}

export function sessionWith(baseUrl: string, name: string, cookie: string): Session {
  const request = (path: string, options: SendOptions = {}): Promise<HttpResult> =>
    send(baseUrl, path, { cookie, ...options });
  return {
    name,
    cookie,
    request,
    get: (path) => request(path, { method: 'GET' }),
    post: (path, body) => request(path, { method: 'POST', body }),
    put: (path, body) => request(path, body === undefined ? { method: 'PUT' } : { method: 'PUT', body }),
  };
}

/** `POST /db/_session` with name and authKey, exactly as the client logs in. */
export function postSession(
  baseUrl: string,
  name: string,
  authKey: string,
  headers: Record<string, string> = {},
): Promise<HttpResult> {
  return send(baseUrl, '/db/_session', { method: 'POST', body: { name, password: authKey }, headers });
}

export async function logIn(register: TestRegister, user: Pick<TestUser, 'name' | 'authKey'>): Promise<Session> {
  const response = await postSession(register.url, user.name, user.authKey);
  const cookie = cookiePair(response.headers, 'rp_session');
  if (response.status !== 200 || !cookie)
    throw new Error(`${user.name} could not log in: ${response.status} ${response.text}`);
  return sessionWith(register.url, user.name, cookie);
}

/**
 * A session opened straight at the embedded store, bypassing the gateway: `AuthSession=…` for requests to
 * `register.embedded.url`, to show what the store alone would allow.
 */
export async function storeSession(register: TestRegister, user: Pick<TestUser, 'name' | 'authKey'>): Promise<string> {
  const response = await fetch(`${storeUrl(register)}/_session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: user.name, password: user.authKey }),
  });
  const cookie = cookiePair(response.headers, 'AuthSession');
  if (response.status !== 200 || !cookie)
    throw new Error(`${user.name} could not log in at the store: ${response.status}`);
  return cookie;
}

export function storeUrl(register: TestRegister): string {
  if (!register.embedded) throw new Error('this register has no embedded store');
  return register.embedded.url;
}
