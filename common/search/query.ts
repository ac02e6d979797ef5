/**
 * What a typed patient query means. Every part must hold (AND), in any order:
 *
 * - a **word** (two letters or more) must match a name token: exactly, as its prefix, or with a slip (see
 *   edit-distance.ts); "Петрова-Водкина" is the two words "петрова" and "водкина";
 * - a **single letter** is an initial of the name or patronymic ("Иванов И П", "Иванов И.П.", "И.П. Иванов"); when
 *   the query has no word at all, letters are the first letters of any name token instead (someone starting to type);
 * - a **birth date**: `12.03.1950` (also with `/` or `-`, one-digit day or month), `1950-03-12`, `12.03` (day and
 *   month, any year), or a year `1950` (1900–2099). A two-digit year (`12.03.50`) matches that day in *any* century:
 *   the register holds people born from the 1920s to children born this decade, so "50" cannot be resolved safely,
 *   and a guess that hides the patient is worse than one extra line. A date that cannot exist matches nobody;
 * - a **SNILS** of 11 digits, typed with or without separators (`123-456-789 01`), or an **OMS policy** (16 digits,
 *   with or without spaces; an older policy "ЕП 1234567" by its number `1234567`): an identifier is compared by its
 *   digits, exactly or as a prefix of at least 5 digits, so a partly typed number already narrows the list;
 * - any other number (a day alone, three digits) matches nobody; punctuation on its own is ignored.
 */
import { identifierKey, queryWords } from './normalise.ts';

export type QueryTerm =
  | { kind: 'word'; text: string; position: number }
  | { kind: 'initial'; letter: string; order: number }
  | { kind: 'date'; year: number | null; yearOfCentury: number | null; month: number; day: number }
  | { kind: 'year'; year: number }
  | { kind: 'identifier'; text: string };

export interface ParsedQuery {
  terms: QueryTerm[];
  /** The query holds a part no patient can match (an impossible date, a stray short number). */
  impossible: boolean;
}

/** The shortest identifier prefix worth searching: fewer digits match hundreds of unrelated numbers. */
export const MIN_IDENTIFIER_LENGTH = 5;

/** Longer input is cut: no name, date and number together need more, and pasted text should not stall a keystroke. */
export const MAX_QUERY_LENGTH = 200;

const SNILS_TYPED = /(?<![\d.])\d{3}[ -]?\d{3}[ -]?\d{3}[ -]?\d{2}(?![\d.])/g;
const OMS_TYPED = /(?<![\d.])\d{4}[ -]?\d{4}[ -]?\d{4}[ -]?\d{4}(?![\d.])/g;
const ISO_DATE = /^(\d{4})[-./](\d{1,2})[-./](\d{1,2})$/;
const DAY_MONTH_YEAR = /^(\d{1,2})[./-](\d{1,2})[./-](\d{2}|\d{4})\.?$/;
const DAY_MONTH = /^(\d{1,2})[./](\d{1,2})\.?$/;

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Whether a day can exist; with no year known, 29 February can. */
export function dayExists(year: number | null, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  if (month === 2 && year !== null) return day <= (isLeap(year) ? 29 : 28);
  return day <= (DAYS_IN_MONTH[month - 1] ?? 0);
}

function dateTerm(year: number | null, yearOfCentury: number | null, month: number, day: number): QueryTerm | null {
  return dayExists(year, month, day) ? { kind: 'date', year, yearOfCentury, month, day } : null;
}

/** A whitespace-free chunk that starts with a digit: a date, a year, an identifier, or null (matches nobody). */
function numericTerm(chunk: string): QueryTerm | null {
  const iso = ISO_DATE.exec(chunk);
  if (iso) return dateTerm(Number(iso[1]), null, Number(iso[2]), Number(iso[3]));
  const dmy = DAY_MONTH_YEAR.exec(chunk);
  if (dmy) {
    const [day, month, year] = [Number(dmy[1]), Number(dmy[2]), dmy[3] ?? ''];
    return year.length === 4 ? dateTerm(Number(year), null, month, day) : dateTerm(null, Number(year), month, day);
  }
  const dayMonth = DAY_MONTH.exec(chunk);
  if (dayMonth) return dateTerm(null, null, Number(dayMonth[2]), Number(dayMonth[1]));
  const key = identifierKey(chunk);
  if (/^\d{4}$/.test(key) && Number(key) >= 1900 && Number(key) <= 2099) return { kind: 'year', year: Number(key) };
  return key.length >= MIN_IDENTIFIER_LENGTH ? { kind: 'identifier', text: key } : null;
}

/** The terms of a typed query; never throws, whatever it is given. */
export function parsePatientQuery(query: unknown): ParsedQuery {
  const parsed: ParsedQuery = { terms: [], impossible: false };
  if (typeof query !== 'string') return parsed;
  const joinDigits = (typed: string): string => ` ${typed.replace(/\D/g, '')} `;
  const text = query
    .slice(0, MAX_QUERY_LENGTH)
    .replace(SNILS_TYPED, joinDigits)
    .replace(OMS_TYPED, joinDigits)
    .replace(/[,;]+/g, ' ');
  const letters: string[] = [];
  let position = 0;
  for (const chunk of text.split(/\s+/)) {
    if (chunk === '') continue;
    if (/^\d/.test(chunk)) {
      const term = numericTerm(chunk);
      if (term) parsed.terms.push(term);
      else parsed.impossible = true;
      continue;
    }
    if (/\d/.test(chunk)) {
      // Letters and digits together ("ЕП1234567"): an older policy, found by its number.
      const key = identifierKey(chunk);
      if (key.length >= MIN_IDENTIFIER_LENGTH) parsed.terms.push({ kind: 'identifier', text: key });
      else parsed.impossible = true;
      continue;
    }
    for (const word of queryWords(chunk)) {
      if ([...word].length === 1) letters.push(word);
      else parsed.terms.push({ kind: 'word', text: word, position: position++ });
    }
  }
  const hasWords = parsed.terms.some((term) => term.kind === 'word');
  letters.forEach((letter, order) =>
    parsed.terms.push(
      hasWords ? { kind: 'initial', letter, order } : { kind: 'word', text: letter, position: position++ },
    ),
  );
  return parsed;
}
