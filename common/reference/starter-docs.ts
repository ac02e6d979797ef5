/**
 * The reference documents a fresh install starts with — the seed medicaments, the districts of Karelia and the
 * ICD-10 starter list as chunks with their meta document — ready to be written by couch/reference-seed.ts.
 */
import type { District, Medicament, ReferenceDoc } from './types.ts';
import { MEDICAMENT_SEED } from './medicaments-seed.ts';
import { KARELIA_DISTRICTS, KARELIA_REGION } from './districts-karelia.ts';
import { ICD10_STARTER, ICD10_STARTER_VERSION } from './icd10-starter.ts';
import { ICD10_OID, chunksFromEntries, diagnosisMeta, type Authorship } from './icd10-chunks.ts';

export const ICD10_STARTER_SOURCE = 'Встроенный стартовый список (коды и названия — НСИ Минздрава России, версия 2.27)';

function stamp(authorship: Authorship): Pick<Medicament, 'createdBy' | 'createdAt' | 'updatedBy' | 'updatedAt'> {
  return { createdBy: authorship.by, createdAt: authorship.at, updatedBy: authorship.by, updatedAt: authorship.at };
}

export function starterMedicaments(authorship: Authorship): Medicament[] {
  return MEDICAMENT_SEED.map(({ slug, active, ...fields }) => ({
    _id: `medicament:${slug}`,
    type: 'medicament',
    active: active ?? true,
    ...fields,
    ...stamp(authorship),
  }));
}

export function starterDistricts(authorship: Authorship): District[] {
  return KARELIA_DISTRICTS.map(({ slug, ...fields }) => ({
    _id: `district:${slug}`,
    type: 'district',
    active: true,
    ...fields,
    region: KARELIA_REGION,
    ...stamp(authorship),
  }));
}

/** Every starter document: medicaments, districts, ICD-10 starter chunks and their meta document. */
export function starterReferenceDocs(authorship: Authorship): ReferenceDoc[] {
  const entries = ICD10_STARTER.map((entry) => ({ ...entry, actual: true }));
  const edition = { version: ICD10_STARTER_VERSION, oid: ICD10_OID, source: ICD10_STARTER_SOURCE };
  return [
    ...starterMedicaments(authorship),
    ...starterDistricts(authorship),
    ...chunksFromEntries(entries, authorship),
    diagnosisMeta(edition, entries.length, authorship),
  ];
}
