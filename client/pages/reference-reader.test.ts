import { assert, html } from '@open-wc/testing';
import './rp-patient-form/rp-patient-form.ts';
import './rp-prescription-form/rp-prescription-form.ts';
import type { RpPatientForm } from './rp-patient-form/rp-patient-form.ts';
import type { RpPrescriptionForm } from './rp-prescription-form/rp-prescription-form.ts';
import { renderAdmin } from '../admin/testing/admin-test-context.ts';
import { until } from '../test-support/render.ts';
import type { LocalReferenceStore } from '../records/local-reference-store.ts';
import { dropReplica, newDeviceReplica, replicate } from '../records/testing/new-device-replica.ts';
import { loadPatientReference } from './rp-patients-section/patient-reference.ts';
import { TODAY, memoryRecords } from '../records/testing/patient-fixtures.ts';

function optionsOf(host: Element, selector: string): number {
  const select = host.shadowRoot?.querySelector<HTMLSelectElement>(selector);
  if (!select) throw new Error(`${selector} not found`);
  return select.options.length;
}

describe('reading the reference books while a new device receives them', () => {
  let login: string;
  let store: LocalReferenceStore;

  beforeEach(() => {
    ({ login, store } = newDeviceReplica());
  });
  afterEach(() => dropReplica({ login, store }));

  it('reads the replica again once it changed, not before', async () => {
    const before = loadPatientReference(store);
    assert.deepEqual((await before).districts, []);
    assert.strictEqual(loadPatientReference(store), before, 'an unchanged replica is read once');

    const changed = new Promise((done) => store.addEventListener('change', done, { once: true }));
    await replicate(login);
    await changed;
    const after = await loadPatientReference(store);
    assert.isAbove(after.districts.length, 10);
    assert.equal(after.districtName('district:petrozavodsk'), 'Петрозаводский городской округ');
    assert.isTrue(after.lookups.diagnosisExists?.('C34'));
  });

  it('fills the new-patient form’s district list when the books arrive after it was opened', async () => {
    const form = await renderAdmin<RpPatientForm>(
      html`<rp-patient-form
        .records=${memoryRecords()}
        .reference=${store}
        .roles=${['nurse']}
        .today=${TODAY}
      ></rp-patient-form>`,
      'rp-patient-form',
    );
    await form.updateComplete;
    // The form has read the replica while it was still empty: only the "choose" option.
    await loadPatientReference(store);
    await form.updateComplete;
    assert.equal(optionsOf(form, '#record-districtId'), 1);

    await replicate(login);
    await until(() => optionsOf(form, '#record-districtId') > 10);
    assert.isAbove(form.lookup.chunks.length, 0, 'the ICD-10 book arrived with the districts');
  });

  it('gives the prescription form the medicaments when they arrive after it was opened', async () => {
    const form = await renderAdmin<RpPrescriptionForm>(
      html`<rp-prescription-form
        .records=${memoryRecords()}
        .reference=${store}
        .patientId=${'p1'}
        .roles=${['doctor']}
        .today=${TODAY}
      ></rp-prescription-form>`,
      'rp-prescription-form',
    );
    await form.updateComplete;
    await store.list('medicament:');
    assert.deepEqual(form.medicaments, []);

    await replicate(login);
    await until(() => form.medicaments.length > 0);
    assert.isTrue(form.medicaments.some((medicament) => medicament.innRu.startsWith('Морфин')));
  });
});
