/**
 * `npm run restore -- <backup dir>`: puts a backup made by `npm run backup` in place of the embedded store's
 * databases (the register must be stopped; the replaced databases are kept aside) and writes a new store generation
 * marker, so devices upload again what the server lost (server/backup/embedded-backup.ts).
 *
 * `npm run restore -- --new-generation`: only writes a new marker, through the store's API — for an external
 * CouchDB (COUCH_URL, COUCH_ADMIN_USER, COUCH_ADMIN_PASSWORD) restored the CouchDB way.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BackupError, restoreEmbeddedStore } from '../server/backup/embedded-backup.ts';
import { readConfig } from '../server/config.ts';
import { StoreClient } from '../server/store-client.ts';
import { bumpStoreGeneration } from '../server/store-generation.ts';

const USAGE = 'usage: npm run restore -- <backup dir> | npm run restore -- --new-generation (with COUCH_URL)';

async function main(argv: string[]): Promise<string> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { 'new-generation': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) return USAGE;
  if (values['new-generation']) {
    const config = readConfig();
    if (!config.couchUrl) throw new BackupError('--new-generation is for an external CouchDB: set COUCH_URL');
    const store = new StoreClient(config.couchUrl, config.couchAdminUser, config.couchAdminPassword);
    await bumpStoreGeneration(store);
    return 'a new store generation was written: devices will check what the server holds and upload what it lacks';
  }
  if (positionals.length !== 1) throw new BackupError(USAGE);
  if (process.env.COUCH_URL) throw new BackupError('COUCH_URL is set: restore the external CouchDB the CouchDB way');
  const dataDir = resolve(process.env.DATA_DIR || './data');
  const result = await restoreEmbeddedStore(dataDir, resolve(positionals[0] ?? ''));
  return [
    `restored the backup taken at ${result.manifest.takenAt} (${result.manifest.databases.length} databases)`,
    result.previous ? `the databases it replaced are kept in ${result.previous}` : 'there were no databases before',
    'a new store generation was written: devices will upload what was written after the backup',
  ].join('\n');
}

main(process.argv.slice(2)).then(
  (output) => {
    console.log(output);
    process.exit(0);
  },
  (error: unknown) => {
    console.error(`restore: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(error instanceof BackupError ? 1 : 2);
  },
);
