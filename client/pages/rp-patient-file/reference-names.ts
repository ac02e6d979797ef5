/**
 * Names the patient file shows beside codes: ICD-10 diagnoses from the stored chunks and districts, read once from
 * the member's reference replica. A code the reference book does not know is shown as it is.
 */
import { isDiagnosisChunk, isDistrict } from '../../../common/reference/types.ts';
import type { ReferenceStore } from '../../admin/reference-store.ts';

export interface ReferenceNames {
  /** ICD-10 name by code (`C34.1`). */
  diagnoses: ReadonlyMap<string, string>;
  /** District name by id (`district:petrozavodsk`). */
  districts: ReadonlyMap<string, string>;
}

export async function loadReferenceNames(reference: ReferenceStore): Promise<ReferenceNames> {
  const [chunks, districts] = await Promise.all([reference.list('diagnosis-chunk:'), reference.list('district:')]);
  const diagnoses = new Map<string, string>();
  for (const chunk of chunks.filter(isDiagnosisChunk)) {
    for (const entry of chunk.entries) diagnoses.set(entry.code, entry.name);
  }
  return {
    diagnoses,
    districts: new Map(districts.filter(isDistrict).map((district) => [district._id, district.name])),
  };
}
