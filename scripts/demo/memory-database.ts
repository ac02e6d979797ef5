/**
 * A facility database held in a Map, for generating data fast: it answers the few calls of `FacilityDatabase`
 * (client/records/facility-database.ts) the way PouchDB does — revisions `N-<32 hex>`, 409 on a stale or missing
 * `_rev`, 404 for what is not there, id ranges in id order, a live changes feed — without PouchDB's per-write
 * cost. Each member writes through their own view (`as(login)`), so the database knows who wrote every revision:
 * the design document accepts a revision only from the member named in it, so an upload must replay each member's
 * revisions under that member's session, in the order they were written (`export`).
 */
import type {
  AllDocsOptions,
  AllDocsRow,
  ChangesFeed,
  DatabaseChange,
  FacilityDatabase,
  StoredDoc,
} from '../../client/records/facility-database.ts';

/** A PouchDB-like error: the status of the equivalent CouchDB answer. */
class DatabaseError extends Error {
  constructor(
    readonly status: number,
    override readonly name: string,
    message: string,
  ) {
    super(message);
  }
}

/** Consecutive revisions of one document by one member: only the last is uploaded, with its history. */
interface Run {
  login: string;
  /** Number of the run's last revision. */
  generation: number;
  body: StoredDoc;
}

interface Entry {
  /** Revision hashes, oldest first (`generation - 1` indexes it). */
  hashes: string[];
  runs: Run[];
  seq: number;
}

/** Documents as `_bulk_docs` with `new_edits: false` takes them: the revision and its history. */
export type UploadDoc = StoredDoc & { _rev: string; _revisions: { start: number; ids: string[] } };

/** One round of an upload: each member's documents (a document appears at most once per round). */
export type UploadPhase = { login: string; docs: UploadDoc[] }[];

const LOCAL_PREFIX = '_local/';

function revisionHash(): string {
  return crypto.randomUUID().replaceAll('-', '');
}

export class MemoryFacilityDatabase {
  readonly #entries = new Map<string, Entry>();
  readonly #local = new Map<string, StoredDoc & { _rev: string }>();
  readonly #listeners = new Set<(change: DatabaseChange) => void>();
  #seq = 0;

  /** The database as one member's device sees it: every `put` is recorded as theirs. */
  as(login: string): FacilityDatabase {
    return {
      get: (id) => Promise.resolve().then(() => this.#get(id)),
      put: (doc) => Promise.resolve().then(() => this.#put(doc, login)),
      bulkDocs: (docs) => Promise.resolve().then(() => docs.map((doc) => this.#put(doc, login))),
      allDocs: (options) => Promise.resolve().then(() => this.#allDocs(options)),
      info: () => Promise.resolve({ update_seq: this.#seq }),
      changes: (options) => this.#changes(options.since),
    };
  }

  get size(): number {
    return this.#entries.size;
  }

  /**
   * Every document at its latest revision (`docs`, with `_revisions`, in id order), and the uploads that recreate
   * them on a server (`phases`): round `n` holds the `n`-th run of each document (its revisions by one member in a
   * row), grouped by member. Rounds go in order; within a round, order is free.
   */
  export(): { docs: UploadDoc[]; phases: UploadPhase[] } {
    const docs: UploadDoc[] = [];
    const phases: Map<string, UploadDoc[]>[] = [];
    for (const id of [...this.#entries.keys()].sort()) {
      const entry = this.#entries.get(id) as Entry;
      entry.runs.forEach((run, index) => {
        const doc = this.#uploadDoc(entry, run);
        const phase = (phases[index] ??= new Map());
        const list = phase.get(run.login);
        if (list) list.push(doc);
        else phase.set(run.login, [doc]);
        if (index === entry.runs.length - 1) docs.push(doc);
      });
    }
    return { docs, phases: phases.map((phase) => [...phase].map(([login, list]) => ({ login, docs: list }))) };
  }

  #uploadDoc(entry: Entry, run: Run): UploadDoc {
    const ids = entry.hashes.slice(0, run.generation).reverse();
    return {
      ...run.body,
      _rev: `${run.generation}-${ids[0] ?? ''}`,
      _revisions: { start: run.generation, ids },
    };
  }

  #get(id: string): StoredDoc & { _rev: string } {
    if (id.startsWith(LOCAL_PREFIX)) {
      const local = this.#local.get(id);
      if (!local) throw new DatabaseError(404, 'not_found', 'missing');
      return structuredClone(local);
    }
    const entry = this.#entries.get(id);
    const run = entry?.runs[entry.runs.length - 1];
    if (!entry || !run || run.body._deleted === true) throw new DatabaseError(404, 'not_found', 'missing');
    return { ...structuredClone(run.body), _rev: `${run.generation}-${entry.hashes[run.generation - 1] ?? ''}` };
  }

  /** A `_local` document: kept on this "device" only, as PouchDB keeps it (never listed, replicated or uploaded). */
  #putLocal(doc: StoredDoc): { ok: boolean; id: string; rev: string } {
    const current = this.#local.get(doc._id);
    if (doc._rev !== current?._rev) throw new DatabaseError(409, 'conflict', 'Document update conflict');
    const rev = `0-${Number(current?._rev.slice(2) ?? 0) + 1}`;
    this.#local.set(doc._id, { ...structuredClone(doc), _rev: rev });
    return { ok: true, id: doc._id, rev };
  }

  #put(doc: StoredDoc, login: string): { ok: boolean; id: string; rev: string } {
    if (doc._id.startsWith(LOCAL_PREFIX)) return this.#putLocal(doc);
    const entry = this.#entries.get(doc._id);
    const last = entry?.runs[entry.runs.length - 1];
    const current = entry && last ? `${last.generation}-${entry.hashes[last.generation - 1] ?? ''}` : undefined;
    const live = last !== undefined && last.body._deleted !== true;
    if (live ? doc._rev !== current : doc._rev !== undefined && doc._rev !== current) {
      throw new DatabaseError(409, 'conflict', 'Document update conflict');
    }
    const generation = (last?.generation ?? 0) + 1;
    const hash = revisionHash();
    const body = structuredClone(doc);
    delete body._rev;
    const stored: Entry = entry ?? { hashes: [], runs: [], seq: 0 };
    stored.hashes.push(hash);
    if (last && last.login === login) stored.runs[stored.runs.length - 1] = { login, generation, body };
    else stored.runs.push({ login, generation, body });
    this.#seq += 1;
    stored.seq = this.#seq;
    this.#entries.set(doc._id, stored);
    const rev = `${generation}-${hash}`;
    if (this.#listeners.size > 0) {
      // Feeds only read what they are handed (a repository skips its own writes), so no copy is made.
      const change: DatabaseChange = { id: doc._id, seq: this.#seq, doc: { ...body, _rev: rev } };
      for (const listener of this.#listeners) queueMicrotask(() => listener(change));
    }
    return { ok: true, id: doc._id, rev };
  }

  #allDocs(options: AllDocsOptions): { rows: AllDocsRow[]; total_rows: number } {
    const ids = options.keys
      ? options.keys.filter((id) => this.#entries.has(id))
      : [...this.#entries.keys()]
          .filter(
            (id) =>
              (options.startkey === undefined || id >= options.startkey) &&
              (options.endkey === undefined || id <= options.endkey),
          )
          .sort();
    const rows: AllDocsRow[] = [];
    for (const id of ids) {
      if (options.limit !== undefined && rows.length >= options.limit) break;
      const entry = this.#entries.get(id) as Entry;
      const run = entry.runs[entry.runs.length - 1] as Run;
      if (run.body._deleted === true && !options.keys) continue;
      const rev = `${run.generation}-${entry.hashes[run.generation - 1] ?? ''}`;
      rows.push({
        id,
        key: id,
        value: { rev, ...(run.body._deleted === true ? { deleted: true } : {}) },
        ...(options.include_docs ? { doc: { ...structuredClone(run.body), _rev: rev } } : {}),
      });
    }
    return { rows, total_rows: this.#entries.size };
  }

  #changes(since: number | string): ChangesFeed {
    const listeners: ((change: DatabaseChange) => void)[] = [];
    const deliver = (change: DatabaseChange): void => {
      if (Number(change.seq) > Number(since)) for (const listener of listeners) listener(change);
    };
    this.#listeners.add(deliver);
    return {
      on: (event: 'change' | 'error', listener: ((change: DatabaseChange) => void) | ((error: unknown) => void)) => {
        if (event === 'change') listeners.push(listener as (change: DatabaseChange) => void);
        return undefined;
      },
      cancel: () => {
        this.#listeners.delete(deliver);
      },
    } as ChangesFeed;
  }
}
