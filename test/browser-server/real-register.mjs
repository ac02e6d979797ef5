// The real register behind the browser tests (web-test-runner.config.mjs): a plugin that runs serve.ts as a child
// process for as long as the test server runs, and a middleware that forwards the browser's same-origin `/api/*`
// and `/db/*` requests to it, and the TEST-ONLY `/__test__/*` control requests to its control port.
// Plain JavaScript because web-test-runner loads its config without a TypeScript loader.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;
/** Headers about one connection, not about the message: never forwarded by a proxy (RFC 9110, 7.6.1). */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/**
 * @typedef {{ url: string, deploymentId: string, controlUrl: string }} RegisterAddress
 * @typedef {import('koa').Context} Context
 */

/** Starts serve.ts and resolves with the address line it prints once the register and control API listen. */
function startChild() {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/browser-server/serve.ts'], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  // If this process ends without stopping the child, the child sees its stdin close and stops itself.
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  let stopping = false;
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('the browser tests register did not start in time')),
      START_TIMEOUT_MS,
    );
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      try {
        const address = JSON.parse(line);
        if (typeof address?.url === 'string' && typeof address?.controlUrl === 'string') {
          clearTimeout(timer);
          resolve(address);
        }
      } catch {
        process.stdout.write(`${line}\n`);
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      const message = `the browser tests register exited (code ${code}, signal ${signal})`;
      reject(new Error(`${message} before it was ready`));
      // After start-up a rejection goes unseen; every later request would fail with 502, so say why.
      if (!stopping) process.stderr.write(`${message} while the tests ran\n`);
    });
  });
  const stop = async () => {
    stopping = true;
    process.removeListener('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };
  return { ready, stop };
}

/**
 * Streams one request to `target` and its answer back: method, path and query, headers (Cookie and Set-Cookie
 * included; Host kept, so the register's same-origin check sees the browser's own origin) and body, unchanged
 * and uncompressed. Koa is told not to respond: the answer is written to the raw response.
 * @param {Context} context
 * @param {string} target
 */
function forward(context, target) {
  context.respond = false;
  // Koa's status stays 404 unless set, and the test runner reports every 404 it sees: until an answer comes
  // (a request the browser aborts never gets one), say 502.
  context.status = 502;
  const { req, res } = context;
  return new Promise((resolve) => {
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !HOP_BY_HOP.has(name)));
    const upstream = http.request(new URL(req.url ?? '/', target), { method: req.method, headers }, (answer) => {
      const rawHeaders = [];
      for (let i = 0; i < answer.rawHeaders.length; i += 2) {
        if (!HOP_BY_HOP.has(answer.rawHeaders[i].toLowerCase()))
          rawHeaders.push(answer.rawHeaders[i], answer.rawHeaders[i + 1]);
      }
      context.status = answer.statusCode ?? 502;
      res.writeHead(context.status, answer.statusMessage, rawHeaders);
      answer.pipe(res);
      answer.on('error', () => res.destroy());
    });
    upstream.on('error', (error) => {
      if (res.destroyed) return;
      if (res.headersSent) {
        res.destroy();
      } else {
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'bad_gateway', reason: `browser tests proxy: ${error.message}` }));
      }
    });
    // The browser gave up (a cancelled replication, a closed page): give up upstream too.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
      resolve(undefined);
    });
    req.pipe(upstream);
  });
}

/**
 * The plugin (starts and stops the register with the test server) and the middleware (forwards to it).
 * @returns {{ plugin: import('@web/dev-server-core').Plugin, middleware: (context: Context, next: () => Promise<unknown>) => Promise<unknown> }}
 */
export function realRegister() {
  /** @type {RegisterAddress | null} */
  let address = null;
  /** @type {(() => Promise<void>) | null} */
  let stopChild = null;
  return {
    plugin: {
      name: 'real-register',
      async serverStart() {
        const child = startChild();
        stopChild = child.stop;
        address = await child.ready;
      },
      async serverStop() {
        await stopChild?.();
        address = null;
      },
    },
    middleware(context, next) {
      const path = context.path;
      const isApp = path === '/db' || path.startsWith('/db/') || path.startsWith('/api/');
      const isControl = path.startsWith('/__test__/');
      if (!isApp && !isControl) return next();
      if (!address) throw new Error('the browser tests register is not running');
      return forward(context, isControl ? address.controlUrl : address.url);
    },
  };
}
