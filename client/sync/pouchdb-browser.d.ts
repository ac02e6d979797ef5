/**
 * The small part of PouchDB the client uses, typed here instead of through @types/pouchdb: those types declare
 * a global `interface Buffer` that merges with Node's and breaks the server's typing in this one-program
 * project. Imports therefore name the ES build file directly ('pouchdb-browser/lib/index.es.js').
 */
declare module 'pouchdb-browser/lib/index.es.js' {
  export interface ReplicationEmitter {
    on(event: string, listener: (arg?: unknown) => void): ReplicationEmitter;
    cancel(): void;
  }

  export interface ReplicateOptions {
    live?: boolean;
    /** Only these documents (a targeted push of refused or missing ones). */
    doc_ids?: string[];
    /** Skips documents for which it returns false (design documents never replicate). */
    filter?: (doc: { _id: string; [field: string]: unknown }) => boolean;
    retry?: boolean;
    batch_size?: number;
    /** 'target': keep the checkpoint only in the local database (the remote is read-only for most users). */
    checkpoint?: 'source' | 'target' | boolean;
    back_off_function?: (delay: number) => number;
    /** Start after this source sequence: writes the checkpoint there (on both sides) before replicating. */
    since?: number | string;
  }

  export interface DatabaseOptions {
    skip_setup?: boolean;
    adapter?: string;
    fetch?: (url: string | Request, options?: RequestInit) => Promise<Response>;
  }

  export interface ExistingDocument {
    _id: string;
    _rev: string;
    [field: string]: unknown;
  }

  export interface ChangeRow {
    id: string;
    seq: number | string;
    changes: { rev: string }[];
    deleted?: boolean;
    doc?: ExistingDocument;
  }

  export interface ChangesEmitter {
    on(event: 'change', listener: (change: ChangeRow) => void): ChangesEmitter;
    on(event: 'error' | 'complete', listener: (arg?: unknown) => void): ChangesEmitter;
    cancel(): void;
  }

  export interface Database {
    readonly name: string;
    replicate: {
      from(source: Database | string, options?: ReplicateOptions): ReplicationEmitter;
      to(target: Database | string, options?: ReplicateOptions): ReplicationEmitter;
    };
    put(doc: {
      _id: string;
      _rev?: string;
      [field: string]: unknown;
    }): Promise<{ ok: boolean; id: string; rev: string }>;
    get(
      id: string,
      options?: { rev?: string; revs?: boolean; conflicts?: boolean; open_revs?: 'all' | string[] },
    ): Promise<ExistingDocument>;
    remove(id: string, rev: string): Promise<{ ok: boolean; id: string; rev: string }>;
    allDocs(options?: {
      include_docs?: boolean;
      conflicts?: boolean;
      startkey?: string;
      endkey?: string;
      keys?: string[];
      limit?: number;
    }): Promise<{
      total_rows: number;
      rows: { id: string; key: string; value: { rev: string; deleted?: boolean }; doc?: ExistingDocument }[];
    }>;
    bulkDocs(
      docs: { _id: string; _rev?: string; [field: string]: unknown }[],
      options?: { new_edits?: boolean },
    ): Promise<({ ok: true; id: string; rev: string } | { error: string; reason: string; id: string })[]>;
    changes(options: {
      since?: number | string;
      live?: boolean;
      include_docs?: boolean;
      style?: 'all_docs' | 'main_only';
      limit?: number;
    }): Promise<{ results: ChangeRow[]; last_seq: number | string }> & ChangesEmitter;
    revsDiff(diff: Record<string, string[]>): Promise<Record<string, { missing: string[] }>>;
    info(): Promise<{ doc_count: number; update_seq: number | string }>;
    close(): Promise<void>;
    destroy(): Promise<void>;
  }

  const PouchDB: new (name: string, options?: DatabaseOptions) => Database;
  export default PouchDB;
}
