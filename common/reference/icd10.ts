/**
 * ICD-10 diagnoses for the reference book, in one place: reading the Ministry of Health's NSI export
 * (icd10-csv.ts), storing it as chunk documents (icd10-chunks.ts) and searching them offline (icd10-search.ts).
 */
export { Icd10CsvError, NSI_ICD10_COLUMNS, parseNsiIcd10Csv, splitCsvRecords, type NsiIcd10Row } from './icd10-csv.ts';
export {
  DIAGNOSIS_CHUNK_PREFIX,
  DIAGNOSIS_META_ID,
  ICD10_OID,
  buildDiagnosisChunks,
  chunksFromEntries,
  diagnosisChunkId,
  diagnosisLevel,
  diagnosisMeta,
  entriesFromRows,
  mergeDiagnosisChunks,
  nsiEditionFromFileName,
  type Authorship,
  type ChunkMerge,
  type DiagnosisLevel,
  type EditionInfo,
} from './icd10-chunks.ts';
export { codePrefixes, foldText, searchDiagnoses, type DiagnosisSearchOptions } from './icd10-search.ts';
