/**
 * Documents of a facility database: types, value lists, structural validation and what is derived when read.
 * Import from here; the design document imports the modules it needs directly.
 */
export * from './types.ts';
export { META_FIELDS, isSealed, type ReferenceLookups, type ValidationError } from './checks.ts';
export * from './passport.ts';
export * from './patient.ts';
export * from './visit.ts';
export * from './prescription.ts';
export * from './audit-event.ts';
export * from './facility-doc.ts';
