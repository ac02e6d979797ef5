/**
 * `npm run backup` and `npm run restore` against a real register's data directory: the backup is refused while the
 * register runs, copies everything (documents, conflicts, `_local` checkpoints) with a manifest, and a restore
 * brings the store back to that moment with a new store generation published by `GET /api/config`.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startTestRegister, type TestRegister } from '../helpers/start-register.ts';
import { send } from '../helpers/http.ts';
import { backupEmbeddedStore, type BackupManifest } from '../../server/backup/embedded-backup.ts';

const run = promisify(execFile);
const DB = 'backup-check';

function script(name: 'backup' | 'restore', args: string[], dataDir: string) {
  return run(process.execPath, ['--import', 'tsx', `scripts/${name}.ts`, ...args], {
    env: { ...process.env, DATA_DIR: dataDir, COUCH_URL: '' },
  });
}

async function generationOf(register: TestRegister): Promise<string> {
  const config = (await send(register.url, '/api/config')).json as { storeGeneration?: unknown };
  expect(config.storeGeneration).toEqual(expect.any(String));
  return config.storeGeneration as string;
}

async function ids(register: TestRegister): Promise<string[]> {
  const all = await register.store.expect<{ rows: { id: string }[] }>('GET', `/${DB}/_all_docs`, undefined);
  return all.body.rows.map((row) => row.id);
}

describe('backup and restore of the embedded store', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'register-backup-'));
  let register: TestRegister | null = null;

  afterAll(async () => {
    await register?.stop();
    if (register) rmSync(register.dataDir, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  });

  it('restores the store as it was at the backup, with a new generation that devices can notice', async () => {
    register = await startTestRegister();
    const dataDir = register.dataDir;
    const port = register.port;
    const first = await generationOf(register);
    const deploymentId = register.deploymentId;
    await register.store.expect('PUT', `/${DB}`, undefined);
    await register.store.expect('PUT', `/${DB}/before`, { type: 'check', n: 1 });
    // Two branches of one document (a conflict) and a checkpoint: a restore must bring back both, as they were.
    await register.store.expect('POST', `/${DB}/_bulk_docs`, {
      new_edits: false,
      docs: [
        { _id: 'forked', _rev: '1-aaaa', side: 'a' },
        { _id: 'forked', _rev: '1-bbbb', side: 'b' },
      ],
    });
    await register.store.expect('PUT', `/${DB}/_local/checkpoint`, { last_seq: 3 });

    await expect(backupEmbeddedStore(dataDir, join(scratch, 'while-running'))).rejects.toThrow(/register is running/);
    expect(existsSync(join(scratch, 'while-running'))).toBe(false);

    await register.stop();
    const backupDir = join(scratch, 'backup');
    const backedUp = await script('backup', ['--out', backupDir], dataDir);
    expect(backedUp.stdout).toContain(backupDir);
    const manifest = JSON.parse(readFileSync(join(backupDir, 'manifest.json'), 'utf8')) as BackupManifest;
    expect(manifest.storeGeneration).toBe(first);
    expect(manifest.databases.find((db) => db.name === DB)?.docCount).toBe(2);
    expect(manifest.databases.map((db) => db.name)).toEqual(
      expect.arrayContaining(['_users', 'register-settings', 'reference', 'audit']),
    );

    register = await startTestRegister({ port }, dataDir);
    expect(await generationOf(register)).toBe(first);
    await register.store.expect('PUT', `/${DB}/after`, { type: 'check', n: 2 });
    await register.store.expect('PUT', `/${DB}/_local/checkpoint`, {
      _rev: (await register.store.expect<{ _rev: string }>('GET', `/${DB}/_local/checkpoint`, undefined)).body._rev,
      last_seq: 4,
    });

    await expect(script('restore', [backupDir], dataDir)).rejects.toMatchObject({
      stderr: expect.stringContaining('register is running'),
    });
    await register.stop();
    const restored = await script('restore', [backupDir], dataDir);
    expect(restored.stdout).toContain('new store generation');

    register = await startTestRegister({ port }, dataDir);
    expect((await ids(register)).sort()).toEqual(['before', 'forked']);
    const forked = await register.store.expect<{ _conflicts?: string[] }>(
      'GET',
      `/${DB}/forked?conflicts=true`,
      undefined,
    );
    expect(forked.body._conflicts).toHaveLength(1);
    const checkpoint = await register.store.expect<{ last_seq: number }>('GET', `/${DB}/_local/checkpoint`, undefined);
    expect(checkpoint.body.last_seq).toBe(3);
    const second = await generationOf(register);
    expect(second).not.toBe(first);
    expect(register.deploymentId).toBe(deploymentId);
  });
});
