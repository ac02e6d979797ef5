/**
 * The reference data the patient pages need, read from the member's reference replica: districts (for the
 * address and the record), the ICD-10 chunks (to pick diagnoses by code or words, to name them in lists and to
 * refuse a code the book does not hold before anything is saved). The lookups are left out while a book is still
 * empty on this device (the first sync has not finished): then only the format is checked, as the design document
 * does, rather than refusing every code.
 */
import type { ReferenceStore } from '../../admin/reference-store.ts';
import { referenceRevision } from '../../records/local-reference-store.ts';
import type { ReferenceLookups } from '../../../common/records/index.ts';
import { codePrefixes, searchDiagnoses } from '../../../common/reference/icd10.ts';
import {
  isDiagnosisChunk,
  isDistrict,
  type DiagnosisChunk,
  type DiagnosisEntry,
  type District,
} from '../../../common/reference/types.ts';

export interface PatientReference {
  /** Districts in force, by name. */
  districts: District[];
  chunks: DiagnosisChunk[];
  lookups: ReferenceLookups;
  diagnosisName(code: string): string | null;
  districtName(id: string): string | null;
  /** Diagnoses (categories and subcategories, in force) answering a code or words. */
  searchDiagnoses(query: string, limit?: number): DiagnosisEntry[];
  /** The code as the book writes it (`с34,1` → `C34.1`), or the typed text upper-cased when the book lacks it. */
  normaliseCode(typed: string): string;
}

export const EMPTY_REFERENCE: PatientReference = referenceFrom([], []);

/** Builds the lookups over documents already read. */
export function referenceFrom(districtDocs: readonly unknown[], chunkDocs: readonly unknown[]): PatientReference {
  const allDistricts = districtDocs.filter(isDistrict);
  const districts = allDistricts.filter((d) => d.active).sort((a, b) => a.name.localeCompare(b.name, 'ru'));
  const chunks = chunkDocs.filter(isDiagnosisChunk);
  const names = new Map<string, string>();
  for (const chunk of chunks) for (const entry of chunk.entries) names.set(entry.code, entry.name);
  const districtNames = new Map(allDistricts.map((d) => [d._id, d.name]));
  const lookups: ReferenceLookups = {};
  if (names.size > 0) lookups.diagnosisExists = (code) => names.has(code);
  if (districtNames.size > 0) lookups.districtExists = (id) => districtNames.has(id);
  return {
    districts,
    chunks,
    lookups,
    diagnosisName: (code) => names.get(code) ?? null,
    districtName: (id) => districtNames.get(id) ?? null,
    searchDiagnoses: (query, limit = 8) => searchDiagnoses(chunks, query, limit),
    normaliseCode(typed) {
      const text = typed.trim();
      const candidates = codePrefixes(text) ?? [];
      return candidates.find((code) => names.has(code)) ?? candidates[0] ?? text.toUpperCase();
    },
  };
}

const loads = new WeakMap<ReferenceStore, { revision: number; load: Promise<PatientReference> }>();

/**
 * Reads districts and ICD-10 chunks once per store and revision of it (the member's replica changes while the first
 * sync brings the books: a reading made before is read again); a failed read is tried again next time.
 */
export function loadPatientReference(store: ReferenceStore): Promise<PatientReference> {
  const revision = referenceRevision(store);
  const cached = loads.get(store);
  if (cached?.revision === revision) return cached.load;
  const load = Promise.all([store.list('district:'), store.list('diagnosis-chunk:')]).then(([districts, chunks]) =>
    referenceFrom(districts, chunks),
  );
  const entry = { revision, load };
  load.catch(() => {
    if (loads.get(store) === entry) loads.delete(store);
  });
  loads.set(store, entry);
  return load;
}
