/**
 * ECOG, PPS and pain over time, from a patient's visits: three small line charts drawn as inline SVG (no chart
 * library — the register is offline-first and every kilobyte is precached), one per scale so each keeps its own
 * range and direction. Each chart is an image with a title and a description that says the first and latest value;
 * the same numbers are in a table for screen readers, which read tables better than drawings.
 */
import { LitElement, css, html, nothing, svg } from 'lit';
import { I18nController } from '../../app/service-controller.ts';
import type { Visit } from '../../../common/records/types.ts';
import { daysBetween, formatDate } from '../rp-patient-file/care-dates.ts';
import { sharedStyles } from '../../styles/shared.styles.ts';
import { adminStyles } from '../../admin/admin.styles.ts';

type ScaleId = 'ecog' | 'pps' | 'pain';

const SCALES: readonly { id: ScaleId; max: number; ticks: number[] }[] = [
  { id: 'ecog', max: 4, ticks: [0, 1, 2, 3, 4] },
  { id: 'pps', max: 100, ticks: [0, 50, 100] },
  { id: 'pain', max: 10, ticks: [0, 5, 10] },
];

const WIDTH = 320;
const HEIGHT = 120;
const PAD = { left: 34, right: 10, top: 10, bottom: 24 };

export interface ScalePoint {
  date: string;
  value: number;
}

/** The visits that scored `scale`, oldest first (several on one day stay in the order given). */
export function scaleSeries(visits: readonly Visit[], scale: ScaleId): ScalePoint[] {
  return visits
    .filter((visit) => typeof visit[scale] === 'number')
    .map((visit) => ({ date: visit.date, value: visit[scale] ?? 0 }))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

export class RpScalesChart extends LitElement {
  static override styles = [
    sharedStyles,
    adminStyles,
    css`
      .charts {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr));
        gap: 1rem;
      }
      figure {
        margin: 0;
      }
      figcaption {
        font-weight: 600;
        margin: 0 0 0.3rem;
      }
      svg {
        width: 100%;
        height: auto;
        overflow: visible;
      }
      .axis {
        stroke: var(--rp-border, #6b7780);
        stroke-width: 1;
      }
      .grid {
        stroke: var(--rp-border-light, #d5dbe0);
        stroke-width: 1;
      }
      .line {
        fill: none;
        stroke: var(--rp-primary, #0b5c63);
        stroke-width: 2.5;
      }
      .point {
        fill: var(--rp-primary, #0b5c63);
      }
      text {
        font-size: 11px;
        fill: var(--rp-text-muted, #4a555e);
      }
    `,
  ];
  static override properties = {
    visits: { attribute: false },
  };

  declare visits: readonly Visit[];
  readonly #i18n = new I18nController(this);

  constructor() {
    super();
    this.visits = [];
  }

  override render() {
    const t = this.#i18n.t.bind(this.#i18n);
    const scored = this.visits.filter((v) => SCALES.some((scale) => typeof v[scale.id] === 'number'));
    if (scored.length === 0) return html`<p class="muted">${t('care.chart.empty')}</p>`;
    const dates = scored.map((v) => v.date).sort();
    const first = dates[0] ?? '';
    const last = dates[dates.length - 1] ?? first;
    return html`
      <div class="charts">${SCALES.map((scale) => this.#chart(scale, first, last))}</div>
      ${this.#table(scored)}
    `;
  }

  #chart(scale: (typeof SCALES)[number], first: string, last: string) {
    const t = this.#i18n.t.bind(this.#i18n);
    const locale = this.#i18n.value?.locale ?? 'ru';
    const name = t(`care.chart.${scale.id}`);
    const points = scaleSeries(this.visits, scale.id);
    const span = Math.max(daysBetween(first, last), 1);
    const x = (date: string) =>
      points.length === 1 && first === last
        ? (PAD.left + WIDTH - PAD.right) / 2
        : PAD.left + (daysBetween(first, date) / span) * (WIDTH - PAD.left - PAD.right);
    const y = (value: number) => PAD.top + (1 - value / scale.max) * (HEIGHT - PAD.top - PAD.bottom);
    const description =
      points.length === 0
        ? t('care.chart.noValues')
        : t('care.chart.description', {
            count: points.length,
            first: points[0]?.value ?? 0,
            firstDate: formatDate(points[0]?.date ?? '', locale),
            last: points[points.length - 1]?.value ?? 0,
            lastDate: formatDate(points[points.length - 1]?.date ?? '', locale),
          });
    const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.date).toFixed(1)},${y(p.value).toFixed(1)}`);
    return html`<figure>
      <figcaption aria-hidden="true">${name}</figcaption>
      <svg
        viewBox="0 0 ${WIDTH} ${HEIGHT}"
        role="img"
        aria-labelledby="${scale.id}-title ${scale.id}-desc"
        id="chart-${scale.id}"
      >
        <title id="${scale.id}-title">${name}</title>
        <desc id="${scale.id}-desc">${description}</desc>
        ${scale.ticks.map(
          (tick) => svg`<line class="grid" x1=${PAD.left} x2=${WIDTH - PAD.right} y1=${y(tick)} y2=${y(tick)}></line>
            <text x=${PAD.left - 6} y=${y(tick) + 4} text-anchor="end">${tick}</text>`,
        )}
        <line class="axis" x1=${PAD.left} x2=${PAD.left} y1=${PAD.top} y2=${HEIGHT - PAD.bottom}></line>
        <text x=${PAD.left} y=${HEIGHT - 6}>${formatDate(first, locale)}</text>
        ${
          first === last
            ? nothing
            : svg`<text x=${WIDTH - PAD.right} y=${HEIGHT - 6} text-anchor="end">${formatDate(last, locale)}</text>`
        }
        ${points.length > 1 ? svg`<path class="line" d=${path.join(' ')}></path>` : nothing}
        ${points.map((p) => svg`<circle class="point" cx=${x(p.date)} cy=${y(p.value)} r="4"></circle>`)}
      </svg>
    </figure>`;
  }

  #table(visits: readonly Visit[]) {
    const t = this.#i18n.t.bind(this.#i18n);
    const locale = this.#i18n.value?.locale ?? 'ru';
    const rows = [...visits].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    const cell = (value: number | undefined) => (value === undefined ? '—' : String(value));
    return html`<table class="visually-hidden" id="scales-table">
      <caption>
        ${t('care.chart.tableCaption')}
      </caption>
      <thead>
        <tr>
          <th scope="col">${t('care.visit.date')}</th>
          ${SCALES.map((scale) => html`<th scope="col">${t(`care.chart.${scale.id}`)}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (visit) =>
            html`<tr>
              <th scope="row">${formatDate(visit.date, locale)}</th>
              ${SCALES.map((scale) => html`<td>${cell(visit[scale.id])}</td>`)}
            </tr>`,
        )}
      </tbody>
    </table>`;
  }
}

customElements.define('rp-scales-chart', RpScalesChart);

declare global {
  interface HTMLElementTagNameMap {
    'rp-scales-chart': RpScalesChart;
  }
}
