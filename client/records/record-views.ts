/**
 * Documents as pages see them: the stored document with its sealed text opened, and what is derived when read
 * (a prescription's display status on the device's date). Nothing opened here is written back.
 */
import { displayStatus } from '../../common/records/prescription.ts';
import type { FacilitySealer } from './facility-sealer.ts';
import type { OpenPassport } from './patients-in-memory.ts';
import type { PatientFile, PrescriptionView, VisitView } from './records-api.ts';
import type { PatientRecord, Prescription, Visit } from './records-types.ts';

export async function patientFileOf(
  sealer: FacilitySealer,
  passport: OpenPassport,
  record: PatientRecord,
): Promise<PatientFile> {
  const statusNotes: Record<number, string> = {};
  for (const [index, entry] of record.statusHistory.entries()) {
    if (entry.note) {
      statusNotes[index] = await sealer.openText(record._id, ['statusHistory', index, 'note'], entry.note);
    }
  }
  return {
    patientId: passport.data.patientId,
    passportId: passport.passportId,
    passport: passport.data,
    record,
    statusNotes,
  };
}

export async function visitViewOf(sealer: FacilitySealer, visit: Visit): Promise<VisitView> {
  return { visit, note: visit.note ? await sealer.openText(visit._id, ['note'], visit.note) : null };
}

export async function prescriptionViewOf(
  sealer: FacilitySealer,
  prescription: Prescription,
  today: string,
): Promise<PrescriptionView> {
  const id = prescription._id;
  return {
    prescription,
    number: prescription.number ? await sealer.openText(id, ['number'], prescription.number) : null,
    cancellationReason: prescription.cancellation
      ? await sealer.openText(id, ['cancellation', 'reason'], prescription.cancellation.reason)
      : null,
    displayStatus: displayStatus(prescription, today),
  };
}
