/**
 * The figures of a JSON summary report as tables: one per section, a row per indicator, a column per facility and
 * the total. The labels are the report's own (Russian, as in the PDF the ministry files), so what is read on the
 * page matches the printed report line for line. A hidden cell keeps its printed mark (`<5`, `x`) and says in
 * words what it means, for screen readers and for anyone who has not met small-cell suppression before.
 */
import { html, nothing } from 'lit';
import type { MessageKey, MessageParams } from '../../i18n/i18n.ts';
import type { SummaryCell, SummaryReportData, SummarySection } from './summary-report-data.ts';

type Translate = (key: MessageKey, params?: MessageParams) => string;

function cell(value: SummaryCell, t: Translate) {
  if (!value.hidden) return html`<td>${value.shown}</td>`;
  const meaning = t(value.hidden === 'small' ? 'reports.summary.hidden.small' : 'reports.summary.hidden.complementary');
  return html`<td class="hidden-cell" data-hidden=${value.hidden} title=${meaning}>
    <span aria-hidden="true">${value.shown}</span><span class="visually-hidden">${meaning}</span>
  </td>`;
}

function section(report: SummaryReportData, part: SummarySection, t: Translate) {
  return html`<div class="table-wrap" role="region" aria-labelledby="section-${part.key}" tabindex="0">
    <table class="figures" data-section=${part.key}>
      <caption id="section-${part.key}">
        ${part.title}
      </caption>
      <thead>
        <tr>
          <th scope="col">${t('reports.summary.indicator')}</th>
          ${report.columns.map((column) => html`<th scope="col" data-column=${column.id}>${column.name}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${part.lines.map(
          (line) =>
            html`<tr data-line=${line.key}>
              <th scope="row" class="level-${Math.min(Math.max(line.level, 0), 2)}">
                ${line.label}${line.unit ? html`<span class="unit">, ${line.unit}</span>` : nothing}
              </th>
              ${line.cells.map((value) => cell(value, t))}
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

/** `2025-12-31` as Russian readers write it (`31.12.2025`); English keeps the ISO form. */
function day(iso: string, locale: string): string {
  return locale === 'ru' && /^\d{4}-\d{2}-\d{2}$/.test(iso) ? iso.split('-').reverse().join('.') : iso;
}

/** The report's title, period, tables and notes. */
export function renderFigures(report: SummaryReportData, t: Translate, locale: string) {
  return html`<section class="figures-block" aria-labelledby="figures-heading">
    <h2 id="figures-heading">${report.title}</h2>
    <p class="muted">
      ${t('reports.summary.periodShown', {
        from: day(report.from, locale),
        to: day(report.to, locale),
        days: report.nextDays,
      })}
    </p>
    ${report.suppressed ? html`<p class="alert info">${t('reports.summary.suppressedNote')}</p>` : nothing}
    ${report.sections.map((part) => section(report, part, t))}
    ${
      report.footnotes.length > 0
        ? html`<h3>${t('reports.summary.notes')}</h3>
            <ol class="notes">
              ${report.footnotes.map((note) => html`<li>${note}</li>`)}
            </ol>`
        : nothing
    }
  </section>`;
}
