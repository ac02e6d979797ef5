/**
 * The rules of a facility database `facility-<id>`, as its `validate_doc_update` runs them. This module is bundled
 * (design-docs/bundle.ts) with the shared structural validation of common/records into one function; the facility
 * id and the lowest writable key epoch are written into that function as constants, because
 * `validate_doc_update` cannot look anything up. It runs in the store's JavaScript engine: no Node, no browser,
 * nothing but the language (and `log`).
 *
 * The order of the checks decides which reason a refused writer reads: who may write at all (membership, role),
 * what may never change (design documents, audit events, plaintext in a passport), then authority by document
 * type, key epochs, and last the structure of the document, so no impossible value gets in from any device.
 * `_admin` — the server itself (provisioning, restores) — may write anything else.
 */
import { auditLoginOf } from '../../common/records/audit-event.ts';
import { META_FIELDS, type ValidationError } from '../../common/records/checks.ts';
import { facilityDocTypeOf, validateFacilityDoc } from '../../common/records/facility-doc.ts';
import { can, facilityRole } from '../../common/roles.ts';

export interface WriterContext {
  name: string | null;
  roles: string[];
}

/** What the generator writes into the function. */
export interface FacilityRules {
  facilityId: string;
  /** Sealed values under a lower epoch of this facility are refused: that epoch is retired. */
  minWriteEpoch: number;
}

type Doc = Record<string, unknown>;

const PASSPORT_FIELDS = ['_id', '_rev', '_revisions', '_deleted', 'type', 'v', 'kid', 'iv', 'ct'];

/**
 * "Today" as the store judges dates: the calendar date at UTC+14, the earliest time zone, so a date that is already
 * today on any device is never refused as being in the future.
 */
export function storeToday(now: number): string {
  return new Date(now + 14 * 3600 * 1000).toISOString().slice(0, 10);
}

function isObject(value: unknown): value is Doc {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The last status of a patient record's history, or null. */
function lastStatus(doc: Doc | null): unknown {
  const history = doc ? doc.statusHistory : null;
  if (!Array.isArray(history) || history.length === 0) return null;
  const last: unknown = history[history.length - 1];
  return isObject(last) ? last.status : null;
}

/**
 * The first sealed value (anything carrying a `kid`) whose key is not a writable epoch of this facility, as a
 * refusal message, or null. The copy of a losing revision in an audit event is history and is left as it was.
 */
function epochRefusal(value: unknown, rules: FacilityRules, path: string): string | null {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = epochRefusal(value[i], rules, path + '[' + i + ']');
      if (found) return found;
    }
    return null;
  }
  if (!isObject(value)) return null;
  if ('kid' in value) {
    const kid = value.kid;
    const at = path === '' ? 'the document' : '"' + path + '"';
    const prefix = rules.facilityId + ':';
    if (typeof kid !== 'string' || kid.indexOf(prefix) !== 0 || !/^[1-9]\d*$/.test(kid.slice(prefix.length))) {
      return 'Sealed data in ' + at + ' must use a key of this facility ("' + prefix + '<epoch>").';
    }
    const epoch = Number(kid.slice(prefix.length));
    if (epoch < rules.minWriteEpoch) {
      return (
        'Sealed data in ' +
        at +
        ' uses key epoch ' +
        epoch +
        ', which is retired (the lowest writable epoch is ' +
        rules.minWriteEpoch +
        '): re-encrypt it with the current key.'
      );
    }
  }
  for (const key in value) {
    if (path === '' && key === 'losing') continue;
    const found = epochRefusal(value[key], rules, path === '' ? key : path + '.' + key);
    if (found) return found;
  }
  return null;
}

/** No document of a facility nests objects this deep; the checks below recurse, and a deeper one would overflow. */
const MAX_NESTING = 32;

/** Whether objects or lists inside `value` nest deeper than `limit` — found without recursion. */
function nestedDeeperThan(value: unknown, limit: number): boolean {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (pending.length > 0) {
    const next = pending.pop();
    if (!next || typeof next.value !== 'object' || next.value === null) continue;
    if (next.depth > limit) return true;
    const container = next.value as Record<string, unknown>;
    for (const key in container) pending.push({ value: container[key], depth: next.depth + 1 });
  }
  return false;
}

function structureMessage(type: string, errors: ValidationError[]): string {
  const listed = errors.map((error) => (error.field === '' ? 'document' : error.field) + ': ' + error.message);
  return 'Invalid ' + type + ' document. ' + listed.join(' ');
}

/** Who wrote it: createdBy on creation, kept afterwards; updatedBy, when given, is the writer. */
function authorshipRefusal(newDoc: Doc, oldDoc: Doc | null, name: string | null): string | null {
  if (!oldDoc && newDoc.createdBy !== name) return '"createdBy" must be the login that writes the document.';
  if (oldDoc && newDoc.createdBy !== oldDoc.createdBy) return '"createdBy" cannot be changed.';
  if (newDoc.updatedBy !== undefined && newDoc.updatedBy !== name) {
    return '"updatedBy" must be the login that writes the document.';
  }
  return null;
}

/** Fields that change with every write whoever makes it. */
const BOOKKEEPING_FIELDS = ['_rev', '_revisions', 'updatedBy', 'updatedAt'];

/**
 * True when two values differ in sealed envelopes only (anything carrying a `kid` matches anything else that
 * does): what re-encryption under a new epoch changes, and nothing a person decided.
 */
function sameButEnvelopes(a: unknown, b: unknown, top: boolean): boolean {
  if (isObject(a) && isObject(b)) {
    if ('kid' in a && 'kid' in b) return true;
    const keys = Object.keys(a).concat(Object.keys(b));
    return keys.every(
      (key) => (top && BOOKKEEPING_FIELDS.indexOf(key) !== -1) || sameButEnvelopes(a[key], b[key], false),
    );
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item: unknown, index) => sameButEnvelopes(item, b[index], false));
  }
  return a === b;
}

/**
 * Prescriptions: written and cancelled by doctors only, under their own name; a cancellation is final. Any member
 * may re-seal one under a new epoch (an administrator re-encrypting after a revocation), changing nothing else.
 *
 * A transfer (client/records/transfer.ts) copies a patient's prescriptions into this facility, and a colleague in
 * the source facility may have written some of them. The copy keeps who prescribed (and who cancelled) — that is
 * the medical fact — and is written by the transferring doctor (`createdBy`), marked `transferredFrom: <source>`.
 * So a prescriber other than the writer is accepted exactly then: a doctor creating the document, with the marker
 * naming another facility. The marker is never added, changed or removed afterwards, so it cannot be used to pass
 * off a later change as someone else's.
 */
function prescriptionRefusal(
  newDoc: Doc,
  oldDoc: Doc | null,
  writer: WriterContext,
  rules: FacilityRules,
): string | null {
  if (!can(writer.roles, 'write-prescriptions')) {
    return oldDoc && sameButEnvelopes(newDoc, oldDoc, true) ? null : 'Only a doctor may write or cancel prescriptions.';
  }
  const transferredCopy = !oldDoc && newDoc.transferredFrom !== undefined;
  if (transferredCopy && newDoc.transferredFrom === rules.facilityId) {
    return '"transferredFrom" names the facility a transfer came from, not this one.';
  }
  if (oldDoc && newDoc.transferredFrom !== oldDoc.transferredFrom) {
    return '"transferredFrom" is written only when a transfer creates the copy, and never changed.';
  }
  if (!oldDoc && !transferredCopy && newDoc.prescriber !== writer.name) {
    return '"prescriber" must be the doctor who writes the prescription.';
  }
  if (oldDoc && newDoc.prescriber !== oldDoc.prescriber) return '"prescriber" cannot be changed.';
  if (oldDoc && oldDoc.status === 'cancelled' && newDoc.status !== 'cancelled') {
    return 'A cancelled prescription stays cancelled; write a new one instead.';
  }
  if (!transferredCopy && newDoc.status === 'cancelled' && (!oldDoc || oldDoc.status !== 'cancelled')) {
    const cancellation = newDoc.cancellation;
    if (isObject(cancellation) && cancellation.by !== writer.name) {
      return '"cancellation.by" must be the doctor who cancels the prescription.';
    }
  }
  return null;
}

/** A patient registered by someone who is not a doctor waits for a doctor's confirmation in "pending". */
function patientRefusal(newDoc: Doc, oldDoc: Doc | null, writer: WriterContext): string | null {
  if (writer.roles.indexOf('doctor') !== -1) return null;
  if (!oldDoc) {
    const history = newDoc.statusHistory;
    const allPending =
      Array.isArray(history) && history.every((entry: unknown) => isObject(entry) && entry.status === 'pending');
    return allPending
      ? null
      : 'A patient registered by someone who is not a doctor starts as "pending" until a doctor confirms.';
  }
  if (lastStatus(oldDoc) === 'pending' && lastStatus(newDoc) !== 'pending') {
    return 'Only a doctor moves a patient out of "pending".';
  }
  return null;
}

/**
 * Why the write is refused, or null when it is allowed. `oldDoc` is the revision the store holds (null for a new
 * document); `today` is `YYYY-MM-DD` (see `storeToday`).
 */
export function facilityWriteRefusal(
  newDoc: Doc,
  oldDoc: Doc | null,
  userCtx: WriterContext,
  rules: FacilityRules,
  today: string,
): string | null {
  const roles = Array.isArray(userCtx.roles) ? userCtx.roles : [];
  const writer: WriterContext = { name: userCtx.name, roles };
  const serverAdmin = roles.indexOf('_admin') !== -1;
  if (!serverAdmin && roles.indexOf(facilityRole(rules.facilityId)) === -1) {
    return 'Only members of this facility may write here.';
  }
  const id = typeof newDoc._id === 'string' ? newDoc._id : '';
  if (id.indexOf('_design/') === 0) return serverAdmin ? null : 'Design documents are written by the server only.';
  if (!serverAdmin && !can(roles, 'read-write-patients')) {
    return 'Only doctors, nurses and administrators of the facility write here.';
  }
  if (!serverAdmin && nestedDeeperThan(newDoc, MAX_NESTING)) {
    return 'The document nests deeper than ' + MAX_NESTING + ' levels; no record of the register does.';
  }
  const type = id.split(':')[0] ?? '';
  if (type === 'audit' || (oldDoc && oldDoc.type === 'audit')) {
    if (oldDoc) return 'Audit events cannot be changed or deleted.';
    if (!serverAdmin && auditLoginOf(id) !== writer.name) {
      return 'An audit event may be written only by the login named in its id.';
    }
  }
  if (newDoc._deleted === true) {
    // Resolving a conflict deletes the losing leaves (after the client copied them into an audit event), and the
    // store cannot tell a losing leaf from the winner: a member may delete. A deletion is a bare stub, or — as the
    // embedded store presents an HTTP DELETE — the document it deletes; it must never smuggle in anything else.
    const bare = Object.keys(newDoc).every((key) => (META_FIELDS as readonly string[]).indexOf(key) !== -1);
    if (bare || serverAdmin) return null;
    const errors = validateFacilityDoc(newDoc, today);
    return errors.length === 0 ? null : structureMessage(type, errors);
  }
  if (facilityDocTypeOf(id) === null) return 'Unknown document type "' + type + '".';
  if (newDoc.type !== type) return 'Field "type" must be "' + type + '", as the document id says.';
  if (type === 'passport') {
    for (const key in newDoc) {
      if (PASSPORT_FIELDS.indexOf(key) === -1) {
        return 'A passport carries only encrypted data; field "' + key + '" is not allowed.';
      }
    }
  }
  // The server writes as itself only from trusted code (provisioning, restores, migrations), and a restore must
  // not be refused by rules newer than the data; every browser write arrives under the user's own session.
  if (serverAdmin) return null;
  const refusal =
    (type === 'passport' || type === 'audit' ? null : authorshipRefusal(newDoc, oldDoc, writer.name)) ??
    (type === 'prescription' ? prescriptionRefusal(newDoc, oldDoc, writer, rules) : null) ??
    (type === 'patient' ? patientRefusal(newDoc, oldDoc, writer) : null) ??
    epochRefusal(newDoc, rules, '');
  if (refusal) return refusal;
  const errors = validateFacilityDoc(newDoc, today);
  return errors.length === 0 ? null : structureMessage(type, errors);
}

/**
 * The body of `validate_doc_update`: the generated function calls it with its constants. Throws `{forbidden}`,
 * which the store answers with 403 and the message as the reason.
 */
export function validateDocUpdate(
  newDoc: Doc,
  oldDoc: Doc | null,
  userCtx: WriterContext,
  facilityId: string,
  minWriteEpoch: number,
): void {
  const refusal = facilityWriteRefusal(newDoc, oldDoc, userCtx, { facilityId, minWriteEpoch }, storeToday(Date.now()));
  if (refusal !== null) throw { forbidden: refusal };
}
