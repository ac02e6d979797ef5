import { assert } from '@open-wc/testing';
import PouchDB from 'pouchdb-browser/lib/index.es.js';
import { LocalReferenceStore, ReadOnlyReferenceError } from './local-reference-store.ts';
import { starterDocs } from './testing/patient-fixtures.ts';
import { loadPatientReference } from '../pages/rp-patients-section/patient-reference.ts';

describe('local reference store', () => {
  const login = `reader-${crypto.randomUUID().slice(0, 8)}`;
  let store: LocalReferenceStore;

  beforeEach(async () => {
    // What the reference replication leaves on the device: the books as documents of `reference-<login>`.
    const replica = new PouchDB(`reference-${login}`);
    await replica.bulkDocs(starterDocs().map((doc) => ({ ...doc })));
    await replica.close();
    store = new LocalReferenceStore(login);
  });

  afterEach(async () => {
    await store.close();
    await new PouchDB(`reference-${login}`).destroy();
  });

  it('lists the member’s local replica by id prefix, in id order', async () => {
    const districts = (await store.list('district:')) as { _id: string; type: string }[];
    assert.isAbove(districts.length, 10);
    assert.isTrue(districts.every((doc) => doc.type === 'district'));
    assert.deepEqual(
      districts.map((doc) => doc._id),
      districts.map((doc) => doc._id).sort(),
    );
    assert.deepEqual(await store.list('nothing:'), []);
  });

  it('gives the patient pages districts and ICD-10 codes offline', async () => {
    const reference = await loadPatientReference(store);
    assert.equal(reference.districtName('district:petrozavodsk'), 'Петрозаводский городской округ');
    assert.isTrue(reference.lookups.diagnosisExists?.('C34'));
    assert.isFalse(reference.lookups.diagnosisExists?.('C34.9'));
    assert.equal(reference.normaliseCode('с34'), 'C34');
  });

  it('refuses every write', async () => {
    const [district] = starterDocs().filter((doc) => doc.type === 'district');
    if (!district) throw new Error('no district');
    let refused: unknown = null;
    await store.put(district).catch((error: unknown) => (refused = error));
    assert.instanceOf(refused, ReadOnlyReferenceError);
  });
});
