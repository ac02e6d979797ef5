/**
 * The summary report at the scale of the "Scale" issue — 20 facilities, 100,000 patients, about a million
 * prescriptions — on the embedded store, through the register's own report code (the route's `summaryReportFor`,
 * without the HTTP hop). Prints: the cold report (the cache reading every facility from the start), warm reports,
 * the gateway's heap with the rows held, the report after 1,000 new documents, and the first report after a restart
 * (rows loaded from the cache files, only new changes read).
 *
 * The documents are loaded once into `REPORT_BENCH_DIR` (default /tmp/report-bench-data) straight into the store as
 * its administrator (about 3,000 documents a second: minutes for 1.4 million) and reused by later runs.
 *   node --expose-gc --max-old-space-size=8000 --import tsx bench/report-cache/main.ts \
 *     [patientsPerFacility] [--load-only]
 */
import { existsSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { readConfig } from '../../server/config.ts';
import { startRegister, type RunningRegister } from '../../server/register.ts';
import { provisionFacilityDatabase } from '../../couch/provision.ts';
import { summaryReportFor } from '../../server/reports/routes.ts';
import { reportCacheOf } from '../../server/reports/cache/report-cache.ts';
import { addDays } from '../../server/reports/dates.ts';
import { edgeDice, generateRegister, prescriptionDoc } from '../../server/reports/testing/generated-register.ts';

const perFacility = Number(process.argv.slice(2).find((arg) => /^\d+$/.test(arg)) ?? 5000);
const dataDir = process.env.REPORT_BENCH_DIR ?? '/tmp/report-bench-data';
const facilities = Array.from({ length: 20 }, (_, n) => `bench-${String(n + 1).padStart(2, '0')}`);
const BATCH = 5000;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

async function start(): Promise<RunningRegister> {
  const config = readConfig({
    DATA_DIR: dataDir,
    PORT: '0',
    ADMIN_PASSWORD: 'Strong-Pass-2026!',
    STATIC_DIR: join(dataDir, 'no-static-build'),
  });
  return startRegister(config, (line) => {
    if (line.startsWith('report cache')) console.log(line);
  });
}

interface LevelDatabase {
  bulkDocs(docs: object[]): Promise<{ error?: string }[]>;
  close(): Promise<void>;
}
const require = createRequire(import.meta.url);
const PouchDB = require('pouchdb') as { defaults(options: object): new (name: string) => LevelDatabase };

/**
 * Makes the facilities through the running register (databases, security, design documents, reference entries),
 * then — the register stopped — writes the documents with PouchDB straight into the embedded store's LevelDB
 * databases: through HTTP the store validates every document and takes hours for 1.4 million on a busy machine.
 * The generated documents are the kind the summary report's tests write through the store's validation.
 */
async function load(register: RunningRegister): Promise<{ patients: number; prescriptions: number; visits: number }> {
  for (const id of facilities) {
    await provisionFacilityDatabase(register.store, id);
    await register.store.upsert('reference', `facility:${id}`, () => ({
      _id: `facility:${id}`,
      type: 'facility',
      id,
      name: `Организация ${id}`,
      active: true,
      createdBy: 'admin',
      createdAt: '2023-01-01T00:00:00.000Z',
      updatedBy: 'admin',
      updatedAt: '2023-01-01T00:00:00.000Z',
    }));
  }
  await register.stop();
  const Level = PouchDB.defaults({ prefix: join(dataDir, 'store', 'databases') + '/' });
  const counts = { patients: 0, prescriptions: 0, visits: 0 };
  const started = performance.now();
  let written = 0;
  for (const [index, id] of facilities.entries()) {
    const next = facilities[(index + 1) % facilities.length] ?? id;
    const generated = generateRegister({
      seed: 1000 + index,
      facilities: [id, next],
      patientsPerFacility: perFacility / 2,
      firstDay: '2023-01-01',
      lastDay: '2026-10-31',
      prescriptionsPerPatient: [6, 14],
    });
    for (const [facilityId, docs] of generated.byFacility) {
      const db = new Level(`facility-${facilityId}`);
      for (let at = 0; at < docs.length; at += BATCH) {
        const result = await db.bulkDocs(docs.slice(at, at + BATCH));
        const failed = result.filter((row) => row.error);
        if (failed.length > 0) throw new Error(`refused: ${JSON.stringify(failed[0])}`);
      }
      await db.close();
      written += docs.length;
      for (const doc of docs) counts[`${doc.type}s` as keyof typeof counts] += 1;
    }
    const elapsed = (performance.now() - started) / 1000;
    console.log(`loaded ${index + 1}/20 pairs: ${written} documents, ${(written / elapsed).toFixed(0)} documents/s`);
  }
  return counts;
}

const QUERY = { from: '2026-01-01', to: '2026-06-30', nextDays: '30', format: 'json' };

/** CPU time of the gateway's own thread work in the last timed report (the store is another process). */
let lastCpuMs = 0;

async function timedReport(register: RunningRegister, query: Record<string, string> = QUERY): Promise<number> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  await summaryReportFor(register.store, ['admin'], query);
  const used = process.cpuUsage(cpu);
  lastCpuMs = (used.user + used.system) / 1000;
  return performance.now() - started;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

mkdirSync(dataDir, { recursive: true });
const marker = join(dataDir, 'loaded.json');
let register = await start();
if (!existsSync(marker)) {
  const counts = await load(register);
  writeFileSync(marker, JSON.stringify(counts));
  register = await start();
}
console.log(`data: ${readFileSync(marker, 'utf8')}`);
if (process.argv.includes('--load-only')) {
  await register.stop();
  process.exit(0);
}

// Cold: no saved rows; the register's start-up catch-up is already reading, and the report waits for it.
await register.stop();
rmSync(join(dataDir, 'report-cache'), { recursive: true, force: true });
let started = performance.now();
register = await start();
const cold = await timedReport(register);
console.log(
  `cold report (start + reading every facility): ${seconds(performance.now() - started)} (report ${seconds(cold)})`,
);
const cache = () => reportCacheOf(register.store);
console.log(`cache: ${JSON.stringify(cache()?.stats)}`);

const warm: number[] = [];
for (let run = 0; run < 5; run += 1) warm.push(await timedReport(register));
console.log(`warm, same report: median ${seconds(median(warm))} (${warm.map(seconds).join(', ')})`);
const other: number[] = [];
const cpuOfOther: number[] = [];
for (const [from, to] of [
  ['2025-01-01', '2025-12-31'],
  ['2026-10-01', '2026-10-31'],
  ['2024-03-01', '2024-05-31'],
]) {
  other.push(await timedReport(register, { ...QUERY, from: from ?? '', to: to ?? '' }));
  cpuOfOther.push(lastCpuMs);
}
console.log(
  `warm, other periods (computed, not remembered): ${other.map(seconds).join(', ')}; ` +
    `gateway CPU ${cpuOfOther.map((ms) => seconds(ms)).join(', ')}`,
);
gc();
const memory = process.memoryUsage();
console.log(`gateway after reports: heap used ${mib(memory.heapUsed)}, rss ${mib(memory.rss)}`);

// 1,000 new prescriptions, spread over the facilities, then a report.
// A new seed each run: the same documents again would be refused as conflicts and read by nobody.
const dice = edgeDice(Date.now() % 1_000_000_007);
const counts = cache()?.counts() ?? {};
for (const id of facilities) {
  const docs = Array.from({ length: 50 }, () =>
    prescriptionDoc(dice, id, dice.uuid(), addDays('2026-03-01', dice.int(0, 60))),
  );
  const written = await register.store.expect<{ error?: string }[]>('POST', `/facility-${id}/_bulk_docs`, { docs });
  if (written.body.some((row) => row.error)) throw new Error(`refused: ${JSON.stringify(written.body[0])}`);
}
const before = cache()?.stats.documentsRead ?? 0;
const afterWrites = await timedReport(register);
console.log(
  `report after 1,000 new documents: ${seconds(afterWrites)}, gateway CPU ${seconds(lastCpuMs)} ` +
    `(${(cache()?.stats.documentsRead ?? 0) - before} documents read by it; the rest by the background catch-up)`,
);
const held = Object.values(counts).reduce((sum, facility) => sum + facility.prescriptions, 0);
console.log(`rows held before the writes: ${held} prescriptions`);

// Restart: the saved rows are loaded, nothing is read again from the start.
started = performance.now();
await register.stop();
console.log(`stop (saving the rows): ${seconds(performance.now() - started)}`);
started = performance.now();
register = await start();
const restarted = await timedReport(register);
console.log(
  `first report after a restart: ${seconds(performance.now() - started)} from start (report ${seconds(restarted)}); ` +
    `cache ${JSON.stringify(cache()?.stats)}`,
);
warm.length = 0;
for (let run = 0; run < 3; run += 1) warm.push(await timedReport(register));
console.log(`warm after restart: ${warm.map(seconds).join(', ')}`);
await register.stop();
