import { assert, expect, html, oneEvent } from '@open-wc/testing';
import './rp-patient-file.ts';
import { formFromQuery, type RpPatientFile } from './rp-patient-file.ts';
import type { RpVisitForm } from '../rp-visit-form/rp-visit-form.ts';
import type { RpScalesChart } from '../rp-scales-chart/rp-scales-chart.ts';
import { visit } from '../../../common/records/test-fixtures.ts';
import { $, PATIENT_ID, records, reference, render, textOf, TODAY, type, until } from './testing/care-fixtures.ts';
import type { MemoryCareRecords } from './testing/memory-care-records.ts';

const ADDRESS = location.href;

async function setup(
  roles: string[] = ['doctor'],
  search = '',
  prepare: (memory: MemoryCareRecords) => void = () => undefined,
): Promise<{ file: RpPatientFile; memory: MemoryCareRecords }> {
  history.replaceState(null, '', `/patients/${PATIENT_ID}${search}`);
  const memory = records();
  prepare(memory);
  const file = await render<RpPatientFile>(
    html`<rp-patient-file
      .records=${memory}
      .reference=${reference()}
      .patientId=${PATIENT_ID}
      .roles=${roles}
      .today=${TODAY}
    ></rp-patient-file>`,
    'rp-patient-file',
  );
  await until(() => file.file !== null && file.names.diagnoses.size > 0);
  await file.updateComplete;
  return { file, memory };
}

describe('rp-patient-file', () => {
  afterEach(() => history.replaceState(null, '', ADDRESS));

  it('reads the form to open from the address', () => {
    assert.equal(formFromQuery('?visit=new'), 'visit');
    assert.equal(formFromQuery('?prescription=new'), 'prescription');
    assert.isNull(formFromQuery('?tab=visits'));
  });

  it('opens the patient through openPatient and shows passport and record with their histories', async () => {
    const { file, memory } = await setup();
    assert.deepEqual(memory.calls[0], { method: 'openPatient', args: [PATIENT_ID] });
    const text = textOf(file);
    assert.equal($(file, 'h1').textContent, 'Иванова Мария Петровна');
    for (const expected of [
      '14.03.1948 (полных лет: 78)',
      '112-233-445 95',
      '+79111234567',
      'Иванов Пётр (сын)',
      '02.11.2026: в регистре',
      '01.11.2026: ожидает подтверждения врачом',
      'онкологическое заболевание',
      'C34.1 Злокачественное новообразование бронхов и легкого (основной, с 10.05.2026)',
      'C78.7 Вторичное злокачественное новообразование органов дыхания и пищеварения (осложнение)',
      '01.11.2026: на дому',
      '01.11.2026: функциональная кровать (не обеспечено); кресло-коляска (обеспечено)',
      'Петрозаводский городской округ',
    ]) {
      assert.include(text, expected);
    }
    await expect(file).to.be.accessible();
  });

  it('goes to the edit form with «Изменить»', async () => {
    const { file } = await setup();
    const navigate = oneEvent(file, 'rp-navigate');
    $<HTMLAnchorElement>(file, 'a.button').click();
    assert.deepEqual((await navigate).detail, { path: `/patients/${PATIENT_ID}/edit` });
  });

  it('offers a new prescription to doctors only', async () => {
    const nurse = await setup(['nurse']);
    assert.isNull(nurse.file.shadowRoot?.querySelector('#new-prescription') ?? null);
    assert.isNotNull(nurse.file.shadowRoot?.querySelector('#new-visit'));
    const doctor = await setup(['doctor']);
    $<HTMLButtonElement>(doctor.file, '#new-prescription').click();
    await until(() => doctor.file.shadowRoot?.querySelector('rp-prescription-form') !== null);
  });

  it('opens the visit form from ?visit=new, stores the visit and shows it in the history and the chart', async () => {
    const { file, memory } = await setup(['nurse'], '?visit=new', (m) =>
      m.visits.push({ visit: { ...visit(), date: '2026-11-20' }, note: 'Сын на работе до 18:00' }),
    );
    const form = $<RpVisitForm>(file, 'rp-visit-form');
    await form.updateComplete;
    type(form, '#pain', '3');
    type(form, '#ecog', '2');
    $<HTMLButtonElement>(form, 'button[type=submit]').click();
    await until(() => file.visits.length === 2);
    await file.updateComplete;
    assert.isNull(file.shadowRoot?.querySelector('rp-visit-form') ?? null);
    assert.equal(location.search, '');
    assert.deepEqual(memory.calls.find((call) => call.method === 'addVisit')?.args[0], PATIENT_ID);
    const rows = file.shadowRoot?.querySelectorAll('#visits tbody tr') ?? [];
    assert.lengthOf(rows, 2);
    assert.include(rows[0]?.textContent ?? '', '29.11.2026');
    assert.include(rows[1]?.textContent ?? '', 'Сын на работе до 18:00');
    const chart = $<RpScalesChart>(file, 'rp-scales-chart');
    await chart.updateComplete;
    assert.equal(chart.shadowRoot?.querySelectorAll('#chart-pain circle').length, 2);
  });

  it('opens the prescription form from ?prescription=new for a doctor, not for a nurse', async () => {
    const doctor = await setup(['doctor'], '?prescription=new');
    assert.isNotNull(doctor.file.shadowRoot?.querySelector('rp-prescription-form'));
    await expect(doctor.file).to.be.accessible();
    const nurse = await setup(['nurse'], '?prescription=new');
    assert.isNull(nurse.file.shadowRoot?.querySelector('rp-prescription-form') ?? null);
  });

  it('says so when the patient cannot be opened', async () => {
    history.replaceState(null, '', `/patients/unknown`);
    const file = await render<RpPatientFile>(
      html`<rp-patient-file .records=${records()} .patientId=${'unknown'} .today=${TODAY}></rp-patient-file>`,
      'rp-patient-file',
    );
    await until(() => file.failed);
    await file.updateComplete;
    assert.equal($(file, '[role=alert]').textContent, 'Не удалось открыть карту пациента.');
  });
});
