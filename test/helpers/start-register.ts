/**
 * Starts the whole register — embedded store child process, provisioning, gateway — exactly as `npm start` does,
 * on a free port with its data in a fresh temporary directory, and stops it and removes the directory afterwards.
 * Integration tests share one register per file through `useRegister()`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { readConfig, type RegisterConfig } from '../../server/config.ts';
import { startRegister, type RunningRegister } from '../../server/register.ts';

/** The first administrator's password in every test register. */
export const ADMIN_PASSWORD = 'Strong-Pass-2026!';

export interface TestRegister extends RunningRegister {
  dataDir: string;
  /** Everything the register logged (the store's stderr included), for assertions and for reading failures. */
  logs: string[];
  deploymentId: string;
}

/** Starts a register in a fresh temporary DATA_DIR, or in `existingDataDir` to restart on the same data. */
export async function startTestRegister(
  overrides: Partial<RegisterConfig> = {},
  existingDataDir?: string,
): Promise<TestRegister> {
  const dataDir = existingDataDir ?? mkdtempSync(join(tmpdir(), 'register-test-'));
  const config: RegisterConfig = {
    ...readConfig({ DATA_DIR: dataDir, PORT: '0', ADMIN_PASSWORD, STATIC_DIR: join(dataDir, 'no-static-build') }),
    ...overrides,
  };
  const logs: string[] = [];
  let register: RunningRegister;
  try {
    register = await startRegister(config, (line) => logs.push(line));
  } catch (error) {
    if (!existingDataDir) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return Object.assign(register, { dataDir, logs, deploymentId: register.provisioned.settings.deploymentId });
}

export async function stopTestRegister(register: TestRegister): Promise<void> {
  try {
    await register.stop();
  } finally {
    rmSync(register.dataDir, { recursive: true, force: true });
  }
}

/**
 * One register for the whole test file: started in beforeAll, stopped in afterAll. Read `.current` inside tests
 * and hooks (it is set once beforeAll has run).
 */
export function useRegister(overrides: Partial<RegisterConfig> = {}): { readonly current: TestRegister } {
  let register: TestRegister | null = null;
  beforeAll(async () => {
    register = await startTestRegister(overrides);
  });
  afterAll(async () => {
    if (!register) return;
    if (process.env.SHOW_REGISTER_LOGS) console.log(register.logs.join('\n'));
    const unexpected = register.logs.filter((line) => line.startsWith('unexpected error'));
    await stopTestRegister(register);
    // A 500 the error handler had to log means some request reached code that did not expect it.
    if (unexpected.length > 0) throw new Error(`the register logged unexpected errors:\n${unexpected.join('\n')}`);
  });
  return {
    get current(): TestRegister {
      if (!register) throw new Error('the register is not started yet (use it inside a test or a hook)');
      return register;
    },
  };
}
