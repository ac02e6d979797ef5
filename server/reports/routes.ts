/**
 * `GET /api/reports/summary?from&to&facilities&format&nextDays` — the ministry's summary report. The handler
 * checks the session and the query (400 naming the parameter, 403 for a facility the caller may not see), reads
 * the report views of each facility as the server's administrator, builds the report and sends it as JSON, CSV
 * or PDF. It never reads a passport.
 */
import express, { type NextFunction, type Request, type RequestHandler, type Response, type Router } from 'express';
import type { StoreClient } from '../store-client.ts';
import type { SessionLocals } from '../gateway/gateway.ts';
import { buildSummaryReport, type SummaryReport } from './build-report.ts';
import { summaryCsv } from './csv.ts';
import { summaryPdf } from './pdf.ts';
import { readFacilityNames, readFacilityRows, readMedicaments } from './read-rows.ts';
import { parseSummaryQuery, reportAccess } from './summary-params.ts';

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
  const [medicaments, rows] = await Promise.all([
    readMedicaments(store),
    Promise.all(access.facilities.map((id) => readFacilityRows(store, id, parsed.period))),
  ]);
  const report = buildSummaryReport({
    period: parsed.period,
    facilities: access.facilities.map((id, index) => ({
      id,
      name: names.find((facility) => facility.id === id)?.name ?? id,
      rows: rows[index] ?? { facilityId: id, patients: [], visits: [], prescriptions: [], skipped: 0 },
    })),
    medicaments,
    suppressed: access.suppressed,
  });
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
