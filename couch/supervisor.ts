/**
 * Runs the embedded store as a supervised child process: starts it, waits until it listens, and restarts it
 * (with a growing pause, reset after a healthy minute) whenever it dies, so that a request that crashes the
 * store costs a few seconds instead of the service.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';

export interface EmbeddedStoreOptions {
  storeDir: string;
  adminUser: string;
  adminPassword: string;
  /** 0 = pick a free loopback port. */
  port?: number;
  onLog?: (line: string) => void;
}

export interface EmbeddedStore {
  url: string;
  port: number;
  /** How many times the child has been restarted after dying. */
  restarts(): number;
  /** The process id of the running child, or null between a death and its restart. */
  pid(): number | null;
  stop(): Promise<void>;
}

const entry = fileURLToPath(new URL('./embedded-store.ts', import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export async function startEmbeddedStore(options: EmbeddedStoreOptions): Promise<EmbeddedStore> {
  const port = options.port || (await freePort());
  const log = options.onLog ?? ((line: string) => console.error(line));
  let child: ChildProcess | null = null;
  let stopping = false;
  let restartCount = 0;
  let backoffMs = 250;

  const spawnChild = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const startedAt = Date.now();
      const current = fork(entry, [], {
        execArgv: [
          '--import',
          'tsx',
          ...(process.env.STORE_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.STORE_CPU_PROF] : []),
        ],
        env: {
          ...process.env,
          STORE_PORT: String(port),
          STORE_DIR: options.storeDir,
          COUCH_ADMIN_USER: options.adminUser,
          COUCH_ADMIN_PASSWORD: options.adminPassword,
        },
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      });
      child = current;
      let ready = false;
      current.stderr?.on('data', (chunk: Buffer) => {
        for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) log(`store: ${line}`);
      });
      current.on('message', (message: unknown) => {
        if (!ready && typeof message === 'object' && message !== null && 'ready' in message) {
          ready = true;
          resolve();
        }
      });
      current.on('exit', (code, signal) => {
        if (stopping) return;
        if (!ready) {
          reject(new Error(`the embedded store exited before it was ready (code ${code ?? signal})`));
          return;
        }
        if (Date.now() - startedAt > 60_000) backoffMs = 250;
        restartCount += 1;
        log(`embedded store exited (${code ?? signal}); restarting in ${backoffMs} ms`);
        const delay = backoffMs;
        backoffMs = Math.min(backoffMs * 2, 10_000);
        setTimeout(() => {
          if (!stopping) spawnChild().catch((error: unknown) => log(`embedded store restart failed: ${String(error)}`));
        }, delay);
      });
    });

  await spawnChild();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    restarts: () => restartCount,
    pid: () => {
      const current = child as ChildProcess | null;
      return current && current.exitCode === null && current.signalCode === null ? (current.pid ?? null) : null;
    },
    stop: () =>
      new Promise((resolve) => {
        stopping = true;
        const current = child;
        // A child that died by a signal (SIGKILL) has no exit code, only a signal code; it will not emit 'exit' again.
        if (!current || current.exitCode !== null || current.signalCode !== null) {
          resolve();
          return;
        }
        current.once('exit', () => resolve());
        current.kill('SIGTERM');
        setTimeout(() => current.kill('SIGKILL'), 3_000).unref();
      }),
  };
}
