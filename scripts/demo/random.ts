/**
 * Seeded choices and calendar arithmetic for the demo generator. Every patient gets a random stream of their own,
 * seeded from the run's seed, the facility and the patient's number, so a patient's content does not depend on how
 * many patients came before, how the work is cut into chunks, or on any other facility of the same run.
 */
import { seededRandom } from '../../common/search/synthetic-patients.ts';

export type Random = () => number;

/** A 32-bit seed from any number of parts (FNV-1a over their text, then one round of mixing). */
export function mixSeed(...parts: readonly (string | number)[]): number {
  let hash = 0x811c9dc5;
  for (const char of parts.join('|')) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b) >>> 0;
  return (hash ^ (hash >>> 13)) >>> 0;
}

/** The random stream of one patient of one facility. */
export function patientRandom(seed: number, facilityId: string, index: number): Random {
  return seededRandom(mixSeed(seed, facilityId, index));
}

/** A whole number from `min` to `max`, both included. */
export function between(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

export function chance(random: Random, probability: number): boolean {
  return random() < probability;
}

export function pick<T>(random: Random, list: readonly T[]): T {
  const item = list[Math.floor(random() * list.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

/** One of the keys, with probability proportional to its weight. */
export function weighted<T extends string>(random: Random, weights: Readonly<Record<T, number>>): T {
  const entries = Object.entries(weights) as [T, number][];
  let roll = random() * entries.reduce((total, [, weight]) => total + weight, 0);
  for (const [key, weight] of entries) {
    roll -= weight;
    if (roll < 0) return key;
  }
  const last = entries[entries.length - 1];
  if (!last) throw new Error('weighted choice without weights');
  return last[0];
}

/** `count` distinct items of `list` (all of them when it is shorter). */
export function pickSome<T>(random: Random, list: readonly T[], count: number): T[] {
  const pool = [...list];
  const chosen: T[] = [];
  while (chosen.length < count && pool.length > 0) {
    chosen.push(pool.splice(Math.floor(random() * pool.length), 1)[0] as T);
  }
  return chosen;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** `YYYY-MM-DD` plus `days` (negative: before). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to`. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

export function minDate(a: string, b: string): string {
  return a < b ? a : b;
}

export function maxDate(a: string, b: string): string {
  return a > b ? a : b;
}
