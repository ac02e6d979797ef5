/**
 * Reading a whole id range of a browser replica in two IndexedDB requests instead of one per document.
 *
 * PouchDB's IndexedDB adapter (`idb`, schema version 5) answers `allDocs({include_docs})` over a range with one
 * `getAll` of the documents' metadata and then one index `get` per document for its body. In Chromium each request
 * is a round trip to the browser process, so opening 10,000 passports spent 2.5 s of 3.2 s reading (README,
 * "Performance"). Here the same range is read in one read-only transaction of the replica's own IndexedDB database:
 * one `getAll` of the metadata (which names each document's winning revision and whether it is deleted) and one
 * `getAll` over the revision bodies' `_doc_id_rev` index, keeping the winning revision of each live document —
 * exactly the documents, in the same id order, that `allDocs` returns.
 *
 * The layout read here is the adapter's, not a public interface, so every step checks it: a database whose adapter
 * is not `idb`, a missing store or index, a metadata row or body of another shape, or any IndexedDB error answers
 * `null`, and the caller reads through `allDocs` as before (facility-database.ts `readAll`). A second connection is
 * opened only to an existing database (an upgrade request is aborted, so nothing is ever created) and closed at once,
 * or as soon as PouchDB asks to change or delete the database.
 */
import type { StoredDoc } from './facility-database.ts';

/** What `readAll` needs to know of a database to try this path: PouchDB's adapter name and database name. */
export interface AdapterNamed {
  adapter?: unknown;
  name?: unknown;
}

/** The adapter's stores and index this reader depends on (pouchdb-adapter-idb, ADAPTER_VERSION 5). */
const DOC_STORE = 'document-store';
const BY_SEQ_STORE = 'by-sequence';
const DOC_ID_REV_INDEX = '_doc_id_rev';
/** PouchDB's prefix of its IndexedDB database names (`PouchDB.prefix`). */
const IDB_PREFIX = '_pouch_';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

/** Opens an existing IndexedDB database at its current version, or answers null (never creates one). */
function openExisting(name: string): Promise<IDBDatabase | null> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (value: IDBDatabase | null): void => {
      if (settled) {
        value?.close();
        return;
      }
      settled = true;
      resolve(value);
    };
    let open: IDBOpenDBRequest;
    try {
      open = indexedDB.open(name);
    } catch {
      done(null);
      return;
    }
    // An upgrade here means the database did not exist: abort, so that opening it creates nothing.
    open.onupgradeneeded = () => {
      open.transaction?.abort();
    };
    open.onsuccess = () => {
      const idb = open.result;
      idb.onversionchange = () => idb.close();
      done(idb);
    };
    open.onerror = () => done(null);
    open.onblocked = () => done(null);
  });
}

/** One metadata row as the adapter stores it (only the fields read here). */
interface MetadataRow {
  id: string;
  winningRev: string;
  deletedOrLocal: string;
}

function isMetadataRow(value: unknown): value is MetadataRow {
  if (typeof value !== 'object' || value === null) return false;
  const row = value as Record<string, unknown>;
  return (
    typeof row.id === 'string' &&
    typeof row.winningRev === 'string' &&
    (row.deletedOrLocal === '0' || row.deletedOrLocal === '1')
  );
}

/**
 * The live documents whose ids lie in [`start`, `end`], read straight from the replica's IndexedDB database, or null
 * when this path does not apply or the layout is not the one expected (then read through `allDocs`).
 */
export async function readRangeFromIndexedDb(
  db: AdapterNamed,
  start: string,
  end: string,
): Promise<StoredDoc[] | null> {
  if (db.adapter !== 'idb' || typeof db.name !== 'string' || typeof indexedDB === 'undefined') return null;
  const idb = await openExisting(`${IDB_PREFIX}${db.name}`);
  if (!idb) return null;
  try {
    const names = idb.objectStoreNames;
    if (!names.contains(DOC_STORE) || !names.contains(BY_SEQ_STORE)) return null;
    const txn = idb.transaction([DOC_STORE, BY_SEQ_STORE], 'readonly');
    const bySeq = txn.objectStore(BY_SEQ_STORE);
    if (!bySeq.indexNames.contains(DOC_ID_REV_INDEX)) return null;
    const range = IDBKeyRange.bound(start, end);
    // Bodies are keyed `<id>::<rev>`; whatever else these bounds take in is not a wanted key and is passed over.
    const bodiesRange = IDBKeyRange.bound(start, `${end}::\uffff`);
    const [metadata, bodies] = await Promise.all([
      request(txn.objectStore(DOC_STORE).getAll(range)),
      request(bySeq.index(DOC_ID_REV_INDEX).getAll(bodiesRange)),
    ]);
    const wanted = new Map<string, number>();
    const order: string[] = [];
    for (const row of metadata as unknown[]) {
      if (!isMetadataRow(row)) return null;
      if (row.deletedOrLocal === '1') continue;
      wanted.set(`${row.id}::${row.winningRev}`, order.length);
      order.push(row.id);
    }
    const docs = new Array<StoredDoc | undefined>(order.length);
    for (const body of bodies as unknown[]) {
      if (typeof body !== 'object' || body === null) return null;
      const stored = body as Record<string, unknown>;
      const key = stored._doc_id_rev;
      if (typeof key !== 'string') return null;
      const at = wanted.get(key);
      if (at === undefined) continue;
      const split = key.lastIndexOf('::');
      const doc = { ...stored, _id: key.slice(0, split), _rev: key.slice(split + 2) };
      Reflect.deleteProperty(doc, '_doc_id_rev');
      docs[at] = doc;
    }
    // Every live document must have its winning body; one missing means a layout this reader does not know.
    const complete: StoredDoc[] = [];
    for (const doc of docs) {
      if (!doc) return null;
      complete.push(doc);
    }
    return complete;
  } catch {
    return null;
  } finally {
    idb.close();
  }
}
