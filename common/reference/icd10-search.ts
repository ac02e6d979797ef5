/**
 * Offline diagnosis search over the stored ICD-10 chunks, as a doctor types: by code (`C34`, `c34.1`, `С34` typed
 * with a Cyrillic "С", `J44` typed as `О44` on a Russian keyboard layout) or by words (case-folded, ё = е, every word
 * a prefix of a word of the name, common abbreviations such as "рак" or "ХОБЛ" understood). Exact code first.
 */
import type { DiagnosisChunk, DiagnosisEntry } from './types.ts';
import { diagnosisLevel, type DiagnosisLevel } from './icd10-chunks.ts';

export interface DiagnosisSearchOptions {
  /** Also return classes and blocks (`II`, `C00-C14`), which are headings rather than diagnoses. */
  includeGroups?: boolean;
  /** Also return codes no longer in force. */
  includeInactive?: boolean;
}

interface IndexedEntry {
  entry: DiagnosisEntry;
  words: string[];
  level: DiagnosisLevel;
}

/** Cyrillic letters that look like Latin ones, and the Latin letter on the same key of a Russian (ЙЦУКЕН) layout. */
const LOOK_ALIKE = pairs('АВЕКМНОРСТУХ', 'ABEKMHOPCTYX');
const SAME_KEY = pairs('ЙЦУКЕНГШЩЗФЫВАПРОЛДЯЧСМИТЬ', 'QWERTYUIOPASDFGHJKLZXCVBNM');

function pairs(from: string, to: string): Record<string, string> {
  const map: Record<string, string> = {};
  [...from].forEach((letter, i) => (map[letter] = to.charAt(i)));
  return map;
}

/** Abbreviations doctors type, as word prefixes that must all be in the name. */
const ABBREVIATIONS: Record<string, string[]> = {
  рак: ['злокачествен'],
  рака: ['злокачествен'],
  раком: ['злокачествен'],
  хобл: ['хроническ', 'обструктивн', 'легочн'],
  хсн: ['сердечн', 'недостаточн'],
  хбп: ['хроническ', 'болезн', 'почк'],
  бас: ['двигательн', 'неврон'],
  спид: ['вич'],
  дцп: ['церебральн', 'паралич'],
};

/** Russian inflection endings, longest first: "легких" finds "легкого", "бронхов" finds "бронха". */
const ENDINGS =
  'ого его ому ему ыми ими ых их ая яя ое ее ые ие ый ий ой ей ую юю ов ев ам ям ах ях ом ем ью а я ы и о е у ю ь';
const ENDING_LIST = ENDINGS.split(' ');

const index = new WeakMap<DiagnosisChunk, IndexedEntry[]>();

/** Lower case, ё as е. */
export function foldText(text: string): string {
  return text.toLowerCase().replace(/ё/g, 'е');
}

function wordsOf(text: string): string[] {
  return foldText(text)
    .split(/[^0-9a-zа-я]+/)
    .filter((word) => word !== '');
}

function stem(word: string): string {
  if (word.length < 5 || !/^[а-я]+$/.test(word)) return word;
  const ending = ENDING_LIST.find((candidate) => word.endsWith(candidate) && word.length - candidate.length >= 4);
  return ending ? word.slice(0, -ending.length) : word;
}

function indexed(chunk: DiagnosisChunk): IndexedEntry[] {
  let entries = index.get(chunk);
  if (!entries) {
    entries = chunk.entries.map((entry) => ({ entry, words: wordsOf(entry.name), level: diagnosisLevel(entry.code) }));
    index.set(chunk, entries);
  }
  return entries;
}

/**
 * The code prefixes a query can mean, or null when it does not look like a code: a letter (Latin, or Cyrillic read
 * both as its look-alike and as the key it shares), one or two digits, then optionally a decimal separator (`.`,
 * `,`, or `ю`/`б` from a Russian layout) and digits; `C341` reads as `C34.1`.
 */
export function codePrefixes(query: string): string[] | null {
  const match = /^([A-ZА-ЯЁ])(\d{1,2})(?:[.,ЮБ](\d{0,2})|(\d{1,2}))?$/.exec(query.trim().toUpperCase());
  if (!match?.[1] || !match[2]) return null;
  const letter = match[1];
  const letters = /[A-Z]/.test(letter) ? [letter] : [LOOK_ALIKE[letter], SAME_KEY[letter]];
  const decimals = match[3] ?? match[4];
  const rest = match[2] + (decimals === undefined ? '' : '.' + decimals);
  const usable = letters.filter((latin): latin is string => latin !== undefined);
  return usable.length === 0 ? null : [...new Set(usable)].map((latin) => latin + rest);
}

/** A query word, prepared once per search. */
interface Term {
  word: string;
  /** The word without its inflection ending: what a word of the name must start with. */
  prefix: string;
  /** What an abbreviation stands for: prefixes that must all be in the name. */
  expansion: readonly string[] | undefined;
}

function termOf(word: string): Term {
  return { word, prefix: stem(word), expansion: ABBREVIATIONS[word] };
}

/** 2 = the word itself or an abbreviation's meaning, 1 = a prefix of a word, 0 = absent. */
function wordScore(term: Term, words: readonly string[]): number {
  if (words.includes(term.word)) return 2;
  if (term.expansion?.every((part) => words.some((word) => word.startsWith(part)))) return 2;
  return words.some((word) => word.startsWith(term.prefix)) ? 1 : 0;
}

/** Whether one word of a name answers `term`. */
function termMatchesWord(term: Term, word: string): boolean {
  return word.startsWith(term.prefix) || (term.expansion?.some((part) => word.startsWith(part)) ?? false);
}

interface Hit {
  item: IndexedEntry;
  rank: number[];
}

const LEVEL_ORDER: Record<DiagnosisLevel, number> = { class: 0, block: 1, category: 2, subcategory: 3 };

function compareHits(a: Hit, b: Hit): number {
  for (let i = 0; i < a.rank.length; i += 1) {
    const difference = (a.rank[i] ?? 0) - (b.rank[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return a.item.entry.code < b.item.entry.code ? -1 : a.item.entry.code > b.item.entry.code ? 1 : 0;
}

/** How well an entry answers a query of words and codes; null when it does not. Lower ranks come first. */
function rankByWords(item: IndexedEntry, terms: readonly Term[], codes: string[][]): number[] | null {
  if (!codes.every((prefixes) => prefixes.some((prefix) => item.entry.code.startsWith(prefix)))) return null;
  let score = 0;
  for (const term of terms) {
    const points = wordScore(term, item.words);
    if (points === 0) return null;
    score += points;
  }
  const first = item.words[0] ?? '';
  const startsWithTerm = terms.some((term) => termMatchesWord(term, first));
  const exactCode = codes.some((prefixes) => prefixes.includes(item.entry.code));
  return [exactCode ? 0 : 1, -score, startsWithTerm ? 0 : 1, LEVEL_ORDER[item.level], item.words.length];
}

/**
 * Diagnoses answering `query`, best first, at most `limit`. Classes, blocks and codes no longer in force are left
 * out unless `options` ask for them.
 */
export function searchDiagnoses(
  chunks: readonly DiagnosisChunk[],
  query: string,
  limit = 20,
  options: DiagnosisSearchOptions = {},
): DiagnosisEntry[] {
  if (query.trim() === '' || limit <= 0) return [];
  const wholeCode = codePrefixes(query);
  const terms: Term[] = [];
  const codes: string[][] = [];
  if (!wholeCode) {
    for (const token of query.trim().split(/\s+/)) {
      const prefixes = codePrefixes(token);
      if (prefixes) codes.push(prefixes);
      else terms.push(...wordsOf(token).map(termOf));
    }
  }
  const hits: Hit[] = [];
  for (const chunk of chunks) {
    for (const item of indexed(chunk)) {
      if (!options.includeInactive && !item.entry.actual) continue;
      if (!options.includeGroups && (item.level === 'class' || item.level === 'block')) continue;
      let rank: number[] | null;
      if (wholeCode) {
        const which = wholeCode.findIndex((prefix) => item.entry.code.startsWith(prefix));
        rank = which === -1 ? null : [wholeCode.includes(item.entry.code) ? 0 : 1, which];
      } else {
        rank = rankByWords(item, terms, codes);
      }
      if (rank) hits.push({ item, rank });
    }
  }
  return hits
    .sort(compareHits)
    .slice(0, limit)
    .map((hit) => hit.item.entry);
}
