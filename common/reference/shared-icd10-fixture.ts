/**
 * For tests only: the Ministry of Health's ICD-10 export as the project's tests use it — from `../shared/data/icd10/`
 * beside the clone (where development and CI keep it; the project does not copy it) — with its row counts taken
 * straight from the text, independently of the parser under test.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SHARED_ICD10_CSV = fileURLToPath(
  new URL('../../../shared/data/icd10/mkb10-minzdrav-1.2.643.5.1.13.13.11.1005_2.27.csv', import.meta.url),
);

export interface SharedIcd10 {
  path: string;
  text: string;
  /** Data rows: lines that start with a numeric ID. */
  rowsInFile: number;
  /** Rows whose ACTUAL (the field before the last) is 1. */
  actualInFile: number;
}

export function readSharedIcd10(): SharedIcd10 {
  if (!existsSync(SHARED_ICD10_CSV)) {
    throw new Error(`the shared ICD-10 export is not at ${SHARED_ICD10_CSV}: keep ../shared beside the clone`);
  }
  const text = readFileSync(SHARED_ICD10_CSV, 'utf8');
  const rows = text.split(/\r?\n/).filter((line) => /^\d+;/.test(line));
  const actualInFile = rows.filter((line) => /;1;[^;]*$/.test(line)).length;
  return { path: SHARED_ICD10_CSV, text, rowsInFile: rows.length, actualInFile };
}
