/**
 * Creating, editing and deactivating reference entries, for the administrator's editor and the admin API alike:
 * each operation stamps who and when, keeps `_id`, `type` and the creation stamp as they were, and validates the
 * result. Nothing here deletes: an entry that records refer to is deactivated (`active: false`; for an ICD-10 code,
 * `actual: false`) and stays readable.
 */
import type { Authorship } from './icd10-chunks.ts';
import { validateReferenceDoc } from './validation.ts';
import type { DiagnosisChunk, DiagnosisEntry, District, Medicament, ReferenceDoc, ValidationError } from './types.ts';

export type EditResult<T> = { ok: true; doc: T } | { ok: false; errors: ValidationError[] };

/** What an administrator fills in; the id, type, state and stamps are the editor's business. */
export type EntryFields<T extends ReferenceDoc> = Omit<
  T,
  '_id' | '_rev' | 'type' | 'active' | 'createdBy' | 'createdAt' | 'updatedBy' | 'updatedAt'
>;

type Editable = Medicament | District;

function checked<T extends ReferenceDoc>(doc: T): EditResult<T> {
  const errors = validateReferenceDoc(doc);
  return errors.length === 0 ? { ok: true, doc } : { ok: false, errors };
}

/** A new medicament or district `<type>:<key>`, active, created now by `authorship.by`. */
export function createEntry<T extends Editable>(
  type: T['type'],
  key: string,
  fields: EntryFields<T>,
  authorship: Authorship,
): EditResult<T> {
  const stamp = {
    createdBy: authorship.by,
    createdAt: authorship.at,
    updatedBy: authorship.by,
    updatedAt: authorship.at,
  };
  return checked({ ...fields, _id: `${type}:${key}`, type, active: true, ...stamp } as T);
}

/** `doc` with `changes` applied; the id, type, revision and creation stamp cannot be changed this way. */
export function editEntry<T extends Editable>(
  doc: T,
  changes: Partial<EntryFields<T>>,
  authorship: Authorship,
): EditResult<T> {
  return checked({
    ...doc,
    ...changes,
    _id: doc._id,
    type: doc.type,
    ...(doc._rev === undefined ? {} : { _rev: doc._rev }),
    active: doc.active,
    createdBy: doc.createdBy,
    createdAt: doc.createdAt,
    updatedBy: authorship.by,
    updatedAt: authorship.at,
  });
}

/** Deactivates (or reactivates) a document — what replaces deleting it. */
export function setEntryActive<T extends ReferenceDoc>(doc: T, active: boolean, authorship: Authorship): EditResult<T> {
  return checked({ ...doc, active, updatedBy: authorship.by, updatedAt: authorship.at });
}

/**
 * The chunk with `entry` added, or replacing the entry with the same code. Taking a code out of force is this with
 * `actual: false`; a code is never removed from its chunk.
 */
export function setDiagnosisEntry(
  chunk: DiagnosisChunk,
  entry: DiagnosisEntry,
  authorship: Authorship,
): EditResult<DiagnosisChunk> {
  const index = chunk.entries.findIndex((existing) => existing.code === entry.code);
  const entries =
    index === -1 ? [...chunk.entries, entry] : chunk.entries.map((existing, i) => (i === index ? entry : existing));
  return checked({ ...chunk, entries, updatedBy: authorship.by, updatedAt: authorship.at });
}
