/**
 * The summary report measured as an analyst reads it — `GET /api/reports/summary?…&format=json` through the
 * gateway — cold (the first request after loading) and warm, against the naive alternative: read every document
 * of every facility database (`_all_docs?include_docs=true`, paged, as the server's administrator, the way a
 * report without views or aggregates would) and compute the same report with the report's own functions: the
 * design document's map function over each document, the row parsers and `buildSummaryReport`. The naive report
 * is compared with the served one, so the ratio is between two ways of getting the same figures.
 */
import vm from 'node:vm';
import { facilityDatabase } from '../../common/roles.ts';
import { REPORT_VIEW, viewMapSource } from '../../design-docs/facility/views/index.ts';
import { buildSummaryReport, type SummaryReport } from '../../server/reports/build-report.ts';
import { addDays } from '../../server/reports/dates.ts';
import type { ReportPeriod } from '../../server/reports/figures.ts';
import { readFacilityNames, readMedicaments } from '../../server/reports/read-rows.ts';
import {
  parsePatientRow,
  parsePrescriptionRow,
  parseVisitRow,
  type FacilityRows,
  type ViewRow,
} from '../../server/reports/report-rows.ts';
import type { StoreClient } from '../../server/store-client.ts';

/** One timed request for the report as `cookie`'s user; returns its duration and the report. */
export async function timedReport(
  baseUrl: string,
  cookie: string,
  query: string,
): Promise<{ ms: number; report: SummaryReport }> {
  const started = performance.now();
  const response = await fetch(`${baseUrl}/api/reports/summary?${query}&format=json`, {
    headers: { cookie, accept: 'application/json' },
  });
  const text = await response.text();
  const ms = performance.now() - started;
  if (!response.ok) throw new Error(`the summary report answered ${response.status}: ${text.slice(0, 300)}`);
  return { ms, report: JSON.parse(text) as SummaryReport };
}

type MapFunction = (doc: unknown) => void;

/** The report view's map function, compiled once in a context with only `emit` and `log`, as the store runs it. */
function reportMap(emitted: ViewRow[], current: { id: string }): MapFunction {
  const context = vm.createContext({
    emit: (key: unknown, value: unknown) => emitted.push({ id: current.id, key, value }),
    log: () => undefined,
  });
  return vm.runInContext(`(${viewMapSource(REPORT_VIEW)})`, context) as MapFunction;
}

/** What the view-based reading keeps (server/reports/read-rows.ts): rows whose date key can matter for `period`. */
function inRange(row: ViewRow, period: ReportPeriod): boolean {
  const [kind, date] = Array.isArray(row.key) ? (row.key as unknown[]) : [];
  if (typeof date !== 'string') return false;
  if (kind === 'visit') return date >= period.from && date <= addDays(period.to, 2);
  return (kind === 'patient' || kind === 'prescription') && date >= period.from;
}

/** Every document of one facility database, mapped and parsed as the report reads its rows. */
async function scanFacility(
  store: StoreClient,
  facilityId: string,
  period: ReportPeriod,
): Promise<{ rows: FacilityRows; scanned: number }> {
  let scanned = 0;
  const emitted: ViewRow[] = [];
  const current = { id: '' };
  const map = reportMap(emitted, current);
  let startkey: string | null = null;
  for (;;) {
    const page: string =
      `/${facilityDatabase(facilityId)}/_all_docs?include_docs=true&limit=5001` +
      (startkey === null ? '' : `&startkey=${encodeURIComponent(JSON.stringify(startkey))}`);
    const rows = (await store.expect<{ rows: { id: string; doc?: unknown }[] }>('GET', page, undefined)).body.rows;
    const kept = rows.length > 5000 ? rows.slice(0, 5000) : rows;
    for (const row of kept) {
      if (row.id.startsWith('_design/') || row.doc === undefined) continue;
      current.id = row.id;
      scanned += 1;
      map(row.doc);
    }
    if (rows.length <= 5000) break;
    startkey = (rows[5000] as { id: string }).id;
  }
  const rows = emitted.filter((row) => inRange(row, period));
  const byKind = (kind: string): ViewRow[] => rows.filter((row) => (row.key as unknown[])[0] === kind);
  const present = <T>(row: T | null): row is T => row !== null;
  const patients = byKind('patient').map(parsePatientRow);
  const visits = byKind('visit').map(parseVisitRow);
  const prescriptions = byKind('prescription').map(parsePrescriptionRow);
  const kept = {
    patients: patients.filter(present),
    visits: visits.filter(present),
    prescriptions: prescriptions.filter(present),
  };
  const skipped = rows.length - kept.patients.length - kept.visits.length - kept.prescriptions.length;
  return { rows: { facilityId, ...kept, skipped }, scanned };
}

/** The naive report: every document read and mapped, then the same report built as the analyst would get it. */
export async function naiveReport(
  store: StoreClient,
  facilityIds: readonly string[],
  period: ReportPeriod,
): Promise<{ ms: number; report: SummaryReport; documents: number }> {
  const started = performance.now();
  const names = await readFacilityNames(store);
  const medicaments = await readMedicaments(store);
  const facilities: { id: string; name: string; rows: FacilityRows }[] = [];
  let documents = 0;
  for (const id of facilityIds) {
    const scan = await scanFacility(store, id, period);
    documents += scan.scanned;
    facilities.push({ id, name: names.find((name) => name.id === id)?.name ?? id, rows: scan.rows });
  }
  const report = buildSummaryReport({ period, facilities, medicaments, suppressed: true });
  return { ms: performance.now() - started, report, documents };
}

/** Whether two reports show the same cells (titles and footnotes aside). */
export function sameFigures(a: SummaryReport, b: SummaryReport): boolean {
  const cells = (report: SummaryReport): string =>
    JSON.stringify({
      columns: report.columns.map((column) => column.id),
      lines: report.sections.flatMap((section) =>
        section.lines.map((line) => [line.key, line.cells.map((cell) => cell.shown)]),
      ),
    });
  return cells(a) === cells(b);
}
