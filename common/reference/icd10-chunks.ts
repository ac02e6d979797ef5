/**
 * ICD-10 in the `reference` database: 15,000 codes are far too many documents for a tablet to replicate one by
 * one, so they are stored in chunks — one `diagnosis-chunk:<letter>` document per first letter of the code (26 of
 * them, the largest about 1,100 codes and 250 kB), plus `diagnosis-chunk:classes` for the 22 Roman-numeral classes
 * — and one `diagnosis-meta:icd10` naming the edition. A re-import rewrites only chunks whose content changed, and a
 * code that left the classification stays in its chunk as not in force: records made earlier still name it.
 */
import type { NsiIcd10Row } from './icd10-csv.ts';
import type { DiagnosisChunk, DiagnosisEntry, DiagnosisMeta } from './types.ts';
import { diagnosisChunkKey } from './types.ts';

/** The Ministry of Health's OID of the ICD-10 reference. */
export const ICD10_OID = '1.2.643.5.1.13.13.11.1005';
export const DIAGNOSIS_META_ID = 'diagnosis-meta:icd10';
export const DIAGNOSIS_CHUNK_PREFIX = 'diagnosis-chunk:';

export interface EditionInfo {
  version: string;
  oid: string;
  source: string;
}

export interface Authorship {
  by: string;
  /** ISO 8601 time of the change. */
  at: string;
}

export type DiagnosisLevel = 'class' | 'block' | 'category' | 'subcategory';

export function diagnosisLevel(code: string): DiagnosisLevel {
  if (/^[IVX]+$/.test(code)) return 'class';
  if (code.includes('-')) return 'block';
  return code.includes('.') ? 'subcategory' : 'category';
}

export function diagnosisChunkId(code: string): string {
  return DIAGNOSIS_CHUNK_PREFIX + diagnosisChunkKey(code);
}

/** The OID and version in an NSI export's file name (`…-1.2.643.5.1.13.13.11.1005_2.27.csv`), if it has them. */
export function nsiEditionFromFileName(fileName: string): { oid: string; version: string } | null {
  const match = /(\d+(?:\.\d+){3,})_(\d+(?:\.\d+)*)\.csv$/i.exec(fileName);
  return match?.[1] && match[2] ? { oid: match[1], version: match[2] } : null;
}

/** Chunk documents holding `entries`, grouped by chunk key in the order given, keys in alphabetical order. */
export function chunksFromEntries(entries: readonly DiagnosisEntry[], authorship: Authorship): DiagnosisChunk[] {
  const byKey = new Map<string, DiagnosisEntry[]>();
  for (const entry of entries) {
    const key = diagnosisChunkKey(entry.code);
    const list = byKey.get(key) ?? [];
    list.push(entry);
    byKey.set(key, list);
  }
  return [...byKey.keys()].sort().map((key) => ({
    _id: DIAGNOSIS_CHUNK_PREFIX + key,
    type: 'diagnosis-chunk',
    active: true,
    createdBy: authorship.by,
    createdAt: authorship.at,
    updatedBy: authorship.by,
    updatedAt: authorship.at,
    entries: byKey.get(key) ?? [],
  }));
}

export function diagnosisMeta(edition: EditionInfo, count: number, authorship: Authorship): DiagnosisMeta {
  return {
    _id: DIAGNOSIS_META_ID,
    type: 'diagnosis-meta',
    active: true,
    createdBy: authorship.by,
    createdAt: authorship.at,
    updatedBy: authorship.by,
    updatedAt: authorship.at,
    version: edition.version,
    oid: edition.oid,
    source: edition.source,
    count,
    importedAt: authorship.at,
  };
}

/** NSI rows as entries: the parent's ID becomes its code. */
export function entriesFromRows(rows: readonly NsiIcd10Row[]): DiagnosisEntry[] {
  const codeOfId = new Map(rows.map((row) => [row.id, row.code]));
  return rows.map((row) => {
    const parent = row.parentId === null ? undefined : codeOfId.get(row.parentId);
    return parent === undefined
      ? { code: row.code, name: row.name, actual: row.actual }
      : { code: row.code, name: row.name, parent, actual: row.actual };
  });
}

/** The chunk documents and the meta document for a parsed NSI export. */
export function buildDiagnosisChunks(
  rows: readonly NsiIcd10Row[],
  edition: EditionInfo,
  authorship: Authorship = { by: 'system', at: new Date().toISOString() },
): { chunks: DiagnosisChunk[]; meta: DiagnosisMeta } {
  const entries = entriesFromRows(rows);
  const count = entries.filter((entry) => entry.actual).length;
  return { chunks: chunksFromEntries(entries, authorship), meta: diagnosisMeta(edition, count, authorship) };
}

function sameEntries(a: readonly DiagnosisEntry[], b: readonly DiagnosisEntry[]): boolean {
  return (
    a.length === b.length &&
    a.every((entry, i) => {
      const other = b[i];
      return (
        other?.code === entry.code &&
        other.name === entry.name &&
        other.parent === entry.parent &&
        other.actual === entry.actual
      );
    })
  );
}

export interface ChunkMerge {
  /** Chunks to write: new ones, and stored ones (with their `_rev`) whose entries changed. */
  changed: DiagnosisChunk[];
  /** Every chunk as it will be stored, changed or not. */
  all: DiagnosisChunk[];
  unchanged: number;
  /** Stored codes absent from the new edition, kept as not in force. */
  retired: number;
}

/**
 * Lays a new edition over the stored chunks: each chunk gets the new entries in their order, followed by the
 * stored codes the new edition no longer has, marked not in force. A chunk whose entries come out the same is
 * left alone, so importing the same file twice writes nothing.
 */
export function mergeDiagnosisChunks(
  stored: readonly DiagnosisChunk[],
  fresh: readonly DiagnosisChunk[],
  authorship: Authorship,
): ChunkMerge {
  const storedById = new Map(stored.map((chunk) => [chunk._id, chunk]));
  const freshById = new Map(fresh.map((chunk) => [chunk._id, chunk]));
  const ids = [...new Set([...freshById.keys(), ...storedById.keys()])].sort();
  const result: ChunkMerge = { changed: [], all: [], unchanged: 0, retired: 0 };
  for (const id of ids) {
    const old = storedById.get(id);
    const entries = [...(freshById.get(id)?.entries ?? [])];
    const present = new Set(entries.map((entry) => entry.code));
    for (const entry of old?.entries ?? []) {
      if (present.has(entry.code)) continue;
      entries.push({ ...entry, actual: false });
      result.retired += 1;
    }
    const base = old ?? freshById.get(id);
    if (!base) continue;
    if (old && sameEntries(old.entries, entries)) {
      result.unchanged += 1;
      result.all.push(old);
      continue;
    }
    const next: DiagnosisChunk = old
      ? { ...old, entries, updatedBy: authorship.by, updatedAt: authorship.at }
      : { ...base, entries, createdBy: authorship.by, createdAt: authorship.at };
    result.changed.push(next);
    result.all.push(next);
  }
  return result;
}
