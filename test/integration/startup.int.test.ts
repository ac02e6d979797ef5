/**
 * `server/main.ts` as an operator runs it: a configuration that cannot work ends start-up with exactly one line
 * "Cannot start: …" and a non-zero exit, never a stack trace; a good one starts, serves and stops on SIGTERM.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
let dataDir: string;

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'register-startup-'));
});

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

interface Finished {
  code: number | null;
  output: string;
}

/** Only what main.ts needs: no PORT, COUCH_URL… inherited from whoever runs the tests. */
function environment(values: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATA_DIR: dataDir,
    STATIC_DIR: join(dataDir, 'no-build'),
    ...values,
  };
}

function runToExit(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('starting with a configuration that cannot work', () => {
  it.each([
    ['PORT=abc', { PORT: 'abc' }, 'Cannot start: PORT must be a port number from 0 to 65535, not "abc"'],
    [
      'an unreachable COUCH_URL',
      { PORT: '0', COUCH_URL: 'http://127.0.0.1:1', COUCH_ADMIN_USER: 'couchadmin', COUCH_ADMIN_PASSWORD: 'secret' },
      'Cannot start: the CouchDB at COUCH_URL cannot be used: The data store at http://127.0.0.1:1 is not reachable.',
    ],
  ])('with %s exits non-zero, printing one line and no stack trace', async (_what, values, line) => {
    const finished = await runToExit('npx', ['tsx', 'server/main.ts'], environment(values));
    expect(finished.code).not.toBe(0);
    expect(finished.output.trimEnd().split('\n')).toEqual([line]);
  });
});

describe('starting with a good configuration', () => {
  it('prints where it runs, serves, and stops cleanly with its store on SIGTERM', async () => {
    // node --import tsx, as `npm run serve` does, so that SIGTERM reaches main.ts itself.
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: root,
      env: environment({ PORT: '0', ADMIN_PASSWORD: 'Strong-Pass-2026!' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString('utf8');
          const match = /running at (http:\/\/[^\s]+)/.exec(output);
          if (match?.[1]) resolve(match[1]);
        });
        void exited.then(() => reject(new Error(`main.ts exited before it ran: ${output}`)));
      });
      expect(output).toContain('First administrator: login "admin", password from ADMIN_PASSWORD');
      const health = await fetch(`${url}/api/health`);
      expect(await health.json()).toEqual({ ok: true, store: { mode: 'embedded', reachable: true } });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
