import { describe, expect, it } from 'vitest';
import { facilityDesignDoc } from '../index.ts';
import { storeToday } from './validate.ts';
import { allowed, forbidden, loadValidator, type Doc, type UserCtx } from '../../test/helpers/ddoc-sandbox.ts';
import {
  auditEvent,
  changed,
  nth,
  passportDoc,
  patientRecord,
  prescription,
  sealed,
  visit,
} from '../../common/records/test-fixtures.ts';

// The function as the store runs it: bundled, with facility `a` and "no epoch retired" written in.
const validate = loadValidator(facilityDesignDoc('a').validate_doc_update);
const server: UserCtx = { name: 'register-store-admin', roles: ['_admin'] };
const nina: UserCtx = { name: 'nina', roles: ['nurse', 'facility:a'] };
const olga: UserCtx = { name: 'olga', roles: ['doctor', 'facility:a'] };
const adminMember: UserCtx = { name: 'admin', roles: ['admin', 'facility:a'] };
const analystMember: UserCtx = { name: 'ana', roles: ['analyst', 'facility:a'] };
const memberOfB: UserCtx = { name: 'boris', roles: ['doctor', 'facility:b'] };

/** The raw outcome, for reasons too long to spell out (structure messages list every problem). */
function outcome(doc: Doc): string {
  try {
    validate(asDoc(doc), asDoc(patient), nina);
    return 'allowed';
  } catch (error) {
    return 'forbidden: ' + String((error as { forbidden?: unknown }).forbidden);
  }
}
const asDoc = (value: object): Doc => JSON.parse(JSON.stringify(value)) as Doc;
/** A document as `who` creates it. */
const by = (value: object, who: UserCtx): Doc => ({ ...asDoc(value), createdBy: who.name });
const patient = asDoc(patientRecord());
const pendingPatient = asDoc(changed(patientRecord(), (r) => r.statusHistory.splice(1)));
const passport = asDoc(passportDoc());
const aVisit = asDoc(visit());
const aPrescription = asDoc(prescription());
const anEvent = asDoc(auditEvent('nina'));
const update = (doc: Doc, who: UserCtx, change: Record<string, unknown> = {}): Doc => ({
  ...doc,
  _rev: '1-a',
  updatedBy: who.name,
  updatedAt: '2026-11-29T10:00:00.000Z',
  ...change,
});

describe('facility validate_doc_update: membership', () => {
  it('lets a member of the facility write a record', () => {
    allowed(validate, aVisit, null, nina);
  });

  it.each([
    ['a member of another facility', memberOfB],
    ['an administrator who is not a member', { name: 'admin', roles: ['admin'] }],
    ['an anonymous caller', { name: null, roles: [] }],
    ['someone whose role only looks similar', { name: 'x', roles: ['facility:ab', 'facility:'] }],
  ])('refuses %s', (_who, userCtx) => {
    forbidden(validate, by(patient, userCtx), null, userCtx, 'Only members of this facility may write here.');
  });

  it('refuses a deletion by a non-member', () => {
    forbidden(
      validate,
      { _id: patient._id, _rev: '2-a', _deleted: true },
      patient,
      memberOfB,
      'Only members of this facility may write here.',
    );
  });

  it('was generated for its own facility only', () => {
    const validateB = loadValidator(facilityDesignDoc('b').validate_doc_update);
    allowed(validateB, by({ ...aVisit, note: sealed(1, 'b') }, memberOfB), null, memberOfB);
    forbidden(validateB, aVisit, null, nina, 'Only members of this facility may write here.');
  });
});

describe('facility validate_doc_update: design documents and types', () => {
  it('refuses a design document from a member', () => {
    forbidden(
      validate,
      { _id: '_design/idx', language: 'query', views: {} },
      null,
      nina,
      'Design documents are written by the server only.',
    );
  });

  it('lets the server write its design document', () => {
    allowed(validate, { _id: '_design/register', validate_doc_update: 'function () {}' }, null, server);
  });

  it.each([
    ['note:1', 'Unknown document type "note".'],
    ['plain-id', 'Unknown document type "plain-id".'],
  ])('refuses the unknown type in %j', (id, message) => {
    forbidden(validate, { _id: id, type: id.split(':')[0], createdBy: 'nina' }, null, nina, message);
  });

  it('refuses a "type" that disagrees with the id', () => {
    forbidden(
      validate,
      { ...aVisit, type: 'patient' },
      null,
      nina,
      'Field "type" must be "visit", as the document id says.',
    );
  });
});

describe('facility validate_doc_update: who may write what', () => {
  it.each([
    ['a nurse', nina],
    ['a doctor', olga],
    ['an administrator who is a member', adminMember],
  ])('lets %s record visits and passports', (_who, userCtx) => {
    allowed(validate, by(aVisit, userCtx), null, userCtx);
    allowed(validate, passport, null, userCtx);
  });

  it.each<[string, Doc]>([
    ['a passport', passport],
    ['a visit', by(aVisit, analystMember)],
    ['an audit event', { ...anEvent, _id: anEvent._id.replace(':nina:', ':ana:'), createdBy: 'ana' }],
  ])('lets an analyst write nothing, not even %s', (_what, doc) => {
    forbidden(
      validate,
      doc,
      null,
      analystMember,
      'Only doctors, nurses and administrators of the facility write here.',
    );
  });

  it('lets a doctor write a prescription under their own name', () => {
    allowed(validate, aPrescription, null, olga);
  });

  it.each([
    ['a nurse', nina],
    ['an administrator', adminMember],
  ])('refuses a prescription from %s', (_who, userCtx) => {
    forbidden(
      validate,
      by({ ...aPrescription, prescriber: userCtx.name }, userCtx),
      null,
      userCtx,
      'Only a doctor may write or cancel prescriptions.',
    );
  });

  it('refuses a nurse’s cancellation', () => {
    const cancel = update(aPrescription, nina, {
      status: 'cancelled',
      cancellation: { at: '2026-11-29T10:00:00.000Z', by: 'nina', reason: sealed() },
    });
    forbidden(validate, cancel, aPrescription, nina, 'Only a doctor may write or cancel prescriptions.');
  });

  it('lets an administrator re-seal a prescription under a new epoch, changing nothing else', () => {
    const resealed = update(aPrescription, adminMember, { number: sealed(2) });
    allowed(validate, resealed, aPrescription, adminMember);
    forbidden(
      validate,
      update(aPrescription, adminMember, { number: sealed(2), dose: 60 }),
      aPrescription,
      adminMember,
      'Only a doctor may write or cancel prescriptions.',
    );
    forbidden(
      validate,
      update(aPrescription, adminMember, { number: undefined }),
      aPrescription,
      adminMember,
      'Only a doctor may write or cancel prescriptions.',
    );
  });

  it('lets another doctor cancel, under their own name, and keeps it cancelled', () => {
    const boris: UserCtx = { name: 'boris', roles: ['doctor', 'facility:a'] };
    const cancellation = { at: '2026-11-29T10:00:00.000Z', by: 'boris', reason: sealed() };
    const cancelledDoc = update(aPrescription, boris, { status: 'cancelled', cancellation });
    allowed(validate, cancelledDoc, aPrescription, boris);
    forbidden(
      validate,
      update(aPrescription, boris, { status: 'cancelled', cancellation: { ...cancellation, by: 'olga' } }),
      aPrescription,
      boris,
      '"cancellation.by" must be the doctor who cancels the prescription.',
    );
    const reactivated = update(aPrescription, boris, { _rev: '2-b' });
    forbidden(
      validate,
      reactivated,
      cancelledDoc,
      boris,
      'A cancelled prescription stays cancelled; write a new one instead.',
    );
  });

  it('refuses a prescription in another doctor’s name', () => {
    const boris: UserCtx = { name: 'boris', roles: ['doctor', 'facility:a'] };
    forbidden(
      validate,
      by(aPrescription, boris),
      null,
      boris,
      '"prescriber" must be the doctor who writes the prescription.',
    );
  });

  it('lets a nurse register a patient who waits for a doctor in "pending"', () => {
    allowed(validate, by(pendingPatient, nina), null, nina);
  });

  it('refuses a patient a nurse registers as already active', () => {
    forbidden(
      validate,
      by(patient, nina),
      null,
      nina,
      'A patient registered by someone who is not a doctor starts as "pending" until a doctor confirms.',
    );
  });

  it('lets a doctor register an active patient and confirm a pending one', () => {
    allowed(validate, patient, null, olga);
    const pendingByNina = by(pendingPatient, nina);
    allowed(validate, update({ ...patient, createdBy: 'nina' }, olga), pendingByNina, olga);
  });

  it('refuses a nurse who moves a patient out of "pending"', () => {
    const pendingByNina = by(pendingPatient, nina);
    forbidden(
      validate,
      update({ ...patient, createdBy: 'nina' }, nina),
      pendingByNina,
      nina,
      'Only a doctor moves a patient out of "pending".',
    );
  });

  it('lets a nurse update a confirmed patient', () => {
    allowed(validate, update(patient, nina, { caregiver: 'none' }), patient, nina);
  });

  it('lets the server write on anyone’s behalf', () => {
    allowed(validate, by(patient, nina), null, server);
    allowed(validate, by({ ...aPrescription, prescriber: 'nina' }, nina), null, server);
    allowed(validate, { ...aVisit, note: sealed(1, 'b') }, null, server);
  });
});

describe('facility validate_doc_update: a prescription copied by a transfer', () => {
  const boris: UserCtx = { name: 'boris', roles: ['doctor', 'facility:a'] };
  const cancellation = { at: '2026-11-25T08:00:00.000Z', by: 'boris', reason: sealed() };
  /** Boris's prescription as olga's transfer copies it from facility b. */
  const copy = { ...by({ ...aPrescription, prescriber: 'boris' }, olga), transferredFrom: 'b' };
  const cancelledCopy = { ...copy, status: 'cancelled', cancellation };

  it.each<[string, Doc, Doc | null, UserCtx]>([
    ['a doctor copying a colleague’s prescription, marked with the source', copy, null, olga],
    ['a doctor copying a colleague’s cancelled prescription, cancelled by the colleague', cancelledCopy, null, olga],
    ['a doctor copying their own prescription with the marker', { ...aPrescription, transferredFrom: 'b' }, null, olga],
    [
      'a doctor cancelling a copy later, under their own name, keeping the marker',
      update(copy, olga, { status: 'cancelled', cancellation: { ...cancellation, by: 'olga' } }),
      copy,
      olga,
    ],
    ['the colleague changing the copy later, keeping the marker', update(copy, boris, { quantity: 30 }), copy, boris],
    [
      'an administrator re-sealing a copy, changing nothing else',
      update(copy, adminMember, { number: sealed(2) }),
      copy,
      adminMember,
    ],
  ])('allows %s', (_what, doc, oldDoc, userCtx) => {
    allowed(validate, doc, oldDoc, userCtx);
  });

  it.each<[string, Doc, Doc | null, UserCtx, string]>([
    [
      'a colleague’s prescription without the marker',
      by({ ...aPrescription, prescriber: 'boris' }, olga),
      null,
      olga,
      '"prescriber" must be the doctor who writes the prescription.',
    ],
    [
      'a marker naming this very facility',
      { ...copy, transferredFrom: 'a' },
      null,
      olga,
      '"transferredFrom" names the facility a transfer came from, not this one.',
    ],
    ['a copy written by a nurse', by(copy, nina), null, nina, 'Only a doctor may write or cancel prescriptions.'],
    [
      'a copy written by an administrator',
      by(copy, adminMember),
      null,
      adminMember,
      'Only a doctor may write or cancel prescriptions.',
    ],
    [
      'a copy that claims the colleague wrote it',
      { ...copy, createdBy: 'boris' },
      null,
      olga,
      '"createdBy" must be the login that writes the document.',
    ],
    [
      'the marker added to a prescription afterwards',
      update(aPrescription, olga, { transferredFrom: 'b' }),
      aPrescription,
      olga,
      '"transferredFrom" is written only when a transfer creates the copy, and never changed.',
    ],
    [
      'the marker removed afterwards',
      update(copy, olga, { transferredFrom: undefined }),
      copy,
      olga,
      '"transferredFrom" is written only when a transfer creates the copy, and never changed.',
    ],
    [
      'the marker changed afterwards',
      update(copy, olga, { transferredFrom: 'c' }),
      copy,
      olga,
      '"transferredFrom" is written only when a transfer creates the copy, and never changed.',
    ],
    [
      'a later cancellation in the colleague’s name',
      update(copy, olga, { status: 'cancelled', cancellation }),
      copy,
      olga,
      '"cancellation.by" must be the doctor who cancels the prescription.',
    ],
    [
      'a later change of the prescriber',
      update(copy, olga, { prescriber: 'olga' }),
      copy,
      olga,
      '"prescriber" cannot be changed.',
    ],
    [
      'a marker that is no facility id',
      { ...copy, transferredFrom: 'Хоспис №2' },
      null,
      olga,
      'Invalid prescription document. transferredFrom: Учреждение, из которого перенесено назначение, указано неверно.',
    ],
  ])('refuses %s', (_what, doc, oldDoc, userCtx, message) => {
    forbidden(validate, doc, oldDoc, userCtx, message);
  });
});

describe('facility validate_doc_update: passports carry ciphertext only', () => {
  it('accepts the fields replication adds', () => {
    allowed(
      validate,
      { ...passport, _rev: '2-b', _revisions: { start: 2, ids: ['b', 'a'] } },
      { ...passport, _rev: '1-a' },
      olga,
    );
  });

  it.each(['surname', 'snils', 'birthDate', 'createdBy', '_attachments'])('refuses a plaintext field %j', (field) => {
    forbidden(
      validate,
      { ...passport, [field]: 'x' },
      null,
      nina,
      `A passport carries only encrypted data; field "${field}" is not allowed.`,
    );
  });

  it.each([
    ['v as a string', { v: '1' }],
    ['no iv', { iv: undefined }],
    ['ct as a number', { ct: 5 }],
  ])('refuses a passport with %s', (_what, change) => {
    forbidden(
      validate,
      asDoc({ ...passport, ...change }),
      null,
      nina,
      'Invalid passport document. ct: Паспорт должен быть зашифрован: {v: 1, kid, iv, ct}.',
    );
  });
});

describe('facility validate_doc_update: structure', () => {
  it.each<[string, Doc, string]>([
    ['an ECOG of 7', { ...aVisit, ecog: 7 }, 'Invalid visit document. ecog: ECOG — целое от 0 до 4.'],
    [
      'a visit in the future',
      { ...aVisit, date: '2099-01-01' },
      'Invalid visit document. date: Дата не может быть позже сегодняшней.',
    ],
    [
      'a plaintext note',
      { ...aVisit, note: 'Дочь: Иванова Анна' },
      'Invalid visit document. note: Текст хранится только зашифрованным ({v: 1, kid, iv, ct}).',
    ],
    [
      'a diagnosis code in another format',
      asDoc(changed(patientRecord(), (r) => (nth(r.diagnoses, 1).code = 'рак'))),
      'Invalid patient document. diagnoses[1].code: Код МКБ-10 должен иметь вид C34 или C34.1.',
    ],
    [
      'a name beside the record, and no district',
      asDoc(changed(patientRecord(), (r) => Object.assign(r, { surname: 'Иванова', districtId: undefined }))),
      'Invalid patient document. surname: Неизвестное поле. districtId: Район — запись справочника «district:…».',
    ],
    [
      'an as-needed dose without maximum',
      { ...aPrescription, regimen: 'as-needed' },
      'Invalid prescription document. maxDailyDose: Для приёма по требованию укажите максимальную суточную дозу.',
    ],
    [
      'a dose of 0',
      { ...aPrescription, dose: 0 },
      'Invalid prescription document. dose: Доза должна быть больше нуля.',
    ],
    [
      'an audit event with a name in it',
      { ...anEvent, details: { patient: 'Иванова' } },
      'Invalid audit document. details.patient: Только идентификаторы, числа и флаги — никакого текста.',
    ],
  ])('refuses %s, naming the field', (_what, doc, message) => {
    const writer = doc.type === 'prescription' || doc.type === 'patient' ? olga : nina;
    forbidden(validate, doc, null, writer, message);
  });

  it('leaves the server’s own writes (restores of older data) to its code, but not plaintext in a passport', () => {
    allowed(validate, { ...aVisit, ecog: 7 }, null, server);
    forbidden(
      validate,
      { ...passport, surname: 'x' },
      null,
      server,
      'A passport carries only encrypted data; field "surname" is not allowed.',
    );
  });
});

describe('facility validate_doc_update: authorship', () => {
  it.each([
    ['whose createdBy is someone else', { ...aVisit, createdBy: 'olga' }],
    ['without createdBy', { ...aVisit, createdBy: undefined }],
  ])('refuses a new record %s', (_what, doc) => {
    forbidden(validate, asDoc(doc), null, nina, '"createdBy" must be the login that writes the document.');
  });

  it('lets another member update a record and sign the update', () => {
    allowed(validate, update(aVisit, olga), aVisit, olga);
  });

  it('refuses to change createdBy', () => {
    forbidden(validate, update(aVisit, olga, { createdBy: 'olga' }), aVisit, olga, '"createdBy" cannot be changed.');
  });

  it('refuses an update signed with someone else’s login', () => {
    forbidden(validate, update(aVisit, nina), aVisit, olga, '"updatedBy" must be the login that writes the document.');
  });
});

describe('facility validate_doc_update: deletions (resolving conflicts)', () => {
  it.each([
    ['patient', patient],
    ['visit', aVisit],
    ['prescription', aPrescription],
  ])('lets a member delete a losing leaf of a %s', (_type, doc) => {
    allowed(validate, { _id: doc._id, _rev: '2-b', _deleted: true }, doc, nina);
  });

  it('accepts a deletion that carries the document it deletes (an HTTP DELETE in the embedded store)', () => {
    allowed(validate, { ...aVisit, _rev: '2-b', _deleted: true }, aVisit, nina);
  });

  it.each<[string, Doc, string]>([
    ['a name', { _id: patient._id, _rev: '2-b', _deleted: true, surname: 'Иванова' }, 'Invalid patient document.'],
    [
      'plaintext in a passport',
      { ...passport, _rev: '2-b', _deleted: true, surname: 'x' },
      'Invalid passport document.',
    ],
  ])('refuses a deletion that smuggles in %s', (_what, doc, start) => {
    expect(outcome(doc)).toMatch(new RegExp('^forbidden: ' + start.replace('.', '\\.') + ' .*surname'));
  });
});

describe('facility validate_doc_update: audit events', () => {
  it('lets a member append an event under their own login', () => {
    allowed(validate, anEvent, null, nina);
  });

  it('refuses an event under another login', () => {
    forbidden(
      validate,
      { ...anEvent, createdBy: 'olga' },
      null,
      olga,
      'An audit event may be written only by the login named in its id.',
    );
  });

  it.each([
    ['change', { ...anEvent, _rev: '1-a', action: 'printed' }],
    ['delete', { _id: anEvent._id, _rev: '2-a', _deleted: true }],
    ['turn into another kind of document', { ...anEvent, type: 'patient' }],
  ])('refuses to %s an event, even its author', (_what, doc) => {
    forbidden(validate, doc, anEvent, nina, 'Audit events cannot be changed or deleted.');
  });

  it('refuses to delete an event, even for the server', () => {
    forbidden(
      validate,
      { _id: anEvent._id, _rev: '2-a', _deleted: true },
      anEvent,
      server,
      'Audit events cannot be changed or deleted.',
    );
  });

  it('lets the server append an event under any login', () => {
    allowed(validate, asDoc(auditEvent('olga')), null, server);
  });
});

describe('facility validate_doc_update: key epochs', () => {
  const validateFrom3 = loadValidator(facilityDesignDoc('a', { minWriteEpoch: 3 }).validate_doc_update);
  const retired = (where: string) =>
    `Sealed data in ${where} uses key epoch 2, which is retired (the lowest writable epoch is 3): re-encrypt it with the current key.`;
  const cancellation = (epoch: number) => ({ at: '2026-11-29T10:00:00.000Z', by: 'olga', reason: sealed(epoch) });

  it.each<[string, Doc, UserCtx]>([
    ['a passport', { ...passport, kid: 'a:3' }, nina],
    ['a visit note', { ...aVisit, note: sealed(4) }, nina],
    ['a prescription number', { ...aPrescription, number: sealed(3) }, olga],
  ])('accepts %s under a writable epoch', (_what, doc, who) => {
    allowed(validateFrom3, doc, null, who);
  });

  it.each<[string, Doc, UserCtx, string]>([
    ['a passport', { ...passport, kid: 'a:2' }, nina, 'the document'],
    ['a visit note', { ...aVisit, note: sealed(2) }, nina, '"note"'],
    ['a prescription number', { ...aPrescription, number: sealed(2) }, olga, '"number"'],
    [
      'a cancellation reason',
      { ...aPrescription, number: sealed(3), status: 'cancelled', cancellation: cancellation(2) },
      olga,
      '"cancellation.reason"',
    ],
    [
      'a status note',
      asDoc(changed(patientRecord(), (r) => (nth(r.statusHistory, 1).note = sealed(2)))),
      olga,
      '"statusHistory[1].note"',
    ],
  ])('refuses %s under a retired epoch', (_what, doc, who, where) => {
    forbidden(validateFrom3, doc, null, who, retired(where));
  });

  it('refuses a key of another facility', () => {
    forbidden(
      validate,
      { ...aVisit, note: sealed(1, 'b') },
      null,
      nina,
      'Sealed data in "note" must use a key of this facility ("a:<epoch>").',
    );
  });

  it('leaves the copy of a losing revision in an audit event as it was', () => {
    const losing = { ...aVisit, _rev: '2-x', note: sealed(1) };
    const event = { ...anEvent, action: 'conflict-resolved', docId: aVisit._id, rev: '2-abc', losing };
    allowed(validateFrom3, event, null, nina);
  });

  it('lets the server restore data under any epoch', () => {
    allowed(validateFrom3, { ...passport, kid: 'a:1' }, null, server);
  });
});

describe('facility validate_doc_update: as the store runs it', () => {
  it('is one function expression with its constants written in', () => {
    const source = facilityDesignDoc('hospice-2', { minWriteEpoch: 4 }).validate_doc_update;
    expect(source).toMatch(
      /^function \(newDoc, oldDoc, userCtx, secObj\) \{\n {2}var FACILITY_ID = "hospice-2";\n {2}var MIN_WRITE_EPOCH = 4;\n/,
    );
    expect(source).not.toMatch(/\brequire\(|\bimport\b|process\./);
  });
});

describe('facility validate_doc_update: "today" as the store judges dates', () => {
  it.each([
    [Date.UTC(2026, 10, 29, 9, 59), '2026-11-29'],
    [Date.UTC(2026, 10, 29, 10, 0), '2026-11-30'],
    [Date.UTC(2026, 11, 31, 12, 0), '2027-01-01'],
  ])('is the date in the earliest time zone (UTC+14) at %s', (now, today) => {
    expect(storeToday(now)).toBe(today);
  });
});
