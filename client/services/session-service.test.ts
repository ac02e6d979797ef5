import { assert, expect } from '@open-wc/testing';
import { createTestServices, type TestServices } from '../test-support/test-services.ts';
import {
  changePasswordElsewhere,
  createAccount,
  disableAccount,
  endServerSession,
  readUserDocument,
  serverSessionUser,
  type TestAccount,
} from '../test-support/test-register.ts';
import { until } from '../test-support/render.ts';
import { UserFacingError, messageFor } from './user-messages.ts';

const NURSE = {
  name: 'nurse',
  password: 'correct horse battery',
  roles: ['nurse', 'facility:kem'],
  displayName: 'Анна Иванова',
};

async function loggedIn(): Promise<{ services: TestServices; nurse: TestAccount }> {
  const nurse = await createAccount(NURSE);
  const services = createTestServices();
  await services.session.start();
  await services.session.login(nurse.name, nurse.password);
  return { services, nurse };
}

async function failure(action: Promise<unknown>): Promise<unknown> {
  try {
    await action;
  } catch (error) {
    return error;
  }
  throw new Error('expected the action to fail');
}

describe('session service', () => {
  it('starts signed out on a new device', async () => {
    const services = createTestServices();
    await services.session.start();
    assert.deepEqual(services.session.state.kind, 'signed-out');
  });

  it('logs in, remembers the user for the lock screen and starts sync', async () => {
    const { services, nurse } = await loggedIn();
    const state = services.session.state;
    assert.deepEqual(state.kind, 'ready');
    assert.deepEqual(state.kind === 'ready' && state.user.displayName, 'Анна Иванова');
    assert.deepEqual(state.kind === 'ready' && state.user.roles, NURSE.roles);
    assert.deepEqual(services.session.unlocked, true);
    assert.deepEqual(services.device.lockRecord()?.username, nurse.name);
    assert.deepEqual(services.sync.running, true);
    assert.deepEqual(await serverSessionUser(), nurse.name);
  });

  it('turns a wrong password into a clear message and stays signed out', async () => {
    const nurse = await createAccount(NURSE);
    const services = createTestServices();
    await services.session.start();
    const error = await failure(services.session.login(nurse.name, 'wrong'));
    assert.deepEqual(messageFor(error), { key: 'error.wrongCredentials' });
    assert.deepEqual(services.session.state.kind, 'signed-out');
    assert.deepEqual(services.device.lockRecord(), null);
    assert.deepEqual(await serverSessionUser(), null);
  });

  it('locks: drops the keys and shows the lock screen', async () => {
    const { services } = await loggedIn();
    services.session.lock();
    assert.deepEqual(services.session.state.kind, 'locked');
    assert.deepEqual(services.session.unlocked, false);
  });

  it('unlocks offline with the right password and refuses a wrong one', async () => {
    const { services, nurse } = await loggedIn();
    services.session.lock();
    services.network.goOffline();
    const error = await failure(services.session.unlock('wrong'));
    expect(error).to.be.instanceOf(UserFacingError);
    assert.deepEqual(messageFor(error), { key: 'lock.wrongPassword' });
    assert.deepEqual(services.session.state.kind, 'locked');
    await services.session.unlock(nurse.password);
    assert.deepEqual(services.session.state.kind, 'ready');
  });

  it('shows the lock screen when the app starts offline for a remembered user, then home after unlock', async () => {
    const { services: first, nurse } = await loggedIn();
    first.close();

    first.network.goOffline();
    const again = createTestServices({ network: first.network });
    await again.session.start();
    assert.deepEqual(again.session.state.kind, 'locked');
    await again.session.unlock(nurse.password);
    const state = again.session.state;
    assert.deepEqual(state.kind, 'ready');
    assert.deepEqual(state.kind === 'ready' && state.user.roles, NURSE.roles);
  });

  it('opens a new server session at unlock when the old one has ended', async () => {
    const { services, nurse } = await loggedIn();
    services.session.lock();
    await endServerSession();
    assert.deepEqual(await serverSessionUser(), null);
    await services.session.unlock(nurse.password);
    assert.deepEqual(await serverSessionUser(), nurse.name);
    assert.deepEqual(services.session.state.kind, 'ready');
  });

  const refusals: Array<[string, (nurse: TestAccount) => Promise<void>]> = [
    ['the password was changed elsewhere', (nurse) => changePasswordElsewhere(nurse.name, 'changed on another device')],
    ['the account was disabled', (nurse) => disableAccount(nurse.name)],
  ];
  for (const [what, arrange] of refusals) {
    it(`signs out when the device password no longer opens the server: ${what}`, async () => {
      const { services, nurse } = await loggedIn();
      services.session.lock();
      await arrange(nurse);
      await services.session.unlock(nurse.password);
      const state = services.session.state;
      assert.deepEqual(state.kind, 'signed-out');
      assert.deepEqual(state.kind === 'signed-out' && state.notice?.key, 'error.accessRevoked');
      assert.deepEqual(state.kind === 'signed-out' && state.erasable, nurse.name);
      assert.deepEqual(services.device.lockRecord(), null);
      assert.deepEqual(await serverSessionUser(), null);
    });
  }

  it('erases the local data of a disabled member when asked, and nothing of anyone else', async () => {
    const { services, nurse } = await loggedIn();
    await until(() => services.sync.state.kind === 'up-to-date');
    const local = async () => (await indexedDB.databases()).map((info) => info.name ?? '');
    assert.include(await local(), `_pouch_reference-${nurse.name}`);
    const bystander = indexedDB.open('_pouch_reference-someone-else');
    await new Promise((resolve) => (bystander.onsuccess = resolve));
    bystander.result.close();
    services.device.saveKeyMaterial(nurse.name, {
      publicKey: { kty: 'EC', crv: 'P-256', x: 'eA', y: 'eQ' },
      encryptedPrivateKey: { iv: 'aXY', ct: 'Y3Q' },
      keyRing: null,
    });
    assert.notEqual(services.device.keyMaterial(nurse.name), null);

    services.session.lock();
    await disableAccount(nurse.name);
    await services.session.unlock(nurse.password);
    await services.session.eraseLocalData();

    const state = services.session.state;
    assert.deepEqual(state.kind === 'signed-out' && state.notice?.key, 'login.erased');
    assert.deepEqual(state.kind === 'signed-out' && state.erasable, undefined);
    assert.notInclude(await local(), `_pouch_reference-${nurse.name}`);
    assert.include(await local(), '_pouch_reference-someone-else');
    assert.deepEqual(services.device.keyMaterial(nurse.name), null);
    indexedDB.deleteDatabase('_pouch_reference-someone-else');
  });

  it('locks when sync finds the server session ended', async () => {
    const { services } = await loggedIn();
    await until(() => services.sync.state.kind === 'up-to-date');
    await endServerSession();
    // A moment without network makes sync reconnect at once; otherwise the open longpoll would only notice the
    // ended session when it times out.
    services.network.goOffline();
    services.network.goOnline();
    await until(() => services.session.state.kind === 'locked');
    const state = services.session.state;
    assert.deepEqual(state.kind === 'locked' && state.notice?.key, 'error.sessionEnded');
    assert.deepEqual(services.sync.state, { kind: 'error', reason: 'session' });
  });

  it('asks for a new password at first login, sends a key pair, and logs in with the new password', async () => {
    const nurse = await createAccount({ ...NURSE, password: 'one-time-123', mustChangePassword: true });
    const services = createTestServices();
    await services.session.start();
    await services.session.login(nurse.name, 'one-time-123');
    assert.deepEqual(services.session.state.kind, 'password-change');
    assert.deepEqual(services.device.lockRecord(), null, 'nothing from the one-time password stays');

    await services.session.changePassword('a much better passphrase');
    assert.deepEqual(services.session.state.kind, 'ready');
    assert.deepEqual(services.device.lockRecord()?.username, nurse.name);
    assert.deepEqual(await serverSessionUser(), nurse.name);
    const stored = await readUserDocument(nurse.name);
    assert.deepEqual(stored.mustChangePassword, false);
    expect(stored.publicKey).to.include({ kty: 'EC', crv: 'P-256' });
    expect(stored.publicKey).to.not.have.property('d');
    const sealed = stored.encryptedPrivateKey as { iv?: unknown; ct?: unknown } | undefined;
    expect(sealed?.iv).to.be.a('string');
    expect(sealed?.ct).to.be.a('string');
  });

  it('logs out: forgets the lock record and ends the server session', async () => {
    const { services } = await loggedIn();
    await services.session.logout();
    assert.deepEqual(services.session.state.kind, 'signed-out');
    assert.deepEqual(services.device.lockRecord(), null);
    assert.deepEqual(services.sync.running, false);
    expect(services.network.sent()).to.include('DELETE /db/_session');
    assert.deepEqual(await serverSessionUser(), null);
  });
});
