/**
 * The core promise, end to end: devices write patients through the records layer (client/records) into their own
 * PouchDB, replicate into `facility-<id>` through the gateway, and the server — read as its own administrator,
 * every document and every revision — holds no name, SNILS, phone, note, prescription number or reason in readable
 * form; passports there are `{_id, _rev, type, v, kid, iv, ct}` and nothing else. And what the records layer
 * refuses locally, the store refuses too: a nurse's prescription put straight into her device database comes back
 * from replication as denied.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { FacilityRepository, type FacilityDatabase } from '../../client/records/facility-repository.ts';
import { FacilitySealer } from '../../client/records/facility-sealer.ts';
import { newPrescription } from '../../client/records/record-documents.ts';
import {
  TEST_TODAY,
  TestFacilityKeys,
  patientInput,
  prescriptionInput,
  visitInput,
} from '../../client/records/records-fixtures.ts';
import { useRegister } from '../helpers/start-register.ts';
import { createFacility, createUser, logIn, type Session } from '../helpers/users.ts';

const require = createRequire(import.meta.url);

interface ReplicationResult {
  ok: boolean;
  status: string;
  docs_read: number;
  docs_written: number;
  doc_write_failures: number;
  errors: unknown[];
}
interface Replication extends Promise<ReplicationResult> {
  on(event: string, listener: (arg: unknown) => void): void;
}
interface Pouch {
  put(doc: object): Promise<{ rev: string }>;
  replicate: { to(target: Pouch): Replication; from(source: Pouch): Replication };
  destroy(): Promise<void>;
}
type PouchConstructor = new (name: string, options?: Record<string, unknown>) => Pouch;
const PouchDB = require('pouchdb') as PouchConstructor;

const FACILITY = 'rp-a';
const DB = `facility-${FACILITY}`;
const register = useRegister();
let folder: string;
let keys: TestFacilityKeys;
const pouches: Pouch[] = [];

/** What a person typed that identifies someone: none of it may reach the server readable. */
const IDENTIFYING = [
  'Белозерская',
  'Онежская',
  'Вероника',
  '112-233-445 95',
  '11223344595',
  '+79112223344',
  '9112223344',
  '+79115556677',
  'Кондопога',
  'заметка о внучке Таисии',
  'Таисия',
  'RX-445566',
  'отменено по просьбе Таисии',
  'статус: переехала к Таисии',
];

interface Device {
  local: Pouch;
  remote: Pouch;
  records: FacilityRepository;
}

async function deviceOf(session: Session, role: 'doctor' | 'nurse'): Promise<Device> {
  const local = new PouchDB(join(folder, session.name));
  const remote = new PouchDB(`${register.current.url}/db/${DB}`, {
    skip_setup: true,
    // Node's own fetch, not PouchDB.fetch: that one keeps a cookie jar shared by every database in the process,
    // so the renewed session cookie of one member would be sent for the other.
    fetch: (url: string, options: RequestInit = {}) => {
      const headers = new Headers(options.headers);
      headers.set('cookie', session.cookie);
      return fetch(url, { ...options, headers });
    },
  });
  pouches.push(local);
  const records = new FacilityRepository({
    facilityId: FACILITY,
    login: session.name,
    roles: [role, `facility:${FACILITY}`],
    db: local as unknown as FacilityDatabase,
    keys,
    today: () => TEST_TODAY,
    device: `tablet-${session.name}`,
  });
  return { local, remote, records };
}

let nina: Device;
let olga: Device;

beforeAll(async () => {
  await createFacility(register.current, FACILITY);
  const nurse = await createUser(register.current, {
    name: 'nina',
    password: 'nina-pass-2026',
    roles: ['nurse', `facility:${FACILITY}`],
  });
  const doctor = await createUser(register.current, {
    name: 'olga',
    password: 'olga-pass-2026',
    roles: ['doctor', `facility:${FACILITY}`],
  });
  folder = mkdtempSync(join(tmpdir(), 'rp-records-'));
  keys = await TestFacilityKeys.create();
  nina = await deviceOf(await logIn(register.current, nurse), 'nurse');
  olga = await deviceOf(await logIn(register.current, doctor), 'doctor');
});

afterAll(async () => {
  nina?.records.close();
  olga?.records.close();
  for (const pouch of pouches) await pouch.destroy();
  rmSync(folder, { recursive: true, force: true });
});

/** Every document, every leaf and every revision the store keeps, as its administrator reads them. */
async function everythingOnTheServer(): Promise<{ text: string; docs: Record<string, unknown>[] }> {
  const store = register.current.store;
  const all = await store.expect<{ rows: { id: string; doc: Record<string, unknown> }[] }>(
    'GET',
    `/${DB}/_all_docs?include_docs=true&conflicts=true`,
    undefined,
  );
  const parts = [JSON.stringify(all.body)];
  for (const row of all.body.rows) {
    const id = encodeURIComponent(row.id).replace(/^_design%2F/, '_design/');
    const leaves = await store.expect<{ ok?: { _revisions?: { start: number; ids: string[] } } }[]>(
      'GET',
      `/${DB}/${id}?open_revs=all&revs=true`,
      undefined,
    );
    parts.push(JSON.stringify(leaves.body));
    for (const leaf of leaves.body) {
      const revisions = leaf.ok?._revisions;
      for (const [i, hash] of (revisions?.ids ?? []).entries()) {
        const rev = `${(revisions?.start ?? 0) - i}-${hash}`;
        const old = await store.request('GET', `/${DB}/${id}?rev=${rev}`);
        parts.push(JSON.stringify(old.body));
      }
    }
  }
  return { text: parts.join('\n'), docs: all.body.rows.map((row) => row.doc) };
}

describe('what the server holds of patients written on devices', () => {
  it('is ciphertext wherever a person could be named, in every document and every revision', async () => {
    const first = await nina.records
      .open()
      .then(() => nina.records.createPatient(patientInput({ surname: 'Белозерская', phone: '+79112223344' })));
    const second = patientInput({ surname: 'Онежская', snils: '001-001-001 00', phone: '+79115556677' });
    second.passport.address = { text: 'Кондопога, ул. Пролетарская, 5' };
    const other = await nina.records.createPatient(second);
    const renamed = patientInput({ surname: 'Белозерская', phone: '+79112223344' });
    renamed.passport.name = 'Вероника';
    await nina.records.updatePatient(first.patientId, renamed, '2026-11-25');
    await nina.records.addVisit(first.patientId, visitInput('заметка о внучке Таисии'));
    await nina.records.addVisit(other.patientId, visitInput());
    expect(await nina.local.replicate.to(nina.remote)).toMatchObject({ ok: true, doc_write_failures: 0 });

    // The doctor's device takes the patients, confirms one and writes for her.
    expect(await olga.local.replicate.from(olga.remote)).toMatchObject({ ok: true });
    await olga.records.open();
    expect((await olga.records.listPatients({ text: 'Белозерская' })).map((p) => p.patientId)).toEqual([
      first.patientId,
    ]);
    await olga.records.changeStatus(first.patientId, { status: 'active', from: '2026-11-26' });
    await olga.records.changeStatus(first.patientId, {
      status: 'excluded',
      from: '2026-11-28',
      reason: 'moved-away',
      note: 'статус: переехала к Таисии',
    });
    const prescription = await olga.records.addPrescription(first.patientId, prescriptionInput('RX-445566'));
    await olga.records.cancelPrescription(prescription.prescription._id, 'отменено по просьбе Таисии');
    expect(await olga.local.replicate.to(olga.remote)).toMatchObject({ ok: true, doc_write_failures: 0 });

    const { text, docs } = await everythingOnTheServer();
    expect(text).toContain(first.patientId);
    for (const secret of IDENTIFYING) expect(text, `the server holds "${secret}"`).not.toContain(secret);
    const passports = docs.filter((doc) => String(doc._id).startsWith('passport:'));
    expect(passports).toHaveLength(2);
    for (const passport of passports) {
      expect(Object.keys(passport).sort()).toEqual(['_id', '_rev', 'ct', 'iv', 'kid', 'type', 'v']);
    }
    const types = docs.map((doc) => String(doc._id).split(':')[0]);
    expect(types.filter((type) => type === 'visit')).toHaveLength(2);
    expect(types.filter((type) => type === 'prescription')).toHaveLength(1);
    expect(types.filter((type) => type === 'audit').length).toBeGreaterThan(5);
  });

  it("refuses a nurse's prescription that skipped the records layer, and replication reports it as denied", async () => {
    const [patient] = await nina.records.listPatients({ text: 'Онежская' });
    if (!patient) throw new Error('no patient to prescribe for');
    const id = `prescription:${patient.patientId}:${crypto.randomUUID()}`;
    const number = await new FacilitySealer(FACILITY, keys).seal(id, ['number'], 'RX-000111');
    const forged = newPrescription(id, prescriptionInput(), number, { login: 'nina', at: new Date().toISOString() });
    await nina.local.put(forged);

    const denied: unknown[] = [];
    const replication = nina.local.replicate.to(nina.remote);
    replication.on('denied', (error) => denied.push(error));
    const result = await replication;
    // How the refusal shows up, which the sync layer must list: the replication completes `ok`, counts one
    // failure and carries the store's reason; the `denied` event fires once with the same error. The per-document
    // error has status 500 (PouchDB's default for a bulk-write error), so it is known by `error: 'forbidden'`.
    const refusal = {
      id,
      error: 'forbidden',
      name: 'forbidden',
      reason: 'Only a doctor may write or cancel prescriptions.',
      message: 'Only a doctor may write or cancel prescriptions.',
    };
    expect(result).toMatchObject({ ok: true, status: 'complete', docs_written: 0, doc_write_failures: 1 });
    expect(result.errors).toEqual([expect.objectContaining(refusal)]);
    expect(denied).toEqual([expect.objectContaining(refusal)]);
    // The checkpoint has moved past it: the next replication does not report it again (ARCHITECTURE.md, "Sync").
    expect(await nina.local.replicate.to(nina.remote)).toMatchObject({ docs_read: 0, doc_write_failures: 0 });
    expect(await register.current.store.getDoc(DB, id)).toBeNull();
  });
});
