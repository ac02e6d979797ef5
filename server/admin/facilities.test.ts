import { beforeAll, describe, expect, it } from 'vitest';
import { createFacilitySigningKey, createRecoveryKit, type RecoveryKit } from '../../common/keys/index.ts';
import { BadRequestError } from '../errors.ts';
import { buildFacilityDoc, facilitySummary, parseFacilityKeys, parseNewFacility } from './facilities.ts';

let keys: {
  epoch: number;
  signingPublicKey: RecoveryKit['publicKeyJwk'];
  recoveryPublicKey: RecoveryKit['publicKeyJwk'];
  recoveryKit: RecoveryKit;
};

beforeAll(async () => {
  const signing = await createFacilitySigningKey();
  const { kit } = await createRecoveryKit('a');
  keys = { epoch: 1, signingPublicKey: signing.publicKeyJwk, recoveryPublicKey: kit.publicKeyJwk, recoveryKit: kit };
});

describe('facilities', () => {
  it('keeps only the public keys in the facility entry', () => {
    const input = parseNewFacility({ id: 'a', name: ' Хоспис ', keys });
    const doc = buildFacilityDoc(input, 'admin', '2026-03-01T00:00:00.000Z');
    expect(facilitySummary(doc)).toEqual({
      id: 'a',
      name: 'Хоспис',
      active: true,
      createdAt: '2026-03-01T00:00:00.000Z',
      createdBy: 'admin',
      keys: { epoch: 1, signingPublicKey: keys.signingPublicKey, recoveryPublicKey: keys.recoveryPublicKey },
    });
    expect(JSON.stringify(doc)).not.toContain(keys.recoveryKit.encryptedPrivateKey.ct);
  });

  it('accepts a kit only for its own facility and recovery key', () => {
    expect(parseFacilityKeys(keys, 'a').wrappedKeys).toEqual({ signingKey: [], epochKeys: [] });
    expect(() => parseFacilityKeys(keys, 'b')).toThrow(BadRequestError);
    expect(() => parseFacilityKeys({ ...keys, recoveryPublicKey: keys.signingPublicKey }, 'a')).toThrow(
      /keys\.recoveryKit/,
    );
  });
});
