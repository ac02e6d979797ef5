import { assert, expect, html, oneEvent } from '@open-wc/testing';
import './rp-prescriptions-page.ts';
import { shortName, type RpPrescriptionsPage } from './rp-prescriptions-page.ts';
import type { PrescriptionReportDetail } from '../rp-prescription-list/rp-prescription-list.ts';
import {
  $,
  check,
  patientFile,
  PATIENT_ID,
  records,
  reference,
  render,
  storedPrescription,
  type,
  until,
} from '../rp-patient-file/testing/care-fixtures.ts';
import type { MemoryCareRecords } from '../rp-patient-file/testing/memory-care-records.ts';

const OTHER_ID = '7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';
const MORPHINE = storedPrescription('medicament:morphine-prolonged-tablets-30mg', { dose: 30 });
const OTHERS = {
  ...storedPrescription('medicament:tramadol-capsules-50mg', { dose: 50, timesPerDay: 4, prescriber: 'petrov' }),
  _id: `prescription:${OTHER_ID}:0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d`,
};
const ADDRESS = location.href;

async function setup(search = ''): Promise<{ page: RpPrescriptionsPage; memory: MemoryCareRecords }> {
  history.replaceState(null, '', `/prescriptions${search}`);
  const memory = records();
  const other = patientFile();
  other.patientId = OTHER_ID;
  other.passport = { ...other.passport, patientId: OTHER_ID, surname: 'Петров', name: 'Семён', patronymic: undefined };
  memory.patients.set(OTHER_ID, other);
  memory.seedPrescription(MORPHINE);
  memory.seedPrescription(OTHERS);
  const page = await render<RpPrescriptionsPage>(
    html`<rp-prescriptions-page
      .records=${memory}
      .reference=${reference()}
      .roles=${['nurse']}
      .path=${'/prescriptions'}
    ></rp-prescriptions-page>`,
    'rp-prescriptions-page',
  );
  await until(() => page.results !== null && page.patients.length === 2 && page.medicaments.length > 0);
  await page.updateComplete;
  return { page, memory };
}

function lastFilter(memory: MemoryCareRecords): unknown {
  return memory.calls.filter((call) => call.method === 'listPrescriptions').at(-1)?.args[0];
}

describe('rp-prescriptions-page', () => {
  afterEach(() => history.replaceState(null, '', ADDRESS));

  it('shortens names to initials', () => {
    assert.equal(shortName({ surname: 'Иванова', name: 'Мария', patronymic: 'Петровна' }), 'Иванова М. П.');
    assert.equal(shortName({ surname: 'Петров', name: 'Семён' }), 'Петров С.');
  });

  it("opens with one patient's prescriptions when the address names the patient", async () => {
    const { page, memory } = await setup(`?patient=${PATIENT_ID}`);
    assert.deepEqual(lastFilter(memory), { patientId: PATIENT_ID });
    assert.deepEqual(
      page.results?.map((view) => view.prescription._id),
      [MORPHINE._id],
    );
    assert.equal($<HTMLSelectElement>(page, '#patient').value, PATIENT_ID);
    assert.equal($(page, 'tbody a').textContent?.trim(), 'Иванова М. П.');
    await expect(page).to.be.accessible();
  });

  it('searches by medicament, opioid strength, period, prescriber, status and patient', async () => {
    const { page, memory } = await setup();
    assert.lengthOf(page.results ?? [], 2);
    type(page, '#medicament', 'трамадол');
    type(page, '#opioid', 'weak');
    type(page, '#from', '2026-11-01');
    type(page, '#to', '2026-11-30');
    type(page, '#prescriber', 'Petrov');
    type(page, '#patient', OTHER_ID);
    check(page, 'input[name=status][value=active]');
    check(page, 'input[name=status][value=planned]');
    $<HTMLButtonElement>(page, 'button[type=submit]').click();
    await until(() => page.results?.length === 1);
    assert.deepEqual(lastFilter(memory), {
      patientId: OTHER_ID,
      medicament: 'трамадол',
      opioid: 'weak',
      from: '2026-11-01',
      to: '2026-11-30',
      prescriber: 'petrov',
      status: ['planned', 'active'],
    });
    assert.equal(page.results?.[0]?.prescription._id, OTHERS._id);
  });

  it('selects the results as a group for the prescription report', async () => {
    const { page } = await setup();
    $<HTMLInputElement>(page, 'input.select-all').click();
    await page.updateComplete;
    const report = oneEvent(page, 'rp-prescription-report') as Promise<CustomEvent<PrescriptionReportDetail>>;
    $<HTMLButtonElement>(page, 'section .form-actions button').click();
    assert.sameMembers((await report).detail.prescriptionIds, [MORPHINE._id, OTHERS._id]);
  });

  it("follows a patient's name to the patient file", async () => {
    const { page } = await setup();
    const navigate = oneEvent(page, 'rp-navigate');
    $<HTMLAnchorElement>(page, `tr[data-id="${OTHERS._id}"] a`).click();
    assert.deepEqual((await navigate).detail, { path: `/patients/${OTHER_ID}` });
  });
});
