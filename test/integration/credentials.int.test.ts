/**
 * `POST /api/me/credentials`: the only way a user changes their own password (authKey) and key material.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { deriveAuthKey } from '../../common/auth-derivation.ts';
import { useRegister } from '../helpers/start-register.ts';
import { validateStaffEntry } from '../../server/admin/staff.ts';
import {
  createFacility,
  createUser,
  logIn,
  postSession,
  readUserDoc,
  type Session,
  type TestUser,
} from '../helpers/users.ts';

const register = useRegister();
const keys = {
  publicKey: {
    kty: 'EC',
    crv: 'P-256',
    x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
    y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
  },
  encryptedPrivateKey: { iv: 'AAECAwQFBgcICQoL', ct: 'c2VhbGVkLXByaXZhdGUta2V5' },
};
let nina: TestUser;
let session: Session;

beforeAll(async () => {
  await createFacility(register.current, 'a');
  nina = await createUser(register.current, {
    name: 'nina',
    password: 'nina-pass-2026',
    roles: ['nurse', 'facility:a'],
  });
  session = await logIn(register.current, nina);
});

describe('changing one’s credentials', () => {
  it.each([
    ['no currentAuthKey', { currentAuthKey: undefined }, '"currentAuthKey"'],
    [
      'a currentAuthKey that is not an authKey',
      { currentAuthKey: 'my password', newAuthKey: 'N'.repeat(43) },
      '"currentAuthKey"',
    ],
    ['no newAuthKey', { newAuthKey: undefined }, '"newAuthKey"'],
    [
      'a newAuthKey of the wrong length',
      { currentAuthKey: 'C'.repeat(43), newAuthKey: 'N'.repeat(42) },
      '"newAuthKey"',
    ],
    ['the same key twice', { currentAuthKey: 'C'.repeat(43), newAuthKey: 'C'.repeat(43) }, '"newAuthKey"'],
    [
      'a public key of another curve',
      { keys: { ...keys, publicKey: { ...keys.publicKey, crv: 'P-384' } } },
      '"keys.publicKey"',
    ],
    [
      'a public key with its private part',
      { keys: { ...keys, publicKey: { ...keys.publicKey, d: 'secret' } } },
      '"keys.publicKey"',
    ],
    [
      'a public key coordinate that is not base64url',
      { keys: { ...keys, publicKey: { ...keys.publicKey, x: 'a+b/' } } },
      '"keys.publicKey.x"',
    ],
    ['no encrypted private key', { keys: { publicKey: keys.publicKey } }, '"keys.encryptedPrivateKey"'],
    [
      'an oversized encrypted private key',
      { keys: { ...keys, encryptedPrivateKey: { iv: 'AAEC', ct: 'A'.repeat(5000) } } },
      '"keys.encryptedPrivateKey.ct"',
    ],
  ])('refuses %s with 400 naming the field', async (_what, fields, fieldName) => {
    const body = { currentAuthKey: 'C'.repeat(43), newAuthKey: 'N'.repeat(43), ...fields };
    const answer = await session.post('/api/me/credentials', body);
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ error: 'bad_request', reason: expect.stringContaining(fieldName) });
  });

  it('refuses a wrong current authKey with 401 and changes nothing', async () => {
    const before = await readUserDoc(register.current, 'nina');
    const answer = await session.post('/api/me/credentials', {
      currentAuthKey: 'W'.repeat(43),
      newAuthKey: 'N'.repeat(43),
    });
    expect(answer.status).toBe(401);
    expect((await readUserDoc(register.current, 'nina'))._rev).toBe(before._rev);
  });

  it('slows down guessing of the current password like logins', async () => {
    const vera = await createUser(register.current, { name: 'vera', password: 'vera-pass-2026', roles: ['nurse'] });
    const veraSession = await logIn(register.current, vera);
    const guess = (): Promise<number> =>
      veraSession
        .post('/api/me/credentials', { currentAuthKey: 'W'.repeat(43), newAuthKey: 'N'.repeat(43) })
        .then((answer) => answer.status);
    for (let attempt = 0; attempt < 5; attempt += 1) expect(await guess()).toBe(401);
    expect(await guess()).toBe(429);
  });

  it('refuses a caller without a session', async () => {
    const answer = await postCredentials(null, { currentAuthKey: nina.authKey, newAuthKey: 'N'.repeat(43) });
    expect(answer).toBe(401);
  });

  describe('with the right current authKey', () => {
    let newAuthKey: string;
    let before: Awaited<ReturnType<typeof readUserDoc>>;

    beforeAll(async () => {
      newAuthKey = await deriveAuthKey(register.current.deploymentId, 'nina', 'a-new-and-better-passphrase');
      before = await readUserDoc(register.current, 'nina');
      const answer = await session.post('/api/me/credentials', {
        currentAuthKey: nina.authKey,
        newAuthKey,
        keys,
        roles: ['admin'],
        status: 'active',
        name: 'someone-else',
      });
      expect(answer.status).toBe(200);
    });

    it('writes the new password and key material, and nothing the body smuggled in', async () => {
      const after = await readUserDoc(register.current, 'nina');
      expect(after.derived_key).not.toBe(before.derived_key);
      expect(after).toMatchObject({
        name: 'nina',
        roles: ['nurse', 'facility:a'],
        status: 'active',
        publicKey: keys.publicKey,
        encryptedPrivateKey: keys.encryptedPrivateKey,
      });
      expect(after.passwordChangedAt).toEqual(expect.any(String));
    });

    it('puts the new public key into the staff directory entry, where colleagues and administrators find it', async () => {
      const entry = await register.current.store.getDoc<Record<string, unknown>>('reference', 'staff:nina');
      expect(entry).toMatchObject({ type: 'staff', login: 'nina', publicKey: keys.publicKey, facilities: ['a'] });
      expect(validateStaffEntry(entry)).toEqual([]);
    });

    it('ends the sessions opened with the old password (store sessions are bound to the password)', async () => {
      const answer = await session.get('/db/facility-a');
      expect(answer.status).toBe(401);
    });

    it('no longer accepts the old authKey', async () => {
      expect((await postSession(register.current.url, 'nina', nina.authKey)).status).toBe(401);
    });

    it('accepts the new authKey', async () => {
      const fresh = await logIn(register.current, { name: 'nina', authKey: newAuthKey });
      expect((await fresh.get('/db/facility-a')).status).toBe(200);
    });
  });
});

describe('an account that must change its password', () => {
  let olga: TestUser;
  let olgaSession: Session;

  beforeAll(async () => {
    olga = await createUser(register.current, {
      name: 'olga',
      password: 'one-time-slip-password',
      roles: ['doctor', 'facility:a'],
      mustChangePassword: true,
    });
    olgaSession = await logIn(register.current, olga);
  });

  it.each(['/db/facility-a', '/db/facility-a/_all_docs', '/db/'])(
    'is stopped at %s with 403 password_change_required',
    async (path) => {
      const answer = await olgaSession.get(path);
      expect(answer.status).toBe(403);
      expect(answer.json).toMatchObject({ error: 'password_change_required' });
    },
  );

  it('can still see its session, which says so', async () => {
    const answer = await olgaSession.get('/db/_session');
    expect(answer.json).toMatchObject({ userCtx: { name: 'olga' }, mustChangePassword: true });
  });

  it('can change its credentials, after which the flag is cleared and the register opens', async () => {
    const newAuthKey = await deriveAuthKey(register.current.deploymentId, 'olga', 'olga-chose-this-herself');
    const answer = await olgaSession.post('/api/me/credentials', { currentAuthKey: olga.authKey, newAuthKey });
    expect(answer.status).toBe(200);
    expect((await readUserDoc(register.current, 'olga')).mustChangePassword).toBe(false);
    const fresh = await logIn(register.current, { name: 'olga', authKey: newAuthKey });
    expect((await fresh.get('/db/facility-a/_all_docs')).status).toBe(200);
  });
});

async function postCredentials(cookie: string | null, body: unknown): Promise<number> {
  const response = await fetch(`${register.current.url}/api/me/credentials`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify(body),
  });
  return response.status;
}
