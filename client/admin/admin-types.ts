/**
 * What the admin API (`/api/admin/*`) sends and takes, with type guards for every answer that comes in.
 */
import { isRecoveryKit, isEcPublicKeyJwk } from '../../common/keys/index.ts';
import type {
  EcPublicKeyJwk,
  EnrolmentPins,
  RecoveryKit,
  SignedKeyCopy,
  WrappedSigningKey,
} from '../../common/keys/index.ts';

export type StaffStatus = 'active' | 'disabled';

export interface StaffMember {
  login: string;
  displayName: string;
  roles: string[];
  facilities: string[];
  status: StaffStatus;
  mustChangePassword: boolean;
  oneTimePasswordExpiresAt?: string;
  hasKeys: boolean;
  createdAt: string;
}

export interface StaffFilter {
  q?: string;
  role?: string;
  facility?: string;
  status?: string;
}

export interface NewStaffMember {
  login: string;
  displayName: string;
  roles: string[];
  facilities: string[];
  authKey: string;
  oneTimePasswordExpiresAt?: string;
  enrolmentPins?: EnrolmentPins;
}

export interface StaffChange {
  displayName?: string;
  roles?: string[];
  facilities?: string[];
}

export interface Credentials {
  authKey: string;
  oneTimePasswordExpiresAt?: string;
  /** The facilities' signing keys for the member's device to pin at first login. */
  enrolmentPins?: EnrolmentPins;
}

/** The public and encrypted key artefacts of a new facility; no private key or recovery code is ever in here. */
export interface FacilityKeys {
  epoch: 1;
  signingPublicKey: EcPublicKeyJwk;
  recoveryPublicKey: EcPublicKeyJwk;
  recoveryKit: RecoveryKit;
  wrappedKeys?: { signingKey: WrappedSigningKey[]; epochKeys: SignedKeyCopy[] };
}

export interface Facility {
  id: string;
  name: string;
  shortName?: string;
  districtId?: string;
  active: boolean;
  createdAt: string;
  createdBy: string;
  keys?: FacilityKeys;
}

export interface NewFacility {
  id: string;
  name: string;
  shortName?: string;
  districtId?: string;
  keys?: FacilityKeys;
}

export interface FacilityChange {
  name?: string;
  shortName?: string;
  districtId?: string;
  active?: boolean;
}

export interface AuditEvent {
  _id: string;
  event: string;
  login: string;
  at: string;
  [detail: string]: unknown;
}

export interface AuditFilter {
  login?: string;
  event?: string;
  from?: string;
  to?: string;
  limit?: number;
}

/** A member whose key pair waits for confirmation: the facilities (current epochs) they lack a signed copy of. */
export interface PendingKeyConfirmation {
  login: string;
  displayName: string;
  publicKey: EcPublicKeyJwk;
  publicKeyHash: string;
  facilities: { facilityId: string; epoch: number }[];
}

/** `facility-keys:<id>` in `reference`: the public key artefacts and the wrapped copies (see server/admin/facilities.ts). */
export interface FacilityKeysDoc {
  facilityId: string;
  epoch: number;
  signingPublicKey: EcPublicKeyJwk;
  wrappedKeys: { signingKey: WrappedSigningKey[]; epochKeys: SignedKeyCopy[] };
  /** The recovery private key under the printed code (absent only in documents this page did not write). */
  recoveryKit?: RecoveryKit;
}

/** `GET /api/admin/facilities/:id/key-recipients`: who receives a new epoch. */
export interface KeyRecipients {
  facilityId: string;
  epoch: number;
  recoveryPublicKey: EcPublicKeyJwk;
  members: { login: string; displayName: string; publicKey: EcPublicKeyJwk; publicKeyHash: string }[];
}

/** `POST /api/admin/facilities/:id/epochs` body. */
export interface NewEpoch {
  epoch: number;
  graceHours: number;
  reason?: string;
  copies: SignedKeyCopy[];
}

/** Everything the administrator's pages ask of the server. */
export interface AdminApi {
  /** Members whose key pairs wait for confirmation (`GET /api/admin/key-confirmations`). */
  listKeyConfirmations(): Promise<PendingKeyConfirmation[]>;
  /** `facility-keys:<id>` from `reference`, or null when the facility has none. */
  facilityKeys(facilityId: string): Promise<FacilityKeysDoc | null>;
  /** Sends signed copies for a member (`POST /api/admin/staff/:login/key-copies`). */
  issueKeyCopies(login: string, copies: SignedKeyCopy[]): Promise<void>;
  /** Active members with key pairs and the recovery key of a facility (for a new epoch). */
  keyRecipients(facilityId: string): Promise<KeyRecipients>;
  /** Starts the facility's next epoch with signed copies for everyone (`POST …/epochs`). */
  startEpoch(facilityId: string, epoch: NewEpoch): Promise<{ epoch: number; members: number; retireAt: string }>;
  /** Stores this administrator's custody copies made from the recovery kit (`POST …/custody`). */
  takeCustody(
    facilityId: string,
    custody: { signingKey: WrappedSigningKey; epochKeys: SignedKeyCopy[] },
  ): Promise<{ epochs: number[] }>;
  deploymentId(): Promise<string>;
  listFacilities(): Promise<Facility[]>;
  createFacility(facility: NewFacility): Promise<void>;
  updateFacility(id: string, change: FacilityChange): Promise<void>;
  listStaff(filter?: StaffFilter): Promise<StaffMember[]>;
  createStaff(member: NewStaffMember): Promise<void>;
  updateStaff(login: string, change: StaffChange): Promise<void>;
  disableStaff(login: string): Promise<void>;
  enableStaff(login: string, credentials: Credentials): Promise<void>;
  resetStaff(login: string, credentials: Credentials): Promise<void>;
  listAudit(filter?: AuditFilter): Promise<AuditEvent[]>;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function optionalString(value: unknown): boolean {
  return value === undefined || typeof value === 'string';
}

export function isStaffMember(value: unknown): value is StaffMember {
  return (
    isRecord(value) &&
    typeof value.login === 'string' &&
    typeof value.displayName === 'string' &&
    isStringArray(value.roles) &&
    isStringArray(value.facilities) &&
    (value.status === 'active' || value.status === 'disabled') &&
    typeof value.mustChangePassword === 'boolean' &&
    optionalString(value.oneTimePasswordExpiresAt) &&
    typeof value.hasKeys === 'boolean' &&
    typeof value.createdAt === 'string'
  );
}

/** True for the key artefacts of a facility as the browser sends them. */
export function isFacilityKeys(value: unknown): value is FacilityKeys {
  return (
    isRecord(value) &&
    value.epoch === 1 &&
    isEcPublicKeyJwk(value.signingPublicKey) &&
    isEcPublicKeyJwk(value.recoveryPublicKey) &&
    isRecoveryKit(value.recoveryKit)
  );
}

export function isPendingKeyConfirmation(value: unknown): value is PendingKeyConfirmation {
  return (
    isRecord(value) &&
    typeof value.login === 'string' &&
    typeof value.displayName === 'string' &&
    isEcPublicKeyJwk(value.publicKey) &&
    typeof value.publicKeyHash === 'string' &&
    Array.isArray(value.facilities) &&
    value.facilities.every(
      (facility) => isRecord(facility) && typeof facility.facilityId === 'string' && typeof facility.epoch === 'number',
    )
  );
}

export function isFacilityKeysDoc(value: unknown): value is FacilityKeysDoc {
  return (
    isRecord(value) &&
    typeof value.facilityId === 'string' &&
    typeof value.epoch === 'number' &&
    isEcPublicKeyJwk(value.signingPublicKey) &&
    isRecord(value.wrappedKeys) &&
    Array.isArray(value.wrappedKeys.signingKey) &&
    Array.isArray(value.wrappedKeys.epochKeys) &&
    (value.recoveryKit === undefined || isRecoveryKit(value.recoveryKit))
  );
}

export function isKeyRecipients(value: unknown): value is KeyRecipients {
  return (
    isRecord(value) &&
    typeof value.facilityId === 'string' &&
    typeof value.epoch === 'number' &&
    isEcPublicKeyJwk(value.recoveryPublicKey) &&
    Array.isArray(value.members) &&
    value.members.every(
      (member) =>
        isRecord(member) &&
        typeof member.login === 'string' &&
        typeof member.displayName === 'string' &&
        isEcPublicKeyJwk(member.publicKey) &&
        typeof member.publicKeyHash === 'string',
    )
  );
}

export function isFacility(value: unknown): value is Facility {
  return (
    isRecord(value) &&
    typeof value.id === 'string' &&
    typeof value.name === 'string' &&
    optionalString(value.shortName) &&
    optionalString(value.districtId) &&
    typeof value.active === 'boolean' &&
    typeof value.createdAt === 'string' &&
    typeof value.createdBy === 'string' &&
    (value.keys === undefined || isRecord(value.keys))
  );
}

export function isAuditEvent(value: unknown): value is AuditEvent {
  return (
    isRecord(value) &&
    typeof value._id === 'string' &&
    typeof value.event === 'string' &&
    typeof value.login === 'string' &&
    typeof value.at === 'string'
  );
}
