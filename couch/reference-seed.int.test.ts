/**
 * Seeding and ICD-10 import against a real register (embedded store over HTTP): the starter lists are written once
 * and never over an administrator's edits; the ministry's file lands whole, a second import writes nothing, codes
 * that leave the file stay as not in force, and the stored chunks answer searches.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importIcd10, seedReference } from './reference-seed.ts';
import { startTestRegister, stopTestRegister, type TestRegister } from '../test/helpers/start-register.ts';
import { searchDiagnoses } from '../common/reference/icd10.ts';
import {
  isDiagnosisChunk,
  validateReferenceDoc,
  type DiagnosisChunk,
  type DiagnosisMeta,
} from '../common/reference/types.ts';
import type { Medicament, District } from '../common/reference/types.ts';
import { starterReferenceDocs } from '../common/reference/starter-docs.ts';
import { readSharedIcd10 } from '../common/reference/shared-icd10-fixture.ts';

let register: TestRegister;
const shared = readSharedIcd10();

beforeAll(async () => {
  register = await startTestRegister();
});

afterAll(async () => {
  if (register) await stopTestRegister(register);
});

interface Row {
  id: string;
  value: { rev: string };
  doc: Record<string, unknown>;
}

async function referenceDocs(prefix: string): Promise<Row[]> {
  const range = `startkey=${encodeURIComponent(JSON.stringify(prefix))}&endkey=${encodeURIComponent(JSON.stringify(prefix + '\ufff0'))}`;
  const response = await register.store.expect<{ rows: Row[] }>(
    'GET',
    `/reference/_all_docs?include_docs=true&${range}`,
    undefined,
  );
  return response.body.rows;
}

async function storedChunks(): Promise<DiagnosisChunk[]> {
  const rows = await referenceDocs('diagnosis-chunk:');
  const chunks = rows.map((row) => row.doc);
  expect(chunks.every(isDiagnosisChunk)).toBe(true);
  return chunks as unknown as DiagnosisChunk[];
}

async function diagnosisRevs(): Promise<Record<string, string>> {
  const rows = await referenceDocs('diagnosis-');
  return Object.fromEntries(rows.map((row) => [row.id, row.value.rev]));
}

const count = (chunks: DiagnosisChunk[], inForce: boolean): number =>
  chunks.reduce((sum, chunk) => sum + chunk.entries.filter((entry) => !inForce || entry.actual).length, 0);

describe('seeding the reference database', () => {
  it('finds every starter document in a fresh register (provisioning seeds them), valid as written', async () => {
    const expected = starterReferenceDocs({ by: 'system', at: new Date().toISOString() }).map((doc) => doc._id);
    const result = await seedReference(register.store, { by: 'system' });
    expect(result).toEqual({ written: [], existing: expected.length });
    const stored = [
      ...(await referenceDocs('medicament:')),
      ...(await referenceDocs('district:')),
      ...(await referenceDocs('diagnosis-')),
    ];
    expect(stored).toHaveLength(expected.length);
    expect(stored.flatMap((row) => validateReferenceDoc(row.doc))).toEqual([]);
  });

  it('leaves edited, deactivated and deleted documents as the administrator left them', async () => {
    await register.store.upsert<Medicament>('reference', 'medicament:morphine-tablets-10mg', (doc) =>
      doc ? { ...doc, tradeNames: ['Морфин МЭЗ'], updatedBy: 'admin' } : null,
    );
    await register.store.upsert<District>('reference', 'district:kemsky', (doc) =>
      doc ? { ...doc, active: false } : null,
    );
    const ketorolac = await register.store.getDoc<Medicament>('reference', 'medicament:ketorolac-tablets-10mg');
    await register.store.expect(
      'DELETE',
      `/reference/medicament:ketorolac-tablets-10mg?rev=${ketorolac?._rev}`,
      undefined,
    );

    expect(await seedReference(register.store, { by: 'system' })).toMatchObject({ written: [] });
    expect(
      (await register.store.getDoc<Medicament>('reference', 'medicament:morphine-tablets-10mg'))?.tradeNames,
    ).toEqual(['Морфин МЭЗ']);
    expect((await register.store.getDoc<District>('reference', 'district:kemsky'))?.active).toBe(false);
    expect(await register.store.getDoc('reference', 'medicament:ketorolac-tablets-10mg')).toBeNull();
  });
});

describe('importing the ministry ICD-10 file', () => {
  it('stores every row of the file, as many codes in force as the file has ACTUAL rows', async () => {
    const result = await importIcd10(register.store, shared.path, { by: 'admin' });
    expect(result).toMatchObject({
      version: '2.27',
      oid: '1.2.643.5.1.13.13.11.1005',
      rows: shared.rowsInFile,
      retired: 0,
    });
    const chunks = await storedChunks();
    expect(chunks).toHaveLength(27);
    expect(count(chunks, true)).toBe(shared.actualInFile);
    expect(count(chunks, false)).toBe(shared.rowsInFile);
    const meta = await register.store.getDoc<DiagnosisMeta>('reference', 'diagnosis-meta:icd10');
    expect(meta).toMatchObject({ version: '2.27', count: shared.actualInFile, updatedBy: 'admin' });
  });

  it('writes nothing when the same file is imported again: no new revisions', async () => {
    const before = await diagnosisRevs();
    const result = await importIcd10(register.store, shared.path, { by: 'admin' });
    expect(result).toMatchObject({ chunksWritten: 0, chunksUnchanged: 27, metaWritten: false });
    expect(await diagnosisRevs()).toEqual(before);
    expect((await seedReference(register.store, { by: 'system' })).written).toEqual([]);
    expect(await diagnosisRevs()).toEqual(before);
  });

  it('finds C34 in the stored chunks by code and by words', async () => {
    const chunks = await storedChunks();
    expect(searchDiagnoses(chunks, 'C34', 10)[0]?.code).toBe('C34');
    expect(searchDiagnoses(chunks, 'С34', 10)[0]?.code).toBe('C34');
    for (const words of ['рак легкого', 'злокачественное новообразование бронхов']) {
      expect(searchDiagnoses(chunks, words, 10).map((entry) => entry.code)).toContain('C34');
    }
  });

  it('keeps a stored code the file does not have, as not in force, and touches no other chunk', async () => {
    const extra = { code: 'U99.9', name: 'Код, добавленный администратором', actual: true };
    await register.store.upsert<DiagnosisChunk>('reference', 'diagnosis-chunk:U', (chunk) =>
      chunk ? { ...chunk, entries: [...chunk.entries, extra] } : null,
    );
    const before = await diagnosisRevs();
    const result = await importIcd10(register.store, shared.path, { by: 'admin' });
    expect(result).toMatchObject({
      chunksWritten: 1,
      retired: 1,
      codesInForce: shared.actualInFile,
      codes: shared.rowsInFile + 1,
    });
    const after = await diagnosisRevs();
    const changed = Object.keys(after).filter((id) => after[id] !== before[id]);
    expect(changed.sort()).toEqual(['diagnosis-chunk:U', 'diagnosis-meta:icd10']);
    const chunkU = (await storedChunks()).find((chunk) => chunk._id === 'diagnosis-chunk:U');
    expect(chunkU?.entries.at(-1)).toEqual({ ...extra, actual: false });
  });

  it('repairs a damaged chunk from its usable entries, as a new revision', async () => {
    await register.store.upsert<DiagnosisChunk>('reference', 'diagnosis-chunk:Z', (chunk) =>
      chunk ? { ...chunk, createdBy: '', entries: [...chunk.entries, { code: 'не код' } as never] } : null,
    );
    const damaged = (await diagnosisRevs())['diagnosis-chunk:Z'] ?? '';
    const result = await importIcd10(register.store, shared.path, { by: 'admin' });
    expect(result).toMatchObject({ chunksWritten: 1, codesInForce: shared.actualInFile });
    const chunkZ = (await storedChunks()).find((chunk) => chunk._id === 'diagnosis-chunk:Z');
    expect(chunkZ).toMatchObject({ createdBy: 'admin', updatedBy: 'admin' });
    expect(parseInt(chunkZ?._rev ?? '', 10)).toBe(parseInt(damaged, 10) + 1);
  });
});
