/**
 * Importing an NSI ICD-10 export chosen by the administrator: parsed in the browser with common/reference, laid
 * over the stored chunks (codes that left the classification stay, not in force), and only the chunks that changed
 * are written, then the edition document. Importing the same file twice writes nothing but the edition.
 */
import {
  DIAGNOSIS_META_ID,
  ICD10_OID,
  buildDiagnosisChunks,
  mergeDiagnosisChunks,
  nsiEditionFromFileName,
  parseNsiIcd10Csv,
} from '../../common/reference/icd10.ts';
import { isDiagnosisChunk, isDiagnosisMeta } from '../../common/reference/types.ts';
import type { ReferenceStore } from './reference-store.ts';

export interface ImportProgress {
  written: number;
  total: number;
}

export interface ImportResult {
  codes: number;
  written: number;
  unchanged: number;
  retired: number;
  version: string;
}

/** Reads the CSV text, merges and writes; `onProgress` after every written document. */
export async function importIcd10(
  store: ReferenceStore,
  file: { name: string; text: string },
  actor: string,
  onProgress: (progress: ImportProgress) => void,
): Promise<ImportResult> {
  const rows = parseNsiIcd10Csv(file.text);
  const at = new Date().toISOString();
  const authorship = { by: actor, at };
  const edition = nsiEditionFromFileName(file.name) ?? { oid: ICD10_OID, version: at.slice(0, 10) };
  const fresh = buildDiagnosisChunks(
    rows,
    { ...edition, source: `НСИ Минздрава России, файл ${file.name}` },
    authorship,
  );
  const [storedChunks, storedMeta] = await Promise.all([store.list('diagnosis-chunk:'), store.list(DIAGNOSIS_META_ID)]);
  const merge = mergeDiagnosisChunks(storedChunks.filter(isDiagnosisChunk), fresh.chunks, authorship);
  const previous = storedMeta.find(isDiagnosisMeta);
  const meta = previous
    ? { ...fresh.meta, _rev: previous._rev, createdBy: previous.createdBy, createdAt: previous.createdAt }
    : fresh.meta;
  const total = merge.changed.length + 1;
  let written = 0;
  onProgress({ written, total });
  for (const chunk of merge.changed) {
    await store.put(chunk);
    written += 1;
    onProgress({ written, total });
  }
  await store.put(meta);
  onProgress({ written: total, total });
  return {
    codes: fresh.meta.count,
    written: merge.changed.length,
    unchanged: merge.unchanged,
    retired: merge.retired,
    version: edition.version,
  };
}
