/**
 * The real register for the browser tests, run as a child process by web-test-runner.config.mjs:
 * `node --import tsx test/browser-server/serve.ts`.
 *
 * Starts the whole register (embedded store, provisioning, gateway) exactly as `npm start` does, in a fresh
 * temporary DATA_DIR on a free loopback port, plus the TEST-ONLY control API (control.ts) on a second loopback
 * port. When both listen it prints one JSON line to stdout: `{"url", "deploymentId", "controlUrl"}`.
 * It stops cleanly — register stopped, temporary directory removed — on SIGTERM, SIGINT or when stdin closes
 * (so it also ends if web-test-runner dies without stopping it).
 *
 * The register's log goes nowhere unless SHOW_REGISTER_LOGS is set, except lines about unexpected errors, which
 * always reach stderr: they mean a request reached server code that did not expect it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig } from '../../server/config.ts';
import { startRegister, type RunningRegister } from '../../server/register.ts';
import { createControlApp } from './control.ts';

/** The first administrator's password in the browser tests' register (tests make their own accounts). */
const ADMIN_PASSWORD = 'Browser-Tests-Admin-2026!';

function log(line: string): void {
  if (process.env.SHOW_REGISTER_LOGS || line.startsWith('unexpected error'))
    process.stderr.write(`register: ${line}\n`);
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

interface Started {
  register: RunningRegister;
  control: Server;
}

async function start(dataDir: string): Promise<Started> {
  const config = readConfig({
    ...process.env,
    // Always the embedded store: a COUCH_URL left in the shell must not receive test accounts.
    COUCH_URL: '',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    PORT: '0',
    ADMIN_PASSWORD,
    STATIC_DIR: join(dataDir, 'no-static-build'),
  });
  const register = await startRegister(config, log);
  const deploymentId = register.provisioned.settings.deploymentId;
  const control = createServer(createControlApp(register, deploymentId));
  try {
    const controlUrl = await listen(control);
    process.stdout.write(JSON.stringify({ url: register.url, deploymentId, controlUrl }) + '\n');
  } catch (error) {
    await register.stop();
    throw error;
  }
  return { register, control };
}

async function stop(started: Started | null, dataDir: string): Promise<void> {
  try {
    if (started) {
      started.control.closeAllConnections();
      await new Promise<void>((resolve) => started.control.close(() => resolve()));
      await started.register.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function main(): void {
  const dataDir = mkdtempSync(join(tmpdir(), 'register-browser-tests-'));
  const starting = start(dataDir);
  let stopping = false;
  // A stop request during start-up waits for it, so that no half-started store is left behind.
  const stopAndExit = (): void => {
    if (stopping) return;
    stopping = true;
    starting
      .catch(() => null)
      .then((started) => stop(started, dataDir))
      .then(
        () => process.exit(0),
        (error: unknown) => {
          process.stderr.write(`browser-server: stopping failed: ${String(error)}\n`);
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', stopAndExit);
  process.on('SIGINT', stopAndExit);
  process.stdin.on('end', stopAndExit);
  process.stdin.on('close', stopAndExit);
  process.stdin.resume();
  starting.catch((error: unknown) => {
    process.stderr.write(
      `browser-server: the register did not start: ${error instanceof Error ? error.message : error}\n`,
    );
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(1);
  });
}

main();
