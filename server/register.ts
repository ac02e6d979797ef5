/**
 * Starts the whole register — the store (embedded child process, or a check of the external CouchDB),
 * provisioning, the gateway and the HTTP server — and stops it again. Used by `npm start` and by every
 * integration and end-to-end test, so tests run exactly what users run.
 */
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { RegisterConfig } from './config.ts';
import { StoreClient } from './store-client.ts';
import { startEmbeddedStore, type EmbeddedStore } from '../couch/supervisor.ts';
import { provision, refreshFacilityDesignDocs, type ProvisionResult } from '../couch/provision.ts';
import { RETIREMENT_CHECK_MS } from '../couch/epoch-retirement.ts';
import { startReportCache } from './reports/cache/report-cache.ts';
import { ensureStoreGeneration, storeGenerationReader } from './store-generation.ts';

async function facilityIdsOf(store: StoreClient): Promise<string[]> {
  const all = await store.expect<string[]>('GET', '/_all_dbs', undefined);
  return all.body.flatMap((db) => /^facility-(.+)$/.exec(db)?.slice(1, 2) ?? []);
}
import { createApp } from './app.ts';
import { SessionResolver, UserWatcher } from './gateway/session-resolver.ts';
import { LoginThrottle } from './gateway/login-throttle.ts';
import { ConfigError } from './errors.ts';

export interface RunningRegister {
  url: string;
  port: number;
  store: StoreClient;
  embedded: EmbeddedStore | null;
  provisioned: ProvisionResult;
  resolver: SessionResolver;
  stop(): Promise<void>;
}

export async function startRegister(
  config: RegisterConfig,
  log: (line: string) => void = (line) => console.error(line),
): Promise<RunningRegister> {
  let embedded: EmbeddedStore | null = null;
  let storeUrl: string;
  if (config.couchUrl) {
    storeUrl = config.couchUrl;
  } else {
    embedded = await startEmbeddedStore({
      storeDir: join(config.dataDir, 'store'),
      adminUser: config.couchAdminUser,
      adminPassword: config.couchAdminPassword,
      port: Number(process.env.STORE_PORT ?? 0),
      onLog: log,
    });
    storeUrl = embedded.url;
  }
  const store = new StoreClient(storeUrl, config.couchAdminUser, config.couchAdminPassword);
  let provisioned: ProvisionResult;
  try {
    provisioned = await provision(store, {
      adminUsername: config.adminUsername,
      adminPassword: config.adminPassword,
      log,
    });
  } catch (error) {
    await embedded?.stop();
    const message = error instanceof Error ? error.message : String(error);
    throw new ConfigError(
      config.couchUrl
        ? `the CouchDB at COUCH_URL cannot be used: ${message}`
        : `the embedded store could not be prepared: ${message}`,
    );
  }
  await ensureStoreGeneration(store);
  const resolver = new SessionResolver(store);
  const watcher = new UserWatcher(store, resolver, log);
  watcher.start();
  const reportCache = startReportCache(store, { directory: join(config.dataDir, 'report-cache'), log });
  void facilityIdsOf(store)
    .then(async (ids) => reportCache.catchUp(ids))
    .catch((error: unknown) => log(`report cache: ${String(error)}`));
  // Enforces the end of epochs' grace periods (couch/epoch-retirement.ts) while the server runs.
  // Also keeps the summary report's rows caught up, so that a report reads only the last few minutes' changes.
  const retirement = setInterval(() => {
    refreshFacilityDesignDocs(store)
      .then(async () => reportCache.catchUp(await facilityIdsOf(store)))
      .catch((error: unknown) =>
        log(`background check failed: ${error instanceof Error ? error.message : String(error)}`),
      );
  }, RETIREMENT_CHECK_MS);
  retirement.unref();
  const app = createApp({
    store,
    resolver,
    throttle: new LoginThrottle(),
    sessionSecret: provisioned.settings.sessionSecret,
    sessionLifetimeMs: config.sessionLifetimeHours * 3_600_000,
    log,
    deploymentId: provisioned.settings.deploymentId,
    storeGeneration: storeGenerationReader(store),
    storeMode: config.couchUrl ? 'external' : 'embedded',
    staticDir: config.staticDir,
    trustProxy: config.trustProxy,
  });
  const server: Server = createServer(app);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new ConfigError(
          error.code === 'EADDRINUSE'
            ? `port ${config.port} on ${config.host} is already in use (set PORT)`
            : `cannot listen on ${config.host}:${config.port}: ${error.message}`,
        ),
      ),
    );
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const hostForUrl = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    url: `http://${hostForUrl}:${port}`,
    port,
    store,
    embedded,
    provisioned,
    resolver,
    stop: async () => {
      clearInterval(retirement);
      watcher.stop();
      await reportCache.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await embedded?.stop();
    },
  };
}
