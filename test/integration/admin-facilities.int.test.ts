/**
 * Facilities through the administration API: the reference entry, the facility's database with its `_security`
 * object and design document, the public key artefacts the administrator's browser made, and who can read it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createFacilitySigningKey,
  createRecoveryKit,
  generateEpochKey,
  recoveryRecipient,
  signKeyCopy,
  wrapEpochKey,
  wrapSigningKey,
  wipe,
  type RecoveryKit,
} from '../../common/keys/index.ts';
import { facilityDesignDoc } from '../../design-docs/index.ts';
import { facilitySecurity } from '../../couch/provision.ts';
import { useRegister } from '../helpers/start-register.ts';
import { createUser, firstAdmin, logIn, type Session } from '../helpers/users.ts';
import type { HttpResult } from '../helpers/http.ts';

const register = useRegister();
let admin: Session;

interface Artefacts {
  epoch: 1;
  signingPublicKey: RecoveryKit['publicKeyJwk'];
  recoveryPublicKey: RecoveryKit['publicKeyJwk'];
  recoveryKit: RecoveryKit;
  wrappedKeys: { signingKey: unknown[]; epochKeys: unknown[] };
}

/** What the administrator's browser makes for a new facility: nothing secret leaves it. */
async function makeArtefacts(facilityId: string): Promise<Artefacts> {
  const signing = await createFacilitySigningKey();
  const { kit } = await createRecoveryKit(facilityId);
  const epochKey = generateEpochKey();
  const recipient = recoveryRecipient(kit);
  const epochCopy = await signKeyCopy(
    signing.privateKey,
    await wrapEpochKey(epochKey, recipient, { facilityId, epoch: 1 }),
  );
  const signingCopy = await wrapSigningKey(signing.privateKeyPkcs8, recipient, { facilityId });
  wipe(epochKey);
  wipe(signing.privateKeyPkcs8);
  return {
    epoch: 1,
    signingPublicKey: signing.publicKeyJwk,
    recoveryPublicKey: kit.publicKeyJwk,
    recoveryKit: kit,
    wrappedKeys: { signingKey: [signingCopy], epochKeys: [epochCopy] },
  };
}

function patch(path: string, body: unknown): Promise<HttpResult> {
  return admin.request(path, { method: 'PATCH', body });
}

beforeAll(async () => {
  admin = await logIn(register.current, await firstAdmin(register.current));
});

describe('creating a facility', () => {
  let keys: Artefacts;
  let created: HttpResult;

  beforeAll(async () => {
    keys = await makeArtefacts('hospice-1');
    created = await admin.post('/api/admin/facilities', {
      id: 'hospice-1',
      name: 'Хоспис №1',
      shortName: 'Хоспис',
      districtId: 'petrozavodsk',
      keys,
    });
  });

  it('answers 201 with the facility and its public keys', () => {
    expect(created.status).toBe(201);
    expect(created.json).toEqual({
      ok: true,
      facility: {
        id: 'hospice-1',
        name: 'Хоспис №1',
        shortName: 'Хоспис',
        districtId: 'petrozavodsk',
        active: true,
        createdAt: expect.any(String),
        createdBy: 'admin',
        keys: { epoch: 1, signingPublicKey: keys.signingPublicKey, recoveryPublicKey: keys.recoveryPublicKey },
      },
    });
  });

  it('creates the facility database with its security object and design document', async () => {
    const { store } = register.current;
    expect(await store.getDoc('facility-hospice-1', '_security')).toEqual(facilitySecurity('hospice-1'));
    const design = await store.getDoc<{ contentHash: string }>('facility-hospice-1', '_design/register');
    expect(design?.contentHash).toBe(facilityDesignDoc('hospice-1').contentHash);
  });

  it('stores the key artefacts in reference as facility-keys:<id>', async () => {
    const doc = await register.current.store.getDoc('reference', 'facility-keys:hospice-1');
    expect(doc).toMatchObject({
      type: 'facility-keys',
      facilityId: 'hospice-1',
      epoch: 1,
      recoveryKit: keys.recoveryKit,
      wrappedKeys: keys.wrappedKeys,
      createdBy: 'admin',
    });
  });

  it('lists it', async () => {
    const answer = await admin.get('/api/admin/facilities');
    expect(answer.status).toBe(200);
    const { facilities } = answer.json as { facilities: { id: string }[] };
    expect(facilities).toEqual([(created.json as { facility: unknown }).facility]);
  });

  it('refuses the same id again with 409', async () => {
    const again = await admin.post('/api/admin/facilities', { id: 'hospice-1', name: 'Другой' });
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({ error: 'conflict' });
  });

  it('also takes the copies as one list, sorted by their shape', async () => {
    const flat = await makeArtefacts('clinic-3');
    const answer = await admin.post('/api/admin/facilities', {
      id: 'clinic-3',
      name: 'Поликлиника №3',
      keys: { ...flat, wrappedKeys: [...flat.wrappedKeys.signingKey, ...flat.wrappedKeys.epochKeys] },
    });
    expect(answer.status).toBe(201);
    const doc = await register.current.store.getDoc('reference', 'facility-keys:clinic-3');
    expect(doc).toMatchObject({ wrappedKeys: flat.wrappedKeys });
  });

  it('creates a facility without keys too', async () => {
    const answer = await admin.post('/api/admin/facilities', { id: 'clinic-2', name: 'Поликлиника №2' });
    expect(answer.status).toBe(201);
    expect((answer.json as { facility: Record<string, unknown> }).facility).not.toHaveProperty('keys');
    expect(await register.current.store.getDoc('reference', 'facility-keys:clinic-2')).toBeNull();
  });
});

describe('who can read a facility created here', () => {
  let member: Session;
  let otherMember: Session;

  beforeAll(async () => {
    const memberKey = 'M'.repeat(43);
    const created = await admin.post('/api/admin/staff', {
      login: 'masha',
      displayName: 'Маша',
      roles: ['nurse'],
      facilities: ['hospice-1'],
      authKey: memberKey,
    });
    expect(created.status).toBe(201);
    await register.current.store.upsert<{ _id: string; mustChangePassword?: boolean }>(
      '_users',
      'org.couchdb.user:masha',
      (doc) => (doc ? { ...doc, mustChangePassword: false } : null),
    );
    member = await logIn(register.current, { name: 'masha', authKey: memberKey });
    const other = await createUser(register.current, {
      name: 'kolya',
      password: 'kolya-pass-2026',
      roles: ['nurse', 'facility:clinic-2'],
    });
    otherMember = await logIn(register.current, other);
  });

  it('lets its member read it', async () => {
    expect((await member.get('/db/facility-hospice-1')).status).toBe(200);
    expect((await member.get('/db/facility-hospice-1/_all_docs')).status).toBe(200);
  });

  it('answers another facility’s member 404, as for a database that does not exist', async () => {
    const answer = await otherMember.get('/db/facility-hospice-1');
    expect(answer.status).toBe(404);
    expect(answer.text).toBe((await otherMember.get('/db/facility-nowhere')).text);
  });
});

describe('changing a facility', () => {
  it('renames it and deactivates it, keeping the entry', async () => {
    const answer = await patch('/api/admin/facilities/clinic-2', { name: 'Поликлиника 2', active: false });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ ok: true, facility: { id: 'clinic-2', name: 'Поликлиника 2', active: false } });
    const doc = await register.current.store.getDoc('reference', 'facility:clinic-2');
    expect(doc).toMatchObject({ name: 'Поликлиника 2', active: false, updatedBy: 'admin' });
  });

  it('answers 404 for a facility that does not exist', async () => {
    expect((await patch('/api/admin/facilities/nowhere', { name: 'x' })).status).toBe(404);
  });

  it('writes facility-created, key-material-stored and facility-updated events', async () => {
    const answer = await admin.get('/api/admin/audit?login=admin');
    const events = (answer.json as { events: { event: string; target?: string }[] }).events;
    expect(events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ event: 'facility-created', target: 'hospice-1' }),
        expect.objectContaining({
          event: 'key-material-stored',
          target: 'hospice-1',
          signingKeyCopies: 1,
          epochKeyCopies: 1,
        }),
        expect.objectContaining({ event: 'facility-updated', target: 'clinic-2' }),
      ]),
    );
  });
});

describe('refused input', () => {
  let keys: Artefacts;
  let otherKeys: Artefacts;

  beforeAll(async () => {
    keys = await makeArtefacts('new-one');
    otherKeys = await makeArtefacts('hospice-1');
  });

  const cases: [string, (k: Artefacts, o: Artefacts) => Record<string, unknown>, string][] = [
    ['an id with capitals', () => ({ id: 'Hospice' }), 'id'],
    ['an id with an underscore', () => ({ id: 'new_one' }), 'id'],
    ['no name', () => ({ name: '' }), 'name'],
    ['a short name that is not text', () => ({ shortName: 5 }), 'shortName'],
    ['a district that does not exist', () => ({ districtId: 'atlantis' }), 'districtId'],
    ['a field the server does not take', () => ({ recoveryCode: 'ABCD' }), 'recoveryCode'],
    ['keys that are not an object', () => ({ keys: 'secret' }), 'keys'],
    ['a second epoch', (k) => ({ keys: { ...k, epoch: 2 } }), 'keys.epoch'],
    [
      'a signing key with its private part',
      (k) => ({ keys: { ...k, signingPublicKey: { ...k.signingPublicKey, d: 'A'.repeat(43) } } }),
      'keys.signingPublicKey',
    ],
    ['no recovery public key', (k) => ({ keys: { ...k, recoveryPublicKey: undefined } }), 'keys.recoveryPublicKey'],
    [
      'a raw key instead of a kit',
      (k) => ({ keys: { ...k, recoveryKit: { key: 'A'.repeat(43) } } }),
      'keys.recoveryKit',
    ],
    ['another facility’s recovery kit', (k, o) => ({ keys: { ...k, recoveryKit: o.recoveryKit } }), 'keys.recoveryKit'],
    ['a wrapped key that is not one', (k) => ({ keys: { ...k, wrappedKeys: [{ ct: 'x' }] } }), 'keys.wrappedKeys[0]'],
    [
      'an epoch copy given as the signing key',
      (k) => ({ keys: { ...k, wrappedKeys: { signingKey: k.wrappedKeys.epochKeys, epochKeys: [] } } }),
      'keys.wrappedKeys.signingKey[0]',
    ],
    [
      'an unknown kind of copies',
      (k) => ({ keys: { ...k, wrappedKeys: { ...k.wrappedKeys, epochKey: [] } } }),
      'keys.wrappedKeys.epochKey',
    ],
    [
      'a copy of another facility',
      (k, o) => ({ keys: { ...k, wrappedKeys: [...k.wrappedKeys.epochKeys, ...o.wrappedKeys.epochKeys] } }),
      'keys.wrappedKeys[1]',
    ],
    ['an extra key field', (k) => ({ keys: { ...k, epochKey: 'A'.repeat(43) } }), 'keys.epochKey'],
    [
      'keys that are too large',
      (k) => ({ keys: { ...k, wrappedKeys: Array(600).fill(k.wrappedKeys.epochKeys[0]) } }),
      'keys',
    ],
  ];

  it.each(cases)('refuses a facility with %s, naming the field', async (_what, change, field) => {
    const answer = await admin.post('/api/admin/facilities', {
      id: 'new-one',
      name: 'Новая',
      keys,
      ...change(keys, otherKeys),
    });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ error: 'bad_request', field, reason: expect.any(String) });
    expect(await register.current.store.getDoc('reference', 'facility:new-one')).toBeNull();
    expect((await register.current.store.request('HEAD', '/facility-new-one')).status).toBe(404);
  });

  it.each([
    ['active', { active: 'no' }],
    ['name', { name: '' }],
    ['districtId', { districtId: 'Not A Slug' }],
    ['id', { id: 'renamed' }],
  ])('refuses a change of %s that is not valid, naming the field', async (field, body) => {
    const answer = await patch('/api/admin/facilities/hospice-1', body);
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ error: 'bad_request', field });
  });
});
