/**
 * Length hiding for sealed documents. AES-GCM ciphertext is exactly as long as its plaintext (plus a 16-byte tag),
 * so without padding the length of a passport would tell how long the patient's name and address are.
 *
 * Scheme (ISO/IEC 7816-4 style): the plaintext is followed by one 0x80 byte and then zero bytes up to the next
 * multiple of `PADDING_BLOCK` (256) bytes; there is always at least the 0x80 byte, so 255 bytes of JSON pad to 256
 * and 256 bytes pad to 512. Removing it: drop the trailing zeros, then the last byte must be 0x80. JSON never ends
 * in a zero byte, and bytes ≥ 0x80 inside UTF-8 text do not matter because the marker is found from the end.
 *
 * What it hides: any two documents whose JSON falls into the same 256-byte bucket have ciphertexts of equal length
 * (a typical passport is several hundred bytes, so a long and a short name usually land in the same bucket; one
 * that crosses a boundary shows only "one bucket longer"). Unpadding does not depend on the block size, so a later
 * version may choose larger buckets without changing the format or breaking old documents.
 */
import type { Bytes } from './encoding.ts';

/** Plaintexts are padded to a multiple of this many bytes. */
export const PADDING_BLOCK = 256;

const MARKER = 0x80;

/** Length of the padded form of `length` plaintext bytes: the next multiple of the block strictly above it. */
export function paddedLength(length: number): number {
  return (Math.floor(length / PADDING_BLOCK) + 1) * PADDING_BLOCK;
}

/** The plaintext followed by 0x80 and zeros up to a multiple of `PADDING_BLOCK`. */
export function pad(plaintext: Uint8Array): Bytes {
  const padded = new Uint8Array(paddedLength(plaintext.length));
  padded.set(plaintext);
  padded[plaintext.length] = MARKER;
  return padded;
}

/** The plaintext inside padded bytes (a view, not a copy), or `null` when the padding is not well formed. */
export function unpad(padded: Bytes): Bytes | null {
  let end = padded.length;
  while (end > 0 && padded[end - 1] === 0) end -= 1;
  if (end === 0 || padded[end - 1] !== MARKER) return null;
  return padded.subarray(0, end - 1);
}
