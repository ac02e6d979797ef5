import { describe, expect, it } from 'vitest';
import { createUserKeyPair } from '../../client/crypto/user-key-pair.ts';
import { importMuk } from '../../client/crypto/muk-keys.ts';
import { MemberMaterialError } from './errors.ts';
import { ECDH_P256 } from './jwk.ts';
import { KeyRing } from './key-ring.ts';
import {
  type MemberMaterial,
  encryptMemberPrivateKey,
  openKeyRing,
  openMemberMaterial,
  openMemberPrivateKey,
  sealKeyRing,
  sealMemberMaterial,
} from './member-material.ts';
import { flipCharacter, makeFacility, makeMember, rejectionOf, signedCopy } from './test-fixtures.ts';

const randomMuk = (): Promise<CryptoKey> => importMuk(crypto.getRandomValues(new Uint8Array(32)));

async function sharedSecret(privateKey: CryptoKey, publicKey: CryptoKey): Promise<string> {
  const bits = await crypto.subtle.deriveBits({ name: 'ECDH', public: publicKey }, privateKey, 256);
  return Buffer.from(bits).toString('hex');
}

/** Member material with a fresh key pair; returns the public key too, to check the private key against it. */
async function makeMaterial(muk: CryptoKey): Promise<{ material: MemberMaterial; publicKey: CryptoKey }> {
  const pair = await crypto.subtle.generateKey(ECDH_P256, true, ['deriveBits']);
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey));
  const facility = await makeFacility('hospice-1', 0);
  const material = {
    privateKey: await encryptMemberPrivateKey(muk, pkcs8),
    pinnedSigningKeys: { 'hospice-1': facility.signing.publicKeyJwk },
  };
  pkcs8.fill(0);
  return { material, publicKey: pair.publicKey };
}

describe('member material under muk', () => {
  it('round-trips the private key and the pinned signing keys', async () => {
    const muk = await randomMuk();
    const { material, publicKey } = await makeMaterial(muk);
    const sealed = await sealMemberMaterial(muk, 'nurse.ivanova', material);
    expect(Object.keys(sealed).sort()).toEqual(['ct', 'iv', 'v']);
    const opened = await openMemberMaterial(muk, 'nurse.ivanova', JSON.parse(JSON.stringify(sealed)));
    expect(opened).toEqual(material);
    const privateKey = await openMemberPrivateKey(muk, opened);
    expect(privateKey.extractable).toBe(false);
    const peer = await crypto.subtle.generateKey(ECDH_P256, false, ['deriveBits']);
    expect(await sharedSecret(privateKey, peer.publicKey)).toBe(await sharedSecret(peer.privateKey, publicKey));
  });

  it('binds the material to the login (trimmed and lower-cased)', async () => {
    const muk = await randomMuk();
    const { material } = await makeMaterial(muk);
    const sealed = await sealMemberMaterial(muk, ' Nurse.Ivanova ', material);
    expect(await openMemberMaterial(muk, 'nurse.ivanova', sealed)).toEqual(material);
    const error = await rejectionOf(openMemberMaterial(muk, 'doctor.petrov', sealed));
    expect(error).toBeInstanceOf(MemberMaterialError);
  });

  it.each<[string, (sealed: { v: 1; iv: string; ct: string }) => unknown]>([
    ['a changed ciphertext', (sealed) => ({ ...sealed, ct: flipCharacter(sealed.ct) })],
    ['a changed IV', (sealed) => ({ ...sealed, iv: flipCharacter(sealed.iv) })],
    ['another version', (sealed) => ({ ...sealed, v: 2 })],
    ['nothing', () => null],
  ])('refuses %s', async (_what, damage) => {
    const muk = await randomMuk();
    const { material } = await makeMaterial(muk);
    const sealed = await sealMemberMaterial(muk, 'nurse', material);
    expect(await rejectionOf(openMemberMaterial(muk, 'nurse', damage(sealed)))).toBeInstanceOf(MemberMaterialError);
  });

  it('does not open with another muk (a wrong password)', async () => {
    const muk = await randomMuk();
    const { material } = await makeMaterial(muk);
    const sealed = await sealMemberMaterial(muk, 'nurse', material);
    expect(await rejectionOf(openMemberMaterial(await randomMuk(), 'nurse', sealed))).toBeInstanceOf(
      MemberMaterialError,
    );
    expect(await rejectionOf(openMemberPrivateKey(await randomMuk(), material))).toBeInstanceOf(MemberMaterialError);
  });

  it('can add a pin and seal again without touching the private key bytes', async () => {
    const muk = await randomMuk();
    const { material } = await makeMaterial(muk);
    const second = await makeFacility('hospice-2', 0);
    const grown = {
      ...material,
      pinnedSigningKeys: { ...material.pinnedSigningKeys, 'hospice-2': second.signing.publicKeyJwk },
    };
    const opened = await openMemberMaterial(muk, 'nurse', await sealMemberMaterial(muk, 'nurse', grown));
    expect(Object.keys(opened.pinnedSigningKeys).sort()).toEqual(['hospice-1', 'hospice-2']);
    expect(opened.privateKey).toEqual(material.privateKey);
  });

  it('refuses to seal material with a private JWK among the pins', async () => {
    const muk = await randomMuk();
    const { material } = await makeMaterial(muk);
    const pins = { 'hospice-1': { ...material.pinnedSigningKeys['hospice-1'], d: 'A'.repeat(43) } };
    await expect(
      sealMemberMaterial(muk, 'nurse', { ...material, pinnedSigningKeys: pins } as MemberMaterial),
    ).rejects.toThrow(TypeError);
  });

  it('opens a private key sealed by client/crypto/user-key-pair.ts (the same "user-private-key/v1" format)', async () => {
    const muk = await randomMuk();
    const { material: clientMaterial, privateKey: clientKey } = await createUserKeyPair(muk);
    const privateKey = await openMemberPrivateKey(muk, { privateKey: clientMaterial.encryptedPrivateKey });
    const peer = await crypto.subtle.generateKey(ECDH_P256, true, ['deriveBits']);
    expect(await sharedSecret(privateKey, peer.publicKey)).toBe(await sharedSecret(clientKey, peer.publicKey));
  });
});

describe('key-ring state under muk', () => {
  it('round-trips the ring, current epochs included', async () => {
    const muk = await randomMuk();
    const [facility, nurse] = await Promise.all([makeFacility('hospice-1', 2), makeMember('nurse.ivanova')]);
    const ring = await KeyRing.create(nurse, { 'hospice-1': facility.signing.publicKeyJwk });
    await ring.accept(await signedCopy(facility, nurse, 2));
    const restored = await openKeyRing(muk, 'nurse.ivanova', await sealKeyRing(muk, ring));
    expect(restored.toJSON()).toEqual(ring.toJSON());
    expect(restored.currentEpoch('hospice-1')).toBe(2);
  });

  it('does not open for another login or muk', async () => {
    const muk = await randomMuk();
    const nurse = await makeMember('nurse.ivanova');
    const sealed = await sealKeyRing(muk, await KeyRing.create(nurse));
    expect(await rejectionOf(openKeyRing(muk, 'doctor.petrov', sealed))).toBeInstanceOf(MemberMaterialError);
    expect(await rejectionOf(openKeyRing(await randomMuk(), 'nurse.ivanova', sealed))).toBeInstanceOf(
      MemberMaterialError,
    );
  });
});
