/**
 * Benchmark of the in-memory patient search (common/search): build time, memory and query latency of the index
 * against the plain scan with the same matching rules, on deterministic synthetic patients.
 *
 *   node --import tsx bench/name-index.ts [--patients N]      (default: 10,000 and 50,000)
 *
 * Each size is built three times (the median is printed, with the process's CPU time beside the wall-clock time:
 * on a shared machine the CPU time is the steadier figure). 200 queries of eight kinds (exact surname, full name,
 * prefix, one slip, initials, date, surname and year, SNILS) run once to warm up, then once measured.
 * `npm run bench` takes its Node rows from `searchFigures` (bench/main.ts).
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { scanPatients } from '../common/search/linear-scan.ts';
import { type PreparedPatient, preparePatient } from '../common/search/matching.ts';
import { type PatientEntry, PatientIndex } from '../common/search/patient-index.ts';
import { type QueryKind, syntheticPatients, syntheticQueries } from '../common/search/synthetic-patients.ts';
import { typoAllowance } from '../common/search/edit-distance.ts';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function heapUsed(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

const megabytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const milliseconds = (value: number): string => `${value.toFixed(2)} ms`;

function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? NaN;
}

function timed<T>(run: () => T): { value: T; wall: number; cpu: number } {
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const value = run();
  const wall = performance.now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  return { value, wall, cpu: (cpu.user + cpu.system) / 1000 };
}

/** Keys a deletion neighbourhood (SymSpell) would hold for the same tokens and the same slip allowances. */
function deletionNeighbourhoodKeys(tokens: Iterable<string>): number {
  const keys = new Set<string>();
  const deletions = (word: string, depth: number): void => {
    keys.add(word);
    if (depth === 0) return;
    for (let i = 0; i < word.length; i += 1) deletions(word.slice(0, i) + word.slice(i + 1), depth - 1);
  };
  // A token may meet a query word up to two letters longer than itself: it needs that word's allowance.
  for (const token of tokens) deletions(token, typoAllowance(token.length + 2));
  return keys.size;
}

/** An index of `patients` and the heap it holds (measured in a scope of its own, where nothing else is kept). */
function measuredIndex(patients: readonly PatientEntry[]): { index: PatientIndex; bytes: number } {
  const before = heapUsed();
  const index = new PatientIndex(patients);
  return { index, bytes: heapUsed() - before };
}

/** What `npm run bench` reports of the search in Node: build runs, heap, and query percentiles against the scan. */
export interface SearchFigures {
  builds: number[];
  indexBytes: number;
  index: { p50: number; p95: number };
  scan: { p50: number; p95: number };
  identical: number;
  queries: number;
}

/** Builds the index of `count` synthetic patients three times and runs 200 queries through it and the scan. */
export function searchFigures(count: number): SearchFigures {
  const patients = syntheticPatients(count, 1);
  const queries = syntheticQueries(patients, 200, 2);
  const { index, bytes } = measuredIndex(patients);
  const builds: number[] = [];
  for (let round = 0; round < 3; round += 1) builds.push(timed(() => new PatientIndex(patients)).wall);
  const prepared = patients.map(preparePatient);
  for (const { query } of queries) {
    index.search(query);
    scanPatients(prepared, query);
  }
  const indexTimes: number[] = [];
  const scanTimes: number[] = [];
  let identical = 0;
  for (const { query } of queries) {
    const fromIndex = timed(() => index.search(query));
    const fromScan = timed(() => scanPatients(prepared, query));
    indexTimes.push(fromIndex.wall);
    scanTimes.push(fromScan.wall);
    if (JSON.stringify(fromIndex.value) === JSON.stringify(fromScan.value)) identical += 1;
  }
  const figures = (times: number[]): { p50: number; p95: number } => ({
    p50: percentile(times, 0.5),
    p95: percentile(times, 0.95),
  });
  return {
    builds,
    indexBytes: bytes,
    index: figures(indexTimes),
    scan: figures(scanTimes),
    identical,
    queries: queries.length,
  };
}

function benchmark(count: number): void {
  console.log(`\n== ${count.toLocaleString('en')} patients ==`);
  const patients = syntheticPatients(count, 1);
  const queries = syntheticQueries(patients, 200, 2);

  const { index, bytes: indexBytes } = measuredIndex(patients);
  const builds: { wall: number; cpu: number }[] = [];
  for (let round = 0; round < 3; round += 1) {
    const { wall, cpu } = timed(() => new PatientIndex(patients));
    builds.push({ wall, cpu });
  }
  builds.sort((a, b) => a.wall - b.wall);
  const median = builds[1] ?? { wall: NaN, cpu: NaN };
  const statistics = index.statistics();
  console.log(
    `build: ${milliseconds(median.wall)} wall, ${milliseconds(median.cpu)} CPU (median of 3; fastest ` +
      `${milliseconds(builds[0]?.wall ?? NaN)})`,
  );
  console.log(
    `index memory: ${megabytes(indexBytes)} (${(indexBytes / count).toFixed(0)} bytes per patient); ` +
      `${statistics.tokens.toLocaleString('en')} distinct name tokens, ` +
      `${statistics.letterPairEntries.toLocaleString('en')} letter-pair entries`,
  );

  const beforeScan = heapUsed();
  const prepared: PreparedPatient[] = patients.map(preparePatient);
  const scanBytes = heapUsed() - beforeScan;
  const tokens = new Set(prepared.flatMap((patient) => patient.tokens));
  console.log(
    `plain scan's prepared patients: ${megabytes(scanBytes)}; a deletion neighbourhood for the same tokens ` +
      `would hold ${deletionNeighbourhoodKeys(tokens).toLocaleString('en')} keys`,
  );

  for (const { query } of queries) {
    index.search(query);
    scanPatients(prepared, query);
  }
  const indexTimes: number[] = [];
  const scanTimes: number[] = [];
  const byKind = new Map<QueryKind, number[]>();
  let identical = 0;
  let found = 0;
  for (const { kind, query } of queries) {
    const fromIndex = timed(() => index.search(query));
    const fromScan = timed(() => scanPatients(prepared, query));
    indexTimes.push(fromIndex.wall);
    scanTimes.push(fromScan.wall);
    byKind.set(kind, [...(byKind.get(kind) ?? []), fromIndex.wall]);
    if (JSON.stringify(fromIndex.value) === JSON.stringify(fromScan.value)) identical += 1;
    if (fromIndex.value.length > 0) found += 1;
  }
  const row = (label: string, times: number[]): string =>
    `${label.padEnd(17)} p50 ${milliseconds(percentile(times, 0.5)).padStart(10)}   ` +
    `p95 ${milliseconds(percentile(times, 0.95)).padStart(10)}   max ${milliseconds(Math.max(...times)).padStart(10)}`;
  console.log(`queries: ${queries.length} (${found} with hits; answers identical to the scan: ${identical})`);
  console.log(row('index', indexTimes));
  console.log(row('plain scan', scanTimes));
  console.log(
    `scan / index: p50 ×${(percentile(scanTimes, 0.5) / percentile(indexTimes, 0.5)).toFixed(0)}, ` +
      `p95 ×${(percentile(scanTimes, 0.95) / percentile(indexTimes, 0.95)).toFixed(0)}`,
  );
  console.log('index by kind of query:');
  for (const [kind, times] of byKind) console.log('  ' + row(kind, times));
}

function main(): void {
  const flag = process.argv.indexOf('--patients');
  const sizes = flag === -1 ? [10_000, 50_000] : [Number(process.argv[flag + 1])];
  if (sizes.some((size) => !Number.isInteger(size) || size <= 0)) {
    console.error('usage: node --import tsx bench/name-index.ts [--patients N]');
    process.exit(2);
  }
  const cores = cpus();
  console.log(
    `machine: ${cores.length} cores (${cores[0]?.model.trim() ?? 'unknown'}), ${megabytes(totalmem())} memory, ` +
      `Node ${process.version}, load average ${loadavg()
        .map((load) => load.toFixed(1))
        .join(' ')}`,
  );
  for (const size of sizes) benchmark(size);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
