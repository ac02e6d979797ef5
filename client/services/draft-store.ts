/**
 * Unsaved form input kept on the device so that it survives a reload or a crash (ARCHITECTURE.md, "Locking":
 * "Unsaved form drafts that are kept on the device are encrypted under a key derived from muk"). A draft is the
 * form's values as JSON, sealed with AES-256-GCM under `HKDF(muk, "form-drafts/v1")`, with the login and the draft's
 * name as additional data (a draft cannot be moved to another form or member), stored in localStorage under
 * `rp.draft.<login>.<name>`. Nothing typed is ever stored in plaintext. Locked, the key is gone and drafts stay
 * sealed until the member unlocks again.
 */
import { deriveMukAesKey, randomIv } from '../crypto/muk-keys.ts';

export const DRAFTS_INFO = 'form-drafts/v1';
const PREFIX = 'rp.draft.';
const encoder = new TextEncoder();

function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
}

export class DraftStore {
  readonly #key: Promise<CryptoKey>;
  readonly #login: string;
  readonly #storage: Storage;

  constructor(muk: CryptoKey, login: string, storage: Storage = globalThis.localStorage) {
    this.#key = deriveMukAesKey(muk, DRAFTS_INFO);
    this.#login = login;
    this.#storage = storage;
  }

  #slot(name: string): string {
    return `${PREFIX}${this.#login}.${name}`;
  }

  #additionalData(name: string): Uint8Array<ArrayBuffer> {
    return encoder.encode(`draft|${this.#login}|${name}`);
  }

  /** Seals and keeps the values of form `name` (e.g. `patient-form:new`). */
  async save(name: string, values: unknown): Promise<void> {
    const iv = randomIv() as Uint8Array<ArrayBuffer>;
    const plaintext = encoder.encode(JSON.stringify(values));
    const ct = await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: this.#additionalData(name) },
      await this.#key,
      plaintext,
    );
    plaintext.fill(0);
    this.#storage.setItem(
      this.#slot(name),
      JSON.stringify({ v: 1, iv: toBase64(iv), ct: toBase64(new Uint8Array(ct)) }),
    );
  }

  /** The kept values of form `name`, or null (none, or one that does not open: it is then removed). */
  async load(name: string): Promise<unknown> {
    const raw = this.#storage.getItem(this.#slot(name));
    if (raw === null) return null;
    try {
      const sealed = JSON.parse(raw) as { iv: string; ct: string };
      const plaintext = await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: fromBase64(sealed.iv), additionalData: this.#additionalData(name) },
        await this.#key,
        fromBase64(sealed.ct),
      );
      return JSON.parse(new TextDecoder().decode(plaintext)) as unknown;
    } catch {
      this.discard(name);
      return null;
    }
  }

  discard(name: string): void {
    this.#storage.removeItem(this.#slot(name));
  }

  /** The names of this member's kept drafts. */
  names(): string[] {
    const prefix = `${PREFIX}${this.#login}.`;
    const names: string[] = [];
    for (let index = 0; index < this.#storage.length; index += 1) {
      const key = this.#storage.key(index);
      if (key?.startsWith(prefix)) names.push(key.slice(prefix.length));
    }
    return names;
  }
}
