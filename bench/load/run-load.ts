/**
 * The load shared by `npm run bench` (50 syncing clients and 10 report requests for 20–60 s) and `npm run soak`
 * (the same for minutes): devices that sync facilities through the gateway (sync-client.ts) and analysts who ask
 * for the summary report over and over, all at once, while the register's resident memory is sampled. It answers
 * with what a reader of the README needs: requests served, errors (with examples), latency per kind of request,
 * the documents pushed, and the memory samples.
 */
import { setMaxListeners } from 'node:events';
import { percentile } from '../table.ts';
import { LoadRecorder, problemOf, type KindFigures } from './recorder.ts';
import { MemorySampler, summariseMemory, type MemorySample, type MemorySummary, type MemoryTarget } from './memory.ts';
import { logInAt, type BenchAccount } from './setup.ts';
import { SyncClient, type PushedDoc } from './sync-client.ts';

export interface LoadOptions {
  baseUrl: string;
  /** One syncing device per entry. */
  clients: { account: BenchAccount; facilityId: string }[];
  /** One analyst's report loop per entry (each asks again as soon as the last answer came). */
  reporters: BenchAccount[];
  /** The query string of the summary report, e.g. `from=2025-01-01&to=2025-12-31`. */
  reportQuery: string;
  durationMs: number;
  /** Whose memory to sample (the register's processes), and how often. */
  memory?: { target: MemoryTarget; intervalMs: number };
  pushEveryMs?: number;
  longpollMs?: number;
  /** Called every `progressEveryMs` with a line on how it is going. */
  log?: (line: string) => void;
  progressEveryMs?: number;
}

export interface LoadResult {
  durationMs: number;
  requests: number;
  errors: number;
  errorSamples: string[];
  byKind: Record<string, KindFigures>;
  /** p95 over every request but long-polls (which wait for changes by design) and the logins before the run. */
  p95Ms: number;
  pushed: PushedDoc[];
  memory: MemorySample[];
  memorySummary: MemorySummary | null;
}

/** The kinds whose latency is a wait by design, left out of the overall p95. */
export const WAITING_KINDS = ['changes-longpoll'];

/** An analyst who asks for the summary report again as soon as the last answer came. */
async function reportLoop(
  options: LoadOptions,
  cookie: string,
  recorder: LoadRecorder,
  signal: AbortSignal,
): Promise<void> {
  while (!signal.aborted) {
    const ok = await recorder.time('report', async () => {
      const response = await fetch(`${options.baseUrl}/api/reports/summary?${options.reportQuery}&format=json`, {
        headers: { cookie, accept: 'application/json' },
      });
      return problemOf(response);
    });
    if (!ok) await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * Everyone logs in first (a morning's logins are their own burst; their latency is still counted, as `login`),
 * then the devices sync and the analysts read reports for `durationMs`.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const recorder = new LoadRecorder();
  const pushed: PushedDoc[] = [];
  const controller = new AbortController();
  // Every waiting loop listens for the end of the run; there are two per device.
  setMaxListeners(0, controller.signal);
  const devices = options.clients.map(
    (client) =>
      new SyncClient({
        baseUrl: options.baseUrl,
        account: client.account,
        facilityId: client.facilityId,
        recorder,
        signal: controller.signal,
        pushed,
        ...(options.pushEveryMs === undefined ? {} : { pushEveryMs: options.pushEveryMs }),
        ...(options.longpollMs === undefined ? {} : { longpollMs: options.longpollMs }),
      }),
  );
  const deviceLogins = await Promise.all(devices.map((device) => device.logIn()));
  const analystCookies = await Promise.all(
    options.reporters.map(async (account) => {
      let cookie: string | null = null;
      await recorder.time('login', async () => {
        cookie = await logInAt(options.baseUrl, account);
        return null;
      });
      return cookie as string | null;
    }),
  );
  const sampler = options.memory ? new MemorySampler(options.memory.target, options.memory.intervalMs) : null;
  const started = performance.now();
  const progress = options.log
    ? setInterval(() => {
        const seconds = Math.round((performance.now() - started) / 1000);
        const rss = sampler?.samples[sampler.samples.length - 1]?.rssBytes;
        options.log?.(
          `  ${seconds} s: ${recorder.requests} requests, ${recorder.errors} errors` +
            (rss === undefined ? '' : `, register RSS ${Math.round(rss / 1024 ** 2)} MiB`),
        );
      }, options.progressEveryMs ?? 10_000)
    : null;
  const timer = setTimeout(() => controller.abort(), options.durationMs);
  const loops = [
    ...devices.filter((_, index) => deviceLogins[index]).map((device) => device.sync()),
    ...analystCookies.flatMap((cookie) =>
      cookie === null ? [] : [reportLoop(options, cookie, recorder, controller.signal)],
    ),
  ];
  try {
    await Promise.all(loops);
  } finally {
    clearTimeout(timer);
    if (progress) clearInterval(progress);
  }
  const memory = sampler?.stop() ?? [];
  return {
    durationMs: performance.now() - started,
    requests: recorder.requests,
    errors: recorder.errors,
    errorSamples: recorder.errorSamples,
    byKind: recorder.byKind(),
    p95Ms: percentile(recorder.latencies([...WAITING_KINDS, 'login']), 0.95),
    pushed,
    memory,
    memorySummary: memory.length > 0 ? summariseMemory(memory) : null,
  };
}
