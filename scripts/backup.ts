/**
 * `npm run backup [-- --out <dir>]`: a copy of the embedded store's databases with a manifest (time, databases,
 * document counts, store generation), taken while the register is stopped — why a file copy and not a dump through
 * the API, and the CouchDB way for an external store, are explained in server/backup/embedded-backup.ts.
 * Without --out it writes to DATA_DIR/backups/<time>. It reads DATA_DIR as `npm start` does.
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BackupError, backupEmbeddedStore } from '../server/backup/embedded-backup.ts';

const USAGE = 'usage: npm run backup [-- --out <dir>]';

async function main(argv: string[]): Promise<string> {
  const { values } = parseArgs({
    args: argv,
    options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) return USAGE;
  if (process.env.COUCH_URL) {
    throw new BackupError(
      'COUCH_URL is set: back up the external CouchDB the CouchDB way (replicate every database to a backup server)',
    );
  }
  const dataDir = resolve(process.env.DATA_DIR || './data');
  const now = new Date();
  const out = resolve(values.out ?? join(dataDir, 'backups', now.toISOString().replace(/[:.]/g, '-')));
  const manifest = await backupEmbeddedStore(dataDir, out, now);
  const docs = manifest.databases.reduce((sum, db) => sum + db.docCount, 0);
  return `backup of ${manifest.databases.length} databases (${docs} documents) written to ${out}`;
}

main(process.argv.slice(2)).then(
  (output) => {
    console.log(output);
    process.exit(0);
  },
  (error: unknown) => {
    console.error(`backup: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(error instanceof BackupError ? 1 : 2);
  },
);
