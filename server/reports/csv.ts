/**
 * The summary report as CSV the way Russian spreadsheets open it without a wizard: UTF-8 with a byte-order mark,
 * `;` between fields, decimal commas, CRLF line ends, Russian headers. One row per line of the report, the same
 * cells as JSON and PDF (`<5` and `x` where hidden), then the footnotes.
 */
import type { SummaryReport } from './build-report.ts';

const BOM = '\ufeff';

function field(value: string): string {
  return /[;"\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export const CSV_HEADERS = ['Раздел', 'Показатель', 'Ед. изм.'] as const;

export function summaryCsv(report: SummaryReport): string {
  const rows: string[][] = [
    [report.title],
    [`Период: ${report.from} — ${report.to}`],
    [],
    [...CSV_HEADERS, ...report.columns.map((column) => column.name)],
  ];
  for (const section of report.sections) {
    for (const line of section.lines) {
      rows.push([section.title, line.label, line.unit, ...line.cells.map((cell) => cell.shown)]);
    }
  }
  rows.push([]);
  for (const note of report.footnotes) rows.push([`Примечание: ${note}`]);
  return BOM + rows.map((row) => row.map(field).join(';')).join('\r\n') + '\r\n';
}
