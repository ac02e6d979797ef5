/**
 * Imports the Ministry of Health's ICD-10 reference (NSI CSV export) into the register's `reference` database:
 *
 *   node --import tsx scripts/import-icd10.ts [path-to-csv] [--version 2.27] [--by login]
 *
 * It reads the configuration as `npm start` does (COUCH_URL, DATA_DIR, …) and prints what it stored. With an
 * external CouchDB it works whether the register runs or not. The embedded store keeps its data in LevelDB, which
 * one process at a time may open: when the register is stopped, the importer starts the store itself; when the
 * register is running, it imports through the register's store if STORE_PORT names it, and otherwise stops with
 * one line asking to stop the register first. Importing the same file again writes nothing.
 */
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readConfig, type RegisterConfig } from '../server/config.ts';
import { StoreClient } from '../server/store-client.ts';
import { startEmbeddedStore } from '../couch/supervisor.ts';
import { REFERENCE_DB, waitForStore, writeAuditEvent } from '../couch/provision.ts';
import { importIcd10, type Icd10ImportResult } from '../couch/reference-seed.ts';
import { Icd10CsvError } from '../common/reference/icd10.ts';

const USAGE = 'usage: node --import tsx scripts/import-icd10.ts [path-to-csv] [--version <version>] [--by <login>]';
/** Where development and CI keep the NSI export, beside the clone; used when no path is given. */
const SHARED_ICD10_DIR = fileURLToPath(new URL('../../shared/data/icd10/', import.meta.url));

/** A problem to report as one line, without a stack. */
class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

interface LevelDown {
  open(options: { createIfMissing: boolean }, callback: (error?: Error | null) => void): void;
  close(callback: (error?: Error | null) => void): void;
}

/**
 * Whether a running store holds the LevelDB databases under `storeDir`. LevelDB locks a database for the one
 * process that opens it; a second embedded store would crash on it (and be restarted, and crash again), so the
 * importer asks LevelDB first. leveldown comes with pouchdb, which the embedded store runs on.
 */
async function embeddedStoreIsLocked(storeDir: string): Promise<boolean> {
  const leveldown = createRequire(import.meta.url)('leveldown') as (location: string) => LevelDown;
  for (const name of ['_users', '_replicator', REFERENCE_DB]) {
    const location = join(storeDir, 'databases', name);
    if (!existsSync(location)) continue;
    const db = leveldown(location);
    const error = await new Promise<Error | null | undefined>((done) => db.open({ createIfMissing: false }, done));
    if (!error) await new Promise((done) => db.close(done));
    else if (/lock/i.test(error.message)) return true;
  }
  return false;
}

interface OpenStore {
  store: StoreClient;
  close(): Promise<void>;
}

function defaultCsv(): string {
  const files = existsSync(SHARED_ICD10_DIR)
    ? readdirSync(SHARED_ICD10_DIR).filter((name) => /\.csv$/i.test(name))
    : [];
  const newest = files.sort().pop();
  if (!newest) throw new CliError(`give the path to the NSI ICD-10 CSV export (${USAGE})`, 2);
  return join(SHARED_ICD10_DIR, newest);
}

async function reachable(store: StoreClient, timeoutMs: number): Promise<boolean> {
  try {
    await waitForStore(store, timeoutMs);
    return true;
  } catch {
    return false;
  }
}

/** The store to import into: the external CouchDB, the running register's embedded store, or one started here. */
async function openStore(config: RegisterConfig): Promise<OpenStore> {
  const client = (url: string): StoreClient => new StoreClient(url, config.couchAdminUser, config.couchAdminPassword);
  if (config.couchUrl) {
    const store = client(config.couchUrl);
    await waitForStore(store, 10_000);
    return { store, close: async () => undefined };
  }
  const storeDir = join(config.dataDir, 'store');
  if (!existsSync(join(storeDir, 'databases'))) {
    throw new CliError(`no register has been set up in ${config.dataDir} yet: start it once (npm start), then import`);
  }
  if (await embeddedStoreIsLocked(storeDir)) {
    const port = Number(process.env.STORE_PORT ?? 0);
    const running = port > 0 ? client(`http://127.0.0.1:${port}`) : null;
    if (running && (await reachable(running, 3_000))) return { store: running, close: async () => undefined };
    throw new CliError(
      `the register is running on ${config.dataDir} and holds its store: stop it first, ` +
        'or start it with STORE_PORT=<port> and give the importer the same STORE_PORT',
    );
  }
  const embedded = await startEmbeddedStore({
    storeDir,
    adminUser: config.couchAdminUser,
    adminPassword: config.couchAdminPassword,
    onLog: () => undefined,
  });
  const store = client(embedded.url);
  try {
    await waitForStore(store);
  } catch (error) {
    await embedded.stop();
    throw error;
  }
  return { store, close: () => embedded.stop() };
}

function summary(result: Icd10ImportResult, file: string): string {
  return [
    `ICD-10 ${result.version} (OID ${result.oid}) from ${file}: ${result.rows} rows, ${result.rowsInForce} in force.`,
    `Stored ${result.codes} codes (${result.codesInForce} in force) in ${result.chunks} chunks: ` +
      `${result.chunksWritten} written, ${result.chunksUnchanged} unchanged` +
      (result.retired > 0 ? `; ${result.retired} codes no longer in the file kept as not in force.` : '.'),
  ].join('\n');
}

async function main(argv: string[]): Promise<string> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { version: { type: 'string' }, by: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    throw new CliError(`${error instanceof Error ? error.message : String(error)} (${USAGE})`, 2);
  }
  if (parsed.values.help) return USAGE;
  if (parsed.positionals.length > 1) throw new CliError(`one CSV file at a time (${USAGE})`, 2);
  const csvPath = resolve(parsed.positionals[0] ?? defaultCsv());
  if (!existsSync(csvPath)) throw new CliError(`no such file: ${csvPath}`);
  const by = parsed.values.by ?? 'import-icd10';
  const config = readConfig();
  const { store, close } = await openStore(config);
  try {
    const exists = await store.request('HEAD', `/${REFERENCE_DB}`);
    if (exists.status === 404) {
      throw new CliError(
        `the store has no "${REFERENCE_DB}" database: start the register once (npm start), then import`,
      );
    }
    const result = await importIcd10(store, csvPath, { by, version: parsed.values.version }).catch((error: unknown) => {
      throw error instanceof Icd10CsvError ? new CliError(`${basename(csvPath)}: ${error.message}`) : error;
    });
    if (result.chunksWritten > 0 || result.metaWritten) {
      const { rows, codes, codesInForce, chunksWritten, retired, version } = result;
      await writeAuditEvent(store, by, 'icd10-imported', {
        version,
        rows,
        codes,
        codesInForce,
        chunksWritten,
        retired,
      });
    }
    return summary(result, basename(csvPath));
  } finally {
    await close();
  }
}

main(process.argv.slice(2)).then(
  (output) => {
    console.log(output);
    process.exit(0);
  },
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`import-icd10: ${message}`);
    process.exit(error instanceof CliError ? error.exitCode : 1);
  },
);
