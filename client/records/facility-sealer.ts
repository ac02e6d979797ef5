/**
 * Sealing and opening the identifying text of one facility's documents (ARCHITECTURE.md, "Keys";
 * common/keys/sealed-fields.ts for which document id and purpose each value is bound to). New values are always
 * sealed under the facility's current epoch; a value is opened with the key of the epoch its `kid` names, older ones
 * too, because documents written before a revocation stay readable. `resealOlder` moves every value of a document
 * that is still under an older epoch to the current one — done on every write, so documents leave a retired epoch as
 * they are touched (the design document refuses retired epochs), without a pass over the whole database.
 *
 * Each epoch's content keys are derived once per purpose and kept as non-extractable keys until `clear()` (lock).
 */
import { DecryptionError } from '../../common/keys/errors.ts';
import { deriveContentKey, type ContentPurpose } from '../../common/keys/epoch-keys.ts';
import { decryptDocument, encryptDocument, type SealedDocument } from '../../common/keys/sealed-document.ts';
import {
  findSealedValues,
  sealedContext,
  sealedEpoch,
  withSealedValue,
  type SealedPath,
} from '../../common/keys/sealed-fields.ts';
import { NoFacilityKeyError } from './records-api.ts';

/**
 * Where the facility's epoch keys come from (the session's key ring in the app): the current epoch for new writes,
 * and any epoch this device holds for reading. Keys are HKDF base keys for `deriveContentKey`.
 */
export interface FacilityKeySource {
  current(facilityId: string): Promise<{ epoch: number; key: CryptoKey } | null>;
  forEpoch(facilityId: string, epoch: number): Promise<CryptoKey | null>;
}

export class FacilitySealer {
  readonly #facilityId: string;
  readonly #keys: FacilityKeySource;
  /** Content keys by `<purpose>|<epoch>`; a failed derivation is not kept. */
  #contentKeys = new Map<string, Promise<CryptoKey>>();
  /** Epoch keys already handed over as current, so their content keys need no second look-up. */
  #epochKeys = new Map<number, CryptoKey>();

  constructor(facilityId: string, keys: FacilityKeySource) {
    this.#facilityId = facilityId;
    this.#keys = keys;
  }

  /** The current epoch, asked afresh each time: a new epoch may arrive while the records are open. */
  async currentEpoch(): Promise<number> {
    const current = await this.#keys.current(this.#facilityId);
    if (!current) throw new NoFacilityKeyError(this.#facilityId);
    this.#epochKeys.set(current.epoch, current.key);
    return current.epoch;
  }

  /** Seals `value` as the field at `path` of document `docId` (the empty path: `docId` is a passport). */
  async seal(docId: string, path: SealedPath, value: unknown, epoch?: number): Promise<SealedDocument> {
    const sealingEpoch = epoch ?? (await this.currentEpoch());
    const context = sealedContext(docId, path);
    const key = await this.#contentKey(context.purpose, sealingEpoch);
    return encryptDocument(key, { facilityId: this.#facilityId, docId: context.docId, epoch: sealingEpoch }, value);
  }

  /**
   * Opens the sealed value at `path` of document `docId`. Throws `DecryptionError` when it does not open (or names
   * another facility) and `NoFacilityKeyError` when this device holds no key of its epoch.
   */
  async open(docId: string, path: SealedPath, sealed: unknown): Promise<unknown> {
    const envelope = sealed as SealedDocument;
    const epoch = sealedEpoch(envelope, this.#facilityId);
    if (epoch === null) throw new DecryptionError(`A sealed value of "${docId}" names no key of this facility.`);
    const context = sealedContext(docId, path);
    const key = await this.#contentKey(context.purpose, epoch);
    return decryptDocument(key, { facilityId: this.#facilityId, docId: context.docId, epoch }, envelope);
  }

  /** Opens a sealed text field (a note, a number, a reason); anything that is not a string counts as unreadable. */
  async openText(docId: string, path: SealedPath, sealed: unknown): Promise<string> {
    const value = await this.open(docId, path, sealed);
    if (typeof value !== 'string') throw new DecryptionError(`A sealed text of "${docId}" is not text.`);
    return value;
  }

  /** A copy of `doc` with every sealed value under another epoch than the current one sealed again under it. */
  async resealOlder<T extends { _id: string }>(doc: T): Promise<T> {
    const epoch = await this.currentEpoch();
    let result = doc;
    for (const found of findSealedValues(doc)) {
      if (sealedEpoch(found.sealed, this.#facilityId) === epoch) continue;
      const value = await this.open(doc._id, found.path, found.sealed);
      result = withSealedValue(result, found.path, await this.seal(doc._id, found.path, value, epoch));
    }
    return result;
  }

  /** Drops every key (at lock). */
  clear(): void {
    this.#contentKeys.clear();
    this.#epochKeys.clear();
  }

  #contentKey(purpose: ContentPurpose, epoch: number): Promise<CryptoKey> {
    const cacheKey = `${purpose}|${epoch}`;
    let key = this.#contentKeys.get(cacheKey);
    if (!key) {
      key = this.#deriveContentKey(purpose, epoch);
      this.#contentKeys.set(cacheKey, key);
      void key.catch(() => this.#contentKeys.delete(cacheKey));
    }
    return key;
  }

  async #deriveContentKey(purpose: ContentPurpose, epoch: number): Promise<CryptoKey> {
    const epochKey = this.#epochKeys.get(epoch) ?? (await this.#keys.forEpoch(this.#facilityId, epoch));
    if (!epochKey) throw new NoFacilityKeyError(this.#facilityId);
    return deriveContentKey(epochKey, { purpose, facilityId: this.#facilityId, epoch });
  }
}
