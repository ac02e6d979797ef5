import { describe, expect, it } from 'vitest';
import { suppressCells, type GridLine, type LineRelation } from './suppression.ts';

/** Lines from counts: every cell's value is its number of patients. */
function counts(table: Record<string, number[]>): GridLine[] {
  return Object.entries(table).map(([key, values]) => ({
    key,
    cells: values.map((value) => ({ value, patients: value })),
  }));
}

function shown(lines: GridLine[], relations: LineRelation[]): Record<string, string[]> {
  const hidden = suppressCells(lines, relations);
  return Object.fromEntries(
    lines.map((line, row) => [
      line.key,
      line.cells.map((cell, column) => {
        const kind = hidden[row]?.[column];
        return kind === 'small' ? '<5' : kind === 'complementary' ? 'x' : String(cell.value);
      }),
    ]),
  );
}

describe('small-cell suppression', () => {
  it('leaves a table without small cells alone', () => {
    expect(shown(counts({ all: [30], a: [10], b: [20] }), [{ total: 'all', parts: ['a', 'b'] }])).toEqual({
      all: ['30'],
      a: ['10'],
      b: ['20'],
    });
  });

  it('hides a second part so the small one cannot be subtracted from the total', () => {
    const result = shown(counts({ all: [40], a: [3], b: [12], c: [25] }), [{ total: 'all', parts: ['a', 'b', 'c'] }]);
    expect(result).toEqual({ all: ['40'], a: ['<5'], b: ['x'], c: ['25'] });
  });

  it('prefers the smallest non-zero part, and never counts a zero as small', () => {
    const result = shown(counts({ all: [30], a: [0], b: [2], c: [9], d: [19] }), [
      { total: 'all', parts: ['a', 'b', 'c', 'd'] },
    ]);
    expect(result).toEqual({ all: ['30'], a: ['0'], b: ['<5'], c: ['x'], d: ['19'] });
  });

  it('hides the total when a small part has no other part to pair with', () => {
    expect(shown(counts({ all: [7], a: [0], b: [3] }), [{ total: 'all', parts: ['a', 'b'] }])).toMatchObject({
      all: ['x'],
      b: ['<5'],
    });
  });

  it('protects across columns too: facilities add up to the total column', () => {
    const result = shown(counts({ deaths: [2, 11, 20, 33] }), []);
    expect(result).toEqual({ deaths: ['<5', 'x', '20', '33'] });
  });

  it('repeats until no sum has exactly one hidden cell', () => {
    const lines = counts({ all: [20, 25, 45], a: [3, 10, 13], b: [17, 15, 32] });
    const relations = [{ total: 'all', parts: ['a', 'b'] }];
    const hidden = suppressCells(lines, relations);
    const isHidden = (row: number, column: number): boolean => (hidden[row]?.[column] ?? null) !== null;
    for (let column = 0; column < 3; column += 1) {
      expect([0, 1, 2].filter((row) => isHidden(row, column)).length).not.toBe(1);
    }
    for (let row = 0; row < 3; row += 1) {
      expect([0, 1, 2].filter((column) => isHidden(row, column)).length).not.toBe(1);
    }
  });

  it('hides a sum built from fewer than five patients, whatever its size', () => {
    const lines: GridLine[] = [
      {
        key: 'mg',
        cells: [
          { value: 1560, patients: 3 },
          { value: 9000, patients: 40 },
          { value: 10560, patients: 43 },
        ],
      },
    ];
    expect(shown(lines, [])).toEqual({ mg: ['<5', 'x', '10560'] });
  });
});
