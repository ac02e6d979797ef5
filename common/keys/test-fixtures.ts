/**
 * Shared fixtures of the key-management tests (imported only by common/keys/*.test.ts): members with fresh key
 * pairs, facilities with signing keys, signed copies, and a helper that captures a rejection.
 */
import { expect } from 'vitest';
import { generateEpochKey } from './epoch-keys.ts';
import {
  type FacilitySigningKey,
  type SignedKeyCopy,
  createFacilitySigningKey,
  signKeyCopy,
} from './facility-signing.ts';
import { ECDH_P256, type EcPublicKeyJwk, exportPublicJwk } from './jwk.ts';
import { wrapEpochKey } from './key-wrapping.ts';

export interface TestMember {
  login: string;
  publicKeyJwk: EcPublicKeyJwk;
  privateKey: CryptoKey;
}

export interface TestFacility {
  facilityId: string;
  signing: FacilitySigningKey;
  epochKeys: Map<number, Uint8Array>;
}

/** A member with a fresh ECDH P-256 key pair (private key non-extractable, as on a device). */
export async function makeMember(login: string): Promise<TestMember> {
  const pair = await crypto.subtle.generateKey(ECDH_P256, false, ['deriveBits']);
  return { login, publicKeyJwk: await exportPublicJwk(pair.publicKey), privateKey: pair.privateKey };
}

/** A facility with a signing key and random epoch keys for epochs 1..`epochs`. */
export async function makeFacility(facilityId: string, epochs = 3): Promise<TestFacility> {
  const epochKeys = new Map<number, Uint8Array>();
  for (let epoch = 1; epoch <= epochs; epoch += 1) epochKeys.set(epoch, generateEpochKey());
  return { facilityId, signing: await createFacilitySigningKey(), epochKeys };
}

/** The facility's epoch key, wrapped to `member` and signed by the facility. */
export async function signedCopy(facility: TestFacility, member: TestMember, epoch: number): Promise<SignedKeyCopy> {
  const epochKey = facility.epochKeys.get(epoch);
  if (epochKey === undefined) throw new Error(`The test facility has no epoch ${epoch}.`);
  const wrapped = await wrapEpochKey(epochKey, member, { facilityId: facility.facilityId, epoch });
  return signKeyCopy(facility.signing.privateKey, wrapped);
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    return error as Error;
  }
  throw new Error('Expected a rejection, but the promise resolved.');
}

/** Flips one character of a base64url string (keeps it valid base64url, changes the bytes). */
export function flipCharacter(text: string, index = 0): string {
  const position = index < 0 ? text.length + index : index;
  const replacement = text[position] === 'A' ? 'B' : 'A';
  return text.slice(0, position) + replacement + text.slice(position + 1);
}

export const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
