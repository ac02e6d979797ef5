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
    retry?: boolean;
    batch_size?: number;
    /** 'target': keep the checkpoint only in the local database (the remote is read-only for most users). */
    checkpoint?: 'source' | 'target' | boolean;
    back_off_function?: (delay: number) => number;
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
    get(id: string): Promise<ExistingDocument>;
    info(): Promise<{ doc_count: number; update_seq: number | string }>;
    close(): Promise<void>;
    destroy(): Promise<void>;
  }

  const PouchDB: new (name: string, options?: DatabaseOptions) => Database;
  export default PouchDB;
}
