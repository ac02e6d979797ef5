/**
 * One entry point for any document of a facility database: picks the validator by the type its id names. The
 * client calls it before every write; the facility design document bundles it and calls it on every write that
 * reaches the store, so impossible values are refused there too (STYLE.md, "Validation written once").
 */
import { validateAuditEvent } from './audit-event.ts';
import { isRecord, notObject, type ReferenceLookups, type ValidationError } from './checks.ts';
import { validatePassportDoc } from './passport.ts';
import { validatePatientRecord } from './patient.ts';
import { validatePrescription } from './prescription.ts';
import { FACILITY_DOC_TYPES, type FacilityDocType } from './types.ts';
import { validateVisit } from './visit.ts';

/** The type an id names (`patient:…` → `patient`), or null for an id of no facility type. */
export function facilityDocTypeOf(id: unknown): FacilityDocType | null {
  if (typeof id !== 'string') return null;
  const type = id.split(':')[0];
  return (FACILITY_DOC_TYPES as readonly string[]).indexOf(type ?? '') === -1 ? null : (type as FacilityDocType);
}

/** Every structural problem of a facility document; `today` is `YYYY-MM-DD`. */
export function validateFacilityDoc(doc: unknown, today: string, lookups: ReferenceLookups = {}): ValidationError[] {
  if (!isRecord(doc)) return notObject();
  switch (facilityDocTypeOf(doc._id)) {
    case 'passport':
      return validatePassportDoc(doc);
    case 'patient':
      return validatePatientRecord(doc, today, lookups);
    case 'visit':
      return validateVisit(doc, today);
    case 'prescription':
      return validatePrescription(doc, lookups);
    case 'audit':
      return validateAuditEvent(doc, (losing) => validateFacilityDoc(losing, today, lookups));
    default:
      return [{ field: '_id', message: 'Неизвестный тип документа: идентификатор должен начинаться с типа.' }];
  }
}
