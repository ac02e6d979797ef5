import { assert } from '@open-wc/testing';
import { NoFacilityKeyError, RecordValidationError } from '../records-api.ts';
import { diagnosisMatches } from './memory-records.ts';
import { TODAY, memoryRecords, otherPatients, patientInput } from './patient-fixtures.ts';

async function refusal(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => null,
    (error: unknown) => error,
  );
}

describe('memory records (the test stand-in of FacilityRecords)', () => {
  it('finds patients through the real search index, also by a misspelt surname', async () => {
    const records = memoryRecords();
    records.seedPatient(patientInput());
    for (const input of otherPatients()) records.seedPatient(input);
    const found = await records.listPatients({ text: 'Ивонова мар' });
    assert.deepEqual(
      found.map((row) => row.surname),
      ['Иванова'],
    );
    assert.equal(found[0]?.age, 78);
    assert.equal(found[0]?.mainDiagnosis, 'C34');
    assert.deepEqual(
      (await records.listPatients({ text: '11223344595' })).map((row) => row.surname),
      ['Иванова'],
    );
  });

  it('refuses what the shared validators refuse, naming fields with the contract’s prefixes', async () => {
    const records = memoryRecords();
    const error = await refusal(
      records.createPatient(
        patientInput((input) => {
          input.passport.snils = '112-233-445 96';
          input.record.diagnoses = [{ code: 'C34.9', role: 'main' }];
        }),
      ),
    );
    assert.instanceOf(error, RecordValidationError);
    assert.sameMembers(
      (error as RecordValidationError).problems.map((problem) => problem.field),
      ['passport.snils', 'record.diagnoses[0].code'],
    );
    assert.deepEqual(await records.listPatients(), []);
  });

  it('registers a nurse’s patient as pending and lets only a doctor confirm', async () => {
    const nurse = memoryRecords({ login: 'nina', roles: ['nurse'] });
    const file = await nurse.createPatient(patientInput());
    assert.equal(file.record.statusHistory[0]?.status, 'pending');
    const error = await refusal(nurse.changeStatus(file.patientId, { status: 'active', from: TODAY }));
    assert.instanceOf(error, RecordValidationError);
  });

  it('adds dated entries only for what changed, and fires change after each write', async () => {
    const records = memoryRecords();
    let changes = 0;
    records.addEventListener('change', () => (changes += 1));
    const file = await records.createPatient(patientInput());
    const same = await records.updatePatient(file.patientId, patientInput(), TODAY);
    assert.equal(same.record.careSettingHistory.length, 1);
    assert.equal(same.record.needsHistory.length, 1);
    const moved = await records.updatePatient(
      file.patientId,
      patientInput((input) => (input.record.careSetting = 'hospice')),
      TODAY,
    );
    assert.deepEqual(moved.record.careSettingHistory.at(-1), { from: TODAY, setting: 'hospice' });
    assert.equal(moved.record.needsHistory.length, 1);
    assert.equal(changes, 3);
  });

  it('keeps notes open beside a placeholder envelope, as the real layer opens sealed text', async () => {
    const records = memoryRecords();
    const { patientId } = records.seedPatient(patientInput());
    const file = await records.changeStatus(patientId, {
      status: 'excluded',
      from: TODAY,
      reason: 'other',
      note: 'Уехала к родным',
    });
    const index = file.record.statusHistory.length - 1;
    assert.equal(file.statusNotes[index], 'Уехала к родным');
    assert.notInclude(JSON.stringify(file.record), 'Уехала');
  });

  it('refuses a prescription from a nurse and lists a doctor’s with its derived status', async () => {
    const nurse = memoryRecords({ login: 'nina', roles: ['nurse'] });
    const { patientId } = nurse.seedPatient(patientInput());
    const input = {
      medicamentId: 'medicament:morphine-prolonged-tablets-10mg',
      dose: 30,
      doseUnit: 'mg',
      route: 'oral',
      timesPerDay: 2,
      regimen: 'regular',
      start: '2026-11-20',
      end: '2026-11-25',
      prescriptionForm: '107/у-НП',
    } as const;
    assert.instanceOf(await refusal(nurse.addPrescription(patientId, input)), RecordValidationError);
    nurse.seedPrescription(patientId, input, 'olga');
    const [view] = await nurse.listPrescriptions({ patientId, opioid: 'strong' });
    assert.equal(view?.displayStatus, 'completed');
  });

  it('holds nothing open after close, until opened again', async () => {
    const records = memoryRecords();
    records.seedPatient(patientInput());
    records.close();
    assert.instanceOf(await refusal(records.listPatients()), NoFacilityKeyError);
    await records.open();
    assert.equal((await records.listPatients({ text: 'Иванова' })).length, 1);
  });

  it('matches diagnosis filters by code, prefix and range', () => {
    const cases: [string, string, boolean][] = [
      ['C34', 'C34', true],
      ['C34.1', 'C34', true],
      ['C340', 'C34', false],
      ['C34.1', 'C34.1', true],
      ['C35', 'C3', true],
      ['C39.8', 'C30-C39', true],
      ['C40', 'C30-C39', false],
      ['J44', 'C30-C39', false],
    ];
    for (const [code, filter, expected] of cases)
      assert.equal(diagnosisMatches(code, filter), expected, `${code} ~ ${filter}`);
  });
});
