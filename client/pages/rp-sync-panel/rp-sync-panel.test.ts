/**
 * The synchronisation panel over a real FacilitySync and the real register: a refused write is listed with the
 * server's reason and can be resent once corrected; two versions of a document are shown side by side under the
 * forms' labels, with names from the real reference replica, and the one chosen is kept — or a merge of both,
 * checked by the shared validation first, with every losing revision copied into the audit trail.
 */
import { assert, expect, html } from '@open-wc/testing';
import PouchDB from 'pouchdb-browser/lib/index.es.js';
import type { Database } from 'pouchdb-browser/lib/index.es.js';
import { patientRecord, prescription, visit, withFreshId } from '../../../common/records/test-fixtures.ts';
import { renderAdmin } from '../../admin/testing/admin-test-context.ts';
import { createTestServices } from '../../test-support/test-services.ts';
import { createAccount, createTestFacility } from '../../test-support/test-register.ts';
import { until } from '../../test-support/render.ts';
import { FacilitySync } from '../../sync/facility-sync.ts';
import { referenceDatabaseName } from '../../sync/reference-replication.ts';
import { LocalReferenceStore } from '../../records/local-reference-store.ts';
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

type Doc = Record<string, unknown> & { _id: string };

/**
 * Two offline edits of `base` on one device's replica, as replication leaves them: revision 1 and two children of
 * it (`first`, `second`), both leaves. Revision ids are hex, as the store writes them.
 */
async function twoEdits(local: Database, base: Doc, first: Doc, second: Doc): Promise<void> {
  await local.bulkDocs(
    [
      { ...base, _rev: '1-0000aaaa', _revisions: { start: 1, ids: ['0000aaaa'] } },
      { ...first, _rev: '2-1111bbbb', _revisions: { start: 2, ids: ['1111bbbb', '0000aaaa'] } },
      { ...second, _rev: '2-2222cccc', _revisions: { start: 2, ids: ['2222cccc', '0000aaaa'] } },
    ],
    { new_edits: false },
  );
}

/** A doctor's device with a conflict-free replica of a new facility and the real reference replica. */
async function doctorDevice() {
  const facilityId = await createTestFacility('merge');
  const doctor = await createAccount({
    name: 'olga',
    password: 'correct horse battery',
    roles: ['doctor', `facility:${facilityId}`],
    displayName: 'Ольга',
  });
  const services = createTestServices();
  await services.session.start();
  await services.session.login(doctor.name, doctor.password);
  const remote = new PouchDB(`${location.origin}/db/facility-${facilityId}`, { skip_setup: true });
  const local = new PouchDB(`merge-${facilityId}-${doctor.name}`);
  const referenceReplica = new PouchDB(referenceDatabaseName(doctor.name));
  opened.push(local, referenceReplica);
  await referenceReplica.replicate.from(new PouchDB(`${location.origin}/db/reference`, { skip_setup: true }));
  const sync = new FacilitySync({ facilityId, login: doctor.name, local, remote });
  return { facilityId, doctor, local, sync, reference: new LocalReferenceStore(doctor.name) };
}

function row(panel: RpSyncPanel, field: string): HTMLTableRowElement {
  const found = panel.shadowRoot?.querySelector<HTMLTableRowElement>(`tr[data-field="${field}"]`);
  if (!found) throw new Error(`no row for ${field}`);
  return found;
}

function cells(panel: RpSyncPanel, field: string): string[] {
  return [...row(panel, field).querySelectorAll('td .value')].map(
    (cell) => cell.textContent?.replace(/\s+/g, ' ').trim() ?? '',
  );
}

/** Chooses, in the row of `field`, the version whose cell reads `value`. */
function take(panel: RpSyncPanel, field: string, value: string): void {
  const index = cells(panel, field).indexOf(value);
  const radio = row(panel, field).querySelectorAll<HTMLInputElement>('td input[type="radio"]')[index];
  if (!radio) throw new Error(`no choice «${value}» for ${field}`);
  radio.click();
}

async function auditOf(local: Database): Promise<Record<string, unknown>[]> {
  const { rows } = await local.allDocs({ include_docs: true, startkey: 'audit:', endkey: 'audit:\ufff0' });
  return rows.map((entry) => entry.doc as Record<string, unknown>);
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
      (row) => row.getAttribute('data-field') === 'pain',
    );
    assert.equal(painRow?.className, 'differs');
    assert.equal(painRow?.querySelector('th')?.textContent?.trim(), 'Боль по ЦРШ (0–10)');
    const values = [...(painRow?.querySelectorAll('td') ?? [])].map(
      (cell) => cell.querySelector('.value')?.textContent?.trim() ?? '',
    );
    assert.sameMembers(values, ['2', '9']);
    await expect(panel).to.be.accessible();

    const keepNine = values.indexOf('9') + 1;
    button(panel, `Оставить версию ${keepNine}`).click();
    await until(
      () => b.sync.state.conflicts.length === 0 && panel.shadowRoot?.querySelector('table.versions') === null,
    );
    assert.equal((await b.local.get(first._id)).pain, 9);
  });
  it('merges two visits field by field, keeping the losing version in the audit trail', async () => {
    const { facilityId, nurse, open, doc } = await setUp();
    const { local, sync } = open('merge-visit');
    const base = { ...doc(), pain: 5, ecog: 2 };
    await twoEdits(local, base, { ...base, pain: 2, ecog: 1 }, { ...base, pain: 9, ecog: 3 });
    await sync.syncNow();
    assert.deepEqual(sync.state.conflicts, [base._id]);
    const panel = await renderAdmin<RpSyncPanel>(
      html`<rp-sync-panel .syncs=${[sync]} .names=${{ [facilityId]: 'Хоспис' }} .login=${nurse.name}></rp-sync-panel>`,
      'rp-sync-panel',
    );
    button(panel, `Сравнить: ${base._id}`).click();
    await until(() => panel.shadowRoot?.querySelector('table.versions') !== null);
    await panel.updateComplete;
    assert.equal(row(panel, 'ecog').querySelector('th')?.textContent?.trim(), 'ECOG (0–4)');
    assert.sameMembers(cells(panel, 'note'), ['зашифровано', 'зашифровано'], 'a sealed note is named, not shown');
    assert.deepEqual(cells(panel, 'visitType'), ['на дому', 'на дому']);
    assert.notInclude(text(panel), 'kid');
    await expect(panel).to.be.accessible();

    take(panel, 'pain', '9');
    take(panel, 'ecog', '1');
    await panel.updateComplete;
    button(panel, 'Сохранить объединённую версию').click();
    await until(() => sync.state.conflicts.length === 0 && panel.shadowRoot?.querySelector('table.versions') === null);
    const merged = await local.get(base._id, { conflicts: true });
    assert.include(merged, { pain: 9, ecog: 1, updatedBy: nurse.name });
    assert.notProperty(merged, '_conflicts');
    const resolved = (await auditOf(local)).filter((event) => event.action === 'conflict-resolved');
    assert.equal(resolved.length, 1);
    assert.equal(resolved[0]?.docId, base._id);
    assert.include(resolved[0]?.losing as object, { _id: base._id });
    assert.equal(sync.state.refused.length, 0, 'the server took the merged version and the audit event');
  });

  it('names codes from the reference replica and shows dated histories as lines', async () => {
    const { facilityId, doctor, local, sync, reference } = await doctorDevice();
    const record = patientRecord();
    const base: Doc = {
      ...record,
      _id: `patient:${crypto.randomUUID()}`,
      createdBy: doctor.name,
      diagnoses: [{ code: 'C34', role: 'main', since: '2026-05-10' }],
    };
    const first: Doc = {
      ...base,
      careSettingHistory: [
        { from: '2026-11-01', setting: 'home' },
        { from: '2026-11-20', setting: 'hospice' },
      ],
    };
    const second: Doc = {
      ...base,
      diagnoses: [...(base.diagnoses as object[]), { code: 'C78', role: 'complication' }],
    };
    await twoEdits(local, base, first, second);
    await sync.syncNow();
    const panel = await renderAdmin<RpSyncPanel>(
      html`<rp-sync-panel
        .syncs=${[sync]}
        .names=${{ [facilityId]: 'ЦРБ' }}
        .reference=${reference}
        .login=${doctor.name}
      ></rp-sync-panel>`,
      'rp-sync-panel',
    );
    button(panel, `Сравнить: ${base._id}`).click();
    await until(() => panel.shadowRoot?.querySelector('table.versions') !== null);
    await panel.updateComplete;
    assert.equal(row(panel, 'districtId').querySelector('th')?.textContent?.trim(), 'Район');
    assert.include(cells(panel, 'districtId')[0], 'Петрозаводский городской округ');
    assert.include(
      cells(panel, 'diagnoses').join(' | '),
      'C34 Злокачественное новообразование бронхов и легкого — основной — с 10.05.2026',
    );
    assert.include(cells(panel, 'diagnoses').join(' | '), 'C78 Вторичное злокачественное новообразование');
    const settings = [...row(panel, 'careSettingHistory').querySelectorAll('td')].map((cell) =>
      [...cell.querySelectorAll('li')].map((line) => line.textContent?.trim()),
    );
    assert.deepInclude(settings, ['01.11.2026 — на дому', '20.11.2026 — хоспис']);
    assert.include(cells(panel, 'statusHistory')[0], '— в регистре');
    assert.equal(row(panel, 'careSettingHistory').className, 'differs');
    await expect(panel).to.be.accessible();

    // Both changes kept: the care setting of one version, the diagnoses of the other.
    const withHospice = cells(panel, 'careSettingHistory').findIndex((value) => value.includes('хоспис'));
    row(panel, 'careSettingHistory').querySelectorAll<HTMLInputElement>('input[type="radio"]')[withHospice]?.click();
    const withC78 = cells(panel, 'diagnoses').findIndex((value) => value.includes('C78'));
    row(panel, 'diagnoses').querySelectorAll<HTMLInputElement>('input[type="radio"]')[withC78]?.click();
    await panel.updateComplete;
    button(panel, 'Сохранить объединённую версию').click();
    await until(() => sync.state.conflicts.length === 0);
    const merged = await local.get(base._id);
    assert.equal((merged.careSettingHistory as unknown[]).length, 2);
    assert.equal((merged.diagnoses as unknown[]).length, 2);
  });

  it('refuses a merge the store would refuse, next to the field, and writes nothing until it is corrected', async () => {
    const { facilityId, doctor, local, sync, reference } = await doctorDevice();
    const fixture = prescription();
    const base: Doc = {
      ...fixture,
      _id: `prescription:${crypto.randomUUID()}:${crypto.randomUUID()}`,
      medicamentId: 'medicament:morphine-tablets-10mg',
      prescriber: doctor.name,
      createdBy: doctor.name,
      number: { ...(fixture.number as object), kid: `${facilityId}:1` },
    };
    const asNeeded: Doc = { ...base, regimen: 'as-needed', maxDailyDose: 60 };
    const longer: Doc = { ...base, end: '2027-01-19' };
    await twoEdits(local, base, asNeeded, longer);
    await sync.syncNow();
    const panel = await renderAdmin<RpSyncPanel>(
      html`<rp-sync-panel
        .syncs=${[sync]}
        .names=${{ [facilityId]: 'ЦРБ' }}
        .reference=${reference}
        .login=${doctor.name}
      ></rp-sync-panel>`,
      'rp-sync-panel',
    );
    button(panel, `Сравнить: ${base._id}`).click();
    await until(() => panel.shadowRoot?.querySelector('table.versions') !== null);
    await panel.updateComplete;
    assert.include(cells(panel, 'medicamentId')[0], 'Морфин');
    assert.sameMembers(cells(panel, 'regimen'), ['по требованию', 'регулярно']);
    assert.sameMembers(cells(panel, 'end'), ['19.12.2026', '19.01.2027']);

    take(panel, 'regimen', 'по требованию');
    take(panel, 'maxDailyDose', '—');
    take(panel, 'end', '19.01.2027');
    await panel.updateComplete;
    button(panel, 'Сохранить объединённую версию').click();
    await until(() => panel.shadowRoot?.querySelector('#merge-maxDailyDose-error') !== null);
    assert.include(
      panel.shadowRoot?.querySelector('#merge-maxDailyDose-error')?.textContent,
      'Для приёма по требованию укажите максимальную суточную дозу.',
    );
    const radio = row(panel, 'maxDailyDose').querySelector('input[type="radio"]');
    assert.equal(radio?.getAttribute('aria-describedby'), 'merge-maxDailyDose-error');
    assert.include(text(panel), 'Объединённая версия не сохранена');
    assert.deepEqual(sync.state.conflicts, [base._id], 'nothing was written');
    assert.lengthOf(await auditOf(local), 0);
    await expect(panel).to.be.accessible();

    take(panel, 'maxDailyDose', '60');
    await panel.updateComplete;
    button(panel, 'Сохранить объединённую версию').click();
    await until(() => sync.state.conflicts.length === 0);
    assert.include(await local.get(base._id), { regimen: 'as-needed', maxDailyDose: 60, end: '2027-01-19' });
    assert.lengthOf(await auditOf(local), 1);
  });

  it('keeps a passport pick-only', async () => {
    const { facilityId, nurse, open } = await setUp();
    const { local, sync } = open('merge-passport');
    const envelope = { v: 1, kid: `${facilityId}:1`, iv: 'AAECAwQFBgcICQoL' };
    const base: Doc = { _id: `passport:${crypto.randomUUID()}`, type: 'passport', ...envelope, ct: 'YWFhYQ' };
    await twoEdits(local, base, { ...base, ct: 'YmJiYg' }, { ...base, ct: 'Y2NjYw' });
    await sync.syncNow();
    const panel = await renderAdmin<RpSyncPanel>(
      html`<rp-sync-panel .syncs=${[sync]} .names=${{ [facilityId]: 'Хоспис' }} .login=${nurse.name}></rp-sync-panel>`,
      'rp-sync-panel',
    );
    button(panel, `Сравнить: ${base._id}`).click();
    await until(() => panel.shadowRoot?.querySelector('table.versions') !== null);
    await panel.updateComplete;
    assert.isNull(panel.shadowRoot?.querySelector('table.versions input[type="radio"]'));
    assert.notInclude(text(panel), 'Сохранить объединённую версию');
    assert.include(text(panel), 'Оставить версию 2');
  });
});
