/**
 * Backup and restore of the embedded store (`npm run backup`, `npm run restore`), as a copy of its LevelDB
 * databases taken while the register is stopped.
 *
 * Why a file copy and not a dump through the HTTP API: LevelDB is consistent on disk once no process holds it (it
 * takes a lock), so a copy of a stopped store is an exact image — every revision tree, conflict, deleted document,
 * sequence number, `_security` object and `_local` replication checkpoint, which is exactly what a restore must
 * bring back for devices to reason about it. A dump through the store's API misses `_local` documents (the embedded
 * store cannot list them), and writing it back runs every document through `validate_doc_update` again, which
 * refuses what was valid when written (documents under an epoch retired since). The price is a short stop of the
 * register; the copy of a small hospice's store takes seconds. The copy is refused while the register runs: each
 * database is opened once with LevelDB's own lock, which fails while the store holds it.
 *
 * A restore moves the current databases aside (nothing is deleted), copies the backup in, and writes a NEW store
 * generation marker (server/store-generation.ts) into the restored settings database: the devices then see that
 * the server lost what was written after the backup, and upload it again (client/sync/facility-sync.ts).
 *
 * With an external Apache CouchDB the same is done the CouchDB way: replicate every database (`_users`,
 * `register-settings`, `reference`, `audit`, `facility-*`) to a backup server with `_replicate`, or copy the
 * `.couch` shard files together with the `_dbs` shard map from a stopped node (docs.couchdb.org, "Backing up
 * CouchDB"); to restore, replicate or copy back, then bump the marker with `npm run restore -- --new-generation`
 * (COUCH_URL and the admin credentials set), which writes a new `store-generation` document and nothing else.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { SETTINGS_DB } from '../../couch/databases.ts';
import { newStoreGeneration, STORE_GENERATION_ID } from '../store-generation.ts';

const require = createRequire(import.meta.url);

interface LevelDb {
  open(options: { createIfMissing: boolean }, callback: (error: Error | null | undefined) => void): void;
  close(callback: (error: Error | null | undefined) => void): void;
}
interface PouchDatabase {
  info(): Promise<{ doc_count: number; update_seq: number | string }>;
  get(id: string): Promise<Record<string, unknown> & { _rev: string }>;
  put(doc: Record<string, unknown>): Promise<unknown>;
  close(): Promise<void>;
}
type PouchConstructor = new (name: string) => PouchDatabase;

const leveldown = require('leveldown') as (location: string) => LevelDb;
const PouchDB = require('pouchdb') as { defaults(options: Record<string, unknown>): PouchConstructor };

/** Named so the scripts can print one clear line. */
export class BackupError extends Error {
  override readonly name = 'BackupError';
}

export interface BackupManifest {
  format: 'register-embedded-leveldb/1';
  takenAt: string;
  /** The store generation the backup belongs to (a restore writes a new one). */
  storeGeneration: string | null;
  databases: { name: string; docCount: number; updateSeq: number | string }[];
}

/** Internal LevelDB directories of PouchDB that are not databases (their lists are copied all the same). */
const INTERNAL = /^pouch__all_dbs__$|^pouch__/;

function databasesDir(storeDir: string): string {
  return join(storeDir, 'databases');
}

/** The store's directory under DATA_DIR (server/register.ts). */
export function storeDirOf(dataDir: string): string {
  return join(resolve(dataDir), 'store');
}

function levelDirs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => statSync(join(dir, name)).isDirectory() && existsSync(join(dir, name, 'CURRENT')))
    .sort();
}

/** Rejects with BackupError when any database is held open (the register, or another copy, is running). */
export async function assertStoreStopped(storeDir: string): Promise<void> {
  const dir = databasesDir(storeDir);
  for (const name of levelDirs(dir)) {
    const db = leveldown(join(dir, name));
    await new Promise<void>((done, fail) =>
      db.open({ createIfMissing: false }, (error) => {
        if (!error) {
          db.close(() => done());
          return;
        }
        fail(
          /lock/i.test(error.message)
            ? new BackupError('the register is running (its store holds the databases): stop it first')
            : new BackupError(`database "${name}" cannot be opened: ${error.message}`),
        );
      }),
    );
  }
}

async function withPouch<T>(dir: string, name: string, use: (db: PouchDatabase) => Promise<T>): Promise<T> {
  const Pouch = PouchDB.defaults({ prefix: dir + '/' });
  const db = new Pouch(name);
  try {
    return await use(db);
  } finally {
    await db.close();
  }
}

async function generationIn(dir: string): Promise<string | null> {
  if (!levelDirs(dir).includes(SETTINGS_DB)) return null;
  return withPouch(dir, SETTINGS_DB, (db) =>
    db.get(STORE_GENERATION_ID).then(
      (doc) => (typeof doc.generation === 'string' ? doc.generation : null),
      () => null,
    ),
  );
}

/** Copies the stopped store's databases into `outDir` with a manifest; returns the manifest. */
export async function backupEmbeddedStore(dataDir: string, outDir: string, now = new Date()): Promise<BackupManifest> {
  const storeDir = storeDirOf(dataDir);
  const source = databasesDir(storeDir);
  if (levelDirs(source).length === 0) throw new BackupError(`there is no embedded store under ${storeDir}`);
  await assertStoreStopped(storeDir);
  const target = join(resolve(outDir), 'databases');
  if (existsSync(target)) throw new BackupError(`${resolve(outDir)} already holds a backup`);
  mkdirSync(resolve(outDir), { recursive: true, mode: 0o700 });
  cpSync(source, target, { recursive: true });
  const databases: BackupManifest['databases'] = [];
  for (const name of levelDirs(target).filter((name) => !INTERNAL.test(name))) {
    const info = await withPouch(target, name, (db) => db.info());
    databases.push({ name, docCount: info.doc_count, updateSeq: info.update_seq });
  }
  const manifest: BackupManifest = {
    format: 'register-embedded-leveldb/1',
    takenAt: now.toISOString(),
    storeGeneration: await generationIn(target),
    databases,
  };
  writeFileSync(join(resolve(outDir), 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n', { mode: 0o600 });
  return manifest;
}

export function readManifest(backupDir: string): BackupManifest {
  const path = join(resolve(backupDir), 'manifest.json');
  if (!existsSync(path)) throw new BackupError(`${resolve(backupDir)} is not a backup (no manifest.json)`);
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as BackupManifest;
  if (manifest.format !== 'register-embedded-leveldb/1') throw new BackupError(`unknown backup format in ${path}`);
  return manifest;
}

export interface RestoreResult {
  manifest: BackupManifest;
  /** The new store generation written after the restore. */
  storeGeneration: string;
  /** Where the databases in place before the restore were moved (null when there were none). */
  previous: string | null;
}

/**
 * Replaces the stopped store's databases by the backup's, keeping the previous ones aside, and writes a new store
 * generation marker into the restored settings database.
 */
export async function restoreEmbeddedStore(
  dataDir: string,
  backupDir: string,
  now = new Date(),
): Promise<RestoreResult> {
  const manifest = readManifest(backupDir);
  const source = join(resolve(backupDir), 'databases');
  if (!levelDirs(source).includes(SETTINGS_DB)) throw new BackupError(`${resolve(backupDir)} holds no settings`);
  const storeDir = storeDirOf(dataDir);
  await assertStoreStopped(storeDir);
  const target = databasesDir(storeDir);
  let previous: string | null = null;
  if (existsSync(target)) {
    previous = join(storeDir, `databases.before-restore-${now.toISOString().replace(/[:.]/g, '-')}`);
    renameSync(target, previous);
  }
  mkdirSync(storeDir, { recursive: true, mode: 0o700 });
  cpSync(source, target, { recursive: true });
  const storeGeneration = newStoreGeneration();
  await withPouch(target, SETTINGS_DB, async (db) => {
    const current = await db.get(STORE_GENERATION_ID).catch(() => null);
    await db.put({ _id: STORE_GENERATION_ID, ...(current ? { _rev: current._rev } : {}), generation: storeGeneration });
  });
  return { manifest, storeGeneration, previous };
}
