import { assert } from '@open-wc/testing';
import { checkLockVerifier, createLockVerifier } from './lock-verifier.ts';
import { importMuk } from './muk-keys.ts';

const randomMuk = (): Promise<CryptoKey> => importMuk(crypto.getRandomValues(new Uint8Array(32)));

describe('lock verifier', () => {
  it('accepts the muk it was made with', async () => {
    const muk = await randomMuk();
    const verifier = await createLockVerifier(muk, 'deployment-a', 'nurse.ivanova');
    assert.deepEqual(await checkLockVerifier(muk, verifier, 'deployment-a', 'nurse.ivanova'), true);
  });

  it('refuses a different muk (a wrong password)', async () => {
    const verifier = await createLockVerifier(await randomMuk(), 'deployment-a', 'nurse.ivanova');
    assert.deepEqual(await checkLockVerifier(await randomMuk(), verifier, 'deployment-a', 'nurse.ivanova'), false);
  });

  it('is bound to the user and the deployment', async () => {
    const muk = await randomMuk();
    const verifier = await createLockVerifier(muk, 'deployment-a', 'nurse.ivanova');
    assert.deepEqual(await checkLockVerifier(muk, verifier, 'deployment-a', 'doctor.petrov'), false);
    assert.deepEqual(await checkLockVerifier(muk, verifier, 'deployment-b', 'nurse.ivanova'), false);
  });

  it('refuses a tampered verifier', async () => {
    const muk = await randomMuk();
    const verifier = await createLockVerifier(muk, 'deployment-a', 'nurse.ivanova');
    const flipped = (verifier.ct[0] === 'A' ? 'B' : 'A') + verifier.ct.slice(1);
    assert.deepEqual(
      await checkLockVerifier(muk, { ...verifier, ct: flipped }, 'deployment-a', 'nurse.ivanova'),
      false,
    );
  });

  it('uses a fresh nonce every time', async () => {
    const muk = await randomMuk();
    const first = await createLockVerifier(muk, 'd', 'u');
    const second = await createLockVerifier(muk, 'd', 'u');
    assert.notDeepEqual(first.iv, second.iv);
    assert.notDeepEqual(first.ct, second.ct);
  });

  it('wipes the muk bytes after importing them', async () => {
    const bytes = crypto.getRandomValues(new Uint8Array(32));
    await importMuk(bytes);
    assert.deepEqual(
      [...bytes].every((byte) => byte === 0),
      true,
    );
  });
});
