import { assert, expect } from '@open-wc/testing';
import { createTestServices, type TestServices } from '../test-support/test-services.ts';
import { FakeServer } from '../test-support/fake-server.ts';
import { MemoryStorage } from '../test-support/memory-storage.ts';
import { UserFacingError, messageFor } from './user-messages.ts';

const NURSE = {
  name: 'nurse',
  password: 'correct horse battery',
  roles: ['nurse', 'facility:kem'],
  displayName: 'Анна Иванова',
};

async function loggedIn(): Promise<TestServices> {
  const services = createTestServices();
  await services.server.addAccount(NURSE);
  await services.session.start();
  await services.session.login('nurse', NURSE.password);
  return services;
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
    const services = await loggedIn();
    const state = services.session.state;
    assert.deepEqual(state.kind, 'ready');
    assert.deepEqual(state.kind === 'ready' && state.user.displayName, 'Анна Иванова');
    assert.deepEqual(services.session.unlocked, true);
    assert.deepEqual(services.device.lockRecord()?.username, 'nurse');
    assert.deepEqual(services.sync.running, true);
  });

  it('turns a wrong password into a clear message and stays signed out', async () => {
    const services = createTestServices();
    await services.server.addAccount(NURSE);
    await services.session.start();
    const error = await failure(services.session.login('nurse', 'wrong'));
    assert.deepEqual(messageFor(error), { key: 'error.wrongCredentials' });
    assert.deepEqual(services.session.state.kind, 'signed-out');
    assert.deepEqual(services.device.lockRecord(), null);
  });

  it('locks: drops the keys and shows the lock screen', async () => {
    const services = await loggedIn();
    services.session.lock();
    assert.deepEqual(services.session.state.kind, 'locked');
    assert.deepEqual(services.session.unlocked, false);
  });

  it('unlocks offline with the right password and refuses a wrong one', async () => {
    const services = await loggedIn();
    services.session.lock();
    services.server.offline = true;
    const error = await failure(services.session.unlock('wrong'));
    expect(error).to.be.instanceOf(UserFacingError);
    assert.deepEqual(messageFor(error), { key: 'lock.wrongPassword' });
    assert.deepEqual(services.session.state.kind, 'locked');
    await services.session.unlock(NURSE.password);
    assert.deepEqual(services.session.state.kind, 'ready');
  });

  it('shows the lock screen when the app starts offline for a remembered user, then home after unlock', async () => {
    const storage = new MemoryStorage();
    const server = new FakeServer();
    await server.addAccount(NURSE);
    const first = createTestServices({ storage, server });
    await first.session.start();
    await first.session.login('nurse', NURSE.password);

    server.offline = true;
    const again = createTestServices({ storage, server });
    await again.session.start();
    assert.deepEqual(again.session.state.kind, 'locked');
    await again.session.unlock(NURSE.password);
    const state = again.session.state;
    assert.deepEqual(state.kind, 'ready');
    assert.deepEqual(state.kind === 'ready' && state.user.roles, NURSE.roles);
  });

  it('opens a new server session at unlock when the old one has ended', async () => {
    const services = await loggedIn();
    services.session.lock();
    services.server.endSession();
    await services.session.unlock(NURSE.password);
    assert.deepEqual(services.server.sessionUser, 'nurse');
    assert.deepEqual(services.session.state.kind, 'ready');
  });

  it('signs out when the device password no longer opens the server', async () => {
    const services = await loggedIn();
    services.session.lock();
    services.server.endSession();
    services.server.loginStatus = 401;
    await services.session.unlock(NURSE.password);
    const state = services.session.state;
    assert.deepEqual(state.kind, 'signed-out');
    assert.deepEqual(state.kind === 'signed-out' && state.notice?.key, 'error.passwordChangedElsewhere');
  });

  it('locks when sync finds the server session ended', async () => {
    const services = await loggedIn();
    services.replications[0]?.emit('requestError', { status: 401 });
    const state = services.session.state;
    assert.deepEqual(state.kind, 'locked');
    assert.deepEqual(state.kind === 'locked' && state.notice?.key, 'error.sessionEnded');
  });

  it('asks for a new password at first login, sends a key pair, and logs in with the new password', async () => {
    const services = createTestServices();
    await services.server.addAccount({ ...NURSE, password: 'one-time-123', mustChangePassword: true });
    await services.session.start();
    await services.session.login('nurse', 'one-time-123');
    assert.deepEqual(services.session.state.kind, 'password-change');
    assert.deepEqual(services.device.lockRecord(), null, 'nothing from the one-time password stays');

    await services.session.changePassword('a much better passphrase');
    const change = services.server.requests.find((request) => request.path === '/api/me/credentials');
    const body = change?.body as {
      keys: { publicKey: Record<string, string>; encryptedPrivateKey: { iv: string; ct: string } };
    };
    expect(body.keys.publicKey).to.include({ kty: 'EC', crv: 'P-256' });
    expect(body.keys.publicKey).to.not.have.property('d');
    expect(body.keys.encryptedPrivateKey.ct).to.be.a('string');
    assert.deepEqual(services.session.state.kind, 'ready');
    assert.deepEqual(services.device.lockRecord()?.username, 'nurse');
  });

  it('logs out: forgets the lock record and ends the server session', async () => {
    const services = await loggedIn();
    await services.session.logout();
    assert.deepEqual(services.session.state.kind, 'signed-out');
    assert.deepEqual(services.device.lockRecord(), null);
    assert.deepEqual(services.server.sessionUser, null);
    assert.deepEqual(services.sync.running, false);
  });
});
