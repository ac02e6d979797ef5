/**
 * Filling the `reference` database: `seedReference` writes the starter lists (medicaments, districts of Karelia,
 * ICD-10 starter codes) where nothing is there yet — a document that exists, even deactivated or deleted, is an
 * administrator's and is never touched — and `importIcd10` lays the Ministry of Health's full ICD-10 export over the
 * diagnosis chunks, rewriting only chunks that changed and keeping codes that left the classification as not in
 * force. Both write through `_bulk_docs` and are idempotent.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { StoreError, type StoreClient } from '../server/store-client.ts';
import { REFERENCE_DB } from './databases.ts';
import { starterReferenceDocs } from '../common/reference/starter-docs.ts';
import {
  DIAGNOSIS_CHUNK_PREFIX,
  DIAGNOSIS_META_ID,
  ICD10_OID,
  buildDiagnosisChunks,
  mergeDiagnosisChunks,
  nsiEditionFromFileName,
  parseNsiIcd10Csv,
  type Authorship,
  type EditionInfo,
  type NsiIcd10Row,
} from '../common/reference/icd10.ts';
import {
  isDiagnosisChunk,
  isDiagnosisEntry,
  validateDiagnosisChunk,
  type DiagnosisChunk,
  type DiagnosisMeta,
  type ReferenceDoc,
} from '../common/reference/types.ts';

export interface SeedResult {
  /** Ids written now. */
  written: string[];
  /** Starter documents left alone because they exist (or existed and were deleted). */
  existing: number;
}

export interface Icd10ImportResult extends EditionInfo {
  /** Rows in the file, and those in force. */
  rows: number;
  rowsInForce: number;
  /** Codes stored after the import, and those in force (the meta document's `count`). */
  codes: number;
  codesInForce: number;
  chunks: number;
  chunksWritten: number;
  chunksUnchanged: number;
  /** Stored codes the file no longer has, kept as not in force. */
  retired: number;
  metaWritten: boolean;
}

interface BulkResult {
  id: string;
  rev?: string;
  error?: string;
  reason?: string;
}

interface Options {
  /** Login recorded as `createdBy`/`updatedBy`. */
  by: string;
  /** Time of the change (ISO 8601); now by default. */
  at?: string;
}

const db = `/${encodeURIComponent(REFERENCE_DB)}`;

function authorshipOf(options: Options): Authorship {
  return { by: options.by, at: options.at ?? new Date().toISOString() };
}

/** Writes documents in one `_bulk_docs`; returns the per-document results, throwing on anything but conflicts. */
async function bulkWrite(store: StoreClient, docs: readonly object[]): Promise<BulkResult[]> {
  if (docs.length === 0) return [];
  const response = await store.expect<BulkResult[]>('POST', `${db}/_bulk_docs`, { docs });
  const failed = response.body.filter((result) => result.error && result.error !== 'conflict');
  if (failed.length > 0) {
    const first = failed[0];
    throw new StoreError(
      500,
      first?.error ?? 'unknown',
      `${failed.length} reference document(s) refused, first ${first?.id}: ${first?.reason}`,
    );
  }
  return response.body;
}

/** Ids among `ids` that exist or existed (deleted) in the reference database. */
async function knownIds(store: StoreClient, ids: readonly string[]): Promise<Set<string>> {
  const response = await store.expect<{ rows: { key: string; error?: string }[] }>('POST', `${db}/_all_docs`, {
    keys: ids,
  });
  return new Set(response.body.rows.filter((row) => !row.error).map((row) => row.key));
}

/** Writes the starter documents that are not there yet; never changes one that is, or was. */
export async function seedReference(store: StoreClient, options: Options): Promise<SeedResult> {
  const docs: ReferenceDoc[] = starterReferenceDocs(authorshipOf(options));
  const known = await knownIds(
    store,
    docs.map((doc) => doc._id),
  );
  const missing = docs.filter((doc) => !known.has(doc._id));
  // A conflict here means someone created the document meanwhile: it exists, so it is theirs.
  const results = await bulkWrite(store, missing);
  const written = results.filter((result) => !result.error).map((result) => result.id);
  return { written, existing: docs.length - written.length };
}

/** A stored chunk that fails validation, rebuilt from its usable entries (its revision kept, so it is rewritten). */
function repairedChunk(doc: Record<string, unknown>, authorship: Authorship): DiagnosisChunk {
  return {
    _id: String(doc._id),
    ...(typeof doc._rev === 'string' ? { _rev: doc._rev } : {}),
    type: 'diagnosis-chunk',
    active: true,
    createdBy: authorship.by,
    createdAt: authorship.at,
    updatedBy: authorship.by,
    updatedAt: authorship.at,
    entries: Array.isArray(doc.entries) ? doc.entries.filter(isDiagnosisEntry) : [],
  };
}

/** The stored chunks, and the ids of those that had to be repaired (and so must be written back). */
async function storedChunks(
  store: StoreClient,
  authorship: Authorship,
): Promise<{ chunks: DiagnosisChunk[]; repaired: Set<string> }> {
  const key = (id: string): string => encodeURIComponent(JSON.stringify(id));
  const range = `startkey=${key(DIAGNOSIS_CHUNK_PREFIX)}&endkey=${key(DIAGNOSIS_CHUNK_PREFIX + '\ufff0')}`;
  const response = await store.expect<{ rows: { id: string; doc?: Record<string, unknown> | null }[] }>(
    'GET',
    `${db}/_all_docs?include_docs=true&${range}`,
    undefined,
  );
  const chunks: DiagnosisChunk[] = [];
  const repaired = new Set<string>();
  for (const { id, doc } of response.body.rows) {
    // Only ids a chunk may have; anything else under the prefix is left alone.
    if (!doc || !/^diagnosis-chunk:([A-Z]|classes)$/.test(id)) continue;
    if (isDiagnosisChunk(doc)) {
      chunks.push(doc);
    } else {
      chunks.push(repairedChunk(doc, authorship));
      repaired.add(id);
    }
  }
  return { chunks, repaired };
}

/** The meta document to write, or null when the stored one already says the same and no chunk changed. */
function nextMeta(stored: DiagnosisMeta | null, fresh: DiagnosisMeta, chunksChanged: boolean): DiagnosisMeta | null {
  const same =
    stored?.version === fresh.version &&
    stored.oid === fresh.oid &&
    stored.source === fresh.source &&
    stored.count === fresh.count;
  if (same && !chunksChanged) return null;
  if (!stored?._rev) return fresh;
  return {
    ...fresh,
    _rev: stored._rev,
    createdBy: stored.createdBy ?? fresh.createdBy,
    createdAt: stored.createdAt ?? fresh.createdAt,
  };
}

/** Lays parsed NSI rows over the stored diagnosis chunks; retries from a fresh read if an edit raced it. */
export async function importDiagnosisRows(
  store: StoreClient,
  rows: readonly NsiIcd10Row[],
  edition: EditionInfo,
  options: Options,
): Promise<Icd10ImportResult> {
  const authorship = authorshipOf(options);
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const fresh = buildDiagnosisChunks(rows, edition, authorship);
    const stored = await storedChunks(store, authorship);
    const merge = mergeDiagnosisChunks(stored.chunks, fresh.chunks, authorship);
    for (const chunk of merge.all) {
      if (stored.repaired.has(chunk._id) && !merge.changed.includes(chunk)) merge.changed.push(chunk);
    }
    for (const chunk of merge.changed) {
      const problem = validateDiagnosisChunk(chunk)[0];
      if (problem) throw new StoreError(422, 'invalid_chunk', `${chunk._id}: ${problem.field}: ${problem.message}`);
    }
    const codes = merge.all.reduce((sum, chunk) => sum + chunk.entries.length, 0);
    const codesInForce = merge.all.reduce(
      (sum, chunk) => sum + chunk.entries.filter((entry) => entry.actual).length,
      0,
    );
    const meta = nextMeta(
      await store.getDoc<DiagnosisMeta>(REFERENCE_DB, DIAGNOSIS_META_ID),
      { ...fresh.meta, count: codesInForce },
      merge.changed.length > 0,
    );
    const results = await bulkWrite(store, meta ? [...merge.changed, meta] : merge.changed);
    if (results.some((result) => result.error === 'conflict')) continue;
    return {
      ...edition,
      rows: rows.length,
      rowsInForce: rows.filter((row) => row.actual).length,
      codes,
      codesInForce,
      chunks: merge.all.length,
      chunksWritten: merge.changed.length,
      chunksUnchanged: merge.all.length - merge.changed.length,
      retired: merge.retired,
      metaWritten: meta !== null,
    };
  }
  throw new StoreError(409, 'conflict', 'the diagnosis chunks kept changing during the import; try again');
}

export interface Icd10ImportOptions extends Options {
  /** Edition version; by default read from the NSI file name (`…_2.27.csv`). */
  version?: string;
  oid?: string;
  source?: string;
}

/**
 * Imports an NSI ICD-10 export (file at `csvPath`) into the reference database. Throws Icd10CsvError (naming the
 * line) for a malformed file, before anything is written.
 */
export async function importIcd10(
  store: StoreClient,
  csvPath: string,
  options: Icd10ImportOptions,
): Promise<Icd10ImportResult> {
  const text = await readFile(csvPath, 'utf8');
  const rows = parseNsiIcd10Csv(text);
  const fileName = basename(csvPath);
  const fromName = nsiEditionFromFileName(fileName);
  const version = options.version ?? fromName?.version;
  if (!version) {
    throw new Error(
      `the version of ${fileName} is not in its name (NSI exports end "_<version>.csv"); give it explicitly`,
    );
  }
  const edition: EditionInfo = {
    version,
    oid: options.oid ?? fromName?.oid ?? ICD10_OID,
    source: options.source ?? `НСИ Минздрава России, ${fileName}`,
  };
  return importDiagnosisRows(store, rows, edition, options);
}
