/**
 * The in-memory patient search (ARCHITECTURE.md, "Search"). After unlock the client decrypts a facility's
 * passports and adds them here; the index lives in memory only and is dropped with the keys at lock. Nothing in it
 * is ever written to IndexedDB, to a PouchDB index or to the server, which is why it is a small index of our own
 * rather than a full-text library with a persistence layer.
 *
 * Lookups, so a query does not read every patient (p95 within a few milliseconds at 50,000 patients, measured by
 * bench/name-index.ts):
 * - name tokens in a map to the patients holding them, and in sorted order for prefixes (sorted-keys.ts);
 * - letter pairs of the tokens for words typed with a slip (typo-candidates.ts);
 * - birth dates by day, by year and by day-and-month (two-digit years, `12.03`).
 * SNILS and OMS policies are not filed: a typed number is compared with every patient's two numbers in one tight
 * loop (one to two milliseconds at 50,000, measured), which costs less than filing 100,000 numbers at every unlock
 * (a fifth of the build time and about 9 MB at 50,000, measured).
 * Each query part names the patients it could match; the index takes the part naming the fewest and scores only
 * those patients with the shared rules of matching.ts, which also gives the plain scan (linear-scan.ts) its answers.
 */
import {
  EXACT_SCORE,
  type PatientEntry,
  type PatientHit,
  type PreparedPatient,
  evaluatePatient,
  scorePatient,
  termCeiling,
  preparePatient,
  prefixScore,
  typoScore,
} from './matching.ts';
import { typoAllowance } from './edit-distance.ts';
import { type QueryTerm, parsePatientQuery } from './query.ts';
import { TopHits } from './ranking.ts';
import { SortedKeys } from './sorted-keys.ts';
import { TypoCandidates } from './typo-candidates.ts';

export type { NameField, PatientEntry, PatientField, PatientHit } from './matching.ts';

export interface PatientSearchOptions {
  /** At most this many hits, best first; 50 unless given. */
  limit?: number;
}

export const DEFAULT_SEARCH_LIMIT = 50;

/** `add` was given a patient already in the index: the caller meant `update`. */
export class DuplicatePatientError extends Error {
  override name = 'DuplicatePatientError';
}

/** Sizes of the index's lookups, for memory reports. */
export interface PatientIndexStatistics {
  patients: number;
  tokens: number;
  letterPairEntries: number;
}

/**
 * Patients (slots) per key. Arrays rather than sets: most keys (a rare surname, a birth date) name a few patients,
 * and tens of thousands of small sets cost several times the memory and build time of arrays. A removal searches
 * the array, which is short for every key but the commonest names, and removals are rare.
 */
type Postings<K> = Map<K, number[]>;

/** Files `slot` under `key`; true when the key is new to the index. */
function file<K>(postings: Postings<K>, key: K, slot: number): boolean {
  const slots = postings.get(key);
  if (slots) {
    slots.push(slot);
    return false;
  }
  postings.set(key, [slot]);
  return true;
}

/** Keys stay when their last patient leaves (see sorted-keys.ts); an empty list simply names nobody. */
function unfile<K>(postings: Postings<K>, key: K, slot: number): void {
  const slots = postings.get(key);
  const at = slots?.indexOf(slot) ?? -1;
  if (!slots || at === -1) return;
  slots[at] = slots[slots.length - 1] ?? slot;
  slots.pop();
}

const NOBODY: readonly number[] = [];

/** Patients filed under one key, and the most a query part can score for them. */
interface Group {
  ceiling: number;
  slots: readonly number[];
}

/** How one query part narrows the search. */
interface TermPlan {
  groups: Group[];
  /** Patients named by the groups (counted with repeats): the part with the fewest is walked. */
  size: number;
  /** The most this part adds to any patient's score. */
  ceiling: number;
}

/** Scores are sums of fractions: a bound equal to the last kept score must not lose to rounding. */
const ROUNDING = 1e-9;

export class PatientIndex {
  #patients: (PreparedPatient | undefined)[] = [];
  #freeSlots: number[] = [];
  #slotById = new Map<string, number>();
  #tokens: Postings<string> = new Map();
  /** One string per distinct token, shared by every patient holding it (thousands of "Александровна"s are one). */
  #tokenTexts = new Map<string, string>();
  #sortedTokens = new SortedKeys();
  #typos = new TypoCandidates();
  #byDate: Postings<number> = new Map();
  #byYear: Postings<number> = new Map();
  #byMonthDay: Postings<number> = new Map();
  /** Which slots the current search has already scored, by search number: no set to build per query. */
  #seen = new Uint32Array(0);
  #searchNumber = 0;

  constructor(entries: Iterable<PatientEntry> = []) {
    for (const entry of entries) this.add(entry);
    // Sorted now, as part of building, rather than by the first keystroke.
    this.#sortedTokens.sort();
  }

  /** How many patients are indexed. */
  get size(): number {
    return this.#slotById.size;
  }

  has(id: string): boolean {
    return this.#slotById.has(id);
  }

  /** Adds a patient; throws `DuplicatePatientError` when its id is already indexed (use `update`). */
  add(entry: PatientEntry): void {
    if (this.#slotById.has(entry.id)) throw new DuplicatePatientError(`patient ${entry.id} is already indexed`);
    this.#insert(preparePatient(entry));
  }

  /** Replaces a patient's entry, or adds it when absent (a replicated change need not know which). */
  update(entry: PatientEntry): void {
    this.remove(entry.id);
    this.#insert(preparePatient(entry));
  }

  /** Removes a patient; false when it was not indexed. */
  remove(id: string): boolean {
    const slot = this.#slotById.get(id);
    const patient = slot === undefined ? undefined : this.#patients[slot];
    if (slot === undefined || !patient) return false;
    this.#file(patient, slot, unfile);
    this.#patients[slot] = undefined;
    this.#slotById.delete(id);
    this.#freeSlots.push(slot);
    return true;
  }

  /**
   * Patients answering `query` (see query.ts for what may be typed), best first, at most `options.limit` (50).
   * Never throws: an empty, unreadable or impossible query has no hits.
   */
  search(query: string, options: PatientSearchOptions = {}): PatientHit[] {
    const limit = options.limit ?? DEFAULT_SEARCH_LIMIT;
    if (!(limit > 0) || this.size === 0) return [];
    const { terms, impossible } = parsePatientQuery(query);
    if (impossible || terms.length === 0) return [];
    const wordScores = new Map<QueryTerm, Map<string, number>>();
    const plans: TermPlan[] = [];
    for (const term of terms) {
      const plan = this.#plan(term, wordScores);
      if (plan.size === 0) return [];
      plans.push(plan);
    }
    const narrowest = plans.reduce((best, plan) => (plan.size < best.size ? plan : best));
    // The most the other parts can add; a group whose best cannot reach the last kept score ends the search.
    const others = plans.reduce((sum, plan) => sum + plan.ceiling, 0) - narrowest.ceiling;
    const base = (term: QueryTerm, token: string): number => wordScores.get(term)?.get(token) ?? 0;
    const top = new TopHits(Math.floor(limit));
    const seen = this.#seen;
    const searchNumber = this.#nextSearchNumber();
    for (const group of narrowest.groups) {
      if (group.ceiling + others < top.threshold - ROUNDING) break;
      for (const slot of group.slots) {
        if (seen[slot] === searchNumber) continue;
        seen[slot] = searchNumber;
        const patient = this.#patients[slot];
        const score = patient ? scorePatient(patient, terms, base) : 0;
        if (patient && score > 0) top.offer(score, patient);
      }
    }
    return top.ranked().flatMap(({ patient }) => evaluatePatient(patient, terms, base) ?? []);
  }

  statistics(): PatientIndexStatistics {
    return {
      patients: this.size,
      tokens: this.#tokens.size,
      letterPairEntries: this.#typos.entryCount,
    };
  }

  #nextSearchNumber(): number {
    this.#searchNumber = (this.#searchNumber + 1) >>> 0;
    if (this.#searchNumber === 0) {
      this.#seen.fill(0);
      this.#searchNumber = 1;
    }
    return this.#searchNumber;
  }

  #insert(patient: PreparedPatient): void {
    const slot = this.#freeSlots.pop() ?? this.#patients.length;
    this.#patients[slot] = patient;
    this.#slotById.set(patient.id, slot);
    if (slot >= this.#seen.length) {
      // Growing starts a fresh count: zeros are never a search number.
      this.#seen = new Uint32Array(Math.max(1024, this.#seen.length * 2));
    }
    this.#file(patient, slot, (postings, key, at) => {
      if (!file(postings, key, at)) return;
      if (postings === this.#tokens && typeof key === 'string') {
        this.#tokenTexts.set(key, key);
        this.#sortedTokens.add(key);
        this.#typos.add(key);
      }
    });
    const tokens = patient.tokens;
    for (let i = 0; i < tokens.length; i += 1) tokens[i] = this.#tokenTexts.get(tokens[i] ?? '') ?? tokens[i] ?? '';
  }

  /** Files (or unfiles) every key of a patient through `act`. */
  #file(patient: PreparedPatient, slot: number, act: <K>(postings: Postings<K>, key: K, slot: number) => void): void {
    patient.tokens.forEach((token, i) => {
      // A token held by two fields ("Роман Роман…") is filed once.
      if (patient.tokens.indexOf(token) === i) act(this.#tokens, token, slot);
    });
    if (patient.birth !== 0) {
      act(this.#byDate, patient.birth, slot);
      act(this.#byYear, Math.floor(patient.birth / 10000), slot);
      act(this.#byMonthDay, patient.birth % 10000, slot);
    }
  }

  /**
   * The patients a query part could match, in groups by the most the part can score for them (best first), and
   * how many they are. For a word, also its score per token, which scoring then looks up.
   */
  #plan(term: QueryTerm, wordScores: Map<QueryTerm, Map<string, number>>): TermPlan {
    let groups: Group[];
    switch (term.kind) {
      case 'word': {
        const scores = this.#wordScores(term.text);
        wordScores.set(term, scores);
        groups = [...scores].map(([token, score]) => ({
          ceiling: termCeiling(term, score),
          slots: this.#tokens.get(token) ?? NOBODY,
        }));
        groups.sort((a, b) => b.ceiling - a.ceiling);
        break;
      }
      case 'initial': {
        const ceiling = termCeiling(term, 0);
        groups = [...this.#sortedTokens.withPrefix(term.letter)].map((token) => ({
          ceiling,
          slots: this.#tokens.get(token) ?? NOBODY,
        }));
        break;
      }
      case 'date': {
        const { year, month, day } = term;
        const slots =
          year === null ? this.#byMonthDay.get(month * 100 + day) : this.#byDate.get(year * 10000 + month * 100 + day);
        groups = [{ ceiling: termCeiling(term, 0), slots: slots ?? NOBODY }];
        break;
      }
      case 'year':
        groups = [{ ceiling: termCeiling(term, 0), slots: this.#byYear.get(term.year) ?? NOBODY }];
        break;
      case 'identifier':
        groups = [{ ceiling: termCeiling(term, 0), slots: this.#withIdentifier(term.text) }];
        break;
    }
    return {
      groups,
      size: groups.reduce((sum, group) => sum + group.slots.length, 0),
      ceiling: groups[0]?.ceiling ?? 0,
    };
  }

  /** Slots of the patients whose SNILS or policy starts with `digits`: numbers are not filed (see the header). */
  #withIdentifier(digits: string): number[] {
    const slots: number[] = [];
    const patients = this.#patients;
    for (let slot = 0; slot < patients.length; slot += 1) {
      const patient = patients[slot];
      if (patient && (patient.snils.startsWith(digits) || patient.oms.startsWith(digits))) slots.push(slot);
    }
    return slots;
  }

  /** Every token a query word matches, with its score: exact and prefixes from the sorted tokens, then slips. */
  #wordScores(word: string): Map<string, number> {
    const scores = new Map<string, number>();
    for (const token of this.#sortedTokens.withPrefix(word)) {
      scores.set(token, token === word ? EXACT_SCORE : prefixScore(word, token));
    }
    const allowed = typoAllowance(word.length);
    if (allowed > 0) {
      for (const [token, distance] of this.#typos.near(word, allowed)) {
        if (!scores.has(token)) scores.set(token, typoScore(distance));
      }
    }
    return scores;
  }
}
