/**
 * Re-encrypting a facility's sealed data under the current key epoch, all at once, after a revocation
 * (ARCHITECTURE.md, "Keys" → Revocation). Devices re-encrypt lazily when a passport or note next changes; an
 * administrator who does not want to wait for that runs this over the whole facility database, with a progress bar.
 * It protects data only against someone who did not already hold the old key — which is why it runs after the new
 * epoch was started and the member disabled, not instead of that.
 *
 * Every sealed value (found by `findSealedValues`, bound to its document and field by `contextOf`, the same rule the
 * repositories use) whose epoch is lower than the custody's current epoch is opened with that epoch's content key
 * and sealed again under the current epoch: a fresh IV, the same document id and purpose. A document with nothing
 * to change is not written, so a second run writes nothing. Whatever cannot be done — a value that does not open,
 * a write the server refuses, a conflict with someone editing at the same time — is listed with the document id and
 * the run goes on; nothing is overwritten blindly (a conflict keeps the other writer's revision and is picked up by
 * the next run).
 *
 * Raw epoch bytes stay in the caller's `OpenCustody` (which the caller closes); they are imported here only into
 * non-extractable `CryptoKey`s. Decrypted values live in memory only between opening and sealing again: they are
 * never put into a failure reason, a progress report or a log.
 */
import {
  DecryptionError,
  contextOf,
  decryptDocument,
  deriveContentKey,
  encryptDocument,
  findSealedValues,
  importEpochKey,
  withSealedValue,
  type ContentPurpose,
  type SealedPath,
} from '../../common/keys/index.ts';
import { isFacilityId } from '../../common/roles.ts';
import { ApiError } from '../http/api-errors.ts';
import { requestJson, type Fetch } from '../http/request-json.ts';
import type { OpenCustody } from './facility-custody.ts';

/** The facility database as seen through the gateway. */
export interface FacilityDocs {
  /** How many documents `page` will hand out in all (to size the progress bar). */
  count(): Promise<number>;
  /** Documents with ids after `startAfter` (null: from the start), at most `limit`; `last` is null at the end. */
  page(startAfter: string | null, limit: number): Promise<{ docs: Record<string, unknown>[]; last: string | null }>;
  /** Writes documents (each with its `_rev`); one answer per document, the refusals with the store's reason. */
  save(docs: Record<string, unknown>[]): Promise<{ id: string; ok: boolean; error?: string; reason?: string }[]>;
}

export interface ReencryptProgress {
  /** Documents looked at so far. */
  seen: number;
  /** Documents to look at (grows if documents are added during the run). */
  total: number;
  /** Documents written under the current epoch by this run. */
  changed: number;
  failed: ReencryptFailure[];
}

/** A document left as it was, and why. The reason names fields and epochs, never decrypted text. */
export interface ReencryptFailure {
  id: string;
  reason: string;
}

export interface ReencryptOptions {
  /** Documents read and written per request (default 50). */
  batchSize?: number;
  /** Stops between batches; the progress so far is returned. */
  signal?: AbortSignal;
}

const DEFAULT_BATCH_SIZE = 50;
const MAX_BATCH_SIZE = 1000;
const REQUEST_TIMEOUT_MS = 60_000;

/** Documents that are never re-encrypted: design documents, and audit events (append-only, no sealed data). */
const SKIPPED_PREFIXES = ['_design/', 'audit:'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSkipped(id: string): boolean {
  return SKIPPED_PREFIXES.some((prefix) => id.startsWith(prefix));
}

function rowsOf(body: unknown): { id: string; doc?: unknown }[] {
  const rows = isRecord(body) ? body.rows : undefined;
  if (!Array.isArray(rows)) throw new ApiError(502, 'bad_answer', 'The store sent no rows.');
  return rows.filter((row): row is { id: string; doc?: unknown } => isRecord(row) && typeof row.id === 'string');
}

/** `FacilityDocs` over the gateway (`/db/facility-<id>`) with the session cookie, as the administrator's browser. */
export class HttpFacilityDocs implements FacilityDocs {
  readonly #fetch: Fetch;
  readonly #db: string;

  constructor(facilityId: string, fetchImpl: Fetch = (input, init) => globalThis.fetch(input, init)) {
    if (!isFacilityId(facilityId)) throw new TypeError(`Not a facility id: ${facilityId}.`);
    this.#db = `/db/facility-${facilityId}`;
    this.#fetch = fetchImpl;
  }

  #request(method: string, path: string, body?: unknown): Promise<unknown> {
    return requestJson(this.#fetch, method, path, body, REQUEST_TIMEOUT_MS);
  }

  /** How many ids start with `prefix` (ids only, no documents). */
  async #countPrefix(prefix: string): Promise<number> {
    const range = new URLSearchParams({ startkey: JSON.stringify(prefix), endkey: JSON.stringify(`${prefix}\ufff0`) });
    return rowsOf(await this.#request('GET', `${this.#db}/_all_docs?${range.toString()}`)).length;
  }

  async count(): Promise<number> {
    const info = await this.#request('GET', this.#db);
    const docCount = isRecord(info) ? info.doc_count : undefined;
    if (typeof docCount !== 'number') throw new ApiError(502, 'bad_answer', 'The store sent no doc_count.');
    let skipped = 0;
    for (const prefix of SKIPPED_PREFIXES) skipped += await this.#countPrefix(prefix);
    return Math.max(0, docCount - skipped);
  }

  async page(
    startAfter: string | null,
    limit: number,
  ): Promise<{ docs: Record<string, unknown>[]; last: string | null }> {
    // `startkey` includes the row it names, so that row is dropped here (not `skip=1`: if that document was deleted
    // meanwhile, skipping would pass over the next one). One row more than handed out tells whether more follow.
    const params = new URLSearchParams({ include_docs: 'true', limit: String(limit + (startAfter === null ? 1 : 2)) });
    if (startAfter !== null) params.set('startkey', JSON.stringify(startAfter));
    const rows = rowsOf(await this.#request('GET', `${this.#db}/_all_docs?${params.toString()}`))
      .filter((row) => row.id !== startAfter)
      .slice(0, limit + 1);
    const handedOut = rows.slice(0, limit);
    const docs = handedOut
      .filter((row) => !isSkipped(row.id))
      .map((row) => row.doc)
      .filter(isRecord);
    return { docs, last: rows.length > limit ? (handedOut[handedOut.length - 1]?.id ?? null) : null };
  }

  async save(docs: Record<string, unknown>[]): Promise<{ id: string; ok: boolean; error?: string; reason?: string }[]> {
    const answer = await this.#request('POST', `${this.#db}/_bulk_docs`, { docs });
    if (!Array.isArray(answer)) throw new ApiError(502, 'bad_answer', 'The store sent no list of results.');
    return answer.filter(isRecord).map((result) => {
      const id = typeof result.id === 'string' ? result.id : '';
      if (result.error === undefined) return { id, ok: true };
      return {
        id,
        ok: false,
        error: String(result.error),
        ...(typeof result.reason === 'string' ? { reason: result.reason } : {}),
      };
    });
  }
}

/** Content keys by purpose and epoch, derived once per run from the custody's epoch keys. */
class ContentKeys {
  readonly #epochKeys = new Map<number, Promise<CryptoKey>>();
  readonly #contentKeys = new Map<string, Promise<CryptoKey>>();

  constructor(readonly custody: OpenCustody) {}

  /** The content key, or null when the custody holds no key of that epoch. */
  get(purpose: ContentPurpose, epoch: number): Promise<CryptoKey> | null {
    const name = `${purpose}|${epoch}`;
    const known = this.#contentKeys.get(name);
    if (known) return known;
    let base = this.#epochKeys.get(epoch);
    if (!base) {
      const raw = this.custody.epochKeys.get(epoch);
      if (!raw) return null;
      base = importEpochKey(raw);
      this.#epochKeys.set(epoch, base);
    }
    const derived = base.then((key) => deriveContentKey(key, { purpose, facilityId: this.custody.facilityId, epoch }));
    this.#contentKeys.set(name, derived);
    return derived;
  }
}

function idOf(doc: Record<string, unknown>): string {
  return typeof doc._id === 'string' ? doc._id : '';
}

function pathText(path: SealedPath): string {
  if (path.length === 0) return 'the passport';
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`)).join('');
}

type DocOutcome =
  { kind: 'unchanged' } | { kind: 'changed'; doc: Record<string, unknown> } | { kind: 'failed'; reason: string };

/** The document with every sealed value of an older epoch sealed again under the current one. */
async function reencryptDoc(doc: Record<string, unknown>, keys: ContentKeys, by: string): Promise<DocOutcome> {
  const { facilityId, currentEpoch } = keys.custody;
  const id = idOf(doc);
  let updated = doc;
  let changes = 0;
  const problems: string[] = [];
  for (const value of findSealedValues(doc)) {
    const where = pathText(value.path);
    const context = contextOf(facilityId, id, value);
    if (context === null) {
      problems.push(`${where} is sealed under key "${value.sealed.kid}", not a key of this facility.`);
      continue;
    }
    if (context.epoch >= currentEpoch) continue;
    const oldKey = keys.get(context.purpose, context.epoch);
    const newKey = keys.get(context.purpose, currentEpoch);
    if (!oldKey || !newKey) {
      problems.push(`${where}: no key of epoch ${oldKey ? currentEpoch : context.epoch} is held.`);
      continue;
    }
    let opened: unknown;
    try {
      opened = await decryptDocument(await oldKey, context, value.sealed);
    } catch (error) {
      if (!(error instanceof DecryptionError)) throw error;
      problems.push(`${where} does not open with the key of epoch ${context.epoch}.`);
      continue;
    }
    const resealed = await encryptDocument(await newKey, { ...context, epoch: currentEpoch }, opened);
    updated = withSealedValue(updated, value.path, resealed);
    changes += 1;
  }
  if (problems.length > 0) return { kind: 'failed', reason: problems.join(' ') };
  if (changes === 0) return { kind: 'unchanged' };
  if (id.startsWith('passport:')) {
    // A passport carries only its ciphertext (the design document refuses any other field).
    const { _id, _rev, type, v, kid, iv, ct } = updated;
    return { kind: 'changed', doc: { _id, _rev, type, v, kid, iv, ct } };
  }
  return { kind: 'changed', doc: { ...updated, updatedBy: by, updatedAt: new Date().toISOString() } };
}

/** Writes one batch; a refusal of the whole request fails every document in it, the run goes on. */
async function saveBatch(docs: FacilityDocs, batch: Record<string, unknown>[], progress: ReencryptProgress) {
  let results: Awaited<ReturnType<FacilityDocs['save']>>;
  try {
    results = await docs.save(batch);
  } catch (error) {
    // No answer at all, or the session is gone: nothing further can be written, so the run stops here.
    if (!(error instanceof ApiError) || error.status === 401) throw error;
    for (const doc of batch) progress.failed.push({ id: idOf(doc), reason: `${error.code}: ${error.message}` });
    return;
  }
  const byId = new Map(results.map((result) => [result.id, result]));
  for (const doc of batch) {
    const id = idOf(doc);
    const result = byId.get(id);
    if (result?.ok === true) progress.changed += 1;
    else if (!result) progress.failed.push({ id, reason: 'The store gave no answer for this document.' });
    else progress.failed.push({ id, reason: [result.error, result.reason].filter(Boolean).join(': ') });
  }
}

function snapshot(progress: ReencryptProgress): ReencryptProgress {
  return { ...progress, failed: [...progress.failed] };
}

/**
 * Re-encrypts every sealed value of the facility's documents that is under an epoch older than
 * `custody.currentEpoch`, in batches of `batchSize` documents, reporting progress after each batch. `by` is the
 * administrator's login (written as `updatedBy` on documents other than passports). Returns the final progress;
 * with an aborted `signal` it stops between batches and returns the progress so far. Throws only when the store
 * cannot be reached or the session ended; every per-document problem is in `failed`.
 */
export async function reencryptFacility(
  docs: FacilityDocs,
  facilityId: string,
  custody: OpenCustody,
  by: string,
  onProgress?: (progress: ReencryptProgress) => void,
  options: ReencryptOptions = {},
): Promise<ReencryptProgress> {
  if (custody.facilityId !== facilityId) {
    throw new TypeError(`The keys opened are of "${custody.facilityId}", not of "${facilityId}".`);
  }
  if (by === '') throw new TypeError('The login of the administrator is required.');
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
    throw new TypeError(`The batch size must be a whole number from 1 to ${MAX_BATCH_SIZE}.`);
  }
  const keys = new ContentKeys(custody);
  const progress: ReencryptProgress = { seen: 0, total: await docs.count(), changed: 0, failed: [] };
  let startAfter: string | null = null;
  do {
    if (options.signal?.aborted === true) break;
    const page = await docs.page(startAfter, batchSize);
    const batch: Record<string, unknown>[] = [];
    for (const doc of page.docs) {
      const outcome = await reencryptDoc(doc, keys, by);
      if (outcome.kind === 'changed') batch.push(outcome.doc);
      else if (outcome.kind === 'failed') progress.failed.push({ id: idOf(doc), reason: outcome.reason });
    }
    if (batch.length > 0) await saveBatch(docs, batch, progress);
    progress.seen += page.docs.length;
    progress.total = Math.max(progress.total, progress.seen);
    onProgress?.(snapshot(progress));
    startAfter = page.last;
  } while (startAfter !== null);
  return snapshot(progress);
}
