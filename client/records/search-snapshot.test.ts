/**
 * The sealed search snapshot on a real device database (pouchdb-browser on Chromium's IndexedDB) with real facility
 * keys: the next open starts from it, what IndexedDB holds of it names nobody, changes made since are applied before
 * the records count as open, and a snapshot of another epoch, another member or a key the device lost is not used.
 */
import { assert } from '@open-wc/testing';
import PouchDB from 'pouchdb-browser/lib/index.es.js';
import { FacilityRepository, type FacilityDatabase } from './facility-repository.ts';
import { TEST_TODAY, TestFacilityKeys, patientInput, visitInput } from './records-fixtures.ts';
import { localFacilityDatabaseName } from './local-databases.ts';
import { snapshotDocId } from './search-snapshot.ts';
import { uniqueName } from '../test-support/test-register.ts';
import { rawDatabaseText } from '../test-support/raw-indexeddb.ts';

const FACILITY = 'rt-snap';

const destroyers: (() => Promise<void>)[] = [];

function device(login: string): { db: FacilityDatabase; name: string } {
  const name = localFacilityDatabaseName(FACILITY, uniqueName(login));
  const pouch = new PouchDB(name);
  destroyers.push(() => pouch.destroy());
  return { db: pouch as unknown as FacilityDatabase, name };
}

afterEach(async () => {
  for (const destroy of destroyers.splice(0)) await destroy();
});

function repository(
  db: FacilityDatabase,
  keys: TestFacilityKeys,
  login: string,
  options: { role?: 'doctor' | 'nurse'; searchSnapshot?: boolean } = {},
): FacilityRepository {
  return new FacilityRepository({
    facilityId: FACILITY,
    login,
    roles: [options.role ?? 'doctor', `facility:${FACILITY}`],
    db,
    keys,
    today: () => TEST_TODAY,
    device: 'test-tablet',
    ...(options.searchSnapshot === undefined ? {} : { searchSnapshot: options.searchSnapshot }),
  });
}

async function namesListed(records: FacilityRepository, text?: string): Promise<string[]> {
  const listed = await records.listPatients(text === undefined ? {} : { text });
  return listed.map((patient) => patient.surname).sort();
}

describe('search snapshot', () => {
  it('opens the next time from the sealed snapshot, and IndexedDB holds no identity from it', async () => {
    const keys = await TestFacilityKeys.create();
    const { db, name } = device('olga');
    const first = repository(db, keys, 'olga');
    await first.open();
    assert.equal(first.openReport?.source, 'documents');
    const surname = 'Шлиссельбургская';
    const created = await first.createPatient(
      patientInput({ surname, snils: '112-233-445 95', phone: '+79119876543' }),
    );
    await first.createPatient(patientInput({ surname: 'Петрова', snils: '001-001-001 00' }));
    await first.addVisit(created.patientId, visitInput());
    assert.lengthOf(await first.listPatients({ ecogAtLeast: 3 }), 1, 'the latest scales were read');
    await first.saveSearchSnapshot();
    first.close();

    const stored = await db.get(snapshotDocId('olga'));
    assert.sameMembers(Object.keys(stored), ['_id', '_rev', 'format', 'kid', 'iv', 'ct']);
    assert.equal(stored.kid, `${FACILITY}:1`);
    const raw = await rawDatabaseText(name);
    assert.include(raw, String(stored.ct).slice(0, 40), 'the raw scan reads the snapshot');
    for (const secret of [surname, 'Петрова', 'Анна', '112-233-445 95', '11223344595', '+79119876543', 'Ленина']) {
      assert.notInclude(raw, secret, `IndexedDB holds "${secret}"`);
    }

    const again = repository(db, keys, 'olga');
    await again.open();
    assert.equal(again.openReport?.source, 'snapshot');
    assert.equal(again.openReport?.passports, 2);
    assert.deepEqual(await namesListed(again), ['Петрова', surname]);
    assert.deepEqual(await namesListed(again, 'Шлисельбургская'), [surname], 'the search index works from it');
    const [withScales] = await again.listPatients({ ecogAtLeast: 3 });
    assert.deepInclude(withScales?.latest, { ecog: 3, pps: 40, pain: 6 });
    assert.deepEqual((await again.openPatient(created.patientId)).passport, created.passport);
    again.close();
  });

  it('brings a stale snapshot up to date with the changes made since, before the records count as open', async () => {
    const keys = await TestFacilityKeys.create();
    const { db } = device('olga');
    const olga = repository(db, keys, 'olga');
    await olga.open();
    const kept = await olga.createPatient(patientInput({ surname: 'Кузнецова' }));
    const renamed = await olga.createPatient(patientInput({ surname: 'Ладожская', snils: '001-001-001 00' }));
    await olga.saveSearchSnapshot();
    olga.close();

    // Another writer of the same database (replication does the same) changes things while olga is locked.
    const other = repository(db, keys, 'nina', { role: 'nurse', searchSnapshot: false });
    await other.open();
    await other.createPatient(patientInput({ surname: 'Онежская', snils: '002-002-002 24' }));
    const input = patientInput({ surname: 'Свирская', snils: '001-001-001 00' });
    await other.updatePatient(renamed.patientId, input, '2026-11-28');
    await other.changeStatus(kept.patientId, { status: 'excluded', from: '2026-11-28', reason: 'moved-away' });
    other.close();

    await olga.open();
    assert.equal(olga.openReport?.source, 'snapshot');
    assert.isAbove(olga.openReport?.caughtUp ?? 0, 0);
    assert.deepEqual(await namesListed(olga), ['Кузнецова', 'Онежская', 'Свирская']);
    assert.deepEqual(await namesListed(olga, 'Ладожская'), [], 'the old name is gone from the index');
    assert.deepEqual(await namesListed(olga, 'Свирская'), ['Свирская']);
    assert.deepEqual(
      (await olga.listPatients({ status: ['excluded'] })).map((patient) => patient.patientId),
      [kept.patientId],
    );
    await olga.saveSearchSnapshot();
    olga.close();

    await olga.open();
    assert.equal(olga.openReport?.source, 'snapshot');
    assert.equal(olga.openReport?.caughtUp, 0, 'the snapshot written after the catch-up is current');
    assert.deepEqual(await namesListed(olga), ['Кузнецова', 'Онежская', 'Свирская']);
    olga.close();
  });

  it('ignores a snapshot of an older epoch and one sealed for another member', async () => {
    const keys = await TestFacilityKeys.create();
    const { db } = device('olga');
    const olga = repository(db, keys, 'olga');
    await olga.open();
    await olga.createPatient(patientInput({ surname: 'Кузнецова' }));
    await olga.saveSearchSnapshot();
    olga.close();

    // Another member given olga's sealed snapshot under their own id does not open it.
    const copy: Record<string, unknown> = { ...(await db.get(snapshotDocId('olga'))) };
    delete copy._rev;
    await db.put({ ...copy, _id: snapshotDocId('nina') });
    const nina = repository(db, keys, 'nina', { role: 'nurse' });
    await nina.open();
    assert.equal(nina.openReport?.source, 'documents');
    assert.deepEqual(await namesListed(nina), ['Кузнецова']);
    nina.close();

    // A new epoch (a revocation): the snapshot under the old one is not used, and the next one is sealed anew.
    await keys.startEpoch();
    await olga.open();
    assert.equal(olga.openReport?.source, 'documents');
    assert.deepEqual(await namesListed(olga), ['Кузнецова']);
    await olga.saveSearchSnapshot();
    olga.close();
    assert.equal((await db.get(snapshotDocId('olga'))).kid, `${FACILITY}:2`);
    await olga.open();
    assert.equal(olga.openReport?.source, 'snapshot');
    olga.close();
  });

  it('ignores a damaged snapshot', async () => {
    const keys = await TestFacilityKeys.create();
    const { db } = device('olga');
    const olga = repository(db, keys, 'olga');
    await olga.open();
    await olga.createPatient(patientInput({ surname: 'Кузнецова' }));
    await olga.saveSearchSnapshot();
    olga.close();
    const sealed = await db.get(snapshotDocId('olga'));
    const ct = String(sealed.ct);
    await db.put({ ...sealed, ct: `${ct.slice(0, 10)}${ct[10] === 'A' ? 'B' : 'A'}${ct.slice(11)}` });
    await olga.open();
    assert.equal(olga.openReport?.source, 'documents');
    assert.deepEqual(await namesListed(olga), ['Кузнецова']);
    olga.close();
  });

  it('counts a passport as unreadable when the device no longer holds the key it was sealed under', async () => {
    const keys = await TestFacilityKeys.create();
    const { db } = device('olga');
    const olga = repository(db, keys, 'olga');
    await olga.open();
    const old = await olga.createPatient(patientInput({ surname: 'Старая' }));
    await keys.startEpoch();
    await olga.createPatient(patientInput({ surname: 'Новая', snils: '001-001-001 00' }));
    await olga.saveSearchSnapshot();
    olga.close();

    keys.forget(1);
    await olga.open();
    assert.equal(olga.openReport?.source, 'snapshot');
    assert.deepEqual(await namesListed(olga), ['Новая']);
    assert.deepEqual(olga.unreadablePassports, [old.passportId]);
    olga.close();
  });

  it('writes no snapshot when told not to', async () => {
    const keys = await TestFacilityKeys.create();
    const { db } = device('olga');
    const olga = repository(db, keys, 'olga', { searchSnapshot: false });
    await olga.open();
    await olga.createPatient(patientInput());
    await olga.saveSearchSnapshot();
    olga.close();
    await olga.open();
    assert.equal(olga.openReport?.source, 'documents');
    olga.close();
    const local = await db.get(snapshotDocId('olga')).catch((error: unknown) => error);
    assert.equal((local as { status?: number }).status, 404);
  });
});
