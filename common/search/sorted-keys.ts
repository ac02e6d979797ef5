/**
 * A set of strings kept in sorted order for prefix lookups by binary search (name tokens, identifiers).
 *
 * Keys arrive in bulk (50,000 passports decrypted after unlock) and then one by one (a replicated change). Inserting
 * each into a sorted array would move the whole array every time, so new keys wait in a pending set: the next lookup
 * sorts them in all at once, or places them one by one when only a few are waiting. Keys are never removed: the
 * owner keeps a key whose last patient left with empty postings and skips it, which bounds the set by the names
 * seen while the register is unlocked.
 */

/** Up to this many pending keys are placed by binary insertion; more are merged by one sort. */
const INSERT_ONE_BY_ONE = 64;

export class SortedKeys {
  #sorted: string[] = [];
  #pending = new Set<string>();
  #all = new Set<string>();

  get size(): number {
    return this.#all.size;
  }

  add(key: string): void {
    if (this.#all.has(key)) return;
    this.#all.add(key);
    this.#pending.add(key);
  }

  /** Keys starting with `prefix`, in sorted order. */
  *withPrefix(prefix: string): Generator<string> {
    const sorted = this.sort();
    for (let i = lowerBound(sorted, prefix); i < sorted.length; i += 1) {
      const key = sorted[i] ?? '';
      if (!key.startsWith(prefix)) return;
      yield key;
    }
  }

  /** Places the pending keys; lookups do it themselves, a bulk load may do it up front. */
  sort(): string[] {
    if (this.#pending.size === 0) return this.#sorted;
    if (this.#pending.size <= INSERT_ONE_BY_ONE) {
      for (const key of this.#pending) this.#sorted.splice(lowerBound(this.#sorted, key), 0, key);
    } else {
      this.#sorted = this.#sorted.concat([...this.#pending]).sort();
    }
    this.#pending.clear();
    return this.#sorted;
  }
}

/** The first index of `sorted` whose key is not below `key` (code-unit order, as `Array.prototype.sort`). */
function lowerBound(sorted: readonly string[], key: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] ?? '') < key) low = middle + 1;
    else high = middle;
  }
  return low;
}
