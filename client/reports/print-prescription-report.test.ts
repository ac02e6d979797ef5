import { assert, expect, html } from '@open-wc/testing';
import { I18n } from '../i18n/i18n.ts';
import { renderAdmin } from '../admin/testing/admin-test-context.ts';
import '../pages/rp-patient-file/rp-patient-file.ts';
import '../pages/rp-prescriptions-page/rp-prescriptions-page.ts';
import type { RpPatientFile } from '../pages/rp-patient-file/rp-patient-file.ts';
import type { RpPrescriptionsPage } from '../pages/rp-prescriptions-page/rp-prescriptions-page.ts';
import type { FacilityRecords } from '../records/records-api.ts';
import {
  gatherPrescriptionReport,
  printPrescriptionReport,
  PrescriptionsNotFoundError,
  PrintNotAuditedError,
  type PrescriptionReportRequest,
} from './print-prescription-report.ts';
import { printingSetup, TODAY, type PrintingSetup } from './testing/printing-records.ts';

const i18n = new I18n(null, 'ru');

function request(
  setup: PrintingSetup,
  ids: string[],
  records: FacilityRecords = setup.records,
): PrescriptionReportRequest {
  return {
    records,
    reference: setup.reference,
    prescriptionIds: ids,
    printedBy: 'Петров Иван Ильич (petrov)',
    t: (key, params) => i18n.t(key, params),
    locale: 'ru',
    today: TODAY,
    now: () => new Date(2026, 10, 29, 14, 5),
  };
}

function idsOf(setup: PrintingSetup): string[] {
  return [setup.morphine.prescription._id, setup.patch.prescription._id];
}

/** Waits until `condition` holds; the bound only stops a hung test (pdfmake and its fonts load on first print). */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 600 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  if (!condition()) throw new Error('the condition did not become true');
}

function shadowText(element: Element): string {
  return (element.shadowRoot?.textContent ?? '').replace(/\s+/g, ' ');
}

describe('printing the prescription report', () => {
  it('reads the chosen prescriptions, opens their patient and names the diagnosis and the facility', async () => {
    const setup = printingSetup();
    const report = await gatherPrescriptionReport(request(setup, idsOf(setup)));
    assert.equal(report.facilityName, 'Хоспис Петрозаводска');
    assert.deepEqual(
      report.views.map((view) => view.prescription._id),
      idsOf(setup),
    );
    assert.lengthOf(report.patients, 1);
    assert.equal(report.patients[0]?.fullName, 'Иванова Мария Петровна');
    assert.equal(report.patients[0]?.birthDate, '1948-03-14');
    assert.match(report.patients[0]?.diagnoses[0] ?? '', /^C34 \S/);
    assert.deepEqual(report.period, { from: '2026-11-10', to: TODAY });
    assert.deepEqual(setup.records.callsOf('openPatient'), [[setup.patientId]]);
  });

  it('refuses prescriptions that are not on the device', async () => {
    const setup = printingSetup();
    const missing = `prescription:${setup.patientId}:00000000-0000-4000-8000-000000000000`;
    let failure: unknown;
    await gatherPrescriptionReport(request(setup, [missing])).catch((error: unknown) => (failure = error));
    assert.instanceOf(failure, PrescriptionsNotFoundError);
    assert.deepEqual((failure as PrescriptionsNotFoundError).prescriptionIds, [missing]);
  });

  it('prints nothing when the audit event cannot be written', async () => {
    const setup = printingSetup();
    setup.records.auditFailure = new Error('quota exceeded');
    let failure: unknown;
    await printPrescriptionReport(request(setup, idsOf(setup))).catch((error: unknown) => (failure = error));
    assert.instanceOf(failure, PrintNotAuditedError);
    assert.deepEqual(setup.records.printed, []);
  });

  it('writes the audit event of the printed prescriptions and hands over the PDF', async () => {
    const setup = printingSetup();
    const fileName = await printPrescriptionReport(request(setup, idsOf(setup)));
    assert.equal(fileName, 'naznacheniya-2026-11-29.pdf');
    assert.deepEqual(setup.records.printed, [idsOf(setup)]);
  });
});

describe('the report from the pages', () => {
  it('the patient file prints the prescriptions picked in its list, showing «Печать…» meanwhile', async () => {
    const setup = printingSetup();
    let open = (): void => undefined;
    setup.records.gate = new Promise((resolve) => (open = resolve));
    const file = await renderAdmin<RpPatientFile>(
      html`<rp-patient-file
        .records=${setup.records}
        .reference=${setup.reference}
        .patientId=${setup.patientId}
        .roles=${['doctor']}
        .today=${TODAY}
      ></rp-patient-file>`,
      'rp-patient-file',
    );
    const list = () => file.shadowRoot?.querySelector('rp-prescription-list');
    await until(() => (list()?.views?.length ?? 0) === 2);
    list()?.dispatchEvent(
      new CustomEvent('rp-prescription-report', {
        detail: { prescriptionIds: idsOf(setup) },
        bubbles: true,
        composed: true,
      }),
    );
    await until(() => shadowText(file).includes('Печать…'));
    await expect(file).to.be.accessible();
    open();
    await until(() => shadowText(file).includes('Отчёт готов'));
    assert.deepEqual(setup.records.printed, [idsOf(setup)]);
  });

  it('the prescription search prints the selected group and shows a failure as an alert', async () => {
    const setup = printingSetup();
    setup.records.auditFailure = new Error('the device database refused the write');
    const page = await renderAdmin<RpPrescriptionsPage>(
      html`<rp-prescriptions-page
        .records=${setup.records}
        .reference=${setup.reference}
        .roles=${['doctor']}
        .path=${'/prescriptions'}
      ></rp-prescriptions-page>`,
      'rp-prescriptions-page',
    );
    await until(() => page.results?.length === 2 && page.medicaments.length > 0);
    await page.updateComplete;
    for (const box of page.shadowRoot?.querySelectorAll<HTMLInputElement>('input[name=selected]') ?? []) {
      box.checked = true;
      box.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
    }
    await page.updateComplete;
    const button = [...(page.shadowRoot?.querySelectorAll<HTMLButtonElement>('button') ?? [])].find((b) =>
      b.textContent?.includes('Отчёт по выбранным'),
    );
    button?.click();
    await until(() => page.shadowRoot?.querySelector('[role=alert]') !== null);
    assert.include(page.shadowRoot?.querySelector('[role=alert]')?.textContent, 'Печать невозможна');
    assert.deepEqual(setup.records.printed, []);
    await expect(page).to.be.accessible();
  });

  it('says which prescriptions are no longer on the device', async () => {
    const setup = printingSetup();
    const page = await renderAdmin<RpPrescriptionsPage>(
      html`<rp-prescriptions-page
        .records=${setup.records}
        .reference=${setup.reference}
        .roles=${['doctor']}
        .path=${'/prescriptions'}
      ></rp-prescriptions-page>`,
      'rp-prescriptions-page',
    );
    await until(() => page.results?.length === 2);
    page.dispatchEvent(
      new CustomEvent('rp-prescription-report', {
        detail: { prescriptionIds: ['prescription:00000000-0000-4000-8000-000000000000:gone'] },
        bubbles: true,
        composed: true,
      }),
    );
    await until(() => page.shadowRoot?.querySelector('[role=alert]') !== null);
    assert.include(page.shadowRoot?.querySelector('[role=alert]')?.textContent, 'не найдены на этом устройстве');
    assert.deepEqual(setup.records.printed, []);
  });
});
