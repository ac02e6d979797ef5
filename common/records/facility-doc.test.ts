import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { facilityDocTypeOf, validateFacilityDoc } from './facility-doc.ts';
import { validatePassportData } from './passport.ts';
import { TODAY, auditEvent, passportDoc, patientRecord, prescription, visit } from './test-fixtures.ts';

describe('facility documents', () => {
  it.each([passportDoc(), patientRecord(), visit(), prescription(), auditEvent()])('accepts a valid $type', (doc) => {
    expect(validateFacilityDoc(doc, TODAY)).toEqual([]);
  });

  it.each([null, undefined, 0, 'patient', [], [patientRecord()], true])('refuses %j as a document', (value) => {
    expect(validateFacilityDoc(value, TODAY)).toEqual([{ field: '', message: 'Документ должен быть объектом.' }]);
  });

  it.each(['note:1', 'plain', '', 5])('refuses the id %j, which names no facility type', (id) => {
    expect(facilityDocTypeOf(id)).toBeNull();
    expect(validateFacilityDoc({ _id: id }, TODAY).map((error) => error.field)).toEqual(['_id']);
  });

  it('never throws, whatever it is given, and names a field for every problem', () => {
    const ids = fc.constantFrom('passport:x', 'patient:x', 'visit:x:y', 'prescription:x:y', 'audit:nina:x', 'x');
    const docs = fc.oneof(
      fc.anything(),
      fc.tuple(ids, fc.dictionary(fc.string(), fc.anything())).map(([id, rest]) => ({ ...rest, _id: id })),
      fc
        .constantFrom(patientRecord(), visit(), prescription())
        .chain((base) =>
          fc.dictionary(fc.constantFrom(...Object.keys(base)), fc.anything()).map((rest) => ({ ...base, ...rest })),
        ),
    );
    fc.assert(
      fc.property(docs, (doc) => {
        for (const error of validateFacilityDoc(doc, TODAY)) {
          expect(typeof error.field).toBe('string');
          expect(error.message.length).toBeGreaterThan(0);
        }
        validatePassportData(doc, TODAY);
      }),
      { numRuns: 2000 },
    );
    // 2,000 random documents: a second or two on a quiet machine, longer on a busy one; no time is asserted.
  }, 60_000);
});
