/**
 * The summary report's cache (server/reports/cache/) against the real register: a report asked for right after a
 * write includes it; a changed, cancelled, deleted or transferred document replaces its old row; a facility database
 * made after start-up is reported; a restart loads the saved rows instead of reading the databases again, and a
 * damaged or outdated file, or one saved before the store was restored, is read again rather than trusted; neither
 * memory nor the file holds a passport or a sealed field. Documents are written as the store's administrator, as a
 * device's replication would leave them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PatientRecord, Prescription, SealedDocument, Visit } from '../../common/records/types.ts';
import type { SummaryReport } from '../../server/reports/build-report.ts';
import { cacheFilePath } from '../../server/reports/cache/cache-file.ts';
import { reportCacheOf, type ReportCache } from '../../server/reports/cache/report-cache.ts';
import { SETTINGS_DB } from '../../couch/databases.ts';
import { STORE_GENERATION_ID } from '../../server/store-generation.ts';
import { startTestRegister, stopTestRegister, type TestRegister } from '../helpers/start-register.ts';
import { createFacility, firstAdmin, logIn, type Session } from '../helpers/users.ts';

const SOURCE = 'cache-a';
const TARGET = 'cache-b';
const LATE = 'cache-late';
const PERIOD = 'from=2026-01-01&to=2026-06-30&nextDays=30';
const NAME_CIPHERTEXT = Buffer.from('Иванова Мария Петровна, СНИЛС 112-233-445 95').toString('base64');
const IV = 'ZmFjaWxpdHktaXYx';

const A = '00000000-0000-4000-a000-0000000000a1';
const B = '00000000-0000-4000-a000-0000000000b2';

let register: TestRegister;
let admin: Session;

function sealed(facilityId: string): SealedDocument {
  return { v: 1, kid: `${facilityId}:1`, iv: IV, ct: NAME_CIPHERTEXT };
}

function patient(id: string, inclusionDate: string, change: Partial<PatientRecord> = {}): PatientRecord {
  return {
    _id: `patient:${id}`,
    type: 'patient',
    sex: 'female',
    birthYear: 1950,
    districtId: 'district:petrozavodsk',
    diseaseGroup: 'cancer',
    diagnoses: [{ code: 'C34.1', role: 'main' }],
    eligibility: 'incurable-cancer',
    inclusionDate,
    statusHistory: [{ from: inclusionDate, status: 'active' }],
    careSettingHistory: [{ from: inclusionDate, setting: 'home' }],
    needsHistory: [{ from: inclusionDate, needs: { 'respiratory-support': { needed: true, met: false } } }],
    caregiver: 'available',
    createdBy: 'olga',
    createdAt: `${inclusionDate}T09:00:00.000Z`,
    ...change,
  };
}

function prescription(patientId: string, n: number, fields: Partial<Prescription> = {}): Prescription {
  return {
    _id: `prescription:${patientId}:00000000-0000-4000-a000-00000000000${n}`,
    type: 'prescription',
    medicamentId: 'medicament:morphine-tablets-10mg',
    dose: 10,
    doseUnit: 'mg',
    route: 'oral',
    timesPerDay: 3,
    regimen: 'regular',
    start: '2026-02-01',
    prescriptionForm: '107/у-НП',
    prescriber: 'olga',
    status: 'active',
    createdBy: 'olga',
    createdAt: '2026-02-01T10:00:00.000Z',
    ...fields,
  };
}

function homeVisit(patientId: string, date: string): Visit {
  return {
    _id: `visit:${patientId}:00000000-0000-4000-a000-000000000001`,
    type: 'visit',
    date,
    visitType: 'home',
    performer: 'nina',
    performerRole: 'nurse',
    syndromes: [],
    needsNoticed: [],
    createdBy: 'nina',
    createdAt: `${date}T12:00:00.000Z`,
  };
}

async function addFacility(id: string): Promise<void> {
  await createFacility(register, id);
  await register.store.upsert('reference', `facility:${id}`, () => ({
    _id: `facility:${id}`,
    type: 'facility',
    id,
    name: id,
    active: true,
    createdBy: 'admin',
    createdAt: '2024-01-01T00:00:00.000Z',
    updatedBy: 'admin',
    updatedAt: '2024-01-01T00:00:00.000Z',
  }));
}

/** Writes (or overwrites) a document as the store's administrator. */
async function put<T extends { _id: string }>(facilityId: string, doc: T): Promise<void> {
  await register.store.upsert(`facility-${facilityId}`, doc._id, () => doc);
}

async function remove(facilityId: string, id: string): Promise<void> {
  const current = await register.store.getDoc<{ _rev: string }>(`facility-${facilityId}`, id);
  await register.store.expect(
    'DELETE',
    `/facility-${facilityId}/${encodeURIComponent(id)}?rev=${current?._rev}`,
    undefined,
  );
}

async function report(facilities: string[]): Promise<SummaryReport> {
  const response = await admin.get(`/api/reports/summary?${PERIOD}&facilities=${facilities.join(',')}`);
  expect(response.status, response.text).toBe(200);
  return response.json as SummaryReport;
}

/** A figure of a report: the column of a facility, or the total. */
function figure(summary: SummaryReport, key: string, column = 0): number | null | undefined {
  const line = summary.sections.flatMap((section) => section.lines).find((candidate) => candidate.key === key);
  return line?.cells[column]?.value;
}

function cache(): ReportCache {
  const found = reportCacheOf(register.store);
  if (!found) throw new Error('the register started no report cache');
  return found;
}

async function restart(): Promise<void> {
  await register.stop();
  register = await startTestRegister({}, register.dataDir);
  admin = await logIn(register, await firstAdmin(register));
}

beforeAll(async () => {
  register = await startTestRegister();
  await addFacility(SOURCE);
  admin = await logIn(register, await firstAdmin(register));
});

afterAll(async () => {
  await stopTestRegister(register);
});

describe('the report cache', () => {
  it('includes a write in a report asked for right after it', async () => {
    await put(SOURCE, patient(A, '2026-01-10'));
    expect(figure(await report([SOURCE]), 'registered')).toBe(1);
    await put(SOURCE, patient(B, '2026-01-20', { sex: 'male' }));
    const summary = await report([SOURCE]);
    expect(figure(summary, 'registered')).toBe(2);
    expect(figure(summary, 'sex:male')).toBe(1);
  });

  it('replaces the row of a record whose status history changed', async () => {
    const died = patient(A, '2026-01-10', {
      statusHistory: [
        { from: '2026-01-10', status: 'active' },
        { from: '2026-03-01', status: 'deceased', death: { date: '2026-03-01', place: 'home' } },
      ],
    });
    await put(SOURCE, died);
    const summary = await report([SOURCE]);
    expect(figure(summary, 'registered')).toBe(1);
    expect(figure(summary, 'deaths')).toBe(1);
    expect(figure(summary, 'death:home')).toBe(1);
  });

  it('replaces a prescription that was cancelled', async () => {
    await put(SOURCE, prescription(B, 1));
    // 2026-02-01 … 2026-06-30: 150 days of 30 mg.
    expect(figure(await report([SOURCE]), 'ome-regular')).toBe(4500);
    await put(
      SOURCE,
      prescription(B, 1, {
        status: 'cancelled',
        cancellation: { at: '2026-02-11T15:30:00.000Z', by: 'olga', reason: sealed(SOURCE) },
      }),
    );
    const summary = await report([SOURCE]);
    expect(figure(summary, 'ome-regular')).toBe(300);
    expect(figure(summary, 'opioid-end')).toBe(0);
  });

  it('drops the row of a deleted document', async () => {
    await put(SOURCE, homeVisit(B, '2026-02-05'));
    expect(figure(await report([SOURCE]), 'home-visits')).toBe(1);
    await remove(SOURCE, homeVisit(B, '2026-02-05')._id);
    expect(figure(await report([SOURCE]), 'home-visits')).toBe(0);
  });

  it('reports a facility database made after start-up, and counts a transferred patient once', async () => {
    await addFacility(TARGET);
    await put(SOURCE, prescription(B, 2, { start: '2026-03-01' }));
    const before = patient(B, '2026-01-20', { sex: 'male' });
    await put(TARGET, {
      ...before,
      statusHistory: [{ from: '2026-04-01', status: 'active' }],
      careSettingHistory: [{ from: '2026-04-01', setting: 'home' }],
    });
    await put(TARGET, prescription(B, 2, { start: '2026-03-01' }));
    await put(SOURCE, {
      ...before,
      statusHistory: [
        { from: '2026-01-20', status: 'active' },
        { from: '2026-04-01', status: 'transferred', transferredTo: TARGET },
      ],
    });
    const summary = await report([SOURCE, TARGET]);
    expect([0, 1, 2].map((column) => figure(summary, 'registered', column))).toEqual([0, 1, 1]);
    expect([0, 1, 2].map((column) => figure(summary, 'opioid-strong', column))).toEqual([1, 1, 1]);
    // The copied prescription counts once in the total: 2026-03-01 … 2026-06-30 is 122 days of 30 mg.
    expect(figure(summary, 'ome-regular', 2)).toBe(300 + 3660);

    await addFacility(LATE);
    await put(LATE, patient(A, '2026-05-01'));
    expect(figure(await report([LATE]), 'registered')).toBe(1);
  });

  it('never fetches a passport and holds no sealed field, in memory or on disk', async () => {
    const passport = { _id: 'passport:00000000-0000-4000-a000-0000000000f1', type: 'passport', ...sealed(SOURCE) };
    const read = cache().stats.documentsRead;
    const changes = cache().stats.changesRead;
    await put(SOURCE, passport);
    await put(SOURCE, patient('00000000-0000-4000-a000-0000000000c3', '2026-02-01'));
    expect(figure(await report([SOURCE]), 'registered')).toBe(1);
    expect(cache().stats.changesRead - changes).toBe(2);
    expect(cache().stats.documentsRead - read).toBe(1);
    await restart();
    await report([SOURCE, TARGET, LATE]);
    for (const id of [SOURCE, TARGET, LATE]) {
      const file = readFileSync(cacheFilePath(join(register.dataDir, 'report-cache'), id)).toString('utf8');
      expect(file).toContain('patient:');
      for (const secret of [NAME_CIPHERTEXT, IV, 'passport', '"ct"', '"iv"', 'Иванова', 'cancellation'])
        expect(file, `${id}: ${secret}`).not.toContain(secret);
    }
    const memory = JSON.stringify(cache().counts());
    expect(memory).not.toContain(NAME_CIPHERTEXT);
  });
});

describe('after a restart', () => {
  it('loads the saved rows instead of reading the databases again', async () => {
    const before = await report([SOURCE, TARGET, LATE]);
    await restart();
    const after = await report([SOURCE, TARGET, LATE]);
    expect(after.sections).toEqual(before.sections);
    expect(cache().stats).toMatchObject({ fullReads: 0, filesLoaded: 3, filesRefused: 0, documentsRead: 0 });
    await put(SOURCE, patient('00000000-0000-4000-a000-0000000000d4', '2026-02-01'));
    expect(figure(await report([SOURCE]), 'registered')).toBe(2);
    expect(cache().stats).toMatchObject({ fullReads: 0, documentsRead: 1 });
  });

  it('reads the databases again when the store was restored from another copy since the rows were saved', async () => {
    const before = await report([SOURCE, TARGET]);
    await register.store.upsert<{ _id: string; generation: string }>(SETTINGS_DB, STORE_GENERATION_ID, (doc) => ({
      _id: STORE_GENERATION_ID,
      ...doc,
      generation: 'restored-from-a-backup',
    }));
    await restart();
    const after = await report([SOURCE, TARGET]);
    expect(after.sections).toEqual(before.sections);
    expect(cache().stats).toMatchObject({ filesLoaded: 0 });
    expect(cache().stats.fullReads).toBeGreaterThanOrEqual(2);
    expect(cache().stats.filesRefused).toBeGreaterThanOrEqual(2);
  });

  it.each([
    ['a damaged file', (file: Buffer) => Buffer.concat([file.subarray(0, file.length - 9), Buffer.from('damaged!!')])],
    ['a file cut short', (file: Buffer) => file.subarray(0, Math.floor(file.length / 2))],
    [
      'a file of another format version',
      (file: Buffer) => Buffer.from(file.toString('latin1').replace('"version":1', '"version":0'), 'latin1'),
    ],
    ['a file that is not a cache file', () => Buffer.from('{}\n')],
  ])('reads the database again instead of trusting %s', async (_, spoil) => {
    const before = await report([SOURCE, TARGET]);
    await register.stop();
    const path = cacheFilePath(join(register.dataDir, 'report-cache'), SOURCE);
    writeFileSync(path, spoil(readFileSync(path)));
    register = await startTestRegister({}, register.dataDir);
    admin = await logIn(register, await firstAdmin(register));
    const after = await report([SOURCE, TARGET]);
    expect(after.sections).toEqual(before.sections);
    expect(cache().stats).toMatchObject({ fullReads: 1, filesRefused: 1 });
    expect(cache().stats.filesLoaded).toBeGreaterThanOrEqual(1);
  });
});
