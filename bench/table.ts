/**
 * The shape every benchmark of `npm run bench` reports in, and the printing of the table. A figure without the
 * data size it was measured on and the machine it ran on means little, so both travel with every row; the value
 * is the median of several runs, with the runs themselves kept for whoever wants the spread.
 */
import { cpus, loadavg, totalmem } from 'node:os';

export interface BenchRow {
  /** What was measured, e.g. "patient search, p95 over 200 queries". */
  name: string;
  /** The data it ran on, e.g. "50,000 patients". */
  size: string;
  /** The median of `runs`, in `unit`. */
  median: number;
  unit: string;
  /** Every run's value, in `unit`. */
  runs: number[];
  /** The target from the Scale issue, e.g. "≤ 20 ms" (empty when there is none). */
  target: string;
  /** Whether the median meets the target; null when there is no target. */
  met: boolean | null;
  /** Anything that qualifies the figure: throttling, the naive alternative's ratio, what limits it. */
  note?: string;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

export function percentile(values: readonly number[], fraction: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))] as number;
}

/** A row from several runs: the median and whether it meets `limit` (`at-most` for times, `at-least` for rates). */
export function row(
  name: string,
  size: string,
  runs: readonly number[],
  unit: string,
  target?: { limit: number; kind: 'at-most' | 'at-least' },
  note?: string,
): BenchRow {
  const value = median(runs);
  const met = target ? (target.kind === 'at-most' ? value <= target.limit : value >= target.limit) : null;
  const targetText = target ? `${target.kind === 'at-most' ? '≤' : '≥'} ${formatNumber(target.limit)} ${unit}` : '';
  return { name, size, median: value, unit, runs: [...runs], target: targetText, met, ...(note ? { note } : {}) };
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

export function machine(): string {
  const cores = cpus();
  const memory = `${Math.round(totalmem() / 1024 ** 3)} GiB`;
  return `${cores.length} cores (${cores[0]?.model.trim() ?? 'unknown CPU'}), ${memory}, Node ${process.versions.node}, load ${loadavg()
    .map((load) => load.toFixed(1))
    .join('/')}`;
}

/** The table as Markdown, as the README quotes it. */
export function table(rows: readonly BenchRow[]): string {
  const lines = [
    '| benchmark | data | median | runs | target | met | note |',
    '|---|---|---:|---|---|---|---|',
    ...rows.map((entry) => {
      const met = entry.met === null ? '' : entry.met ? 'yes' : '**no**';
      const runs = entry.runs.map(formatNumber).join(', ');
      return `| ${entry.name} | ${entry.size} | ${formatNumber(entry.median)} ${entry.unit} | ${runs} | ${entry.target} | ${met} | ${entry.note ?? ''} |`;
    }),
  ];
  return lines.join('\n');
}
