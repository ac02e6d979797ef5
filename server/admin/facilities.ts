/**
 * Facilities in the reference book (`facility:<id>`, type `facility`) and their public key artefacts
 * (`facility-keys:<id>`, type `facility-keys`, also in `reference`): parsing of the administrator's input and the
 * documents built from it — pure functions, no store access.
 *
 * Why `reference` for `facility-keys:<id>`: the facility database's design document accepts only patient data
 * types, and members need these artefacts (the signing public key to pin, their signed key copies, the recovery
 * kit for an administrator) before they can read anything else. Everything in it is public or encrypted: public
 * JWKs, epoch keys wrapped to a member's public key, the recovery private key under the printed recovery code.
 * The server never receives a raw key.
 */
import { BadRequestError } from '../errors.ts';
import type { EpochRecord } from '../../couch/epoch-retirement.ts';
import { isEcPublicKeyJwk, isRecoveryKit, isSignedKeyCopy, isWrappedSigningKey } from '../../common/keys/index.ts';
import type { EcPublicKeyJwk, RecoveryKit, SignedKeyCopy, WrappedSigningKey } from '../../common/keys/index.ts';
import { bodyOf, parseBoolean, parseFacilityId, parseSlug, parseText, refuseUnknownFields } from './validation.ts';
import type { Fields } from './validation.ts';

export interface FacilityKeySummary {
  epoch: number;
  signingPublicKey: EcPublicKeyJwk;
  recoveryPublicKey: EcPublicKeyJwk;
}

export interface FacilityDoc {
  _id: string;
  _rev?: string;
  type: 'facility';
  id: string;
  name: string;
  shortName?: string;
  districtId?: string;
  active: boolean;
  keys?: FacilityKeySummary;
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
}

/** Copies made at creation: epoch 1 wrapped (and signed) to members and the recovery key, the signing key wrapped. */
export interface WrappedKeys {
  signingKey: WrappedSigningKey[];
  epochKeys: SignedKeyCopy[];
}

export interface FacilityKeysInput extends FacilityKeySummary {
  recoveryKit: RecoveryKit;
  wrappedKeys: WrappedKeys;
}

export interface FacilityKeysDoc extends FacilityKeysInput {
  /** The epochs started so far, with their retirement times (couch/epoch-retirement.ts). */
  epochs?: EpochRecord[];
  _id: string;
  _rev?: string;
  type: 'facility-keys';
  facilityId: string;
  active: boolean;
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
}

/** What the API answers about a facility. */
export interface FacilitySummary {
  id: string;
  name: string;
  shortName?: string;
  districtId?: string;
  active: boolean;
  createdAt: string;
  createdBy: string;
  keys?: FacilityKeySummary;
}

export interface NewFacility {
  id: string;
  name: string;
  shortName?: string;
  districtId?: string;
  keys?: FacilityKeysInput;
}

export type FacilityChanges = Partial<Pick<FacilityDoc, 'name' | 'shortName' | 'districtId' | 'active'>>;

export const MAX_KEYS_JSON_CHARS = 256 * 1024;
const MAX_WRAPPED_KEYS = 500;
const MAX_ARTEFACT_CHARS = 4096;

export function facilityDocId(id: string): string {
  return `facility:${id}`;
}

export function facilityKeysDocId(id: string): string {
  return `facility-keys:${id}`;
}

/** `POST /api/admin/facilities` body. */
export function parseNewFacility(value: unknown): NewFacility {
  const body = bodyOf(value);
  refuseUnknownFields(body, ['id', 'name', 'shortName', 'districtId', 'keys']);
  const id = parseFacilityId(body.id, 'id');
  return {
    id,
    name: parseText(body.name, 'name'),
    ...(body.shortName === undefined ? {} : { shortName: parseText(body.shortName, 'shortName', 60) }),
    ...(body.districtId === undefined ? {} : { districtId: parseSlug(body.districtId, 'districtId') }),
    ...(body.keys === undefined ? {} : { keys: parseFacilityKeys(body.keys, id) }),
  };
}

/** `PATCH /api/admin/facilities/:id` body. */
export function parseFacilityChanges(value: unknown): FacilityChanges {
  const body = bodyOf(value);
  refuseUnknownFields(body, ['name', 'shortName', 'districtId', 'active']);
  return {
    ...(body.name === undefined ? {} : { name: parseText(body.name, 'name') }),
    ...(body.shortName === undefined ? {} : { shortName: parseText(body.shortName, 'shortName', 60) }),
    ...(body.districtId === undefined ? {} : { districtId: parseSlug(body.districtId, 'districtId') }),
    ...(body.active === undefined ? {} : { active: parseBoolean(body.active, 'active') }),
  };
}

/**
 * The key artefacts of a new facility. Checked for shape and size only (the server cannot verify what it cannot
 * open): public keys are P-256 public JWKs, the recovery kit belongs to this facility and to the recovery public
 * key given, wrapped copies are signed epoch-key copies or wrapped signing keys of this facility.
 */
export function parseFacilityKeys(value: unknown, facilityId: string): FacilityKeysInput {
  if (!isRecordValue(value)) throw new BadRequestError('"keys" must be an object.', 'keys');
  if (JSON.stringify(value).length > MAX_KEYS_JSON_CHARS) throw new BadRequestError('"keys" is too large.', 'keys');
  refuseUnknownFields(value, ['epoch', 'signingPublicKey', 'recoveryPublicKey', 'recoveryKit', 'wrappedKeys'], 'keys.');
  if (value.epoch !== 1) throw new BadRequestError('"keys.epoch" must be 1 for a new facility.', 'keys.epoch');
  const signingPublicKey = publicJwk(value.signingPublicKey, 'keys.signingPublicKey');
  const recoveryPublicKey = publicJwk(value.recoveryPublicKey, 'keys.recoveryPublicKey');
  const kit = value.recoveryKit;
  if (!isRecoveryKit(kit) || !stringsWithin(kit.encryptedPrivateKey)) {
    throw new BadRequestError('"keys.recoveryKit" must be the kit made by createRecoveryKit().', 'keys.recoveryKit');
  }
  if (kit.facilityId !== facilityId || !sameJwk(kit.publicKeyJwk, recoveryPublicKey)) {
    throw new BadRequestError(
      '"keys.recoveryKit" must belong to this facility and to "keys.recoveryPublicKey".',
      'keys.recoveryKit',
    );
  }
  const wrappedKeys = parseWrappedKeys(value.wrappedKeys, facilityId);
  return {
    epoch: 1,
    signingPublicKey,
    recoveryPublicKey,
    recoveryKit: {
      v: 1,
      facilityId,
      publicKeyJwk: canonical(kit.publicKeyJwk),
      encryptedPrivateKey: { iv: kit.encryptedPrivateKey.iv, ct: kit.encryptedPrivateKey.ct },
    },
    wrappedKeys,
  };
}

export function buildFacilityDoc(input: NewFacility, by: string, at: string): FacilityDoc {
  return {
    _id: facilityDocId(input.id),
    type: 'facility',
    id: input.id,
    name: input.name,
    ...(input.shortName === undefined ? {} : { shortName: input.shortName }),
    ...(input.districtId === undefined ? {} : { districtId: input.districtId }),
    active: true,
    ...(input.keys
      ? {
          keys: {
            epoch: input.keys.epoch,
            signingPublicKey: input.keys.signingPublicKey,
            recoveryPublicKey: input.keys.recoveryPublicKey,
          },
        }
      : {}),
    createdBy: by,
    createdAt: at,
    updatedBy: by,
    updatedAt: at,
  };
}

export function buildFacilityKeysDoc(
  facilityId: string,
  keys: FacilityKeysInput,
  by: string,
  at: string,
): FacilityKeysDoc {
  return {
    _id: facilityKeysDocId(facilityId),
    type: 'facility-keys',
    facilityId,
    ...keys,
    epochs: [{ epoch: keys.epoch, startedAt: at, startedBy: by }],
    active: true,
    createdBy: by,
    createdAt: at,
    updatedBy: by,
    updatedAt: at,
  };
}

export function applyFacilityChanges(doc: FacilityDoc, changes: FacilityChanges, by: string, at: string): FacilityDoc {
  return { ...doc, ...changes, updatedBy: by, updatedAt: at };
}

export function facilitySummary(doc: FacilityDoc): FacilitySummary {
  return {
    id: doc.id,
    name: doc.name,
    ...(doc.shortName === undefined ? {} : { shortName: doc.shortName }),
    ...(doc.districtId === undefined ? {} : { districtId: doc.districtId }),
    active: doc.active,
    createdAt: doc.createdAt,
    createdBy: doc.createdBy,
    ...(doc.keys ? { keys: doc.keys } : {}),
  };
}

/** Structural check of a stored facility document (written by this API, but `reference` is shared). */
export function isFacilityDoc(value: unknown): value is FacilityDoc {
  if (!isRecordValue(value)) return false;
  return (
    value.type === 'facility' &&
    typeof value.id === 'string' &&
    value._id === facilityDocId(value.id) &&
    typeof value.name === 'string' &&
    typeof value.active === 'boolean' &&
    typeof value.createdAt === 'string' &&
    typeof value.createdBy === 'string'
  );
}

/**
 * `keys.wrappedKeys`: either `{signingKey: [...], epochKeys: [...]}` (what the PWA sends) or one list of copies,
 * each then sorted by its shape. Every copy must be of this facility; epoch copies of epoch 1 and signed.
 */
function parseWrappedKeys(value: unknown, facilityId: string): WrappedKeys {
  const result: WrappedKeys = { signingKey: [], epochKeys: [] };
  if (value === undefined) return result;
  const add = (copy: unknown, field: string, only?: keyof WrappedKeys): void => {
    if (isSignedKeyCopy(copy) && copy.epoch === 1 && only !== 'signingKey') {
      if (copy.facilityId === facilityId && stringsWithin(copy)) {
        result.epochKeys.push(copy);
        return;
      }
    } else if (isWrappedSigningKey(copy) && !('epoch' in copy) && only !== 'epochKeys') {
      // An epoch copy also has every field of a wrapped signing key; its `epoch` tells them apart.
      if (copy.facilityId === facilityId && stringsWithin(copy)) {
        result.signingKey.push(copy);
        return;
      }
    }
    const what =
      only === 'signingKey'
        ? 'a wrapped signing key'
        : only === 'epochKeys'
          ? 'a signed epoch-1 key copy'
          : 'a signed epoch-1 key copy or a wrapped signing key';
    throw new BadRequestError(`"${field}" must be ${what} of this facility.`, field);
  };
  const list = (items: unknown, field: string, only?: keyof WrappedKeys): void => {
    if (!Array.isArray(items) || items.length > MAX_WRAPPED_KEYS)
      throw new BadRequestError(`"${field}" must be a list of at most ${MAX_WRAPPED_KEYS} copies.`, field);
    items.forEach((copy: unknown, index) => add(copy, `${field}[${index}]`, only));
  };
  if (Array.isArray(value)) {
    list(value, 'keys.wrappedKeys');
  } else if (isRecordValue(value)) {
    refuseUnknownFields(value, ['signingKey', 'epochKeys'], 'keys.wrappedKeys.');
    list(value.signingKey ?? [], 'keys.wrappedKeys.signingKey', 'signingKey');
    list(value.epochKeys ?? [], 'keys.wrappedKeys.epochKeys', 'epochKeys');
  } else {
    throw new BadRequestError(
      '"keys.wrappedKeys" must be {signingKey, epochKeys} or a list of copies.',
      'keys.wrappedKeys',
    );
  }
  return result;
}

function isRecordValue(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function publicJwk(value: unknown, field: string): EcPublicKeyJwk {
  if (!isEcPublicKeyJwk(value)) throw new BadRequestError(`"${field}" must be an EC P-256 public key (JWK).`, field);
  return canonical(value);
}

function canonical(jwk: EcPublicKeyJwk): EcPublicKeyJwk {
  return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y };
}

function sameJwk(a: EcPublicKeyJwk, b: EcPublicKeyJwk): boolean {
  return a.x === b.x && a.y === b.y;
}

/** Every string member (one level deep) is at most a few kilobytes: wrapped keys are small. */
function stringsWithin(value: object): boolean {
  return Object.values(value).every((member) => typeof member !== 'string' || member.length <= MAX_ARTEFACT_CHARS);
}
