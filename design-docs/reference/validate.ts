/**
 * The rules of the `reference` database, as its `validate_doc_update` runs them (bundled by design-docs/bundle.ts
 * with the shared reference-book validation). Readable by all staff, writable by administrators only; entries are
 * deactivated, never deleted, because records refer to them. Reference books (medicaments, ICD-10 chunks, their
 * edition, districts) written by an administrator must pass the same structural validation the administrator's page
 * runs; the other documents kept here (facilities, staff directory, facility keys) are written by the server only,
 * and everything the server writes as itself keeps only the id rules.
 */
import { REFERENCE_TYPES, validateReferenceDoc } from '../../common/reference/validation.ts';

export interface WriterContext {
  name: string | null;
  roles: string[];
}

type Doc = Record<string, unknown>;

/** Why the write is refused, or null when it is allowed. */
export function referenceWriteRefusal(newDoc: Doc, userCtx: WriterContext): string | null {
  const roles = Array.isArray(userCtx.roles) ? userCtx.roles : [];
  const serverAdmin = roles.indexOf('_admin') !== -1;
  if (!serverAdmin && roles.indexOf('admin') === -1) return 'Only administrators may change reference books.';
  const id = typeof newDoc._id === 'string' ? newDoc._id : '';
  if (id.indexOf('_design/') === 0) return serverAdmin ? null : 'Design documents are written by the server only.';
  if (newDoc._deleted === true) return serverAdmin ? null : 'Reference entries are deactivated, not deleted.';
  const type = id.split(':')[0] ?? '';
  if (id.indexOf(':') < 1 || id.length === type.length + 1) return 'A reference document id must be "<type>:<key>".';
  if (newDoc.type !== type) return 'Field "type" must be "' + type + '", as the document id says.';
  // The server's own writes (seeding, the ICD-10 import, restores) are validated by their code, and a restore
  // must not be refused by rules newer than the data.
  if (serverAdmin) return null;
  // Facilities, their keys and the staff directory are written by the administration API, which checks them; from
  // a browser they would be unchecked (a forged public key in `staff:<login>`, say).
  if ((REFERENCE_TYPES as readonly string[]).indexOf(type) === -1) {
    return '"' + type + '" documents are written by the server only; a browser writes reference books.';
  }
  const errors = validateReferenceDoc(newDoc);
  if (errors.length === 0) return null;
  return (
    'Invalid ' +
    type +
    ' document. ' +
    errors.map((error) => (error.field || 'document') + ': ' + error.message).join(' ')
  );
}

/** The body of `validate_doc_update`; throws `{forbidden}`, which the store answers with 403. */
export function validateDocUpdate(newDoc: Doc, _oldDoc: Doc | null, userCtx: WriterContext): void {
  const refusal = referenceWriteRefusal(newDoc, userCtx);
  if (refusal !== null) throw { forbidden: refusal };
}
