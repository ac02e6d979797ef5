/**
 * The records layer's side of a transfer between facilities (transfer.ts runs it): exporting one patient with every
 * sealed value opened, sealing the copies for the target facility, and writing them. Kept apart from
 * facility-repository.ts, which hands it what it needs; the guarantees are the repository's (see its header):
 * everything is checked with common/records before anything is written, and every value is sealed under the
 * target's current epoch, bound to its new document.
 */
import { validatePassportData, validatePassportDoc } from '../../common/records/passport.ts';
import { validatePatientRecord } from '../../common/records/patient.ts';
import { validatePrescription } from '../../common/records/prescription.ts';
import { validateVisit } from '../../common/records/visit.ts';
import type { ReferenceLookups } from '../../common/records/checks.ts';
import { findSealedValues, withSealedValue } from '../../common/keys/sealed-fields.ts';
import { parseKeyId } from '../../common/keys/epoch-keys.ts';
import { getOrNull, rangeEnd, readAll, type FacilityDatabase, type StoredDoc } from './facility-database.ts';
import type { FacilitySealer } from './facility-sealer.ts';
import type { DocumentWriter } from './document-writer.ts';
import { PASSPORT_PREFIX, visitsOf, type OpenPassport } from './patients-in-memory.ts';
import { prefixed } from './record-documents.ts';
import { RecordValidationError, type ValidationError } from './records-api.ts';
import type { PassportData, PatientRecord, Prescription, Visit } from './records-types.ts';
import type { OpenedDoc, OpenedValue, PatientExport, SealedTransfer, TransferCopies } from './transfer.ts';

/** What the repository lends for a transfer. */
export interface TransferSide {
  facilityId: string;
  db: FacilityDatabase;
  sealer: FacilitySealer;
  writes: DocumentWriter;
  today: string;
  lookups: ReferenceLookups;
}

export function refuse(problems: ValidationError[]): void {
  if (problems.length > 0) throw new RecordValidationError(problems);
}

/** A passport document sealed whole under the current epoch, checked as the design document checks it. */
export async function sealedPassportDoc(
  sealer: FacilitySealer,
  passportId: string,
  rev: string | undefined,
  data: PassportData,
): Promise<StoredDoc> {
  const sealed = await sealer.seal(passportId, [], data);
  const doc: StoredDoc = { _id: passportId, ...(rev === undefined ? {} : { _rev: rev }), type: 'passport', ...sealed };
  refuse(prefixed('passport', validatePassportDoc(doc)));
  return doc;
}

/** The epoch a sealed passport document names, for what memory keeps of it. */
export function epochOf(doc: StoredDoc): { epoch?: number } {
  const epoch = parseKeyId(doc.kid)?.epoch;
  return epoch === undefined ? {} : { epoch };
}

async function opened<T extends { _id: string }>(sealer: FacilitySealer, doc: T): Promise<OpenedDoc<T>> {
  const values: OpenedValue[] = [];
  for (const found of findSealedValues(doc)) {
    values.push({ path: found.path, value: await sealer.open(doc._id, found.path, found.sealed) });
  }
  return { doc, opened: values };
}

/** Whether any record, visit or prescription of this patient id is in the database. */
export async function holdsPatientIn(db: FacilityDatabase, patientId: string): Promise<boolean> {
  if (await getOrNull(db, `patient:${patientId}`)) return true;
  for (const prefix of [`visit:${patientId}:`, `prescription:${patientId}:`]) {
    const { rows } = await db.allDocs({ startkey: prefix, endkey: rangeEnd(prefix), limit: 1 });
    if (rows.length > 0) return true;
  }
  return false;
}

/** Everything of one patient on this device, with the sealed values of visits and prescriptions opened. */
export async function exportedPatient(
  side: TransferSide,
  held: OpenPassport,
  record: PatientRecord,
): Promise<PatientExport> {
  const patientId = held.data.patientId;
  const visits = await visitsOf(side.db, patientId);
  const prescriptions = (await readAll(side.db, `prescription:${patientId}:`)).flatMap((doc) =>
    doc.type === 'prescription' ? [doc as unknown as Prescription] : [],
  );
  return {
    facilityId: side.facilityId,
    patientId,
    passport: held.data,
    record: record as PatientRecord & { _rev: string },
    visits: await Promise.all(visits.map((visit) => opened(side.sealer, visit))),
    prescriptions: await Promise.all(prescriptions.map((prescription) => opened(side.sealer, prescription))),
  };
}

/** The copies sealed for this facility (a new passport id, every opened value sealed again); writes nothing. */
export async function sealedTransfer(side: TransferSide, copies: TransferCopies): Promise<SealedTransfer> {
  const { sealer, today, lookups } = side;
  const epoch = await sealer.currentEpoch();
  const passportId = `${PASSPORT_PREFIX}${crypto.randomUUID()}`;
  refuse([
    ...prefixed('passport', validatePassportData(copies.passport, today)),
    ...prefixed('record', validatePatientRecord(copies.record, today, lookups)),
  ]);
  const passport = await sealedPassportDoc(sealer, passportId, undefined, copies.passport);
  const docs: (Visit | Prescription)[] = [];
  for (const { doc, opened: values } of copies.docs) {
    let sealed = doc;
    for (const { path, value } of values) {
      sealed = withSealedValue(sealed, path, await sealer.seal(doc._id, path, value, epoch));
    }
    refuse(
      prefixed(doc._id, sealed.type === 'visit' ? validateVisit(sealed, today) : validatePrescription(sealed, lookups)),
    );
    docs.push(sealed);
  }
  return { passport, record: copies.record, docs };
}

/** Writes what `sealedTransfer` made, then a `transferred` audit event naming the source facility. */
export async function writtenTransfer(
  side: TransferSide,
  sealed: SealedTransfer,
  fromFacility: string,
): Promise<{
  passport: StoredDoc & { _rev: string };
  record: PatientRecord & { _rev: string };
  docs: (Visit | Prescription)[];
}> {
  const passport = await side.writes.put(sealed.passport);
  const docs: (Visit | Prescription)[] = [];
  for (const doc of sealed.docs) docs.push(await side.writes.put(doc));
  const record = await side.writes.put(sealed.record);
  const details = { from: fromFacility, passport: passport._id, copies: docs.length };
  await side.writes.audit('transferred', { docId: record._id, rev: record._rev }, details);
  return { passport, record, docs };
}
