/**
 * The facilities a member may choose for the summary report, from the `facility:` documents of their reference
 * replica: analysts and administrators every active one, a doctor only their own (the `facility:<id>` roles —
 * listed even before the replica has their documents, by id, since the server allows them regardless). The same
 * rule as server/reports/summary-params.ts, so the page never offers what the server would refuse with a 403.
 */
import { facilitiesOf } from '../../../common/roles.ts';

export interface ReportFacility {
  id: string;
  name: string;
}

interface FacilityDocLike {
  id: string;
  name: string;
  active?: unknown;
}

function isFacilityDocLike(value: unknown): value is FacilityDocLike {
  const doc = value as { type?: unknown; id?: unknown; name?: unknown; active?: unknown } | null;
  return (
    typeof doc === 'object' &&
    doc !== null &&
    doc.type === 'facility' &&
    typeof doc.id === 'string' &&
    typeof doc.name === 'string'
  );
}

/** True when the roles let the member report on any facility (not only their own). */
export function reportsOnAnyFacility(roles: readonly string[]): boolean {
  return roles.includes('admin') || roles.includes('analyst');
}

/** The choosable facilities, sorted by name as Russian readers expect. */
export function reportFacilities(docs: readonly unknown[], roles: readonly string[]): ReportFacility[] {
  const known = docs.filter(isFacilityDocLike);
  const list = reportsOnAnyFacility(roles)
    ? known.filter((doc) => doc.active !== false).map(({ id, name }) => ({ id, name }))
    : facilitiesOf(roles).map((id) => ({ id, name: known.find((facility) => facility.id === id)?.name ?? id }));
  return list.sort((a, b) => a.name.localeCompare(b.name, 'ru'));
}
