/**
 * The real register of the browser tests and its TEST-ONLY control API (test/browser-server/control.ts), both
 * reached at the page's own origin through web-test-runner's proxy. Accounts are created with a unique name per
 * call, so tests never share an account (the login throttle counts failures per address and username).
 * These calls use the page's real `fetch`, outside any SimulatedNetwork: they act behind the client's back.
 */

export interface AccountTemplate {
  /** A prefix: each created account gets this plus a random suffix. */
  name: string;
  password: string;
  roles: string[];
  displayName: string;
  mustChangePassword?: boolean;
}

export interface TestAccount extends AccountTemplate {
  name: string;
}

/** A `_users` document as the server admin sees it. */
export type UserDocument = Record<string, unknown>;

export function uniqueName(prefix: string): string {
  const suffix = Array.from(crypto.getRandomValues(new Uint8Array(6)), (byte) => (byte % 36).toString(36)).join('');
  return `${prefix}-${suffix}`;
}

async function control(method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`/__test__${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const parsed: unknown = await response.json().catch(() => null);
  if (!response.ok)
    throw new Error(`${method} /__test__${path} answered ${response.status}: ${JSON.stringify(parsed)}`);
  return parsed;
}

/** Creates an active account in the register's `_users`, with its authKey derived from the password. */
export async function createAccount(template: AccountTemplate): Promise<TestAccount> {
  const account: TestAccount = { mustChangePassword: false, ...template, name: uniqueName(template.name) };
  await control('POST', '/accounts', account);
  return account;
}

/** Sets a new password for the account, as an administrator or another device would. */
export async function changePasswordElsewhere(name: string, password: string): Promise<void> {
  await control('POST', `/accounts/${encodeURIComponent(name)}/password`, { password });
}

export async function disableAccount(name: string): Promise<void> {
  await control('POST', `/accounts/${encodeURIComponent(name)}/disable`);
}

/**
 * Writes `keyCopies`, `publicKey` or `encryptedPrivateKey` straight into the account's `_users` document,
 * unchecked — as whoever can write the store (an operator, a restored backup) could.
 */
export async function writeUserFields(name: string, fields: Record<string, unknown>): Promise<void> {
  await control('POST', `/accounts/${encodeURIComponent(name)}/fields`, fields);
}

export async function readUserDocument(name: string): Promise<UserDocument> {
  return (await control('GET', `/accounts/${encodeURIComponent(name)}`)) as UserDocument;
}

/** Creates `facility-<id>` (database, `_security`, design document) with an id of its own; returns the id. */
export async function createTestFacility(prefix = 'f'): Promise<string> {
  const id = uniqueName(prefix)
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-');
  await control('POST', '/facilities', { id });
  return id;
}

export interface ReferenceDocument {
  _id: string;
  type: string;
  [field: string]: unknown;
}

/** Writes a reference document (`{_id: "<type>:<key>", type, …}`) as the server admin. */
export async function writeReferenceDocument(doc: ReferenceDocument): Promise<void> {
  await control('POST', '/reference', doc);
}

/** A well-formed district of the reference books, with a key of its own. */
export function testDistrict(name: string): ReferenceDocument {
  const now = new Date().toISOString();
  return {
    _id: `district:${uniqueName('test')}`,
    type: 'district',
    active: true,
    name,
    kind: 'municipal-district',
    centre: 'Петрозаводск',
    region: 'Республика Карелия',
    createdBy: 'admin',
    createdAt: now,
    updatedBy: 'admin',
    updatedAt: now,
  };
}

/** Who the register says is logged in with this page's session cookie, or null. */
export async function serverSessionUser(): Promise<string | null> {
  const response = await fetch('/db/_session', { headers: { accept: 'application/json' } });
  const body = (await response.json()) as { userCtx?: { name?: unknown } };
  return typeof body.userCtx?.name === 'string' ? body.userCtx.name : null;
}

/** Ends this page's server session behind the client's back (as its absolute lifetime or another tab would). */
export async function endServerSession(): Promise<void> {
  const response = await fetch('/db/_session', { method: 'DELETE' });
  if (!response.ok) throw new Error(`DELETE /db/_session answered ${response.status}`);
}
