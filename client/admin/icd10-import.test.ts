import { assert } from '@open-wc/testing';
import { importIcd10, type ImportProgress } from './icd10-import.ts';
import { MemoryReferenceStore } from './testing/admin-test-context.ts';
import { isDiagnosisChunk, isDiagnosisMeta } from '../../common/reference/types.ts';

const HEADER = 'ID;REC_CODE;MKB_CODE;MKB_NAME;ID_PARENT;ADDL_CODE;ACTUAL;DATE';
const FIRST = [
  HEADER,
  '1;02;"II";"Новообразования";;;1;',
  '2;C00-C97;"C00-C97";"Злокачественные новообразования";1;;1;',
  '3;C34;"C34";"Злокачественное новообразование бронхов и легкого";2;;1;',
  '4;C34.1;"C34.1";"Верхней доли, бронхов или легкого";3;;1;',
  '5;J44;"J44";"Другая хроническая обструктивная легочная болезнь";;;1;',
].join('\n');
const FILE_NAME = 'MKB10-1.2.643.5.1.13.13.11.1005_2.27.csv';

describe('ICD-10 import', () => {
  it('writes the chunks and the edition, with progress, and finds nothing to write the second time', async () => {
    const store = new MemoryReferenceStore();
    const progress: ImportProgress[] = [];
    const result = await importIcd10(store, { name: FILE_NAME, text: FIRST }, 'admin', (step) => progress.push(step));
    assert.equal(result.version, '2.27');
    assert.equal(result.codes, 5);
    const chunks = (await store.list('diagnosis-chunk:')).filter(isDiagnosisChunk);
    assert.sameMembers(
      chunks.map((chunk) => chunk._id),
      ['diagnosis-chunk:C', 'diagnosis-chunk:J', 'diagnosis-chunk:classes'],
    );
    assert.isTrue(isDiagnosisMeta(store.docs.get('diagnosis-meta:icd10')));
    assert.deepEqual(progress.at(-1), { written: 4, total: 4 });

    const again = await importIcd10(store, { name: FILE_NAME, text: FIRST }, 'admin', () => undefined);
    assert.equal(again.written, 0);
    assert.equal(store.docs.get('diagnosis-meta:icd10')?._rev?.split('-')[0], '2');
  });

  it('keeps codes a new edition dropped, as not in force', async () => {
    const store = new MemoryReferenceStore();
    await importIcd10(store, { name: FILE_NAME, text: FIRST }, 'admin', () => undefined);
    const second = FIRST.split('\n').slice(0, -1).join('\n');
    const result = await importIcd10(store, { name: FILE_NAME, text: second }, 'admin', () => undefined);
    assert.equal(result.retired, 1);
    const j = store.docs.get('diagnosis-chunk:J');
    assert.isTrue(isDiagnosisChunk(j) && j.entries[0]?.actual === false);
  });
});
