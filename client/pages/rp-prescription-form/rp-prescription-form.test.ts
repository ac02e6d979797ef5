import { assert, expect, html, oneEvent } from '@open-wc/testing';
import './rp-prescription-form.ts';
import type { RpPrescriptionForm } from './rp-prescription-form.ts';
import type { PrescriptionView } from '../../records/records-api.ts';
import {
  $,
  check,
  messageFor,
  PATIENT_ID,
  records,
  reference,
  render,
  storedPrescription,
  textOf,
  TODAY,
  type,
  until,
} from '../rp-patient-file/testing/care-fixtures.ts';
import type { MemoryCareRecords } from '../rp-patient-file/testing/memory-care-records.ts';

async function setup(
  roles: string[] = ['doctor'],
  prepare: (memory: MemoryCareRecords) => void = () => undefined,
): Promise<{ form: RpPrescriptionForm; memory: MemoryCareRecords }> {
  const memory = records();
  prepare(memory);
  const form = await render<RpPrescriptionForm>(
    html`<rp-prescription-form
      .records=${memory}
      .reference=${reference()}
      .patientId=${PATIENT_ID}
      .roles=${roles}
      .today=${TODAY}
    ></rp-prescription-form>`,
    'rp-prescription-form',
  );
  if (roles.includes('doctor')) await until(() => form.medicaments.length > 0);
  await form.updateComplete;
  return { form, memory };
}

async function submit(form: RpPrescriptionForm): Promise<void> {
  $<HTMLButtonElement>(form, 'button[type=submit]').click();
  await form.updateComplete;
}

async function pick(form: RpPrescriptionForm, medicamentId: string, dose: string, timesPerDay: string): Promise<void> {
  type(form, '#medicamentId', medicamentId);
  type(form, '#dose', dose);
  type(form, '#timesPerDay', timesPerDay);
  await form.updateComplete;
}

function options(form: RpPrescriptionForm): string[] {
  return [...(form.shadowRoot?.querySelectorAll<HTMLOptionElement>('#medicamentId option') ?? [])]
    .map((option) => option.value)
    .filter((value) => value !== '');
}

describe('rp-prescription-form', () => {
  it('is for doctors only', async () => {
    const { form } = await setup(['nurse']);
    assert.equal(textOf(form), 'Назначения выписывает и отменяет только врач.');
    assert.isNull(form.shadowRoot?.querySelector('form') ?? null);
  });

  it('finds medicaments by Russian and Latin INN, trade name and ATC code', async () => {
    const { form } = await setup();
    const search = async (query: string) => {
      type(form, '#medicament-query', query);
      await form.updateComplete;
      return options(form);
    };
    assert.deepEqual(await search('промедол'), ['medicament:trimeperidine-injection-20mg-ml']);
    assert.deepEqual(await search('Oxycodonum'), [
      'medicament:oxycodone-prolonged-tablets-10mg',
      'medicament:oxycodone-naloxone-prolonged-tablets-10-5mg',
    ]);
    const fentanyl = await search('N02AB');
    assert.isAbove(fentanyl.length, 1);
    assert.isTrue(fentanyl.every((id) => id.startsWith('medicament:fentanyl-patch-')));
    assert.include(await search('морф'), 'medicament:morphine-tablets-10mg');
    assert.deepEqual(await search('Транстек'), ['medicament:buprenorphine-patch-35ug-h']);
  });

  it('shows the daily dose and the oral morphine equivalent of a morphine prescription', async () => {
    const { form } = await setup();
    await pick(form, 'medicament:morphine-tablets-10mg', '10', '4');
    assert.include(textOf(form), 'Суточная доза: 40 мг');
    assert.equal(
      $(form, '#ome').textContent?.replace(/\s+/g, ' ').trim(),
      'Морфиновый эквивалент (внутрь) в сутки: 40 мг',
    );
    assert.equal($<HTMLSelectElement>(form, '#prescriptionForm').value, '107/у-НП');
    assert.isNull(form.shadowRoot?.querySelector('.warning') ?? null);
  });

  it('says "no factor", never zero, for a medicament the reference book gives no factor', async () => {
    const { form } = await setup();
    await pick(form, 'medicament:trimeperidine-injection-20mg-ml', '20', '3');
    const ome = $(form, '#ome').textContent ?? '';
    assert.include(ome, 'нет коэффициента');
    assert.include(ome, 'В таблице CDC 2022 нет коэффициента для тримеперидина');
    assert.notMatch(ome, /\b0 мг/);
    assert.equal($<HTMLSelectElement>(form, '#route').value, 'parenteral');
  });

  it('warns about a dose far above the usual range, and still saves it', async () => {
    const { form, memory } = await setup();
    await pick(form, 'medicament:morphine-tablets-10mg', '100', '4');
    const warnings = [...(form.shadowRoot?.querySelectorAll('.warning') ?? [])].map((w) => w.textContent?.trim());
    assert.deepEqual(warnings, [
      'Внимание: морфиновый эквивалент 400 мг/сут выше обычного диапазона (до 300 мг/сут). Проверьте дозу.',
    ]);
    await expect(form).to.be.accessible();
    await submit(form);
    await until(() => memory.calls.some((call) => call.method === 'addPrescription'));
    assert.lengthOf(memory.prescriptions, 1);
  });

  it('warns when a second long-acting strong opioid joins one in force', async () => {
    const { form } = await setup(['doctor'], (memory) =>
      memory.seedPrescription(storedPrescription('medicament:oxycodone-prolonged-tablets-10mg')),
    );
    await until(() => form.existing.length === 1);
    await pick(form, 'medicament:morphine-prolonged-tablets-30mg', '30', '2');
    assert.include(
      $(form, '.warning').textContent ?? '',
      'одновременно назначены два разных сильных опиоида пролонгированного действия',
    );
  });

  it('refuses a dose of 0 and an end before the start next to their fields, keeping what was typed', async () => {
    const { form, memory } = await setup();
    await pick(form, 'medicament:morphine-tablets-10mg', '0', '4');
    type(form, '#start', '2026-11-29');
    type(form, '#end', '2026-11-20');
    type(form, '#number', '86-НП 000123');
    await submit(form);
    assert.equal(messageFor(form, '#dose'), 'Доза должна быть больше нуля.');
    assert.equal(messageFor(form, '#end'), 'Дата окончания раньше даты начала.');
    assert.equal(messageFor(form, '#start'), '');
    assert.equal(form.shadowRoot?.activeElement?.id, 'dose');
    assert.equal($<HTMLSelectElement>(form, '#medicamentId').value, 'medicament:morphine-tablets-10mg');
    assert.equal($<HTMLInputElement>(form, '#end').value, '2026-11-20');
    assert.equal($<HTMLInputElement>(form, '#number').value, '86-НП 000123');
    assert.notInclude(
      memory.calls.map((call) => call.method),
      'addPrescription',
    );
    await expect(form).to.be.accessible();
  });

  it('asks for a medicament, a frequency and, as needed, the daily maximum', async () => {
    const { form } = await setup();
    type(form, '#dose', '5');
    check(form, 'input[name=regimen][value=as-needed]');
    await form.updateComplete;
    await submit(form);
    assert.equal(messageFor(form, '#medicamentId'), 'Выберите препарат из справочника.');
    assert.equal(messageFor(form, '#timesPerDay'), 'Укажите либо кратность в сутки, либо интервал в часах.');
    assert.equal(messageFor(form, '#maxDailyDose'), 'Для приёма по требованию укажите максимальную суточную дозу.');
    assert.equal(form.shadowRoot?.activeElement?.id, 'medicamentId');
  });

  it('stores the prescription through addPrescription with what was typed', async () => {
    const { form, memory } = await setup();
    type(form, '#medicament-query', 'морфин');
    await form.updateComplete;
    await pick(form, 'medicament:morphine-tablets-10mg', '5', '');
    type(form, '#intervalHours', '4');
    check(form, 'input[name=regimen][value=as-needed]');
    await form.updateComplete;
    type(form, '#maxDailyDose', '30');
    type(form, '#end', '2026-12-10');
    type(form, '#quantity', '60');
    type(form, '#number', '86-НП 000124');
    const saved = oneEvent(form, 'rp-prescription-saved') as Promise<CustomEvent<PrescriptionView>>;
    await submit(form);
    const { detail } = await saved;
    const call = memory.calls.find((entry) => entry.method === 'addPrescription');
    assert.deepEqual(call?.args, [
      PATIENT_ID,
      {
        medicamentId: 'medicament:morphine-tablets-10mg',
        dose: 5,
        doseUnit: 'mg',
        route: 'oral',
        regimen: 'as-needed',
        start: TODAY,
        prescriptionForm: '107/у-НП',
        intervalHours: 4,
        quantity: 60,
        maxDailyDose: 30,
        end: '2026-12-10',
        number: '86-НП 000124',
      },
    ]);
    assert.equal(detail.displayStatus, 'active');
  });
});
