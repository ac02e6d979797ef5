/**
 * `npm run soak [-- --minutes N]`: the bench's load (bench/load/) for minutes instead of seconds — syncing devices
 * and report readers all at once against a register of its own with generated data — to show that the register
 * holds up: no errors, and resident memory (gateway + embedded store, sampled every few seconds) that levels off.
 * "Levels off" is measured as the growth over the second half of the run (a least-squares line through its
 * samples, bench/load/memory.ts) and must stay within the stated bound. Prints requests served, errors, p95 per
 * kind of request, peak memory and the growth; exits with 1 when there were errors or memory grew past the bound.
 *
 * Options: --minutes N (10), --clients N (50), --reporters N (10), --facilities N (9), --patients N per facility
 * (50), --growth-bound P (percent, 10).
 */
import { machine } from '../table.ts';
import { mebibytes } from '../load/memory.ts';
import { runLoad, WAITING_KINDS, type LoadResult } from '../load/run-load.ts';
import { loadAccounts } from '../load/setup.ts';
import { startLoadedRegister } from '../server/loaded-register.ts';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  if (index === -1) return fallback;
  const value = Number(process.argv[index + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} takes a positive number`);
  return value;
}

/** The soak's verdict and the lines that say it. */
export function soakReport(result: LoadResult, boundPercent: number): { passed: boolean; lines: string[] } {
  const memory = result.memorySummary;
  const growth = memory?.secondHalfGrowth ?? null;
  const growthOk = growth !== null && growth * 100 <= boundPercent;
  const lines = [
    `Requests served: ${result.requests.toLocaleString('en-US')} in ${Math.round(result.durationMs / 1000)} s ` +
      `(${Math.round(result.requests / (result.durationMs / 1000))}/s)`,
    `Errors: ${result.errors}`,
    ...result.errorSamples.map((sample) => `  ${sample}`),
    `p95 latency, all requests but long-polls and logins: ${Math.round(result.p95Ms)} ms`,
    ...Object.entries(result.byKind).map(
      ([kind, figures]) =>
        `  ${kind}: ${figures.count.toLocaleString('en-US')} requests, p50 ${Math.round(figures.p50Ms)} ms, ` +
        `p95 ${Math.round(figures.p95Ms)} ms, max ${Math.round(figures.maxMs)} ms` +
        (WAITING_KINDS.includes(kind) ? ' (waits for changes by design)' : ''),
    ),
    memory
      ? `Resident memory (gateway + embedded store): ${mebibytes(memory.firstBytes)} MiB at the start, ` +
        `peak ${mebibytes(memory.peakBytes)} MiB, ${mebibytes(memory.lastBytes)} MiB at the end ` +
        `(anonymous at most ${mebibytes(memory.peakAnonymousBytes)} MiB, the rest mapped files)`
      : 'Resident memory: not sampled',
    growth === null
      ? `Growth over the second half: too few samples (bound ${boundPercent} %)`
      : `Growth over the second half: ${(growth * 100).toFixed(1)} % (bound ≤ ${boundPercent} %) — ${growthOk ? 'levels off' : 'ABOVE THE BOUND'}`,
  ];
  return { passed: result.errors === 0 && growthOk, lines };
}

async function main(): Promise<number> {
  const minutes = option('minutes', 10);
  const clients = option('clients', 50);
  const reporters = option('reporters', 10);
  const boundPercent = option('growth-bound', 10);
  const spec = { seed: 20261129, facilities: option('facilities', 9), patientsPerFacility: option('patients', 50) };
  const log = (line: string): void => console.error(line);
  log(`soak: ${clients} syncing devices and ${reporters} report readers for ${minutes} min; ${machine()}`);
  const loaded = await startLoadedRegister(spec, [500], log);
  try {
    const accounts = await loadAccounts(loaded.register.store, loaded.facilityIds, clients, reporters);
    const result = await runLoad({
      baseUrl: loaded.register.url,
      ...accounts,
      reportQuery: 'from=2025-01-01&to=2025-12-31',
      durationMs: minutes * 60_000,
      memory: { target: () => loaded.register.pids(), intervalMs: 5_000 },
      log,
      progressEveryMs: 30_000,
    });
    const { passed, lines } = soakReport(result, boundPercent);
    console.log(`Machine: ${machine()}`);
    console.log(lines.join('\n'));
    console.log(passed ? 'Soak passed.' : 'Soak FAILED.');
    return passed ? 0 : 1;
  } finally {
    await loaded.register.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
