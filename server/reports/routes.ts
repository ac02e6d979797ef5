/**
 * `GET /api/reports/summary?from&to&facilities&format&nextDays` — the ministry's summary report. The handler
 * checks the session and the query (400 naming the parameter, 403 for a facility the caller may not see), takes
 * the rows of each facility from the register's report cache (cache/report-cache.ts, caught up with the store
 * first) — or, for a store without one, from the report view as the server's administrator — builds the report
 * and sends it as JSON, CSV or PDF. It never reads a passport.
 */
import express, { type NextFunction, type Request, type RequestHandler, type Response, type Router } from 'express';
import type { StoreClient } from '../store-client.ts';
import type { FacilityRows } from './report-rows.ts';
import type { SessionLocals } from '../gateway/gateway.ts';
import { buildSummaryReport, type SummaryReport } from './build-report.ts';
import { summaryCsv } from './csv.ts';
import { summaryPdf } from './pdf.ts';
import { readFacilityNames, readFacilityRows, readMedicaments } from './read-rows.ts';
import { parseSummaryQuery, reportAccess } from './summary-params.ts';
import { reportCacheOf } from './cache/report-cache.ts';

/** Reports built lately, by everything they depend on; a report asked for again unchanged is not computed again. */
const recentReports = new WeakMap<StoreClient, Map<string, SummaryReport>>();
const RECENT_REPORTS = 16;

function remembered(store: StoreClient): Map<string, SummaryReport> {
  let recent = recentReports.get(store);
  if (!recent) recentReports.set(store, (recent = new Map()));
  return recent;
}

/** Builds the report for a caller with `roles` from a parsed query string. */
export async function summaryReportFor(
  store: StoreClient,
  roles: readonly string[],
  query: Record<string, unknown>,
): Promise<{ report: SummaryReport; format: 'json' | 'csv' | 'pdf' }> {
  const parsed = parseSummaryQuery(query);
  const names = await readFacilityNames(store);
  const access = reportAccess(
    roles,
    parsed.facilities,
    names.map((facility) => facility.id),
  );
  const cache = reportCacheOf(store);
  const [medicaments, viewRows] = await Promise.all([
    readMedicaments(store),
    cache
      ? cache.catchUp(access.facilities).then(() => null)
      : Promise.all(access.facilities.map((id) => readFacilityRows(store, id, parsed.period))),
  ]);
  const columns = access.facilities.map((id) => ({ id, name: names.find((f) => f.id === id)?.name ?? id }));
  const input = (rows: FacilityRows[]) => ({
    period: parsed.period,
    facilities: columns.map((column, index) => ({
      ...column,
      rows: rows[index] ?? { facilityId: column.id, patients: [], visits: [], prescriptions: [], skipped: 0 },
    })),
    medicaments,
    suppressed: access.suppressed,
  });
  if (!cache) return { report: buildSummaryReport(input(viewRows ?? [])), format: parsed.format };
  // From here to the end nothing waits, so the rows cannot change between reading their versions and using them.
  const key = JSON.stringify([
    parsed.period,
    columns,
    access.suppressed,
    cache.versions(access.facilities),
    [...medicaments.values()].map((medicament) => (medicament as { _rev?: string })._rev ?? medicament._id),
  ]);
  const recent = remembered(store);
  let report = recent.get(key);
  if (!report) {
    report = buildSummaryReport(input(cache.rowsHeld(access.facilities, parsed.period)));
    recent.set(key, report);
    for (const old of recent.keys()) if (recent.size > RECENT_REPORTS) recent.delete(old);
  }
  return { report, format: parsed.format };
}

function fileName(report: SummaryReport, extension: string): string {
  return `summary-${report.from}-${report.to}.${extension}`;
}

export function createReportRoutes(store: StoreClient, session: RequestHandler): Router {
  const router = express.Router();
  router.get('/summary', session, (req: Request, res: Response, next: NextFunction) => {
    const { user } = res.locals.session as SessionLocals;
    summaryReportFor(store, user.roles, req.query as Record<string, unknown>)
      .then(async ({ report, format }) => {
        res.setHeader('cache-control', 'no-store');
        if (format === 'json') {
          res.json(report);
        } else if (format === 'csv') {
          res.setHeader('content-disposition', `attachment; filename="${fileName(report, 'csv')}"`);
          res.type('text/csv; charset=utf-8').send(summaryCsv(report));
        } else {
          const pdf = await summaryPdf(report);
          res.setHeader('content-disposition', `attachment; filename="${fileName(report, 'pdf')}"`);
          res.type('application/pdf').send(pdf);
        }
      })
      .catch(next);
  });
  return router;
}
