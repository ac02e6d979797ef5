/**
 * The import command as an operator runs it, on a register's DATA_DIR: refused with one line while the register
 * holds the embedded store, run through the register's store when STORE_PORT names it, and run on its own store
 * once the register is stopped — twice, the second time writing nothing.
 */
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRegister, type TestRegister } from '../test/helpers/start-register.ts';
import { readSharedIcd10 } from '../common/reference/shared-icd10-fixture.ts';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const shared = readSharedIcd10();
let register: TestRegister;
let running = false;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function importCommand(args: string[], env: Record<string, string> = {}): Promise<Run> {
  // The importer must find the embedded store from DATA_DIR alone, whatever this shell has set.
  const inherited = { ...process.env };
  delete inherited.COUCH_URL;
  delete inherited.STORE_PORT;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/import-icd10.ts', ...args],
      { cwd: repoRoot, env: { ...inherited, DATA_DIR: register.dataDir, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  register = await startTestRegister();
  running = true;
});

afterAll(async () => {
  if (running) await register.stop();
  rmSync(register.dataDir, { recursive: true, force: true });
});

describe('scripts/import-icd10.ts', () => {
  it('refuses with one line while the running register holds the embedded store', async () => {
    const run = await importCommand([shared.path]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^import-icd10: the register is running on .* stop it first/),
    ]);
    expect(register.embedded?.restarts()).toBe(0);
  });

  it('imports through the running register when STORE_PORT names its store', async () => {
    const run = await importCommand([shared.path], { STORE_PORT: String(register.embedded?.port) });
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(
      `Stored ${shared.rowsInFile} codes (${shared.actualInFile} in force) in 27 chunks: 27 written`,
    );
  });

  it('starts the store itself once the register is stopped, and a second import writes nothing', async () => {
    await register.stop();
    running = false;
    const run = await importCommand([shared.path, '--by', 'olga']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain(`${shared.rowsInFile} rows, ${shared.actualInFile} in force.`);
    expect(run.stdout).toContain('0 written, 27 unchanged.');
  });

  it.each([
    [['/nowhere/icd10.csv'], 1, 'import-icd10: no such file: /nowhere/icd10.csv'],
    [['--colour'], 2, "import-icd10: Unknown option '--colour'"],
  ])('explains %j in one line, exiting %i', async (args, code, message) => {
    const run = await importCommand(args);
    expect(run.code).toBe(code);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringContaining(message)]);
  });
});
