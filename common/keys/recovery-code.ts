/**
 * Recovery codes: 128 random bits printed for a safe (ARCHITECTURE.md, "Recovery"), as 28 Crockford base32
 * characters in seven groups of four, e.g. `7ZQK-M3W0-R1XD-C8NB-TV5H-2GJF-PA4E`.
 *
 * - Alphabet `0123456789ABCDEFGHJKMNPQRSTVWXYZ` (no I, L, O, U). The 16 bytes are read as a big-endian bit string,
 *   two zero bits are appended, and the 130 bits give 26 characters.
 * - The last two characters are a check value: c = Σ (i + 1) · value(character i) mod 1021 over the 26 data
 *   characters (i from 0), written as two characters (c div 32, c mod 32). Because every weight and every
 *   difference of values is below the prime 1021, any single wrong character and any swap of two data
 *   characters changes c: a typo is reported as such instead of as "wrong code".
 * - Reading is forgiving: case, spaces and dashes do not matter; O is read as 0, I and L as 1; full-width forms
 *   and the Cyrillic letters that look like Latin ones (А В Е К М Н О Р С Т Х У З, typed on a Russian keyboard
 *   layout) are read as what they look like.
 */
import { type Bytes, randomBytes } from './encoding.ts';
import { RecoveryCodeError } from './errors.ts';

/** A recovery code holds this many random bytes. */
export const RECOVERY_CODE_BYTES = 16;

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const DATA_CHARACTERS = 26;
const CODE_CHARACTERS = DATA_CHARACTERS + 2;
const CHECK_MODULUS = 1021;
const GROUP = 4;

/** What a typed character is read as, after NFKC and upper-casing. */
const LOOK_ALIKES: Readonly<Record<string, string>> = {
  O: '0',
  I: '1',
  L: '1',
  А: 'A',
  В: 'B',
  Е: 'E',
  З: '3',
  К: 'K',
  М: 'M',
  Н: 'H',
  О: '0',
  Р: 'P',
  С: 'C',
  Т: 'T',
  У: 'Y',
  Х: 'X',
};

function checkValue(values: readonly number[]): number {
  return values.reduce((sum, value, index) => (sum + (index + 1) * value) % CHECK_MODULUS, 0);
}

function toCharacters(values: readonly number[]): string {
  return values.map((value) => ALPHABET[value]).join('');
}

/** Formats 16 bytes as a recovery code with its check characters, in groups of four. */
export function formatRecoveryCode(bytes: Uint8Array): string {
  if (bytes.length !== RECOVERY_CODE_BYTES) throw new TypeError(`A recovery code holds ${RECOVERY_CODE_BYTES} bytes.`);
  const values: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      values.push((buffer >> bits) & 31);
    }
    buffer &= (1 << bits) - 1;
  }
  values.push((buffer << (5 - bits)) & 31);
  const check = checkValue(values);
  const text = toCharacters([...values, check >> 5, check & 31]);
  return (text.match(new RegExp(`.{1,${GROUP}}`, 'g')) as string[]).join('-');
}

/**
 * Reads a typed recovery code back into its 16 bytes. Throws `RecoveryCodeError` with `reason` `'length'`,
 * `'character'` (naming the character) or `'checksum'` (a typo somewhere), each with a message that says so.
 */
export function parseRecoveryCode(text: string): Bytes {
  const cleaned = text
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-‐‑‒–—_.]/g, '');
  const characters = [...cleaned].map((character) => LOOK_ALIKES[character] ?? character);
  if (characters.length !== CODE_CHARACTERS) {
    throw new RecoveryCodeError(
      'length',
      `A recovery code has ${CODE_CHARACTERS} characters (not counting dashes and spaces); this one has ${characters.length}.`,
    );
  }
  const values = characters.map((character) => {
    const value = ALPHABET.indexOf(character);
    if (value < 0)
      throw new RecoveryCodeError('character', `The character "${character}" does not occur in recovery codes.`);
    return value;
  });
  const data = values.slice(0, DATA_CHARACTERS);
  const check = (values[DATA_CHARACTERS] as number) * 32 + (values[DATA_CHARACTERS + 1] as number);
  // The two padding bits of the last data character are zero in every code this module writes.
  if (check !== checkValue(data) || ((data[DATA_CHARACTERS - 1] as number) & 3) !== 0) {
    throw new RecoveryCodeError(
      'checksum',
      'The recovery code has a typo: its check characters do not match. Compare each group with the printed sheet.',
    );
  }
  const bytes = new Uint8Array(RECOVERY_CODE_BYTES);
  let buffer = 0;
  let bits = 0;
  let index = 0;
  for (const value of data) {
    buffer = ((buffer << 5) | value) & 0xffff;
    bits += 5;
    if (bits >= 8 && index < RECOVERY_CODE_BYTES) {
      bits -= 8;
      bytes[index] = (buffer >> bits) & 0xff;
      index += 1;
    }
  }
  return bytes;
}

/** A fresh recovery code (16 random bytes), formatted for printing. */
export function generateRecoveryCode(): string {
  const bytes = randomBytes(RECOVERY_CODE_BYTES);
  try {
    return formatRecoveryCode(bytes);
  } finally {
    bytes.fill(0);
  }
}
