import { describe, expect, it } from 'vitest';
import {
  buildDiagnosisChunks,
  diagnosisChunkId,
  diagnosisLevel,
  mergeDiagnosisChunks,
  nsiEditionFromFileName,
  parseNsiIcd10Csv,
  type NsiIcd10Row,
} from './icd10.ts';
import { isDiagnosisChunk, isDiagnosisMeta, type DiagnosisChunk } from './types.ts';
import { readSharedIcd10 } from './shared-icd10-fixture.ts';

const first = { by: 'admin', at: '2026-01-10T09:00:00.000Z' };
const later = { by: 'olga', at: '2026-02-01T12:00:00.000Z' };
const edition = { version: '2.27', oid: '1.2.643.5.1.13.13.11.1005', source: 'НСИ' };

function row(id: number, code: string, name: string, parentId: number | null, actual = true): NsiIcd10Row {
  return { line: id + 1, id, recCode: '', code, name, parentId, addlCode: null, actual, date: null };
}

const ROWS = [
  row(1, 'II', 'НОВООБРАЗОВАНИЯ', null),
  row(2, 'C30-C39', 'ЗЛОКАЧЕСТВЕННЫЕ НОВООБРАЗОВАНИЯ ОРГАНОВ ДЫХАНИЯ И ГРУДНОЙ КЛЕТКИ', 1),
  row(3, 'C34', 'Злокачественное новообразование бронхов и легкого', 2),
  row(4, 'C34.1', 'Злокачественное новообразование верхней доли, бронхов или легкого', 3),
  row(5, 'D48.9', 'Новообразование неопределенного или неизвестного характера неуточненное', null, false),
];

describe('ICD-10 chunks', () => {
  it.each([
    ['II', 'class', 'diagnosis-chunk:classes'],
    ['C30-C39', 'block', 'diagnosis-chunk:C'],
    ['C34', 'category', 'diagnosis-chunk:C'],
    ['C34.1', 'subcategory', 'diagnosis-chunk:C'],
    ['I50', 'category', 'diagnosis-chunk:I'],
  ])('files %s as a %s in %s', (code, level, chunkId) => {
    expect(diagnosisLevel(code)).toBe(level);
    expect(diagnosisChunkId(code)).toBe(chunkId);
  });

  it('groups entries by first letter, keeps file order and names parents by code', () => {
    const { chunks, meta } = buildDiagnosisChunks(ROWS, edition, first);
    expect(chunks.map((chunk) => chunk._id)).toEqual([
      'diagnosis-chunk:C',
      'diagnosis-chunk:D',
      'diagnosis-chunk:classes',
    ]);
    expect(chunks[0]?.entries).toEqual([
      {
        code: 'C30-C39',
        name: 'ЗЛОКАЧЕСТВЕННЫЕ НОВООБРАЗОВАНИЯ ОРГАНОВ ДЫХАНИЯ И ГРУДНОЙ КЛЕТКИ',
        parent: 'II',
        actual: true,
      },
      { code: 'C34', name: 'Злокачественное новообразование бронхов и легкого', parent: 'C30-C39', actual: true },
      {
        code: 'C34.1',
        name: 'Злокачественное новообразование верхней доли, бронхов или легкого',
        parent: 'C34',
        actual: true,
      },
    ]);
    expect(chunks[1]?.entries).toEqual([{ code: 'D48.9', name: ROWS[4]?.name, actual: false }]);
    expect(chunks.every(isDiagnosisChunk)).toBe(true);
    expect(meta).toMatchObject({
      _id: 'diagnosis-meta:icd10',
      ...edition,
      count: 4,
      importedAt: first.at,
      createdBy: 'admin',
    });
    expect(isDiagnosisMeta(meta)).toBe(true);
  });

  it('reads the edition from an NSI file name', () => {
    expect(nsiEditionFromFileName('mkb10-minzdrav-1.2.643.5.1.13.13.11.1005_2.27.csv')).toEqual({
      oid: '1.2.643.5.1.13.13.11.1005',
      version: '2.27',
    });
    expect(nsiEditionFromFileName('icd10.csv')).toBeNull();
  });

  it('chunks the ministry file into 27 valid documents holding every row', () => {
    const { text, rowsInFile, actualInFile } = readSharedIcd10();
    const { chunks, meta } = buildDiagnosisChunks(parseNsiIcd10Csv(text), edition, first);
    expect(chunks).toHaveLength(27);
    expect(chunks.every(isDiagnosisChunk)).toBe(true);
    expect(chunks.reduce((sum, chunk) => sum + chunk.entries.length, 0)).toBe(rowsInFile);
    expect(meta.count).toBe(actualInFile);
    // Replication sends whole chunks: keep the largest well under CouchDB's limits and a tablet's patience.
    expect(Math.max(...chunks.map((chunk) => JSON.stringify(chunk).length))).toBeLessThan(400_000);
  });
});

describe('laying a new edition over stored chunks', () => {
  const stored = (chunks: DiagnosisChunk[]): DiagnosisChunk[] =>
    chunks.map((chunk, i) => ({ ...chunk, _rev: `1-${i}` }));

  it('changes nothing when the edition is the same', () => {
    const { chunks } = buildDiagnosisChunks(ROWS, edition, first);
    const merge = mergeDiagnosisChunks(stored(chunks), buildDiagnosisChunks(ROWS, edition, later).chunks, later);
    expect(merge).toMatchObject({ changed: [], unchanged: 3, retired: 0 });
    expect(merge.all.map((chunk) => chunk.updatedBy)).toEqual(['admin', 'admin', 'admin']);
  });

  it('rewrites only the chunk that changed, with its revision and first author kept', () => {
    const renamed = ROWS.map((r) => (r.code === 'C34.1' ? { ...r, name: 'Новое название' } : r));
    const merge = mergeDiagnosisChunks(
      stored(buildDiagnosisChunks(ROWS, edition, first).chunks),
      buildDiagnosisChunks(renamed, edition, later).chunks,
      later,
    );
    expect(merge.changed).toHaveLength(1);
    expect(merge.changed[0]).toMatchObject({
      _id: 'diagnosis-chunk:C',
      _rev: '1-0',
      createdBy: 'admin',
      updatedBy: 'olga',
    });
    expect(merge.changed[0]?.entries[2]).toMatchObject({ code: 'C34.1', name: 'Новое название' });
    expect(merge.unchanged).toBe(2);
  });

  it('keeps codes the new edition dropped, as not in force, after the new ones — and a chunk left empty too', () => {
    const older = stored(buildDiagnosisChunks(ROWS, edition, first).chunks);
    const newer = ROWS.filter((r) => r.code !== 'C34.1' && r.code !== 'D48.9');
    const merge = mergeDiagnosisChunks(older, buildDiagnosisChunks(newer, edition, later).chunks, later);
    expect(merge.retired).toBe(2);
    const byId = new Map(merge.all.map((chunk) => [chunk._id, chunk]));
    expect(byId.get('diagnosis-chunk:C')?.entries.map((entry) => [entry.code, entry.actual])).toEqual([
      ['C30-C39', true],
      ['C34', true],
      ['C34.1', false],
    ]);
    expect(byId.get('diagnosis-chunk:D')?.entries).toEqual([{ code: 'D48.9', name: ROWS[4]?.name, actual: false }]);
    expect(merge.changed.map((chunk) => chunk._id)).toEqual(['diagnosis-chunk:C']);
  });

  it('brings a retired code back into force when a later edition has it again', () => {
    const withoutC341 = ROWS.filter((r) => r.code !== 'C34.1');
    const retired = mergeDiagnosisChunks(
      stored(buildDiagnosisChunks(ROWS, edition, first).chunks),
      buildDiagnosisChunks(withoutC341, edition, later).chunks,
      later,
    ).all;
    const back = mergeDiagnosisChunks(retired, buildDiagnosisChunks(ROWS, edition, later).chunks, later);
    expect(back.all[0]?.entries.find((entry) => entry.code === 'C34.1')?.actual).toBe(true);
    expect(back.retired).toBe(0);
  });

  it('adds chunks for letters that were not stored, new and unrevisioned', () => {
    const merge = mergeDiagnosisChunks([], buildDiagnosisChunks(ROWS, edition, later).chunks, later);
    expect(merge.changed.map((chunk) => [chunk._id, chunk._rev, chunk.createdBy])).toEqual([
      ['diagnosis-chunk:C', undefined, 'olga'],
      ['diagnosis-chunk:D', undefined, 'olga'],
      ['diagnosis-chunk:classes', undefined, 'olga'],
    ]);
  });
});
