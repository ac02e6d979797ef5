/**
 * Names of a member's local databases. Each carries the login at the end, so that members sharing a tablet never
 * share data and "erase my data from this device" (services/local-data.ts) finds all of a member's databases.
 */

/** The local replica of `facility-<facilityId>` for `login`. */
export function localFacilityDatabaseName(facilityId: string, login: string): string {
  return `facility-${facilityId}-${login}`;
}
