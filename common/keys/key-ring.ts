/**
 * The device's key ring: which key copies a member's device accepts (ARCHITECTURE.md, "Nothing unsigned is
 * trusted"). Per facility it holds the pinned signing public key (pinned at enrolment, from the member's
 * muk-sealed material), every accepted signed copy, and the current epoch — the highest epoch ever accepted.
 *
 * Interpretation of "devices refuse … an epoch number lower than one they have seen":
 * - The current epoch — the one new writes are encrypted under — never goes backwards. A copy offered as the
 *   current key (`accept`) with a lower epoch is refused with `EpochRollbackError`; this is how a restored backup
 *   of `_users` that lacks the newest epoch (a rolled-back revocation) is detected rather than obeyed.
 * - Older epochs' keys are still needed to read documents sealed before a revocation, so a validly signed copy for
 *   an older epoch may be added for reading (`acceptForReading`), without touching the current epoch. This gives
 *   an attacker nothing: only the facility can sign, and a replayed copy only returns a key the facility gave this
 *   member for that epoch. `acceptAll` offers the highest copy of each facility as current and the rest for reading.
 * - Every copy must carry the facility's signature, verify with the pinned key, and name this device's owner
 *   (login and public-key hash); otherwise it is refused with a named `KeyCopyError`, never silently dropped.
 * - A copy for an epoch already held is not replaced.
 *
 * The state is plain JSON (`toJSON` / `KeyRing.fromJSON`) holding only public data and wrapped copies; the device
 * keeps it sealed under muk (member-material.ts) so that nobody can lower the current epoch behind its back.
 */
import { normalizeUsername } from '../auth-derivation.ts';
import { isEpoch } from './encoding.ts';
import {
  EpochRollbackError,
  KeyCopyError,
  PinnedKeyConflictError,
  UnsignedKeyCopyError,
  UnverifiableKeyCopyError,
  WrongRecipientError,
} from './errors.ts';
import { type SignedKeyCopy, isSignedKeyCopy, verifyKeyCopy } from './facility-signing.ts';
import { type EcPublicKeyJwk, canonicalJwk, canonicalJwkJson, publicKeyHash } from './jwk.ts';
import { pickWrappedKey, unwrapEpochKeyAsHkdf } from './key-wrapping.ts';
import { isFacilityId } from '../roles.ts';

/** The member whose device this is: copies must be addressed to this login and this public key. */
export interface KeyRingOwner {
  login: string;
  publicKeyJwk: EcPublicKeyJwk;
}

/** What happened to an accepted copy: it raised the current epoch, was stored, or that epoch was already held. */
export type AcceptOutcome = 'advanced' | 'stored' | 'known';

/** The serialised form of a key ring. */
export interface KeyRingState {
  v: 1;
  owner: KeyRingOwner;
  facilities: Record<string, { signingKey: EcPublicKeyJwk; currentEpoch: number; copies: SignedKeyCopy[] }>;
}

/** The result of `acceptAll`: nothing is dropped silently; refused copies come back with their reason. */
export interface AcceptAllResult {
  accepted: { copy: SignedKeyCopy; outcome: AcceptOutcome }[];
  refused: { copy: unknown; error: KeyCopyError }[];
}

interface FacilityRing {
  signingKey: EcPublicKeyJwk;
  currentEpoch: number;
  copies: Map<number, SignedKeyCopy>;
}

export class KeyRing {
  readonly owner: KeyRingOwner;
  private readonly ownerKeyHash: string;
  private readonly rings = new Map<string, FacilityRing>();

  private constructor(owner: KeyRingOwner, ownerKeyHash: string) {
    this.owner = owner;
    this.ownerKeyHash = ownerKeyHash;
  }

  /** A ring for `owner` with the signing keys pinned in the member's material (`{facilityId: jwk}`). */
  static async create(owner: KeyRingOwner, pinnedSigningKeys: Record<string, EcPublicKeyJwk> = {}): Promise<KeyRing> {
    const login = normalizeUsername(owner.login);
    if (login.length === 0) throw new TypeError('A key ring needs its owner login.');
    const publicKeyJwk = canonicalJwk(owner.publicKeyJwk);
    const ring = new KeyRing(
      Object.freeze({ login, publicKeyJwk: Object.freeze(publicKeyJwk) }),
      await publicKeyHash(publicKeyJwk),
    );
    for (const [facilityId, jwk] of Object.entries(pinnedSigningKeys)) ring.pin(facilityId, jwk);
    return ring;
  }

  /**
   * Restores a ring from `toJSON` output, re-checking everything: the structure, each copy's signature against
   * its facility's pin and its recipient. Throws a TypeError for a malformed state, a `KeyCopyError` for a copy.
   */
  static async fromJSON(state: unknown): Promise<KeyRing> {
    const candidate = state as Partial<KeyRingState> | null;
    if (
      typeof candidate !== 'object' ||
      candidate === null ||
      candidate.v !== 1 ||
      typeof candidate.facilities !== 'object'
    ) {
      throw new TypeError('Not a key-ring state.');
    }
    const owner = candidate.owner as Partial<KeyRingOwner> | undefined;
    if (typeof owner?.login !== 'string') throw new TypeError('Not a key-ring state.');
    const ring = await KeyRing.create({ login: owner.login, publicKeyJwk: owner.publicKeyJwk as EcPublicKeyJwk });
    for (const [facilityId, facility] of Object.entries(candidate.facilities ?? {})) {
      if (
        typeof facility !== 'object' ||
        facility === null ||
        (!isEpoch(facility.currentEpoch) && facility.currentEpoch !== 0) ||
        !Array.isArray(facility.copies)
      ) {
        throw new TypeError('Not a key-ring state.');
      }
      ring.pin(facilityId, facility.signingKey);
      for (const copy of facility.copies) {
        if (copy.facilityId !== facilityId) throw new TypeError('A stored copy is filed under another facility.');
        await ring.acceptForReading(copy);
      }
      const restored = ring.rings.get(facilityId) as FacilityRing;
      restored.currentEpoch = Math.max(restored.currentEpoch, facility.currentEpoch);
    }
    return ring;
  }

  /**
   * Serialisable state (public keys, markers and signed wrapped copies only — no secret in clear). Keys and copies
   * in it are frozen and shared with the ring; clone the state before editing it.
   */
  toJSON(): KeyRingState {
    const facilities: KeyRingState['facilities'] = {};
    for (const [facilityId, ring] of [...this.rings].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const copies = [...ring.copies.values()].sort((a, b) => a.epoch - b.epoch);
      facilities[facilityId] = { signingKey: ring.signingKey, currentEpoch: ring.currentEpoch, copies };
    }
    return { v: 1, owner: this.owner, facilities };
  }

  /**
   * Pins a facility's signing public key (at enrolment, or when the member joins another facility). Pinning the
   * same key again is harmless; a different key throws `PinnedKeyConflictError` — pins are never replaced.
   */
  pin(facilityId: string, signingPublicKeyJwk: EcPublicKeyJwk): void {
    if (!isFacilityId(facilityId)) throw new TypeError(`Not a facility id: ${JSON.stringify(facilityId)}.`);
    const signingKey = Object.freeze(canonicalJwk(signingPublicKeyJwk));
    const existing = this.rings.get(facilityId);
    if (existing === undefined) {
      this.rings.set(facilityId, { signingKey, currentEpoch: 0, copies: new Map() });
    } else if (canonicalJwkJson(existing.signingKey) !== canonicalJwkJson(signingKey)) {
      throw new PinnedKeyConflictError(`Facility "${facilityId}" already has a different pinned signing key.`);
    }
  }

  /** The pinned signing public key of a facility, or `null`. */
  pinnedSigningKey(facilityId: string): EcPublicKeyJwk | null {
    return this.rings.get(facilityId)?.signingKey ?? null;
  }

  /** Facilities with a pinned signing key, sorted. */
  facilities(): string[] {
    return [...this.rings.keys()].sort();
  }

  /** The epoch new writes use (the highest ever accepted), or `null` before the first copy. */
  currentEpoch(facilityId: string): number | null {
    const epoch = this.rings.get(facilityId)?.currentEpoch ?? 0;
    return epoch === 0 ? null : epoch;
  }

  /** Epochs whose copies are held (readable), ascending. */
  epochs(facilityId: string): number[] {
    return [...(this.rings.get(facilityId)?.copies.keys() ?? [])].sort((a, b) => a - b);
  }

  /** The accepted copy for an epoch, or `null`. */
  copy(facilityId: string, epoch: number): SignedKeyCopy | null {
    return this.rings.get(facilityId)?.copies.get(epoch) ?? null;
  }

  /**
   * Accepts a copy offered as the facility's current key. Refuses (throws) an unsigned copy, one that does not
   * verify with the pinned key (or whose facility has none), one for another recipient or key, and one whose epoch
   * is lower than the current epoch (`EpochRollbackError`). The current epoch itself may be offered again.
   */
  async accept(copy: unknown): Promise<AcceptOutcome> {
    const checked = await this.check(copy);
    const ring = this.rings.get(checked.facilityId) as FacilityRing;
    if (checked.epoch < ring.currentEpoch) throw rollbackError(checked, ring);
    return this.store(ring, checked);
  }

  /**
   * Accepts a validly signed copy for this owner to read older documents: an epoch below the current one is
   * stored without changing the current epoch; a higher one raises it exactly as `accept` would. Same refusals
   * as `accept` except the rollback check.
   */
  async acceptForReading(copy: unknown): Promise<AcceptOutcome> {
    const checked = await this.check(copy);
    return this.store(this.rings.get(checked.facilityId) as FacilityRing, checked);
  }

  /**
   * Accepts the copies found in the member's user document. Every copy is checked as by `accept`; then, per
   * facility, the highest epoch among the valid copies is offered as current (refused with `EpochRollbackError` if
   * it is below the current epoch: the server's list is behind this device) and the others are kept for reading.
   * Refused copies are returned with their error, never dropped.
   */
  async acceptAll(copies: readonly unknown[]): Promise<AcceptAllResult> {
    const result: AcceptAllResult = { accepted: [], refused: [] };
    const valid: { original: unknown; copy: SignedKeyCopy }[] = [];
    for (const original of copies) {
      try {
        valid.push({ original, copy: await this.check(original) });
      } catch (error) {
        if (!(error instanceof KeyCopyError)) throw error;
        result.refused.push({ copy: original, error });
      }
    }
    // From here on synchronous, so nothing else changes the current epochs in between.
    const highest = new Map<string, number>();
    for (const { copy } of valid) highest.set(copy.facilityId, Math.max(highest.get(copy.facilityId) ?? 0, copy.epoch));
    for (const { original, copy } of valid.sort((a, b) => b.copy.epoch - a.copy.epoch)) {
      const ring = this.rings.get(copy.facilityId) as FacilityRing;
      if (copy.epoch === highest.get(copy.facilityId) && copy.epoch < ring.currentEpoch) {
        result.refused.push({ copy: original, error: rollbackError(copy, ring) });
      } else {
        result.accepted.push({ copy, outcome: this.store(ring, copy) });
      }
    }
    return result;
  }

  /** The epoch key of a held copy as a non-extractable HKDF key, or `null` if no copy for that epoch is held. */
  async epochKey(facilityId: string, epoch: number, ownerPrivateKey: CryptoKey): Promise<CryptoKey | null> {
    const copy = this.copy(facilityId, epoch);
    return copy === null ? null : unwrapEpochKeyAsHkdf(copy, ownerPrivateKey, this.owner.publicKeyJwk);
  }

  /**
   * A ring for the owner's new key pair (after enrolment is confirmed or the key pair is replaced): the same pins
   * and current epochs — so rollback protection carries over — but none of the copies, which were wrapped to the
   * old key. The copies re-wrapped to the new key are then accepted as usual.
   */
  async withOwner(owner: KeyRingOwner): Promise<KeyRing> {
    const ring = await KeyRing.create(owner);
    for (const [facilityId, facility] of this.rings) {
      ring.rings.set(facilityId, {
        signingKey: facility.signingKey,
        currentEpoch: facility.currentEpoch,
        copies: new Map(),
      });
    }
    return ring;
  }

  private async check(copy: unknown): Promise<SignedKeyCopy> {
    if (typeof copy !== 'object' || copy === null || typeof (copy as { sig?: unknown }).sig !== 'string') {
      throw new UnsignedKeyCopyError('The key copy carries no facility signature.');
    }
    if (!isSignedKeyCopy(copy)) throw new UnverifiableKeyCopyError('The key copy is malformed.');
    const ring = this.rings.get(copy.facilityId);
    if (ring === undefined) {
      throw new UnverifiableKeyCopyError(`No signing key is pinned for facility "${copy.facilityId}".`);
    }
    if (!(await verifyKeyCopy(ring.signingKey, copy))) {
      throw new UnverifiableKeyCopyError(
        `The key copy's signature does not verify with the key pinned for "${copy.facilityId}".`,
      );
    }
    if (copy.recipient !== this.owner.login || copy.recipientKeyHash !== this.ownerKeyHash) {
      throw new WrongRecipientError(
        `The key copy is for "${copy.recipient}" or another key, not for this device's owner.`,
      );
    }
    // A fresh, frozen copy: what the ring hands out (toJSON, copy()) can be shared without being changed.
    const accepted = { ...pickWrappedKey(copy), sig: copy.sig };
    Object.freeze(accepted.ephemeralPublicKey);
    return Object.freeze(accepted);
  }

  /** Synchronous after the last await of `check`, so concurrent accepts cannot interleave a rollback. */
  private store(ring: FacilityRing, copy: SignedKeyCopy): AcceptOutcome {
    if (ring.copies.has(copy.epoch)) return 'known';
    ring.copies.set(copy.epoch, copy);
    if (copy.epoch > ring.currentEpoch) {
      ring.currentEpoch = copy.epoch;
      return 'advanced';
    }
    return 'stored';
  }
}

function rollbackError(copy: SignedKeyCopy, ring: FacilityRing): EpochRollbackError {
  return new EpochRollbackError(
    `Epoch ${copy.epoch} of "${copy.facilityId}" is offered as current, but epoch ${ring.currentEpoch} was already seen.`,
  );
}
