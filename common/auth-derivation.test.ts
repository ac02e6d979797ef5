import { describe, expect, it } from 'vitest';
import {
  deriveAuthKey,
  deriveSecrets,
  fromBase64Url,
  isAuthKey,
  loginSalt,
  normalizeUsername,
  toBase64Url,
} from './auth-derivation.ts';

/**
 * Fixed vectors of the public login contract. They were computed once with this module and, independently, with
 * @noble/hashes 2.4.0 (`argon2id`, `hkdf`, `sha256`) following ARCHITECTURE.md "Keys" to the letter; both agreed.
 * Other clients log in with this derivation, so a change here is a breaking change, not a test to update.
 */
const VECTORS = [
  {
    what: 'an ASCII password',
    deploymentId: 'test-deployment-1',
    username: 'nurse.anna',
    password: 'correct horse battery staple',
    salt: '5110236da6b5e93494a2ee187da1f0f3',
    authKey: 'J9hHq4Co8KKHr-dXjZEO2OdD8-IMcRtlBYNriwobzQ8',
    muk: 'dddb902416be41685b5ced232fecd958cc3ecc61ac6acdd3da46160387a89129',
  },
  {
    what: 'a Cyrillic password, with a username that needs trimming and lower-casing',
    deploymentId: 'kA7x-Q2deployment',
    username: '  Nurse.Ivanova ',
    password: 'Пароль для Карелии, 2026!',
    salt: '4a3d8c887fef61503892959b74325c24',
    authKey: 'TCDFa5haeVZWGWGSbiP9buaKQ34gGU4a_7edPOH91ZA',
    muk: 'd78c38e9a5d6bcdd5dccd825944d8c0564578c9879807e0cf3fd933f17e54f5f',
  },
  {
    what: 'a password with compatibility characters (ligatures, circled digit) that NFKC folds',
    deploymentId: 'kA7x-Q2deployment',
    username: 'doctor',
    password: 'ﬁsh-ﬂower ①',
    salt: '8b2f0d306e090c12de46920a893c0560',
    authKey: 'xvg9ICL5Ri1llP2AeJooQdO_zk31jSkWKZvRuSnXSUM',
    muk: 'bae804ea5dd0b6ccb5b0d9316844f1f320cc394d12971c97ca712842d3857aac',
  },
] as const;

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('login derivation (public contract)', () => {
  it.each(VECTORS)('derives the fixed salt, authKey and muk for $what', async (vector) => {
    expect(hex(await loginSalt(vector.deploymentId, vector.username))).toBe(vector.salt);
    const secrets = await deriveSecrets(vector.deploymentId, vector.username, vector.password);
    expect(secrets.authKey).toBe(vector.authKey);
    expect(hex(secrets.muk)).toBe(vector.muk);
  });

  it('gives the NFKC-folded spelling of a password the same authKey', async () => {
    expect(await deriveAuthKey('kA7x-Q2deployment', 'doctor', 'fish-flower 1')).toBe(VECTORS[2].authKey);
  });

  it('gives the normalised username the same authKey as the untidy one', async () => {
    expect(await deriveAuthKey('kA7x-Q2deployment', 'nurse.ivanova', 'Пароль для Карелии, 2026!')).toBe(
      VECTORS[1].authKey,
    );
  });

  it('gives another installation a different salt for the same user', async () => {
    expect(hex(await loginSalt('another-deployment', 'nurse.anna'))).not.toBe(VECTORS[0].salt);
  });

  it('makes authKeys that pass the authKey shape check', () => {
    for (const vector of VECTORS) expect(isAuthKey(vector.authKey)).toBe(true);
  });
});

describe('authKey shape', () => {
  it.each([
    ['43 base64url characters', 'A'.repeat(43), true],
    ['42 characters', 'A'.repeat(42), false],
    ['44 characters', 'A'.repeat(44), false],
    ['standard base64 characters', `${'A'.repeat(41)}+/`, false],
    ['padding', `${'A'.repeat(42)}=`, false],
    ['a number', 42, false],
  ])('%s → %s', (_what, value, expected) => {
    expect(isAuthKey(value)).toBe(expected);
  });
});

describe('helpers', () => {
  it('trims and lower-cases usernames, Cyrillic included', () => {
    expect(normalizeUsername('  Нина.Петрова ')).toBe('нина.петрова');
  });

  it('round-trips bytes through unpadded base64url', () => {
    const bytes = new Uint8Array([0, 250, 251, 252, 253, 254, 255]);
    expect(toBase64Url(bytes)).toBe('APr7_P3-_w');
    expect(fromBase64Url('APr7_P3-_w')).toEqual(bytes);
  });
});
