/**
 * Counts every request the load makes, by kind (`changes`, `bulk-get`, `bulk-docs`, `report`, …), with its
 * latency and whether it failed. A failure is anything the client did not expect: a network error, a status
 * outside 2xx, or a `_bulk_docs` answer that refused a document — the same things a device would show as an error.
 */
import { percentile } from '../table.ts';

export interface KindFigures {
  count: number;
  errors: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

export class LoadRecorder {
  readonly #latencies = new Map<string, number[]>();
  readonly #errors = new Map<string, number>();
  readonly errorSamples: string[] = [];

  /** Times `request`; it resolves to an error message when the answer was not what the client expected. */
  async time(kind: string, request: () => Promise<string | null>): Promise<boolean> {
    const started = performance.now();
    let problem: string | null;
    try {
      problem = await request();
    } catch (error) {
      problem = error instanceof Error ? error.message : String(error);
    }
    const elapsed = performance.now() - started;
    const list = this.#latencies.get(kind) ?? [];
    list.push(elapsed);
    this.#latencies.set(kind, list);
    if (problem !== null) {
      this.#errors.set(kind, (this.#errors.get(kind) ?? 0) + 1);
      if (this.errorSamples.length < 20) this.errorSamples.push(`${kind}: ${problem}`);
    }
    return problem === null;
  }

  get requests(): number {
    let total = 0;
    for (const list of this.#latencies.values()) total += list.length;
    return total;
  }

  get errors(): number {
    let total = 0;
    for (const count of this.#errors.values()) total += count;
    return total;
  }

  byKind(): Record<string, KindFigures> {
    const figures: Record<string, KindFigures> = {};
    for (const [kind, list] of [...this.#latencies].sort(([a], [b]) => a.localeCompare(b))) {
      figures[kind] = {
        count: list.length,
        errors: this.#errors.get(kind) ?? 0,
        p50Ms: percentile(list, 0.5),
        p95Ms: percentile(list, 0.95),
        maxMs: list.reduce((max, value) => Math.max(max, value), 0),
      };
    }
    return figures;
  }

  /** Latencies of every kind but `except` (waits that are long by design, such as long-polls). */
  latencies(except: readonly string[] = []): number[] {
    return [...this.#latencies].filter(([kind]) => !except.includes(kind)).flatMap(([, list]) => list);
  }
}

/** Reads a response to the end and says what was wrong with it, or null when it is a 2xx. */
export async function problemOf(response: Response): Promise<string | null> {
  const text = await response.text();
  return response.ok ? null : `${response.status} ${text.slice(0, 200)}`;
}
