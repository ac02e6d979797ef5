import { assert, expect, html, oneEvent } from '@open-wc/testing';
import './rp-prescription-list.ts';
import type { PrescriptionReportDetail, RpPrescriptionList } from './rp-prescription-list.ts';
import {
  $,
  messageFor,
  PATIENT_ID,
  records,
  reference,
  render,
  storedPrescription,
  type,
  until,
} from '../rp-patient-file/testing/care-fixtures.ts';
import type { MemoryCareRecords } from '../rp-patient-file/testing/memory-care-records.ts';

const MORPHINE = storedPrescription('medicament:morphine-prolonged-tablets-30mg', { dose: 30, timesPerDay: 2 });
const PROMEDOL = storedPrescription('medicament:trimeperidine-injection-20mg-ml', {
  dose: 20,
  route: 'parenteral',
  timesPerDay: undefined,
  intervalHours: 6,
  regimen: 'as-needed',
  maxDailyDose: 60,
  start: '2026-11-25',
  end: undefined,
});
const FINISHED = storedPrescription('medicament:paracetamol-tablets-500mg', {
  dose: 500,
  start: '2026-10-01',
  end: '2026-10-10',
  prescriptionForm: '107-1/у',
});

async function setup(roles: string[] = ['doctor']): Promise<{ list: RpPrescriptionList; memory: MemoryCareRecords }> {
  const memory = records();
  memory.seedPrescription(MORPHINE, '86-НП 000123');
  memory.seedPrescription(PROMEDOL);
  memory.seedPrescription(FINISHED);
  const list = await render<RpPrescriptionList>(
    html`<rp-prescription-list
      .records=${memory}
      .reference=${reference()}
      .patientId=${PATIENT_ID}
      .roles=${roles}
    ></rp-prescription-list>`,
    'rp-prescription-list',
  );
  await until(() => list.views !== null && list.medicaments.length > 0);
  await list.updateComplete;
  return { list, memory };
}

function row(list: RpPrescriptionList, id: string): string[] {
  const cells = list.shadowRoot?.querySelector(`tr[data-id="${id}"]`)?.children ?? [];
  return [...cells].map((cell) => (cell.textContent ?? '').replace(/\s+/g, ' ').trim());
}

describe('rp-prescription-list', () => {
  it("shows the patient's prescriptions with derived status, frequency and oral morphine equivalent", async () => {
    const { list, memory } = await setup();
    assert.deepEqual(memory.calls[0], { method: 'listPrescriptions', args: [{ patientId: PATIENT_ID }] });
    assert.deepEqual(row(list, MORPHINE._id).slice(1, 11), [
      'Морфин, таблетки пролонгированного действия 30 мг',
      '30 мг',
      'внутрь',
      '2 р/сут',
      '20.11.2026 – 19.12.2026',
      'действует',
      'olga',
      '107/у-НП№ 86-НП 000123',
      '60 мг',
      'Отменить',
    ]);
    assert.deepEqual(row(list, PROMEDOL._id).slice(4, 6), [
      'по требованию, каждые 6 ч, не более 60 мг в сутки',
      '25.11.2026 – без срока',
    ]);
    assert.equal(row(list, PROMEDOL._id)[9], 'нет коэффициента');
    assert.equal(row(list, FINISHED._id)[6], 'завершено');
    assert.equal(row(list, FINISHED._id)[9], '—');
    assert.equal(row(list, FINISHED._id)[10], '');
    await expect(list).to.be.accessible();
  });

  it('filters by status, period and medicament through listPrescriptions', async () => {
    const { list, memory } = await setup();
    type(list, '#filter-from', '2026-11-01');
    type(list, '#filter-to', '2026-11-30');
    type(list, '#filter-medicament', 'N02A');
    type(list, '#filter-status', 'active');
    await until(() => list.views?.length === 1);
    assert.deepEqual(memory.calls.at(-1)?.args, [
      { patientId: PATIENT_ID, status: ['active'], from: '2026-11-01', to: '2026-11-30', medicament: 'N02A' },
    ]);
  });

  it('cancels a prescription with a reason, refusing an empty one next to the field', async () => {
    const { list, memory } = await setup();
    $<HTMLButtonElement>(list, `tr[data-id="${MORPHINE._id}"] button`).click();
    await list.updateComplete;
    assert.equal(list.shadowRoot?.activeElement?.id, 'cancel-reason');
    $<HTMLButtonElement>(list, '#cancel-heading ~ .form-actions button[type=submit]').click();
    await list.updateComplete;
    assert.equal(messageFor(list, '#cancel-reason'), 'Укажите причину отмены.');
    assert.notInclude(
      memory.calls.map((call) => call.method),
      'cancelPrescription',
    );
    await expect(list).to.be.accessible();
    type(list, '#cancel-reason', 'Переведена на пластырь');
    const cancelled = oneEvent(list, 'rp-prescription-cancelled');
    $<HTMLButtonElement>(list, '#cancel-heading ~ .form-actions button[type=submit]').click();
    await cancelled;
    assert.deepEqual(memory.calls.find((call) => call.method === 'cancelPrescription')?.args, [
      MORPHINE._id,
      'Переведена на пластырь',
    ]);
    await until(() => row(list, MORPHINE._id)[6]?.startsWith('отменено') === true);
    assert.include(row(list, MORPHINE._id)[6], 'Переведена на пластырь');
  });

  it('keeps the reason typed when cancelling fails', async () => {
    const { list, memory } = await setup();
    $<HTMLButtonElement>(list, `tr[data-id="${MORPHINE._id}"] button`).click();
    await list.updateComplete;
    type(list, '#cancel-reason', 'Аллергия');
    memory.failNextWrite = new Error('offline');
    $<HTMLButtonElement>(list, '#cancel-heading ~ .form-actions button[type=submit]').click();
    await until(() => messageFor(list, '#cancel-reason') !== '');
    assert.include(messageFor(list, '#cancel-reason'), 'Не удалось сохранить');
    assert.equal($<HTMLTextAreaElement>(list, '#cancel-reason').value, 'Аллергия');
  });

  it('offers no cancelling to a nurse', async () => {
    const { list } = await setup(['nurse']);
    assert.isNull(list.shadowRoot?.querySelector('td.actions') ?? null);
    assert.lengthOf(row(list, MORPHINE._id), 10);
  });

  it('hands the selected prescriptions to the report', async () => {
    const { list } = await setup(['nurse']);
    $<HTMLInputElement>(list, `tr[data-id="${PROMEDOL._id}"] input[type=checkbox]`).click();
    $<HTMLInputElement>(list, `tr[data-id="${MORPHINE._id}"] input[type=checkbox]`).click();
    await list.updateComplete;
    const report = oneEvent(list, 'rp-prescription-report') as Promise<CustomEvent<PrescriptionReportDetail>>;
    $<HTMLButtonElement>(list, '.form-actions button').click();
    assert.deepEqual((await report).detail, { prescriptionIds: [PROMEDOL._id, MORPHINE._id] });
    $<HTMLInputElement>(list, 'input.select-all').click();
    await list.updateComplete;
    assert.equal(list.selected.size, 3);
  });
});
