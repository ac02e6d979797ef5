import { describe, expect, it } from 'vitest';
import { auditDesignDoc, facilityDesignDoc, referenceDesignDoc, DESIGN_DOC_ID } from './index.ts';

describe('design documents', () => {
  it('are all _design/register', () => {
    for (const doc of [referenceDesignDoc(), auditDesignDoc(), facilityDesignDoc('a')])
      expect(doc._id).toBe(DESIGN_DOC_ID);
  });

  it('have a content hash that stays the same while the source does', () => {
    expect(facilityDesignDoc('a').contentHash).toBe(facilityDesignDoc('a').contentHash);
    expect(referenceDesignDoc().contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('give each facility its own source and hash, with its id written in', () => {
    const a = facilityDesignDoc('a');
    const b = facilityDesignDoc('hospice-2');
    expect(a.validate_doc_update).toContain(`var FACILITY_ID = "a";`);
    expect(b.validate_doc_update).toContain(`var FACILITY_ID = "hospice-2";`);
    expect(a.contentHash).not.toBe(b.contentHash);
    expect(a.validate_doc_update).not.toContain('%FACILITY_ID%');
  });

  it('write the lowest writable epoch in, 1 unless told', () => {
    expect(facilityDesignDoc('a').validate_doc_update).toContain('var MIN_WRITE_EPOCH = 1;');
    const from3 = facilityDesignDoc('a', { minWriteEpoch: 3 });
    expect(from3.validate_doc_update).toContain('var MIN_WRITE_EPOCH = 3;');
    expect(from3.contentHash).not.toBe(facilityDesignDoc('a').contentHash);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuse the epoch %s', (minWriteEpoch) => {
    expect(() => facilityDesignDoc('a', { minWriteEpoch })).toThrow(/not an epoch/);
  });

  it('bundle the shared validation without a single import', () => {
    for (const doc of [referenceDesignDoc(), facilityDesignDoc('a')]) {
      expect(doc.validate_doc_update).toMatch(/^function \(newDoc, oldDoc, userCtx, secObj\) \{/);
      expect(doc.validate_doc_update).not.toMatch(/\brequire\(|^\s*import\s|\bexport\s/m);
    }
  });

  it.each(['', 'A', 'a"; throw 1; "', '-a', 'a'.repeat(64)])('refuses to generate one for the facility id %j', (id) => {
    expect(() => facilityDesignDoc(id)).toThrow(/not a facility id/);
  });
});
