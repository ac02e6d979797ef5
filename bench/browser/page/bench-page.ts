/**
 * The page `npm run bench` drives in Chromium (bench/browser/browser-bench.ts). Each entry runs one real operation
 * of the app — a first sync into a fresh IndexedDB database, opening a facility's records, searching them, the
 * unlock's key derivation and unwrapping — and times it with `performance.now()` around the call. Facility keys
 * reach the page as raw bytes from the benchmark process, which made them: this page is a measuring harness, never
 * served by the app.
 */
import PouchDB from 'pouchdb-browser/lib/index.es.js';
import { deriveSecrets } from '../../../common/auth-derivation.ts';
import { importEpochKey, generateEpochKey } from '../../../common/keys/epoch-keys.ts';
import { unwrapEpochKeyAsHkdf, wrapEpochKey } from '../../../common/keys/key-wrapping.ts';
import { scanPatients } from '../../../common/search/linear-scan.ts';
import { preparePatient } from '../../../common/search/matching.ts';
import { importMuk } from '../../../client/crypto/muk-keys.ts';
import { createUserKeyPair, openUserPrivateKey } from '../../../client/crypto/user-key-pair.ts';
import { FacilityRepository, type FacilityDatabase } from '../../../client/records/facility-repository.ts';
import { FacilitySealer, type FacilityKeySource } from '../../../client/records/facility-sealer.ts';
import { entryOf, openPassport, type OpenPassport } from '../../../client/records/patients-in-memory.ts';
import { FacilitySync } from '../../../client/sync/facility-sync.ts';
import type { OpenReport } from '../../../client/records/open-records.ts';

function keySource(rawKey: string): FacilityKeySource {
  const bytes = Uint8Array.from(atob(rawKey), (char) => char.charCodeAt(0));
  const key = importEpochKey(bytes);
  return {
    current: async () => ({ epoch: 1, key: await key }),
    forEpoch: async (_facilityId, epoch) => (epoch === 1 ? key : null),
  };
}

function repository(facilityId: string, login: string, dbName: string, rawKey: string): FacilityRepository {
  return new FacilityRepository({
    facilityId,
    login,
    roles: ['doctor', `facility:${facilityId}`],
    db: new PouchDB(dbName) as unknown as FacilityDatabase,
    keys: keySource(rawKey),
  });
}

async function logIn(login: string, authKey: string): Promise<void> {
  const response = await fetch('/db/_session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: login, password: authKey }),
  });
  if (!response.ok) throw new Error(`login ${response.status}`);
}

/** A first sync into a fresh database: the app's FacilitySync (batch size as the app has it), or a plain pull. */
async function firstSync(options: {
  facilityId: string;
  login: string;
  dbName: string;
  batchSize?: number;
}): Promise<{ ms: number; docs: number }> {
  const local = new PouchDB(options.dbName);
  const remote = new PouchDB(`${location.origin}/db/facility-${options.facilityId}`, { skip_setup: true });
  const started = performance.now();
  if (options.batchSize === undefined) {
    const sync = new FacilitySync({ facilityId: options.facilityId, login: options.login, local, remote });
    await sync.syncNow();
    sync.stop();
  } else {
    await new Promise<void>((resolve, reject) => {
      local.replicate
        .from(remote, { batch_size: options.batchSize })
        .on('complete', () => resolve())
        .on('error', (error) => reject(error instanceof Error ? error : new Error(String(error))));
    });
  }
  const ms = performance.now() - started;
  const { doc_count: docs } = await local.info();
  await local.close();
  return { ms, docs };
}

/** Opens the facility's records as the app does after unlock; optionally seals the snapshot afterwards. */
async function openRecords(options: {
  facilityId: string;
  login: string;
  dbName: string;
  rawKey: string;
  saveSnapshot: boolean;
}): Promise<{ ms: number; report: OpenReport | null }> {
  const records = repository(options.facilityId, options.login, options.dbName, options.rawKey);
  const started = performance.now();
  await records.open();
  const ms = performance.now() - started;
  const report = records.openReport;
  if (options.saveSnapshot) await records.saveSearchSnapshot();
  records.close();
  return { ms, report: report && structuredClone(report) };
}

/** Removes the sealed snapshot (to time an open from every document again). */
async function dropSnapshot(dbName: string, login: string): Promise<void> {
  const db = new PouchDB(dbName);
  try {
    const doc = await db.get(`_local/search-snapshot:${login}`);
    await db.remove(doc._id, doc._rev);
  } catch {
    // none yet
  }
}

/** Search as the patient list does it: every query through `listPatients({text})`, warmed up once. */
async function search(options: {
  facilityId: string;
  login: string;
  dbName: string;
  rawKey: string;
  queries: string[];
  naiveQueries: number;
}): Promise<{ times: number[]; naive: number[] }> {
  const records = repository(options.facilityId, options.login, options.dbName, options.rawKey);
  await records.open();
  for (const text of options.queries) await records.listPatients({ text });
  const times: number[] = [];
  for (const text of options.queries) {
    const started = performance.now();
    await records.listPatients({ text });
    times.push(performance.now() - started);
  }
  records.close();
  // The naive alternative: nothing kept in memory, every passport decrypted and scanned for each query.
  const db = new PouchDB(options.dbName);
  const { rows } = await db.allDocs({ include_docs: true, startkey: 'passport:', endkey: 'passport:\ufff0' });
  const docs = rows.flatMap((row) => (row.doc ? [row.doc] : []));
  const sealer = new FacilitySealer(options.facilityId, keySource(options.rawKey));
  const naive: number[] = [];
  for (const text of options.queries.slice(0, options.naiveQueries)) {
    const started = performance.now();
    const opened = await Promise.all(docs.map((doc) => openPassport(sealer, doc)));
    const prepared = opened.flatMap((passport: OpenPassport | null) =>
      passport ? [preparePatient(entryOf(passport.data))] : [],
    );
    scanPatients(prepared, text);
    naive.push(performance.now() - started);
    sealer.clear();
  }
  return { times, naive };
}

/**
 * The unlock's cryptography: Argon2id from the typed password, the member's private key opened with muk, and a
 * facility's epoch key unwrapped with it (material made first, untimed, as enrolment and confirmation would).
 */
async function unlock(): Promise<{ ms: number; derive: number }> {
  const deploymentId = 'bench-deployment-0000000000';
  const password = 'bench-long-passphrase-2026';
  const login = 'bench-nurse';
  const made = await deriveSecrets(deploymentId, login, password);
  const { material } = await createUserKeyPair(await importMuk(made.muk));
  const copy = await wrapEpochKey(
    generateEpochKey(),
    { login, publicKeyJwk: material.publicKey },
    { facilityId: 'bench-01', epoch: 1 },
  );
  const started = performance.now();
  const secrets = await deriveSecrets(deploymentId, login, password);
  const derived = performance.now();
  const privateKey = await openUserPrivateKey(await importMuk(secrets.muk), material.encryptedPrivateKey);
  await unwrapEpochKeyAsHkdf(copy, privateKey, material.publicKey);
  return { ms: performance.now() - started, derive: derived - started };
}

const api = { logIn, firstSync, openRecords, dropSnapshot, search, unlock };
export type BenchPage = typeof api;
(globalThis as unknown as { registerBench: BenchPage }).registerBench = api;
document.body.dataset.ready = 'true';
