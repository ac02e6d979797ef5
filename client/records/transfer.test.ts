/**
 * A patient transferred between two facilities' local databases on one device, with each facility's own real
 * epoch keys: the target opens everything under its own key, the source keeps "transferred", nothing readable
 * names anyone in either database, and what either store would refuse is refused before anything is written.
 */
import { assert } from '@open-wc/testing';
import PouchDB from 'pouchdb-browser/lib/index.es.js';
import { FacilityRepository, type FacilityDatabase } from './facility-repository.ts';
import { TEST_TODAY, TestFacilityKeys, patientInput, prescriptionInput, visitInput } from './records-fixtures.ts';
import { localFacilityDatabaseName } from './local-databases.ts';
import { TransferRefusedError, transferPatient, type TransferRequest } from './transfer.ts';
import { uniqueName } from '../test-support/test-register.ts';
import { rawDatabaseText } from '../test-support/raw-indexeddb.ts';

const SOURCE = 'rt-source';
const TARGET = 'rt-target';

interface Facility {
  id: string;
  name: string;
  db: FacilityDatabase;
  keys: TestFacilityKeys;
}

const opened: { destroy(): Promise<unknown> }[] = [];

async function facility(id: string, login: string): Promise<Facility> {
  const name = localFacilityDatabaseName(id, uniqueName(login));
  const pouch = new PouchDB(name);
  opened.push(pouch);
  return { id, name, db: pouch as unknown as FacilityDatabase, keys: await TestFacilityKeys.create() };
}

afterEach(async () => {
  for (const pouch of opened.splice(0)) await pouch.destroy();
});

function rolesOf(role: 'doctor' | 'nurse', facilities: string[] = [SOURCE, TARGET]): string[] {
  return [role, ...facilities.map((id) => `facility:${id}`)];
}

function repository(at: Facility, login: string, roles: string[]): FacilityRepository {
  return new FacilityRepository({
    facilityId: at.id,
    login,
    roles,
    db: at.db,
    keys: at.keys,
    today: () => TEST_TODAY,
    device: 'test-tablet',
  });
}

async function idsOf(db: FacilityDatabase, prefix: string): Promise<string[]> {
  const { rows } = await db.allDocs({ startkey: prefix, endkey: `${prefix}\ufff0` });
  return rows.map((row) => row.id);
}

async function auditActions(db: FacilityDatabase): Promise<unknown[]> {
  const { rows } = await db.allDocs({ include_docs: true, startkey: 'audit:', endkey: 'audit:\ufff0' });
  return rows.map((row) => row.doc?.action);
}

/** The TransferRefusedError a transfer rejected with. */
async function refusal(transfer: Promise<unknown>): Promise<TransferRefusedError> {
  try {
    await transfer;
  } catch (error) {
    if (error instanceof TransferRefusedError) return error;
    throw error;
  }
  throw new Error('the transfer was not refused');
}

const IDENTIFYING = ['Кузнецова', 'Анна', '112-233-445 95', '11223344595', 'Ленина', 'Кузнецов Пётр'];
const NOTE = 'Внучка Ярослава приходит по вторникам';
const NUMBER = '10АА 123456';
const REASON = 'Аллергия у Кузнецовой';

describe('patient transfer', () => {
  it('re-seals passport, visits and prescriptions into the target and leaves the source "transferred"', async () => {
    const source = await facility(SOURCE, 'olga');
    const target = await facility(TARGET, 'olga');
    const roles = rolesOf('doctor');
    const from = repository(source, 'olga', roles);
    await from.open();
    const created = await from.createPatient(patientInput());
    const { patientId } = created;
    const visit = await from.addVisit(patientId, visitInput(NOTE));
    const prescription = await from.addPrescription(patientId, prescriptionInput(NUMBER));
    const cancelled = await from.addPrescription(patientId, prescriptionInput());
    await from.cancelPrescription(cancelled.prescription._id, REASON);

    const request: TransferRequest = { patientId, to: TARGET, from: '2026-11-28', note: 'по месту жительства дочери' };
    const into = repository(target, 'olga', roles);
    const result = await transferPatient({ source: from, target: into, login: 'olga', roles }, request);
    assert.equal(result.visits, 1);
    assert.equal(result.prescriptions, 2);
    assert.notEqual(result.targetPassportId, created.passportId, 'the target gets a passport of its own');
    const last = result.source.record.statusHistory.at(-1);
    assert.deepInclude(last, { from: '2026-11-28', status: 'transferred', transferredTo: TARGET });
    assert.deepEqual(result.source.statusNotes, { 1: 'по месту жительства дочери' });
    assert.deepEqual(
      (await from.listPatients()).map((p) => p.status),
      ['transferred'],
    );

    // The target opens everything with its own key: the source's key is nowhere in it.
    await into.open();
    assert.deepEqual(into.unreadablePassports, []);
    const file = await into.openPatient(patientId);
    assert.deepEqual(file.passport, created.passport);
    assert.equal(file.passportId, result.targetPassportId);
    assert.deepEqual(file.record.statusHistory, [{ from: '2026-11-28', status: 'active' }]);
    assert.deepEqual(file.record.careSettingHistory, [{ from: '2026-11-28', setting: 'home' }]);
    assert.deepEqual(file.record.diagnoses, created.record.diagnoses);
    assert.equal(file.record.inclusionDate, created.record.inclusionDate);
    const visits = await into.listVisits(patientId);
    assert.deepEqual(
      visits.map((v) => [v.visit._id, v.note]),
      [[visit.visit._id, NOTE]],
      'the visit keeps its id, and its note opens in the target',
    );
    assert.equal(visits[0]?.visit.performer, 'olga');
    assert.match(String(visits[0]?.visit.note?.kid), new RegExp(`^${TARGET}:`));
    const prescriptions = await into.listPrescriptions({ patientId });
    const byId = new Map(prescriptions.map((p) => [p.prescription._id, p]));
    assert.equal(byId.get(prescription.prescription._id)?.number, NUMBER);
    assert.equal(byId.get(cancelled.prescription._id)?.cancellationReason, REASON);
    assert.equal(byId.get(cancelled.prescription._id)?.displayStatus, 'cancelled');

    assert.include(await auditActions(source.db), 'transferred');
    assert.include(await auditActions(target.db), 'transferred');

    for (const at of [source, target]) {
      const raw = await rawDatabaseText(at.name);
      for (const text of [...IDENTIFYING, NOTE, NUMBER, REASON, 'по месту жительства']) {
        assert.notInclude(raw, text, `${at.id} holds "${text}" in readable form`);
      }
    }
    into.close();
    from.close();
  });

  it("copies a colleague's prescriptions under the transferring doctor, keeping who prescribed and cancelled", async () => {
    const source = await facility(SOURCE, 'olga');
    const target = await facility(TARGET, 'olga');
    const roles = rolesOf('doctor');
    const boris = repository(source, 'boris', roles);
    await boris.open();
    const { patientId } = await boris.createPatient(patientInput());
    const byBoris = await boris.addPrescription(patientId, prescriptionInput(NUMBER));
    const cancelledByBoris = await boris.addPrescription(patientId, prescriptionInput());
    await boris.cancelPrescription(cancelledByBoris.prescription._id, REASON);
    boris.close();
    const from = repository(source, 'olga', roles);
    await from.open();
    const byOlga = await from.addPrescription(patientId, prescriptionInput());

    const request: TransferRequest = { patientId, to: TARGET, from: '2026-11-28' };
    const into = repository(target, 'olga', roles);
    const result = await transferPatient({ source: from, target: into, login: 'olga', roles }, request);
    assert.equal(result.prescriptions, 3);

    await into.open();
    const copies = new Map(
      (await into.listPrescriptions({ patientId })).map((view) => [view.prescription._id, view] as const),
    );
    const expected: [string, string, string | undefined][] = [
      [byBoris.prescription._id, 'boris', undefined],
      [cancelledByBoris.prescription._id, 'boris', 'boris'],
      [byOlga.prescription._id, 'olga', undefined],
    ];
    for (const [id, prescriber, cancelledBy] of expected) {
      const copy = copies.get(id)?.prescription;
      assert.exists(copy, `${id} reached the target`);
      assert.equal(copy?.prescriber, prescriber, 'the copy keeps who prescribed');
      assert.equal(copy?.createdBy, 'olga', 'the transferring doctor writes the copy');
      assert.equal(copy?.transferredFrom, SOURCE, 'the copy is marked with the facility it came from');
      assert.equal(copy?.cancellation?.by, cancelledBy, 'the copy keeps who cancelled it');
    }
    assert.equal(copies.get(byBoris.prescription._id)?.number, NUMBER);
    assert.equal(copies.get(cancelledByBoris.prescription._id)?.cancellationReason, REASON);

    // In the target the copy is a prescription like any other: a doctor there cancels it under their own name.
    const cancelled = await into.cancelPrescription(byBoris.prescription._id, 'заменено');
    assert.equal(cancelled.prescription.cancellation?.by, 'olga');
    assert.equal(cancelled.prescription.prescriber, 'boris');
    assert.equal(cancelled.prescription.transferredFrom, SOURCE);

    const raw = await rawDatabaseText(target.name);
    for (const text of [NUMBER, REASON, 'заменено']) assert.notInclude(raw, text);
    into.close();
    from.close();
  });

  it('refuses a patient the target already holds, and writes nothing more', async () => {
    const source = await facility(SOURCE, 'olga');
    const target = await facility(TARGET, 'olga');
    const roles = rolesOf('doctor');
    const from = repository(source, 'olga', roles);
    await from.open();
    const { patientId } = await from.createPatient(patientInput());
    const request: TransferRequest = { patientId, to: TARGET, from: '2026-11-28' };
    await transferPatient({ source: from, target: repository(target, 'olga', roles), login: 'olga', roles }, request);
    const before = await idsOf(target.db, '');

    const third = await facility('rt-third', 'olga');
    const all = [...roles, 'facility:rt-third'];
    const twice = await refusal(
      transferPatient(
        { source: from, target: repository(third, 'olga', all), login: 'olga', roles: all },
        { ...request, to: 'rt-third' },
      ),
    );
    assert.include(twice.message, 'состоит в регистре', 'a transferred patient is not given away again');
    const again = await refusal(
      transferPatient({ source: from, target: repository(target, 'olga', roles), login: 'olga', roles }, request),
    );
    assert.deepEqual(
      again.problems.map((p) => p.field),
      ['transferredTo'],
    );
    assert.include(again.message, 'уже есть');
    assert.deepEqual(await idsOf(target.db, ''), before);
    from.close();
  });

  it("starts a nurse's transfer as pending, and refuses one the target's store would refuse before writing", async () => {
    const source = await facility(SOURCE, 'vera');
    const target = await facility(TARGET, 'vera');
    const doctor = repository(source, 'olga', rolesOf('doctor'));
    await doctor.open();
    const withPrescription = await doctor.createPatient(patientInput({ surname: 'Петрова' }));
    await doctor.addPrescription(withPrescription.patientId, prescriptionInput());
    const plain = await doctor.createPatient(patientInput({ surname: 'Сидорова', snils: '123-456-789 64' }));
    doctor.close();

    const roles = rolesOf('nurse');
    const nurse = repository(source, 'vera', roles);
    await nurse.open();
    // Only a doctor writes prescriptions, so the target's store would refuse a nurse's copy of one.
    const refused = await refusal(
      transferPatient(
        { source: nurse, target: repository(target, 'vera', roles), login: 'vera', roles },
        { patientId: withPrescription.patientId, to: TARGET, from: '2026-11-28' },
      ),
    );
    assert.include(refused.message, 'Only a doctor may write or cancel prescriptions.');
    assert.deepEqual(await idsOf(target.db, ''), [], 'nothing reached the target');
    assert.equal((await nurse.openPatient(withPrescription.patientId)).record.statusHistory.length, 1);

    await transferPatient(
      { source: nurse, target: repository(target, 'vera', roles), login: 'vera', roles },
      { patientId: plain.patientId, to: TARGET, from: '2026-11-28' },
    );
    const into = repository(target, 'vera', roles);
    await into.open();
    const file = await into.openPatient(plain.patientId);
    assert.deepEqual(file.record.statusHistory, [{ from: '2026-11-28', status: 'pending' }]);
    assert.equal(file.record.createdBy, 'vera');
    into.close();
    nurse.close();
  });

  it('refuses a member of one facility only, and a device without a key of the target', async () => {
    const source = await facility(SOURCE, 'olga');
    const target = await facility(TARGET, 'olga');
    const from = repository(source, 'olga', rolesOf('doctor'));
    await from.open();
    const { patientId } = await from.createPatient(patientInput());
    const request: TransferRequest = { patientId, to: TARGET, from: '2026-11-28' };

    const onlySource = rolesOf('doctor', [SOURCE]);
    const notMember = await refusal(
      transferPatient(
        { source: from, target: repository(target, 'olga', onlySource), login: 'olga', roles: onlySource },
        request,
      ),
    );
    assert.include(notMember.message, 'не состоите');

    target.keys.forget(target.keys.currentEpoch);
    const roles = rolesOf('doctor');
    const noKey = await refusal(
      transferPatient({ source: from, target: repository(target, 'olga', roles), login: 'olga', roles }, request),
    );
    assert.include(noKey.message, 'нет ключа');
    assert.deepEqual(await idsOf(target.db, ''), []);
    assert.equal((await from.openPatient(patientId)).record.statusHistory.at(-1)?.status, 'active');
    from.close();
  });
});
