/**
 * The report row of one facility document, worked out by the report view's own map function
 * (design-docs/facility/views/report_rows/map.js) and parsed by the same functions that parse the view's rows
 * (../report-rows.ts). The cache therefore holds exactly what the view would give for the document: there is one
 * definition of what a report may know about a document, and it carries no passport and no sealed field.
 *
 * The map function runs as the store runs it: source text compiled once in a context of its own that has only
 * `emit` and `log`.
 */
import vm from 'node:vm';
import { REPORT_VIEW, viewMapSource, type ReportRowKind } from '../../../design-docs/facility/views/index.ts';
import {
  parsePatientRow,
  parsePrescriptionRow,
  parseVisitRow,
  type PatientRow,
  type PrescriptionRow,
  type ViewRow,
  type VisitRow,
} from '../report-rows.ts';

export type DocumentRow =
  | { kind: 'patient'; row: PatientRow; key: string }
  | { kind: 'visit'; row: VisitRow }
  | { kind: 'prescription'; row: PrescriptionRow }
  /** The document emits a row, but of a shape the report leaves out (counted as skipped). */
  | { kind: 'skipped' };

/** The kinds of document the report reads; every other id (passports first of all) is never fetched. */
export const REPORT_KINDS: readonly ReportRowKind[] = ['patient', 'visit', 'prescription'];

/** Whether a document with this id can give a report row: `patient:`, `visit:`, `prescription:` and nothing else. */
export function isReportDocumentId(id: string): boolean {
  const kind = id.slice(0, id.indexOf(':'));
  return (REPORT_KINDS as readonly string[]).includes(kind);
}

type MapFunction = (doc: unknown) => void;

let emitted: [unknown, unknown][] = [];
let compiled: MapFunction | null = null;

function mapFunction(): MapFunction {
  if (compiled === null) {
    const context = vm.createContext({
      emit: (key: unknown, value: unknown) => void emitted.push([key, value]),
      log: () => undefined,
    });
    compiled = vm.runInContext(`(${viewMapSource(REPORT_VIEW)})`, context) as MapFunction;
  }
  return compiled;
}

/**
 * The report row of a document, or null when it emits none (a passport, an audit event, a design document, a type
 * its id does not name). `key` of a patient row is the date of its view key: the last day the record can matter,
 * '9999-12-31' while it is open. The map function only reads the document; what it emits is copied field by field
 * by the parsers, so nothing of its context is kept.
 */
export function documentRow(doc: unknown): DocumentRow | null {
  const id: unknown = typeof doc === 'object' && doc !== null ? (doc as { _id?: unknown })._id : undefined;
  if (typeof id !== 'string') return null;
  const run = mapFunction();
  emitted = [];
  run(doc);
  const first = emitted[0];
  emitted = [];
  if (first === undefined) return null;
  const [key, value] = first;
  const view: ViewRow = { id, key, value };
  const kind: unknown = Array.isArray(key) ? key[0] : null;
  if (kind === 'patient') {
    const row = parsePatientRow(view);
    const date: unknown = (key as unknown[])[1];
    return row ? { kind, row, key: typeof date === 'string' ? date : '' } : { kind: 'skipped' };
  }
  if (kind === 'visit') {
    const row = parseVisitRow(view);
    return row ? { kind, row } : { kind: 'skipped' };
  }
  if (kind === 'prescription') {
    const row = parsePrescriptionRow(view);
    return row ? { kind, row } : { kind: 'skipped' };
  }
  return { kind: 'skipped' };
}
