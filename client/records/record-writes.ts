/**
 * Visits and status changes in the records layer: the parts of a write that build and seal the document, split from
 * facility-repository.ts, which holds the memory, checks that the patient is on this device and announces the
 * change. The repository's guarantees hold here: validation with common/records before `put`, free text sealed
 * bound to its document and field, older epochs sealed again, an audit event per write.
 */
import { validatePatientRecord } from '../../common/records/patient.ts';
import { validateVisit } from '../../common/records/visit.ts';
import { visitsOf } from './patients-in-memory.ts';
import { newVisit, prefixed, statusEntryOf, withHistoryEntry } from './record-documents.ts';
import { visitViewOf } from './record-views.ts';
import type { StatusChange, VisitInput, VisitView } from './records-api.ts';
import type { PatientRecord, Visit } from './records-types.ts';
import type { PrescriptionSide } from './prescription-records.ts';
import { refuse } from './repository-transfer.ts';

/** A patient's visits, newest first, with their sealed notes opened. */
export async function listedVisits(side: PrescriptionSide, patientId: string): Promise<VisitView[]> {
  const visits = await visitsOf(side.db, patientId);
  const views = await Promise.all(visits.map((visit) => visitViewOf(side.sealer, visit)));
  return views.sort(
    (a, b) => b.visit.date.localeCompare(a.visit.date) || b.visit.createdAt.localeCompare(a.visit.createdAt),
  );
}

/** Writes a visit of a patient known to be on this device (its note sealed), and its `created` audit event. */
export async function writtenVisit(
  side: PrescriptionSide,
  patientId: string,
  input: VisitInput,
): Promise<Visit & { _rev: string }> {
  const id = `visit:${patientId}:${crypto.randomUUID()}`;
  const text = input.note?.trim();
  const note = text ? await side.sealer.seal(id, ['note'], text) : undefined;
  const visit = newVisit(id, input, note, side.writer);
  refuse(validateVisit(visit, side.today));
  const stored = await side.writes.put(visit);
  await side.writes.audit('created', { docId: id, rev: stored._rev });
  return stored;
}

/**
 * The record with `change` as its newest status entry (its note sealed), checked, every older sealed value sealed
 * again. Someone who is not a doctor cannot move a pending patient on.
 */
export async function statusChanged(
  side: PrescriptionSide,
  current: PatientRecord,
  change: StatusChange,
  isDoctor: boolean,
): Promise<PatientRecord> {
  const last = current.statusHistory[current.statusHistory.length - 1];
  if (!isDoctor && last?.status === 'pending') {
    refuse([
      { field: 'record.statusHistory', message: 'Подтвердить пациента или изменить его статус может только врач.' },
    ]);
  }
  const text = 'note' in change ? change.note?.trim() : undefined;
  // Bound to `patient:<id>#note` whatever its place in the history (sealed-fields.ts), so the index is moot.
  const note = text ? await side.sealer.seal(current._id, ['statusHistory', 0, 'note'], text) : undefined;
  const record: PatientRecord = {
    ...current,
    statusHistory: withHistoryEntry(current.statusHistory, statusEntryOf(change, note)),
    updatedBy: side.writer.login,
    updatedAt: side.writer.at,
  };
  refuse(prefixed('record', validatePatientRecord(record, side.today, side.lookups)));
  return side.sealer.resealOlder(record);
}
