/**
 * What the device remembers between visits, in localStorage: the server configuration (for offline start), the
 * lock record of the last user (username, deployment, cached display name and roles, the lock verifier), the
 * unlock throttle and the idle-lock setting, and per user their key material for offline unlock: the private key
 * as the server keeps it (encrypted under muk) and the device's key ring sealed under muk (common/keys). No patient
 * data and no key in clear lives here.
 */
import { isLockVerifier, type LockVerifier } from '../crypto/lock-verifier.ts';
import type { ServerConfig } from '../http/api-client.ts';
import type { EncryptedPrivateKey, PublicKeyJwk } from '../crypto/user-key-pair.ts';
import type { MukSealed } from '../../common/keys/index.ts';

/** What the device keeps of a user's keys: nothing in it opens without muk. */
export interface DeviceKeyMaterial {
  publicKey: PublicKeyJwk;
  encryptedPrivateKey: EncryptedPrivateKey;
  /** The KeyRing state sealed under muk (sealKeyRing), or null before the first ring was saved. */
  keyRing: MukSealed | null;
  /**
   * False after enrolment pins were found forged (common/keys/enrolment-pins.ts): this device then pins no facility
   * signing key on first use until the member is enrolled again. Absent means true.
   */
  trustOnFirstUse?: boolean;
}

function isDeviceKeyMaterial(value: unknown): value is DeviceKeyMaterial {
  const material = value as Partial<DeviceKeyMaterial> | null;
  return (
    typeof material === 'object' &&
    material !== null &&
    typeof material.publicKey?.x === 'string' &&
    typeof material.publicKey.y === 'string' &&
    typeof material.encryptedPrivateKey?.iv === 'string' &&
    typeof material.encryptedPrivateKey.ct === 'string' &&
    (material.keyRing === null || typeof material.keyRing === 'object') &&
    (material.trustOnFirstUse === undefined || typeof material.trustOnFirstUse === 'boolean')
  );
}

export interface LockRecord {
  username: string;
  deploymentId: string;
  displayName: string;
  roles: string[];
  verifier: LockVerifier;
}

export interface UnlockThrottle {
  /** Wrong passwords in a row since the last successful unlock. */
  failures: number;
  /** Epoch milliseconds before which no new attempt is accepted. */
  blockedUntil: number;
}

const KEYS = {
  config: 'rp.config',
  lock: 'rp.lock',
  throttle: 'rp.unlock-throttle',
  idleMinutes: 'rp.idle-minutes',
  keys: 'rp.keys.',
} as const;

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

export function isLockRecord(value: unknown): value is LockRecord {
  const record = value as Partial<LockRecord> | null;
  return (
    typeof record === 'object' &&
    record !== null &&
    typeof record.username === 'string' &&
    typeof record.deploymentId === 'string' &&
    typeof record.displayName === 'string' &&
    isStringArray(record.roles) &&
    isLockVerifier(record.verifier)
  );
}

export class DeviceStore {
  readonly #storage: Storage;

  constructor(storage: Storage = globalThis.localStorage) {
    this.#storage = storage;
  }

  #read(key: string): unknown {
    const raw = this.#storage.getItem(key);
    if (raw === null) return null;
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      return null;
    }
  }

  #write(key: string, value: unknown): void {
    this.#storage.setItem(key, JSON.stringify(value));
  }

  config(): ServerConfig | null {
    const value = this.#read(KEYS.config) as Partial<ServerConfig> | null;
    return value && typeof value.deploymentId === 'string' ? { deploymentId: value.deploymentId } : null;
  }

  saveConfig(config: ServerConfig): void {
    this.#write(KEYS.config, config);
  }

  lockRecord(): LockRecord | null {
    const value = this.#read(KEYS.lock);
    return isLockRecord(value) ? value : null;
  }

  saveLockRecord(record: LockRecord): void {
    this.#write(KEYS.lock, record);
  }

  clearLockRecord(): void {
    this.#storage.removeItem(KEYS.lock);
    this.#storage.removeItem(KEYS.throttle);
  }

  unlockThrottle(): UnlockThrottle {
    const value = this.#read(KEYS.throttle) as Partial<UnlockThrottle> | null;
    const failures = typeof value?.failures === 'number' && value.failures >= 0 ? value.failures : 0;
    const blockedUntil = typeof value?.blockedUntil === 'number' ? value.blockedUntil : 0;
    return { failures, blockedUntil };
  }

  saveUnlockThrottle(throttle: UnlockThrottle): void {
    this.#write(KEYS.throttle, throttle);
  }

  idleMinutes(): number | null {
    const value = this.#read(KEYS.idleMinutes);
    return typeof value === 'number' && value > 0 ? value : null;
  }

  saveIdleMinutes(minutes: number): void {
    this.#write(KEYS.idleMinutes, minutes);
  }

  keyMaterial(username: string): DeviceKeyMaterial | null {
    const value = this.#read(KEYS.keys + username);
    return isDeviceKeyMaterial(value) ? value : null;
  }

  saveKeyMaterial(username: string, material: DeviceKeyMaterial): void {
    this.#write(KEYS.keys + username, material);
  }

  /** Forgets a user: their key material, and the lock record and unlock throttle if they are this device's user. */
  forgetUser(username: string): void {
    this.#storage.removeItem(KEYS.keys + username);
    if (this.lockRecord()?.username === username) this.clearLockRecord();
  }
}
