/**
 * Names the patient file shows beside codes: ICD-10 diagnoses from the stored chunks, districts and colleagues, read
 * from the member's reference replica — again each time it changes, since a new device receives the books while
 * the member already opens files (pages/reference-reader.ts). A code the reference book does not know is shown as
 * it is.
 */
import { isDiagnosisChunk, isDistrict } from '../../../common/reference/types.ts';
import type { ReferenceStore } from '../../admin/reference-store.ts';

export interface ReferenceNames {
  /** ICD-10 name by code (`C34.1`). */
  diagnoses: ReadonlyMap<string, string>;
  /** District name by id (`district:petrozavodsk`). */
  districts: ReadonlyMap<string, string>;
  /** Staff members' names by login, from the staff directory (`staff:<login>`). */
  staff: ReadonlyMap<string, string>;
}

/** Names of colleagues by login, from the staff directory; a login it does not know is shown as it is. */
export async function loadStaffNames(reference: ReferenceStore): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const entry of await reference.list('staff:')) {
    const { login, displayName } = (entry ?? {}) as { login?: unknown; displayName?: unknown };
    if (typeof login === 'string' && typeof displayName === 'string') names.set(login, displayName);
  }
  return names;
}

/** "Петров Иван Ильич" for a known login, the login otherwise. */
export function staffName(names: ReadonlyMap<string, string> | undefined, login: string): string {
  return names?.get(login) ?? login;
}

export async function loadReferenceNames(reference: ReferenceStore): Promise<ReferenceNames> {
  const [chunks, districts, staff] = await Promise.all([
    reference.list('diagnosis-chunk:'),
    reference.list('district:'),
    loadStaffNames(reference),
  ]);
  const diagnoses = new Map<string, string>();
  for (const chunk of chunks.filter(isDiagnosisChunk)) {
    for (const entry of chunk.entries) diagnoses.set(entry.code, entry.name);
  }
  return {
    diagnoses,
    districts: new Map(districts.filter(isDistrict).map((district) => [district._id, district.name])),
    staff,
  };
}
