/**
 * The other readers of the reference books (the status change, the patient file, the sync panel, the shell's
 * facility names, the prescription list) follow the member's replica as a new device's first sync fills it:
 * each element is shown while the replica is still empty, has read it, and then shows the books once they land
 * (written by another PouchDB instance, as the reference replication writes them), without being opened again.
 */
import { assert, fixture, html } from '@open-wc/testing';
import PouchDB from 'pouchdb-browser/lib/index.es.js';
import './rp-status-change/rp-status-change.ts';
import './rp-patient-file/rp-patient-file.ts';
import './rp-sync-panel/rp-sync-panel.ts';
import './rp-prescription-list/rp-prescription-list.ts';
import '../app/rp-app/rp-app.ts';
import type { RpStatusChange } from './rp-status-change/rp-status-change.ts';
import type { RpPatientFile } from './rp-patient-file/rp-patient-file.ts';
import type { RpSyncPanel } from './rp-sync-panel/rp-sync-panel.ts';
import type { RpPrescriptionList } from './rp-prescription-list/rp-prescription-list.ts';
import type { RpApp } from '../app/rp-app/rp-app.ts';
import { renderAdmin } from '../admin/testing/admin-test-context.ts';
import { $, find, shadowText, until } from '../test-support/render.ts';
import { createTestServices } from '../test-support/test-services.ts';
import { createAccount, createTestFacility, uniqueName } from '../test-support/test-register.ts';
import { FacilitySync } from '../sync/facility-sync.ts';
import { patientRecord } from '../../common/records/test-fixtures.ts';
import type { LocalReferenceStore } from '../records/local-reference-store.ts';
import { dropReplica, newDeviceReplica, replicate } from '../records/testing/new-device-replica.ts';
import { referenceDatabaseName } from '../sync/reference-replication.ts';
import { TODAY, memoryRecords, patientInput } from '../records/testing/patient-fixtures.ts';
import { PATIENT_ID, records as careRecords, storedPrescription } from './rp-patient-file/testing/care-fixtures.ts';

describe('more readers of the reference books while a new device receives them', () => {
  let login: string;
  let store: LocalReferenceStore;

  beforeEach(() => {
    ({ login, store } = newDeviceReplica());
  });
  afterEach(() => dropReplica({ login, store }));

  it('refuses a cause of death the ICD-10 book lacks once the book arrived after the panel was opened', async () => {
    const records = memoryRecords();
    const panel = await renderAdmin<RpStatusChange>(
      html`<rp-status-change
        .records=${records}
        .reference=${store}
        .roles=${['doctor']}
        .file=${records.seedPatient(patientInput())}
        .today=${TODAY}
      ></rp-status-change>`,
      'rp-status-change',
    );
    await store.list('diagnosis-chunk:');
    await panel.updateComplete;
    assert.deepEqual(panel.lookup.chunks, []);
    assert.notProperty(panel.lookup.lookups, 'diagnosisExists', 'without the book only the format is checked');

    await replicate(login);
    await until(() => panel.lookup.chunks.length > 0);
    assert.isTrue(panel.lookup.lookups.diagnosisExists?.('C34'));
    assert.isFalse(panel.lookup.lookups.diagnosisExists?.('C34.9'));
  });

  it('names the district and the diagnoses in the patient file when the books arrive after it was opened', async () => {
    const file = await renderAdmin<RpPatientFile>(
      html`<rp-patient-file
        .records=${careRecords()}
        .reference=${store}
        .patientId=${PATIENT_ID}
        .roles=${['nurse']}
        .today=${TODAY}
      ></rp-patient-file>`,
      'rp-patient-file',
    );
    await until(() => file.file !== null);
    await store.list('district:');
    await file.updateComplete;
    assert.notInclude(shadowText(file), 'Петрозаводский городской округ');
    assert.include(shadowText(file), 'district:petrozavodsk', 'a code without a name is shown as it is');

    await replicate(login);
    await until(() => shadowText(file).includes('Петрозаводский городской округ'));
    assert.isAbove(file.names.diagnoses.size, 0, 'the ICD-10 book arrived with the districts');
  });

  it('names the codes of a comparison the sync panel already shows once the books arrive', async () => {
    const facilityId = await createTestFacility('late');
    const doctor = await createAccount({
      name: 'olga',
      password: 'correct horse battery',
      roles: ['doctor', `facility:${facilityId}`],
      displayName: 'Ольга',
    });
    const services = createTestServices({ replication: 'scripted' });
    await services.session.start();
    await services.session.login(doctor.name, doctor.password);
    const local = new PouchDB(`late-${facilityId}-${doctor.name}`);
    try {
      const remote = new PouchDB(`${location.origin}/db/facility-${facilityId}`, { skip_setup: true });
      const sync = new FacilitySync({ facilityId, login: doctor.name, local, remote });
      const base = { ...patientRecord(), _id: `patient:${crypto.randomUUID()}`, createdBy: doctor.name };
      // Two offline edits of one record, both leaves of revision 1, as replication leaves them.
      await local.bulkDocs(
        [
          { ...base, _rev: '1-0000aaaa', _revisions: { start: 1, ids: ['0000aaaa'] } },
          {
            ...base,
            careSetting: 'hospice',
            _rev: '2-1111bbbb',
            _revisions: { start: 2, ids: ['1111bbbb', '0000aaaa'] },
          },
          { ...base, _rev: '2-2222cccc', _revisions: { start: 2, ids: ['2222cccc', '0000aaaa'] } },
        ],
        { new_edits: false },
      );
      await sync.syncNow();
      const panel = await renderAdmin<RpSyncPanel>(
        html`<rp-sync-panel .syncs=${[sync]} .reference=${store} .login=${doctor.name}></rp-sync-panel>`,
        'rp-sync-panel',
      );
      await store.list('district:');
      const compare = [...(panel.shadowRoot?.querySelectorAll('button') ?? [])].find(
        (candidate) => candidate.getAttribute('aria-label') === `Сравнить: ${base._id}`,
      );
      if (!compare) throw new Error('the conflict is not listed');
      compare.click();
      await until(() => panel.shadowRoot?.querySelector('tr[data-field="districtId"]') !== null);
      const district = (): string =>
        panel.shadowRoot?.querySelector('tr[data-field="districtId"] td .value')?.textContent?.trim() ?? '';
      assert.equal(district(), 'district:petrozavodsk', 'a code without a name is shown as it is');

      await replicate(login);
      await until(() => district().includes('Петрозаводский городской округ'));
    } finally {
      await local.destroy();
    }
  });

  it('names the medicament in the patient’s prescription list when the books arrive after it was opened', async () => {
    const memory = careRecords();
    memory.seedPrescription(storedPrescription('medicament:morphine-prolonged-tablets-30mg'));
    const list = await renderAdmin<RpPrescriptionList>(
      html`<rp-prescription-list
        .records=${memory}
        .reference=${store}
        .patientId=${PATIENT_ID}
        .roles=${['doctor']}
      ></rp-prescription-list>`,
      'rp-prescription-list',
    );
    await until(() => list.views !== null);
    await store.list('medicament:');
    await list.updateComplete;
    assert.deepEqual(list.medicaments, []);
    assert.notInclude(shadowText(list), 'Морфин, таблетки');

    await replicate(login);
    await until(() => shadowText(list).includes('Морфин, таблетки пролонгированного действия 30 мг'));
  });
});

describe('the facility names of the application shell while a new device receives them', () => {
  afterEach(() => history.replaceState(null, '', '/'));

  it('gives the pages a facility’s name once the replica receives it', async () => {
    const nurse = await createAccount({
      name: 'nurse',
      password: 'Ладога-Онего-Сегозеро-2026!',
      roles: ['nurse'],
      displayName: 'Медсестра',
    });
    const services = createTestServices({ replication: 'scripted' });
    history.replaceState(null, '', '/sync');
    const app = await fixture<RpApp>(html`<rp-app .services=${services}></rp-app>`);
    await services.session.start();
    await services.session.login(nurse.name, nurse.password);
    try {
      await until(() => find(app, 'main rp-sync-panel') !== null);
      const panel = $<RpSyncPanel>(app, 'main rp-sync-panel');
      await panel.updateComplete;
      const reference = panel.reference;
      if (!reference) throw new Error('the shell gave the sync panel no reference replica');
      await reference.list('facility:');
      await app.updateComplete;
      assert.deepEqual(panel.names, {});

      const id = uniqueName('hospice');
      const now = new Date().toISOString();
      const facility = {
        _id: `facility:${id}`,
        type: 'facility',
        id,
        name: 'Хоспис Петрозаводска',
        active: true,
        createdBy: 'admin',
        createdAt: now,
        updatedBy: 'admin',
        updatedAt: now,
      };
      await replicate(nurse.name, [facility]);
      await until(() => panel.names[id] === 'Хоспис Петрозаводска');
    } finally {
      await new PouchDB(referenceDatabaseName(nurse.name)).destroy();
    }
  });
});
