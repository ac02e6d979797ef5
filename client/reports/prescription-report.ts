/**
 * The prescription report (ARCHITECTURE.md, "Roles and permissions": a PDF with names, for staff of the facility):
 * for each patient of the chosen prescriptions, a header (name, birth date, diagnosis), the table of prescriptions
 * and the oral morphine equivalent a day — per prescription, and in total for each stretch of days of the period in
 * which the same prescriptions were in force. Built from views the records layer has already opened, in the
 * browser: the names never leave the device. Pure: it returns pdfmake's document definition and renders nothing,
 * so it is tested without pdfmake; "no factor" stays "no factor" and is never added as zero.
 */
import { dailyMorphineEquivalent } from '../../common/records/prescription.ts';
import { patientIdOf } from '../../common/records/visit.ts';
import { totalDailyEquivalents, type DailyEquivalent } from '../../common/reference/opioid-equivalence.ts';
import type { Prescription } from '../../common/records/types.ts';
import type { Medicament } from '../../common/reference/types.ts';
import type { PrescriptionView } from '../records/records-api.ts';
import type { MessageKey, MessageParams } from '../i18n/i18n.ts';
import { BASE_STYLES, type PdfContent, type PdfDocumentDefinition } from '../admin/pdf-definition.ts';
import { formatDate } from '../pages/rp-patient-file/care-dates.ts';
import { formatAmount } from '../pages/rp-prescription-form/prescription-preview.ts';
import { frequencyText, omeText } from '../pages/rp-prescription-list/prescription-table.ts';

type Translate = (key: MessageKey, params?: MessageParams) => string;

/** A patient as the report names them (from the decrypted passport and the record). */
export interface ReportPatient {
  patientId: string;
  fullName: string;
  /** `YYYY-MM-DD`. */
  birthDate: string;
  /** `C34.1 Злокачественное новообразование…`, main diagnosis first. */
  diagnoses: string[];
}

/** Inclusive `YYYY-MM-DD` dates. */
export interface ReportPeriod {
  from: string;
  to: string;
}

export interface PrescriptionReport {
  facilityName: string;
  patients: readonly ReportPatient[];
  views: readonly PrescriptionView[];
  medicaments: readonly Medicament[];
  period: ReportPeriod;
  /** The member who prints: display name and login. */
  printedBy: string;
  printedAt: Date;
  t: Translate;
  locale: string;
}

/** pdfmake's definition with what this report adds: landscape pages and a "page X of Y" footer. */
export type PrescriptionReportDefinition = PdfDocumentDefinition & {
  pageOrientation: 'landscape';
  footer: (currentPage: number, pageCount: number) => PdfContent;
};

/** One stretch of days with the same prescriptions in force, and their daily totals. */
export interface DailyTotal {
  from: string;
  to: string;
  regularMg: number;
  asNeededMg: number;
  noFactor: number;
  invalid: number;
}

const DAY_MS = 86_400_000;

function dayNumber(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / DAY_MS;
}

function dateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The days a prescription was in force within `period`, as day numbers [first, last], or null. */
function daysInForce(p: Prescription, period: ReportPeriod): [number, number] | null {
  let last = dayNumber(p.end ?? period.to);
  // A cancelled prescription stops on the day it was cancelled.
  if (p.status === 'cancelled' && p.cancellation) last = Math.min(last, dayNumber(p.cancellation.at.slice(0, 10)) - 1);
  const first = Math.max(dayNumber(p.start), dayNumber(period.from));
  last = Math.min(last, dayNumber(period.to));
  return first <= last ? [first, last] : null;
}

/** The period a group of prescriptions covers: the earliest start to the latest end (an open end: `today`). */
export function reportPeriod(prescriptions: readonly Prescription[], today: string): ReportPeriod {
  const starts = prescriptions.map((p) => p.start).sort();
  const ends = prescriptions.map((p) => p.end ?? (today > p.start ? today : p.start)).sort();
  return { from: starts[0] ?? today, to: ends[ends.length - 1] ?? today };
}

/**
 * The oral morphine equivalent a day over the period: consecutive days with the same opioid prescriptions in force
 * form one row. Regular and as-needed doses stay apart; prescriptions without a factor or that cannot be converted
 * are counted as such, never as zero. Non-opioids are left out.
 */
export function dailyTotals(
  prescriptions: readonly Prescription[],
  medicamentOf: (id: string) => Medicament | null,
  period: ReportPeriod,
): DailyTotal[] {
  const opioids: { days: [number, number]; equivalent: DailyEquivalent }[] = [];
  for (const p of prescriptions) {
    const medicament = medicamentOf(p.medicamentId);
    const days = daysInForce(p, period);
    if (!medicament || medicament.opioidClass === 'none' || !days) continue;
    opioids.push({ days, equivalent: dailyMorphineEquivalent(p, medicament) });
  }
  const cuts = [...new Set(opioids.flatMap(({ days }) => [days[0], days[1] + 1]))].sort((a, b) => a - b);
  const totals: DailyTotal[] = [];
  for (let i = 0; i + 1 < cuts.length; i += 1) {
    const first = cuts[i] ?? 0;
    const last = (cuts[i + 1] ?? 0) - 1;
    const inForce = opioids.filter(({ days }) => days[0] <= first && last <= days[1]);
    if (inForce.length === 0) continue;
    const sum = totalDailyEquivalents(inForce.map(({ equivalent }) => equivalent));
    const previous = totals[totals.length - 1];
    const same =
      previous &&
      dayNumber(previous.to) + 1 === first &&
      previous.regularMg === sum.regularMg &&
      previous.asNeededMg === sum.asNeededMg &&
      previous.noFactor === sum.noFactor &&
      previous.invalid === sum.invalid;
    if (same) previous.to = dateOf(last);
    else totals.push({ from: dateOf(first), to: dateOf(last), ...sum });
  }
  return totals;
}

function cell(text: string, bold = false): PdfContent {
  return bold ? { text, bold: true } : text;
}

function prescriptionRows(report: PrescriptionReport, views: readonly PrescriptionView[]): PdfContent[][] {
  const { t, locale } = report;
  const medicamentOf = (id: string) => report.medicaments.find((m) => m._id === id) ?? null;
  return views.map((view) => {
    const p = view.prescription;
    const medicament = medicamentOf(p.medicamentId);
    const formAndStrength = medicament
      ? `${t(`ref.form.${medicament.form}` as MessageKey)} ${formatAmount(medicament.strength, locale)} ${t(
          `ref.unit.${medicament.strengthUnit}` as MessageKey,
        )}`
      : '—';
    const form =
      p.prescriptionForm === 'inpatient-sheet' ? t('care.prescriptionForm.inpatient-sheet') : p.prescriptionForm;
    const end = p.end ? formatDate(p.end, locale) : t('care.list.openEnded');
    return [
      cell(medicament ? medicament.innRu : p.medicamentId, true),
      formAndStrength,
      `${formatAmount(p.dose, locale)} ${t(`care.doseUnit.${p.doseUnit}`)}`,
      t(`ref.route.${p.route}`),
      frequencyText(p, t, locale),
      `${formatDate(p.start, locale)} – ${end}`,
      t(`care.status.${view.displayStatus}`),
      p.prescriber,
      view.number ? `${form}\n№ ${view.number}` : form,
      omeText(p, medicament, t, locale),
    ];
  });
}

function totalsTable(report: PrescriptionReport, views: readonly PrescriptionView[]): PdfContent {
  const { t, locale } = report;
  const medicamentOf = (id: string) => report.medicaments.find((m) => m._id === id) ?? null;
  const totals = dailyTotals(
    views.map((view) => view.prescription),
    medicamentOf,
    report.period,
  );
  if (totals.length === 0) return { text: t('reports.prescriptions.noOpioids'), margin: [0, 2, 0, 0] };
  const uncounted = (total: DailyTotal) =>
    [
      total.noFactor > 0 ? t('reports.prescriptions.noFactorCount', { count: total.noFactor }) : '',
      total.invalid > 0 ? t('reports.prescriptions.invalidCount', { count: total.invalid }) : '',
    ]
      .filter(Boolean)
      .join('; ') || '—';
  const table = {
    table: {
      headerRows: 1,
      widths: [150, 110, 150, '*'],
      body: [
        [
          cell(t('reports.prescriptions.days'), true),
          cell(t('reports.prescriptions.regular'), true),
          cell(t('reports.prescriptions.asNeeded'), true),
          cell(t('reports.prescriptions.uncounted'), true),
        ],
        ...totals.map((total): PdfContent[] => [
          total.from === total.to
            ? formatDate(total.from, locale)
            : `${formatDate(total.from, locale)} – ${formatDate(total.to, locale)}`,
          cell(t('care.ome.value', { mg: formatAmount(total.regularMg, locale) }), true),
          total.asNeededMg > 0 ? t('care.ome.value', { mg: formatAmount(total.asNeededMg, locale) }) : '—',
          uncounted(total),
        ]),
      ],
    },
    layout: 'lightHorizontalLines',
  };
  return table;
}

function patientSection(
  report: PrescriptionReport,
  patient: ReportPatient | null,
  views: readonly PrescriptionView[],
): PdfContent[] {
  const { t, locale } = report;
  const diagnosis = patient && patient.diagnoses.length > 0 ? patient.diagnoses.join('; ') : '';
  const header: PdfContent = {
    table: {
      widths: [110, '*'],
      body: [
        [t('reports.prescriptions.patient'), cell(patient?.fullName ?? t('care.list.unknownPatient'), true)],
        [t('reports.prescriptions.birthDate'), patient ? formatDate(patient.birthDate, locale) : '—'],
        [t('reports.prescriptions.diagnosis'), diagnosis || t('reports.prescriptions.noDiagnosis')],
      ],
    },
    layout: 'noBorders',
    margin: [0, 10, 0, 6],
  };
  const prescriptions = {
    table: {
      headerRows: 1,
      // Landscape A4 leaves about 700 pt for the columns: wide enough that no word is split inside a cell.
      widths: ['*', 95, 45, 70, 60, 70, 50, 55, 75, 75],
      body: [
        [
          'reports.prescriptions.medicament',
          'reports.prescriptions.formAndStrength',
          'reports.prescriptions.dose',
          'reports.prescriptions.route',
          'reports.prescriptions.frequency',
          'reports.prescriptions.dates',
          'reports.prescriptions.status',
          'reports.prescriptions.prescriber',
          'reports.prescriptions.formAndNumber',
          'reports.prescriptions.ome',
        ].map((key) => cell(t(key as MessageKey), true)),
        ...prescriptionRows(report, views),
      ],
    },
    layout: 'lightHorizontalLines',
  };
  return [
    header,
    prescriptions,
    { text: t('reports.prescriptions.totals'), style: 'heading' },
    totalsTable(report, views),
  ];
}

/** The views grouped by patient, in the order of `patients`; prescriptions of each by start date. */
function byPatient(report: PrescriptionReport): { patient: ReportPatient | null; views: PrescriptionView[] }[] {
  const groups = new Map<string, PrescriptionView[]>();
  for (const view of report.views) {
    const patientId = patientIdOf(view.prescription._id) ?? '';
    groups.set(patientId, [...(groups.get(patientId) ?? []), view]);
  }
  const rank = (patientId: string) => {
    const index = report.patients.findIndex((patient) => patient.patientId === patientId);
    return index === -1 ? report.patients.length : index;
  };
  return [...groups.entries()]
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([patientId, views]) => ({
      patient: report.patients.find((patient) => patient.patientId === patientId) ?? null,
      views: [...views].sort(
        (a, b) =>
          a.prescription.start.localeCompare(b.prescription.start) ||
          a.prescription.createdAt.localeCompare(b.prescription.createdAt),
      ),
    }));
}

/** A date and time as the member's language writes them (`29.11.2026, 14:05`). */
function dateTime(at: Date, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short', hourCycle: 'h23' }).format(at);
}

/** The pdfmake definition of the prescription report (pure: no PDF is rendered here). */
export function prescriptionReportDefinition(report: PrescriptionReport): PrescriptionReportDefinition {
  const { t, locale } = report;
  const period = `${formatDate(report.period.from, locale)} – ${formatDate(report.period.to, locale)}`;
  const printed = `${t('reports.prescriptions.printedBy', { name: report.printedBy })}. ${t(
    'reports.prescriptions.printedAt',
    { at: dateTime(report.printedAt, locale) },
  )}`;
  return {
    info: { title: t('reports.prescriptions.title'), subject: t('reports.prescriptions.register') },
    pageSize: 'A4',
    pageOrientation: 'landscape',
    pageMargins: [32, 32, 32, 40],
    defaultStyle: { font: 'Roboto', fontSize: 8, lineHeight: 1.15 },
    styles: { ...BASE_STYLES, title: { fontSize: 14, bold: true, margin: [0, 0, 0, 4] } },
    content: [
      { text: report.facilityName, bold: true, fontSize: 11 },
      { text: t('reports.prescriptions.title'), style: 'title' },
      `${t('reports.prescriptions.period')}: ${period}`,
      ...byPatient(report).flatMap(({ patient, views }) => patientSection(report, patient, views)),
      { text: `${printed}\n${t('reports.prescriptions.confidential')}`, style: 'muted' },
    ],
    footer: (currentPage, pageCount) => ({
      text: `${printed}    ${t('reports.prescriptions.page', { page: currentPage, pages: pageCount })}`,
      fontSize: 7,
      alignment: 'right',
      margin: [32, 12, 32, 0],
    }),
  };
}

/** A file name for the report: `naznacheniya-<YYYY-MM-DD>.pdf` (no name of a patient in it). */
export function prescriptionReportFileName(printedAt: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `naznacheniya-${printedAt.getFullYear()}-${pad(printedAt.getMonth() + 1)}-${pad(printedAt.getDate())}.pdf`;
}
