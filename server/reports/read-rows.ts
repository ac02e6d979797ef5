/**
 * Reads what a summary report needs from the store, as the server's administrator: the medicaments of the
 * reference book, the facilities' names and — where no report cache runs (cache/report-cache.ts) — the report views
 * of each facility database over key ranges bounded by the period (design-docs/facility/views/). Never a passport,
 * never a whole database.
 */
import type { StoreClient } from '../store-client.ts';
import { REFERENCE_DB } from '../../couch/databases.ts';
import { facilityDatabase } from '../../common/roles.ts';
import { DESIGN_DOC_ID } from '../../design-docs/index.ts';
import { REPORT_VIEW, type ReportRowKind } from '../../design-docs/facility/views/index.ts';
import { addDays } from './dates.ts';
import type { ReportMedicament, ReportPeriod } from './figures.ts';
import {
  parsePatientRow,
  parsePrescriptionRow,
  parseVisitRow,
  type FacilityRows,
  type ViewRow,
} from './report-rows.ts';

export interface FacilityName {
  id: string;
  name: string;
  active: boolean;
}

/** The rows of one kind whose date key lies from `from` to `to` (both included). */
async function viewRows(
  store: StoreClient,
  facilityId: string,
  kind: ReportRowKind,
  from: string,
  to = '9999-12-31',
): Promise<ViewRow[]> {
  const range =
    `startkey=${encodeURIComponent(JSON.stringify([kind, from]))}` +
    `&endkey=${encodeURIComponent(JSON.stringify([kind, to]))}`;
  const path = `/${facilityDatabase(facilityId)}/${DESIGN_DOC_ID}/_view/${REPORT_VIEW}?${range}`;
  const result = await store.expect<{ rows: ViewRow[] }>('GET', path, undefined);
  return result.body.rows;
}

/** Rows of one facility for a period: records and prescriptions that can matter on or after `from`, visits to `to`+2. */
export async function readFacilityRows(
  store: StoreClient,
  facilityId: string,
  period: ReportPeriod,
): Promise<FacilityRows> {
  const [patientRows, visitRows, prescriptionRows] = await Promise.all([
    viewRows(store, facilityId, 'patient', period.from),
    viewRows(store, facilityId, 'visit', period.from, addDays(period.to, 2)),
    viewRows(store, facilityId, 'prescription', period.from),
  ]);
  const patients = patientRows.map(parsePatientRow);
  const visits = visitRows.map(parseVisitRow);
  const prescriptions = prescriptionRows.map(parsePrescriptionRow);
  const present = <T>(row: T | null): row is T => row !== null;
  const kept = {
    patients: patients.filter(present),
    visits: visits.filter(present),
    prescriptions: prescriptions.filter(present),
  };
  const read = patients.length + visits.length + prescriptions.length;
  const used = kept.patients.length + kept.visits.length + kept.prescriptions.length;
  return { facilityId, ...kept, skipped: read - used };
}

async function referenceRange(store: StoreClient, prefix: string): Promise<unknown[]> {
  const range =
    `startkey=${encodeURIComponent(JSON.stringify(prefix))}` +
    `&endkey=${encodeURIComponent(JSON.stringify(prefix + '\ufff0'))}`;
  const result = await store.expect<{ rows: { doc?: unknown }[] }>(
    'GET',
    `/${REFERENCE_DB}/_all_docs?include_docs=true&${range}`,
    undefined,
  );
  return result.body.rows.map((row) => row.doc);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Every medicament of the reference book (deactivated ones too: old prescriptions refer to them), by id. */
export async function readMedicaments(store: StoreClient): Promise<Map<string, ReportMedicament>> {
  const medicaments = new Map<string, ReportMedicament>();
  for (const doc of await referenceRange(store, 'medicament:')) {
    if (!isObject(doc) || doc.type !== 'medicament' || typeof doc._id !== 'string') continue;
    medicaments.set(doc._id, doc as unknown as ReportMedicament);
  }
  return medicaments;
}

/** The facilities of the reference book. */
export async function readFacilityNames(store: StoreClient): Promise<FacilityName[]> {
  const facilities: FacilityName[] = [];
  for (const doc of await referenceRange(store, 'facility:')) {
    if (!isObject(doc) || doc.type !== 'facility' || typeof doc.id !== 'string') continue;
    facilities.push({
      id: doc.id,
      name: typeof doc.name === 'string' ? doc.name : doc.id,
      active: doc.active === true,
    });
  }
  return facilities;
}

/**
 * Brings the report view of each facility up to date without reading a row. The embedded store builds a view only
 * when it is queried — at 19,000 documents the first build takes about half a minute — so calling this after
 * start-up and then every few minutes keeps a report's own query short.
 */
export async function refreshReportViews(store: StoreClient, facilityIds: readonly string[]): Promise<void> {
  for (const id of facilityIds) {
    await store.expect('GET', `/${facilityDatabase(id)}/${DESIGN_DOC_ID}/_view/${REPORT_VIEW}?limit=0`, undefined);
  }
}
