import { assert, expect, html } from '@open-wc/testing';
import './rp-scales-chart.ts';
import { scaleSeries, type RpScalesChart } from './rp-scales-chart.ts';
import { visit } from '../../../common/records/test-fixtures.ts';
import type { Visit } from '../../../common/records/types.ts';
import { $, render, textOf } from '../rp-patient-file/testing/care-fixtures.ts';

function visitOn(date: string, scores: Partial<Pick<Visit, 'ecog' | 'pps' | 'pain'>>): Visit {
  const base: Visit = { ...visit(), _id: `visit-${date}`, date };
  delete base.ecog;
  delete base.pps;
  delete base.pain;
  delete base.karnofsky;
  return { ...base, ...scores };
}

const VISITS = [
  visitOn('2026-11-20', { ecog: 3, pps: 40, pain: 6 }),
  visitOn('2026-11-01', { ecog: 2, pps: 60, pain: 3 }),
  visitOn('2026-11-10', { pain: 5 }),
];

async function setup(visits: Visit[]): Promise<RpScalesChart> {
  return render<RpScalesChart>(html`<rp-scales-chart .visits=${visits}></rp-scales-chart>`, 'rp-scales-chart');
}

describe('rp-scales-chart', () => {
  it('orders each scale by date and leaves out visits that did not score it', () => {
    assert.deepEqual(scaleSeries(VISITS, 'pain'), [
      { date: '2026-11-01', value: 3 },
      { date: '2026-11-10', value: 5 },
      { date: '2026-11-20', value: 6 },
    ]);
    assert.deepEqual(
      scaleSeries(VISITS, 'ecog').map((point) => point.value),
      [2, 3],
    );
  });

  it('draws ECOG, PPS and pain as images with a title and a description', async () => {
    const chart = await setup(VISITS);
    for (const scale of ['ecog', 'pps', 'pain']) {
      const svg = $(chart, `#chart-${scale}`);
      assert.equal(svg.getAttribute('role'), 'img');
      assert.equal(svg.getAttribute('aria-labelledby'), `${scale}-title ${scale}-desc`);
    }
    assert.equal(chart.shadowRoot?.querySelectorAll('#chart-pain circle').length, 3);
    assert.equal(chart.shadowRoot?.querySelectorAll('#chart-ecog circle').length, 2);
    assert.equal($(chart, '#pain-desc').textContent, 'Оценок: 3. Первая — 3 (01.11.2026), последняя — 6 (20.11.2026).');
    await expect(chart).to.be.accessible();
  });

  it('gives screen readers the numbers as a table, a dash where a scale was not scored', async () => {
    const chart = await setup(VISITS);
    const rows = [...(chart.shadowRoot?.querySelectorAll('#scales-table tbody tr') ?? [])].map((row) =>
      [...row.children].map((cell) => cell.textContent?.trim()),
    );
    assert.deepEqual(rows, [
      ['01.11.2026', '2', '60', '3'],
      ['10.11.2026', '—', '—', '5'],
      ['20.11.2026', '3', '40', '6'],
    ]);
  });

  it('says so when no scale was ever scored', async () => {
    const chart = await setup([]);
    assert.equal(textOf(chart), 'Шкалы ещё не оценивались.');
    await expect(chart).to.be.accessible();
  });
});
