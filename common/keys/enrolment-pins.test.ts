import { describe, expect, it } from 'vitest';
import { deriveSecrets } from '../auth-derivation.ts';
import { createFacilitySigningKey } from './facility-signing.ts';
import { EnrolmentPinsError, makeEnrolmentPins, openEnrolmentPins } from './enrolment-pins.ts';

const DEPLOYMENT = 'pins-test-deployment';
const OTP = 'kq7wd-m3fzp-8hrtx-ye2nb';

describe('enrolment pins', async () => {
  const { muk } = await deriveSecrets(DEPLOYMENT, 'nina', OTP);
  const a = (await createFacilitySigningKey()).publicKeyJwk;
  const b = (await createFacilitySigningKey()).publicKeyJwk;
  const pins = await makeEnrolmentPins(muk, 'nina', { 'hospice-a': a, 'crb-b': b });

  it('open with the muk of the same one-time password and give back exactly the keys pinned', async () => {
    expect(await openEnrolmentPins(muk, 'nina', JSON.parse(JSON.stringify(pins)))).toEqual({
      'hospice-a': a,
      'crb-b': b,
    });
  });

  it('refuse a key swapped by whoever can write _users', async () => {
    const attacker = (await createFacilitySigningKey()).publicKeyJwk;
    const swapped = { ...pins, keys: { ...pins.keys, 'hospice-a': attacker } };
    await expect(openEnrolmentPins(muk, 'nina', swapped)).rejects.toBeInstanceOf(EnrolmentPinsError);
  });

  it('refuse pins remade by someone who knows only the authKey, a facility added, or another login', async () => {
    const other = await deriveSecrets(DEPLOYMENT, 'nina', 'another-one-time-password');
    const forged = await makeEnrolmentPins(other.muk, 'nina', { 'hospice-a': a });
    await expect(openEnrolmentPins(muk, 'nina', forged)).rejects.toThrow(/do not verify/);
    const added = { ...pins, keys: { ...pins.keys, 'extra-c': a } };
    await expect(openEnrolmentPins(muk, 'nina', added)).rejects.toThrow(/do not verify/);
    await expect(openEnrolmentPins(muk, 'olga', pins)).rejects.toThrow(/another login/);
    const forOlga = { ...pins, login: 'olga' };
    await expect(openEnrolmentPins(muk, 'olga', forOlga)).rejects.toThrow(/do not verify/);
  });

  it.each([null, 'pins', { v: 2 }, { ...{ v: 1, login: 'nina', keys: { 'Bad Id': {} } }, mac: 'x' }])(
    'refuse malformed pins %j',
    async (value) => {
      await expect(openEnrolmentPins(muk, 'nina', value)).rejects.toBeInstanceOf(EnrolmentPinsError);
    },
  );

  it('refuse a MAC of the wrong length', async () => {
    await expect(openEnrolmentPins(muk, 'nina', { ...pins, mac: 'AAAA' })).rejects.toThrow(/no valid MAC/);
  });
});
