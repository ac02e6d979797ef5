/**
 * The sealed search snapshot: what the records layer held in memory when a facility was last open (opened passports,
 * records, latest scales), kept in one `_local` document of the member's own replica so that the next unlock does
 * not read and decrypt every passport one by one. PouchDB's IndexedDB adapter reads a document range with one
 * request per document; at 10,000 passports that alone took about two seconds, one `_local` read takes a few
 * milliseconds. The snapshot changes nothing about what the device stores in readable form:
 *
 * - it is ciphertext only: AES-256-GCM under a key derived with HKDF from the facility's *current* epoch key, for
 *   this member and this facility (info `palliative-register/v1|search-snapshot|<facilityId>|<epoch>|<login>`), a
 *   fresh random IV on every write, and additional data naming the facility, epoch, member and document id — so a
 *   snapshot moved to another member's database, another facility or relabelled with another epoch does not open;
 * - it opens only with the current epoch's key: after a revocation (a new epoch) the old snapshot is ignored and
 *   made again, so nothing keeps a facility readable under a retired key;
 * - `_local` documents never replicate, so it never leaves the device, and it is never trusted blindly: it carries
 *   the database sequence it reflects, and the changes since are applied over it before the records count as open
 *   (open-records.ts). A snapshot that does not open, or of another format, is ignored and written anew.
 *
 * The envelope does not pad: the number of patients, which its length reveals, is visible from the passports anyway.
 */
import { PROTOCOL_LABEL, utf8, fromUtf8, type Bytes } from '../../common/keys/encoding.ts';
import { keyId, parseKeyId } from '../../common/keys/epoch-keys.ts';
import { errorStatus, type FacilityDatabase, type StoredDoc } from './facility-database.ts';
import type { LatestScales } from './patient-listing.ts';
import type { PassportData, PatientRecord } from './records-types.ts';

/** Format of the sealed content; a snapshot of another format is ignored (and replaced). */
export const SNAPSHOT_FORMAT = 1;

/** One opened passport as the snapshot keeps it; `epoch` is the epoch it was sealed under (null: unknown). */
export interface SnapshotPassport {
  passportId: string;
  rev: string;
  epoch: number | null;
  data: PassportData;
}

/** What a snapshot holds: the memory of an open facility as it was at database sequence `seq`. */
export interface SnapshotContent {
  seq: number | string;
  passports: SnapshotPassport[];
  /** Passports that did not open on this device (retried at every open). */
  unreadable: string[];
  records: PatientRecord[];
  /** Latest scales per patient, when they had been read. */
  latest: [string, LatestScales][] | null;
}

/** Who the snapshot belongs to; every part goes into the key and the additional data. */
export interface SnapshotOwner {
  facilityId: string;
  login: string;
}

/** The stored envelope: `{_id, _rev, format, kid, iv, ct}`. */
interface SnapshotDoc extends StoredDoc {
  format: number;
  kid: string;
  iv: string;
  ct: string;
}

const IV_LENGTH = 12;
/** Characters per `String.fromCharCode` call: far below any engine's argument limit. */
const CHARS_PER_CALL = 0x8000;

/** The snapshot's document id in the member's replica (one per member, should two share a database in tests). */
export function snapshotDocId(login: string): string {
  return `_local/search-snapshot:${login}`;
}

function label(owner: SnapshotOwner, epoch: number): string {
  return `${PROTOCOL_LABEL}|search-snapshot|${owner.facilityId}|${epoch}|${owner.login}`;
}

/** The snapshot key of one member, facility and epoch, derived from that epoch's HKDF key (non-extractable). */
export function snapshotKey(epochKey: CryptoKey, owner: SnapshotOwner, epoch: number): Promise<CryptoKey> {
  const params: HkdfParams = {
    name: 'HKDF',
    hash: 'SHA-256',
    salt: new Uint8Array(0),
    info: utf8(label(owner, epoch)),
  };
  return crypto.subtle.deriveKey(params, epochKey, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
}

function additionalData(owner: SnapshotOwner, epoch: number): Bytes {
  return utf8(`${label(owner, epoch)}|${SNAPSHOT_FORMAT}|${snapshotDocId(owner.login)}`);
}

/** The engine's own base64 of byte arrays (TC39 "Uint8Array to/from base64"), where it has it. */
interface NativeBase64 {
  fromBase64?: (text: string) => Uint8Array<ArrayBuffer>;
}

/** Base64 of large byte strings: natively where the engine can, else in slices (never byte by byte into a string). */
function toBase64(bytes: Uint8Array): string {
  const native = (bytes as Uint8Array & { toBase64?: () => string }).toBase64;
  if (typeof native === 'function') return native.call(bytes);
  const parts: string[] = [];
  for (let start = 0; start < bytes.length; start += CHARS_PER_CALL) {
    parts.push(String.fromCharCode(...bytes.subarray(start, start + CHARS_PER_CALL)));
  }
  return btoa(parts.join(''));
}

function fromBase64(text: string): Bytes {
  const native = (Uint8Array as unknown as NativeBase64).fromBase64;
  if (typeof native === 'function') return native.call(Uint8Array, text);
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Seals `content` for `owner` under `epoch` (whose snapshot key is `key`). */
export async function sealSnapshot(
  key: CryptoKey,
  owner: SnapshotOwner,
  epoch: number,
  content: SnapshotContent,
): Promise<Omit<SnapshotDoc, '_id'>> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_LENGTH));
  const plaintext = utf8(JSON.stringify(content));
  try {
    const ct = await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: additionalData(owner, epoch) },
      key,
      plaintext,
    );
    return {
      format: SNAPSHOT_FORMAT,
      kid: keyId(owner.facilityId, epoch),
      iv: toBase64(iv),
      ct: toBase64(new Uint8Array(ct)),
    };
  } finally {
    plaintext.fill(0);
  }
}

function isSnapshotContent(value: unknown): value is SnapshotContent {
  if (typeof value !== 'object' || value === null) return false;
  const content = value as Record<string, unknown>;
  return (
    (typeof content.seq === 'number' || typeof content.seq === 'string') &&
    Array.isArray(content.passports) &&
    Array.isArray(content.unreadable) &&
    Array.isArray(content.records) &&
    (content.latest === null || Array.isArray(content.latest))
  );
}

/** The epoch a stored snapshot names, or null when it is not a snapshot of this format and facility. */
export function snapshotEpoch(doc: StoredDoc | null, facilityId: string): number | null {
  if (!doc || doc.format !== SNAPSHOT_FORMAT || typeof doc.iv !== 'string' || typeof doc.ct !== 'string') return null;
  const kid = parseKeyId(doc.kid);
  return kid?.facilityId === facilityId ? kid.epoch : null;
}

/** Opens a stored snapshot with the key of `epoch`; null when it does not open or is not a snapshot's content. */
export async function openSnapshot(
  key: CryptoKey,
  owner: SnapshotOwner,
  epoch: number,
  doc: StoredDoc,
): Promise<SnapshotContent | null> {
  if (snapshotEpoch(doc, owner.facilityId) !== epoch) return null;
  try {
    const plaintext = new Uint8Array(
      await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: fromBase64(doc.iv as string), additionalData: additionalData(owner, epoch) },
        key,
        fromBase64(doc.ct as string),
      ),
    );
    const content = JSON.parse(fromUtf8(plaintext)) as unknown;
    plaintext.fill(0);
    return isSnapshotContent(content) ? content : null;
  } catch {
    // Damaged, moved, of another key: ignored, and replaced by the next snapshot.
    return null;
  }
}

/** The stored snapshot document, or null when there is none or it cannot be read (never an error: it is a cache). */
export async function readSnapshotDoc(db: FacilityDatabase, login: string): Promise<StoredDoc | null> {
  try {
    return await db.get(snapshotDocId(login));
  } catch {
    return null;
  }
}

/** Writes the sealed snapshot over the stored one (reading its revision again when another write came first). */
export async function writeSnapshotDoc(
  db: FacilityDatabase,
  login: string,
  sealed: Omit<SnapshotDoc, '_id'>,
): Promise<void> {
  const _id = snapshotDocId(login);
  for (let attempt = 1; ; attempt += 1) {
    const current = await readSnapshotDoc(db, login);
    try {
      await db.put({ ...sealed, _id, ...(current?._rev ? { _rev: current._rev } : {}) });
      return;
    } catch (error) {
      if (errorStatus(error) !== 409 || attempt >= 3) throw error;
    }
  }
}
