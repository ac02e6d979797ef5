/**
 * The embedded CouchDB-compatible store: express-pouchdb over PouchDB 9 (LevelDB), run as a child process of
 * `npm start` and reached by the gateway over HTTP on a loopback port, exactly like an external CouchDB.
 *
 * Started by couch/supervisor.ts with STORE_PORT, STORE_DIR and the server admin credentials in its environment;
 * it reports `{ready: port}` over IPC once it listens. It is never exposed: it binds 127.0.0.1 only.
 */
import { mkdirSync, writeFileSync, existsSync, readFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import express from 'express';

const require = createRequire(import.meta.url);
// CommonJS packages without types; their shapes are used only here.
const PouchDB = require('pouchdb') as { defaults(options: Record<string, unknown>): unknown };
const expressPouchDB = require('express-pouchdb') as (
  pouch: unknown,
  options: Record<string, unknown>,
) => express.Express;

const port = Number(process.env.STORE_PORT);
const storeDir = process.env.STORE_DIR ?? '';
const adminUser = process.env.COUCH_ADMIN_USER ?? '';
const adminPassword = process.env.COUCH_ADMIN_PASSWORD ?? '';
const sessionTimeoutSeconds = Number(process.env.STORE_SESSION_TIMEOUT_SECONDS ?? 7200);

if (!Number.isInteger(port) || !storeDir || !adminUser || !adminPassword) {
  console.error('embedded store: STORE_PORT, STORE_DIR, COUCH_ADMIN_USER and COUCH_ADMIN_PASSWORD are required');
  process.exit(2);
}

mkdirSync(join(storeDir, 'databases'), { recursive: true, mode: 0o700 });

/**
 * express-pouchdb keeps its configuration (server admins, cookie secret) in a JSON file and hashes admin passwords
 * found there in plain form. The file is rewritten at every start so that the admin password given by the
 * supervisor is the one in force, and the cookie secret is kept so sessions survive a restart of the store.
 */
const configPath = join(storeDir, 'config.json');
const previous = existsSync(configPath)
  ? (JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, Record<string, unknown>>)
  : {};
const secret =
  typeof previous.couch_httpd_auth?.secret === 'string'
    ? previous.couch_httpd_auth.secret
    : Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('hex');
writeFileSync(
  configPath,
  JSON.stringify(
    {
      admins: { [adminUser]: adminPassword },
      couch_httpd_auth: {
        secret,
        timeout: sessionTimeoutSeconds,
        iterations: 1000,
        allow_persistent_cookies: true,
      },
      log: { level: 'warning' },
      ...(previous.couchdb ? { couchdb: previous.couchdb } : {}),
    },
    null,
    2,
  ),
  { mode: 0o600 },
);
chmodSync(configPath, 0o600);

/**
 * pouchdb-validation (how express-pouchdb runs `validate_doc_update`) sets `newDoc._revisions` to the *stored*
 * document's revisions before validating and passes the same object on to be written. With `new_edits: false`
 * — every replication push — the revision history a device sends is then replaced, and PouchDB silently stores
 * nothing for any update of an existing document (`201 []`). Measured: a device's later edits never reached the
 * server. The fix keeps the plugin but puts the incoming `_revisions` back between validation and the write: a
 * wrapper outside validation notes them, one inside restores them (pouchdb-wrappers calls handlers in the order
 * they were installed). Guarded by test/integration/replication.int.test.ts.
 */
const INCOMING_REVISIONS = Symbol('incoming _revisions');
type WrappedDoc = Record<string | symbol, unknown>;
interface WrapperArgs {
  doc?: WrappedDoc;
  docs?: WrappedDoc[];
}
const docsOf = (args: WrapperArgs): WrappedDoc[] =>
  (args.docs ?? (args.doc ? [args.doc] : [])).filter((doc) => typeof doc === 'object' && doc !== null);
const noteRevisions = (orig: () => unknown, args: WrapperArgs): unknown => {
  for (const doc of docsOf(args)) doc[INCOMING_REVISIONS] = doc._revisions;
  return orig();
};
const restoreRevisions = (orig: () => unknown, args: WrapperArgs): unknown => {
  for (const doc of docsOf(args)) {
    if (!(INCOMING_REVISIONS in doc)) continue;
    if (doc[INCOMING_REVISIONS] === undefined) delete doc._revisions;
    else doc._revisions = doc[INCOMING_REVISIONS];
    Reflect.deleteProperty(doc, INCOMING_REVISIONS);
  }
  return orig();
};
const wrappers = require('pouchdb-wrappers') as {
  installWrapperMethods(
    db: unknown,
    handlers: Record<string, (orig: () => unknown, args: WrapperArgs) => unknown>,
  ): void;
};
const validation = require('pouchdb-validation') as { installValidationMethods(this: unknown): void };
const installValidation = validation.installValidationMethods;
validation.installValidationMethods = function (this: unknown): void {
  wrappers.installWrapperMethods(this, { put: noteRevisions, bulkDocs: noteRevisions });
  installValidation.call(this);
  wrappers.installWrapperMethods(this, { put: restoreRevisions, bulkDocs: restoreRevisions });
};

const StorePouchDB = PouchDB.defaults({ prefix: join(storeDir, 'databases') + '/' });
const app = express();
app.disable('x-powered-by');
app.use(
  expressPouchDB(StorePouchDB, {
    configPath,
    logPath: join(storeDir, 'store.log'),
    mode: 'fullCouchDB',
    // Compression stalls continuous _changes feeds; Fauxton is not served. The gateway compresses static files only.
    overrideMode: { exclude: ['compression', 'routes/fauxton'] },
  }),
);

const server = app.listen(port, '127.0.0.1', () => {
  if (process.send) process.send({ ready: port });
  else console.log(`embedded store listening on 127.0.0.1:${port}`);
});
server.keepAliveTimeout = 65_000;

function shutdown(): void {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2_000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
process.on('disconnect', shutdown);
