import { describe, expect, it } from 'vitest';
import { auditEvent, passportDoc, patientRecord, prescription, visit } from '../../../common/records/test-fixtures.ts';
import { documentRow, isReportDocumentId } from './document-row.ts';

describe('the report row of a document', () => {
  it('is nothing for a passport, an audit event or a design document', () => {
    for (const doc of [passportDoc(), auditEvent(), { _id: '_design/register', type: 'patient' }]) {
      expect(documentRow(doc)).toBeNull();
    }
    expect(['passport:x', 'audit:a:b:c', '_design/register', '_local/x'].some(isReportDocumentId)).toBe(false);
    expect(['patient:x', 'visit:x:y', 'prescription:x:y'].every(isReportDocumentId)).toBe(true);
  });

  it('is what the report view emits, parsed: no diagnoses, no sealed field', () => {
    const row = documentRow(patientRecord());
    expect(row).toMatchObject({ kind: 'patient', key: '9999-12-31', row: { sex: 'female', birthYear: 1948 } });
    expect(JSON.stringify(row)).not.toMatch(/"ct"|"iv"|diagnoses|C34/);
    expect(documentRow(visit())).toEqual({
      kind: 'visit',
      row: { id: visit()._id, patientId: visit()._id.split(':')[1], date: '2026-11-28', visitType: 'home' },
    });
    const given = documentRow(prescription());
    expect(given).toMatchObject({ kind: 'prescription', row: { dose: 30, start: '2026-11-20', end: '2026-12-19' } });
    expect(JSON.stringify(given)).not.toMatch(/"ct"|"iv"|number/);
  });

  it('is "skipped" for a document of the wrong shape', () => {
    expect(documentRow({ ...prescription(), dose: 'thirty' })).toEqual({ kind: 'skipped' });
  });
});
