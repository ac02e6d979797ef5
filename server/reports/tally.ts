/**
 * Counting for the figures (figures.ts): patients per figure key, sums with the patients behind them, and figure
 * keys built once. A report of a hundred thousand patients adds some forty keys for each of them in every column,
 * so how a key is counted and built shows in the report's time.
 */
import type { Figures } from './figures.ts';

interface TallyEntry {
  /** The patients behind the figure, when one may be added more than once; otherwise only `count`. */
  patients: Set<string> | null;
  count: number;
  sum: number | undefined;
}

/**
 * Patients per figure key, and sums with the patients behind them. `add` keeps the set of patients (a patient with
 * several prescriptions counts once); `once` only counts, for keys the caller adds at most once per patient of the
 * scope — most of them, and a report of a hundred thousand patients adds some forty keys for each. A key is only
 * ever added one of the two ways.
 */
export class Tally {
  private readonly entries = new Map<string, TallyEntry>();

  private entry(key: string): TallyEntry {
    let entry = this.entries.get(key);
    if (!entry) this.entries.set(key, (entry = { patients: null, count: 0, sum: undefined }));
    return entry;
  }

  add(key: string, patientId: string, amount?: number): void {
    const entry = this.entry(key);
    (entry.patients ??= new Set()).add(patientId);
    if (amount !== undefined) entry.sum = (entry.sum ?? 0) + amount;
  }

  once(key: string): void {
    this.entry(key).count += 1;
  }

  figures(round: (key: string, value: number) => number): Figures {
    const figures: Figures = new Map();
    for (const [key, entry] of this.entries) {
      const patients = entry.patients?.size ?? entry.count;
      figures.set(key, { value: entry.sum === undefined ? patients : round(key, entry.sum), patients });
    }
    return figures;
  }
}

const composedKeys = new Map<string, Map<string, string>>();

/** `prefix + value`, the same string each time (figure keys are built for every patient of every report). */
export function keyOf(prefix: string, value: string): string {
  let byValue = composedKeys.get(prefix);
  if (!byValue) composedKeys.set(prefix, (byValue = new Map()));
  let key = byValue.get(value);
  if (key === undefined) {
    key = prefix + value;
    if (byValue.size < 10_000) byValue.set(value, key);
  }
  return key;
}
