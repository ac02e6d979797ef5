/**
 * Replication into a facility database through the gateway, as a device replicates: a real PouchDB (in Node,
 * LevelDB in a temporary folder) pushing with `new_edits: false`. Guards the embedded store's validation plugin,
 * which used to replace the incoming `_revisions` with the stored document's while validating, so that every
 * replicated *update* of a document was dropped without an error (`201 []`) — a device's later edits never reached
 * the server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { visit, withFreshId } from '../../common/records/test-fixtures.ts';
import { useRegister } from '../helpers/start-register.ts';
import { createFacility, createUser, logIn, type Session } from '../helpers/users.ts';

const require = createRequire(import.meta.url);

interface Pouch {
  put(doc: object): Promise<{ rev: string }>;
  get(id: string): Promise<Record<string, unknown> & { _rev: string }>;
  replicate: { to(target: Pouch): Promise<{ ok: boolean; docs_written: number; doc_write_failures: number }> };
  destroy(): Promise<void>;
}
type PouchConstructor = new (name: string, options?: Record<string, unknown>) => Pouch;
const PouchDB = require('pouchdb') as PouchConstructor & { fetch: typeof fetch };

const register = useRegister();
let nina: Session;
let folder: string;
let local: Pouch;
let remote: Pouch;

beforeAll(async () => {
  await createFacility(register.current, 'a');
  const user = await createUser(register.current, {
    name: 'nina',
    password: 'nina-pass-2026',
    roles: ['nurse', 'facility:a'],
  });
  nina = await logIn(register.current, user);
  folder = mkdtempSync(join(tmpdir(), 'rp-replication-'));
  local = new PouchDB(join(folder, 'device'));
  remote = new PouchDB(`${register.current.url}/db/facility-a`, {
    skip_setup: true,
    fetch: (url: string, options: RequestInit = {}) => {
      const headers = new Headers(options.headers);
      headers.set('cookie', nina.cookie);
      return PouchDB.fetch(url, { ...options, headers });
    },
  });
});

afterAll(async () => {
  await local?.destroy();
  rmSync(folder, { recursive: true, force: true });
});

describe('pushing a device database into a facility database', () => {
  it('brings new documents and later edits of them to the server', async () => {
    const doc = withFreshId(visit());
    const first = await local.put(doc);
    expect(await local.replicate.to(remote)).toMatchObject({ ok: true, docs_written: 1, doc_write_failures: 0 });

    const edited = { ...(await local.get(doc._id)), pain: 2, updatedBy: 'nina', updatedAt: new Date().toISOString() };
    const second = await local.put(edited);
    expect(second.rev).not.toBe(first.rev);
    expect(await local.replicate.to(remote)).toMatchObject({ ok: true, docs_written: 1, doc_write_failures: 0 });

    const onServer = await nina.get(`/db/facility-a/${encodeURIComponent(doc._id)}?revs=true`);
    expect(onServer.status).toBe(200);
    expect(onServer.json).toMatchObject({ _rev: second.rev, pain: 2 });
  });
});
