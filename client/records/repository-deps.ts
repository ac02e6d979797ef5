/**
 * What a `FacilityRepository` is made from, and its named error for closed records; apart from
 * facility-repository.ts so that the repository itself stays one readable file (it re-exports both).
 */
import type { ReferenceLookups } from '../../common/records/checks.ts';
import type { FacilityDatabase } from './facility-database.ts';
import type { FacilityKeySource } from './facility-sealer.ts';
import type { MedicamentLookup } from './prescription-filter.ts';

export interface FacilityRepositoryDeps {
  facilityId: string;
  /** The signed-in member. */
  login: string;
  /** Their CouchDB roles (`doctor`, `nurse`, `facility:<id>`…). */
  roles: readonly string[];
  /** The local replica of `facility-<id>` (local-databases.ts names it). */
  db: FacilityDatabase;
  keys: FacilityKeySource;
  /** The device's date, `YYYY-MM-DD` (from `now` unless given). */
  today?: () => string;
  now?: () => Date;
  /** A random device label for audit events (never a name). */
  device?: string;
  /** What the reference books know, for checks of diagnoses, districts and medicaments. */
  lookups?: ReferenceLookups;
  /** Medicaments of the reference books, for prescription filters by name, ATC code and opioid class. */
  medicamentOf?: MedicamentLookup;
  /**
   * Whether to keep the sealed search snapshot in a `_local` document (default true; open-records.ts). A tool that
   * writes into a database it uploads elsewhere turns it off.
   */
  searchSnapshot?: boolean;
}

/** The records are closed (locked): nothing decrypted is held, so nothing can be listed or opened. */
export class RecordsClosedError extends Error {
  override name = 'RecordsClosedError';
  constructor() {
    super('The facility records are closed; open them after unlocking.');
  }
}

/** `YYYY-MM-DD` of a date in the device's time zone. */
export function localDate(date: Date): string {
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
