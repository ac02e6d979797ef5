/**
 * Reference-book documents (database `reference`): medicaments, ICD-10 diagnoses stored in chunks, districts —
 * their types and type guards. The value lists and the structural validation live in validation.ts (import-free, so
 * a design document can bundle it) and are re-exported here: import from this module.
 */
import type {
  CONTROL_LISTS,
  DISTRICT_KINDS,
  DOSAGE_FORMS,
  FACTOR_BASES,
  OPIOID_CLASSES,
  REFERENCE_TYPES,
  ROUTES,
  STRENGTH_UNITS,
} from './validation.ts';
import {
  validateDiagnosisChunk,
  validateDiagnosisEntry,
  validateDiagnosisMeta,
  validateDistrict,
  validateMedicament,
  validateReferenceDoc,
} from './validation.ts';

export * from './validation.ts';

export type DosageForm = (typeof DOSAGE_FORMS)[number];
export type StrengthUnit = (typeof STRENGTH_UNITS)[number];
export type Route = (typeof ROUTES)[number];
export type OpioidClass = (typeof OPIOID_CLASSES)[number];
export type ControlList = (typeof CONTROL_LISTS)[number];
export type FactorBasis = (typeof FACTOR_BASES)[number];
export type DistrictKind = (typeof DISTRICT_KINDS)[number];
export type ReferenceType = (typeof REFERENCE_TYPES)[number];

/** Fields every reference document has. Entries are deactivated, never deleted: records refer to them. */
export interface ReferenceDocBase {
  _id: string;
  _rev?: string;
  type: ReferenceType;
  active: boolean;
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
}

/** `medicament:<slug>` — one form and strength of one medicine. */
export interface Medicament extends ReferenceDocBase {
  type: 'medicament';
  innRu: string;
  innLatin: string;
  tradeNames: string[];
  /** WHO ATC code, level 5 (`N02AA01`) or, where WHO has none for the substance, level 4 (`N01AH`). */
  atcCode: string;
  form: DosageForm;
  strength: number;
  strengthUnit: StrengthUnit;
  /** What the strength counts when it is not obvious (e.g. "оксикодон 10 мг + налоксон 5 мг"). */
  strengthNote?: string;
  route: Route;
  /** Regulatory flags (Decree No. 681 and No. 964), not pharmacological classes. */
  narcotic: boolean;
  psychotropic: boolean;
  controlList: ControlList | null;
  /** On the list of potent substances (Decree No. 964), e.g. tramadol. */
  potent: boolean;
  opioidClass: OpioidClass;
  /** Oral morphine mg per unit of `factorBasis`; null = "no factor", never counted as zero. */
  morphineFactor: number | null;
  factorBasis: FactorBasis | null;
  /** Where the factor comes from, or why there is none. */
  factorSource: string | null;
  note?: string;
}

export interface DiagnosisEntry {
  /** Class (`II`), block (`C00-C14`), category (`C34`) or subcategory (`C34.1`). */
  code: string;
  name: string;
  /** The parent's code in the ICD-10 tree. */
  parent?: string;
  /** In force (NSI `ACTUAL=1`); codes that left the classification stay, inactive, because records use them. */
  actual: boolean;
}

/** `diagnosis-chunk:<key>` — every code starting with one letter (`C`), or the classes (`classes`). */
export interface DiagnosisChunk extends ReferenceDocBase {
  type: 'diagnosis-chunk';
  entries: DiagnosisEntry[];
}

/** `diagnosis-meta:icd10` — which edition the chunks hold. */
export interface DiagnosisMeta extends ReferenceDocBase {
  type: 'diagnosis-meta';
  version: string;
  oid: string;
  source: string;
  /** Codes in force. */
  count: number;
  importedAt: string;
}

/** `district:<slug>` — a municipal formation where patients live. */
export interface District extends ReferenceDocBase {
  type: 'district';
  name: string;
  kind: DistrictKind;
  /** Administrative centre. */
  centre: string;
  region: string;
}

export type ReferenceDoc = Medicament | DiagnosisChunk | DiagnosisMeta | District;

export function isMedicament(doc: unknown): doc is Medicament {
  return validateMedicament(doc).length === 0;
}

export function isDiagnosisEntry(entry: unknown): entry is DiagnosisEntry {
  return validateDiagnosisEntry(entry).length === 0;
}

export function isDiagnosisChunk(doc: unknown): doc is DiagnosisChunk {
  return validateDiagnosisChunk(doc).length === 0;
}

export function isDiagnosisMeta(doc: unknown): doc is DiagnosisMeta {
  return validateDiagnosisMeta(doc).length === 0;
}

export function isDistrict(doc: unknown): doc is District {
  return validateDistrict(doc).length === 0;
}

export function isReferenceDoc(doc: unknown): doc is ReferenceDoc {
  return validateReferenceDoc(doc).length === 0;
}
