/**
 * How names and identifiers are written for the in-memory patient search (ARCHITECTURE.md, "Search").
 *
 * People type names the way they remember them, not the way the passport spells them: in any case, with or without
 * "ё", with a stress mark pasted from a document, a double surname with or without its hyphen. So both the stored
 * names and the query are folded the same way: NFKC, lower case, `ё` → `е`, combining marks dropped. `й` stays a
 * letter of its own (NFKC composes it before marks are dropped): "Зуйкова" and "Зуикова" are different people.
 *
 * A name becomes tokens. Hyphens split a name into parts *and* keep the joined form, so "Петрова-Водкина" answers
 * "петрова", "водкина", "петрова-водкина" and "петроваводкина". Apostrophes (Ukrainian "Мар'яна", "Д'Артаньян") join:
 * people type them inconsistently, so the name is indexed without them, and a query drops them the same way.
 */

const APOSTROPHES = /['’ʼ`´‘]/g;
const HYPHENS = /[-‐‑‒–—]/;
const COMBINING_MARKS = /[\u0300-\u036f]/g;
const NOT_LETTER = /[^\p{L}]+/u;
/** Printable ASCII and the basic Russian alphabet without "ё": nothing to normalise but the case. */
const PLAIN_TEXT = /^[\u0020-\u007e\u0410-\u044f]*$/;
/** One lower-case word of plain letters: its only token is itself. */
const PLAIN_WORD = /^[a-zа-я]+$/;

/** Case-folded, `ё` as `е`, combining marks (stress) dropped; `й` kept. */
export function foldText(text: string): string {
  // Tens of thousands of names are folded after unlock; most need only the case changed.
  if (PLAIN_TEXT.test(text)) return text.toLowerCase();
  return text.normalize('NFKC').toLowerCase().replace(/ё/g, 'е').replace(COMBINING_MARKS, '');
}

/** The search tokens of one name field: every hyphen part, and the joined form of a hyphenated word. */
export function nameTokens(text: string): string[] {
  return pushNameTokens(text, []);
}

/** `nameTokens` appended to `into` (no array per field when tens of thousands of patients are prepared). */
export function pushNameTokens(text: string, into: string[]): string[] {
  const folded = foldText(text);
  if (PLAIN_WORD.test(folded)) {
    into.push(folded);
    return into;
  }
  const tokens = new Set<string>();
  for (const word of folded.replace(APOSTROPHES, '').split(/\s+/)) {
    const parts = word
      .split(HYPHENS)
      .flatMap((part) => part.split(NOT_LETTER))
      .filter((part) => part !== '');
    for (const part of parts) tokens.add(part);
    if (parts.length > 1) tokens.add(parts.join(''));
  }
  into.push(...tokens);
  return into;
}

/** The letters of a query word, apostrophes dropped (as in `nameTokens`), split at anything else that is no letter. */
export function queryWords(chunk: string): string[] {
  return foldText(chunk)
    .replace(APOSTROPHES, '')
    .split(NOT_LETTER)
    .filter((word) => word !== '');
}

/**
 * An identifier (SNILS, OMS policy) as it is compared: its digits. "123-456-789 01" and "12345678901" are one SNILS;
 * a policy typed with spaces is the same policy, and an old policy "ЕП 1234567" is found by its number.
 */
export function identifierKey(text: string): string {
  return /^\d*$/.test(text) ? text : text.replace(/\D+/g, '');
}
