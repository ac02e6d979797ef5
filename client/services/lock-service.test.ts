import { assert } from '@open-wc/testing';
import { DEFAULT_IDLE_MINUTES, LockService, unlockDelaySeconds } from './lock-service.ts';
import { DeviceStore } from './device-store.ts';
import { MemoryStorage } from '../test-support/memory-storage.ts';
import { importMuk } from '../crypto/muk-keys.ts';
import { createLockVerifier } from '../crypto/lock-verifier.ts';

describe('lock service', () => {
  const delays: Array<[number, number]> = [
    [0, 0],
    [1, 0],
    [2, 0],
    [3, 5],
    [4, 10],
    [5, 20],
    [8, 160],
    [9, 300],
    [50, 300],
  ];
  for (const [failures, seconds] of delays) {
    it(`waits ${seconds} s after ${failures} wrong passwords in a row`, () => {
      assert.deepEqual(unlockDelaySeconds(failures), seconds);
    });
  }

  it('locks after the chosen idle time and not before', () => {
    let now = 1_000_000;
    const activity = new EventTarget();
    const lock = new LockService(new DeviceStore(new MemoryStorage()), { now: () => now, activityTarget: activity });
    assert.deepEqual(lock.idleMinutes, DEFAULT_IDLE_MINUTES);
    lock.setIdleMinutes(5);
    let idle = 0;
    lock.watchIdle(() => (idle += 1));
    now += 4 * 60_000;
    lock.checkIdle();
    activity.dispatchEvent(new Event('keydown'));
    now += 4 * 60_000;
    lock.checkIdle();
    assert.deepEqual(idle, 0, 'activity restarts the idle time');
    now += 60_000;
    lock.checkIdle();
    lock.checkIdle();
    assert.deepEqual(idle, 1, 'reported once');
    lock.stopWatching();
  });

  it('keeps the idle setting on the device', () => {
    const storage = new MemoryStorage();
    new LockService(new DeviceStore(storage)).setIdleMinutes(15);
    assert.deepEqual(new LockService(new DeviceStore(storage)).idleMinutes, 15);
  });

  it('slows down repeated wrong passwords, remembers it across reloads, and resets on success', async () => {
    let now = 5_000_000;
    const storage = new MemoryStorage();
    const lock = new LockService(new DeviceStore(storage), { now: () => now });
    const rightBytes = crypto.getRandomValues(new Uint8Array(32));
    const right = await importMuk(rightBytes.slice());
    const record = {
      username: 'nurse',
      deploymentId: 'd',
      displayName: 'Nurse',
      roles: ['nurse'],
      verifier: await createLockVerifier(right, 'd', 'nurse'),
    };
    lock.remember(record);
    const wrong = await importMuk(crypto.getRandomValues(new Uint8Array(32)));
    for (let attempt = 0; attempt < 3; attempt += 1) assert.deepEqual(await lock.verify(wrong, record), false);
    assert.deepEqual(lock.secondsUntilNextAttempt(), 5);
    assert.deepEqual(new LockService(new DeviceStore(storage), { now: () => now }).secondsUntilNextAttempt(), 5);
    now += 5_000;
    assert.deepEqual(await lock.verify(wrong, record), false);
    assert.deepEqual(lock.secondsUntilNextAttempt(), 10);
    now += 10_000;
    assert.deepEqual(await lock.verify(right, record), true);
    assert.deepEqual(lock.secondsUntilNextAttempt(), 0);
    assert.deepEqual(lock.record?.username, 'nurse', 'the record survives wrong passwords');
  });
});
