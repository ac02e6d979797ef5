import { describe, expect, it } from 'vitest';
import { decodeBase64Url } from './encoding.ts';
import { type ContentKeyContext, deriveContentKey, generateEpochKey } from './epoch-keys.ts';
import { DecryptionError } from './errors.ts';
import { PADDING_BLOCK, pad, paddedLength, unpad } from './padding.ts';
import {
  type DocumentContext,
  type SealedDocument,
  decryptDocument,
  documentAdditionalData,
  encryptDocument,
  sealDocumentWithIv,
} from './sealed-document.ts';
import { flipCharacter, rejectionOf } from './test-fixtures.ts';

const CONTEXT: DocumentContext = { facilityId: 'hospice-1', docId: 'passport:0f8e2a', epoch: 3 };
const PASSPORT = {
  patientId: 'b1c2',
  surname: 'Иванова',
  name: 'Анна',
  patronymic: 'Сергеевна',
  snils: '112-233-445 95',
};

/**
 * Fixed vector of the sealed-document format (padding, additional data, AES-GCM), computed once with Node's
 * `createCipheriv('aes-256-gcm')` from the contract in sealed-document.ts and the content key vector of
 * epoch-keys.test.ts (epoch key 00 01 … 1f, hospice-1, epoch 3, passport).
 */
const VECTOR = {
  epochKey: Uint8Array.from({ length: 32 }, (_, index) => index),
  value: { surname: 'Иванова', name: 'Анна' },
  iv: 'AAECAwQFBgcICQoL',
  ct: [
    'c6ZRdHSEe80JPezcdcgDPDX7PYhcCZUH7qHfB7LpncvKfgxlbzwWGYU9B3nt7eC2zeUEUYsL8JvVbQFNU20wXL28E9bp2Y8C0lgCXzb0UWXqmLcv',
    '1J1KFP6pyfsc5lpftrooT_OTQgXRvbhcQcVtij4Q18AL1ZjaYRFoMk21pHQQYBbR_FvNvLKOlqvIHMF-GbWgi3sCsWwezje-Jn1AhpDe9ydZIoZv',
    'LLHOMtmH4wFLD5TyXJOTyESB0TlvmW7Cx1Vv5puE1u2nvlIvotjUh7hx_-xOINkVzHu57JTchTAv-FZtVi5h3n2DyiYH5Hnhcw874V9ooU_uqPv5',
    'n51J6P4QL2Mubd6I86_X5qnOXk4',
  ].join(''),
};

function passportKey(epochKey: Uint8Array, epoch = CONTEXT.epoch, facilityId = CONTEXT.facilityId): Promise<CryptoKey> {
  return deriveContentKey(epochKey, { purpose: 'passport', facilityId, epoch } as ContentKeyContext);
}

const ctLength = (sealed: SealedDocument): number => decodeBase64Url(sealed.ct)?.length ?? -1;

describe('sealed documents', () => {
  it('round-trips a passport', async () => {
    const key = await passportKey(generateEpochKey());
    const sealed = await encryptDocument(key, CONTEXT, PASSPORT);
    expect(Object.keys(sealed).sort()).toEqual(['ct', 'iv', 'kid', 'v']);
    expect(sealed).toMatchObject({ v: 1, kid: 'hospice-1:3' });
    expect(decodeBase64Url(sealed.iv)).toHaveLength(12);
    expect(await decryptDocument(key, CONTEXT, sealed)).toEqual(PASSPORT);
  });

  it('matches the fixed vector and opens it', async () => {
    const key = await passportKey(VECTOR.epochKey);
    const iv = decodeBase64Url(VECTOR.iv) as Uint8Array<ArrayBuffer>;
    expect(await sealDocumentWithIv(key, CONTEXT, VECTOR.value, iv)).toEqual({
      v: 1,
      kid: 'hospice-1:3',
      iv: VECTOR.iv,
      ct: VECTOR.ct,
    });
    const sealed = { v: 1, kid: 'hospice-1:3', iv: VECTOR.iv, ct: VECTOR.ct };
    expect(await decryptDocument(key, CONTEXT, sealed)).toEqual(VECTOR.value);
  });

  it('binds facility, epoch and document id as additional data, document id last', () => {
    expect(new TextDecoder().decode(documentAdditionalData({ ...CONTEXT, docId: 'visit:p1:u1#notes' }))).toBe(
      'palliative-register/v1|document|hospice-1|3|visit:p1:u1#notes',
    );
  });

  it('uses a fresh IV each time', async () => {
    const key = await passportKey(generateEpochKey());
    const [first, second] = await Promise.all([
      encryptDocument(key, CONTEXT, PASSPORT),
      encryptDocument(key, CONTEXT, PASSPORT),
    ]);
    expect(first.iv).not.toBe(second.iv);
    expect(first.ct).not.toBe(second.ct);
  });

  it.each([
    ['another document id', { docId: 'passport:other' }],
    ['another field of the same document', { docId: 'passport:0f8e2a#other' }],
  ])('does not open when moved to %s', async (_what, change) => {
    const key = await passportKey(generateEpochKey());
    const sealed = await encryptDocument(key, CONTEXT, PASSPORT);
    const error = await rejectionOf(decryptDocument(key, { ...CONTEXT, ...change }, sealed));
    expect(error).toBeInstanceOf(DecryptionError);
  });

  it('does not open when moved to another facility, even under the same content key', async () => {
    const key = await passportKey(generateEpochKey());
    const sealed = await encryptDocument(key, CONTEXT, PASSPORT);
    const moved = { ...sealed, kid: 'hospice-2:3' };
    const error = await rejectionOf(decryptDocument(key, { ...CONTEXT, facilityId: 'hospice-2' }, moved));
    expect(error).toBeInstanceOf(DecryptionError);
    expect(error.message).toMatch(/does not open/);
  });

  it('does not open when relabelled with another epoch, even under the same content key', async () => {
    const key = await passportKey(generateEpochKey());
    const sealed = await encryptDocument(key, CONTEXT, PASSPORT);
    const error = await rejectionOf(decryptDocument(key, { ...CONTEXT, epoch: 4 }, { ...sealed, kid: 'hospice-1:4' }));
    expect(error).toBeInstanceOf(DecryptionError);
  });

  it('refuses an envelope whose kid names another key than the one it is opened with', async () => {
    const key = await passportKey(generateEpochKey());
    const sealed = await encryptDocument(key, CONTEXT, PASSPORT);
    const error = await rejectionOf(decryptDocument(key, CONTEXT, { ...sealed, kid: 'hospice-1:2' }));
    expect(error).toBeInstanceOf(DecryptionError);
    expect(error.message).toMatch(/sealed under key "hospice-1:2"/);
  });

  it('does not open under another epoch key or another purpose', async () => {
    const epochKey = generateEpochKey();
    const sealed = await encryptDocument(await passportKey(epochKey), CONTEXT, PASSPORT);
    const noteKey = await deriveContentKey(epochKey, { purpose: 'note', facilityId: 'hospice-1', epoch: 3 });
    expect(await rejectionOf(decryptDocument(noteKey, CONTEXT, sealed))).toBeInstanceOf(DecryptionError);
    const otherKey = await passportKey(generateEpochKey());
    expect(await rejectionOf(decryptDocument(otherKey, CONTEXT, sealed))).toBeInstanceOf(DecryptionError);
  });

  it.each<[string, (sealed: SealedDocument) => unknown]>([
    ['a changed ciphertext', (sealed) => ({ ...sealed, ct: flipCharacter(sealed.ct) })],
    ['a truncated ciphertext', (sealed) => ({ ...sealed, ct: sealed.ct.slice(0, 16) })],
    ['a changed IV', (sealed) => ({ ...sealed, iv: flipCharacter(sealed.iv) })],
    ['a short IV', (sealed) => ({ ...sealed, iv: 'AAAA' })],
    ['a non-base64url ciphertext', (sealed) => ({ ...sealed, ct: `${sealed.ct}!` })],
    ['another version', (sealed) => ({ ...sealed, v: 2 })],
    ['a missing field', (sealed) => ({ v: sealed.v, kid: sealed.kid, ct: sealed.ct })],
    ['not an object', () => 'ciphertext'],
  ])('throws DecryptionError for %s', async (_what, damage) => {
    const key = await passportKey(generateEpochKey());
    const sealed = await encryptDocument(key, CONTEXT, PASSPORT);
    expect(await rejectionOf(decryptDocument(key, CONTEXT, damage(sealed)))).toBeInstanceOf(DecryptionError);
  });

  it('refuses values that are not JSON', async () => {
    const key = await passportKey(generateEpochKey());
    await expect(encryptDocument(key, CONTEXT, undefined)).rejects.toThrow(TypeError);
  });
});

describe('padding hides the length of names', () => {
  it('gives a short and a long name ciphertexts of equal length', async () => {
    const key = await passportKey(generateEpochKey());
    const short = await encryptDocument(key, CONTEXT, { ...PASSPORT, surname: 'Ли' });
    const long = await encryptDocument(key, CONTEXT, { ...PASSPORT, surname: 'Константинопольская-Воскресенская' });
    expect(ctLength(short)).toBe(ctLength(long));
    expect(ctLength(short)).toBe(PADDING_BLOCK + 16);
  });

  it('grows by whole blocks only', async () => {
    const key = await passportKey(generateEpochKey());
    const note = await encryptDocument(key, CONTEXT, { text: 'ж'.repeat(400) });
    expect((ctLength(note) - 16) % PADDING_BLOCK).toBe(0);
    expect(ctLength(note)).toBe(4 * PADDING_BLOCK + 16);
  });

  it.each([
    [0, 256],
    [1, 256],
    [255, 256],
    [256, 512],
    [511, 512],
    [512, 768],
  ])('pads %i bytes to %i', (length, padded) => {
    expect(paddedLength(length)).toBe(padded);
    expect(pad(new Uint8Array(length).fill(0x41))).toHaveLength(padded);
  });

  it('round-trips plaintexts that end in 0x80 or contain zero bytes', () => {
    for (const plaintext of [[0x80], [0x41, 0x00], [0xd1, 0x8f, 0x80], []]) {
      expect([...(unpad(pad(Uint8Array.from(plaintext))) ?? [])]).toEqual(plaintext);
    }
  });

  it.each([
    ['all zeros', new Uint8Array(256)],
    ['no marker', new Uint8Array(256).fill(0x41)],
    ['empty', new Uint8Array(0)],
  ])('refuses malformed padding: %s', (_what, padded) => {
    expect(unpad(padded)).toBeNull();
  });
});
