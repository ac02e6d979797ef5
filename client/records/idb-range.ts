/**
 * Reading a whole id range of a browser replica in one or two IndexedDB requests instead of one per document.
 *
 * PouchDB's IndexedDB adapter (`idb`, schema version 5) answers `allDocs({include_docs})` over a range with one
 * `getAll` of the documents' metadata and then one index `get` per document for its body. Opening 10,000 passports
 * spent 2.5 s of 3.2 s reading that way (README, "Performance"). Here the same range is read in one read-only
 * transaction of the replica's own IndexedDB database, mostly in one request: a `getAll` over the revision bodies'
 * `_doc_id_rev` index. A leaf revision always keeps its body (the adapter drops at most bodies of older revisions), so
 * a document with one stored body has one leaf, which is its winning revision — listed unless it is a deletion. That
 * is every document a first sync brought (a pull stores only the current revision). Only documents with several bodies
 * (changed since they arrived, here or by a later pull, or in conflict) need their metadata, which names the winning
 * revision: read one by one when they are few, with one `getAll` of the range's metadata when they are many. The
 * answer is exactly the documents, in the same id order, that `allDocs` returns.
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

/** One stored revision body of a document. */
interface StoredBody {
  rev: string;
  body: Record<string, unknown>;
}

/** Documents with several stored bodies up to which each one's metadata is read alone, not the whole range's. */
const METADATA_ONE_BY_ONE = 200;

/**
 * The winning revision of each of `ids` (documents with several stored bodies: edited here, or in conflict), or null
 * for a deleted one; null altogether when a metadata row is missing or of another shape. A few are read one by one,
 * many with one `getAll` of the range's metadata.
 */
async function winningRevisions(
  docStore: IDBObjectStore,
  ids: readonly string[],
  range: IDBKeyRange,
): Promise<Map<string, string | null> | null> {
  const winners = new Map<string, string | null>();
  if (ids.length === 0) return winners;
  const wanted = new Set(ids);
  const rows =
    ids.length <= METADATA_ONE_BY_ONE
      ? await Promise.all(ids.map((id) => request(docStore.get(id))))
      : await request(docStore.getAll(range));
  for (const row of rows as unknown[]) {
    if (!isMetadataRow(row)) return null;
    if (wanted.has(row.id)) winners.set(row.id, row.deletedOrLocal === '1' ? null : row.winningRev);
  }
  return winners.size === wanted.size ? winners : null;
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
    // Bodies are keyed `<id>::<rev>`; whatever else these bounds take in lies outside the id range and is passed over.
    const bodies = await request(bySeq.index(DOC_ID_REV_INDEX).getAll(IDBKeyRange.bound(start, `${end}::\uffff`)));
    const stored = new Map<string, StoredBody[]>();
    for (const value of bodies as unknown[]) {
      if (typeof value !== 'object' || value === null) return null;
      const body = value as Record<string, unknown>;
      const key = body._doc_id_rev;
      const split = typeof key === 'string' ? key.lastIndexOf('::') : -1;
      if (typeof key !== 'string' || split <= 0) return null;
      const id = key.slice(0, split);
      if (id < start || id > end) continue;
      const revision = { rev: key.slice(split + 2), body };
      const ofId = stored.get(id);
      if (ofId) ofId.push(revision);
      else stored.set(id, [revision]);
    }
    const winners = await winningRevisions(
      txn.objectStore(DOC_STORE),
      [...stored].flatMap(([id, revisions]) => (revisions.length > 1 ? [id] : [])),
      IDBKeyRange.bound(start, end),
    );
    if (!winners) return null;
    const docs: StoredDoc[] = [];
    // IndexedDB orders string keys by UTF-16 code units, as the default sort does: the order `allDocs` answers in.
    for (const id of [...stored.keys()].sort()) {
      const revisions = stored.get(id) ?? [];
      let winner: StoredBody | undefined;
      if (revisions.length === 1) {
        // One stored body is the document's only leaf, so its winning revision (deleted or not).
        winner = revisions[0];
        if (winner?.body._deleted === true) continue;
      } else {
        const rev = winners.get(id);
        if (rev === null) continue;
        winner = revisions.find((revision) => revision.rev === rev);
      }
      if (!winner) return null;
      const doc: StoredDoc = { ...winner.body, _id: id, _rev: winner.rev };
      Reflect.deleteProperty(doc, '_doc_id_rev');
      docs.push(doc);
    }
    return docs;
  } catch {
    return null;
  } finally {
    idb.close();
  }
}
