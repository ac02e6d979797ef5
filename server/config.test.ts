import { mkdtempSync, rmSync, writeFileSync, statSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readConfig } from './config.ts';
import { ConfigError } from './errors.ts';

let workDir: string;

beforeEach(() => {
  workDir = mkdtempSync(join(tmpdir(), 'register-config-'));
});

afterEach(() => {
  rmSync(workDir, { recursive: true, force: true });
});

/** The ConfigError message readConfig throws for this environment; fails the test if it throws nothing else. */
function configErrorFor(env: Record<string, string>): string {
  try {
    readConfig(env, workDir);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('readConfig accepted the environment');
}

describe('configuration defaults', () => {
  it('runs the embedded store on 127.0.0.1:8080 with data in ./data and a working-day session', () => {
    const config = readConfig({}, workDir);
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      dataDir: join(workDir, 'data'),
      couchUrl: null,
      couchAdminUser: 'register-store-admin',
      adminUsername: 'admin',
      adminPassword: null,
      sessionLifetimeHours: 12,
      trustProxy: false,
      staticDir: join(workDir, 'dist'),
    });
  });

  it('generates the embedded store’s admin password once, readable only by its owner, and keeps it', () => {
    const first = readConfig({}, workDir);
    const file = join(workDir, 'data', 'store-admin.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first.couchAdminPassword.length).toBeGreaterThanOrEqual(32);
    expect(readConfig({}, workDir).couchAdminPassword).toBe(first.couchAdminPassword);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      user: first.couchAdminUser,
      password: first.couchAdminPassword,
    });
  });

  it('reads every value from the environment', () => {
    const config = readConfig(
      {
        PORT: '0',
        HOST: '0.0.0.0',
        DATA_DIR: 'store-here',
        COUCH_URL: 'https://couch.example:6984/',
        COUCH_ADMIN_USER: 'couchadmin',
        COUCH_ADMIN_PASSWORD: 'secret',
        ADMIN_USERNAME: '  Chief.Admin ',
        ADMIN_PASSWORD: 'Strong-Pass-2026!',
        SESSION_LIFETIME_HOURS: '0.5',
        TRUST_PROXY: 'true',
        STATIC_DIR: '/srv/pwa',
      },
      workDir,
    );
    expect(config).toEqual({
      port: 0,
      host: '0.0.0.0',
      dataDir: join(workDir, 'store-here'),
      couchUrl: 'https://couch.example:6984',
      couchAdminUser: 'couchadmin',
      couchAdminPassword: 'secret',
      adminUsername: 'chief.admin',
      adminPassword: 'Strong-Pass-2026!',
      sessionLifetimeHours: 0.5,
      trustProxy: true,
      staticDir: '/srv/pwa',
    });
  });
});

describe('configuration that cannot work', () => {
  it.each([
    ['a PORT that is not a number', { PORT: 'abc' }, 'PORT must be a port number from 0 to 65535, not "abc"'],
    ['a PORT out of range', { PORT: '70000' }, 'PORT must be a port number from 0 to 65535, not "70000"'],
    ['a negative PORT', { PORT: '-1' }, 'PORT must be a port number from 0 to 65535, not "-1"'],
    [
      'a COUCH_URL that is not a URL',
      { COUCH_URL: 'couch:5984' },
      'COUCH_URL must start with http:// or https://, not "couch:5984"',
    ],
    [
      'a COUCH_URL that does not parse',
      { COUCH_URL: 'not a url' },
      'COUCH_URL must be an http(s) address such as http://couch.example:5984, not "not a url"',
    ],
    [
      'a COUCH_URL of another protocol',
      { COUCH_URL: 'ftp://couch.example' },
      'COUCH_URL must start with http:// or https://, not "ftp://couch.example"',
    ],
    [
      'credentials inside COUCH_URL',
      { COUCH_URL: 'http://admin:pw@couch.example:5984' },
      'COUCH_URL must not contain credentials; give COUCH_ADMIN_USER and COUCH_ADMIN_PASSWORD',
    ],
    [
      'COUCH_URL without a server admin',
      { COUCH_URL: 'http://couch.example:5984' },
      'COUCH_URL is set: COUCH_ADMIN_USER and COUCH_ADMIN_PASSWORD (a CouchDB server admin) are required',
    ],
    [
      'COUCH_URL with only half of the server admin',
      { COUCH_URL: 'http://couch.example:5984', COUCH_ADMIN_USER: 'couchadmin' },
      'COUCH_URL is set: COUCH_ADMIN_USER and COUCH_ADMIN_PASSWORD (a CouchDB server admin) are required',
    ],
    [
      'a session lifetime of zero',
      { SESSION_LIFETIME_HOURS: '0' },
      'SESSION_LIFETIME_HOURS must be a positive number, not "0"',
    ],
    [
      'a session lifetime that is not a number',
      { SESSION_LIFETIME_HOURS: 'long' },
      'SESSION_LIFETIME_HOURS must be a positive number, not "long"',
    ],
    [
      'an administrator name with spaces inside',
      { ADMIN_USERNAME: 'chief admin' },
      'ADMIN_USERNAME must be 2–64 letters, digits, ".", "_" or "-", not "chief admin"',
    ],
  ])('refuses %s with one clear line', (_what, env, message) => {
    expect(configErrorFor(env)).toBe(message);
  });

  it('refuses a DATA_DIR that cannot be created (a path under a file)', () => {
    const file = join(workDir, 'a-file');
    writeFileSync(file, 'not a directory');
    expect(configErrorFor({ DATA_DIR: join(file, 'data') })).toBe(
      `DATA_DIR "${join(file, 'data')}" cannot be created or is not writable`,
    );
  });

  it.each([
    ['not JSON at all', '{"user": "register-store-admin", "pass'],
    ['JSON without a password', '{"user": "register-store-admin"}'],
  ])('refuses a damaged store-admin.json (%s) and says how to recover', (_what, content) => {
    const dataDir = join(workDir, 'data');
    readConfig({ DATA_DIR: dataDir }, workDir);
    writeFileSync(join(dataDir, 'store-admin.json'), content);
    expect(configErrorFor({ DATA_DIR: dataDir })).toBe(
      `${join(dataDir, 'store-admin.json')} is damaged; delete it to generate new store credentials`,
    );
  });
});
