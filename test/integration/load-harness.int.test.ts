/**
 * The load harness of `npm run bench` and `npm run soak` (bench/load/) against a real register, for a few seconds
 * with three syncing devices and one analyst: it must make every kind of request a syncing device and a report
 * reader make, count no error where nothing went wrong, leave every visit it pushed on the server, and read the
 * register's memory. What it measures (latencies, memory) is printed by the bench, never asserted here.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { patientRecord, withFreshId } from '../../common/records/test-fixtures.ts';
import { ensureFacility, loadAccounts } from '../../bench/load/setup.ts';
import { runLoad, type LoadResult } from '../../bench/load/run-load.ts';
import { useRegister } from '../helpers/start-register.ts';

const register = useRegister();
const FACILITIES = ['load-a', 'load-b'];
let result: LoadResult;

beforeAll(async () => {
  const { store, url } = register.current;
  for (const id of FACILITIES) {
    await ensureFacility(store, id, `Нагрузка ${id}`);
    // Something to pull: a few patients written as the server writes a restore.
    const docs = Array.from({ length: 30 }, () => withFreshId(patientRecord()));
    await store.expect('POST', `/facility-${id}/_bulk_docs`, { docs });
  }
  const accounts = await loadAccounts(store, FACILITIES, 3, 1);
  const embedded = register.current.embedded;
  result = await runLoad({
    baseUrl: url,
    ...accounts,
    reportQuery: 'from=2026-01-01&to=2026-11-28',
    durationMs: 4_000,
    pushEveryMs: 300,
    longpollMs: 500,
    memory: {
      target: () => [process.pid, embedded?.pid() ?? null].filter((pid): pid is number => pid !== null),
      intervalMs: 250,
    },
  });
}, 60_000);

describe('the load harness', () => {
  it('counts no error when the register answers everything', () => {
    expect(result.errorSamples).toEqual([]);
    expect(result.errors).toBe(0);
  });

  it('makes every kind of request a syncing device and a report reader make', () => {
    for (const kind of [
      'login',
      'changes',
      'bulk-get',
      'checkpoint',
      'changes-longpoll',
      'revs-diff',
      'bulk-docs',
      'report',
    ]) {
      expect(result.byKind[kind]?.count ?? 0, kind).toBeGreaterThan(0);
    }
    const counted = Object.values(result.byKind).reduce((sum, figures) => sum + figures.count, 0);
    expect(result.requests).toBe(counted);
  });

  it('leaves every visit it pushed on the server, at the revision it pushed', async () => {
    expect(result.pushed.length).toBeGreaterThan(0);
    for (const db of new Set(result.pushed.map((doc) => doc.db))) {
      const mine = result.pushed.filter((doc) => doc.db === db);
      const stored = await register.current.store.expect<{ rows: { id: string; value?: { rev: string } }[] }>(
        'POST',
        `/${db}/_all_docs`,
        { keys: mine.map((doc) => doc.id) },
      );
      expect(stored.body.rows.map((row) => [row.id, row.value?.rev])).toEqual(mine.map((doc) => [doc.id, doc.rev]));
    }
  });

  it('reads the register’s resident memory while it runs', () => {
    expect(result.memory.length).toBeGreaterThan(2);
    for (const sample of result.memory) {
      expect(Number.isFinite(sample.rssBytes)).toBe(true);
      expect(sample.rssBytes).toBeGreaterThan(0);
      expect(sample.anonymousBytes).toBeGreaterThan(0);
      // Node's own executable is a mapped file, so some of the resident set is never anonymous.
      expect(sample.anonymousBytes).toBeLessThan(sample.rssBytes);
    }
    expect(result.memorySummary?.peakBytes).toBeGreaterThan(0);
  });
});
