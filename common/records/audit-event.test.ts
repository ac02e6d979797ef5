import { describe, expect, it } from 'vitest';
import { auditLoginOf, validateAuditEvent } from './audit-event.ts';
import { validateFacilityDoc } from './facility-doc.ts';
import { TODAY, auditEvent, changed, patientRecord } from './test-fixtures.ts';
import type { AuditEvent } from './types.ts';

const fields = (errors: { field: string }[]) => errors.map((error) => error.field);
type Change = (doc: AuditEvent & Record<string, unknown>) => void;

describe('audit event', () => {
  it('accepts an event', () => {
    expect(validateAuditEvent(auditEvent())).toEqual([]);
  });

  it('names its author from its id', () => {
    expect(auditLoginOf(auditEvent('olga')._id)).toBe('olga');
    expect(auditLoginOf('audit:olga')).toBeNull();
  });

  it.each<[string, Change]>([
    ['flat details', (e) => (e.details = { copies: 2, pdf: true, facility: 'hospice-2', reason: null })],
    ['a printed report without a document', (e) => Object.assign(e, { action: 'printed', docId: undefined })],
    [
      'a resolved conflict with the losing revision',
      (e) =>
        Object.assign(e, {
          action: 'conflict-resolved',
          docId: patientRecord()._id,
          rev: '3-abc',
          losing: { ...patientRecord(), _rev: '3-abc' },
        }),
    ],
  ])('accepts %s', (_what, change) => {
    const event = changed(auditEvent(), change);
    expect(validateAuditEvent(event, (losing) => validateFacilityDoc(losing, TODAY))).toEqual([]);
  });

  it.each<[string, Change, string[]]>([
    ['an id without its time', (e) => (e._id = 'audit:nina:1'), ['_id']],
    ['an impossible time in the id', (e) => (e._id = e._id.replace('09:00', '29:00')), ['_id']],
    ['an author other than the login in the id', (e) => (e.createdBy = 'olga'), ['createdBy']],
    ['an unknown action', (e) => (e.action = 'deleted' as 'printed'), ['action']],
    ['a time that is not ISO', (e) => (e.at = '29.11.2026'), ['at']],
    ['a device named after a person', (e) => (e.device = 'планшет Нины'), ['device']],
    ['details with a name', (e) => (e.details = { patient: 'Иванова Мария' }), ['details.patient']],
    ['nested details', (e) => ((e as Record<string, unknown>).details = { copy: { surname: 'x' } }), ['details.copy']],
    ['details as text', (e) => ((e as Record<string, unknown>).details = 'открыла паспорт'), ['details']],
    ['a free-text comment', (e) => (e.comment = 'открыла паспорт Ивановой'), ['comment']],
    [
      'a losing copy on another action',
      (e) => (e.losing = patientRecord() as unknown as Record<string, unknown>),
      ['losing'],
    ],
    [
      'a losing copy of another document',
      (e) => Object.assign(e, { action: 'conflict-resolved', losing: patientRecord() }),
      ['losing'],
    ],
    [
      'a losing copy that is not a valid record',
      (e) =>
        Object.assign(e, {
          action: 'conflict-resolved',
          docId: patientRecord()._id,
          losing: { ...patientRecord(), surname: 'x' },
        }),
      ['losing.surname'],
    ],
  ])('refuses %s', (_what, change, expected) => {
    const event = changed(auditEvent(), change);
    expect(fields(validateAuditEvent(event, (losing) => validateFacilityDoc(losing, TODAY)))).toEqual(expected);
  });
});
