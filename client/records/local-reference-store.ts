/**
 * The reference books as the patient pages read them: from this member's local replica `reference-<login>`
 * (pulled by sync/reference-replication.ts), not from the server, so districts, ICD-10 codes and medicaments are
 * there offline — on a nurse's tablet for days at a time. The replica is a copy of a database only administrators
 * write (through the server), so this store is read-only: `put` refuses, and nothing written here could reach the
 * server anyway. PouchDB is loaded on first use, as the replication does, to keep it out of the login page.
 *
 * The replica is not finished when the pages first read it: a member's new device receives the books while they
 * already open the patient list or the new-patient form (measured: the form's district list stayed empty for good
 * when it was read a moment before the first batch landed). So the store follows the replica's own changes feed
 * from the moment it opens it, counts them in `revision` and fires `change`, and readers read again
 * (pages/reference-reader.ts); a cached reading is only as good as the revision it was made at.
 */
import type { ChangesEmitter, Database } from 'pouchdb-browser/lib/index.es.js';
import type { ReferenceDoc } from '../../common/reference/types.ts';
import type { ReferenceStore } from '../admin/reference-store.ts';
import { referenceDatabaseName } from '../sync/reference-replication.ts';

/** A write asked of the local replica of the reference books, which only the server's copy accepts. */
export class ReadOnlyReferenceError extends Error {
  override name = 'ReadOnlyReferenceError';
  constructor(readonly docId: string) {
    super(`The reference books are read-only on this device (${docId}).`);
  }
}

/** Opens the local database by name (PouchDB on IndexedDB unless a test gives another). */
export type OpenDatabase = (name: string) => Promise<Database>;

const openPouch: OpenDatabase = async (name) => {
  const { default: PouchDB } = await import('pouchdb-browser/lib/index.es.js');
  return new PouchDB(name);
};

/** How long a run of replicated documents may pause before readers are told (a batch lands as one change). */
const SETTLE_MS = 100;

/**
 * @fires change - the replica changed (replication wrote documents) since readers last heard; `revision` is higher
 */
export class LocalReferenceStore extends EventTarget implements ReferenceStore {
  readonly databaseName: string;
  readonly #open: OpenDatabase;
  #database: Promise<Database> | null = null;
  #feed: ChangesEmitter | null = null;
  #revision = 0;
  #settle: ReturnType<typeof setTimeout> | undefined;

  constructor(login: string, open: OpenDatabase = openPouch) {
    super();
    this.databaseName = referenceDatabaseName(login);
    this.#open = open;
  }

  /** How many changes of the replica this store has seen since it opened it: a reading made at a lower one is old. */
  get revision(): number {
    return this.#revision;
  }

  #db(): Promise<Database> {
    this.#database ??= this.#open(this.databaseName).then(
      (db) => {
        this.#follow(db);
        return db;
      },
      (error: unknown) => {
        this.#database = null;
        throw error;
      },
    );
    return this.#database;
  }

  /** Follows the replica's changes (those written by the replication's own PouchDB instance too). */
  #follow(db: Database): void {
    const feed = db.changes({ since: 'now', live: true });
    // The feed ends when the store closes; an error of it leaves the last reading in place, as before.
    feed.then(undefined, () => undefined);
    feed.on('change', () => {
      this.#revision += 1;
      clearTimeout(this.#settle);
      this.#settle = setTimeout(() => this.dispatchEvent(new Event('change')), SETTLE_MS);
    });
    this.#feed = feed;
  }

  /** Every document whose id starts with `prefix`, in id order (what has been replicated so far). */
  async list(prefix: string): Promise<unknown[]> {
    const db = await this.#db();
    const result = await db.allDocs({ include_docs: true, startkey: prefix, endkey: `${prefix}\ufff0` });
    return result.rows.flatMap((row) => (row.doc ? [row.doc] : []));
  }

  /** Always refuses: reference books are changed by administrators on the server. */
  put<T extends ReferenceDoc>(doc: T): Promise<T> {
    return Promise.reject(new ReadOnlyReferenceError(doc._id));
  }

  /**
   * Lets go of the local database; a later `list` opens it again. PouchDB shares one IndexedDB connection among the
   * instances of a name, so this closes the replication's too: call it only once the replication has stopped.
   */
  async close(): Promise<void> {
    const database = this.#database;
    this.#database = null;
    clearTimeout(this.#settle);
    this.#feed?.cancel();
    this.#feed = null;
    if (database) await (await database).close();
  }
}

/** A store whose books may change under its readers: the member's replica (other stores never change alone). */
function isChanging(store: ReferenceStore): store is LocalReferenceStore {
  return store instanceof LocalReferenceStore;
}

/** The store's revision (0 for a store that does not change by itself): caches of a reading are keyed by it. */
export function referenceRevision(store: ReferenceStore): number {
  return isChanging(store) ? store.revision : 0;
}

/** Calls `listener` each time the store's books changed; returns how to stop. A no-op for stores that never change. */
export function watchReference(store: ReferenceStore, listener: () => void): () => void {
  if (!isChanging(store)) return () => undefined;
  store.addEventListener('change', listener);
  return () => store.removeEventListener('change', listener);
}
