import { assert, expect, html, oneEvent } from '@open-wc/testing';
import './rp-patients-section.ts';
import type { RpPatientsSection } from './rp-patients-section.ts';
import { renderAdmin } from '../../admin/testing/admin-test-context.ts';
import { until } from '../../test-support/render.ts';
import type { FacilityRecords } from '../../records/records-api.ts';
import { memoryRecords, patientInput, starterReference } from '../../records/testing/patient-fixtures.ts';
import { patientsRouteOf } from './patient-paths.ts';

const FACILITIES = [
  { id: 'hospice-ptz', name: 'Хоспис Петрозаводска' },
  { id: 'crb-kondopoga', name: 'Кондопожская ЦРБ' },
];

async function setup(path: string, records: FacilityRecords | null = memoryRecords()): Promise<RpPatientsSection> {
  return renderAdmin<RpPatientsSection>(
    html`<rp-patients-section
      .records=${records}
      .reference=${starterReference()}
      .roles=${['doctor']}
      .path=${path}
      .facilities=${FACILITIES}
      .facilityId=${'hospice-ptz'}
    ></rp-patients-section>`,
    'rp-patients-section',
  );
}

describe('rp-patients-section', () => {
  it('reads its sub-routes from the path', () => {
    assert.deepEqual(patientsRouteOf('/patients'), { kind: 'search' });
    assert.deepEqual(patientsRouteOf('/patients/'), { kind: 'search' });
    assert.deepEqual(patientsRouteOf('/patients/new'), { kind: 'new' });
    assert.deepEqual(patientsRouteOf('/patients/abc?visit=new'), { kind: 'file', patientId: 'abc' });
    assert.deepEqual(patientsRouteOf('/patients/abc/edit'), { kind: 'edit', patientId: 'abc' });
    assert.deepEqual(patientsRouteOf('/patients/abc/unknown'), { kind: 'search' });
  });

  it('shows the search at /patients, the form at /patients/new and the file at /patients/<id>', async () => {
    const records = memoryRecords();
    const { patientId } = records.seedPatient(patientInput());
    const section = await setup('/patients', records);
    assert.exists(section.shadowRoot?.querySelector('rp-patient-search'));
    section.path = '/patients/new';
    await section.updateComplete;
    assert.exists(section.shadowRoot?.querySelector('rp-patient-form'));
    section.path = `/patients/${patientId}/edit`;
    await section.updateComplete;
    const form = section.shadowRoot?.querySelector('rp-patient-form');
    assert.equal(form?.patientId, patientId);
    await until(() => form?.loaded !== null);
    section.path = `/patients/${patientId}?visit=new`;
    await section.updateComplete;
    const file = section.shadowRoot?.querySelector('rp-patient-file');
    assert.equal(file?.patientId, patientId);
    assert.equal(file?.records, records);
    await expect(section).to.be.accessible();
  });

  it('explains why nothing is shown while the facility’s records are not available', async () => {
    const section = await setup('/patients', null);
    assert.include(section.shadowRoot?.querySelector('#locked')?.textContent ?? '', 'ключи учреждения');
    assert.notExists(section.shadowRoot?.querySelector('rp-patient-search'));
    await expect(section).to.be.accessible();
  });

  it('lets a member of several facilities choose one', async () => {
    const section = await setup('/patients');
    const select = section.shadowRoot?.querySelector<HTMLSelectElement>('#facility');
    if (!select) throw new Error('no facility choice');
    assert.equal(select.value, 'hospice-ptz');
    const changed = oneEvent(section, 'rp-facility-change');
    select.value = 'crb-kondopoga';
    select.dispatchEvent(new Event('change'));
    const { detail } = await changed;
    assert.deepEqual(detail, { facilityId: 'crb-kondopoga' });
  });

  it('navigates from the list to the new patient form', async () => {
    const section = await setup('/patients');
    const search = section.shadowRoot?.querySelector('rp-patient-search');
    await until(() => search?.results !== null);
    await search?.updateComplete;
    const link = search?.shadowRoot?.querySelector<HTMLAnchorElement>('a[href="/patients/new"]');
    const navigated = oneEvent(section, 'rp-navigate');
    link?.click();
    const { detail } = await navigated;
    assert.equal(detail.path, '/patients/new');
  });
});
