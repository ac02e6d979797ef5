/**
 * A member's reference replica on a new device, for browser tests of its readers: empty at first, then filled the
 * way the reference replication fills it — by another PouchDB instance writing into the same IndexedDB database.
 */
import PouchDB from 'pouchdb-browser/lib/index.es.js';
import { LocalReferenceStore } from '../local-reference-store.ts';
import { referenceDatabaseName } from '../../sync/reference-replication.ts';
import { starterDocs } from './patient-fixtures.ts';

export interface NewDeviceReplica {
  login: string;
  store: LocalReferenceStore;
}

/** A fresh member's (random login) store over an empty replica. */
export function newDeviceReplica(): NewDeviceReplica {
  const login = `newcomer-${crypto.randomUUID().slice(0, 8)}`;
  return { login, store: new LocalReferenceStore(login) };
}

export async function dropReplica(replica: NewDeviceReplica): Promise<void> {
  await replica.store.close();
  await new PouchDB(referenceDatabaseName(replica.login)).destroy();
}

/** Writes documents (by default the starter books) into the member's replica, as the reference replication does. */
export async function replicate(login: string, docs: readonly { _id: string }[] = starterDocs()): Promise<void> {
  const replica = new PouchDB(referenceDatabaseName(login));
  await replica.bulkDocs(docs.map((doc) => ({ ...doc })));
}
