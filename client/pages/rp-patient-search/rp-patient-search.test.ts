import { assert, expect, html, oneEvent } from '@open-wc/testing';
import './rp-patient-search.ts';
import type { RpPatientSearch } from './rp-patient-search.ts';
import { renderAdmin } from '../../admin/testing/admin-test-context.ts';
import { until } from '../../test-support/render.ts';
import type { MemoryRecords } from '../../records/testing/memory-records.ts';
import {
  memoryRecords,
  otherPatients,
  patientInput,
  starterReference,
} from '../../records/testing/patient-fixtures.ts';
import type { PatientFilter, VisitInput } from '../../records/records-api.ts';

async function setup(records: MemoryRecords, roles: string[] = ['doctor']): Promise<RpPatientSearch> {
  const page = await renderAdmin<RpPatientSearch>(
    html`<rp-patient-search .records=${records} .reference=${starterReference()} .roles=${roles}></rp-patient-search>`,
    'rp-patient-search',
  );
  await until(() => page.results !== null && page.lookup.districts.length > 0);
  await page.updateComplete;
  return page;
}

/** Three patients: Иванова (C34, Petrozavodsk, ECOG 3 at the last visit), Петров (J44, pending), Сидорова (C50). */
function registerWithPatients(): { records: MemoryRecords; ivanova: string; petrov: string } {
  const records = memoryRecords();
  const ivanova = records.seedPatient(patientInput()).patientId;
  const [petrovInput, sidorovaInput] = otherPatients();
  if (!petrovInput || !sidorovaInput) throw new Error('fixtures missing');
  const petrov = records.seedPatient(petrovInput, { statusHistory: [{ from: '2026-11-01', status: 'pending' }] });
  records.seedPatient(sidorovaInput);
  const visit = (fields: Partial<VisitInput> & { date: string }): VisitInput => ({
    visitType: 'home',
    performerRole: 'nurse',
    syndromes: [],
    needsNoticed: [],
    ...fields,
  });
  records.seedVisit(ivanova, visit({ date: '2026-11-20', ecog: 2, pain: 3 }));
  records.seedVisit(ivanova, visit({ date: '2026-11-27', ecog: 3, pps: 40 }));
  records.seedVisit(petrov.patientId, visit({ date: '2026-11-25', ecog: 1, pps: 70, pain: 6 }));
  return { records, ivanova, petrov: petrov.patientId };
}

function names(page: RpPatientSearch): string[] {
  return (page.results ?? []).map((row) => row.surname);
}

async function typeQuery(page: RpPatientSearch, id: string, value: string): Promise<void> {
  const input = page.shadowRoot?.querySelector<HTMLInputElement>(`#${id}`);
  if (!input) throw new Error(`no #${id}`);
  input.value = value;
  input.dispatchEvent(new InputEvent('input'));
  await page.updateComplete;
}

async function choose(page: RpPatientSearch, id: string, value: string): Promise<void> {
  const select = page.shadowRoot?.querySelector<HTMLSelectElement>(`#${id}`);
  if (!select) throw new Error(`no #${id}`);
  select.value = value;
  select.dispatchEvent(new Event('change'));
  await page.updateComplete;
}

function records(page: RpPatientSearch): MemoryRecords {
  return page.records as MemoryRecords;
}

function lastFilter(page: RpPatientSearch): PatientFilter | null {
  const calls = records(page).callsOf('listPatients');
  return (calls[calls.length - 1]?.[0] as PatientFilter | undefined) ?? null;
}

describe('rp-patient-search', () => {
  it('lists every patient with age, main diagnosis, status and last visit, and is accessible', async () => {
    const page = await setup(registerWithPatients().records);
    assert.sameMembers(names(page), ['Иванова', 'Петров', 'Сидорова']);
    const text = page.shadowRoot?.querySelector('tbody')?.textContent?.replace(/\s+/g, ' ') ?? '';
    assert.include(text, 'Иванова Мария Петровна');
    assert.include(text, 'Злокачественное новообразование бронхов и легкого');
    assert.include(text, 'ожидает подтверждения врачом');
    assert.include(text, '27.11.2026');
    await expect(page).to.be.accessible();
  });

  it('finds a patient by a misspelt surname as the user types', async () => {
    const page = await setup(registerWithPatients().records);
    await typeQuery(page, 'patient-query', 'Ивонова');
    await until(() => names(page).length === 1);
    assert.deepEqual(names(page), ['Иванова']);
    assert.equal(lastFilter(page)?.text, 'Ивонова');
    await typeQuery(page, 'patient-query', '14.03.1948');
    await until(() => lastFilter(page)?.text === '14.03.1948');
    assert.deepEqual(names(page), ['Иванова']);
    await typeQuery(page, 'patient-query', 'Кузнецов');
    await until(() => names(page).length === 0);
    assert.include(page.shadowRoot?.textContent ?? '', 'Никого не найдено.');
  });

  it('filters by status, diagnosis range typed in Cyrillic, district, need and the latest scales', async () => {
    const page = await setup(registerWithPatients().records);
    await choose(page, 'filter-status', 'pending');
    await until(() => names(page).length === 1);
    assert.deepEqual(names(page), ['Петров']);
    await choose(page, 'filter-status', '');
    await typeQuery(page, 'filter-diagnosis', 'с30-с39');
    await until(() => lastFilter(page)?.diagnosis === 'C30-C39');
    assert.deepEqual(names(page), ['Иванова']);
    await typeQuery(page, 'filter-diagnosis', 'C');
    await until(() => lastFilter(page)?.diagnosis === 'C');
    await choose(page, 'filter-districtId', 'district:kondopozhsky');
    await until(() => lastFilter(page)?.districtId === 'district:kondopozhsky');
    assert.deepEqual(names(page), ['Сидорова']);
    await typeQuery(page, 'filter-diagnosis', '');
    await choose(page, 'filter-districtId', '');
    await choose(page, 'filter-need', 'oxygen-concentrator');
    await until(() => names(page).length === 1);
    assert.deepEqual(names(page), ['Петров']);
    await choose(page, 'filter-need', '');
    await choose(page, 'filter-ecogAtLeast', '3');
    await until(() => names(page).length === 1);
    assert.deepEqual(names(page), ['Иванова']);
    await choose(page, 'filter-ecogAtLeast', '');
    await choose(page, 'filter-painAtLeast', '5');
    await until(() => names(page).length === 1);
    assert.deepEqual(names(page), ['Петров']);
    await expect(page).to.be.accessible();
  });

  it('follows changes of the facility’s data', async () => {
    const { records: data } = registerWithPatients();
    const page = await setup(data);
    await data.createPatient(
      patientInput((input) => {
        input.passport.surname = 'Фёдорова';
        delete input.passport.snils;
        delete input.passport.omsPolicy;
      }),
    );
    await until(() => names(page).length === 4);
    assert.include(names(page), 'Фёдорова');
  });

  it('offers a new prescription to doctors only, and navigates by rp-navigate', async () => {
    const { records: data, ivanova } = registerWithPatients();
    const nurse = await setup(data, ['nurse']);
    assert.notInclude(nurse.shadowRoot?.querySelector('tbody')?.textContent ?? '', 'Новое назначение');
    const doctor = await setup(data, ['doctor']);
    const link = doctor.shadowRoot?.querySelector<HTMLAnchorElement>(`a[href="/patients/${ivanova}?prescription=new"]`);
    assert.exists(link);
    const history = doctor.shadowRoot?.querySelector<HTMLAnchorElement>(`a[href="/prescriptions?patient=${ivanova}"]`);
    const navigated = oneEvent(doctor, 'rp-navigate');
    history?.click();
    const { detail } = await navigated;
    assert.equal(detail.path, `/prescriptions?patient=${ivanova}`);
  });
});
