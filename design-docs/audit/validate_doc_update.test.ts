import { describe, it } from 'vitest';
import { auditDesignDoc } from '../index.ts';
import { allowed, forbidden, loadValidator, type UserCtx } from '../../test/helpers/ddoc-sandbox.ts';

const validate = loadValidator(auditDesignDoc().validate_doc_update);
const server: UserCtx = { name: 'register-store-admin', roles: ['_admin'] };
const event = {
  _id: 'audit:admin:2026-11-29T09:00:00.000Z:0b1c',
  type: 'audit',
  event: 'login',
  login: 'admin',
  at: '2026-11-29T09:00:00.000Z',
};

describe('audit validate_doc_update', () => {
  it('lets the server append an event', () => {
    allowed(validate, event, null, server);
  });

  it.each([
    ['an administrator of the application', { name: 'admin', roles: ['admin'] }],
    ['a nurse', { name: 'nina', roles: ['nurse', 'facility:a'] }],
    ['an anonymous caller', { name: null, roles: [] }],
  ])('refuses %s, even an event about themselves', (_who, userCtx) => {
    forbidden(validate, event, null, userCtx, 'The audit trail is written by the server only.');
  });

  it('refuses to change an event, even for the server', () => {
    forbidden(
      validate,
      { ...event, event: 'nothing-happened', _rev: '1-a' },
      event,
      server,
      'Audit events cannot be changed or deleted.',
    );
  });

  it('refuses to delete an event, even for the server', () => {
    forbidden(
      validate,
      { _id: event._id, _rev: '2-a', _deleted: true },
      event,
      server,
      'Audit events cannot be changed or deleted.',
    );
    forbidden(validate, { _id: event._id, _deleted: true }, null, server, 'Audit events cannot be changed or deleted.');
  });

  it.each([
    ['an id without the audit prefix', { ...event, _id: 'patient:1' }],
    ['another type', { ...event, type: 'patient' }],
  ])('refuses %s', (_what, doc) => {
    forbidden(validate, doc, null, server, 'Only audit events ("audit:…", type "audit") belong here.');
  });

  it.each(['event', 'at'])('refuses an event without %j', (field) => {
    // Undefined fields vanish when the document crosses into the sandbox as JSON, as they would on the wire.
    const doc = { ...event, [field]: undefined };
    forbidden(validate, doc, null, server, 'An audit event needs "event" and "at".');
  });

  it('lets the server update its design document', () => {
    allowed(validate, { _id: '_design/register', _rev: '1-a' }, { _id: '_design/register' }, server);
  });
});
