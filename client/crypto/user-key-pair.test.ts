import { assert, expect } from '@open-wc/testing';
import { fromBase64Url } from '../../common/auth-derivation.ts';
import { importMuk } from './muk-keys.ts';
import { PrivateKeyUnlockError, createUserKeyPair, importPublicKey, openUserPrivateKey } from './user-key-pair.ts';

const randomMuk = (): Promise<CryptoKey> => importMuk(crypto.getRandomValues(new Uint8Array(32)));
const ECDH = { name: 'ECDH', namedCurve: 'P-256' } as const;

async function sharedSecret(privateKey: CryptoKey, publicKey: CryptoKey): Promise<string> {
  const bits = await crypto.subtle.deriveBits({ name: 'ECDH', public: publicKey }, privateKey, 256);
  return Array.from(new Uint8Array(bits), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

describe('user key pair', () => {
  it('publishes only the public part as an EC P-256 JWK', async () => {
    const { material } = await createUserKeyPair(await randomMuk());
    assert.deepEqual(Object.keys(material.publicKey).sort(), ['crv', 'kty', 'x', 'y']);
    expect(material.publicKey).to.include({ kty: 'EC', crv: 'P-256' });
    expect(fromBase64Url(material.encryptedPrivateKey.iv)).to.have.length(12);
  });

  it('round-trips: the decrypted private key agrees with the published public key', async () => {
    const muk = await randomMuk();
    const { material } = await createUserKeyPair(muk);
    const privateKey = await openUserPrivateKey(muk, material.encryptedPrivateKey);
    assert.deepEqual(privateKey.extractable, false);
    const colleague = await crypto.subtle.generateKey(ECDH, false, ['deriveBits']);
    const ours = await sharedSecret(privateKey, colleague.publicKey);
    const theirs = await sharedSecret(colleague.privateKey, await importPublicKey(material.publicKey));
    assert.deepEqual(ours, theirs);
  });

  it('fails with a wrong muk', async () => {
    const { material } = await createUserKeyPair(await randomMuk());
    let failure: unknown = null;
    try {
      await openUserPrivateKey(await randomMuk(), material.encryptedPrivateKey);
    } catch (error) {
      failure = error;
    }
    expect(failure).to.be.instanceOf(PrivateKeyUnlockError);
  });

  it('fails when the ciphertext was changed', async () => {
    const muk = await randomMuk();
    const { material } = await createUserKeyPair(muk);
    const ct = material.encryptedPrivateKey.ct;
    const damaged = { ...material.encryptedPrivateKey, ct: ct.slice(0, -2) + (ct.endsWith('AA') ? 'BB' : 'AA') };
    let failure: unknown = null;
    await openUserPrivateKey(muk, damaged).catch((error: unknown) => (failure = error));
    expect(failure).to.be.instanceOf(PrivateKeyUnlockError);
  });
});
