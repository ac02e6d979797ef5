import { assert, html } from '@open-wc/testing';
import './rp-sync-indicator.ts';
import type { RpSyncIndicator } from './rp-sync-indicator.ts';
import { createTestServices } from '../../test-support/test-services.ts';
import { renderWith, shadowText, until } from '../../test-support/render.ts';
import {
  createAccount,
  createTestFacility,
  testDistrict,
  writeReferenceDocument,
} from '../../test-support/test-register.ts';
import PouchDB from 'pouchdb-browser/lib/index.es.js';
import { visit, withFreshId } from '../../../common/records/test-fixtures.ts';
import { MemoryRecords } from '../../records/testing/memory-records.ts';
import { localFacilityDatabaseName } from '../../records/local-databases.ts';

describe('rp-sync-indicator', () => {
  it('follows the replication: waiting changes, up to date, offline since a time, error', async () => {
    const since = new Date(2026, 0, 15, 9, 5).getTime();
    const services = createTestServices({ now: () => since, replication: 'scripted' });
    const indicator = await renderWith<RpSyncIndicator>(
      services,
      html`<rp-sync-indicator></rp-sync-indicator>`,
      'rp-sync-indicator',
    );
    assert.deepEqual(shadowText(indicator), 'Синхронизация не запущена');

    services.sync.start('nurse');
    const replication = services.replications[0];
    if (!replication) throw new Error('no replication was opened');
    replication.emit('change', { pending: 5 });
    await indicator.updateComplete;
    assert.deepEqual(shadowText(indicator), 'Ожидают 5 изменений');

    replication.emit('paused');
    await indicator.updateComplete;
    assert.deepEqual(shadowText(indicator), 'Данные актуальны');

    replication.emit('requestError', new TypeError('Failed to fetch'));
    await indicator.updateComplete;
    assert.deepEqual(shadowText(indicator), 'Нет сети с 09:05');

    services.i18n.setLocale('en');
    await indicator.updateComplete;
    assert.deepEqual(shadowText(indicator), 'Offline since 09:05');

    replication.emit('requestError', { status: 403 });
    await indicator.updateComplete;
    assert.deepEqual(shadowText(indicator), 'Sync error');
  });

  it('says the data is up to date once the real replication has pulled the reference books', async () => {
    await writeReferenceDocument(testDistrict('Заводский район'));
    const nurse = await createAccount({
      name: 'nurse',
      password: 'correct horse battery',
      roles: ['nurse'],
      displayName: 'Анна',
    });
    const services = createTestServices();
    const indicator = await renderWith<RpSyncIndicator>(
      services,
      html`<rp-sync-indicator></rp-sync-indicator>`,
      'rp-sync-indicator',
    );
    await services.session.start();
    await services.session.login(nurse.name, nurse.password);
    await until(() => shadowText(indicator) === 'Данные актуальны');
  });

  it('counts the facilities in: refused writes first, and links to the synchronisation page', async () => {
    const facilityId = await createTestFacility('ind');
    const nurse = await createAccount({
      name: 'nina',
      password: 'correct horse battery',
      roles: ['nurse', `facility:${facilityId}`],
      displayName: 'Нина',
    });
    const services = createTestServices({ facilities: true, createRecords: () => new MemoryRecords({ facilityId }) });
    await services.session.start();
    await services.session.login(nurse.name, nurse.password);
    const indicator = await renderWith<RpSyncIndicator>(
      services,
      html`<rp-sync-indicator></rp-sync-indicator>`,
      'rp-sync-indicator',
    );
    await until(() => services.facilities.syncs.length === 1);
    const sync = services.facilities.syncs[0];
    if (!sync) throw new Error('no facility sync');
    await sync.syncNow();
    await until(() => shadowText(indicator) === 'Данные актуальны');
    assert.equal(indicator.shadowRoot?.querySelector('a')?.getAttribute('href'), '/sync');

    // A document the design document refuses (pain 11): kept on the device and counted here.
    const local = new PouchDB(localFacilityDatabaseName(facilityId, nurse.name));
    const doc = withFreshId(visit()) as unknown as Record<string, unknown> & { _id: string };
    await local.put({
      ...doc,
      pain: 11,
      performer: nurse.name,
      createdBy: nurse.name,
      note: { ...(doc.note as object), kid: `${facilityId}:1` },
    });
    await sync.syncNow();
    await until(() => shadowText(indicator) === 'Сервер не принял изменений: 1');
  });
});
