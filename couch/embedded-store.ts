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
  wrappers.installWrapperMethods(this, { allDocs: cachedDesignDocs });
};

/**
 * pouchdb-validation compiles every `validate_doc_update` again for every document written (it reads the design
 * documents and evaluates their source per document). The facility validator bundles the shared validation, so
 * compiling it was most of the cost of a write: about 630 documents/s in `_bulk_docs` before this cache. A compiled
 * function depends only on its source and its design document (couchdb-eval's `require` context); a design
 * document's `_id` and `_rev` fix both, so that triple is the key. Design documents change rarely (provisioning,
 * the epoch rule), so the cache stays small; it is bounded anyway.
 */
const couchEval = require('couchdb-eval') as { evaluate(context: unknown, extra: unknown, program: string): unknown };
const evaluateUncached = couchEval.evaluate.bind(couchEval);
const compiled = new Map<string, unknown>();
const COMPILED_LIMIT = 1_000;
couchEval.evaluate = (context: unknown, extra: unknown, program: string): unknown => {
  const designDoc = (context ?? {}) as { _id?: unknown; _rev?: unknown };
  const cacheable =
    typeof designDoc._id === 'string' &&
    typeof designDoc._rev === 'string' &&
    extra !== null &&
    typeof extra === 'object' &&
    Object.keys(extra).length === 0;
  if (!cacheable) return evaluateUncached(context, extra, program);
  const key = `${designDoc._id}\u0000${designDoc._rev}\u0000${program}`;
  let func = compiled.get(key);
  if (func === undefined) {
    func = evaluateUncached(context, extra, program);
    if (compiled.size >= COMPILED_LIMIT) compiled.clear();
    compiled.set(key, func);
  }
  return func;
};

/**
 * The other half of a write's cost: before every document, pouchdb-validation reads all design documents with their
 * bodies (`_all_docs` over `_design/`…`_design0`, `include_docs`), and decoding the facility's bundled validator from
 * LevelDB for each document was the largest item in a profile of `_bulk_docs`. The bodies are kept per database
 * object, and each read first lists the design documents' revisions without bodies (cheap): the kept answer is
 * reused only while that list is unchanged, so a changed, added or deleted design document is read afresh whatever
 * path it came by. The kept answer is frozen: a consumer that tried to change it would fail loudly, not corrupt it.
 */
interface AllDocsArgs {
  base: { allDocs(options: Record<string, unknown>): Promise<{ rows: { id: string; value: { rev: string } }[] }> };
  options?: Record<string, unknown>;
}
const designReads = new WeakMap<object, { revisions: string; answer: unknown }>();
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
const cachedDesignDocs = (orig: () => unknown, rawArgs: WrapperArgs): unknown => {
  const args = rawArgs as unknown as AllDocsArgs;
  const options = args.options ?? {};
  const designRead =
    options.startkey === '_design/' &&
    options.endkey === '_design0' &&
    options.include_docs === true &&
    Object.keys(options).length === 3;
  if (!designRead) return orig();
  return args.base.allDocs({ startkey: '_design/', endkey: '_design0' }).then(async (light) => {
    const revisions = light.rows.map((row) => `${row.id}@${row.value.rev}`).join('\n');
    const kept = designReads.get(args.base);
    if (kept?.revisions === revisions) return kept.answer;
    const answer = deepFreeze(await (orig() as Promise<unknown>));
    designReads.set(args.base, { revisions, answer });
    return answer;
  });
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
