import { describe, it } from 'vitest';
import { facilityDesignDoc } from '../index.ts';
import { allowed, forbidden, loadValidator, type Doc, type UserCtx } from '../../test/helpers/ddoc-sandbox.ts';

const validate = loadValidator(facilityDesignDoc('a').validate_doc_update);
const server: UserCtx = { name: 'register-store-admin', roles: ['_admin'] };
const nina: UserCtx = { name: 'nina', roles: ['nurse', 'facility:a'] };
const olga: UserCtx = { name: 'olga', roles: ['doctor', 'facility:a'] };
const memberOfB: UserCtx = { name: 'boris', roles: ['doctor', 'facility:b'] };

const patient: Doc = {
  _id: 'patient:p1',
  type: 'patient',
  sex: 'f',
  createdBy: 'nina',
  createdAt: '2026-11-29T09:00:00Z',
};
const passport: Doc = { _id: 'passport:7f3a', type: 'passport', v: 1, kid: 'a/1', iv: 'aXY', ct: 'Y2lwaGVydGV4dA' };
const auditEvent: Doc = {
  _id: 'audit:nina:2026-11-29T09:00:00Z:1',
  type: 'audit',
  event: 'visit-recorded',
  createdBy: 'nina',
};

describe('facility validate_doc_update: membership', () => {
  it('lets a member of the facility write a record', () => {
    allowed(validate, patient, null, nina);
  });

  it.each([
    ['a member of another facility', memberOfB],
    ['an administrator who is not a member', { name: 'admin', roles: ['admin'] }],
    ['an anonymous caller', { name: null, roles: [] }],
    ['someone whose role only looks similar', { name: 'x', roles: ['facility:ab', 'facility:'] }],
  ])('refuses %s', (_who, userCtx) => {
    forbidden(
      validate,
      { ...patient, createdBy: userCtx.name },
      null,
      userCtx,
      'Only members of this facility may write here.',
    );
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
    allowed(validateB, { ...patient, createdBy: 'boris' }, null, memberOfB);
    forbidden(validateB, patient, null, nina, 'Only members of this facility may write here.');
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
      { ...patient, type: 'visit' },
      null,
      nina,
      'Field "type" must be "patient", as the document id says.',
    );
  });
});

describe('facility validate_doc_update: passports carry ciphertext only', () => {
  it('accepts exactly {type, v, kid, iv, ct}', () => {
    allowed(validate, passport, null, nina);
  });

  it('accepts the fields replication adds', () => {
    allowed(
      validate,
      { ...passport, _rev: '2-b', _revisions: { start: 2, ids: ['b', 'a'] } },
      { ...passport, _rev: '1-a' },
      olga,
    );
  });

  it.each(['surname', 'snils', 'birthDate', 'createdBy', '_attachments'])(
    'refuses a passport with a plaintext field %j',
    (field) => {
      forbidden(
        validate,
        { ...passport, [field]: 'x' },
        null,
        nina,
        `A passport carries only encrypted data; field "${field}" is not allowed.`,
      );
    },
  );

  it.each([
    ['v as a string', { v: '1' }],
    ['no kid', { kid: undefined }],
    ['iv as a number', { iv: 5 }],
    ['no ct', { ct: undefined }],
  ])('refuses a passport with %s', (_what, change) => {
    const doc = JSON.parse(JSON.stringify({ ...passport, ...change })) as Doc;
    forbidden(validate, doc, null, nina, 'A passport needs "v" (number) and "kid", "iv", "ct" (strings).');
  });
});

describe('facility validate_doc_update: authorship', () => {
  it('refuses a new record whose createdBy is someone else', () => {
    forbidden(
      validate,
      { ...patient, createdBy: 'olga' },
      null,
      nina,
      '"createdBy" must be the login that writes the document.',
    );
  });

  it('refuses a new record without createdBy', () => {
    forbidden(
      validate,
      { ...patient, createdBy: undefined },
      null,
      nina,
      '"createdBy" must be the login that writes the document.',
    );
  });

  it('lets another member update a record and sign the update', () => {
    allowed(validate, { ...patient, _rev: '1-a', sex: 'm', updatedBy: 'olga' }, patient, olga);
  });

  it('refuses to change createdBy', () => {
    forbidden(
      validate,
      { ...patient, createdBy: 'olga', updatedBy: 'olga' },
      patient,
      olga,
      '"createdBy" cannot be changed.',
    );
  });

  it('refuses an update signed with someone else’s login', () => {
    forbidden(
      validate,
      { ...patient, updatedBy: 'nina' },
      patient,
      olga,
      '"updatedBy" must be the login that writes the document.',
    );
  });

  it('lets a member delete a revision (resolving a conflict deletes the losing leaf)', () => {
    allowed(validate, { _id: patient._id, _rev: '2-b', _deleted: true }, patient, olga);
  });

  it('lets the server write records on anyone’s behalf', () => {
    allowed(validate, { ...patient, createdBy: 'nina' }, null, server);
  });
});

describe('facility validate_doc_update: audit events', () => {
  it('lets a member append an event under their own login', () => {
    allowed(validate, auditEvent, null, nina);
  });

  it('refuses an event under another login', () => {
    forbidden(
      validate,
      { ...auditEvent, createdBy: 'olga' },
      null,
      olga,
      'An audit event may be written only by the login named in its id.',
    );
  });

  it.each([
    ['change', { ...auditEvent, _rev: '1-a', event: 'nothing' }],
    ['delete', { _id: auditEvent._id, _rev: '2-a', _deleted: true }],
  ])('refuses to %s an event, even its author', (_what, doc) => {
    forbidden(validate, doc, auditEvent, nina, 'Audit events cannot be changed or deleted.');
  });

  it('refuses to turn an event into another kind of document', () => {
    forbidden(
      validate,
      { ...auditEvent, type: 'patient' },
      auditEvent,
      nina,
      'Audit events cannot be changed or deleted.',
    );
  });

  it('lets the server append an event under any login', () => {
    allowed(validate, { ...auditEvent, _id: 'audit:olga:2026-11-29T09:00:00Z:2' }, null, server);
  });
});
