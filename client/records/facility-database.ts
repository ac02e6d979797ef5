/**
 * The part of a PouchDB database the records layer uses, typed structurally: the app passes a `pouchdb-browser`
 * database, the integration tests a Node `pouchdb` one on LevelDB, and neither package's own types are in the
 * program (see client/sync/pouchdb-browser.d.ts for why). Writing the few calls out here also keeps the records
 * layer honest about what it does with the database: reads by id ranges, single `put`s, one live changes feed.
 */
import { readRangeFromIndexedDb } from './idb-range.ts';

/** A document as PouchDB hands it back. */
export interface StoredDoc {
  _id: string;
  _rev?: string;
  _deleted?: boolean;
  [field: string]: unknown;
}

export interface AllDocsOptions {
  include_docs?: boolean;
  startkey?: string;
  endkey?: string;
  keys?: string[];
  limit?: number;
  conflicts?: boolean;
}

export interface AllDocsRow {
  id: string;
  key: string;
  value: { rev: string; deleted?: boolean };
  doc?: StoredDoc | null;
}

/** One change reported by a live feed (with `include_docs`). */
export interface DatabaseChange {
  id: string;
  seq: number | string;
  deleted?: boolean;
  doc?: StoredDoc;
}

export interface ChangesFeed {
  on(event: 'change', listener: (change: DatabaseChange) => void): unknown;
  on(event: 'error', listener: (error: unknown) => void): unknown;
  cancel(): void;
}

/** One document's answer from `bulkDocs`: its new revision, or the error that refused it. */
export interface BulkDocsRow {
  ok?: boolean;
  id?: string;
  rev?: string;
  error?: string | boolean;
  status?: number;
  name?: string;
  message?: string;
  reason?: string;
}

export interface FacilityDatabase {
  get(id: string): Promise<StoredDoc & { _rev: string }>;
  put(doc: StoredDoc): Promise<{ ok: boolean; id: string; rev: string }>;
  /** Several documents in one write (PouchDB's IndexedDB adapter: one transaction, so all or none on a crash). */
  bulkDocs(docs: StoredDoc[]): Promise<BulkDocsRow[]>;
  allDocs(options: AllDocsOptions): Promise<{ rows: AllDocsRow[]; total_rows?: number }>;
  info(): Promise<{ update_seq: number | string }>;
  changes(options: { live: true; since: number | string; include_docs: true }): ChangesFeed;
  /** PouchDB's adapter and database name: where `readAll` may read a range straight from IndexedDB (idb-range.ts). */
  readonly adapter?: string;
  readonly name?: string;
}

/** PouchDB's errors carry the HTTP status of the equivalent CouchDB answer. */
export function errorStatus(error: unknown): number | null {
  if (typeof error !== 'object' || error === null) return null;
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' ? status : null;
}

/** A document by id, or null when there is none (or it was deleted); any other failure is rethrown. */
export async function getOrNull(db: FacilityDatabase, id: string): Promise<(StoredDoc & { _rev: string }) | null> {
  try {
    return await db.get(id);
  } catch (error) {
    if (errorStatus(error) === 404) return null;
    throw error;
  }
}

/** The upper bound of an id range: every id that starts with `prefix` sorts below it. */
export function rangeEnd(prefix: string): string {
  return `${prefix}\ufff0`;
}

/**
 * The (not deleted) documents whose ids start with `prefix`, in id order: in a browser replica straight from
 * IndexedDB in one or two requests (idb-range.ts), elsewhere (or when that path does not apply) in one `allDocs`.
 */
export async function readAll(db: FacilityDatabase, prefix: string): Promise<StoredDoc[]> {
  const direct = await readRangeFromIndexedDb(db, prefix, rangeEnd(prefix));
  if (direct) return direct;
  const { rows } = await db.allDocs({ include_docs: true, startkey: prefix, endkey: rangeEnd(prefix) });
  return rows.flatMap((row) => (row.doc ? [row.doc] : []));
}

/**
 * The documents whose ids start with `prefix`, read in pages of `pageSize` so that ten thousand passports never sit
 * in one IndexedDB transaction's answer; each page is handed to `onPage` while the next one is read.
 */
export async function readRange(
  db: FacilityDatabase,
  prefix: string,
  onPage: (docs: StoredDoc[]) => Promise<void> | void,
  pageSize = 1000,
): Promise<void> {
  let startkey = prefix;
  const endkey = rangeEnd(prefix);
  let pending: Promise<void> | void = undefined;
  for (;;) {
    const { rows } = await db.allDocs({ include_docs: true, startkey, endkey, limit: pageSize });
    const docs = rows.flatMap((row) => (row.doc ? [row.doc] : []));
    await pending;
    pending = docs.length > 0 ? onPage(docs) : undefined;
    const last = rows[rows.length - 1];
    if (rows.length < pageSize || !last) break;
    startkey = `${last.id}\u0000`;
  }
  await pending;
}
