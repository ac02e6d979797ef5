/**
 * The reference books as the patient pages read them: from this member's local replica `reference-<login>`
 * (pulled by sync/reference-replication.ts), not from the server, so districts, ICD-10 codes and medicaments are
 * there offline — on a nurse's tablet for days at a time. The replica is a copy of a database only administrators
 * write (through the server), so this store is read-only: `put` refuses, and nothing written here could reach the
 * server anyway. PouchDB is loaded on first use, as the replication does, to keep it out of the login page.
 */
import type { Database } from 'pouchdb-browser/lib/index.es.js';
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

export class LocalReferenceStore implements ReferenceStore {
  readonly databaseName: string;
  readonly #open: OpenDatabase;
  #database: Promise<Database> | null = null;

  constructor(login: string, open: OpenDatabase = openPouch) {
    this.databaseName = referenceDatabaseName(login);
    this.#open = open;
  }

  #db(): Promise<Database> {
    this.#database ??= this.#open(this.databaseName).catch((error: unknown) => {
      this.#database = null;
      throw error;
    });
    return this.#database;
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
    if (database) await (await database).close();
  }
}
