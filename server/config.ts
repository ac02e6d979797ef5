/**
 * Configuration from the environment, each value with a default (README, "Configuration").
 * A value that cannot work throws ConfigError with one clear line.
 */
import { accessSync, constants, mkdirSync, readFileSync, writeFileSync, existsSync, chmodSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ConfigError } from './errors.ts';
import { normalizeUsername } from '../common/auth-derivation.ts';

export interface RegisterConfig {
  port: number;
  host: string;
  dataDir: string;
  /** Unset: the embedded store under DATA_DIR. Set: an external Apache CouchDB. */
  couchUrl: string | null;
  couchAdminUser: string;
  couchAdminPassword: string;
  adminUsername: string;
  /** Unset: a one-time password is generated at first start and must be changed at first login. */
  adminPassword: string | null;
  /** Absolute session lifetime, whatever the store's sliding timeout says. */
  sessionLifetimeHours: number;
  /** Behind a TLS-terminating proxy: trust X-Forwarded-* and mark cookies Secure. */
  trustProxy: boolean;
  /** Where the built PWA is served from. */
  staticDir: string;
}

type Env = Record<string, string | undefined>;

function parsePort(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!/^\d+$/.test(value) || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`${name} must be a port number from 0 to 65535, not "${value}"`);
  }
  return port;
}

function parsePositiveNumber(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0)
    throw new ConfigError(`${name} must be a positive number, not "${value}"`);
  return number;
}

function parseCouchUrl(value: string | undefined): string | null {
  if (value === undefined || value === '') return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`COUCH_URL must be an http(s) address such as http://couch.example:5984, not "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`COUCH_URL must start with http:// or https://, not "${value}"`);
  }
  if (url.username || url.password) {
    throw new ConfigError('COUCH_URL must not contain credentials; give COUCH_ADMIN_USER and COUCH_ADMIN_PASSWORD');
  }
  return url.toString().replace(/\/$/, '');
}

/** Makes DATA_DIR if needed and proves it is writable. */
function ensureWritableDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    accessSync(dir, constants.W_OK);
  } catch {
    throw new ConfigError(`DATA_DIR "${dir}" cannot be created or is not writable`);
  }
}

/** The saved store admin, or null when the file is not JSON at all (a damaged file is a ConfigError, not a crash). */
function parseSavedAdmin(text: string): { user?: unknown; password?: unknown } | null {
  try {
    return JSON.parse(text) as { user?: unknown; password?: unknown } | null;
  } catch {
    return null;
  }
}

/**
 * The embedded store's server admin: from the environment, or generated at first start and kept in
 * DATA_DIR/store-admin.json, readable only by its owner.
 */
function embeddedStoreAdmin(env: Env, dataDir: string): { user: string; password: string } {
  if (env.COUCH_ADMIN_USER && env.COUCH_ADMIN_PASSWORD)
    return { user: env.COUCH_ADMIN_USER, password: env.COUCH_ADMIN_PASSWORD };
  const file = join(dataDir, 'store-admin.json');
  if (existsSync(file)) {
    const saved = parseSavedAdmin(readFileSync(file, 'utf8'));
    if (typeof saved?.user === 'string' && typeof saved.password === 'string') {
      chmodSync(file, 0o600);
      return { user: saved.user, password: saved.password };
    }
    throw new ConfigError(`${file} is damaged; delete it to generate new store credentials`);
  }
  const created = { user: 'register-store-admin', password: randomBytes(24).toString('base64url') };
  writeFileSync(file, JSON.stringify(created, null, 2) + '\n', { mode: 0o600 });
  return created;
}

export function readConfig(env: Env = process.env, cwd = process.cwd()): RegisterConfig {
  const port = parsePort(env.PORT, 'PORT', 8080);
  const host = env.HOST || '127.0.0.1';
  const dataDir = resolve(cwd, env.DATA_DIR || './data');
  const couchUrl = parseCouchUrl(env.COUCH_URL);
  const adminUsername = normalizeUsername(env.ADMIN_USERNAME || 'admin');
  if (!/^[a-z0-9][a-z0-9._-]{1,63}$/.test(adminUsername)) {
    throw new ConfigError(`ADMIN_USERNAME must be 2–64 letters, digits, ".", "_" or "-", not "${env.ADMIN_USERNAME}"`);
  }
  const sessionLifetimeHours = parsePositiveNumber(env.SESSION_LIFETIME_HOURS, 'SESSION_LIFETIME_HOURS', 12);
  const trustProxy = env.TRUST_PROXY === '1' || env.TRUST_PROXY === 'true';
  const staticDir = resolve(cwd, env.STATIC_DIR || './dist');

  ensureWritableDir(dataDir);
  let couchAdminUser: string;
  let couchAdminPassword: string;
  if (couchUrl) {
    if (!env.COUCH_ADMIN_USER || !env.COUCH_ADMIN_PASSWORD) {
      throw new ConfigError(
        'COUCH_URL is set: COUCH_ADMIN_USER and COUCH_ADMIN_PASSWORD (a CouchDB server admin) are required',
      );
    }
    couchAdminUser = env.COUCH_ADMIN_USER;
    couchAdminPassword = env.COUCH_ADMIN_PASSWORD;
  } else {
    ({ user: couchAdminUser, password: couchAdminPassword } = embeddedStoreAdmin(env, dataDir));
  }
  return {
    port,
    host,
    dataDir,
    couchUrl,
    couchAdminUser,
    couchAdminPassword,
    adminUsername,
    adminPassword: env.ADMIN_PASSWORD || null,
    sessionLifetimeHours,
    trustProxy,
    staticDir,
  };
}
