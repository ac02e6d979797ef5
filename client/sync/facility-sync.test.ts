/**
 * Facility sync against the real register (gateway, embedded store, the facility's design document): accepted
 * writes arrive, refused ones are kept and listed with the server's reason across a reload, a corrected one is
 * resent, design documents never leave the device, and two offline edits become a conflict that a person resolves
 * with the losing version kept in an audit event.
 */
import { assert } from '@open-wc/testing';
import PouchDB from 'pouchdb-browser/lib/index.es.js';
import type { Database } from 'pouchdb-browser/lib/index.es.js';
import { prescription, visit, withFreshId } from '../../common/records/test-fixtures.ts';
import { createTestServices, type TestServices } from '../test-support/test-services.ts';
import { createAccount, createTestFacility, type TestAccount } from '../test-support/test-register.ts';
import { until } from '../test-support/render.ts';
import { FacilitySync } from './facility-sync.ts';

interface Device {
  services: TestServices;
  nurse: TestAccount;
  facilityId: string;
  local: Database;
  remote: Database;
  sync: FacilitySync;
}

const opened: Database[] = [];

async function device(facilityId: string, nurse: TestAccount, name = 'device'): Promise<Device> {
  const services = createTestServices();
  await services.session.start();
  await services.session.login(nurse.name, nurse.password);
  const local = new PouchDB(`${name}-${facilityId}-${nurse.name}`);
  const remote = new PouchDB(`${location.origin}/db/facility-${facilityId}`, { skip_setup: true });
  opened.push(local);
  const sync = new FacilitySync({ facilityId, login: nurse.name, local, remote });
  return { services, nurse, facilityId, local, remote, sync };
}

type Fetch = (url: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/**
 * The nurse signed in, and the facility's remote database with its requests going through `through`: the network
 * cannot be cut inside the browser test runner, so a test makes them fail there.
 */
async function remoteThrough(
  facilityId: string,
  nurse: TestAccount,
  through: Fetch,
): Promise<{ services: TestServices; remote: Database }> {
  const services = createTestServices();
  await services.session.start();
  await services.session.login(nurse.name, nurse.password);
  return {
    services,
    remote: new PouchDB(`${location.origin}/db/facility-${facilityId}`, { skip_setup: true, fetch: through }),
  };
}

/** A nurse's valid visit for facility `facilityId` (the fixtures are for facility `a` and nurse `nina`). */
function nurseVisit(facilityId: string, login: string): Record<string, unknown> & { _id: string } {
  const doc = withFreshId(visit()) as unknown as Record<string, unknown> & { _id: string };
  const note = doc.note as Record<string, unknown>;
  return {
    ...doc,
    performer: login,
    createdBy: login,
    note: { ...note, kid: `${facilityId}:1` },
  };
}

async function nurseAndFacility(): Promise<{ nurse: TestAccount; facilityId: string }> {
  const facilityId = await createTestFacility('sync');
  const nurse = await createAccount({
    name: 'nina',
    password: 'correct horse battery',
    roles: ['nurse', `facility:${facilityId}`],
    displayName: 'Нина',
  });
  return { nurse, facilityId };
}

async function onServer(d: Device, id: string): Promise<Record<string, unknown> | null> {
  const response = await fetch(`/db/facility-${d.facilityId}/${encodeURIComponent(id)}`);
  return response.ok ? ((await response.json()) as Record<string, unknown>) : null;
}

afterEach(async () => {
  for (const db of opened.splice(0)) await db.destroy().catch(() => undefined);
});

describe('facility sync', () => {
  it('pushes accepted writes and is up to date with nothing waiting', async () => {
    const { nurse, facilityId } = await nurseAndFacility();
    const d = await device(facilityId, nurse);
    const doc = nurseVisit(facilityId, nurse.name);
    await d.local.put(doc);
    const state = await d.sync.syncNow();
    assert.equal(state.kind, 'up-to-date');
    assert.equal(state.pending, 0);
    assert.deepEqual(state.refused, []);
    assert.equal((await onServer(d, doc._id))?._id, doc._id);
  });

  it('offers nothing back after a first sync into an empty device; the live push starts after what was pulled', async () => {
    const { nurse, facilityId } = await nurseAndFacility();
    const first = await device(facilityId, nurse, 'first');
    const pulledIds: string[] = [];
    for (let i = 0; i < 30; i += 1) {
      const doc = nurseVisit(facilityId, nurse.name);
      pulledIds.push(doc._id);
      await first.local.put(doc);
    }
    assert.equal((await first.sync.syncNow()).kind, 'up-to-date');

    // The second device's requests are counted: a push would offer the pulled documents back with _revs_diff.
    const offered: string[] = [];
    const sent: string[] = [];
    const remote = new PouchDB(`${location.origin}/db/facility-${facilityId}`, {
      skip_setup: true,
      fetch: (url: RequestInfo | URL, init?: RequestInit) => {
        const path = String(url);
        if (path.includes('/_revs_diff')) offered.push(...Object.keys(JSON.parse(String(init?.body)) as object));
        if (path.includes('/_bulk_docs')) sent.push(path);
        return fetch(url, init);
      },
    });
    const local = new PouchDB(`fresh-${facilityId}-${nurse.name}`);
    opened.push(local);
    const sync = new FacilitySync({ facilityId, login: nurse.name, local, remote });
    const state = await sync.syncNow();
    assert.equal(state.kind, 'up-to-date');
    assert.equal(state.pending, 0);
    assert.equal((await local.allDocs()).rows.filter((row) => pulledIds.includes(row.id)).length, 30);
    assert.deepEqual(offered, []);
    assert.deepEqual(sent, []);

    // The live push resumes from the checkpoint written at the end of the pull: only the new document is offered.
    await sync.start();
    const mine = nurseVisit(facilityId, nurse.name);
    await local.put(mine);
    const d = { services: first.services, nurse, facilityId, local, remote, sync };
    for (let attempt = 0; (await onServer(d, mine._id)) === null; attempt += 1) {
      if (attempt > 200) throw new Error('the write never reached the server');
      await new Promise((done) => setTimeout(done, 50));
    }
    sync.stop();
    assert.deepEqual(offered, [mine._id]);
  });

  it('reconnects at once when asked, instead of waiting out the back-off after the network failed', async () => {
    const { nurse, facilityId } = await nurseAndFacility();
    // The remote's fetch fails while `down` is set.
    let down = true;
    const failures: string[] = [];
    const { services, remote } = await remoteThrough(facilityId, nurse, (url, init) => {
      if (down) {
        failures.push(String(url));
        return Promise.reject(new TypeError('Failed to fetch'));
      }
      return fetch(url, init);
    });
    const local = new PouchDB(`reconnect-${facilityId}-${nurse.name}`);
    opened.push(local);
    // After a failure, live replication would wait an hour before trying again.
    const sync = new FacilitySync({ facilityId, login: nurse.name, local, remote, backOff: () => 3_600_000 });
    await sync.start();
    await until(() => failures.length > 0 && sync.state.kind !== 'connecting');
    down = false;
    const doc = nurseVisit(facilityId, nurse.name);
    await local.put(doc);
    await sync.reconnect();
    const d = { services, nurse, facilityId, local, remote, sync };
    for (let attempt = 0; (await onServer(d, doc._id)) === null; attempt += 1) {
      if (attempt > 200) throw new Error('the write never reached the server');
      await new Promise((done) => setTimeout(done, 50));
    }
    sync.stop();
  });

  it('checks with _revs_diff what the server holds when its store generation changes, and only then remembers it', async () => {
    const { nurse, facilityId } = await nurseAndFacility();
    const d = await device(facilityId, nurse);
    let published: string | null = 'generation-1';
    const sync = new FacilitySync({
      facilityId,
      login: nurse.name,
      local: d.local,
      remote: d.remote,
      storeGeneration: () => Promise.resolve(published),
    });
    const remembered = async () =>
      ((await d.local.get('_local/sync-generation').catch(() => null)) as { generation?: string } | null)?.generation;
    await sync.checkGeneration();
    assert.equal(await remembered(), 'generation-1');

    // Written on the device and not sent: a server restored from an older backup lacks documents the same way.
    const doc = nurseVisit(facilityId, nurse.name);
    await d.local.put(doc);
    published = null;
    await sync.checkGeneration();
    assert.isNull(await onServer(d, doc._id), 'without an answer from the server nothing is checked');
    published = 'generation-1';
    await sync.checkGeneration();
    assert.isNull(await onServer(d, doc._id), 'the same generation: the checkpoints are trusted');

    published = 'generation-2';
    await sync.checkGeneration();
    assert.equal((await onServer(d, doc._id))?._id, doc._id);
    assert.equal(await remembered(), 'generation-2');
  });

  it('is not up to date while one direction fails, and checks the store generation after an outage seen only while waiting to retry', async () => {
    const { nurse, facilityId } = await nurseAndFacility();
    // While `pullDown` is set, the remote's fetch fails for the pull's requests (`_changes`), the one waiting
    // included, as a dropped connection fails them, so the push can recover while the pull cannot.
    let pullDown = false;
    let failedPulls = 0;
    const waiting = new Set<(error: Error) => void>();
    const { services, remote } = await remoteThrough(facilityId, nurse, (url, init) => {
      if (!String(url).includes('/_changes')) return fetch(url, init);
      if (pullDown) {
        failedPulls += 1;
        return Promise.reject(new TypeError('Failed to fetch'));
      }
      return new Promise<Response>((answer, fail) => {
        const drop = (error: Error) => fail(error);
        waiting.add(drop);
        fetch(url, init)
          .then(answer, fail)
          .finally(() => waiting.delete(drop));
      });
    });
    const local = new PouchDB(`outage-${facilityId}-${nurse.name}`);
    opened.push(local);
    let published = 'generation-1';
    let asked = 0;
    const storeGeneration = () => {
      asked += 1;
      return Promise.resolve(published);
    };
    const sync = new FacilitySync({
      facilityId,
      login: nurse.name,
      local,
      remote,
      storeGeneration,
      backOff: () => 200,
    });
    const remembered = async () =>
      ((await local.get('_local/sync-generation').catch(() => null)) as { generation?: string } | null)?.generation;
    await sync.start();
    await until(async () => (await remembered()) === 'generation-1' && sync.state.kind === 'up-to-date');

    // The first outage: the pull fails and keeps retrying.
    pullDown = true;
    for (const drop of waiting) drop(new TypeError('Failed to fetch'));
    await until(() => failedPulls >= 2);
    // The push still reaches the server; it answers with the same generation, which is checked again.
    const before = asked;
    const doc = nurseVisit(facilityId, nurse.name);
    await local.put(doc);
    const d = { services, nurse, facilityId, local, remote, sync };
    await until(async () => (await onServer(d, doc._id)) !== null && asked > before);
    await new Promise((done) => setTimeout(done, 300));
    assert.equal(sync.state.kind, 'offline', 'the pull still cannot reach the server: not up to date');
    // Meanwhile the store was restored: the pull's retries, failing while it already waits, are the only sign of it.
    published = 'generation-2';
    await new Promise((done) => setTimeout(done, 600));
    pullDown = false;
    await until(async () => (await remembered()) === 'generation-2');
    await until(() => sync.state.kind === 'up-to-date');
    sync.stop();
  });

  it('keeps a refused write on the device, lists it with the reason, across a reload, and resends it corrected', async () => {
    const { nurse, facilityId } = await nurseAndFacility();
    const d = await device(facilityId, nurse);
    const bad = { ...nurseVisit(facilityId, nurse.name), pain: 11 };
    const good = nurseVisit(facilityId, nurse.name);
    await d.local.put(bad);
    await d.local.put(good);
    const state = await d.sync.syncNow();
    assert.deepEqual(
      state.refused.map((entry) => entry.id),
      [bad._id],
    );
    assert.match(state.refused[0]?.reason ?? '', /pain/i);
    assert.isNull(await onServer(d, bad._id), 'not on the server');
    assert.isNotNull(await onServer(d, good._id));
    assert.equal((await d.local.get(bad._id)).pain, 11, 'still on the device, as typed');

    // A reload: a new sync object finds the list on the device, and a new round does not forget it.
    const again = new FacilitySync({ facilityId, login: nurse.name, local: d.local, remote: d.remote });
    const reloaded = await again.syncNow();
    assert.deepEqual(
      reloaded.refused.map((entry) => entry.id),
      [bad._id],
    );

    const stored = await d.local.get(bad._id);
    await d.local.put({ ...stored, pain: 5, updatedBy: nurse.name, updatedAt: new Date().toISOString() });
    assert.isTrue(await again.resend(bad._id));
    assert.deepEqual(again.state.refused, []);
    assert.equal((await onServer(d, bad._id))?.pain, 5);
  });

  it('lists a nurse’s prescription, refused by the design document, with the reason', async () => {
    const { nurse, facilityId } = await nurseAndFacility();
    const d = await device(facilityId, nurse);
    const fixture = withFreshId(prescription()) as unknown as Record<string, unknown> & { _id: string };
    const doc = {
      ...fixture,
      prescriber: nurse.name,
      createdBy: nurse.name,
      number: { ...(fixture.number as object), kid: `${facilityId}:1` },
    };
    await d.local.put(doc);
    const state = await d.sync.syncNow();
    assert.deepEqual(
      state.refused.map((entry) => [entry.id, entry.reason]),
      [[doc._id, 'Only a doctor may write or cancel prescriptions.']],
    );
    assert.isNull(await onServer(d, doc._id));
    assert.equal((await d.local.get(doc._id))._id, doc._id, 'kept on the device');
  });

  it('never sends local design documents (find indexes)', async () => {
    const { nurse, facilityId } = await nurseAndFacility();
    const d = await device(facilityId, nurse);
    await d.local.put({ _id: '_design/local-index', views: {} });
    const state = await d.sync.syncNow();
    assert.deepEqual(state.refused, []);
    assert.isNull(await onServer(d, '_design/local-index'));
  });

  it('lists two offline edits as a conflict; the chosen version wins and the other is kept in an audit event', async () => {
    const { nurse, facilityId } = await nurseAndFacility();
    const a = await device(facilityId, nurse, 'tablet-a');
    const doc = nurseVisit(facilityId, nurse.name);
    await a.local.put(doc);
    await a.sync.syncNow();
    const b = await device(facilityId, nurse, 'tablet-b');
    await b.sync.syncNow();

    const edit = async (d: Device, pain: number) => {
      const current = await d.local.get(doc._id);
      await d.local.put({ ...current, pain, updatedBy: nurse.name, updatedAt: new Date().toISOString() });
    };
    await edit(a, 3);
    await edit(b, 8);
    await a.sync.syncNow();
    const state = await b.sync.syncNow();
    assert.deepEqual(state.conflicts, [doc._id]);

    const versions = await b.sync.conflictingVersions(doc._id);
    assert.sameMembers(
      versions.map((version) => version.pain),
      [3, 8],
    );
    const keep = versions.find((version) => version.pain === 8);
    const lose = versions.find((version) => version.pain === 3);
    if (!keep || !lose) throw new Error('both versions expected');
    await b.sync.resolveConflict(doc._id, keep._rev);
    assert.deepEqual(b.sync.state.conflicts, []);
    assert.equal((await b.local.get(doc._id)).pain, 8);

    const audit = await b.local.allDocs({ include_docs: true, startkey: 'audit:', endkey: 'audit:\ufff0' });
    const event = audit.rows.map((row) => row.doc).find((entry) => entry?.action === 'conflict-resolved');
    assert.equal(event?.rev, lose._rev);
    assert.equal((event?.losing as { pain?: number } | undefined)?.pain, 3);

    const after = await b.sync.syncNow();
    assert.deepEqual(after.refused, [], 'the server accepts the audit event and the deletion of the losing leaf');
    const server = await fetch(`/db/facility-${facilityId}/${encodeURIComponent(doc._id)}?conflicts=true`);
    const body = (await server.json()) as { pain: number; _conflicts?: string[] };
    assert.equal(body.pain, 8);
    assert.isUndefined(body._conflicts);
  });
});
