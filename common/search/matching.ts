/**
 * The matching rules of the patient search, written once: the index (patient-index.ts) uses them to score the few
 * patients its lookups leave, and the plain scan (linear-scan.ts) applies them to everyone. So the index can only
 * be faster than the scan, never different from it — and the tests hold it to that.
 *
 * Scores, per query part (a hit's score is their sum, so more and better-matching parts rank higher):
 * - a word: exact token 10; prefix 5–8 (closer to the whole token is better); one slip 4; two slips 3;
 *   +0.5 when the first word of the query matches the surname (people type the surname first);
 * - an initial: 5, or 6 when in its usual place (first initial the name, second the patronymic);
 * - a date or a year 10; an identifier 10 exact, 6 as a prefix.
 * Exact beats prefix beats typo for every word. Each word or initial needs a token of its own: "Иван Иван" does
 * not find a lone "Иван". Ties go by the name's tokens (surname first), then id, so results are stable.
 */
import { distanceWithin, typoAllowance } from './edit-distance.ts';
import { identifierKey, pushNameTokens } from './normalise.ts';
import type { QueryTerm } from './query.ts';

/** One patient as the search sees it: decrypted passport fields, held in memory only. */
export interface PatientEntry {
  id: string;
  surname: string;
  name: string;
  patronymic?: string;
  /** YYYY-MM-DD. */
  birthDate?: string;
  /** 11 digits, separators allowed. */
  snils?: string;
  omsPolicy?: string;
}

export type NameField = 'surname' | 'name' | 'patronymic';
export type PatientField = NameField | 'birthDate' | 'snils' | 'omsPolicy';

/** A search answer: the patient's id, how well it matched, and which fields answered the query. */
export interface PatientHit {
  id: string;
  score: number;
  matched: PatientField[];
}

/** A patient prepared for matching: tokens and keys computed once, when the patient is added. */
export interface PreparedPatient {
  id: string;
  /** Name tokens: the surname's, then the name's, then the patronymic's (strings only: no object per token). */
  tokens: string[];
  /** Where the name's tokens start in `tokens`, and where the patronymic's do. */
  nameStart: number;
  patronymicStart: number;
  /** Birth date as the number yyyymmdd (19500312), 0 when unknown: no object per patient. */
  birth: number;
  snils: string;
  oms: string;
  /** Folded surname, name and patronymic tokens, for a stable order of equal scores; made when first needed. */
  sortKey?: string;
}

export const EXACT_SCORE = 10;
const PREFIX_BASE = 5;
const PREFIX_SPAN = 3;
const TYPO_SCORES = [EXACT_SCORE, 4, 3];
const SURNAME_FIRST_BONUS = 0.5;
const INITIAL_SCORE = 5;
const IDENTIFIER_PREFIX_SCORE = 6;

const BIRTH_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Tokens and keys of an entry. A birth date not in YYYY-MM-DD form is left out rather than guessed. */
export function preparePatient(entry: PatientEntry): PreparedPatient {
  // A decrypted passport is checked elsewhere; a missing name here only makes the patient harder to find.
  const tokens = pushNameTokens(entry.surname ?? '', []);
  const nameStart = tokens.length;
  pushNameTokens(entry.name ?? '', tokens);
  const patronymicStart = tokens.length;
  pushNameTokens(entry.patronymic ?? '', tokens);
  const date = entry.birthDate ?? '';
  return {
    id: entry.id,
    tokens,
    nameStart,
    patronymicStart,
    birth: BIRTH_DATE.test(date) ? Number(date.slice(0, 4) + date.slice(5, 7) + date.slice(8, 10)) : 0,
    snils: identifierKey(entry.snils ?? ''),
    oms: identifierKey(entry.omsPolicy ?? ''),
    // Present from the start, so every prepared patient keeps one shape and property reads stay fast.
    sortKey: undefined,
  };
}

/** Score of a prefix `word` of a longer `token`: between 5 and 8, higher the more of the token it covers. */
export function prefixScore(word: string, token: string): number {
  return PREFIX_BASE + (PREFIX_SPAN * word.length) / token.length;
}

/** Score of a token that is `distance` slips away from the query word. */
export function typoScore(distance: number): number {
  return TYPO_SCORES[distance] ?? 0;
}

/** How a query word matches a name token, by the rules above: 0 when it does not. */
export function wordMatchScore(word: string, token: string): number {
  if (token === word) return EXACT_SCORE;
  if (token.startsWith(word)) return prefixScore(word, token);
  const allowed = typoAllowance(word.length);
  if (allowed === 0) return 0;
  const distance = distanceWithin(word, token, allowed);
  return distance <= allowed ? typoScore(distance) : 0;
}

/** The field the patient's token number `index` comes from. */
export function tokenField(patient: PreparedPatient, index: number): NameField {
  if (index < patient.nameStart) return 'surname';
  return index < patient.patronymicStart ? 'name' : 'patronymic';
}

/** A word's or an initial's score against one token of the patient; the surname bonus goes to the first word only. */
function nameTermScore(term: QueryTerm, patient: PreparedPatient, index: number, base: BaseScore): number {
  const text = patient.tokens[index] ?? '';
  if (term.kind === 'word') {
    const score = base(term, text);
    return score > 0 && term.position === 0 && index < patient.nameStart ? score + SURNAME_FIRST_BONUS : score;
  }
  if (term.kind !== 'initial' || index < patient.nameStart || !text.startsWith(term.letter)) return 0;
  const usualField = term.order === 0 ? 'name' : term.order === 1 ? 'patronymic' : null;
  return tokenField(patient, index) === usualField ? INITIAL_SCORE + 1 : INITIAL_SCORE;
}

function otherTermScore(term: QueryTerm, patient: PreparedPatient, matched: Set<PatientField> | null): number {
  const birth = patient.birth;
  switch (term.kind) {
    case 'date': {
      const year = Math.floor(birth / 10000);
      if (birth === 0 || birth % 10000 !== term.month * 100 + term.day) return 0;
      if (term.year !== null && year !== term.year) return 0;
      if (term.yearOfCentury !== null && year % 100 !== term.yearOfCentury) return 0;
      matched?.add('birthDate');
      return EXACT_SCORE;
    }
    case 'year':
      if (Math.floor(birth / 10000) !== term.year) return 0;
      matched?.add('birthDate');
      return EXACT_SCORE;
    case 'identifier': {
      const snils = identifierScore(term.text, patient.snils);
      const oms = identifierScore(term.text, patient.oms);
      if (snils > 0 && snils >= oms) matched?.add('snils');
      else if (oms > 0) matched?.add('omsPolicy');
      return Math.max(snils, oms);
    }
    default:
      return 0;
  }
}

function identifierScore(typed: string, stored: string): number {
  if (stored === '') return 0;
  if (stored === typed) return EXACT_SCORE;
  return stored.startsWith(typed) ? IDENTIFIER_PREFIX_SCORE : 0;
}

/**
 * Scratch space of the assignment search, reused by every patient: a short query can leave tens of thousands of
 * candidates, and arrays and closures made per candidate would cost more than the search itself.
 */
const assignment = {
  scores: new Float64Array(64),
  ceiling: new Float64Array(33),
  chosen: new Int8Array(32),
  bestChosen: new Int8Array(32),
  best: 0,
  terms: 0,
  tokens: 0,
};

/** Explores giving term `term` each free token; a branch that cannot beat the best so far is cut. */
function visitAssignment(term: number, used: number, total: number): void {
  const state = assignment;
  if (total + (state.ceiling[term] ?? 0) <= state.best) return;
  if (term === state.terms) {
    state.best = total;
    state.bestChosen.set(state.chosen);
    return;
  }
  const row = term * state.tokens;
  for (let token = 0; token < state.tokens; token += 1) {
    const score = state.scores[row + token] ?? 0;
    if (score === 0 || used & (1 << token)) continue;
    state.chosen[term] = token;
    visitAssignment(term + 1, used | (1 << token), total + score);
  }
}

/**
 * The best total of `assignment.scores` (a terms × tokens table filled by the caller) giving each term a token of
 * its own, or 0 when there is none; the tokens chosen are left in `assignment.bestChosen`. Queries have a handful
 * of words and patients a handful of tokens, so a plain search over assignments is cheap.
 */
function bestAssignment(terms: number, tokens: number): number {
  const state = assignment;
  state.terms = terms;
  state.tokens = tokens;
  state.best = 0;
  if (terms > tokens) return 0;
  state.ceiling[terms] = 0;
  for (let term = terms - 1; term >= 0; term -= 1) {
    let rowMax = 0;
    for (let token = 0; token < tokens; token += 1) rowMax = Math.max(rowMax, state.scores[term * tokens + token] ?? 0);
    state.ceiling[term] = (state.ceiling[term + 1] ?? 0) + rowMax;
  }
  visitAssignment(0, 0, 0);
  return state.best;
}

/** A word's score against a token: looked up by the index, computed by the scan. */
export type BaseScore = (term: QueryTerm, token: string) => number;

/** The highest score a query part can add: what the index uses to stop once no remaining patient can rank. */
export function termCeiling(term: QueryTerm, bestBase: number): number {
  switch (term.kind) {
    case 'word':
      return bestBase + (term.position === 0 ? SURNAME_FIRST_BONUS : 0);
    case 'initial':
      return INITIAL_SCORE + 1;
    default:
      return EXACT_SCORE;
  }
}

/** The score of a patient for parsed `terms`, 0 when some term does not match; fills `matched` when given. */
function evaluate(
  patient: PreparedPatient,
  terms: readonly QueryTerm[],
  base: BaseScore,
  matched: Set<PatientField> | null,
): number {
  let score = 0;
  let nameTerms = 0;
  let nameTerm: QueryTerm | null = null;
  for (const term of terms) {
    if (term.kind === 'word' || term.kind === 'initial') {
      nameTerms += 1;
      nameTerm = term;
      continue;
    }
    const value = otherTermScore(term, patient, matched);
    if (value === 0) return 0;
    score += value;
  }
  const tokens = patient.tokens;
  if (nameTerm === null) return score;
  if (nameTerms === 1) {
    // The common case, one word: its best token, with no assignment to search.
    let best = 0;
    let bestIndex = -1;
    for (let index = 0; index < tokens.length; index += 1) {
      const value = nameTermScore(nameTerm, patient, index, base);
      if (value > best) [best, bestIndex] = [value, index];
    }
    if (bestIndex === -1) return 0;
    matched?.add(tokenField(patient, bestIndex));
    return score + best;
  }
  // More than 31 tokens cannot be tracked in a bit mask; such a name is not a name, it matches nothing.
  if (tokens.length > 31 || nameTerms > tokens.length) return 0;
  if (assignment.scores.length < nameTerms * tokens.length)
    assignment.scores = new Float64Array(nameTerms * tokens.length);
  let row = 0;
  for (const term of terms) {
    if (term.kind !== 'word' && term.kind !== 'initial') continue;
    let found = false;
    for (let index = 0; index < tokens.length; index += 1) {
      const value = nameTermScore(term, patient, index, base);
      assignment.scores[row * tokens.length + index] = value;
      if (value > 0) found = true;
    }
    if (!found) return 0;
    row += 1;
  }
  const total = bestAssignment(nameTerms, tokens.length);
  if (total === 0) return 0;
  if (matched) {
    for (let term = 0; term < nameTerms; term += 1) matched.add(tokenField(patient, assignment.bestChosen[term] ?? 0));
  }
  return score + total;
}

/** A patient's score for parsed `terms`, 0 when some term does not match: what ranking needs, and nothing more. */
export function scorePatient(patient: PreparedPatient, terms: readonly QueryTerm[], base: BaseScore): number {
  return evaluate(patient, terms, base, null);
}

/** A patient's hit for parsed `terms` (with the fields that matched), or null when some term does not match. */
export function evaluatePatient(
  patient: PreparedPatient,
  terms: readonly QueryTerm[],
  base: BaseScore,
): PatientHit | null {
  const matched = new Set<PatientField>();
  const score = evaluate(patient, terms, base, matched);
  if (score === 0) return null;
  const order: readonly PatientField[] = ['surname', 'name', 'patronymic', 'birthDate', 'snils', 'omsPolicy'];
  return { id: patient.id, score, matched: order.filter((field) => matched.has(field)) };
}
