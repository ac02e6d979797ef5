import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url } from '../auth-derivation.ts';
import { decodeBase64Url, encodeBase64Url, lengthPrefixed, equalStrings } from './encoding.ts';
import { canonicalJwkJson, isEcPublicKeyJwk, publicKeyHash } from './jwk.ts';
import { makeMember } from './test-fixtures.ts';

describe('strict base64url', () => {
  it('round-trips bytes', () => {
    const bytes = new Uint8Array([0, 250, 251, 252, 253, 254, 255]);
    expect(decodeBase64Url(encodeBase64Url(bytes))).toEqual(bytes);
  });

  it.each([
    ['standard base64 characters', 'ab+/'],
    ['padding', 'AA=='],
    ['an impossible length', 'AAAAA'],
    ['a non-canonical last character (unused bits set)', 'AB'],
    ['whitespace', 'AA AA'],
    ['a number', 42],
  ])('refuses %s', (_what, text) => {
    expect(decodeBase64Url(text)).toBeNull();
  });

  it('round-trips any bytes, of every length', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        expect(decodeBase64Url(encodeBase64Url(bytes))).toEqual(bytes);
      }),
    );
  });

  it('accepts exactly the canonical unpadded base64url texts, as atob decodes them', () => {
    // The reference: the platform's atob on the text made standard, accepted only if encoding back gives the text.
    const reference = (text: string): Uint8Array | null => {
      if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
      const bytes = fromBase64Url(text);
      return toBase64Url(bytes) === text ? bytes : null;
    };
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split('');
    // Mostly the alphabet (so that lengths and last characters are tried), now and then a character outside it.
    const characters = fc.oneof(
      { arbitrary: fc.constantFrom(...alphabet), weight: 30 },
      { arbitrary: fc.constantFrom(...'+/= .Яé\u0000'.split('')), weight: 1 },
    );
    fc.assert(
      fc.property(fc.array(characters, { maxLength: 24 }), (chars) => {
        const text = chars.join('');
        expect(decodeBase64Url(text)).toEqual(reference(text));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('length-prefixed framing', () => {
  it('keeps field boundaries: ["ab", "c"] and ["a", "bc"] differ', () => {
    expect(lengthPrefixed(['ab', 'c'])).not.toEqual(lengthPrefixed(['a', 'bc']));
    expect(lengthPrefixed(['a|b'])).not.toEqual(lengthPrefixed(['a', 'b']));
  });

  it('writes a 4-byte big-endian UTF-8 length before each field', () => {
    expect([...lengthPrefixed(['я'])]).toEqual([0, 0, 0, 2, 0xd1, 0x8f]);
  });
});

describe('string comparison', () => {
  it('compares equal and unequal strings', () => {
    expect(equalStrings('abc', 'abc')).toBe(true);
    expect(equalStrings('abc', 'abd')).toBe(false);
    expect(equalStrings('abc', 'ab')).toBe(false);
  });
});

describe('public key hash', () => {
  it('is the SHA-256 of the canonical JWK JSON, whatever the member order and extra members', async () => {
    const { publicKeyJwk } = await makeMember('a');
    const untidy = { y: publicKeyJwk.y, ext: true, key_ops: [], x: publicKeyJwk.x, crv: 'P-256', kty: 'EC' };
    expect(canonicalJwkJson(untidy)).toBe(`{"crv":"P-256","kty":"EC","x":"${publicKeyJwk.x}","y":"${publicKeyJwk.y}"}`);
    expect(await publicKeyHash(untidy)).toBe(await publicKeyHash(publicKeyJwk));
    expect(await publicKeyHash(publicKeyJwk)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('differs between keys', async () => {
    const [a, b] = await Promise.all([makeMember('a'), makeMember('b')]);
    expect(await publicKeyHash(a.publicKeyJwk)).not.toBe(await publicKeyHash(b.publicKeyJwk));
  });

  it('has a fixed value for a fixed key', async () => {
    const jwk = { kty: 'EC', crv: 'P-256', x: 'A'.repeat(42) + 'E', y: 'B'.repeat(42) + 'A' };
    const json = `{"crv":"P-256","kty":"EC","x":"${jwk.x}","y":"${jwk.y}"}`;
    const expected = Buffer.from(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(json))).toString(
      'base64url',
    );
    expect(await publicKeyHash(jwk)).toBe(expected);
  });

  it.each([
    ['a private key (with d)', { d: 'A'.repeat(43) }],
    ['another curve', { crv: 'P-384' }],
    ['an RSA key type', { kty: 'RSA' }],
    ['a short coordinate', { x: 'A'.repeat(42) }],
    ['a missing coordinate', { y: undefined }],
  ])('refuses %s', async (_what, change) => {
    const { publicKeyJwk } = await makeMember('a');
    const jwk = JSON.parse(JSON.stringify({ ...publicKeyJwk, ...change })) as unknown;
    expect(isEcPublicKeyJwk(jwk)).toBe(false);
    await expect(publicKeyHash(jwk)).rejects.toThrow(TypeError);
  });
});
