import { assert } from '@open-wc/testing';
import {
  ONE_TIME_PASSWORD_ALPHABET,
  generateOneTimePassword,
  isOneTimePasswordFormat,
  oneTimePasswordExpiry,
} from './one-time-password.ts';

describe('one-time password generator', () => {
  it('makes four groups of five characters from the unambiguous alphabet', () => {
    const password = generateOneTimePassword();
    assert.match(password, /^[a-z2-9]{5}-[a-z2-9]{5}-[a-z2-9]{5}-[a-z2-9]{5}$/);
    assert.isTrue(isOneTimePasswordFormat(password));
    for (const lookAlike of ['0', '1', 'i', 'l', 'o']) assert.notInclude(password, lookAlike);
  });

  it('never repeats itself over 1000 passwords', () => {
    const passwords = new Set(Array.from({ length: 1000 }, () => generateOneTimePassword()));
    assert.equal(passwords.size, 1000);
  });

  it('holds about 99 bits: 20 characters, each of the 31 equally likely', () => {
    assert.equal(ONE_TIME_PASSWORD_ALPHABET.length, 31);
    assert.isAbove(20 * Math.log2(ONE_TIME_PASSWORD_ALPHABET.length), 99);
    const counts = new Map<string, number>();
    for (let i = 0; i < 2000; i += 1) {
      for (const char of generateOneTimePassword().replace(/-/g, '')) counts.set(char, (counts.get(char) ?? 0) + 1);
    }
    assert.equal(counts.size, 31, 'every character of the alphabet appears');
    // 40,000 characters: each is expected ~1290 times; a chi-square far above 30 degrees of freedom means bias.
    const expected = 40_000 / 31;
    const chiSquare = [...counts.values()].reduce((sum, n) => sum + (n - expected) ** 2 / expected, 0);
    assert.isBelow(chiSquare, 80);
  });

  it('skips random bytes that would bias the alphabet (rejection sampling)', () => {
    // Bytes ≥ 248 (= 8 × 31) are dropped; 0 maps to "a", 30 to "9".
    let call = 0;
    const password = generateOneTimePassword((bytes) => {
      bytes.fill(call === 0 ? 255 : 30);
      call += 1;
    });
    assert.equal(password, '99999-99999-99999-99999');
    assert.equal(call, 2);
  });

  it('expires after seven days', () => {
    const now = new Date('2026-11-29T10:00:00.000Z');
    assert.equal(oneTimePasswordExpiry(now).toISOString(), '2026-12-06T10:00:00.000Z');
  });
});
