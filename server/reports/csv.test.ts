import { describe, expect, it } from 'vitest';
import type { SummaryReport } from './build-report.ts';
import { summaryCsv } from './csv.ts';
import { buildSummaryReport } from './build-report.ts';

const REPORT: SummaryReport = {
  title: 'Сводный отчёт',
  from: '2026-01-01',
  to: '2026-06-30',
  nextDays: 30,
  suppressed: true,
  columns: [
    { id: 'a', name: 'Хоспис; первый' },
    { id: 'total', name: 'Всего' },
  ],
  sections: [
    {
      key: 'opioids',
      title: 'Обезболивание',
      lines: [
        {
          key: 'ome-regular',
          label: 'Морфин, "регулярно"',
          kind: 'sum',
          unit: 'мг',
          level: 0,
          cells: [
            { value: null, shown: '<5', hidden: 'small' },
            { value: 1560.5, shown: '1560,5' },
          ],
        },
      ],
    },
  ],
  footnotes: ['<5 — скрыто.'],
};

describe('summary CSV', () => {
  it('opens with a BOM, separates with ";", quotes what needs it and ends lines with CRLF', () => {
    const csv = summaryCsv(REPORT);
    expect(csv.startsWith('\ufeffСводный отчёт\r\n')).toBe(true);
    expect(csv).toContain('\r\nРаздел;Показатель;Ед. изм.;"Хоспис; первый";Всего\r\n');
    expect(csv).toContain('\r\nОбезболивание;"Морфин, ""регулярно""";мг;<5;1560,5\r\n');
    expect(csv.endsWith('Примечание: <5 — скрыто.\r\n')).toBe(true);
  });
});

describe('summary report structure', () => {
  it('says how many rows of the wrong shape were left out', () => {
    const report = buildSummaryReport({
      period: { from: '2026-01-01', to: '2026-01-31', nextDays: 30 },
      facilities: [
        { id: 'a', name: 'А', rows: { facilityId: 'a', patients: [], visits: [], prescriptions: [], skipped: 2 } },
      ],
      medicaments: new Map(),
      suppressed: false,
    });
    expect(report.footnotes.at(-1)).toBe('Не учтено записей с неполными или неверными данными: 2.');
    expect(report.columns).toEqual([
      { id: 'a', name: 'А' },
      { id: 'total', name: 'Всего' },
    ]);
    expect(report.sections.find((section) => section.key === 'medicines')?.lines).toEqual([]);
  });
});
