/**
 * Prescriptions in the records layer: listing them with their sealed numbers and reasons opened, writing one, and
 * cancelling one with a sealed reason. Split from facility-repository.ts, which checks who may do it (only doctors
 * write prescriptions) and announces the change; the repository's guarantees hold here (validation with
 * common/records before `put`, free text sealed bound to its document and field, older epochs sealed again).
 */
import { validatePrescription } from '../../common/records/prescription.ts';
import { rangeEnd } from './facility-database.ts';
import { prescriptionViewOf } from './record-views.ts';
import { newPrescription, type Writer } from './record-documents.ts';
import { matchesPrescription, type MedicamentLookup } from './prescription-filter.ts';
import type { PrescriptionFilter, PrescriptionInput, PrescriptionView } from './records-api.ts';
import type { Prescription } from './records-types.ts';
import { refuse, type TransferSide } from './repository-transfer.ts';

/** What the repository lends for prescriptions. */
export interface PrescriptionSide extends TransferSide {
  writer: Writer;
  medicamentOf: MedicamentLookup | undefined;
}

export async function listedPrescriptions(
  side: PrescriptionSide,
  filter: PrescriptionFilter,
): Promise<PrescriptionView[]> {
  const { today } = side;
  const prefix = filter.patientId === undefined ? 'prescription:' : `prescription:${filter.patientId}:`;
  const { rows } = await side.db.allDocs({ include_docs: true, startkey: prefix, endkey: rangeEnd(prefix) });
  const prescriptions = rows.flatMap((row) =>
    row.doc && row.doc.type === 'prescription' ? [row.doc as unknown as Prescription] : [],
  );
  const chosen = prescriptions.filter((p) => matchesPrescription(p, filter, today, side.medicamentOf));
  const views = await Promise.all(chosen.map((p) => prescriptionViewOf(side.sealer, p, today)));
  return views.sort((a, b) => b.prescription.start.localeCompare(a.prescription.start));
}

/** Writes a new prescription of a patient known to be on this device, and its `created` audit event. */
export async function writtenPrescription(
  side: PrescriptionSide,
  patientId: string,
  input: PrescriptionInput,
): Promise<PrescriptionView> {
  const id = `prescription:${patientId}:${crypto.randomUUID()}`;
  const text = input.number?.trim();
  const number = text ? await side.sealer.seal(id, ['number'], text) : undefined;
  const prescription = newPrescription(id, input, number, side.writer);
  refuse(validatePrescription(prescription, side.lookups));
  const stored = await side.writes.put(prescription);
  await side.writes.audit('created', { docId: id, rev: stored._rev });
  return prescriptionViewOf(side.sealer, stored, side.today);
}

/** Cancels a prescription with a sealed reason, and writes its `prescription-cancelled` audit event. */
export async function cancelledPrescription(
  side: PrescriptionSide,
  prescriptionId: string,
  reason: string,
): Promise<PrescriptionView> {
  const text = reason.trim();
  if (text === '') refuse([{ field: 'cancellation.reason', message: 'Укажите причину отмены.' }]);
  const stored = await side.writes.update<Prescription>(prescriptionId, async (current) => {
    if (current.status === 'cancelled') {
      refuse([{ field: 'status', message: 'Назначение уже отменено.' }]);
    }
    const { login, at } = side.writer;
    const sealedReason = await side.sealer.seal(prescriptionId, ['cancellation', 'reason'], text);
    const prescription: Prescription = {
      ...current,
      status: 'cancelled',
      cancellation: { at, by: login, reason: sealedReason },
      updatedBy: login,
      updatedAt: at,
    };
    refuse(validatePrescription(prescription, side.lookups));
    return side.sealer.resealOlder(prescription);
  });
  await side.writes.audit('prescription-cancelled', { docId: prescriptionId, rev: stored._rev });
  return prescriptionViewOf(side.sealer, stored, side.today);
}
