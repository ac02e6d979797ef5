/** Form drafts sealed under muk: they survive a new store object (a reload), never sit in plaintext, and stay bound. */
import { assert } from '@open-wc/testing';
import { importMuk } from '../crypto/muk-keys.ts';
import { DraftStore } from './draft-store.ts';

async function muk(seed: number): Promise<CryptoKey> {
  return importMuk(new Uint8Array(32).fill(seed));
}

describe('draft store', () => {
  afterEach(() => {
    for (const key of Object.keys(localStorage)) if (key.startsWith('rp.draft.')) localStorage.removeItem(key);
  });

  it('keeps a draft sealed and gives it back after a reload', async () => {
    const values = { surname: 'Кузнецова', snils: '112-233-445 95', note: 'живёт с дочерью' };
    await new DraftStore(await muk(1), 'nina').save('patient-form:new', values);
    const stored = localStorage.getItem('rp.draft.nina.patient-form:new') ?? '';
    for (const secret of ['Кузнецова', '112-233-445', 'дочерью']) assert.notInclude(stored, secret);
    assert.deepEqual(await new DraftStore(await muk(1), 'nina').load('patient-form:new'), values);
    assert.deepEqual(new DraftStore(await muk(1), 'nina').names(), ['patient-form:new']);
  });

  it('does not open with another muk, for another member or under another name, and drops what does not open', async () => {
    await new DraftStore(await muk(1), 'nina').save('visit-form:p1', { pain: 4 });
    assert.isNull(await new DraftStore(await muk(2), 'nina').load('visit-form:p1'));
    assert.isNull(localStorage.getItem('rp.draft.nina.visit-form:p1'), 'a draft that does not open is removed');

    await new DraftStore(await muk(1), 'nina').save('visit-form:p1', { pain: 4 });
    const raw = localStorage.getItem('rp.draft.nina.visit-form:p1') ?? '';
    localStorage.setItem('rp.draft.olga.visit-form:p1', raw);
    localStorage.setItem('rp.draft.nina.visit-form:p2', raw);
    assert.isNull(await new DraftStore(await muk(1), 'olga').load('visit-form:p1'));
    assert.isNull(await new DraftStore(await muk(1), 'nina').load('visit-form:p2'));
    assert.deepEqual(await new DraftStore(await muk(1), 'nina').load('visit-form:p1'), { pain: 4 });
  });

  it('discards a draft once the form is saved', async () => {
    const drafts = new DraftStore(await muk(3), 'nina');
    await drafts.save('patient-form:new', { surname: 'А' });
    drafts.discard('patient-form:new');
    assert.isNull(await drafts.load('patient-form:new'));
  });
});
