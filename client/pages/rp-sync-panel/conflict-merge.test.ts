import { assert } from '@open-wc/testing';
import { canMerge, differingFields, mergeProblems, mergedVersion, type VersionDoc } from './conflict-merge.ts';
import { visit } from '../../../common/records/test-fixtures.ts';

const base = { ...visit(), _rev: '2-aaaa' } as unknown as VersionDoc;
const other = { ...visit(), _rev: '2-bbbb', pain: 9, ecog: undefined, updatedBy: 'olga' } as unknown as VersionDoc;
const writer = { login: 'nina', at: '2026-11-29T10:00:00.000Z' };

describe('merging versions of a record', () => {
  it('offers the fields that differ, never the bookkeeping', () => {
    assert.deepEqual(differingFields([base, other]), ['ecog', 'pain']);
  });

  it('takes each chosen field whole from its version and the rest from the first, written by the merger', () => {
    const merged = mergedVersion([base, other], { pain: 1 }, writer);
    assert.include(merged, { _id: base._id, pain: 9, ecog: 3, updatedBy: 'nina', updatedAt: writer.at });
    assert.notProperty(merged, '_rev');
    assert.notProperty(mergedVersion([base, other], { ecog: 1 }, writer), 'ecog', 'a field missing there goes');
    assert.deepEqual(mergeProblems(mergedVersion([base, other], { pain: 1 }, writer), '2026-11-29'), {});
  });

  it('reports what the shared validation refuses by the field it sits in', () => {
    const broken = { ...other, esas: { pain: 12 } } as unknown as VersionDoc;
    const problems = mergeProblems(mergedVersion([base, broken], { esas: 1 }, writer), '2026-11-29');
    assert.deepEqual(Object.keys(problems), ['esas']);
  });

  it('merges records field by field, but never a passport, which is sealed whole', () => {
    assert.isTrue(canMerge('visit:x:y'));
    assert.isTrue(canMerge('prescription:x:y'));
    assert.isTrue(canMerge('patient:x'));
    assert.isFalse(canMerge('passport:x'));
    assert.isFalse(canMerge('audit:nina:t:u'));
  });
});
