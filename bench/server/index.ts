/**
 * The server rows of `npm run bench` (bench/main.ts prints them with the browser rows), and a runner of their own:
 * `node --import tsx bench/server/index.ts [--quick]`. Everything runs the real thing — a register of its own as
 * a child process (the embedded store below it), generated data pushed through the gateway, the summary report
 * asked for over HTTP as an analyst, and syncing devices and report readers all at once:
 * - bulk loading with `_bulk_docs` through the gateway, each of three batch sizes on several facilities;
 * - the summary report cold (first request after loading) and warm, against reading every document (the naive
 *   alternative) — the same figures, compared;
 * - the gateway under 50 syncing devices and 10 report readers: errors, p95 per kind of request, peak memory.
 * `--quick` keeps under 10,000 documents (9 facilities × 22 patients) and a 20-second load; the full run is the Scale issue's 20 facilities ×
 * 5,000 patients (about a million prescriptions) and a 60-second load. BENCH_SERVER_FACILITIES and
 * BENCH_SERVER_PATIENTS choose another size.
 */
import { fileURLToPath } from 'node:url';
import { machine, median, row, table, type BenchRow } from '../table.ts';
import { mebibytes } from '../load/memory.ts';
import { runLoad, WAITING_KINDS } from '../load/run-load.ts';
import { loadAccounts, logInAt } from '../load/setup.ts';
import { startLoadedRegister, type LoadedRegister } from './loaded-register.ts';
import { naiveReport, sameFigures, timedReport } from './summary.ts';

export interface ServerBenchOptions {
  quick: boolean;
  log: (line: string) => void;
}

const BATCH_SIZES = [100, 500, 2000];
const PERIOD = { from: '2025-01-01', to: '2025-12-31', nextDays: 30 };

function sizeOf(quick: boolean): { seed: number; facilities: number; patientsPerFacility: number } {
  const facilities = Number(process.env.BENCH_SERVER_FACILITIES ?? (quick ? 9 : 20));
  const patientsPerFacility = Number(process.env.BENCH_SERVER_PATIENTS ?? (quick ? 22 : 5_000));
  return { seed: 20261129, facilities, patientsPerFacility };
}

function dataLabel(loaded: LoadedRegister): string {
  const sum = (key: 'patients' | 'prescriptions' | 'documents'): string =>
    loaded.data.facilities.reduce((total, facility) => total + facility.counts[key], 0).toLocaleString('en-US');
  return `${loaded.facilityIds.length} facilities, ${sum('patients')} patients, ${sum('prescriptions')} prescriptions, ${sum('documents')} documents`;
}

function bulkRows(loaded: LoadedRegister): BenchRow[] {
  const rates = new Map<number, number[]>();
  let refused = 0;
  for (const upload of loaded.uploads) {
    rates.set(upload.batchSize, [
      ...(rates.get(upload.batchSize) ?? []),
      upload.result.documents / (upload.result.ms / 1000),
    ]);
    refused += upload.result.refusedCount;
  }
  const best = Math.max(...[...rates.values()].map((values) => median(values)));
  const bestSize = [...rates].find(([, values]) => median(values) === best)?.[0];
  const perFacility = Math.round(
    loaded.uploads.reduce((sum, upload) => sum + upload.result.documents, 0) / Math.max(1, loaded.uploads.length),
  );
  return [...rates].map(([batchSize, values]) =>
    row(
      `bulk load: _bulk_docs through the gateway, batch ${batchSize}`,
      `${values.length} facilities of ~${perFacility.toLocaleString('en-US')} documents`,
      values,
      'documents/s',
      { limit: 3_000, kind: 'at-least' },
      (batchSize === bestSize
        ? 'the best batch size here'
        : `${(median(values) / best).toFixed(2)}× the best batch size (${bestSize ?? '?'})`) +
        '; one request at a time, as one device pushes' +
        (refused > 0 ? `; ${refused} documents refused in the whole load` : ''),
    ),
  );
}

async function summaryRows(loaded: LoadedRegister, quick: boolean, log: (line: string) => void): Promise<BenchRow[]> {
  const { register, facilityIds } = loaded;
  const cookie = await logInAt(register.url, loaded.analyst);
  const query = `from=${PERIOD.from}&to=${PERIOD.to}&nextDays=${PERIOD.nextDays}&facilities=${facilityIds.join(',')}`;
  const size = dataLabel(loaded);
  const cold = await timedReport(register.url, cookie, query);
  log(`  summary cold: ${Math.round(cold.ms)} ms`);
  const warm: number[] = [];
  let served = cold.report;
  for (let run = 0; run < (quick ? 5 : 7); run += 1) {
    const answer = await timedReport(register.url, cookie, query);
    warm.push(answer.ms);
    served = answer.report;
  }
  log(`  summary warm: ${warm.map((ms) => Math.round(ms)).join(', ')} ms`);
  const naive: number[] = [];
  let same = true;
  let scanned = 0;
  // One scan in the full run: at about four million documents it takes minutes, and its ratio is what is reported.
  for (let run = 0; run < (quick ? 3 : 1); run += 1) {
    const answer = await naiveReport(register.store, facilityIds, PERIOD);
    naive.push(answer.ms);
    scanned = answer.documents;
    same &&= sameFigures(answer.report, served);
    log(`  summary by scanning every document: ${Math.round(answer.ms)} ms`);
  }
  const ratio = median(naive) / median(warm);
  return [
    row(
      'summary report (JSON) as an analyst, cold: first request after loading',
      size,
      [cold.ms],
      'ms',
      undefined,
      'one run: the first request after the load builds what the report reads',
    ),
    row(
      'summary report (JSON) as an analyst, warm',
      size,
      warm,
      'ms',
      { limit: 2_000, kind: 'at-most' },
      `period ${PERIOD.from}…${PERIOD.to}`,
    ),
    row(
      'naive alternative: summary by reading every document (_all_docs, include_docs) and the same report functions',
      `${scanned.toLocaleString('en-US')} documents read`,
      naive,
      'ms',
      undefined,
      `${ratio.toFixed(1)}× the warm report; same figures as served: ${same ? 'yes' : '**no**'}`,
    ),
  ];
}

async function loadRows(loaded: LoadedRegister, quick: boolean, log: (line: string) => void): Promise<BenchRow[]> {
  const { register, facilityIds } = loaded;
  const accounts = await loadAccounts(register.store, facilityIds, 50, 10);
  const durationMs = quick ? 20_000 : 60_000;
  log(`  gateway load: 50 syncing devices and 10 report readers for ${durationMs / 1000} s`);
  const result = await runLoad({
    baseUrl: register.url,
    ...accounts,
    reportQuery: `from=${PERIOD.from}&to=${PERIOD.to}&nextDays=${PERIOD.nextDays}`,
    durationMs,
    memory: { target: () => register.pids(), intervalMs: 1_000 },
    log,
    progressEveryMs: 10_000,
  });
  for (const sample of result.errorSamples) log(`  error: ${sample}`);
  const size = `50 devices + 10 report readers, ${durationMs / 1000} s, ${dataLabel(loaded)}`;
  const seconds = result.durationMs / 1000;
  const rows: BenchRow[] = [
    row(
      'gateway under load: errors',
      size,
      [result.errors],
      'errors',
      { limit: 0, kind: 'at-most' },
      `${result.requests.toLocaleString('en-US')} requests served (${Math.round(result.requests / seconds)}/s)` +
        (result.errorSamples[0] ? `; first: ${result.errorSamples[0]}` : ''),
    ),
    row(
      'gateway under load: p95 latency, all requests',
      size,
      [result.p95Ms],
      'ms',
      undefined,
      `long-polls (${WAITING_KINDS.join(', ')}) left out, they wait for changes by design; so are the logins before the run`,
    ),
  ];
  for (const [kind, figures] of Object.entries(result.byKind)) {
    if (kind === 'login') continue;
    rows.push(
      row(
        `gateway under load: p95 latency, ${kind}`,
        size,
        [figures.p95Ms],
        'ms',
        undefined,
        `${figures.count.toLocaleString('en-US')} requests, p50 ${Math.round(figures.p50Ms)} ms, max ${Math.round(figures.maxMs)} ms` +
          (WAITING_KINDS.includes(kind) ? '; waits up to 2 s for a change by design' : ''),
      ),
    );
  }
  const memory = result.memorySummary;
  if (memory) {
    rows.push(
      row(
        'gateway under load: peak resident memory of the register (gateway + embedded store)',
        size,
        [mebibytes(memory.peakBytes)],
        'MiB',
        undefined,
        `${mebibytes(memory.firstBytes)} MiB at the start, ${mebibytes(memory.lastBytes)} MiB at the end; ` +
          `at most ${mebibytes(memory.peakAnonymousBytes)} MiB of it anonymous, the rest mapped files (mostly the ` +
          "store's LevelDB tables); sampled every second from /proc",
      ),
    );
  }
  return rows;
}

export async function runServerBenchmarks(options: ServerBenchOptions): Promise<BenchRow[]> {
  const { quick, log } = options;
  log(`server benchmarks${quick ? ' (quick)' : ''}: ${machine()}`);
  const loaded = await startLoadedRegister(sizeOf(quick), BATCH_SIZES, log);
  try {
    const rows = bulkRows(loaded);
    rows.push(...(await summaryRows(loaded, quick, log)));
    rows.push(...(await loadRows(loaded, quick, log)));
    return rows;
  } finally {
    await loaded.register.stop();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const quick = process.argv.includes('--quick');
  const log = (line: string): void => console.error(line);
  runServerBenchmarks({ quick, log }).then(
    (rows) => {
      console.log(`Machine: ${machine()}\n`);
      console.log(table(rows));
    },
    (error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      process.exitCode = 1;
    },
  );
}
