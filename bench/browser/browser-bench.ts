/**
 * The browser rows of `npm run bench`: Debian's Chromium (playwright-core, never a downloaded browser) against a
 * real register — the gateway and the embedded store as a child process — serving a production build of the app
 * and the benchmark page (bench/browser/page). Every figure is the median of three runs unless its note says
 * otherwise; the browser figures that matter on a tablet are given again under 4× CPU throttling
 * (`Emulation.setCPUThrottlingRate`), the nearest this machine comes to one.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { syntheticQueries } from '../../common/search/synthetic-patients.ts';
import { launchChromium } from '../../test/e2e/browser.ts';
import { readConfig } from '../../server/config.ts';
import { startRegister, type RunningRegister } from '../../server/register.ts';
import { median, percentile, row, type BenchRow } from '../table.ts';
import { makeBenchFacility, type BenchFacility } from './facility-data.ts';
import { appRows, unlockRows } from './app-rows.ts';
import { RUNS, TABLET, benchPage, call, thousands, throttle, throttled } from './page-driver.ts';
import { PULL_BATCH_SIZE } from '../../client/sync/facility-sync.ts';

export interface BrowserBenchOptions {
  quick: boolean;
  /** Groups to run (`load`, `unlock`, `sync`, `open`, `search`); all when empty. */
  only: ReadonlySet<string>;
  log: (line: string) => void;
  /** Where to build the app and the benchmark page. */
  distDir: string;
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`${command} ${args.join(' ')}: exit ${code}`))));
  });
}

/** The production build of the app, and the benchmark page under `/bench/` beside it. */
export async function buildForBench(distDir: string): Promise<void> {
  const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
  await run(npx, ['vite', 'build', '--logLevel', 'warn', '--outDir', distDir, '--emptyOutDir']);
  await run(npx, ['vite', 'build', '--config', 'bench/browser/vite.config.ts', '--outDir', join(distDir, 'bench')]);
}

/** First syncs of `facility` into fresh databases: the app's FacilitySync, and plain pulls with other batch sizes. */
async function syncRows(
  page: Page,
  facility: BenchFacility,
  rate: number,
  compareBatches: boolean,
  batchRuns: number,
  log: (line: string) => void,
  runsWanted = facility.documents > 50_000 ? 1 : RUNS,
): Promise<{ rows: BenchRow[]; dbName: string }> {
  const rows: BenchRow[] = [];
  const size = `${thousands(facility.documents)} documents`;
  const runs: number[] = [];
  let dbName = '';
  for (let i = 0; i < runsWanted; i += 1) {
    const name = `facility-${facility.facilityId}-bench-${rate}-${i}`;
    const result = await call(page, 'firstSync', {
      facilityId: facility.facilityId,
      login: facility.member.login,
      dbName: name,
    });
    if (result.docs !== facility.documents) throw new Error(`synced ${result.docs} of ${facility.documents}`);
    runs.push(result.ms / 1000);
    dbName ||= name;
    log(`  first sync ${size}${throttled(rate)}: ${(result.ms / 1000).toFixed(1)} s`);
  }
  const target = facility.documents === 10_000 ? { limit: 10, kind: 'at-most' as const } : undefined;
  const note = `FacilitySync.syncNow, pull batches of ${thousands(PULL_BATCH_SIZE)}${runsWanted === 1 ? '; one run' : ''}`;
  rows.push(row(`first sync of one facility into a fresh browser${throttled(rate)}`, size, runs, 's', target, note));
  if (compareBatches) {
    const base = runs.length > 0 ? runs : [NaN];
    for (const batchSize of [100, 500, 1000, 2000]) {
      const pulls: number[] = [];
      for (let i = 0; i < batchRuns; i += 1) {
        const result = await call(page, 'firstSync', {
          facilityId: facility.facilityId,
          login: facility.member.login,
          dbName: `facility-${facility.facilityId}-batch-${batchSize}-${i}`,
          batchSize,
        });
        pulls.push(result.ms / 1000);
      }
      const ratio = median(pulls) / median(base);
      rows.push(
        row(
          `replication pull, batch size ${batchSize}`,
          size,
          pulls,
          's',
          undefined,
          `×${ratio.toFixed(2)} of the app's sync${batchRuns === 1 ? '; one run' : ''}`,
        ),
      );
    }
  }
  return { rows, dbName };
}

async function openRows(page: Page, facility: BenchFacility, dbName: string, rate: number): Promise<BenchRow[]> {
  const size = `${thousands(facility.patients)} passports`;
  const limit = facility.patients <= 10_000 ? 1000 : facility.patients <= 50_000 ? 5000 : undefined;
  const target = limit === undefined ? undefined : { limit, kind: 'at-most' as const };
  const base = { facilityId: facility.facilityId, login: facility.member.login, dbName, rawKey: facility.rawKey };
  const full: number[] = [];
  const parts = { read: [] as number[], decrypt: [] as number[], index: [] as number[] };
  for (let i = 0; i < RUNS; i += 1) {
    await call(page, 'dropSnapshot', dbName, facility.member.login);
    const result = await call(page, 'openRecords', { ...base, saveSnapshot: i === RUNS - 1 });
    if (result.report?.source !== 'documents') throw new Error('expected an open from every document');
    full.push(result.ms);
    parts.read.push(result.report.ms.read);
    parts.decrypt.push(result.report.ms.decrypt);
    parts.index.push(result.report.ms.index);
  }
  const fromSnapshot: number[] = [];
  const snapshotParts = { snapshot: [] as number[], restore: [] as number[], index: [] as number[] };
  for (let i = 0; i < RUNS; i += 1) {
    const result = await call(page, 'openRecords', { ...base, saveSnapshot: false });
    if (result.report?.source !== 'snapshot') throw new Error('expected an open from the snapshot');
    fromSnapshot.push(result.ms);
    snapshotParts.snapshot.push(result.report.ms.snapshot);
    snapshotParts.restore.push(result.report.ms.decrypt);
    snapshotParts.index.push(result.report.ms.index);
  }
  const middle = (values: number[]): number => Math.round(median(values));
  const split = `read ${middle(parts.read)} / decrypt ${middle(parts.decrypt)} / index ${middle(parts.index)} ms`;
  const ratio = (middle(full) / middle(fromSnapshot)).toFixed(1);
  return [
    row(`open a facility: decrypt and index, every document${throttled(rate)}`, size, full, 'ms', target, split),
    row(
      `open a facility: from the sealed search snapshot${throttled(rate)}`,
      size,
      fromSnapshot,
      'ms',
      target,
      `×${ratio} faster than every document; read and open the snapshot ${middle(snapshotParts.snapshot)} / ` +
        `restore ${middle(snapshotParts.restore)} / index ${middle(snapshotParts.index)} ms`,
    ),
  ];
}

async function searchRows(page: Page, facility: BenchFacility, dbName: string): Promise<BenchRow[]> {
  const queries = syntheticQueries(facility.entries, 200, 2).map((query) => query.query);
  const base = { facilityId: facility.facilityId, login: facility.member.login, dbName, rawKey: facility.rawKey };
  const p95s: number[] = [];
  let naive: number[] = [];
  let p50 = NaN;
  for (let i = 0; i < RUNS; i += 1) {
    const result = await call(page, 'search', { ...base, queries, naiveQueries: i === 0 ? 3 : 0 });
    p95s.push(percentile(result.times, 0.95));
    if (i === 0) {
      naive = result.naive;
      p50 = percentile(result.times, 0.5);
    }
  }
  const size = `${thousands(facility.patients)} patients`;
  const target = facility.patients >= 50_000 ? { limit: 20, kind: 'at-most' as const } : undefined;
  const naiveMedian = median(naive);
  const p95 = median(p95s);
  return [
    row(
      'patient search (listPatients), p95 over 200 varied queries',
      size,
      p95s,
      'ms',
      target,
      `p50 ${p50.toFixed(2)} ms`,
    ),
    row(
      'patient search, naive: decrypt every passport per query',
      size,
      naive,
      'ms',
      undefined,
      `×${Math.round(naiveMedian / p95)} the index's p95 (3 queries)`,
    ),
  ];
}

/** Facility sizes in patients (two documents each): quick stays at 10,000 documents. */
function facilitySizes(quick: boolean): number[] {
  // BENCH_PATIENTS=10000,50000 measures other sizes (to look at one figure again without the whole run).
  const chosen = (process.env.BENCH_PATIENTS ?? '')
    .split(',')
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
  if (chosen.length > 0) return chosen;
  return quick ? [5_000] : [5_000, 10_000, 25_000, 50_000];
}

/** The register as `npm start` runs it (embedded store as a child process), serving `staticDir`, on fresh data. */
async function startBenchRegister(staticDir: string): Promise<RunningRegister & { dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'register-bench-browser-'));
  const config = readConfig({
    DATA_DIR: dataDir,
    PORT: '0',
    ADMIN_PASSWORD: 'Bench-Admin-Pass-2026!',
    STATIC_DIR: staticDir,
  });
  const logs: string[] = [];
  try {
    const register = await startRegister(config, (line) => logs.push(line));
    return Object.assign(register, { dataDir });
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw new Error(`the register did not start: ${logs.slice(-5).join(' | ')}`, { cause: error });
  }
}

export async function runBrowserBenchmarks(options: BrowserBenchOptions): Promise<BenchRow[]> {
  const { log, only } = options;
  const wants = (group: string): boolean => only.size === 0 || only.has(group);
  const distDir = resolve(options.distDir);
  if (process.env.BENCH_REUSE_BUILD === '1' && existsSync(join(distDir, 'bench', 'index.html'))) {
    log(`reusing the build in ${distDir} (BENCH_REUSE_BUILD=1)`);
  } else {
    log(`building the app and the benchmark page into ${distDir}`);
    await buildForBench(distDir);
  }
  const rows: BenchRow[] = [];
  let register: (RunningRegister & { dataDir: string }) | null = null;
  let browser: Browser | null = null;
  try {
    register = await startBenchRegister(distDir);
    browser = await launchChromium();
    const url = register.url;
    if (wants('load')) rows.push(...(await appRows(browser, url, distDir, log)));
    if (wants('unlock')) rows.push(...(await unlockRows(browser, url)));
    if (!(wants('sync') || wants('open') || wants('search'))) return rows;
    const sizes = facilitySizes(options.quick);
    for (const [index, patients] of sizes.entries()) {
      const facilityId = `bench-b${index + 1}`;
      log(`facility ${facilityId}: ${thousands(patients)} patients, ${thousands(patients * 2)} documents`);
      const facility = await makeBenchFacility(register.store, facilityId, patients, index + 1);
      const { context, page } = await benchPage(browser, url, 1);
      await call(page, 'logIn', facility.member.login, facility.member.authKey);
      const first = index === 0;
      // Without the sync rows, one sync still brings the data into the browser for the open and search rows.
      const batchRuns = options.quick ? 1 : RUNS;
      const synced = await syncRows(
        page,
        facility,
        1,
        first && wants('sync'),
        batchRuns,
        log,
        wants('sync') ? undefined : 1,
      );
      if (wants('sync')) rows.push(...synced.rows);
      if (wants('sync') && first) {
        await throttle(page, TABLET);
        rows.push(...(await syncRows(page, facility, TABLET, false, batchRuns, log, batchRuns)).rows);
        await throttle(page, 1);
      }
      const measuresOpen = patients === 5_000 || patients === 10_000 || patients === 50_000;
      if (wants('open') && measuresOpen) {
        rows.push(...(await openRows(page, facility, synced.dbName, 1)));
        if (patients <= 10_000) {
          await throttle(page, TABLET);
          rows.push(...(await openRows(page, facility, synced.dbName, TABLET)));
          await throttle(page, 1);
        }
        log(`  opened ${facilityId}`);
      }
      if (wants('search') && index === sizes.length - 1)
        rows.push(...(await searchRows(page, facility, synced.dbName)));
      await context.close();
    }
  } finally {
    await browser?.close();
    await register?.stop();
    if (register) rmSync(register.dataDir, { recursive: true, force: true });
  }
  return rows;
}
