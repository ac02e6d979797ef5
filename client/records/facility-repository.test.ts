/**
 * The records layer of one facility on a real device database (pouchdb-browser on Chromium's IndexedDB) with real
 * facility keys: what a member types comes back, what the database holds is ciphertext wherever it could name
 * someone, and the rules the store would apply are applied before anything is written.
 */
import { assert } from '@open-wc/testing';
import PouchDB from 'pouchdb-browser/lib/index.es.js';
import { FacilityRepository, type FacilityDatabase } from './facility-repository.ts';
import { RecordValidationError } from './records-api.ts';
import { TEST_TODAY, TestFacilityKeys, patientInput, prescriptionInput, visitInput } from './records-fixtures.ts';
import { localFacilityDatabaseName } from './local-databases.ts';
import { uniqueName } from '../test-support/test-register.ts';
import { rawDatabaseText } from '../test-support/raw-indexeddb.ts';

const FACILITY = 'rt-a';

interface Device {
  db: FacilityDatabase;
  name: string;
  destroy(): Promise<void>;
}

const devices: Device[] = [];

function device(login: string): Device {
  const name = localFacilityDatabaseName(FACILITY, uniqueName(login));
  const pouch = new PouchDB(name);
  const opened: Device = { db: pouch as unknown as FacilityDatabase, name, destroy: () => pouch.destroy() };
  devices.push(opened);
  return opened;
}

afterEach(async () => {
  for (const opened of devices.splice(0)) await opened.destroy();
});

function repository(db: FacilityDatabase, keys: TestFacilityKeys, login: string, role: 'doctor' | 'nurse') {
  return new FacilityRepository({
    facilityId: FACILITY,
    login,
    roles: [role, `facility:${FACILITY}`],
    db,
    keys,
    today: () => TEST_TODAY,
    device: 'test-tablet',
  });
}

/** The problems a rejected write named, by field. */
async function refusedFields(write: Promise<unknown>): Promise<string[]> {
  try {
    await write;
  } catch (error) {
    if (error instanceof RecordValidationError) return error.problems.map((problem) => problem.field);
    throw error;
  }
  throw new Error('the write was not refused');
}

/** Every leaf and every stored revision of every document, as PouchDB gives them. */
async function everyRevisionText(db: FacilityDatabase): Promise<string> {
  const pouch = db as unknown as {
    allDocs(options: object): Promise<{ rows: { id: string; doc?: unknown }[] }>;
    get(id: string, options: object): Promise<unknown>;
  };
  const { rows } = await pouch.allDocs({ include_docs: true, conflicts: true });
  const parts: string[] = [JSON.stringify(rows)];
  for (const row of rows) {
    const leaves = (await pouch.get(row.id, { open_revs: 'all', revs: true })) as {
      ok?: { _revisions?: { start: number; ids: string[] } };
    }[];
    parts.push(JSON.stringify(leaves));
    for (const leaf of leaves) {
      const revisions = leaf.ok?._revisions;
      if (!revisions) continue;
      for (const [i, hash] of revisions.ids.entries()) {
        const rev = `${revisions.start - i}-${hash}`;
        parts.push(JSON.stringify(await pouch.get(row.id, { rev }).catch(() => null)));
      }
    }
  }
  return parts.join('\n');
}

describe('facility repository', () => {
  it('keeps a patient through create, open, update and a status change', async () => {
    const keys = await TestFacilityKeys.create();
    const { db } = device('olga');
    const records = repository(db, keys, 'olga', 'doctor');
    await records.open();
    let changes = 0;
    records.addEventListener('change', () => (changes += 1));

    const created = await records.createPatient(patientInput());
    assert.equal(created.record.statusHistory[0]?.status, 'active', "a doctor's patient is active at once");
    assert.equal(created.record.birthYear, 1950);
    assert.isAbove(changes, 0);
    assert.match(created.passportId, /^passport:[0-9a-f-]{36}$/);
    assert.notInclude(created.passportId, created.patientId, 'the passport id does not give the patient id away');

    const [listed] = await records.listPatients();
    assert.deepInclude(listed, { patientId: created.patientId, surname: 'Кузнецова', age: 76, status: 'active' });
    assert.deepInclude(listed, { mainDiagnosis: 'C34.1', careSetting: 'home', lastVisit: null });

    const opened = await records.openPatient(created.patientId);
    assert.deepEqual(opened.passport, created.passport);

    const input = patientInput({ phone: '8 (921) 555-44-33' });
    input.record.careSetting = 'hospice';
    const updated = await records.updatePatient(created.patientId, input, '2026-11-25');
    assert.deepEqual(updated.passport.phones, ['+79215554433'], 'phones are kept in their stored form');
    assert.deepEqual(
      updated.record.careSettingHistory.map((entry) => [entry.from, entry.setting]),
      [
        ['2026-11-01', 'home'],
        ['2026-11-25', 'hospice'],
      ],
    );
    assert.lengthOf(updated.record.needsHistory, 1, 'needs did not change, so no new entry');
    assert.equal(updated.record.updatedBy, 'olga');

    const excluded = await records.changeStatus(created.patientId, {
      status: 'excluded',
      from: '2026-11-28',
      reason: 'moved-away',
      note: 'переехала к дочери в Сортавалу',
    });
    assert.equal(excluded.record.statusHistory[1]?.status, 'excluded');
    assert.deepEqual(excluded.statusNotes, { 1: 'переехала к дочери в Сортавалу' });
    assert.deepEqual((await records.openPatient(created.patientId)).statusNotes, excluded.statusNotes);
    assert.deepEqual(
      (await records.listPatients({ status: ['excluded'] })).map((p) => p.patientId),
      [created.patientId],
    );
    assert.deepEqual(await records.listPatients({ status: ['active'] }), []);
  });

  it('names every problem of a refused patient by its field, and writes nothing', async () => {
    const keys = await TestFacilityKeys.create();
    const { db } = device('olga');
    const records = repository(db, keys, 'olga', 'doctor');
    await records.open();
    const input = patientInput({ snils: '112-233-445 96' });
    input.passport.birthDate = '2027-01-01';
    input.record.diagnoses = [];
    const fields = await refusedFields(records.createPatient(input));
    assert.includeMembers(fields, ['passport.snils', 'passport.birthDate', 'record.diagnoses']);
    const stored = await db.allDocs({ startkey: '', endkey: '\ufff0' });
    assert.deepEqual(stored.rows, []);
  });

  it("registers a nurse's patient as pending, and leaves confirming it to a doctor", async () => {
    const keys = await TestFacilityKeys.create();
    const { db } = device('nina');
    const records = repository(db, keys, 'nina', 'nurse');
    await records.open();
    const created = await records.createPatient(patientInput());
    assert.deepEqual(
      created.record.statusHistory.map((entry) => entry.status),
      ['pending'],
    );
    const fields = await refusedFields(records.changeStatus(created.patientId, { status: 'active', from: TEST_TODAY }));
    assert.deepEqual(fields, ['record.statusHistory']);

    const doctor = repository(db, keys, 'olga', 'doctor');
    await doctor.open();
    const confirmed = await doctor.changeStatus(created.patientId, { status: 'active', from: TEST_TODAY });
    assert.deepEqual(
      confirmed.record.statusHistory.map((entry) => entry.status),
      ['pending', 'active'],
    );
  });

  it('stores passports as ciphertext only and no identifying text anywhere in the device database', async () => {
    const keys = await TestFacilityKeys.create();
    const { db, name } = device('olga');
    const records = repository(db, keys, 'olga', 'doctor');
    await records.open();
    const surname = 'Шлиссельбургская';
    const created = await records.createPatient(
      patientInput({ surname, snils: '112-233-445 95', phone: '+79119876543' }),
    );
    const update = patientInput({ surname, snils: '112-233-445 95', phone: '+79119876543' });
    update.passport.name = 'Анастасия';
    await records.updatePatient(created.patientId, update, '2026-11-26');
    await records.changeStatus(created.patientId, {
      status: 'transferred',
      from: '2026-11-28',
      transferredTo: 'hospice-2',
      note: 'Статусная заметка Шлиссельбургской',
    });
    await records.addVisit(created.patientId, visitInput('Визитная заметка: внучка Ярослава'));
    const prescription = await records.addPrescription(created.patientId, prescriptionInput('РЕЦ-778899'));
    await records.cancelPrescription(prescription.prescription._id, 'Отменено по просьбе Ярославы');

    const passports = await db.allDocs({ include_docs: true, startkey: 'passport:', endkey: 'passport:\ufff0' });
    assert.lengthOf(passports.rows, 1);
    for (const row of passports.rows) {
      assert.sameMembers(Object.keys(row.doc ?? {}), ['_id', '_rev', 'type', 'v', 'kid', 'iv', 'ct']);
    }
    const secrets = [
      surname,
      'Анастасия',
      '112-233-445 95',
      '11223344595',
      '+79119876543',
      '9119876543',
      'Ярослав',
      'РЕЦ-778899',
      'Статусная заметка',
      'Ленина',
    ];
    const revisions = await everyRevisionText(db);
    const raw = await rawDatabaseText(name);
    assert.include(raw, created.patientId, 'the raw scan does read the database');
    for (const secret of secrets) {
      assert.notInclude(revisions, secret, `a revision holds "${secret}"`);
      assert.notInclude(raw, secret, `IndexedDB holds "${secret}"`);
    }
    // The audit events the writes left name documents and actions only.
    const audit = await db.allDocs({ include_docs: true, startkey: 'audit:', endkey: 'audit:\ufff0' });
    const actions = audit.rows.map((row) => row.doc?.action);
    assert.includeMembers(actions, ['created', 'changed', 'status-changed', 'prescription-cancelled']);
  });

  it('finds a patient by a misspelt surname, by birth date and by SNILS, among others', async () => {
    const keys = await TestFacilityKeys.create();
    const { db } = device('olga');
    const records = repository(db, keys, 'olga', 'doctor');
    await records.open();
    const wanted = await records.createPatient(patientInput({ surname: 'Кузнецова' }));
    const other = patientInput({ surname: 'Петрова', snils: '001-001-001 00' });
    other.passport.birthDate = '1961-07-04';
    other.record.diagnoses = [{ code: 'G12.2', role: 'main' }];
    other.record.diseaseGroup = 'other-progressive';
    other.record.eligibility = 'neurodegenerative';
    const petrova = await records.createPatient(other);

    const ids = async (text: string): Promise<string[]> =>
      (await records.listPatients({ text })).map((patient) => patient.patientId);
    assert.deepEqual(await ids('Кузнецва'), [wanted.patientId]);
    assert.deepEqual(await ids('кузнецова анна 12.03.1950'), [wanted.patientId]);
    assert.deepEqual(await ids('11223'), [wanted.patientId]);
    assert.deepEqual(await ids('Петрва'), [petrova.patientId]);
    assert.deepEqual(
      (await records.listPatients({ diagnosis: 'C30-C39' })).map((p) => p.patientId),
      [wanted.patientId],
    );
    assert.deepEqual(
      (await records.listPatients({ diagnosis: 'G12' })).map((p) => p.patientId),
      [petrova.patientId],
    );
    assert.deepEqual(
      (await records.listPatients({ needs: ['functional-bed'], text: 'Петрова' })).map((p) => p.patientId),
      [petrova.patientId],
    );
  });

  it('seals visit notes and prescription numbers, and opens them for the list', async () => {
    const keys = await TestFacilityKeys.create();
    const { db } = device('olga');
    const doctor = repository(db, keys, 'olga', 'doctor');
    await doctor.open();
    const { patientId } = await doctor.createPatient(patientInput());

    const visit = await doctor.addVisit(patientId, visitInput('Боль усилилась ночью'));
    assert.equal(visit.note, 'Боль усилилась ночью');
    assert.equal(visit.visit.performer, 'olga');
    const storedVisit = await db.get(visit.visit._id);
    assert.sameMembers(Object.keys(storedVisit.note as object), ['v', 'kid', 'iv', 'ct']);
    assert.deepEqual(
      (await doctor.listVisits(patientId)).map((view) => view.note),
      ['Боль усилилась ночью'],
    );
    const [summary] = await doctor.listPatients({ ecogAtLeast: 3, painAtLeast: 5 });
    assert.deepInclude(summary?.latest, { ecog: 3, pps: 40, pain: 6 });
    assert.equal(summary?.lastVisit, '2026-11-20');
    assert.deepEqual(await doctor.listPatients({ ppsAtMost: 30 }), []);

    const written = await doctor.addPrescription(patientId, prescriptionInput('ЛЮ 123456'));
    assert.equal(written.number, 'ЛЮ 123456');
    assert.equal(written.displayStatus, 'active');
    assert.equal(written.prescription.prescriber, 'olga');
    const stored = await db.get(written.prescription._id);
    assert.sameMembers(Object.keys(stored.number as object), ['v', 'kid', 'iv', 'ct']);

    const cancelled = await doctor.cancelPrescription(written.prescription._id, 'аллергическая реакция');
    assert.equal(cancelled.displayStatus, 'cancelled');
    assert.equal(cancelled.cancellationReason, 'аллергическая реакция');
    const listed = await doctor.listPrescriptions({ patientId, status: ['cancelled'] });
    assert.deepEqual(
      listed.map((view) => [view.number, view.cancellationReason]),
      [['ЛЮ 123456', 'аллергическая реакция']],
    );
    assert.deepEqual(await doctor.listPrescriptions({ status: ['active'] }), []);
  });

  it('refuses a prescription from a nurse before it is written', async () => {
    const keys = await TestFacilityKeys.create();
    const { db } = device('nina');
    const nurse = repository(db, keys, 'nina', 'nurse');
    await nurse.open();
    const { patientId } = await nurse.createPatient(patientInput());
    assert.deepEqual(await refusedFields(nurse.addPrescription(patientId, prescriptionInput())), ['prescriber']);
    const stored = await db.allDocs({ startkey: 'prescription:', endkey: 'prescription:\ufff0' });
    assert.deepEqual(stored.rows, []);
  });

  it('reads documents of an older epoch and seals them under the current one when they change', async () => {
    const keys = await TestFacilityKeys.create();
    const { db } = device('olga');
    const records = repository(db, keys, 'olga', 'doctor');
    await records.open();
    const created = await records.createPatient(patientInput());
    await records.changeStatus(created.patientId, {
      status: 'excluded',
      from: '2026-11-10',
      reason: 'other',
      note: 'заметка первой эпохи',
    });
    const prescription = await records.addPrescription(created.patientId, prescriptionInput('N-1'));
    assert.equal((await db.get(created.passportId)).kid, `${FACILITY}:1`);

    assert.equal(await keys.startEpoch(), 2);
    records.close();
    await records.open();
    const reopened = await records.openPatient(created.patientId);
    assert.deepEqual(reopened.passport, created.passport, 'an epoch-1 passport opens after epoch 2 began');

    await records.updatePatient(created.patientId, patientInput(), '2026-11-27');
    assert.equal((await db.get(created.passportId)).kid, `${FACILITY}:2`);
    const record = await db.get(`patient:${created.patientId}`);
    const notes = (record.statusHistory as { note?: { kid: string } }[]).flatMap((entry) => entry.note ?? []);
    assert.deepEqual(
      notes.map((note) => note.kid),
      [`${FACILITY}:2`],
      'the old status note was sealed again',
    );
    assert.deepEqual((await records.openPatient(created.patientId)).statusNotes, { 1: 'заметка первой эпохи' });

    const cancelled = await records.cancelPrescription(prescription.prescription._id, 'ошибка');
    const stored = await db.get(prescription.prescription._id);
    assert.equal((stored.number as { kid: string }).kid, `${FACILITY}:2`);
    assert.equal(cancelled.number, 'N-1');
  });

  it('lists what a key of this device does not open as unreadable, and drops everything when closed', async () => {
    const keys = await TestFacilityKeys.create();
    const { db } = device('olga');
    const records = repository(db, keys, 'olga', 'doctor');
    await records.open();
    const old = await records.createPatient(patientInput({ surname: 'Старая' }));
    await keys.startEpoch();
    const current = await records.createPatient(patientInput({ surname: 'Новая' }));
    records.close();
    try {
      await records.listPatients();
      assert.fail('a closed repository listed patients');
    } catch (error) {
      assert.equal((error as Error).name, 'RecordsClosedError');
    }

    keys.forget(1);
    await records.open();
    assert.deepEqual(
      (await records.listPatients()).map((patient) => patient.patientId),
      [current.patientId],
    );
    assert.deepEqual(records.unreadablePassports, [old.passportId]);
    records.close();
  });

  it('follows changes made by another writer of the same database', async () => {
    const keys = await TestFacilityKeys.create();
    const { db } = device('olga');
    const reader = repository(db, keys, 'olga', 'doctor');
    const writer = repository(db, keys, 'nina', 'nurse');
    await reader.open();
    await writer.open();
    const found = (): Promise<string[]> =>
      reader.listPatients({ text: 'Ладожская' }).then((hits) => hits.map((patient) => patient.patientId));
    // Each change the reader applies fires `change`; the page lists again then, and so does the test.
    const arrived = new Promise<string[]>((resolve) => {
      reader.addEventListener('change', () => {
        void found().then((ids) => {
          if (ids.length > 0) resolve(ids);
        });
      });
    });
    const created = await writer.createPatient(patientInput({ surname: 'Ладожская' }));
    assert.deepEqual(await arrived, [created.patientId]);
    reader.close();
    writer.close();
  });
});
