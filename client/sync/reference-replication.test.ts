import { assert } from '@open-wc/testing';
import PouchDB from 'pouchdb-browser/lib/index.es.js';
import { referenceDatabaseName } from './reference-replication.ts';
import { createTestServices } from '../test-support/test-services.ts';
import { createAccount, testDistrict, writeReferenceDocument } from '../test-support/test-register.ts';
import { until } from '../test-support/render.ts';

const PASSWORD = 'correct horse battery';

describe('reference replication', () => {
  it('pulls the reference books from the register into this user’s own IndexedDB database', async () => {
    const district = testDistrict('Центральный район');
    await writeReferenceDocument(district);
    const nurse = await createAccount({ name: 'nurse', password: PASSWORD, roles: ['nurse'], displayName: 'Анна' });
    const services = createTestServices();
    await services.session.start();
    await services.session.login(nurse.name, PASSWORD);
    await until(() => services.sync.state.kind === 'up-to-date');

    const local = new PouchDB(referenceDatabaseName(nurse.name));
    try {
      const pulled = await local.get(district._id);
      assert.deepEqual(pulled.name, 'Центральный район');
      assert.deepEqual(pulled.type, 'district');
    } finally {
      await local.close();
    }
  });

  it('shows a refusal when the account may not read the reference books', async () => {
    const stranger = await createAccount({ name: 'nobody', password: PASSWORD, roles: [], displayName: 'Никто' });
    const services = createTestServices();
    await services.session.start();
    await services.session.login(stranger.name, PASSWORD);
    await until(() => services.sync.state.kind === 'error');
    assert.deepEqual(services.sync.state, { kind: 'error', reason: 'refused' });
  });
});
