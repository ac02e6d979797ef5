import { describe, expect, it } from 'vitest';
import { deriveContentKey } from './epoch-keys.ts';
import {
  EpochRollbackError,
  PinnedKeyConflictError,
  UnsignedKeyCopyError,
  UnverifiableKeyCopyError,
  WrongRecipientError,
} from './errors.ts';
import { createFacilitySigningKey, signKeyCopy } from './facility-signing.ts';
import { KeyRing } from './key-ring.ts';
import { pickWrappedKey, wrapEpochKey } from './key-wrapping.ts';
import {
  type TestFacility,
  type TestMember,
  hex,
  makeFacility,
  makeMember,
  rejectionOf,
  signedCopy,
} from './test-fixtures.ts';

async function setUp(epochs = 3): Promise<{ facility: TestFacility; nurse: TestMember; ring: KeyRing }> {
  const [facility, nurse] = await Promise.all([makeFacility('hospice-1', epochs), makeMember('nurse.ivanova')]);
  const ring = await KeyRing.create(nurse, { 'hospice-1': facility.signing.publicKeyJwk });
  return { facility, nurse, ring };
}

describe('key ring: what a device accepts', () => {
  it('accepts a legitimately signed copy for its owner and makes it the current epoch', async () => {
    const { facility, nurse, ring } = await setUp();
    expect(ring.currentEpoch('hospice-1')).toBeNull();
    expect(await ring.accept(await signedCopy(facility, nurse, 1))).toBe('advanced');
    expect(ring.currentEpoch('hospice-1')).toBe(1);
    expect(ring.epochs('hospice-1')).toEqual([1]);
  });

  it('accepts a legitimate new epoch (after a revocation) and moves the current epoch forward', async () => {
    const { facility, nurse, ring } = await setUp();
    await ring.accept(await signedCopy(facility, nurse, 1));
    expect(await ring.accept(await signedCopy(facility, nurse, 2))).toBe('advanced');
    expect(ring.currentEpoch('hospice-1')).toBe(2);
  });

  it('accepts the current epoch again without change', async () => {
    const { facility, nurse, ring } = await setUp();
    await ring.accept(await signedCopy(facility, nurse, 2));
    expect(await ring.accept(await signedCopy(facility, nurse, 2))).toBe('known');
    expect(ring.currentEpoch('hospice-1')).toBe(2);
  });

  it('refuses an unsigned copy', async () => {
    const { facility, nurse, ring } = await setUp();
    const wrapped = await wrapEpochKey(facility.epochKeys.get(1) as Uint8Array, nurse, {
      facilityId: 'hospice-1',
      epoch: 1,
    });
    const error = await rejectionOf(ring.accept(wrapped));
    expect(error).toBeInstanceOf(UnsignedKeyCopyError);
    expect(ring.epochs('hospice-1')).toEqual([]);
  });

  it('refuses a copy signed by a key other than the pinned one (someone who can write _users)', async () => {
    const { facility, nurse, ring } = await setUp();
    const intruder = await createFacilitySigningKey();
    const forged = await signKeyCopy(intruder.privateKey, pickWrappedKey(await signedCopy(facility, nurse, 1)));
    const error = await rejectionOf(ring.accept(forged));
    expect(error).toBeInstanceOf(UnverifiableKeyCopyError);
    expect(error.message).toMatch(/does not verify/);
  });

  it('refuses a copy whose signature no longer matches a field', async () => {
    const { facility, nurse, ring } = await setUp();
    const copy = await signedCopy(facility, nurse, 2);
    expect(await rejectionOf(ring.accept({ ...copy, epoch: 3 }))).toBeInstanceOf(UnverifiableKeyCopyError);
  });

  it('refuses a copy for a facility without a pinned signing key', async () => {
    const { nurse, ring } = await setUp();
    const other = await makeFacility('hospice-2', 1);
    const error = await rejectionOf(ring.accept(await signedCopy(other, nurse, 1)));
    expect(error).toBeInstanceOf(UnverifiableKeyCopyError);
    expect(error.message).toMatch(/No signing key is pinned for facility "hospice-2"/);
  });

  it('refuses a malformed copy', async () => {
    const { ring } = await setUp();
    expect(await rejectionOf(ring.accept({ sig: 'AAAA', facilityId: 'hospice-1' }))).toBeInstanceOf(
      UnverifiableKeyCopyError,
    );
    expect(await rejectionOf(ring.accept('copy'))).toBeInstanceOf(UnsignedKeyCopyError);
  });

  it("refuses a validly signed copy for another member's login", async () => {
    const { facility, ring } = await setUp();
    const doctor = await makeMember('doctor.petrov');
    const error = await rejectionOf(ring.accept(await signedCopy(facility, doctor, 1)));
    expect(error).toBeInstanceOf(WrongRecipientError);
  });

  it('refuses a validly signed copy for the same login but another public key (an old or substituted key)', async () => {
    const { facility, nurse, ring } = await setUp();
    const otherKey = await makeMember(nurse.login);
    expect(await rejectionOf(ring.accept(await signedCopy(facility, otherKey, 1)))).toBeInstanceOf(WrongRecipientError);
  });

  it('refuses an older epoch offered as current (a rolled-back revocation)', async () => {
    const { facility, nurse, ring } = await setUp();
    await ring.accept(await signedCopy(facility, nurse, 3));
    const error = await rejectionOf(ring.accept(await signedCopy(facility, nurse, 2)));
    expect(error).toBeInstanceOf(EpochRollbackError);
    expect(error.message).toMatch(/Epoch 2 of "hospice-1" is offered as current, but epoch 3 was already seen/);
    expect(ring.currentEpoch('hospice-1')).toBe(3);
  });

  it('keeps older epochs for reading old documents without moving the current epoch back', async () => {
    const { facility, nurse, ring } = await setUp();
    await ring.accept(await signedCopy(facility, nurse, 3));
    expect(await ring.acceptForReading(await signedCopy(facility, nurse, 1))).toBe('stored');
    expect(ring.epochs('hospice-1')).toEqual([1, 3]);
    expect(ring.currentEpoch('hospice-1')).toBe(3);
  });

  it('still refuses unsigned and foreign copies offered for reading', async () => {
    const { facility, nurse, ring } = await setUp();
    await ring.accept(await signedCopy(facility, nurse, 3));
    const unsigned = pickWrappedKey(await signedCopy(facility, nurse, 1));
    expect(await rejectionOf(ring.acceptForReading(unsigned))).toBeInstanceOf(UnsignedKeyCopyError);
    const doctor = await makeMember('doctor.petrov');
    expect(await rejectionOf(ring.acceptForReading(await signedCopy(facility, doctor, 1)))).toBeInstanceOf(
      WrongRecipientError,
    );
  });

  it('never replaces a copy it already holds', async () => {
    const { facility, nurse, ring } = await setUp();
    const first = await signedCopy(facility, nurse, 1);
    await ring.accept(first);
    expect(await ring.accept(await signedCopy(facility, nurse, 1))).toBe('known');
    expect(ring.copy('hospice-1', 1)).toEqual(first);
    expect(Object.isFrozen(ring.copy('hospice-1', 1))).toBe(true);
  });

  it('unwraps a held epoch into an HKDF key that opens content sealed with the original epoch key', async () => {
    const { facility, nurse, ring } = await setUp();
    await ring.accept(await signedCopy(facility, nurse, 2));
    const key = await ring.epochKey('hospice-1', 2, nurse.privateKey);
    expect(key?.extractable).toBe(false);
    const context = { purpose: 'note', facilityId: 'hospice-1', epoch: 2 } as const;
    const iv = new Uint8Array(12);
    const probe = async (contentKey: CryptoKey): Promise<string> =>
      hex(new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, contentKey, new Uint8Array(4))));
    const original = await deriveContentKey(facility.epochKeys.get(2) as Uint8Array, context);
    expect(await probe(await deriveContentKey(key as CryptoKey, context))).toBe(await probe(original));
    expect(await ring.epochKey('hospice-1', 1, nurse.privateKey)).toBeNull();
  });
});

describe('key ring: accepting the copies of a user document', () => {
  it('takes the highest epoch as current and the others for reading, in any order', async () => {
    const { facility, nurse, ring } = await setUp();
    const copies = [
      await signedCopy(facility, nurse, 2),
      await signedCopy(facility, nurse, 3),
      await signedCopy(facility, nurse, 1),
    ];
    const result = await ring.acceptAll(copies);
    expect(result.refused).toEqual([]);
    expect(result.accepted.map(({ copy, outcome }) => [copy.epoch, outcome])).toEqual([
      [3, 'advanced'],
      [2, 'stored'],
      [1, 'stored'],
    ]);
    expect(ring.currentEpoch('hospice-1')).toBe(3);
  });

  it('reports a restored backup that lacks the newest epoch, and keeps writing under the newest', async () => {
    const { facility, nurse, ring } = await setUp();
    await ring.acceptAll([
      await signedCopy(facility, nurse, 1),
      await signedCopy(facility, nurse, 2),
      await signedCopy(facility, nurse, 3),
    ]);
    const backup = [await signedCopy(facility, nurse, 1), await signedCopy(facility, nurse, 2)];
    const result = await ring.acceptAll(backup);
    expect(result.refused).toHaveLength(1);
    expect(result.refused[0]?.error).toBeInstanceOf(EpochRollbackError);
    expect(result.accepted.map(({ outcome }) => outcome)).toEqual(['known']);
    expect(ring.currentEpoch('hospice-1')).toBe(3);
  });

  it('lists refused copies with their reasons and still accepts the good ones', async () => {
    const { facility, nurse, ring } = await setUp();
    const doctor = await makeMember('doctor.petrov');
    const good = await signedCopy(facility, nurse, 1);
    const unsigned = pickWrappedKey(await signedCopy(facility, nurse, 2));
    const foreign = await signedCopy(facility, doctor, 3);
    const result = await ring.acceptAll([unsigned, good, foreign]);
    expect(result.accepted.map(({ copy }) => copy.epoch)).toEqual([1]);
    expect(result.refused.map(({ error }) => error.name).sort()).toEqual([
      'UnsignedKeyCopyError',
      'WrongRecipientError',
    ]);
  });

  it('is not fooled by an unsigned higher epoch into skipping the rollback check', async () => {
    const { facility, nurse, ring } = await setUp(4);
    await ring.accept(await signedCopy(facility, nurse, 3));
    const decoy = pickWrappedKey(await signedCopy(facility, nurse, 4));
    const result = await ring.acceptAll([decoy, await signedCopy(facility, nurse, 2)]);
    expect(result.refused.map(({ error }) => error.name).sort()).toEqual([
      'EpochRollbackError',
      'UnsignedKeyCopyError',
    ]);
  });
});

describe('key ring: pins and state', () => {
  it('never replaces a pinned signing key', async () => {
    const { facility, ring } = await setUp();
    ring.pin('hospice-1', facility.signing.publicKeyJwk);
    const other = await createFacilitySigningKey();
    expect(() => ring.pin('hospice-1', other.publicKeyJwk)).toThrow(PinnedKeyConflictError);
  });

  it('round-trips through JSON, keeping copies, pins and the current epoch', async () => {
    const { facility, nurse, ring } = await setUp();
    await ring.acceptAll([await signedCopy(facility, nurse, 1), await signedCopy(facility, nurse, 3)]);
    const restored = await KeyRing.fromJSON(JSON.parse(JSON.stringify(ring)));
    expect(restored.toJSON()).toEqual(ring.toJSON());
    expect(restored.currentEpoch('hospice-1')).toBe(3);
    expect(await rejectionOf(restored.accept(await signedCopy(facility, nurse, 2)))).toBeInstanceOf(EpochRollbackError);
  });

  it('refuses a state with a forged copy', async () => {
    const { facility, nurse, ring } = await setUp();
    await ring.accept(await signedCopy(facility, nurse, 1));
    const state = structuredClone(ring.toJSON());
    const copy = state.facilities['hospice-1']?.copies[0];
    if (copy === undefined) throw new Error('no copy');
    copy.epoch = 2;
    expect(await rejectionOf(KeyRing.fromJSON(state))).toBeInstanceOf(UnverifiableKeyCopyError);
    expect(await rejectionOf(KeyRing.fromJSON({ v: 2 }))).toBeInstanceOf(TypeError);
  });

  it('keeps pins and current epochs, but not copies, for a new key pair of the owner', async () => {
    const { facility, nurse, ring } = await setUp();
    await ring.accept(await signedCopy(facility, nurse, 3));
    const renewed = await makeMember(nurse.login);
    const next = await ring.withOwner(renewed);
    expect(next.epochs('hospice-1')).toEqual([]);
    expect(next.currentEpoch('hospice-1')).toBe(3);
    expect(await rejectionOf(next.accept(await signedCopy(facility, renewed, 2)))).toBeInstanceOf(EpochRollbackError);
    expect(await next.accept(await signedCopy(facility, renewed, 3))).toBe('stored');
    expect(await rejectionOf(next.accept(await signedCopy(facility, nurse, 3)))).toBeInstanceOf(WrongRecipientError);
  });

  it('normalises the owner login as logins are stored', async () => {
    const { facility, nurse } = await setUp();
    const ring = await KeyRing.create(
      { ...nurse, login: '  Nurse.Ivanova ' },
      { 'hospice-1': facility.signing.publicKeyJwk },
    );
    expect(await ring.accept(await signedCopy(facility, nurse, 1))).toBe('advanced');
  });
});
