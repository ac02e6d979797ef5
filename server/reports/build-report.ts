/**
 * Assembles the summary report from the figures: one column per facility in the order asked, then the total
 * column (computed over all of them together, so a transferred patient counts once), every line of the layout,
 * and — for analysts — small cells hidden with complementary suppression. CSV, JSON and PDF are all rendered from
 * this one structure, so they cannot disagree.
 */
import { computeFigures, type Figures, type ReportMedicament, type ReportPeriod, type TermsMemo } from './figures.ts';
import { dispensingUnit } from './medicine-quantity.ts';
import { reportRelations, reportSections, type LineSpec } from './report-layout.ts';
import type { FacilityRows } from './report-rows.ts';
import { suppressCells, type GridLine, type Hidden } from './suppression.ts';

export interface ReportColumn {
  /** A facility id, or `total`. */
  id: string;
  name: string;
}

export interface ReportCell {
  /** Null when hidden. */
  value: number | null;
  /** As printed: `12`, `1234,5`, `<5` or `x`. */
  shown: string;
  hidden?: Hidden;
}

export interface ReportLine extends LineSpec {
  cells: ReportCell[];
}

export interface ReportSection {
  key: string;
  title: string;
  lines: ReportLine[];
}

export interface SummaryReport {
  title: string;
  from: string;
  to: string;
  nextDays: number;
  /** Whether small cells are hidden (the reader is an analyst). */
  suppressed: boolean;
  columns: ReportColumn[];
  sections: ReportSection[];
  footnotes: string[];
}

export const REPORT_TITLE = 'Сводный отчёт регистра паллиативных пациентов';
export const TOTAL_COLUMN: ReportColumn = { id: 'total', name: 'Всего' };

const FORM_LABELS: Record<string, string> = {
  tablet: 'таблетки',
  'tablet-prolonged': 'таблетки пролонгированные',
  capsule: 'капсулы',
  'capsule-prolonged': 'капсулы пролонгированные',
  'oral-solution': 'раствор для приёма внутрь',
  syrup: 'сироп',
  injection: 'раствор для инъекций',
  infusion: 'раствор для инфузий',
  'transdermal-patch': 'пластырь трансдермальный',
};
const STRENGTH_UNITS: Record<string, string> = {
  mg: 'мг',
  ug: 'мкг',
  g: 'г',
  mg_per_ml: 'мг/мл',
  ug_per_ml: 'мкг/мл',
  ug_per_h: 'мкг/ч',
};

/** A number as Russian readers write it: a decimal comma, no grouping. */
export function formatNumber(value: number): string {
  return String(value).replace('.', ',');
}

function medicineLine(id: string, medicament: ReportMedicament | undefined): LineSpec {
  const label = medicament
    ? `${medicament.innRu}, ${FORM_LABELS[medicament.form] ?? medicament.form} ${formatNumber(medicament.strength)} ` +
      (STRENGTH_UNITS[medicament.strengthUnit] ?? medicament.strengthUnit)
    : id;
  const unit = medicament && dispensingUnit(medicament) === 'ml' ? 'мл' : 'шт.';
  return { key: `medicine:${id}`, label, kind: 'sum', unit, level: 0 };
}

function footnotes(suppressed: boolean): string[] {
  const notes = [
    'Пациент, записи о котором есть в нескольких организациях (перевод), в графе «Всего» учитывается один раз.',
    'Пероральный морфиновый эквивалент — по текущим коэффициентам справочника препаратов; препараты без ' +
      'коэффициента в суммы не входят и показаны отдельно («нет коэффициента»), а не как ноль.',
    'Потребность в препаратах — по назначениям, действующим в следующем периоде, у пациентов, состоящих в регистре ' +
      'на конец периода; пластыри — из расчёта смены раз в 72 часа.',
  ];
  if (suppressed) {
    notes.push(
      '<5 — значение от 1 до 4 скрыто; x — значение скрыто, чтобы скрытое нельзя было вычислить вычитанием из итогов; ' +
        'суммы (посещения, мг, количество препаратов), рассчитанные по числу пациентов менее 5, также скрыты.',
    );
  }
  return notes;
}

/** Rows of the wrong shape are left out of every figure, and the report says so rather than dropping them silently. */
function skippedNote(rows: readonly FacilityRows[]): string[] {
  const skipped = rows.reduce((sum, facility) => sum + facility.skipped, 0);
  return skipped === 0 ? [] : [`Не учтено записей с неполными или неверными данными: ${skipped}.`];
}

export interface ReportInput {
  period: ReportPeriod;
  /** In the order the columns should have. */
  facilities: { id: string; name: string; rows: FacilityRows }[];
  medicaments: ReadonlyMap<string, ReportMedicament>;
  suppressed: boolean;
}

export function buildSummaryReport(input: ReportInput): SummaryReport {
  const { period, medicaments } = input;
  const memo: TermsMemo = new WeakMap();
  const perFacility = input.facilities.map((facility) => computeFigures([facility.rows], medicaments, period, memo));
  const total = computeFigures(
    input.facilities.map((facility) => facility.rows),
    medicaments,
    period,
    memo,
  );
  const columns: Figures[] = [...perFacility, total];
  const medicineIds = new Set<string>();
  for (const figures of columns) {
    for (const key of figures.keys()) if (key.startsWith('medicine:')) medicineIds.add(key.slice('medicine:'.length));
  }
  const medicines = [...medicineIds]
    .map((id) => medicineLine(id, medicaments.get(id)))
    .sort((a, b) => a.label.localeCompare(b.label, 'ru'));
  const sections = reportSections(period.nextDays, medicines);
  const specs = sections.flatMap((section) => section.lines);
  const grid: GridLine[] = specs.map((spec) => ({
    key: spec.key,
    cells: columns.map((figures) => figures.get(spec.key) ?? { value: 0, patients: 0 }),
  }));
  const hidden = input.suppressed
    ? suppressCells(grid, reportRelations())
    : grid.map((line) => line.cells.map(() => null));
  const cellsOf = new Map<string, ReportCell[]>();
  grid.forEach((line, row) => {
    cellsOf.set(
      line.key,
      line.cells.map((cell, column) => {
        const kind = hidden[row]?.[column] ?? null;
        if (kind === null) return { value: cell.value, shown: formatNumber(cell.value) };
        return { value: null, shown: kind === 'small' ? '<5' : 'x', hidden: kind };
      }),
    );
  });
  return {
    title: REPORT_TITLE,
    from: period.from,
    to: period.to,
    nextDays: period.nextDays,
    suppressed: input.suppressed,
    columns: [...input.facilities.map(({ id, name }) => ({ id, name })), TOTAL_COLUMN],
    sections: sections.map((section) => ({
      key: section.key,
      title: section.title,
      lines: section.lines.map((spec) => ({ ...spec, cells: cellsOf.get(spec.key) ?? [] })),
    })),
    footnotes: [...footnotes(input.suppressed), ...skippedNote(input.facilities.map((facility) => facility.rows))],
  };
}
