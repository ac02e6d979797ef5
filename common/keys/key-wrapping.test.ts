import { describe, expect, it } from 'vitest';
import { decodeBase64Url } from './encoding.ts';
import { deriveContentKey, generateEpochKey } from './epoch-keys.ts';
import { UnwrapError } from './errors.ts';
import { publicKeyHash } from './jwk.ts';
import { type WrappedKey, isWrappedKey, unwrapEpochKey, unwrapEpochKeyAsHkdf, wrapEpochKey } from './key-wrapping.ts';
import { flipCharacter, hex, makeMember, rejectionOf } from './test-fixtures.ts';

const CONTEXT = { facilityId: 'hospice-1', epoch: 2 };

describe('wrapping epoch keys to members', () => {
  it('round-trips: the recipient gets the same 32 bytes back', async () => {
    const nurse = await makeMember('nurse.ivanova');
    const epochKey = generateEpochKey();
    const wrapped = await wrapEpochKey(epochKey, nurse, CONTEXT);
    expect(hex(await unwrapEpochKey(wrapped, nurse.privateKey, nurse.publicKeyJwk))).toBe(hex(epochKey));
  });

  it('describes the copy: facility, epoch, recipient, key hash, ephemeral key, iv, ct', async () => {
    const nurse = await makeMember('nurse.ivanova');
    const wrapped = await wrapEpochKey(generateEpochKey(), nurse, CONTEXT);
    expect(Object.keys(wrapped).sort()).toEqual(
      ['ct', 'ephemeralPublicKey', 'epoch', 'facilityId', 'iv', 'recipient', 'recipientKeyHash', 'v'].sort(),
    );
    expect(wrapped).toMatchObject({ v: 1, facilityId: 'hospice-1', epoch: 2, recipient: 'nurse.ivanova' });
    expect(wrapped.recipientKeyHash).toBe(await publicKeyHash(nurse.publicKeyJwk));
    expect(Object.keys(wrapped.ephemeralPublicKey).sort()).toEqual(['crv', 'kty', 'x', 'y']);
    expect(decodeBase64Url(wrapped.ct)).toHaveLength(32 + 16);
    expect(isWrappedKey(JSON.parse(JSON.stringify(wrapped)))).toBe(true);
  });

  it('uses a fresh ephemeral key for every copy', async () => {
    const nurse = await makeMember('nurse.ivanova');
    const epochKey = generateEpochKey();
    const [a, b] = await Promise.all([wrapEpochKey(epochKey, nurse, CONTEXT), wrapEpochKey(epochKey, nurse, CONTEXT)]);
    expect(a.ephemeralPublicKey).not.toEqual(b.ephemeralPublicKey);
    expect(a.ct).not.toBe(b.ct);
  });

  it('unwraps straight into a non-extractable HKDF key that derives the same content keys', async () => {
    const nurse = await makeMember('nurse.ivanova');
    const epochKey = generateEpochKey();
    const hkdfKey = await unwrapEpochKeyAsHkdf(
      await wrapEpochKey(epochKey, nurse, CONTEXT),
      nurse.privateKey,
      nurse.publicKeyJwk,
    );
    expect(hkdfKey.extractable).toBe(false);
    expect(hkdfKey.algorithm.name).toBe('HKDF');
    const context = { purpose: 'passport', ...CONTEXT } as const;
    const iv = new Uint8Array(12);
    const probe = async (key: CryptoKey): Promise<string> =>
      hex(new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, new Uint8Array(8))));
    expect(await probe(await deriveContentKey(hkdfKey, context))).toBe(
      await probe(await deriveContentKey(epochKey, context)),
    );
  });

  it("fails with another member's private key", async () => {
    const [nurse, thief] = await Promise.all([makeMember('nurse.ivanova'), makeMember('thief')]);
    const wrapped = await wrapEpochKey(generateEpochKey(), nurse, CONTEXT);
    const error = await rejectionOf(unwrapEpochKey(wrapped, thief.privateKey, nurse.publicKeyJwk));
    expect(error).toBeInstanceOf(UnwrapError);
    expect(error.message).toMatch(/does not open/);
  });

  it("refuses to unwrap a copy made for another member's public key", async () => {
    const [nurse, doctor] = await Promise.all([makeMember('nurse.ivanova'), makeMember('doctor.petrov')]);
    const wrapped = await wrapEpochKey(generateEpochKey(), nurse, CONTEXT);
    const error = await rejectionOf(unwrapEpochKey(wrapped, doctor.privateKey, doctor.publicKeyJwk));
    expect(error).toBeInstanceOf(UnwrapError);
    expect(error.message).toMatch(/another public key/);
  });

  it.each<[string, (wrapped: WrappedKey) => Partial<WrappedKey>]>([
    ['relabelled for another login', () => ({ recipient: 'doctor.petrov' })],
    ['relabelled for another facility', () => ({ facilityId: 'hospice-2' })],
    ['relabelled for another epoch', () => ({ epoch: 3 })],
    ['with a changed ciphertext', (wrapped) => ({ ct: flipCharacter(wrapped.ct) })],
    ['with a changed IV', (wrapped) => ({ iv: flipCharacter(wrapped.iv) })],
    [
      'with a substituted ephemeral key',
      (wrapped) => ({
        ephemeralPublicKey: { ...wrapped.ephemeralPublicKey, x: flipCharacter(wrapped.ephemeralPublicKey.x) },
      }),
    ],
  ])('does not open %s, even for the right private key', async (_what, change) => {
    const nurse = await makeMember('nurse.ivanova');
    const wrapped = await wrapEpochKey(generateEpochKey(), nurse, CONTEXT);
    const error = await rejectionOf(
      unwrapEpochKey({ ...wrapped, ...change(wrapped) }, nurse.privateKey, nurse.publicKeyJwk),
    );
    expect(error).toBeInstanceOf(UnwrapError);
  });

  it('does not open a copy whose ephemeral key was replaced by another valid key', async () => {
    const [nurse, other] = await Promise.all([makeMember('nurse.ivanova'), makeMember('other')]);
    const wrapped = await wrapEpochKey(generateEpochKey(), nurse, CONTEXT);
    const forged = { ...wrapped, ephemeralPublicKey: other.publicKeyJwk };
    expect(await rejectionOf(unwrapEpochKey(forged, nurse.privateKey, nurse.publicKeyJwk))).toBeInstanceOf(UnwrapError);
  });

  it.each([
    ['not an object', 'copy'],
    ['a missing epoch', { v: 1, facilityId: 'hospice-1' }],
  ])('throws UnwrapError for %s', async (_what, value) => {
    const nurse = await makeMember('nurse.ivanova');
    expect(await rejectionOf(unwrapEpochKey(value, nurse.privateKey, nurse.publicKeyJwk))).toBeInstanceOf(UnwrapError);
  });

  it('refuses to wrap to a point that is not on the curve', async () => {
    const notOnCurve = { kty: 'EC', crv: 'P-256', x: 'B'.repeat(42) + 'A', y: 'C'.repeat(42) + 'A' } as const;
    await expect(wrapEpochKey(generateEpochKey(), { login: 'x', publicKeyJwk: notOnCurve }, CONTEXT)).rejects.toThrow();
  });

  it.each([
    ['a 16-byte key', { key: new Uint8Array(16), context: CONTEXT, login: 'a' }],
    ['epoch 0', { key: new Uint8Array(32), context: { ...CONTEXT, epoch: 0 }, login: 'a' }],
    ['a bad facility id', { key: new Uint8Array(32), context: { ...CONTEXT, facilityId: 'A|B' }, login: 'a' }],
    ['an empty login', { key: new Uint8Array(32), context: CONTEXT, login: '' }],
  ])('refuses to wrap %s', async (_what, { key, context, login }) => {
    const nurse = await makeMember('nurse.ivanova');
    await expect(wrapEpochKey(key, { ...nurse, login }, context)).rejects.toThrow(TypeError);
  });
});
