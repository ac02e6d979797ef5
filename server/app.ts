/**
 * The Express application: security headers, `/api`, the gateway at `/db`, the built PWA, and one error handler
 * that turns named errors into JSON `{error, reason}` and everything else into a generic 500.
 */
import express, { type Express, type Request, type Response, type NextFunction } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { StoreClient } from './store-client.ts';
import { BadRequestError, HttpError, TooManyRequestsError } from './errors.ts';
import { securityHeaders, sameOriginWrites } from './security-headers.ts';
import { createGateway, requireSession, type GatewayOptions } from './gateway/gateway.ts';
import { createMeRoutes } from './api/me-routes.ts';
import { createAdminRoutes } from './admin/routes.ts';
import { createReportRoutes } from './reports/routes.ts';

export interface AppContext extends GatewayOptions {
  store: StoreClient;
  deploymentId: string;
  /** The store's generation marker (server/store-generation.ts); devices reset their checkpoints when it changes. */
  storeGeneration?: () => Promise<string>;
  storeMode: 'embedded' | 'external';
  staticDir: string;
  trustProxy: boolean;
}

export function createApp(context: AppContext): Express {
  const app = express();
  app.disable('x-powered-by');
  // One proxy hop: req.ip is the address that proxy appended to X-Forwarded-For, not the left-most entry, which the
  // client writes itself (with `true`, anyone could pick a fresh address for every guess and escape the throttle).
  app.set('trust proxy', context.trustProxy ? 1 : false);
  app.use(securityHeaders);
  app.use(sameOriginWrites);

  app.get('/api/config', async (_req, res) => {
    // Without the store the marker is left out (devices keep the one they know); the deploymentId never depends on it.
    const storeGeneration = await context.storeGeneration?.().catch(() => undefined);
    res.setHeader('cache-control', 'no-cache');
    res.json({ deploymentId: context.deploymentId, ...(storeGeneration ? { storeGeneration } : {}) });
  });

  app.get('/api/health', async (_req, res) => {
    const probe = await context.store.request('GET', '/').catch(() => null);
    const reachable = probe?.status === 200;
    res.status(reachable ? 200 : 503).json({
      ok: reachable,
      store: {
        mode: context.storeMode,
        reachable,
        ...(reachable ? {} : { reason: 'The data store does not answer.' }),
      },
    });
  });

  app.use(
    '/api/me',
    createMeRoutes(
      context.store,
      context.resolver,
      requireSession(context, { allowPasswordChange: true }),
      context.throttle,
    ),
  );
  app.use('/api/admin', createAdminRoutes(context.store, context.resolver, requireSession(context)));
  app.use('/api/reports', createReportRoutes(context.store, requireSession(context)));
  app.use('/api', (_req, _res, next) => next(new HttpError(404, 'not_found', 'No such API endpoint.')));
  app.use('/db', createGateway(context));

  if (existsSync(context.staticDir)) {
    app.use(
      express.static(context.staticDir, {
        index: false,
        setHeaders: (res, path) => {
          // Hashed assets never change; the shell, manifest and service worker must be revalidated.
          if (path.includes(`${join('assets', '')}`))
            res.setHeader('cache-control', 'public, max-age=31536000, immutable');
          else res.setHeader('cache-control', 'no-cache');
        },
      }),
    );
    const indexHtml = join(context.staticDir, 'index.html');
    app.get(/^\/(?!api\/|db\/).*/, (_req, res) => {
      res.setHeader('cache-control', 'no-cache');
      res.sendFile(indexHtml);
    });
  } else {
    app.get('/', (_req, res) => {
      res
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('The application is not built: run "npm run build" (npm start does it).');
    });
  }

  app.use((_req, _res, next) => next(new HttpError(404, 'not_found', 'Not found.')));
  app.use(errorHandler(context.log));
  return app;
}

function errorHandler(log: (line: string) => void) {
  return (error: unknown, _req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (error instanceof TooManyRequestsError) res.setHeader('retry-after', String(error.retryAfterSeconds));
    if (error instanceof HttpError) {
      const field = error instanceof BadRequestError && error.field !== undefined ? { field: error.field } : {};
      res.status(error.status).json({ error: error.code, reason: error.message, ...field });
      return;
    }
    const status = (error as { status?: unknown; type?: unknown }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      // body-parser's own errors (malformed JSON, too large) are the client's fault, with a safe message.
      res.status(status).json({
        error: 'bad_request',
        reason: status === 413 ? 'The request is too large.' : 'The request body could not be read.',
      });
      return;
    }
    log(`unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    res.status(500).json({ error: 'internal', reason: 'Something went wrong on the server; the error was logged.' });
  };
}
