/**
 * Roles and the permission table (ARCHITECTURE.md, "Roles and permissions"), written once and imported by the
 * client (what is shown), the server (gateway and admin API) and the design documents.
 */
export const STAFF_ROLES = ['admin', 'doctor', 'nurse', 'analyst'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const PERMISSIONS = [
  'manage-administration',
  'read-write-patients',
  'write-prescriptions',
  'prescription-report',
  'summary-report',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Which roles hold each permission. Summary reports: doctors for their own facilities, analysts for all. */
export const PERMISSION_TABLE: Readonly<Record<Permission, readonly StaffRole[]>> = {
  'manage-administration': ['admin'],
  'read-write-patients': ['admin', 'doctor', 'nurse'],
  'write-prescriptions': ['doctor'],
  'prescription-report': ['admin', 'doctor', 'nurse'],
  'summary-report': ['admin', 'doctor', 'analyst'],
};

export const FACILITY_ROLE_PREFIX = 'facility:';

export function isStaffRole(value: unknown): value is StaffRole {
  return typeof value === 'string' && (STAFF_ROLES as readonly string[]).includes(value);
}

export function can(roles: readonly string[], permission: Permission): boolean {
  return PERMISSION_TABLE[permission].some((role) => roles.includes(role));
}

/** Facility ids are short lower-case slugs, so that `facility-<id>` is a valid CouchDB database name. */
export function isFacilityId(value: unknown): value is string {
  return typeof value === 'string' && /^[a-z0-9][a-z0-9-]{0,62}$/.test(value);
}

export function facilityRole(facilityId: string): string {
  return `${FACILITY_ROLE_PREFIX}${facilityId}`;
}

export function facilityDatabase(facilityId: string): string {
  return `facility-${facilityId}`;
}

/** The facility ids a user belongs to, read from CouchDB roles. */
export function facilitiesOf(roles: readonly string[]): string[] {
  return roles
    .filter((role) => role.startsWith(FACILITY_ROLE_PREFIX))
    .map((role) => role.slice(FACILITY_ROLE_PREFIX.length))
    .filter(isFacilityId);
}
