import { describe, expect, it } from 'vitest';
import { decodeBase64Url } from './encoding.ts';
import { UnwrapError } from './errors.ts';
import { unwrapEpochKey } from './key-wrapping.ts';
import {
  type SignedKeyCopy,
  createFacilitySigningKey,
  keyCopySigningBytes,
  signKeyCopy,
  unwrapSigningKey,
  verifyKeyCopy,
  wrapSigningKey,
} from './facility-signing.ts';
import { flipCharacter, makeFacility, makeMember, rejectionOf, signedCopy } from './test-fixtures.ts';

async function setUp(): Promise<{ copy: SignedKeyCopy; signingKey: SignedKeyCopy['ephemeralPublicKey'] }> {
  const [facility, nurse] = await Promise.all([makeFacility('hospice-1', 2), makeMember('nurse.ivanova')]);
  return { copy: await signedCopy(facility, nurse, 2), signingKey: facility.signing.publicKeyJwk };
}

describe('facility signing of key copies', () => {
  it('signs a wrapped key and verifies it with the facility public key', async () => {
    const { copy, signingKey } = await setUp();
    expect(decodeBase64Url(copy.sig)).toHaveLength(64);
    expect(await verifyKeyCopy(signingKey, copy)).toBe(true);
    expect(await verifyKeyCopy(signingKey, JSON.parse(JSON.stringify(copy)))).toBe(true);
  });

  it('makes a non-extractable signing key and exportable PKCS#8 for wrapping', async () => {
    const signing = await createFacilitySigningKey();
    expect(signing.privateKey.extractable).toBe(false);
    expect(signing.privateKey.usages).toEqual(['sign']);
    expect(signing.privateKeyPkcs8.length).toBeGreaterThan(100);
    expect(Object.keys(signing.publicKeyJwk).sort()).toEqual(['crv', 'kty', 'x', 'y']);
  });

  it('does not verify with another facility key', async () => {
    const { copy } = await setUp();
    const other = await createFacilitySigningKey();
    expect(await verifyKeyCopy(other.publicKeyJwk, copy)).toBe(false);
  });

  it.each<[string, (copy: SignedKeyCopy) => unknown]>([
    ['v', (copy) => ({ ...copy, v: 2 })],
    ['facilityId', (copy) => ({ ...copy, facilityId: 'hospice-2' })],
    ['epoch', (copy) => ({ ...copy, epoch: copy.epoch + 1 })],
    ['recipient', (copy) => ({ ...copy, recipient: 'doctor.petrov' })],
    ['recipient, by a suffix', (copy) => ({ ...copy, recipient: `${copy.recipient}x` })],
    ['recipientKeyHash', (copy) => ({ ...copy, recipientKeyHash: flipCharacter(copy.recipientKeyHash) })],
    [
      'ephemeralPublicKey.x',
      (copy) => ({
        ...copy,
        ephemeralPublicKey: { ...copy.ephemeralPublicKey, x: flipCharacter(copy.ephemeralPublicKey.x) },
      }),
    ],
    [
      'ephemeralPublicKey.y',
      (copy) => ({
        ...copy,
        ephemeralPublicKey: { ...copy.ephemeralPublicKey, y: flipCharacter(copy.ephemeralPublicKey.y) },
      }),
    ],
    ['iv', (copy) => ({ ...copy, iv: flipCharacter(copy.iv) })],
    ['ct', (copy) => ({ ...copy, ct: flipCharacter(copy.ct) })],
    ['ct, by truncation', (copy) => ({ ...copy, ct: copy.ct.slice(0, -4) })],
    ['sig', (copy) => ({ ...copy, sig: flipCharacter(copy.sig) })],
    ['sig, removed', (copy) => ({ ...copy, sig: undefined })],
    ['sig, emptied', (copy) => ({ ...copy, sig: '' })],
  ])('stops verifying when %s changes', async (_field, change) => {
    const { copy, signingKey } = await setUp();
    expect(await verifyKeyCopy(signingKey, change(copy))).toBe(false);
  });

  it('frames fields unambiguously: moving characters between recipient and key hash changes the signed bytes', async () => {
    const { copy } = await setUp();
    const moved = {
      ...copy,
      recipient: `${copy.recipient}${copy.recipientKeyHash[0] ?? ''}`,
      recipientKeyHash: copy.recipientKeyHash.slice(1),
    };
    expect(keyCopySigningBytes(moved)).not.toEqual(keyCopySigningBytes(copy));
  });

  it('signs exactly the copy fields (a stray field on the input is not carried over)', async () => {
    const [facility, nurse] = await Promise.all([makeFacility('hospice-1', 1), makeMember('nurse.ivanova')]);
    const copy = await signedCopy(facility, nurse, 1);
    const resigned = await signKeyCopy(facility.signing.privateKey, { ...copy, note: 'extra' } as SignedKeyCopy);
    expect(Object.keys(resigned)).not.toContain('note');
    expect(await verifyKeyCopy(facility.signing.publicKeyJwk, resigned)).toBe(true);
  });

  it('returns false instead of throwing for something that is not a copy', async () => {
    const { signingKey } = await setUp();
    expect(await verifyKeyCopy(signingKey, 'copy')).toBe(false);
    expect(await verifyKeyCopy(signingKey, null)).toBe(false);
  });

  it('returns false instead of throwing for a malformed signing key', async () => {
    const { copy, signingKey } = await setUp();
    expect(await verifyKeyCopy({ ...signingKey, x: 'short' }, copy)).toBe(false);
  });
});

describe('wrapping the facility signing key to administrators and the recovery key', () => {
  it('round-trips and checks the key against the pinned public key', async () => {
    const [signing, admin] = await Promise.all([createFacilitySigningKey(), makeMember('admin')]);
    const wrapped = await wrapSigningKey(signing.privateKeyPkcs8, admin, { facilityId: 'hospice-1' });
    const { privateKey, privateKeyPkcs8 } = await unwrapSigningKey(
      wrapped,
      admin.privateKey,
      admin.publicKeyJwk,
      signing.publicKeyJwk,
    );
    expect(privateKey.extractable).toBe(false);
    expect(privateKeyPkcs8).toBeNull();
    const [facility, nurse] = await Promise.all([makeFacility('hospice-1', 1), makeMember('nurse')]);
    const copy = await signKeyCopy(privateKey, await signedCopy(facility, nurse, 1));
    expect(await verifyKeyCopy(signing.publicKeyJwk, copy)).toBe(true);
  });

  it('can hand back the PKCS#8 bytes for re-wrapping', async () => {
    const [signing, admin] = await Promise.all([createFacilitySigningKey(), makeMember('admin')]);
    const wrapped = await wrapSigningKey(signing.privateKeyPkcs8, admin, { facilityId: 'hospice-1' });
    const opened = await unwrapSigningKey(wrapped, admin.privateKey, admin.publicKeyJwk, signing.publicKeyJwk, {
      keepPkcs8: true,
    });
    expect(opened.privateKeyPkcs8).toEqual(signing.privateKeyPkcs8);
  });

  it('refuses a wrapped signing key that does not match the pinned public key', async () => {
    const [signing, substitute, admin] = await Promise.all([
      createFacilitySigningKey(),
      createFacilitySigningKey(),
      makeMember('admin'),
    ]);
    const wrapped = await wrapSigningKey(substitute.privateKeyPkcs8, admin, { facilityId: 'hospice-1' });
    const error = await rejectionOf(
      unwrapSigningKey(wrapped, admin.privateKey, admin.publicKeyJwk, signing.publicKeyJwk),
    );
    expect(error).toBeInstanceOf(UnwrapError);
    expect(error.message).toMatch(/does not match the pinned/);
  });

  it('is bound to its facility and not interchangeable with an epoch-key copy', async () => {
    const [signing, admin] = await Promise.all([createFacilitySigningKey(), makeMember('admin')]);
    const wrapped = await wrapSigningKey(signing.privateKeyPkcs8, admin, { facilityId: 'hospice-1' });
    const relabelled = { ...wrapped, facilityId: 'hospice-2' };
    const error = await rejectionOf(
      unwrapSigningKey(relabelled, admin.privateKey, admin.publicKeyJwk, signing.publicKeyJwk),
    );
    expect(error).toBeInstanceOf(UnwrapError);
    const asEpochKey = { ...wrapped, epoch: 1 };
    expect(await rejectionOf(unwrapEpochKey(asEpochKey, admin.privateKey, admin.publicKeyJwk))).toBeInstanceOf(
      UnwrapError,
    );
  });
});
