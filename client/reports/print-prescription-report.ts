/**
 * Printing the prescription report: the chosen prescriptions and their patients are read through the records layer
 * (decrypted on this device only), the printing is written to the facility's audit *before* the PDF is handed over
 * — a report with names that left no trace would break the register's accounting of every look at a name — and
 * only then is pdfmake loaded. The pages import this module by dynamic import (prescription-report-controller.ts),
 * so neither the builder nor pdfmake is in the first load.
 */
import { patientIdOf } from '../../common/records/visit.ts';
import type { FacilityRecords, PatientFile, PrescriptionView } from '../records/records-api.ts';
import type { ReferenceStore } from '../admin/reference-store.ts';
import type { MessageKey, MessageParams } from '../i18n/i18n.ts';
import { isFacilityDoc } from '../app/rp-app/facility-names.ts';
import { loadMedicaments } from '../pages/rp-prescription-form/medicaments.ts';
import { loadReferenceNames } from '../pages/rp-patient-file/reference-names.ts';
import {
  prescriptionReportDefinition,
  prescriptionReportFileName,
  reportPeriod,
  type PrescriptionReport,
  type ReportPatient,
} from './prescription-report.ts';

type Translate = (key: MessageKey, params?: MessageParams) => string;

/** The `printed` audit event could not be written, so nothing is printed. */
export class PrintNotAuditedError extends Error {
  override name = 'PrintNotAuditedError';
  constructor(options?: ErrorOptions) {
    super('The "printed" audit event could not be written.', options);
  }
}

/** Some chosen prescriptions are not (or no longer) on this device. */
export class PrescriptionsNotFoundError extends Error {
  override name = 'PrescriptionsNotFoundError';
  constructor(readonly prescriptionIds: readonly string[]) {
    super(`Not on this device: ${prescriptionIds.join(', ')}`);
  }
}

export interface PrescriptionReportRequest {
  records: FacilityRecords;
  reference: ReferenceStore | null;
  prescriptionIds: readonly string[];
  /** The member who prints, as the report names them. */
  printedBy: string;
  t: Translate;
  locale: string;
  /** The device's date, `YYYY-MM-DD` (closes open-ended prescriptions in the period). */
  today: string;
  now?: () => Date;
}

function fullName(file: PatientFile): string {
  return [file.passport.surname, file.passport.name, file.passport.patronymic].filter(Boolean).join(' ');
}

/** The chosen prescriptions in the order asked, read one patient at a time. */
async function chosenViews(records: FacilityRecords, ids: readonly string[]): Promise<PrescriptionView[]> {
  const patientIds = [...new Set(ids.map((id) => patientIdOf(id) ?? ''))];
  const found = new Map<string, PrescriptionView>();
  for (const patientId of patientIds) {
    const views = await records.listPrescriptions(patientId === '' ? {} : { patientId });
    for (const view of views) found.set(view.prescription._id, view);
  }
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length > 0) throw new PrescriptionsNotFoundError(missing);
  return ids.flatMap((id) => found.get(id) ?? []);
}

/** Reads everything the report shows: prescriptions, patients (opened), names from the reference books. */
export async function gatherPrescriptionReport(request: PrescriptionReportRequest): Promise<PrescriptionReport> {
  const { records, reference } = request;
  const views = await chosenViews(records, request.prescriptionIds);
  const [medicaments, names, facilities] = await Promise.all([
    reference ? loadMedicaments(reference) : [],
    reference ? loadReferenceNames(reference) : null,
    reference ? reference.list('facility:') : Promise.resolve<unknown[]>([]),
  ]);
  const patients: ReportPatient[] = [];
  for (const patientId of new Set(views.map((view) => patientIdOf(view.prescription._id) ?? ''))) {
    if (patientId === '') continue;
    const file = await records.openPatient(patientId);
    const diagnoses = [...file.record.diagnoses]
      .sort((a, b) => Number(b.role === 'main') - Number(a.role === 'main'))
      .map((diagnosis) => {
        const name = names?.diagnoses.get(diagnosis.code);
        return name ? `${diagnosis.code} ${name}` : diagnosis.code;
      });
    patients.push({ patientId, fullName: fullName(file), birthDate: file.passport.birthDate, diagnoses });
  }
  const facility = facilities.filter(isFacilityDoc).find((doc) => doc.id === records.facilityId);
  return {
    facilityName: facility?.name ?? records.facilityId,
    patients,
    views,
    medicaments,
    period: reportPeriod(
      views.map((view) => view.prescription),
      request.today,
    ),
    printedBy: request.printedBy,
    printedAt: (request.now ?? (() => new Date()))(),
    t: request.t,
    locale: request.locale,
  };
}

/**
 * Builds the report of `prescriptionIds`, writes the `printed` audit event and downloads the PDF; resolves with
 * the file name. Nothing is downloaded when the audit event cannot be written.
 */
export async function printPrescriptionReport(request: PrescriptionReportRequest): Promise<string> {
  const records = request.records;
  const report = await gatherPrescriptionReport(request);
  const { downloadPdf } = await import('../admin/pdf.ts');
  const definition = prescriptionReportDefinition(report);
  try {
    await records.recordAudit(
      'printed',
      report.views.map((view) => view.prescription._id),
    );
  } catch (error) {
    throw new PrintNotAuditedError({ cause: error });
  }
  const fileName = prescriptionReportFileName(report.printedAt);
  await downloadPdf(definition, fileName);
  return fileName;
}
