/**
 * Keeping the best patients while candidates stream past. A short query ("и") can match most of the register;
 * sorting tens of thousands of hits to show fifty would cost more than finding them, so only the current best
 * `limit` are kept in order, and a patient worse than the last of them is dropped with one comparison.
 */
import type { PreparedPatient } from './matching.ts';

export interface Ranked {
  score: number;
  patient: PreparedPatient;
}

/** Made on the first tie only: most candidates never need it. */
function sortKey(patient: PreparedPatient): string {
  return (patient.sortKey ??= patient.tokens.join(' '));
}

/** Higher score first, then surname, name, patronymic tokens, then id: the same order on every device. */
function before(a: Ranked, b: Ranked): boolean {
  if (a.score !== b.score) return a.score > b.score;
  const [keyA, keyB] = [sortKey(a.patient), sortKey(b.patient)];
  if (keyA !== keyB) return keyA < keyB;
  return a.patient.id < b.patient.id;
}

export class TopHits {
  #kept: Ranked[] = [];
  readonly #limit: number;

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** The score a patient must reach to still enter (ties are decided by name), or -Infinity while there is room. */
  get threshold(): number {
    return this.#kept.length < this.#limit ? -Infinity : (this.#kept[this.#kept.length - 1]?.score ?? -Infinity);
  }

  offer(score: number, patient: PreparedPatient): void {
    const ranked = { score, patient };
    const kept = this.#kept;
    if (score < this.threshold) return;
    const last = kept[kept.length - 1];
    if (kept.length >= this.#limit && last && !before(ranked, last)) return;
    let low = 0;
    let high = kept.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const other = kept[middle];
      if (other && before(other, ranked)) low = middle + 1;
      else high = middle;
    }
    kept.splice(low, 0, ranked);
    if (kept.length > this.#limit) kept.pop();
  }

  /** The kept patients, best first. */
  ranked(): readonly Ranked[] {
    return this.#kept;
  }
}
