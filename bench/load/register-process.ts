/**
 * The register as its own process — `node --import tsx server/main.ts`, exactly what `npm run serve` runs — with a
 * fresh DATA_DIR and free ports, so that the memory the bench and the soak report is the service's alone and not
 * the load generator's. The store's admin credentials are given in the environment so that the harness can set up
 * facilities and members the way the server itself does (couch/provision.ts) before measuring through the gateway.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../couch/supervisor.ts';
import { StoreClient } from '../../server/store-client.ts';
import { processTree } from './memory.ts';

const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));

export interface RegisterProcess {
  /** The gateway, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** The gateway process; the embedded store runs as its child. */
  pid: number;
  /** The store's admin connection, for setting up data as the server does. */
  store: StoreClient;
  dataDir: string;
  /** The first administrator's password (ADMIN_PASSWORD). */
  adminPassword: string;
  /** The gateway and everything below it (the embedded store), alive now. */
  pids(): number[];
  /** Everything the register printed, for reading failures. */
  output(): string;
  stop(): Promise<void>;
}

export interface RegisterProcessOptions {
  /** Reuse a data directory (kept on stop); otherwise a fresh temporary one is made and removed on stop. */
  dataDir?: string;
  /** How long to wait for start-up, in ms (provisioning a fresh store takes a few seconds). */
  startupMs?: number;
}

export async function startRegisterProcess(options: RegisterProcessOptions = {}): Promise<RegisterProcess> {
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'register-bench-'));
  mkdirSync(dataDir, { recursive: true });
  const [port, storePort] = [await freePort(), await freePort()];
  const adminPassword = 'Bench-Admin-Pass-2026!';
  const storeAdmin = { user: 'bench-store-admin', password: randomBytes(18).toString('base64url') };
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      STORE_PORT: String(storePort),
      ADMIN_PASSWORD: adminPassword,
      COUCH_ADMIN_USER: storeAdmin.user,
      COUCH_ADMIN_PASSWORD: storeAdmin.password,
      STATIC_DIR: join(dataDir, 'no-static-build'),
      COUCH_URL: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Should the harness itself die, the register goes with it (the embedded store follows its parent).
  const orphanGuard = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', orphanGuard);
  let output = '';
  const append = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-200_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const url = `http://127.0.0.1:${port}`;
  const started = await new Promise<boolean>((done) => {
    const guard = setTimeout(() => done(false), options.startupMs ?? 120_000);
    const check = (): void => {
      if (!output.includes('is running at')) return;
      clearTimeout(guard);
      done(true);
    };
    child.stdout?.on('data', check);
    void exited.then(() => {
      clearTimeout(guard);
      done(false);
    });
  });
  const stop = async (): Promise<void> => {
    process.removeListener('exit', orphanGuard);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    }
    if (ownDir) rmSync(dataDir, { recursive: true, force: true });
  };
  if (!started || child.pid === undefined) {
    await stop();
    throw new Error(`the register did not start:\n${output}`);
  }
  const pid = child.pid;
  return {
    url,
    pid,
    store: new StoreClient(`http://127.0.0.1:${storePort}`, storeAdmin.user, storeAdmin.password),
    dataDir,
    adminPassword,
    pids: () => processTree(pid),
    output: () => output,
    stop,
  };
}
