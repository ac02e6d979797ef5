/**
 * `npm run bench [-- --quick] [-- --only <group>[,<group>…]]`: the register's figures in one table — each with the
 * data size it was measured on, the machine, the median of several runs and the target from the Scale issue.
 *
 *   search   patient search in Node: the in-memory index against the plain scan (bench/name-index.ts)
 *   load     the app's JavaScript before login, gzipped; an offline start from the service worker
 *   unlock   Argon2id and key unwrapping in Chromium
 *   sync     first sync of a facility into a fresh browser; replication batch sizes side by side
 *   open     opening a facility after unlock (decrypting and indexing its passports), with and without the snapshot
 *            (needs a sync first, which it does without timing it when `sync` is not asked for)
 *   search   (also) the patient list's search in Chromium, against decrypting every passport per query
 *   server   bulk loading, the summary report, the gateway under load (bench/server/, when present)
 *
 * `--quick` keeps every data set at or below 10,000 documents, so it finishes within a few minutes. The table is
 * printed and written to `.tmp/bench/results-<date>.md` and `.json`; the production build it measures is made into
 * `.tmp/bench/dist` (never `dist/`; `BENCH_REUSE_BUILD=1` keeps the one made by the previous run).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runBrowserBenchmarks } from './browser/browser-bench.ts';
import { searchFigures } from './name-index.ts';
import { formatNumber, machine, median, row, table, type BenchRow } from './table.ts';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const OUT = join(ROOT, '.tmp', 'bench');
const GROUPS = ['search', 'load', 'unlock', 'sync', 'open', 'server'] as const;

export interface BenchArgs {
  quick: boolean;
  only: Set<string>;
}

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const args: BenchArgs = { quick: false, only: new Set() };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--quick') args.quick = true;
    else if (arg === '--only') {
      for (const group of (argv[(i += 1)] ?? '').split(',')) {
        if (!(GROUPS as readonly string[]).includes(group)) throw new Error(`--only: unknown group "${group}"`);
        args.only.add(group);
      }
    } else throw new Error(`unknown argument "${arg ?? ''}" (use --quick, --only <group>)`);
  }
  return args;
}

/** The Node rows of the search: p95 of the index, with the plain scan's as the naive ratio. */
function searchRows(quick: boolean, log: (line: string) => void): BenchRow[] {
  const rows: BenchRow[] = [];
  for (const count of quick ? [10_000] : [10_000, 50_000]) {
    const runs = [searchFigures(count), searchFigures(count), searchFigures(count)];
    const size = `${count.toLocaleString('en-US')} patients`;
    const scan = median(runs.map((figures) => figures.scan.p95));
    const index = runs.map((figures) => figures.index.p95);
    const megabytes = ((runs[0]?.indexBytes ?? NaN) / 2 ** 20).toFixed(0);
    const target = count >= 50_000 ? { limit: 20, kind: 'at-most' as const } : undefined;
    const note = `plain scan p95 ${formatNumber(scan)} ms (×${(scan / median(index)).toFixed(0)}); index ${megabytes} MB`;
    rows.push(row('patient search in Node, in-memory index, p95 over 200 queries', size, index, 'ms', target, note));
    rows.push(row('building the search index in Node', size, runs[0]?.builds ?? [], 'ms'));
    log(`  search in Node at ${size}: p95 ${formatNumber(median(index))} ms`);
  }
  return rows;
}

/** The server rows from bench/server/index.ts, when that part is there. */
async function serverRows(quick: boolean, log: (line: string) => void): Promise<BenchRow[]> {
  const entry = join(ROOT, 'bench', 'server', 'index.ts');
  if (!existsSync(entry)) {
    log('bench/server/index.ts is not there: no server rows');
    return [];
  }
  const module = (await import(pathToFileURL(entry).href)) as {
    runServerBenchmarks?: (options: { quick: boolean; log: (line: string) => void }) => Promise<BenchRow[]>;
  };
  if (typeof module.runServerBenchmarks !== 'function') {
    log('bench/server/index.ts exports no runServerBenchmarks: no server rows');
    return [];
  }
  return module.runServerBenchmarks({ quick, log });
}

async function main(): Promise<void> {
  const args = parseBenchArgs(process.argv.slice(2));
  const log = (line: string): void => console.log(line);
  const wants = (group: string): boolean => args.only.size === 0 || args.only.has(group);
  const started = new Date();
  const where = machine();
  log(`machine: ${where}`);
  log(args.quick ? 'quick run: data sets of at most 10,000 documents' : 'full run');
  const rows: BenchRow[] = [];
  const failures: string[] = [];
  const part = async (name: string, make: () => Promise<BenchRow[]> | BenchRow[]): Promise<void> => {
    log(`== ${name}`);
    try {
      rows.push(...(await make()));
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      failures.push(`${name}: ${message}`);
      log(`${name} failed: ${message}`);
    }
  };
  if (wants('search')) await part('search in Node', () => searchRows(args.quick, log));
  const browserGroups = new Set(['load', 'unlock', 'sync', 'open', 'search'].filter((group) => args.only.has(group)));
  if (['load', 'unlock', 'sync', 'open', 'search'].some(wants)) {
    await part('browser', () =>
      runBrowserBenchmarks({ quick: args.quick, only: browserGroups, log, distDir: join(OUT, 'dist') }),
    );
  }
  if (wants('server')) await part('server', () => serverRows(args.quick, log));

  const printed = [
    `# npm run bench${args.quick ? ' --quick' : ''} — ${started.toISOString()}`,
    '',
    `Machine: ${where}`,
    '',
    table(rows),
    ...(failures.length > 0 ? ['', 'Failed:', ...failures.map((failure) => `- ${failure.split('\n')[0] ?? ''}`)] : []),
    '',
  ].join('\n');
  console.log(`\n${printed}`);
  mkdirSync(OUT, { recursive: true });
  const stamp = started.toISOString().replace(/[:.]/g, '-');
  writeFileSync(join(OUT, `results-${stamp}.md`), printed);
  writeFileSync(
    join(OUT, `results-${stamp}.json`),
    JSON.stringify({ at: started.toISOString(), machine: where, quick: args.quick, rows, failures }, null, 2),
  );
  log(`written to ${join(OUT, `results-${stamp}.md`)} and .json`);
  if (failures.length > 0) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
