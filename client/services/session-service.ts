/**
 * The session of the person at this device: loading → signed out → (forced password change) → ready, and
 * ready ⇄ locked. Holds muk in memory as a non-extractable key while unlocked and drops it when locking or
 * logging out. Unlocking works offline against the lock verifier and, when the server is reachable, opens a
 * new server session if the old one has ended.
 */
import { deriveSecrets, normalizeUsername, type DerivedSecrets } from '../../common/auth-derivation.ts';
import type { ApiClient, ServerConfig, ServerUser } from '../http/api-client.ts';
import { ApiError, NetworkError } from '../http/api-errors.ts';
import { importMuk } from '../crypto/muk-keys.ts';
import { createLockVerifier } from '../crypto/lock-verifier.ts';
import { createUserKeyPair, keyMaterialOf, openUserPrivateKey, type OwnKeyPair } from '../crypto/user-key-pair.ts';
import type { DeviceStore, LockRecord } from './device-store.ts';
import { eraseLocalData } from './local-data.ts';
import { DraftStore } from './draft-store.ts';
import { facilitiesOf } from '../../common/roles.ts';
import { EnrolmentPinsError, openEnrolmentPins, type EcPublicKeyJwk } from '../../common/keys/index.ts';
import { loadMemberKeys, type MemberKeys, type RefusedKeyCopy } from './member-keys.ts';
import type { LockService } from './lock-service.ts';
import type { SyncService } from './sync-service.ts';
import { UserFacingError, type UserMessage } from './user-messages.ts';

export interface SessionUser {
  name: string;
  displayName: string;
  roles: string[];
}

export type SessionState =
  | { kind: 'loading' }
  | {
      kind: 'signed-out';
      username: string;
      notice: UserMessage | null;
      /** Set when the server no longer accepts this member: their local data may be erased from the device. */
      erasable?: string;
    }
  | { kind: 'password-change'; user: SessionUser }
  | { kind: 'locked'; username: string; displayName: string; notice: UserMessage | null }
  | {
      kind: 'ready';
      user: SessionUser;
      /** Key copies this device refused at the last login or unlock (unsigned, wrongly signed, not for this key). */
      refusedKeyCopies?: readonly RefusedKeyCopy[];
    };

/** The enrolment pins as the device found them (see `#enrolmentPins`). */
interface EnrolmentPinsOutcome {
  keys: Record<string, EcPublicKeyJwk>;
  refused: EnrolmentPinsError | null;
}

export type DeriveSecrets = (deploymentId: string, username: string, password: string) => Promise<DerivedSecrets>;

export interface SessionServiceDeps {
  api: ApiClient;
  device: DeviceStore;
  lock: LockService;
  sync: SyncService;
  /** Argon2id + HKDF (common/auth-derivation.ts); tests pass a fast stand-in. */
  derive?: DeriveSecrets;
  /** Removes a member's local databases and key material (local-data.ts). */
  erase?: (device: DeviceStore, username: string) => Promise<unknown>;
}

/**
 * @fires change - after the state changed
 */
export class SessionService extends EventTarget {
  #state: SessionState = { kind: 'loading' };
  #muk: CryptoKey | null = null;
  /** The member's key ring and private key while unlocked (null before a key pair exists, or if they failed). */
  #keys: MemberKeys | null = null;
  /**
   * While a password change is pending: the one-time password's authKey, needed once more by the server, and its
   * muk, which opens the enrolment pins (common/keys/enrolment-pins.ts); wiped once used.
   */
  #pendingChange: { username: string; authKey: string; oneTimeMuk: Uint8Array } | null = null;
  readonly #deps: Required<SessionServiceDeps>;

  constructor(deps: SessionServiceDeps) {
    super();
    this.#deps = { derive: deriveSecrets, erase: eraseLocalData, ...deps };
    this.#deps.sync.addEventListener('session-ended', () => {
      if (this.#state.kind === 'ready') this.lock({ key: 'error.sessionEnded' });
    });
  }

  get state(): SessionState {
    return this.#state;
  }

  /** True while muk is in memory (ready). */
  get unlocked(): boolean {
    return this.#muk !== null;
  }

  /**
   * The signed-in user's own key pair: the public key and the muk-sealed private key from their `_users` document,
   * the private key opened with muk (non-extractable). `null` if the user has no key pair yet (they have not chosen
   * their own password). Needs the server (the document is fetched each time) and an unlocked session.
   */
  async ownKeyPair(): Promise<OwnKeyPair | null> {
    const muk = this.#muk;
    if (this.#state.kind !== 'ready' || muk === null) throw new UserFacingError({ key: 'error.sessionEnded' });
    const login = this.#state.user.name;
    const material = keyMaterialOf(await this.#deps.api.getOwnUserDoc(login));
    if (material === null) return null;
    const privateKey = await openUserPrivateKey(muk, material.encryptedPrivateKey);
    return { login, publicKeyJwk: material.publicKey, privateKey };
  }

  /** Decides the first screen: the lock screen for a remembered user (online or not), else the login page. */
  async start(): Promise<void> {
    const { api, device, lock } = this.#deps;
    const config = await this.#fetchConfig().catch(() => device.config());
    const record = lock.record;
    if (record && (!config || config.deploymentId === record.deploymentId)) {
      this.#set({ kind: 'locked', username: record.username, displayName: record.displayName, notice: null });
      return;
    }
    if (record) lock.forget();
    const server = await api.getSession().catch(() => null);
    this.#set({ kind: 'signed-out', username: server?.name ?? '', notice: null });
  }

  async login(username: string, password: string): Promise<void> {
    const { api, derive } = this.#deps;
    const config = await this.#requireConfig();
    const name = normalizeUsername(username);
    const secrets = await derive(config.deploymentId, name, password);
    let user: ServerUser;
    try {
      user = await api.createSession(name, secrets.authKey);
    } catch (error) {
      secrets.muk.fill(0);
      throw error;
    }
    if (user.mustChangePassword) {
      this.#beginPasswordChange(user, secrets.authKey, secrets.muk);
      return;
    }
    await this.#enter(user, await importMuk(secrets.muk), config, true);
  }

  /** Sets the user's own password and makes their key pair (first login with a one-time password). */
  async changePassword(newPassword: string): Promise<void> {
    const { api, derive } = this.#deps;
    const pending = this.#pendingChange;
    if (!pending) throw new UserFacingError({ key: 'error.sessionEnded' });
    const config = await this.#requireConfig();
    const secrets = await derive(config.deploymentId, pending.username, newPassword);
    if (secrets.authKey === pending.authKey) {
      secrets.muk.fill(0);
      throw new UserFacingError({ key: 'error.samePassword' });
    }
    const muk = await importMuk(secrets.muk);
    const { material } = await createUserKeyPair(muk);
    let answer: { enrolmentPins?: unknown };
    try {
      answer = await api.changeCredentials({
        currentAuthKey: pending.authKey,
        newAuthKey: secrets.authKey,
        keys: material,
      });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) throw new UserFacingError({ key: 'error.sessionEnded' });
      throw error;
    }
    const pins = await this.#enrolmentPins(pending, answer.enrolmentPins);
    pending.oneTimeMuk.fill(0);
    this.#pendingChange = null;
    const user = await api.createSession(pending.username, secrets.authKey);
    await this.#enter(user, muk, config, true, pins);
  }

  /**
   * The facility signing keys the administrator pinned for this member at enrolment, checked with the one-time
   * password's muk; `refused` when pins are there but do not verify (then no key is trusted on first use either).
   */
  async #enrolmentPins(
    pending: { username: string; oneTimeMuk: Uint8Array },
    pins: unknown,
  ): Promise<EnrolmentPinsOutcome> {
    if (pins === undefined) return { keys: {}, refused: null };
    try {
      return { keys: await openEnrolmentPins(pending.oneTimeMuk, pending.username, pins), refused: null };
    } catch (error) {
      if (!(error instanceof EnrolmentPinsError)) throw error;
      return { keys: {}, refused: error };
    }
  }

  /** Drops the keys and shows the lock screen; replication of already-protected data goes on. */
  lock(notice: UserMessage | null = null): void {
    if (this.#state.kind !== 'ready') return;
    const { user } = this.#state;
    this.#muk = null;
    this.#keys = null;
    this.#deps.lock.stopWatching();
    this.#set({ kind: 'locked', username: user.name, displayName: user.displayName, notice });
  }

  async unlock(password: string): Promise<void> {
    const { api, lock, derive } = this.#deps;
    const record = lock.record;
    if (!record) {
      this.#set({ kind: 'signed-out', username: '', notice: null });
      return;
    }
    const wait = lock.secondsUntilNextAttempt();
    if (wait > 0) throw new UserFacingError({ key: 'lock.wait', params: { seconds: wait } });
    const secrets = await derive(record.deploymentId, record.username, password);
    const muk = await importMuk(secrets.muk);
    if (!(await lock.verify(muk, record))) throw new UserFacingError({ key: 'lock.wrongPassword' });

    let user: SessionUser = { name: record.username, displayName: record.displayName, roles: record.roles };
    let online = false;
    try {
      let server = await api.getSession();
      if (!server || server.name !== record.username)
        server = await api.createSession(record.username, secrets.authKey);
      if (server.mustChangePassword) {
        this.#beginPasswordChange(server, secrets.authKey, secrets.muk);
        return;
      }
      user = server;
      online = true;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) {
        // The password opens this device but not the server: it was changed elsewhere, or the account was disabled
        // (revocation). The member is told so and offered to erase what this device holds of them.
        await this.logout({ key: 'error.accessRevoked' });
        if (this.#state.kind === 'signed-out') this.#set({ ...this.#state, erasable: record.username });
        return;
      }
      // Offline (or the server has trouble): work with what the device holds; sync shows the state.
      if (!(error instanceof NetworkError) && !(error instanceof ApiError)) throw error;
    }
    await this.#enter(user, muk, { deploymentId: record.deploymentId }, online);
  }

  /** Ends the session on this device and on the server; local databases stay for the next login. */
  async logout(notice: UserMessage | null = null): Promise<void> {
    const { api, lock, sync } = this.#deps;
    sync.stop();
    lock.stopWatching();
    lock.forget();
    this.#muk = null;
    this.#keys = null;
    this.#pendingChange?.oneTimeMuk.fill(0);
    this.#pendingChange = null;
    const username = this.#state.kind === 'ready' ? this.#state.user.name : '';
    this.#set({ kind: 'signed-out', username: notice ? username : '', notice });
    await api.deleteSession().catch(() => undefined);
  }

  /** Erases the local data of the member the server no longer accepts (see `erasable`), after the page asked. */
  async eraseLocalData(): Promise<void> {
    const state = this.#state;
    if (state.kind !== 'signed-out' || !state.erasable) return;
    this.#deps.sync.stop();
    await this.#deps.erase(this.#deps.device, state.erasable);
    this.#set({ kind: 'signed-out', username: '', notice: { key: 'login.erased' } });
  }

  /**
   * The key of the facility's current epoch (a non-extractable HKDF key for deriveContentKey) and its number, from
   * the copies this device accepted; null if it holds none for that facility.
   */
  async epochKey(facilityId: string): Promise<{ epoch: number; key: CryptoKey } | null> {
    const keys = this.#keys;
    const epoch = keys?.ring.currentEpoch(facilityId) ?? null;
    if (!keys || epoch === null) return null;
    const key = await keys.ring.epochKey(facilityId, epoch, keys.privateKey);
    return key ? { epoch, key } : null;
  }

  /** Encrypted drafts of unsaved forms for the signed-in member (null while locked or signed out). */
  drafts(): DraftStore | null {
    const muk = this.#muk;
    if (this.#state.kind !== 'ready' || muk === null) return null;
    return new DraftStore(muk, this.#state.user.name);
  }

  /** The key of an older (or the current) epoch, to open what was sealed under it; null if the device lacks it. */
  async epochKeyFor(facilityId: string, epoch: number): Promise<CryptoKey | null> {
    const keys = this.#keys;
    if (!keys) return null;
    return keys.ring.epochKey(facilityId, epoch, keys.privateKey);
  }

  /**
   * The user's facilities whose current key this device does not hold: their key pair waits for an administrator's
   * confirmation (or the copies were refused). Patient data of those facilities cannot be opened yet.
   */
  get facilitiesAwaitingKeys(): string[] {
    if (this.#state.kind !== 'ready') return [];
    const ring = this.#keys?.ring;
    return facilitiesOf(this.#state.user.roles).filter((id) => (ring?.currentEpoch(id) ?? null) === null);
  }

  /** Reads the member's key copies from the server again, e.g. after an administrator confirmed them. */
  async refreshKeys(): Promise<void> {
    const state = this.#state;
    const muk = this.#muk;
    if (state.kind !== 'ready' || muk === null) return;
    const { api, device } = this.#deps;
    const keys = await loadMemberKeys({
      api,
      device,
      muk,
      login: state.user.name,
      roles: state.user.roles,
      online: true,
    });
    if (this.#state !== state) return;
    this.#keys = keys;
    this.#set({ ...state, refusedKeyCopies: keys?.refused ?? [] });
  }

  /** Key copies refused at the last login or unlock. */
  get refusedKeyCopies(): readonly RefusedKeyCopy[] {
    return this.#state.kind === 'ready' ? (this.#state.refusedKeyCopies ?? []) : [];
  }

  async #enter(
    user: SessionUser,
    muk: CryptoKey,
    config: ServerConfig,
    online: boolean,
    /** Only at the first login (the password change): what the enrolment pins gave. */
    pins?: EnrolmentPinsOutcome,
  ): Promise<void> {
    const { api, device, lock, sync } = this.#deps;
    let refusedKeyCopies: RefusedKeyCopy[] = [];
    try {
      this.#keys = await loadMemberKeys({
        api,
        device,
        muk,
        login: user.name,
        roles: user.roles,
        online,
        ...(pins ? { pins: pins.keys, pinsRefused: pins.refused } : {}),
      });
      refusedKeyCopies = this.#keys?.refused ?? [];
    } catch (error) {
      // Key trouble never keeps a member out of the register: they work with what the device holds, or without keys.
      this.#keys = null;
      console.warn('The member keys could not be loaded:', error);
    }
    const record: LockRecord = {
      username: user.name,
      deploymentId: config.deploymentId,
      displayName: user.displayName,
      roles: user.roles,
      verifier: await createLockVerifier(muk, config.deploymentId, user.name),
    };
    lock.remember(record);
    this.#muk = muk;
    lock.watchIdle(() => this.lock());
    this.#set({
      kind: 'ready',
      user: { name: user.name, displayName: user.displayName, roles: user.roles },
      refusedKeyCopies,
    });
    sync.start(user.name);
  }

  #beginPasswordChange(user: ServerUser, authKey: string, oneTimeMuk: Uint8Array): void {
    this.#pendingChange?.oneTimeMuk.fill(0);
    this.#pendingChange = { username: user.name, authKey, oneTimeMuk };
    this.#deps.lock.watchIdle(() => void this.logout());
    this.#set({ kind: 'password-change', user: { name: user.name, displayName: user.displayName, roles: user.roles } });
  }

  async #fetchConfig(): Promise<ServerConfig> {
    const config = await this.#deps.api.getConfig();
    this.#deps.device.saveConfig(config);
    return config;
  }

  async #requireConfig(): Promise<ServerConfig> {
    try {
      return await this.#fetchConfig();
    } catch (error) {
      const cached = this.#deps.device.config();
      if (cached) return cached;
      throw error;
    }
  }

  #set(state: SessionState): void {
    this.#state = state;
    this.dispatchEvent(new Event('change'));
  }
}
