/**
 * The idle lock and the offline unlock check. Watches for user activity and reports idleness after the chosen
 * number of minutes; keeps the lock record (with its verifier) on the device; checks a re-derived muk against
 * it, with a growing delay after repeated wrong passwords. It never deletes local data.
 */
import { checkLockVerifier } from '../crypto/lock-verifier.ts';
import type { DeviceStore, LockRecord } from './device-store.ts';

export const IDLE_MINUTE_CHOICES = [2, 5, 10, 15, 30, 60] as const;
export const DEFAULT_IDLE_MINUTES = 10;
const ACTIVITY_EVENTS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart', 'scroll'] as const;

/**
 * Seconds to wait after `failures` wrong passwords in a row: two free retries for typing slips, then 5 s,
 * doubling up to 5 minutes. Argon2id adds about a second to every attempt on top of this.
 */
export function unlockDelaySeconds(failures: number): number {
  if (failures < 3) return 0;
  return Math.min(300, 5 * 2 ** (failures - 3));
}

export interface LockServiceOptions {
  now?: () => number;
  /** Where activity is observed (window in the app). */
  activityTarget?: EventTarget;
  /** How often idleness is checked; timers do not run while a tablet sleeps, so wake-ups check at once too. */
  checkIntervalMs?: number;
}

/**
 * @fires change - after the idle-lock setting or the lock record changed
 */
export class LockService extends EventTarget {
  readonly #device: DeviceStore;
  readonly #now: () => number;
  readonly #target: EventTarget;
  readonly #checkIntervalMs: number;
  #lastActivity = 0;
  #timer: ReturnType<typeof setInterval> | null = null;
  #onIdle: (() => void) | null = null;
  readonly #onActivity = (): void => {
    this.#lastActivity = this.#now();
  };
  readonly #onVisibility = (): void => this.checkIdle();

  constructor(device: DeviceStore, options: LockServiceOptions = {}) {
    super();
    this.#device = device;
    this.#now = options.now ?? Date.now;
    this.#target = options.activityTarget ?? globalThis;
    this.#checkIntervalMs = options.checkIntervalMs ?? 10_000;
  }

  get idleMinutes(): number {
    return this.#device.idleMinutes() ?? DEFAULT_IDLE_MINUTES;
  }

  setIdleMinutes(minutes: number): void {
    if (!Number.isFinite(minutes) || minutes <= 0) return;
    this.#device.saveIdleMinutes(minutes);
    this.dispatchEvent(new Event('change'));
  }

  /** Starts watching; `onIdle` is called once when the user has been idle for the chosen time. */
  watchIdle(onIdle: () => void): void {
    this.stopWatching();
    this.#onIdle = onIdle;
    this.#lastActivity = this.#now();
    for (const type of ACTIVITY_EVENTS)
      this.#target.addEventListener(type, this.#onActivity, { capture: true, passive: true });
    globalThis.document?.addEventListener('visibilitychange', this.#onVisibility);
    this.#timer = setInterval(() => this.checkIdle(), this.#checkIntervalMs);
  }

  stopWatching(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    this.#onIdle = null;
    for (const type of ACTIVITY_EVENTS) this.#target.removeEventListener(type, this.#onActivity, { capture: true });
    globalThis.document?.removeEventListener('visibilitychange', this.#onVisibility);
  }

  /** Calls the idle callback if the idle time has passed (also run by the timer). */
  checkIdle(): void {
    if (!this.#onIdle) return;
    if (this.#now() - this.#lastActivity < this.idleMinutes * 60_000) return;
    const onIdle = this.#onIdle;
    this.stopWatching();
    onIdle();
  }

  get record(): LockRecord | null {
    return this.#device.lockRecord();
  }

  remember(record: LockRecord): void {
    this.#device.saveLockRecord(record);
    this.dispatchEvent(new Event('change'));
  }

  /** Forgets the lock record (at logout); local databases stay. */
  forget(): void {
    this.#device.clearLockRecord();
    this.dispatchEvent(new Event('change'));
  }

  /** Seconds before the next unlock attempt is accepted (0: now). */
  secondsUntilNextAttempt(): number {
    const { blockedUntil } = this.#device.unlockThrottle();
    return Math.max(0, Math.ceil((blockedUntil - this.#now()) / 1000));
  }

  /** Checks a re-derived muk against the stored verifier and counts wrong attempts. */
  async verify(muk: CryptoKey, record: LockRecord): Promise<boolean> {
    const ok = await checkLockVerifier(muk, record.verifier, record.deploymentId, record.username);
    if (ok) {
      this.#device.saveUnlockThrottle({ failures: 0, blockedUntil: 0 });
    } else {
      const failures = this.#device.unlockThrottle().failures + 1;
      this.#device.saveUnlockThrottle({ failures, blockedUntil: this.#now() + unlockDelaySeconds(failures) * 1000 });
    }
    return ok;
  }
}
