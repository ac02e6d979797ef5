import { assert } from '@open-wc/testing';
import { isStorageFull } from './storage-full.ts';

describe('storage full', () => {
  it('recognises the browser’s QuotaExceededError', () => {
    assert.isTrue(isStorageFull(new DOMException('The quota has been exceeded.', 'QuotaExceededError')));
  });

  it('recognises it as PouchDB’s IndexedDB adapter passes it on, and wrapped by another error', () => {
    const pouch = { status: 500, name: 'indexed_db_went_bad', reason: 'QuotaExceededError', message: 'abort' };
    assert.isTrue(isStorageFull(pouch));
    assert.isTrue(isStorageFull(new Error('the patient was not saved', { cause: pouch })));
  });

  it('recognises a later failure of a PouchDB database closed by an earlier QuotaExceededError', () => {
    const closed = Object.assign(new Error('The database connection is closing.'), {
      reason: new DOMException('The quota has been exceeded.', 'QuotaExceededError'),
    });
    assert.isTrue(isStorageFull(closed));
    assert.isFalse(isStorageFull(Object.assign(new Error('closing'), { reason: new DOMException('x', 'AbortError') })));
  });

  it('does not mistake other failures for a full device', () => {
    for (const error of [
      new DOMException('aborted', 'AbortError'),
      { status: 409, name: 'conflict', reason: 'Document update conflict' },
      new Error('network'),
      null,
      'QuotaExceededError',
    ])
      assert.isFalse(isStorageFull(error));
  });
});
