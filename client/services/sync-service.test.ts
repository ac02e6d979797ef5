import { assert, expect } from '@open-wc/testing';
import { SyncService } from './sync-service.ts';
import { ScriptedReplication } from '../test-support/scripted-replication.ts';

function setup() {
  let now = 1_700_000_000_000;
  const online = { value: true };
  const connectivity = new EventTarget();
  const replications: ScriptedReplication[] = [];
  const sync = new SyncService(
    () => {
      const replication = new ScriptedReplication();
      replications.push(replication);
      return replication;
    },
    { now: () => now, isOnline: () => online.value, connectivity },
  );
  return { sync, replications, online, connectivity, advance: (ms: number) => (now += ms), now: () => now };
}

describe('sync service', () => {
  it('goes from connecting to changes waiting to up to date', () => {
    const { sync, replications } = setup();
    sync.start('nurse');
    assert.deepEqual(sync.state, { kind: 'connecting' });
    replications[0]?.emit('change', { docs_written: 100, pending: 250 });
    assert.deepEqual(sync.state, { kind: 'pending', count: 250 });
    replications[0]?.emit('paused');
    assert.deepEqual(sync.state.kind, 'up-to-date');
  });

  it('reports offline since the first failure and keeps that time', () => {
    const { sync, replications, advance, now } = setup();
    sync.start('nurse');
    const since = now();
    replications[0]?.emit('requestError', new TypeError('Failed to fetch'));
    advance(60_000);
    replications[0]?.emit('paused', new TypeError('Failed to fetch'));
    assert.deepEqual(sync.state, { kind: 'offline', since });
  });

  it('restarts at once when the network returns', () => {
    const { sync, replications, online, connectivity } = setup();
    sync.start('nurse');
    online.value = false;
    connectivity.dispatchEvent(new Event('offline'));
    assert.deepEqual(sync.state.kind, 'offline');
    online.value = true;
    connectivity.dispatchEvent(new Event('online'));
    expect(replications).to.have.length(2);
    assert.deepEqual(replications[0]?.cancelled, true);
    assert.deepEqual(sync.state.kind, 'connecting');
    replications[0]?.emit('paused');
    assert.deepEqual(sync.state.kind, 'connecting', 'events of the cancelled replication are ignored');
  });

  it('says when the server session has ended', () => {
    const { sync, replications } = setup();
    let ended = 0;
    sync.addEventListener('session-ended', () => (ended += 1));
    sync.start('nurse');
    replications[0]?.emit('requestError', { status: 401, name: 'unauthorized' });
    assert.deepEqual(sync.state, { kind: 'error', reason: 'session' });
    assert.deepEqual(ended, 1);
  });

  it('shows a refusal as an error, not as offline', () => {
    const { sync, replications } = setup();
    sync.start('analyst');
    replications[0]?.emit('requestError', { status: 403, name: 'forbidden' });
    assert.deepEqual(sync.state, { kind: 'error', reason: 'refused' });
  });

  it('stops and forgets the user', () => {
    const { sync, replications } = setup();
    sync.start('nurse');
    sync.stop();
    assert.deepEqual(replications[0]?.cancelled, true);
    assert.deepEqual(sync.state.kind, 'stopped');
    assert.deepEqual(sync.running, false);
  });
});
