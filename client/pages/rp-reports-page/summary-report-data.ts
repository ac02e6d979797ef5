/**
 * The JSON summary report as the page reads it (server/reports/build-report.ts writes it): columns (the facilities
 * in the order asked, then the total), sections of lines with one cell per column, footnotes. Only what the page
 * shows is described here, and the answer is checked against it before anything is rendered — the server is
 * reworked on its own schedule, and a shape the page does not know is reported, not half drawn.
 */

export interface SummaryColumn {
  id: string;
  name: string;
}

export interface SummaryCell {
  /** Null when the cell is hidden for an analyst. */
  value: number | null;
  /** As printed: `12`, `1234,5`, `<5` or `x`. */
  shown: string;
  hidden?: 'small' | 'complementary';
}

export interface SummaryLine {
  key: string;
  label: string;
  unit: string;
  /** 0 a heading figure, 1 its breakdown, 2 a breakdown of that. */
  level: number;
  cells: SummaryCell[];
}

export interface SummarySection {
  key: string;
  title: string;
  lines: SummaryLine[];
}

export interface SummaryReportData {
  title: string;
  from: string;
  to: string;
  nextDays: number;
  suppressed: boolean;
  columns: SummaryColumn[];
  sections: SummarySection[];
  footnotes: string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isString = (value: unknown): value is string => typeof value === 'string';

function isCell(value: unknown): value is SummaryCell {
  if (!isRecord(value) || !isString(value.shown)) return false;
  if (value.value !== null && typeof value.value !== 'number') return false;
  return value.hidden === undefined || value.hidden === 'small' || value.hidden === 'complementary';
}

function isLine(value: unknown, columns: number): value is SummaryLine {
  return (
    isRecord(value) &&
    isString(value.key) &&
    isString(value.label) &&
    isString(value.unit) &&
    typeof value.level === 'number' &&
    Array.isArray(value.cells) &&
    value.cells.length === columns &&
    value.cells.every(isCell)
  );
}

function isSection(value: unknown, columns: number): value is SummarySection {
  return (
    isRecord(value) &&
    isString(value.key) &&
    isString(value.title) &&
    Array.isArray(value.lines) &&
    value.lines.every((line) => isLine(line, columns))
  );
}

function isColumn(value: unknown): value is SummaryColumn {
  return isRecord(value) && isString(value.id) && isString(value.name);
}

/** True when `value` is a summary report whose every line has one cell per column. */
export function isSummaryReportData(value: unknown): value is SummaryReportData {
  if (!isRecord(value) || !Array.isArray(value.columns) || !value.columns.every(isColumn)) return false;
  const columns = value.columns.length;
  return (
    isString(value.title) &&
    isString(value.from) &&
    isString(value.to) &&
    typeof value.nextDays === 'number' &&
    typeof value.suppressed === 'boolean' &&
    Array.isArray(value.sections) &&
    value.sections.every((section) => isSection(section, columns)) &&
    Array.isArray(value.footnotes) &&
    value.footnotes.every(isString)
  );
}
