/**
 * The facility design document's views, kept as plain JavaScript (one folder per view, `map.js`) because that is
 * what CouchDB and the embedded store run. `report_rows` serves the summary report (server/reports) and is
 * map-only on purpose: the embedded store keeps no reductions and re-reduces every grouped query from scratch
 * (540 ms at 10,000 documents), so a reduce would buy nothing there. Instead its keys are `[kind, date]`, so a
 * report reads a few key ranges bounded by its period and the service does the arithmetic on the compact rows.
 * The register's report cache (server/reports/cache/) runs this same map function over each changed document, so
 * the view and the cache cannot disagree about what a report may know; the cache is what reports read, because
 * even a bounded view query re-reads the range on the embedded store.
 */
import { readFileSync } from 'node:fs';

export const REPORT_VIEW = 'report_rows';

/** The kinds of row the report view emits, the first element of its keys. */
export type ReportRowKind = 'patient' | 'visit' | 'prescription';

/** The source of one view's map function, as stored in the design document. */
export function viewMapSource(view: string): string {
  return readFileSync(new URL(`./${view}/map.js`, import.meta.url), 'utf8').trim();
}

/** `views` of the facility design document. */
export function facilityViews(): Record<string, { map: string }> {
  return { [REPORT_VIEW]: { map: viewMapSource(REPORT_VIEW) } };
}
