/**
 * Finding the name tokens within one or two slips of a query word without measuring the distance to all of them.
 *
 * Each token is filed under its letter pairs, with a start and an end mark ("иван" → ^и ив ва ан н^). A slip
 * destroys at most three pairs of the word (a swap of two neighbours does), so a token within `d` slips shares at
 * least `pairs(word) − 3d` distinct pairs with it; counting shared pairs over the pair lists of the query word leaves
 * a few candidates, and only those are measured. A deletion neighbourhood (SymSpell) answers with fewer steps but
 * stores every token once per deletion variant — about 30 variants per surname at two slips — where this stores one
 * entry per letter pair; the benchmark (bench/name-index.ts) prints both sizes.
 */
import { distanceWithin } from './edit-distance.ts';

const START = '\u0002';
const END = '\u0003';

/** The distinct letter pairs of a word with its start and end marks. */
export function letterPairs(word: string): Set<string> {
  const padded = START + word + END;
  const pairs = new Set<string>();
  for (let i = 0; i + 1 < padded.length; i += 1) pairs.add(padded.slice(i, i + 2));
  return pairs;
}

export class TypoCandidates {
  #tokens: string[] = [];
  #pairs = new Map<string, number[]>();
  #counts = new Uint16Array(256);

  /** Pair-list entries held, for memory reports. */
  get entryCount(): number {
    let count = 0;
    for (const list of this.#pairs.values()) count += list.length;
    return count;
  }

  /** Files a new token; each token is added once. */
  add(token: string): void {
    const id = this.#tokens.length;
    this.#tokens.push(token);
    for (const pair of letterPairs(token)) {
      const list = this.#pairs.get(pair);
      if (list) list.push(id);
      else this.#pairs.set(pair, [id]);
    }
    if (id >= this.#counts.length) {
      const grown = new Uint16Array(this.#counts.length * 2);
      grown.set(this.#counts);
      this.#counts = grown;
    }
  }

  /** Tokens within `maxDistance` slips of `word`, each with its distance (never 0: the word itself is not a typo). */
  near(word: string, maxDistance: number): Map<string, number> {
    const found = new Map<string, number>();
    const pairs = letterPairs(word);
    const needed = pairs.size - 3 * maxDistance;
    const consider = (token: string): void => {
      if (token === word || Math.abs(token.length - word.length) > maxDistance) return;
      const distance = distanceWithin(word, token, maxDistance);
      if (distance <= maxDistance) found.set(token, distance);
    };
    if (needed <= 0) {
      // Too few pairs to filter on (a short word of repeated letters): measure every token.
      this.#tokens.forEach(consider);
      return found;
    }
    const counts = this.#counts;
    const touched: number[] = [];
    for (const pair of pairs) {
      for (const id of this.#pairs.get(pair) ?? []) {
        if (counts[id] === 0) touched.push(id);
        counts[id] = (counts[id] ?? 0) + 1;
      }
    }
    for (const id of touched) {
      if ((counts[id] ?? 0) >= needed) consider(this.#tokens[id] ?? '');
      counts[id] = 0;
    }
    return found;
  }
}
