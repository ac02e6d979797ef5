/**
 * Byte and text helpers shared by the key-management modules: strict base64url, UTF-8, length-prefixed framing,
 * and the checks on the few identifiers that are mixed into HKDF info strings and AES-GCM additional data.
 * Those identifiers are checked here because the `|`-separated labels of the protocol are unambiguous only while
 * every field but the last one comes from an alphabet without `|`.
 */
import { toBase64Url } from '../auth-derivation.ts';
import { isFacilityId } from '../roles.ts';

/** First field of every label, info string and additional data of the protocol. */
export const PROTOCOL_LABEL = 'palliative-register/v1';

/** Bytes backed by a plain ArrayBuffer: what WebCrypto takes as a `BufferSource`. */
export type Bytes = Uint8Array<ArrayBuffer>;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 bytes of a string. */
export function utf8(text: string): Bytes {
  return encoder.encode(text);
}

/** A string from UTF-8 bytes; throws a TypeError on malformed UTF-8. */
export function fromUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** `count` random bytes from the platform's CSPRNG. */
export function randomBytes(count: number): Bytes {
  return crypto.getRandomValues(new Uint8Array(count));
}

/** A copy of `bytes` in a fresh ArrayBuffer (also turns a view on a larger or shared buffer into plain bytes). */
export function copyBytes(bytes: Uint8Array): Bytes {
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return copy;
}

/** Unpadded base64url of bytes. */
export function encodeBase64Url(bytes: Uint8Array): string {
  return toBase64Url(bytes);
}

/**
 * Bytes from unpadded base64url, strictly: only the URL-safe alphabet, no padding, and the canonical spelling
 * (the unused low bits of the last character must be zero), so one byte string has exactly one text form.
 * Returns `null` for anything else, so callers decide which named error to throw.
 */
export function decodeBase64Url(text: unknown): Bytes | null {
  if (typeof text !== 'string') return null;
  const rest = text.length % 4;
  if (rest === 1) return null;
  // Decoded straight into the bytes, four characters at a time: every passport opened goes through here (a
  // facility opens thousands at once), and decoding through atob and encoding back to compare cost 20 µs each.
  const bytes = new Uint8Array((text.length * 3) >> 2);
  const whole = text.length - rest;
  let out = 0;
  for (let at = 0; at < whole; at += 4) {
    const a = sextet(text, at);
    const b = sextet(text, at + 1);
    const c = sextet(text, at + 2);
    const d = sextet(text, at + 3);
    if ((a | b | c | d) < 0) return null;
    const group = (a << 18) | (b << 12) | (c << 6) | d;
    bytes[out++] = group >> 16;
    bytes[out++] = (group >> 8) & 0xff;
    bytes[out++] = group & 0xff;
  }
  if (rest === 0) return bytes;
  const a = sextet(text, whole);
  const b = sextet(text, whole + 1);
  if ((a | b) < 0) return null;
  bytes[out++] = (a << 2) | (b >> 4);
  if (rest === 2) return (b & 0x0f) === 0 ? bytes : null;
  const c = sextet(text, whole + 2);
  if (c < 0 || (c & 0x03) !== 0) return null;
  bytes[out] = ((b & 0x0f) << 4) | (c >> 2);
  return bytes;
}

const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
/** Each ASCII character's value in base64url, -1 for a character outside its alphabet. */
const SEXTETS = new Int8Array(128).fill(-1);
for (let value = 0; value < BASE64URL_ALPHABET.length; value += 1)
  SEXTETS[BASE64URL_ALPHABET.charCodeAt(value)] = value;

/** The value of the character at `at` in base64url, or -1. */
function sextet(text: string, at: number): number {
  const code = text.charCodeAt(at);
  return code < 128 ? (SEXTETS[code] ?? -1) : -1;
}

/** Concatenation of byte strings. */
export function concatBytes(...parts: readonly Uint8Array[]): Bytes {
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * Unambiguous framing of a list of text fields: each field is its UTF-8 length as a 4-byte big-endian integer
 * followed by its UTF-8 bytes. Two different lists never give the same bytes, whatever the fields contain.
 */
export function lengthPrefixed(fields: readonly string[]): Bytes {
  return concatBytes(
    ...fields.map((field) => {
      const bytes = utf8(field);
      const length = new Uint8Array(4);
      new DataView(length.buffer).setUint32(0, bytes.length);
      return concatBytes(length, bytes);
    }),
  );
}

/** Overwrites secret bytes with zeros (best effort: JavaScript may have copied them elsewhere). */
export function wipe(bytes: Uint8Array): void {
  bytes.fill(0);
}

/** Epoch numbers are positive safe integers: 1 is the facility's first key. */
export function isEpoch(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
}

/** Throws a TypeError unless `facilityId` is a facility slug (`[a-z0-9][a-z0-9-]{0,62}`, see common/roles.ts). */
export function assertFacilityId(facilityId: unknown): asserts facilityId is string {
  if (!isFacilityId(facilityId)) throw new TypeError(`Not a facility id: ${JSON.stringify(facilityId)}.`);
}

/** Throws a TypeError unless `epoch` is a positive safe integer. */
export function assertEpoch(epoch: unknown): asserts epoch is number {
  if (!isEpoch(epoch)) throw new TypeError(`Not an epoch number: ${JSON.stringify(epoch)}.`);
}

/** Throws a TypeError unless `login` is a non-empty string (it is always the last field of a label). */
export function assertLogin(login: unknown): asserts login is string {
  if (typeof login !== 'string' || login.length === 0)
    throw new TypeError('A recipient login must be a non-empty string.');
}

/** Constant-time comparison of two strings of equal length (for hashes); different lengths are simply unequal. */
export function equalStrings(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i += 1) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}
