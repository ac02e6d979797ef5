/**
 * TEST-ONLY (never imported by the app): the memory stand-in of the records layer whose `recordAudit('printed',
 * ids)` keeps what was recorded so a test can look at it (and can be made to wait or fail), plus a patient with two prescriptions (a morphine tablet and a patch without a factor) and the
 * starter reference books with the facility's name.
 */
import type { ReferenceDoc } from '../../../common/reference/types.ts';
import type { PrescriptionInput, PrescriptionView } from '../../records/records-api.ts';
import { MemoryRecords } from '../../records/testing/memory-records.ts';
import {
  patientInput,
  starterLookups,
  starterMedicamentFacts,
  starterReference,
  TODAY,
} from '../../records/testing/patient-fixtures.ts';
import type { MemoryReferenceStore } from '../../admin/testing/admin-test-context.ts';

export { TODAY };

export class PrintingMemoryRecords extends MemoryRecords {
  /** Each `recordAudit` call's document ids, oldest first. */
  readonly printed: string[][] = [];
  /** When set, `recordAudit` waits for it (a test looks at the page meanwhile). */
  gate: Promise<void> | null = null;
  /** When set, the next `recordAudit` fails with it. */
  auditFailure: Error | null = null;

  override async recordAudit(action: 'printed', docIds: readonly string[]): Promise<void> {
    await this.gate;
    const failure = this.auditFailure;
    this.auditFailure = null;
    if (failure) throw failure;
    if (action !== 'printed') throw new Error(`unexpected audit action ${String(action)}`);
    this.printed.push([...docIds]);
  }
}

export const MORPHINE: PrescriptionInput = {
  medicamentId: 'medicament:morphine-prolonged-tablets-30mg',
  dose: 30,
  doseUnit: 'mg',
  route: 'oral',
  timesPerDay: 2,
  regimen: 'regular',
  start: '2026-11-10',
  end: '2026-11-20',
  prescriptionForm: '107/у-НП',
  number: '107 № 000123',
};

export const PATCH: PrescriptionInput = {
  medicamentId: 'medicament:buprenorphine-patch-35ug-h',
  dose: 35,
  doseUnit: 'ug_per_h',
  route: 'transdermal',
  intervalHours: 72,
  regimen: 'regular',
  start: '2026-11-15',
  prescriptionForm: '107/у-НП',
};

export interface PrintingSetup {
  records: PrintingMemoryRecords;
  reference: MemoryReferenceStore;
  patientId: string;
  morphine: PrescriptionView;
  patch: PrescriptionView;
}

/** A doctor's device on `TODAY` with one patient (Иванова Мария Петровна, C34) and two prescriptions. */
export function printingSetup(): PrintingSetup {
  const records = new PrintingMemoryRecords({
    today: TODAY,
    login: 'petrov',
    lookups: starterLookups(),
    medicaments: starterMedicamentFacts(),
  });
  const { patientId } = records.seedPatient(patientInput());
  const morphine = records.seedPrescription(patientId, MORPHINE);
  const patch = records.seedPrescription(patientId, PATCH);
  const reference = starterReference();
  const facility = {
    _id: `facility:${records.facilityId}`,
    type: 'facility',
    id: records.facilityId,
    name: 'Хоспис Петрозаводска',
  };
  reference.docs.set(facility._id, facility as unknown as ReferenceDoc);
  return { records, reference, patientId, morphine, patch };
}
