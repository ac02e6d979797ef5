import { assert } from '@open-wc/testing';
import { I18n } from '../i18n/i18n.ts';
import { starterDocs } from '../records/testing/patient-fixtures.ts';
import { isMedicament, type Medicament } from '../../common/reference/types.ts';
import type { Prescription } from '../../common/records/types.ts';
import type { PrescriptionView } from '../records/records-api.ts';
import {
  dailyTotals,
  prescriptionReportDefinition,
  prescriptionReportFileName,
  reportPeriod,
  type PrescriptionReport,
} from './prescription-report.ts';
import { printingSetup, TODAY } from './testing/printing-records.ts';

const medicaments: Medicament[] = starterDocs().filter(isMedicament);
const medicamentOf = (id: string) => medicaments.find((m) => m._id === id) ?? null;

async function report(change: (report: PrescriptionReport) => void = () => undefined): Promise<PrescriptionReport> {
  const { records, patientId, morphine, patch } = printingSetup();
  const i18n = new I18n(null, 'ru');
  const views = await records.listPrescriptions({ patientId });
  assert.deepEqual(
    views.map((view) => view.prescription._id).sort(),
    [morphine, patch].map((v) => v.prescription._id).sort(),
  );
  const value: PrescriptionReport = {
    facilityName: 'Хоспис Петрозаводска',
    patients: [
      { patientId, fullName: 'Иванова Мария Петровна', birthDate: '1948-03-14', diagnoses: ['C34 Рак лёгкого'] },
    ],
    views: [morphine, patch],
    medicaments,
    period: reportPeriod([morphine.prescription, patch.prescription], TODAY),
    printedBy: 'Петров Иван Ильич (petrov)',
    printedAt: new Date(2026, 10, 29, 14, 5),
    t: (key, params) => i18n.t(key, params),
    locale: 'ru',
  };
  change(value);
  return value;
}

function textOf(value: unknown): string {
  return JSON.stringify(value);
}

function prescription(fields: Partial<Prescription>): Prescription {
  return {
    _id: 'prescription:p:1',
    type: 'prescription',
    medicamentId: 'medicament:morphine-tablets-10mg',
    dose: 10,
    doseUnit: 'mg',
    route: 'oral',
    timesPerDay: 4,
    regimen: 'regular',
    start: '2026-11-01',
    prescriptionForm: '107/у-НП',
    prescriber: 'petrov',
    status: 'active',
    createdBy: 'petrov',
    createdAt: '2026-11-01T08:00:00.000Z',
    ...fields,
  };
}

describe('prescription report', () => {
  it('names the facility, the patient, the birth date, the diagnosis, the period and who printed it', async () => {
    const definition = prescriptionReportDefinition(await report());
    const text = textOf(definition.content);
    for (const expected of [
      'Хоспис Петрозаводска',
      'Отчёт о назначениях',
      'Период: 10.11.2026 – 29.11.2026',
      'Иванова Мария Петровна',
      '14.03.1948',
      'C34 Рак лёгкого',
      'Напечатал: Петров Иван Ильич (petrov)',
      '29.11.2026',
    ])
      assert.include(text, expected);
    assert.equal(definition.pageOrientation, 'landscape');
    assert.equal(definition.defaultStyle.font, 'Roboto');
  });

  it('lists every prescription with form and strength, dose, route, frequency, dates, status, form and number', async () => {
    const text = textOf(prescriptionReportDefinition(await report()).content);
    for (const expected of [
      'Морфин',
      'таблетки пролонгированного действия 30 мг',
      '30 мг',
      'внутрь',
      '2 р/сут',
      '10.11.2026 – 20.11.2026',
      'завершено',
      '107/у-НП\\n№ 107 № 000123',
      'Бупренорфин',
      'каждые 72 ч',
      '15.11.2026 – без срока',
      'действует',
      'petrov',
    ])
      assert.include(text, expected);
  });

  it('gives the oral morphine equivalent per prescription, and "no factor" where there is none', async () => {
    const text = textOf(prescriptionReportDefinition(await report()).content);
    assert.include(text, '"60 мг"');
    assert.include(text, '"нет коэффициента"');
  });

  it('totals the equivalent a day for each stretch of the period, never counting a missing factor as zero', async () => {
    const { views, period } = await report();
    const totals = dailyTotals(
      views.map((view) => view.prescription),
      medicamentOf,
      period,
    );
    assert.deepEqual(totals, [
      { from: '2026-11-10', to: '2026-11-14', regularMg: 60, asNeededMg: 0, noFactor: 0, invalid: 0 },
      { from: '2026-11-15', to: '2026-11-20', regularMg: 60, asNeededMg: 0, noFactor: 1, invalid: 0 },
      { from: '2026-11-21', to: '2026-11-29', regularMg: 0, asNeededMg: 0, noFactor: 1, invalid: 0 },
    ]);
    const text = textOf(prescriptionReportDefinition(await report()).content);
    assert.include(text, 'Морфиновый эквивалент (внутрь) в сутки за период');
    assert.include(text, '15.11.2026 – 20.11.2026');
    assert.include(text, 'нет коэффициента: 1');
  });

  it('keeps as-needed doses apart, stops a cancelled prescription on its day, and leaves non-opioids out', () => {
    const period = { from: '2026-11-01', to: '2026-11-10' };
    const totals = dailyTotals(
      [
        prescription({}),
        prescription({
          _id: 'prescription:p:2',
          regimen: 'as-needed',
          timesPerDay: 6,
          maxDailyDose: 30,
          start: '2026-11-05',
        }),
        prescription({
          _id: 'prescription:p:3',
          status: 'cancelled',
          cancellation: { at: '2026-11-08T09:00:00.000Z', by: 'petrov', reason: { v: 1, kid: 'k', iv: 'i', ct: 'c' } },
        }),
        prescription({ _id: 'prescription:p:4', medicamentId: 'medicament:paracetamol-tablets-500mg', dose: 500 }),
      ],
      medicamentOf,
      period,
    );
    assert.deepEqual(totals, [
      { from: '2026-11-01', to: '2026-11-04', regularMg: 80, asNeededMg: 0, noFactor: 0, invalid: 0 },
      { from: '2026-11-05', to: '2026-11-07', regularMg: 80, asNeededMg: 30, noFactor: 0, invalid: 0 },
      { from: '2026-11-08', to: '2026-11-10', regularMg: 40, asNeededMg: 30, noFactor: 0, invalid: 0 },
    ]);
  });

  it('says so when no opioid was in force', async () => {
    const paracetamol = prescription({ medicamentId: 'medicament:paracetamol-tablets-500mg', dose: 500 });
    const view: PrescriptionView = {
      prescription: paracetamol,
      number: null,
      cancellationReason: null,
      displayStatus: 'active',
    };
    const text = textOf(prescriptionReportDefinition(await report((r) => (r.views = [view]))).content);
    assert.include(text, 'В эти дни не назначено ни одного опиоида.');
  });

  it('numbers the pages "page X of Y" and repeats who printed it on each', async () => {
    const definition = prescriptionReportDefinition(await report());
    const footer = textOf(definition.footer(2, 3));
    assert.include(footer, 'Страница 2 из 3');
    assert.include(footer, 'Напечатал: Петров Иван Ильич (petrov)');
  });

  it('speaks English when the member reads English', async () => {
    const i18n = new I18n(null, 'en');
    const definition = prescriptionReportDefinition(
      await report((r) => {
        r.t = (key, params) => i18n.t(key, params);
        r.locale = 'en';
      }),
    );
    const text = textOf(definition.content);
    assert.include(text, 'Prescription report');
    assert.include(textOf(definition.footer(1, 1)), 'Page 1 of 1');
  });

  it('covers the earliest start to the latest end, an open end reaching today', () => {
    assert.deepEqual(reportPeriod([prescription({ end: '2026-11-05' })], TODAY), {
      from: '2026-11-01',
      to: '2026-11-05',
    });
    assert.deepEqual(reportPeriod([prescription({})], TODAY), { from: '2026-11-01', to: TODAY });
    assert.deepEqual(reportPeriod([prescription({ start: '2026-12-10' })], TODAY), {
      from: '2026-12-10',
      to: '2026-12-10',
    });
  });

  it('names the file by the date, not by the patient', () => {
    assert.equal(prescriptionReportFileName(new Date(2026, 10, 29, 14, 5)), 'naznacheniya-2026-11-29.pdf');
  });
});
