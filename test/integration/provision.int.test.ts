/**
 * Provisioning runs at every start and must be idempotent: design documents are pushed only when their content
 * hash changed, `_security` objects are as specified, the deploymentId never changes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { provision, facilitySecurity, type ProvisionResult } from '../../couch/provision.ts';
import { deriveAuthKey } from '../../common/auth-derivation.ts';
import { facilityDesignDoc, type DesignDoc } from '../../design-docs/index.ts';
import { ADMIN_PASSWORD, startTestRegister, stopTestRegister, useRegister } from '../helpers/start-register.ts';
import { changeUserDoc, createFacility, postSession, readUserDoc } from '../helpers/users.ts';

const register = useRegister();
const DESIGN_DBS = ['reference', 'audit', 'facility-a', 'facility-b'];

beforeAll(async () => {
  await createFacility(register.current, 'a');
  await createFacility(register.current, 'b');
});

function provisionAgain(): Promise<ProvisionResult> {
  return provision(register.current.store, { adminUsername: 'admin', adminPassword: ADMIN_PASSWORD });
}

async function designRevs(): Promise<Record<string, string | undefined>> {
  const revs: Record<string, string | undefined> = {};
  for (const db of DESIGN_DBS)
    revs[db] = (await register.current.store.getDoc<DesignDoc>(db, '_design/register'))?._rev;
  return revs;
}

async function security(db: string): Promise<unknown> {
  return (await register.current.store.expect('GET', `/${db}/_security`, undefined)).body;
}

describe('provisioning again', () => {
  it('changes nothing when nothing changed: same design revisions, same settings, no new administrator', async () => {
    const revs = await designRevs();
    const adminRev = (await readUserDoc(register.current, 'admin'))._rev;
    for (let run = 0; run < 2; run += 1) {
      const result = await provisionAgain();
      expect(result).toMatchObject({ designDocsUpdated: [], adminCreated: false, oneTimePassword: null });
      expect(result.settings).toEqual(register.current.provisioned.settings);
    }
    expect(await designRevs()).toEqual(revs);
    expect(Object.values(revs).every((rev) => rev?.startsWith('1-'))).toBe(true);
    expect((await readUserDoc(register.current, 'admin'))._rev).toBe(adminRev);
  });

  it.each([
    [
      'reference',
      {
        admins: { names: [], roles: ['_admin'] },
        members: { names: [], roles: ['admin', 'doctor', 'nurse', 'analyst'] },
      },
    ],
    ['audit', { admins: { names: [], roles: ['_admin'] }, members: { names: [], roles: ['_admin', 'admin'] } }],
    ['register-settings', { admins: { names: [], roles: ['_admin'] }, members: { names: [], roles: ['_admin'] } }],
    [
      'facility-a',
      { admins: { names: [], roles: ['_admin'] }, members: { names: [], roles: ['facility:a', 'admin'] } },
    ],
  ])('leaves %s with its specified _security object', async (db, expected) => {
    expect(await security(db)).toEqual(expected);
  });

  it('puts back a design document that was changed behind its back, and only that one', async () => {
    const tampered = { ...facilityDesignDoc('b'), validate_doc_update: 'function () {}', contentHash: 'tampered' };
    await register.current.store.upsert<DesignDoc>('facility-b', '_design/register', () => tampered);
    const result = await provisionAgain();
    expect(result.designDocsUpdated).toEqual(['facility-b']);
    expect(await register.current.store.getDoc<DesignDoc>('facility-b', '_design/register')).toMatchObject({
      contentHash: facilityDesignDoc('b').contentHash,
      validate_doc_update: facilityDesignDoc('b').validate_doc_update,
    });
  });

  it('puts back a facility _security object that was opened up', async () => {
    await register.current.store.expect('PUT', '/facility-a/_security', {
      admins: { names: [], roles: [] },
      members: { names: [], roles: [] },
    });
    await provisionAgain();
    expect(await security('facility-a')).toEqual(facilitySecurity('a'));
  });

  it('does not recreate or reset an administrator that already exists', async () => {
    await changeUserDoc(register.current, 'admin', (doc) => ({ ...doc, displayName: 'Главный администратор' }));
    const result = await provisionAgain();
    expect(result.adminCreated).toBe(false);
    expect((await readUserDoc(register.current, 'admin')).displayName).toBe('Главный администратор');
  });
});

describe('a first administrator without ADMIN_PASSWORD', () => {
  it('gets a one-time password that logs in and must be changed', async () => {
    const result = await provision(register.current.store, { adminUsername: 'Chief', adminPassword: null });
    expect(result.adminCreated).toBe(true);
    expect(result.oneTimePassword).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}-[a-z2-9]{5}-[a-z2-9]{5}$/);
    expect(await readUserDoc(register.current, 'chief')).toMatchObject({
      roles: ['admin'],
      mustChangePassword: true,
      status: 'active',
    });
    const authKey = await deriveAuthKey(register.current.deploymentId, 'chief', result.oneTimePassword ?? '');
    const login = await postSession(register.current.url, 'chief', authKey);
    expect(login.json).toMatchObject({ ok: true, mustChangePassword: true });
  });
});

describe('restarting on the same data', () => {
  it('keeps the deploymentId and session secret, so authKeys and sessions stay valid', async () => {
    const first = await startTestRegister();
    try {
      const { deploymentId, sessionSecret } = first.provisioned.settings;
      await first.stop();
      const second = await startTestRegister({}, first.dataDir);
      try {
        expect(second.provisioned.settings).toEqual({ deploymentId, sessionSecret });
        expect(second.provisioned).toMatchObject({ adminCreated: false, designDocsUpdated: [] });
        const authKey = await deriveAuthKey(deploymentId, 'admin', ADMIN_PASSWORD);
        expect((await postSession(second.url, 'admin', authKey)).status).toBe(200);
      } finally {
        await second.stop();
      }
    } finally {
      await stopTestRegister(first);
    }
  });
});
