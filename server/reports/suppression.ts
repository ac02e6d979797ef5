/**
 * Small-cell suppression for analysts (ARCHITECTURE.md, "Reports"). A count from 1 to 4 — and a sum built from 1
 * to 4 patients — is hidden ("primary"). Then, wherever figures add up (a breakdown and its total, the facility
 * columns and the total column), a sum with exactly one hidden cell would give that cell away by subtraction, so
 * a second cell of the same sum is hidden too ("complementary"): the smallest non-zero part, else the total, else
 * a zero part. Hiding a cell can expose another sum, so this repeats until no sum has exactly one hidden cell.
 */

export type Hidden = 'small' | 'complementary';

export interface GridCell {
  value: number;
  patients: number;
}

/** One line of figures: a cell per column, the total column last. */
export interface GridLine {
  key: string;
  cells: GridCell[];
}

/** Line `total` is the sum of lines `parts`, in every column. */
export interface LineRelation {
  total: string;
  parts: readonly string[];
}

/** A sum as cell coordinates: [line index, column index]. */
interface CellSum {
  total: [number, number];
  parts: [number, number][];
}

export function isSmall(cell: GridCell): boolean {
  return cell.patients >= 1 && cell.patients <= 4;
}

function sumsOf(lines: readonly GridLine[], relations: readonly LineRelation[]): CellSum[] {
  const index = new Map(lines.map((line, i) => [line.key, i]));
  const columns = lines[0]?.cells.length ?? 0;
  const sums: CellSum[] = [];
  for (const relation of relations) {
    const total = index.get(relation.total);
    const parts = relation.parts.map((key) => index.get(key));
    if (total === undefined || parts.some((part) => part === undefined)) continue;
    for (let column = 0; column < columns; column += 1) {
      sums.push({ total: [total, column], parts: (parts as number[]).map((part) => [part, column]) });
    }
  }
  if (columns > 1) {
    lines.forEach((_line, row) => {
      const parts: [number, number][] = [];
      for (let column = 0; column < columns - 1; column += 1) parts.push([row, column]);
      sums.push({ total: [row, columns - 1], parts });
    });
  }
  return sums;
}

/**
 * Which cells to hide: `hidden[line][column]` is null for a cell that is shown. Lines must all have the same
 * number of columns.
 */
export function suppressCells(lines: readonly GridLine[], relations: readonly LineRelation[]): (Hidden | null)[][] {
  const hidden: (Hidden | null)[][] = lines.map((line) => line.cells.map((cell) => (isSmall(cell) ? 'small' : null)));
  const valueAt = ([row, column]: [number, number]): number => lines[row]?.cells[column]?.value ?? 0;
  const isHidden = ([row, column]: [number, number]): boolean => (hidden[row]?.[column] ?? null) !== null;
  const sums = sumsOf(lines, relations);
  let changed = true;
  while (changed) {
    changed = false;
    for (const sum of sums) {
      const all = [sum.total, ...sum.parts];
      if (all.filter(isHidden).length !== 1) continue;
      const shownParts = sum.parts.filter((cell) => !isHidden(cell));
      const nonZero = shownParts.filter((cell) => valueAt(cell) !== 0).sort((a, b) => valueAt(a) - valueAt(b));
      const choice = nonZero[0] ?? (isHidden(sum.total) ? shownParts[0] : sum.total) ?? shownParts[0];
      if (!choice) continue;
      const row = hidden[choice[0]];
      if (row) row[choice[1]] = 'complementary';
      changed = true;
    }
  }
  return hidden;
}
