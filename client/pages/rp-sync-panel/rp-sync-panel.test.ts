/**
 * The synchronisation panel over a real FacilitySync and the real register: a refused write is listed with the
 * server's reason and can be resent once corrected; two versions of a document are shown side by side and the one
 * chosen is kept.
 */
import { assert, expect, html } from '@open-wc/testing';
import PouchDB from 'pouchdb-browser/lib/index.es.js';
import type { Database } from 'pouchdb-browser/lib/index.es.js';
import { visit, withFreshId } from '../../../common/records/test-fixtures.ts';
import { renderAdmin } from '../../admin/testing/admin-test-context.ts';
import { createTestServices } from '../../test-support/test-services.ts';
import { createAccount, createTestFacility } from '../../test-support/test-register.ts';
import { until } from '../../test-support/render.ts';
import { FacilitySync } from '../../sync/facility-sync.ts';
import type { RpSyncPanel } from './rp-sync-panel.ts';
import './rp-sync-panel.ts';

const opened: Database[] = [];

afterEach(async () => {
  for (const db of opened.splice(0)) await db.destroy().catch(() => undefined);
});

async function setUp() {
  const facilityId = await createTestFacility('panel');
  const nurse = await createAccount({
    name: 'nina',
    password: 'correct horse battery',
    roles: ['nurse', `facility:${facilityId}`],
    displayName: 'Нина',
  });
  const services = createTestServices();
  await services.session.start();
  await services.session.login(nurse.name, nurse.password);
  const remote = new PouchDB(`${location.origin}/db/facility-${facilityId}`, { skip_setup: true });
  const open = (name: string) => {
    const local = new PouchDB(`${name}-${facilityId}-${nurse.name}`);
    opened.push(local);
    return { local, sync: new FacilitySync({ facilityId, login: nurse.name, local, remote }) };
  };
  const doc = (): Record<string, unknown> & { _id: string } => {
    const fixture = withFreshId(visit()) as unknown as Record<string, unknown> & { _id: string };
    return {
      ...fixture,
      performer: nurse.name,
      createdBy: nurse.name,
      note: { ...(fixture.note as object), kid: `${facilityId}:1` },
    };
  };
  return { facilityId, nurse, open, doc };
}

function text(panel: RpSyncPanel): string {
  return panel.shadowRoot?.textContent?.replace(/\s+/g, ' ') ?? '';
}

function button(panel: RpSyncPanel, label: string): HTMLButtonElement {
  const found = [...(panel.shadowRoot?.querySelectorAll('button') ?? [])].find(
    (candidate) => candidate.textContent?.trim() === label || candidate.getAttribute('aria-label') === label,
  );
  if (!found) throw new Error(`no button «${label}»`);
  return found;
}

describe('rp-sync-panel', () => {
  it('lists a refused write with the reason, keeps it, and resends it once corrected', async () => {
    const { facilityId, nurse, open, doc } = await setUp();
    const { local, sync } = open('panel');
    const bad = { ...doc(), pain: 11 };
    await local.put(bad);
    await sync.syncNow();
    const panel = await renderAdmin<RpSyncPanel>(
      html`<rp-sync-panel .syncs=${[sync]} .names=${{ [facilityId]: 'Хоспис' }}></rp-sync-panel>`,
      'rp-sync-panel',
    );
    assert.include(text(panel), 'Сервер не принял изменений: 1');
    assert.include(text(panel), bad._id);
    assert.include(text(panel), 'pain');
    await expect(panel).to.be.accessible();

    const stored = await local.get(bad._id);
    await local.put({ ...stored, pain: 4, updatedBy: nurse.name, updatedAt: new Date().toISOString() });
    button(panel, `Отправить снова: ${bad._id}`).click();
    await until(() => sync.state.refused.length === 0 && !text(panel).includes('Сервер не принял'));
    assert.include(text(panel), 'Данные актуальны');
  });

  it('shows two versions side by side and keeps the one chosen', async () => {
    const { facilityId, nurse, open, doc } = await setUp();
    const a = open('panel-a');
    const first = doc();
    await a.local.put(first);
    await a.sync.syncNow();
    const b = open('panel-b');
    await b.sync.syncNow();
    for (const [device, pain] of [
      [a, 2],
      [b, 9],
    ] as const) {
      const current = await device.local.get(first._id);
      await device.local.put({ ...current, pain, updatedBy: nurse.name, updatedAt: new Date().toISOString() });
    }
    await a.sync.syncNow();
    await b.sync.syncNow();
    const panel = await renderAdmin<RpSyncPanel>(
      html`<rp-sync-panel .syncs=${[b.sync]} .names=${{ [facilityId]: 'Хоспис' }}></rp-sync-panel>`,
      'rp-sync-panel',
    );
    button(panel, `Сравнить: ${first._id}`).click();
    await until(() => panel.shadowRoot?.querySelector('table.versions') !== null);
    await panel.updateComplete;
    const painRow = [...(panel.shadowRoot?.querySelectorAll('table.versions tr') ?? [])].find(
      (row) => row.querySelector('th')?.textContent === 'pain',
    );
    assert.equal(painRow?.className, 'differs');
    const values = [...(painRow?.querySelectorAll('td') ?? [])].map((cell) => cell.textContent);
    assert.sameMembers(values, ['2', '9']);
    await expect(panel).to.be.accessible();

    const keepNine = values.indexOf('9') + 1;
    button(panel, `Оставить версию ${keepNine}`).click();
    await until(
      () => b.sync.state.conflicts.length === 0 && panel.shadowRoot?.querySelector('table.versions') === null,
    );
    assert.equal((await b.local.get(first._id)).pain, 9);
  });
});
