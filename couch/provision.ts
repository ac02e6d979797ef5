/**
 * Provisioning, run at every start and idempotent, the same against the embedded store and an external CouchDB:
 * system databases, `_security` objects, design documents (pushed only when their content hash changed), the
 * installation's settings (deploymentId, session secret) and the first administrator.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { StoreClient } from '../server/store-client.ts';
import { StoreError } from '../server/store-client.ts';
import { auditDesignDoc, referenceDesignDoc, DESIGN_DOC_ID, type DesignDoc } from '../design-docs/index.ts';
import { deriveAuthKey, normalizeUsername } from '../common/auth-derivation.ts';
import { STAFF_ROLES, facilityRole } from '../common/roles.ts';
import { seedReference } from './reference-seed.ts';
import { currentFacilityDesignDoc } from './epoch-retirement.ts';

import { AUDIT_DB, REFERENCE_DB, SETTINGS_DB, USERS_DB } from './databases.ts';

export { AUDIT_DB, REFERENCE_DB, SETTINGS_DB, USERS_DB };

export interface DeploymentSettings {
  deploymentId: string;
  /** Signs the gateway's session cookie; shared by every gateway instance through the store. */
  sessionSecret: string;
}

export interface ProvisionOptions {
  adminUsername: string;
  adminPassword: string | null;
  log?: (line: string) => void;
}

export interface ProvisionResult {
  settings: DeploymentSettings;
  /** Set only when the first administrator was created just now with a generated one-time password. */
  oneTimePassword: string | null;
  adminCreated: boolean;
  designDocsUpdated: string[];
}

export interface SecurityObject {
  admins: { names: string[]; roles: string[] };
  members: { names: string[]; roles: string[] };
}

const serverOnly: SecurityObject = {
  admins: { names: [], roles: ['_admin'] },
  members: { names: [], roles: ['_admin'] },
};

export function facilitySecurity(facilityId: string): SecurityObject {
  return {
    admins: { names: [], roles: ['_admin'] },
    members: { names: [], roles: [facilityRole(facilityId), 'admin'] },
  };
}

/** Waits until the store answers, for at most `timeoutMs`. */
export async function waitForStore(store: StoreClient, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const result = await store.request('GET', '/');
      if (result.status === 200) return;
      if (result.status === 401)
        throw new StoreError(
          401,
          'unauthorized',
          'COUCH_ADMIN_USER/COUCH_ADMIN_PASSWORD are not accepted by the store',
        );
    } catch (error) {
      if (error instanceof StoreError || Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new StoreError(503, 'unreachable', `no answer from ${store.baseUrl}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function ensureDatabase(store: StoreClient, name: string): Promise<void> {
  const exists = await store.request('HEAD', `/${encodeURIComponent(name)}`);
  if (exists.status === 200) return;
  await store.expect('PUT', `/${encodeURIComponent(name)}`, undefined, [412]);
}

export async function ensureSecurity(store: StoreClient, db: string, security: SecurityObject): Promise<void> {
  const current = await store.request<SecurityObject>('GET', `/${encodeURIComponent(db)}/_security`);
  if (JSON.stringify(current.body) === JSON.stringify(security)) return;
  await store.expect('PUT', `/${encodeURIComponent(db)}/_security`, security);
}

/** Pushes a design document only when its content hash differs from the stored one. Returns whether it wrote. */
export async function ensureDesignDoc(store: StoreClient, db: string, doc: DesignDoc): Promise<boolean> {
  const current = await store.getDoc<DesignDoc>(db, DESIGN_DOC_ID);
  if (current?.contentHash === doc.contentHash) return false;
  await store.upsert<DesignDoc>(db, DESIGN_DOC_ID, () => doc);
  return true;
}

async function ensureSettings(store: StoreClient): Promise<DeploymentSettings> {
  await store.upsert<DeploymentSettings & { _id: string }>(SETTINGS_DB, 'deployment', (current) =>
    current
      ? null
      : {
          _id: 'deployment',
          deploymentId: randomBytes(16).toString('base64url'),
          sessionSecret: randomBytes(32).toString('base64url'),
        },
  );
  const settings = await store.getDoc<DeploymentSettings>(SETTINGS_DB, 'deployment');
  if (!settings) throw new StoreError(500, 'settings_missing', 'deployment settings could not be written');
  return { deploymentId: settings.deploymentId, sessionSecret: settings.sessionSecret };
}

/** A strong one-time password that is easy to type from a slip: 4 groups of 5 unambiguous characters (~99 bits). */
export function generateOneTimePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(20);
  const chars = Array.from(bytes, (byte) => alphabet[byte % alphabet.length]);
  return [0, 5, 10, 15].map((start) => chars.slice(start, start + 5).join('')).join('-');
}

export interface UserDoc {
  _id: string;
  _rev?: string;
  name: string;
  type: 'user';
  roles: string[];
  password?: string;
  displayName: string;
  status: 'active' | 'disabled';
  mustChangePassword: boolean;
  createdAt: string;
  [field: string]: unknown;
}

export function userDocId(name: string): string {
  return `org.couchdb.user:${normalizeUsername(name)}`;
}

async function ensureFirstAdmin(
  store: StoreClient,
  settings: DeploymentSettings,
  options: ProvisionOptions,
): Promise<string | null | false> {
  const name = normalizeUsername(options.adminUsername);
  if (await store.getDoc(USERS_DB, userDocId(name))) return false;
  const oneTimePassword = options.adminPassword ? null : generateOneTimePassword();
  const password = options.adminPassword ?? oneTimePassword ?? '';
  const authKey = await deriveAuthKey(settings.deploymentId, name, password);
  const doc: UserDoc = {
    _id: userDocId(name),
    name,
    type: 'user',
    roles: ['admin'],
    password: authKey,
    displayName: 'Администратор',
    status: 'active',
    mustChangePassword: oneTimePassword !== null,
    createdAt: new Date().toISOString(),
  };
  await store.upsert<UserDoc>(USERS_DB, doc._id, (current) => (current ? null : doc));
  return oneTimePassword;
}

export async function writeAuditEvent(
  store: StoreClient,
  login: string,
  event: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  const at = new Date().toISOString();
  const id = `audit:${login}:${at}:${randomUUID()}`;
  await store.expect('PUT', `/${AUDIT_DB}/${encodeURIComponent(id)}`, {
    _id: id,
    type: 'audit',
    event,
    login,
    at,
    ...details,
  });
}

async function facilityIds(store: StoreClient): Promise<string[]> {
  const all = await store.expect<string[]>('GET', '/_all_dbs', undefined);
  return all.body.flatMap((db) => /^facility-(.+)$/.exec(db)?.slice(1, 2) ?? []);
}

/** Every existing facility database gets the current design document and `_security` object. */
async function provisionFacilities(store: StoreClient, updated: string[]): Promise<void> {
  for (const id of await facilityIds(store)) {
    await ensureSecurity(store, `facility-${id}`, facilitySecurity(id));
    if (await ensureDesignDoc(store, `facility-${id}`, await currentFacilityDesignDoc(store, id)))
      updated.push(`facility-${id}`);
  }
}

/**
 * Brings every facility's design document up to date with its epochs (epoch-retirement.ts): run after an epoch
 * starts and from a timer, so that a grace period that ended is enforced. Returns the databases it changed.
 */
export async function refreshFacilityDesignDocs(store: StoreClient, now: number = Date.now()): Promise<string[]> {
  const updated: string[] = [];
  for (const id of await facilityIds(store)) {
    if (await ensureDesignDoc(store, `facility-${id}`, await currentFacilityDesignDoc(store, id, now)))
      updated.push(`facility-${id}`);
  }
  return updated;
}

export async function provision(store: StoreClient, options: ProvisionOptions): Promise<ProvisionResult> {
  await waitForStore(store);
  for (const db of [USERS_DB, REFERENCE_DB, AUDIT_DB, SETTINGS_DB]) await ensureDatabase(store, db);
  await ensureSecurity(store, REFERENCE_DB, {
    admins: { names: [], roles: ['_admin'] },
    members: { names: [], roles: [...STAFF_ROLES] },
  });
  // Administrators read the audit trail (the gateway allows it to them alone); only the server writes it.
  await ensureSecurity(store, AUDIT_DB, {
    admins: { names: [], roles: ['_admin'] },
    members: { names: [], roles: ['_admin', 'admin'] },
  });
  await ensureSecurity(store, SETTINGS_DB, serverOnly);
  const designDocsUpdated: string[] = [];
  if (await ensureDesignDoc(store, REFERENCE_DB, referenceDesignDoc())) designDocsUpdated.push(REFERENCE_DB);
  if (await ensureDesignDoc(store, AUDIT_DB, auditDesignDoc())) designDocsUpdated.push(AUDIT_DB);
  await provisionFacilities(store, designDocsUpdated);
  // Starter reference books for a fresh install; entries that exist (or were deactivated) are left as they are.
  await seedReference(store, { by: 'system' });
  const settings = await ensureSettings(store);
  const admin = await ensureFirstAdmin(store, settings, options);
  if (admin !== false) await writeAuditEvent(store, normalizeUsername(options.adminUsername), 'first-admin-created');
  return { settings, oneTimePassword: admin || null, adminCreated: admin !== false, designDocsUpdated };
}

/** Creates (or brings up to date) one facility's database: `_security` and design document. */
export async function provisionFacilityDatabase(store: StoreClient, facilityId: string): Promise<void> {
  const db = `facility-${facilityId}`;
  await ensureDatabase(store, db);
  await ensureSecurity(store, db, facilitySecurity(facilityId));
  await ensureDesignDoc(store, db, await currentFacilityDesignDoc(store, facilityId));
}
