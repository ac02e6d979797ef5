/**
 * Which prescriptions answer a filter of the prescription list and report. Dates and status are judged on the
 * device's `today` (a prescription is "completed" when its end has passed — derived, never stored); medicament
 * names, ATC codes and opioid classes come from the reference books through a lookup, since a prescription names
 * its medicament by id only.
 */
import { displayStatus } from '../../common/records/prescription.ts';
import type { Medicament } from '../../common/reference/types.ts';
import type { PrescriptionFilter } from './records-api.ts';
import type { Prescription } from './records-types.ts';

export type MedicamentLookup = (
  id: string,
) => Pick<Medicament, 'innRu' | 'innLatin' | 'tradeNames' | 'atcCode' | 'opioidClass'> | null;

/** Lower case with `ё` = `е`, as names are compared elsewhere. */
function folded(text: string): string {
  return text.toLowerCase().replace(/ё/g, 'е');
}

/**
 * A typed medicament answers: its id exactly; an ATC code prefix (`N02A`); or every typed word starts a word of its
 * INN (Russian or Latin) or a trade name. Without the reference books only the id is compared.
 */
export function medicamentMatches(medicamentId: string, typed: string, lookup?: MedicamentLookup): boolean {
  const query = typed.trim();
  if (query === '' || query === medicamentId) return true;
  const medicament = lookup?.(medicamentId);
  if (!medicament) return medicamentId.includes(folded(query));
  if (/^[A-Za-z]\d{2}[A-Za-z0-9]*$/.test(query) && medicament.atcCode.startsWith(query.toUpperCase())) return true;
  const words = folded(`${medicament.innRu} ${medicament.innLatin} ${medicament.tradeNames.join(' ')}`).split(
    /[\s,+()-]+/,
  );
  return folded(query)
    .split(/\s+/)
    .every((part) => words.some((word) => word.startsWith(part)));
}

export function matchesPrescription(
  p: Prescription,
  filter: PrescriptionFilter,
  today: string,
  lookup?: MedicamentLookup,
): boolean {
  if (filter.prescriber !== undefined && p.prescriber !== filter.prescriber) return false;
  if (filter.status && !filter.status.includes(displayStatus(p, today))) return false;
  // Active interval [start, end] overlaps [from, to]; an open end runs on.
  if (filter.to !== undefined && p.start > filter.to) return false;
  if (filter.from !== undefined && p.end !== undefined && p.end < filter.from) return false;
  if (filter.medicament !== undefined && !medicamentMatches(p.medicamentId, filter.medicament, lookup)) return false;
  if (filter.opioid !== undefined && lookup?.(p.medicamentId)?.opioidClass !== filter.opioid) return false;
  return true;
}
