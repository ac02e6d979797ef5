import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import {
  type ContentKeyContext,
  contentKeyHkdfParams,
  contentKeyInfo,
  deriveContentKey,
  generateEpochKey,
  importEpochKey,
  keyId,
  parseKeyId,
} from './epoch-keys.ts';
import { hex } from './test-fixtures.ts';

/**
 * Fixed vector of the content-key derivation, computed once with @noble/hashes 2.4.0 (`hkdf(sha256, …)`) from
 * the contract in epoch-keys.ts, independently of WebCrypto. A change here breaks every stored passport.
 */
const VECTOR = {
  epochKey: Uint8Array.from({ length: 32 }, (_, index) => index),
  context: { purpose: 'passport', facilityId: 'hospice-1', epoch: 3 } as ContentKeyContext,
  info: 'palliative-register/v1|content|passport|hospice-1|3',
  contentKey: 'ed7100827b25da96376b3628e80052139aa77c61d36e0ca1f98b51dfcc0f356e',
  noteKey: '183308d5dbda89aef3ae64c26c25c83fabb328535359657839454b042cf03f93',
};

const IV = new Uint8Array(12);
const PROBE = new TextEncoder().encode('probe');

async function encryptProbe(key: CryptoKey): Promise<string> {
  return hex(new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv: IV }, key, PROBE)));
}

/** The same probe under an AES key imported from known bytes (test side only). */
async function encryptProbeWithBytes(keyHex: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', Buffer.from(keyHex, 'hex'), 'AES-GCM', false, ['encrypt']);
  return encryptProbe(key);
}

describe('content key derivation (public contract)', () => {
  it('names purpose, facility and epoch in the HKDF info', () => {
    expect(contentKeyInfo(VECTOR.context)).toBe(VECTOR.info);
  });

  it('matches the fixed vector, which an independent HKDF implementation reproduces', async () => {
    const noble = hkdf(sha256, VECTOR.epochKey, new Uint8Array(0), new TextEncoder().encode(VECTOR.info), 32);
    expect(hex(noble)).toBe(VECTOR.contentKey);
    // WebCrypto with the module's own HKDF parameters gives the same bits (deriveBits on a test-side import)…
    const base = await crypto.subtle.importKey('raw', VECTOR.epochKey, 'HKDF', false, ['deriveBits']);
    const bits = await crypto.subtle.deriveBits(contentKeyHkdfParams(VECTOR.context), base, 256);
    expect(hex(new Uint8Array(bits))).toBe(VECTOR.contentKey);
    // …and the non-extractable production key encrypts exactly as a key made from those bits.
    const production = await deriveContentKey(VECTOR.epochKey, VECTOR.context);
    expect(await encryptProbe(production)).toBe(await encryptProbeWithBytes(VECTOR.contentKey));
  });

  it('gives the note purpose its own key (fixed vector)', async () => {
    const noteKey = await deriveContentKey(VECTOR.epochKey, { ...VECTOR.context, purpose: 'note' });
    expect(await encryptProbe(noteKey)).toBe(await encryptProbeWithBytes(VECTOR.noteKey));
  });

  it('makes non-extractable AES-256-GCM keys for encrypt and decrypt only', async () => {
    const key = await deriveContentKey(generateEpochKey(), VECTOR.context);
    expect(key.extractable).toBe(false);
    expect(key.algorithm).toMatchObject({ name: 'AES-GCM', length: 256 });
    expect([...key.usages].sort()).toEqual(['decrypt', 'encrypt']);
    await expect(crypto.subtle.exportKey('raw', key)).rejects.toThrow();
  });

  it('derives the same key from raw bytes and from the imported HKDF key', async () => {
    const bytes = generateEpochKey();
    const fromBytes = await deriveContentKey(bytes, VECTOR.context);
    const fromImported = await deriveContentKey(await importEpochKey(bytes), VECTOR.context);
    expect(await encryptProbe(fromBytes)).toBe(await encryptProbe(fromImported));
  });

  it.each([
    ['another purpose', { purpose: 'note' }],
    ['another facility', { facilityId: 'hospice-2' }],
    ['another epoch', { epoch: 4 }],
  ])('derives a different key for %s', async (_what, change) => {
    const bytes = generateEpochKey();
    const key = await deriveContentKey(bytes, VECTOR.context);
    const other = await deriveContentKey(bytes, { ...VECTOR.context, ...change } as ContentKeyContext);
    expect(await encryptProbe(other)).not.toBe(await encryptProbe(key));
  });

  it.each([
    ['an unknown purpose', { purpose: 'secrets' }],
    ['a facility id with a separator', { facilityId: 'a|b' }],
    ['an upper-case facility id', { facilityId: 'Hospice' }],
    ['epoch 0', { epoch: 0 }],
    ['a fractional epoch', { epoch: 1.5 }],
  ])('refuses %s', async (_what, change) => {
    const context = { ...VECTOR.context, ...change } as ContentKeyContext;
    await expect(deriveContentKey(generateEpochKey(), context)).rejects.toThrow(TypeError);
  });
});

describe('epoch key import', () => {
  it('makes a non-extractable HKDF key that can only derive keys, not bits', async () => {
    const key = await importEpochKey(generateEpochKey());
    expect(key.extractable).toBe(false);
    expect(key.usages).toEqual(['deriveKey']);
  });

  it('leaves the bytes alone unless asked to wipe them', async () => {
    const bytes = generateEpochKey();
    const copy = Uint8Array.from(bytes);
    await importEpochKey(bytes);
    expect(bytes).toEqual(copy);
    await importEpochKey(bytes, { wipe: true });
    expect(bytes.every((byte) => byte === 0)).toBe(true);
  });

  it('refuses a key of the wrong length', async () => {
    await expect(importEpochKey(new Uint8Array(16))).rejects.toThrow(TypeError);
  });

  it('generates 32 fresh random bytes each time', () => {
    expect(generateEpochKey()).toHaveLength(32);
    expect(hex(generateEpochKey())).not.toBe(hex(generateEpochKey()));
  });
});

describe('key ids', () => {
  it('names facility and epoch and parses back', () => {
    expect(keyId('hospice-1', 3)).toBe('hospice-1:3');
    expect(parseKeyId('hospice-1:3')).toEqual({ facilityId: 'hospice-1', epoch: 3 });
  });

  it.each(['hospice-1', 'hospice-1:0', 'hospice-1:03', 'hospice-1:1.5', 'Hospice:1', ':1', 'a:b:1', 42, null])(
    'does not parse %j',
    (kid) => {
      expect(parseKeyId(kid)).toBeNull();
    },
  );
});
