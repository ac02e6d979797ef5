/**
 * Transferring a patient to another facility (ARCHITECTURE.md, "Databases": "a transfer re-encrypts the passport
 * into the target facility and copies the record there, the source keeps a "transferred" state, and reports count
 * each patient once").
 *
 * Why it is built this way:
 * - Every sealed value is bound to its facility (sealed-fields.ts: the context names facility, document and epoch),
 *   so nothing sealed can be copied as it is: the source opens each value with its own key and the target seals it
 *   again under its current epoch. The member therefore needs keys of both facilities on this device.
 * - Reports count a patient id once and a copied visit or prescription once by its document id
 *   (server/reports/figures.ts), so the copy keeps the patient id and the ids of visits and prescriptions; the
 *   passport gets a new random id, as every passport does.
 * - The target's record starts its dated histories on the transfer date (status `active`, or `pending` when the
 *   member is not a doctor): the source keeps what was true before, so a report for either facility alone finds
 *   the patient where they were on each day, and a member who is not a doctor writes a new record the target's
 *   design document accepts (all of its statuses pending).
 * - A transfer is several writes in two databases that cannot be one transaction. So everything is built, sealed
 *   and checked first — with common/records and with the target's own design-document rules
 *   (design-docs/facility/validate.ts: who may create which document there) — and only then written, target first,
 *   the source's `transferred` status last. A transfer the target's store would refuse is refused here, before
 *   anything is written, rather than half-done and found later among the refused writes.
 * - A prescription keeps its prescriber (and whoever cancelled it): that is the medical fact, and a colleague may
 *   have written it. The copy is written by the transferring doctor (`createdBy`) and marked
 *   `transferredFrom: <source facility>`, the one case in which the target's design document accepts a prescriber
 *   other than the writer (only on creation, only from a doctor). Every copied prescription carries the marker, the
 *   doctor's own ones too, so a reader can always tell a copy from a prescription written in the facility. Only a
 *   doctor writes prescriptions, so a member who is not a doctor transfers only patients without any.
 */
import { facilityWriteRefusal, storeToday } from '../../design-docs/facility/validate.ts';
import type { SealedPath } from '../../common/keys/sealed-fields.ts';
import { valueOn } from '../../common/records/patient.ts';
import { facilityRole } from '../../common/roles.ts';
import type { StoredDoc } from './facility-database.ts';
import { withHistoryEntry, type Writer } from './record-documents.ts';
import { NoFacilityKeyError, RecordValidationError, type PatientFile, type ValidationError } from './records-api.ts';
import type { PassportData, PatientRecord, Prescription, StatusEntry, Visit } from './records-types.ts';

/** A sealed value of a document, opened: where it sits and what it says. */
export interface OpenedValue {
  path: SealedPath;
  value: unknown;
}

/** A stored document with its sealed values opened (the document still holds them sealed for its facility). */
export interface OpenedDoc<T> {
  doc: T;
  opened: OpenedValue[];
}

/** Everything of one patient in the source facility, with every sealed value of visits and prescriptions opened. */
export interface PatientExport {
  facilityId: string;
  patientId: string;
  passport: PassportData;
  record: PatientRecord & { _rev: string };
  visits: OpenedDoc<Visit>[];
  prescriptions: OpenedDoc<Prescription>[];
}

/** What the target writes, before sealing: sealed fields of `docs` are sealed again from `opened`. */
export interface TransferCopies {
  passport: PassportData;
  record: PatientRecord;
  docs: OpenedDoc<Visit | Prescription>[];
}

/** The copies sealed for the target and checked with common/records: ready to `put`. */
export interface SealedTransfer {
  passport: StoredDoc;
  record: PatientRecord;
  docs: (Visit | Prescription)[];
}

/** What the transfer needs of the source facility's records layer (facility-repository.ts), opened. */
export interface TransferSource {
  readonly facilityId: string;
  exportPatient(patientId: string): Promise<PatientExport>;
  /** The `transferred` status entry (through `changeStatus`) and a `transferred` audit event. */
  markTransferred(patientId: string, change: TransferStatus): Promise<PatientFile>;
}

/** What the transfer needs of the target facility's records layer; it need not be opened. */
export interface TransferTarget {
  readonly facilityId: string;
  /** True when any record, visit or prescription of this patient id is in the target's database. */
  holdsPatient(patientId: string): Promise<boolean>;
  sealTransferred(copies: TransferCopies): Promise<SealedTransfer>;
  writeTransferred(sealed: SealedTransfer, fromFacility: string): Promise<void>;
}

export interface TransferStatus {
  status: 'transferred';
  from: string;
  transferredTo: string;
  note?: string;
}

export interface TransferRequest {
  patientId: string;
  /** The target facility's id. */
  to: string;
  /** The transfer date, `YYYY-MM-DD`. */
  from: string;
  /** Free text for the source's status entry (sealed there). */
  note?: string;
}

export interface TransferResult {
  /** The patient as the source holds them now (status `transferred`). */
  source: PatientFile;
  /** The new passport's id in the target. */
  targetPassportId: string;
  visits: number;
  prescriptions: number;
}

/** A transfer refused before anything was written; its problems name the field a page shows them at. */
export class TransferRefusedError extends RecordValidationError {
  override name = 'TransferRefusedError';
}

function refused(message: string): TransferRefusedError {
  return new TransferRefusedError([{ field: 'transferredTo', message }]);
}

/** The member does not belong to the target facility. */
export function notMemberRefusal(facilityId: string): TransferRefusedError {
  return refused(`Вы не состоите в учреждении «${facilityId}»: перевести туда пациента нельзя.`);
}

/** This device holds no key of the target facility's current epoch (the member is not confirmed there yet). */
export function noKeyRefusal(facilityId: string): TransferRefusedError {
  return refused(`На этом устройстве нет ключа учреждения «${facilityId}»: перевод невозможен.`);
}

/** Whether a records layer can give patients away (the repository can; stand-ins of the pages need not). */
export function isTransferSource(records: object): records is TransferSource {
  const source = records as Partial<TransferSource>;
  return typeof source.exportPatient === 'function' && typeof source.markTransferred === 'function';
}

/** Whether a records layer can take transferred patients in. */
export function isTransferTarget(records: object): records is TransferTarget {
  const target = records as Partial<TransferTarget>;
  return (
    typeof target.holdsPatient === 'function' &&
    typeof target.sealTransferred === 'function' &&
    typeof target.writeTransferred === 'function'
  );
}

/** A copy without revision and update bookkeeping: the target creates the document, written by `writer`. */
function freshCopy<T extends { _id: string }>(doc: T, writer: Writer): T {
  const kept = Object.entries(doc).filter(
    ([key]) => (key === '_id' || !key.startsWith('_')) && key !== 'updatedBy' && key !== 'updatedAt',
  );
  return { ...Object.fromEntries(kept), createdBy: writer.login, createdAt: writer.at } as unknown as T;
}

/** The entries of a dated history from `on`: the one in force on `on`, dated `on`, and those after it. */
function historyFrom<T extends { from: string }>(history: readonly T[], on: string): T[] {
  const current = valueOn(history, on);
  const later = history.filter((entry) => entry.from > on);
  return current ? [{ ...current, from: on }, ...later] : later;
}

/** The target's documents, unsealed: the record starts on the transfer date, visits and prescriptions keep ids. */
export function transferCopies(exported: PatientExport, on: string, writer: Writer, isDoctor: boolean): TransferCopies {
  const record = freshCopy(exported.record, writer);
  return {
    passport: exported.passport,
    record: {
      ...record,
      statusHistory: [{ from: on, status: isDoctor ? 'active' : 'pending' }],
      careSettingHistory: historyFrom(record.careSettingHistory, on),
      needsHistory: historyFrom(record.needsHistory, on),
    },
    docs: [
      ...exported.visits.map(({ doc, opened }) => ({ doc: freshCopy(doc, writer), opened })),
      ...exported.prescriptions.map(({ doc, opened }) => ({
        doc: { ...freshCopy(doc, writer), transferredFrom: exported.facilityId },
        opened,
      })),
    ],
  };
}

/** Why the store of `facilityId` would refuse `doc` from this member, or null (its design document's own rules). */
function storeRefusal(
  facilityId: string,
  doc: object,
  oldDoc: object | null,
  member: { login: string; roles: readonly string[] },
): string | null {
  return facilityWriteRefusal(
    doc as Record<string, unknown>,
    oldDoc as Record<string, unknown> | null,
    { name: member.login, roles: [...member.roles] },
    // Everything here is sealed under the current epoch, which is never below the lowest writable one.
    { facilityId, minWriteEpoch: 1 },
    storeToday(Date.now()),
  );
}

export interface TransferParties {
  source: TransferSource;
  target: TransferTarget;
  /** The signed-in member, who must belong to both facilities and hold keys of both. */
  login: string;
  roles: readonly string[];
  now?: () => Date;
}

/**
 * Transfers a patient from `source` to `target`: a new passport, the record and copies of visits and prescriptions
 * in the target (every sealed value sealed again for it), then `transferred` in the source. Rejects with
 * `TransferRefusedError` — nothing written — when the member is not in the target facility, this device holds no
 * key of it, the target already holds the patient id, or the target's store would refuse any of the copies.
 */
export async function transferPatient(parties: TransferParties, request: TransferRequest): Promise<TransferResult> {
  const { source, target, login, roles } = parties;
  if (target.facilityId === source.facilityId || request.to !== target.facilityId) {
    throw refused('Выберите другое учреждение.');
  }
  if (!roles.includes(facilityRole(target.facilityId))) {
    throw notMemberRefusal(target.facilityId);
  }
  if (await target.holdsPatient(request.patientId)) {
    throw refused(`В учреждении «${target.facilityId}» этот пациент уже есть.`);
  }
  const exported = await source.exportPatient(request.patientId);
  const current = exported.record.statusHistory.at(-1)?.status;
  if (current !== 'active' && current !== 'pending') {
    throw refused('Перевести можно только пациента, который состоит в регистре.');
  }
  const writer: Writer = { login, at: (parties.now?.() ?? new Date()).toISOString() };
  const status: TransferStatus = {
    status: 'transferred',
    from: request.from,
    transferredTo: target.facilityId,
    ...(request.note?.trim() ? { note: request.note } : {}),
  };
  const entry: StatusEntry = { from: status.from, status: 'transferred', transferredTo: status.transferredTo };
  const sourceRecord: PatientRecord = {
    ...exported.record,
    statusHistory: withHistoryEntry(exported.record.statusHistory, entry),
    updatedBy: login,
    updatedAt: writer.at,
  };
  const sourceRefusal = storeRefusal(source.facilityId, sourceRecord, exported.record, parties);
  if (sourceRefusal) throw new TransferRefusedError([{ field: 'record.statusHistory', message: sourceRefusal }]);

  const copies = transferCopies(exported, request.from, writer, roles.includes('doctor'));
  let sealed: SealedTransfer;
  try {
    sealed = await target.sealTransferred(copies);
  } catch (error) {
    if (error instanceof NoFacilityKeyError && error.facilityId === target.facilityId) {
      throw noKeyRefusal(target.facilityId);
    }
    throw error;
  }
  const problems: ValidationError[] = [];
  for (const doc of [sealed.passport, sealed.record, ...sealed.docs]) {
    const refusal = storeRefusal(target.facilityId, doc, null, parties);
    if (refusal)
      problems.push({ field: 'transferredTo', message: `«${target.facilityId}» не примет ${doc._id}: ${refusal}` });
  }
  if (problems.length > 0) throw new TransferRefusedError(problems);

  await target.writeTransferred(sealed, source.facilityId);
  const file = await source.markTransferred(request.patientId, status);
  return {
    source: file,
    targetPassportId: sealed.passport._id,
    visits: exported.visits.length,
    prescriptions: exported.prescriptions.length,
  };
}
