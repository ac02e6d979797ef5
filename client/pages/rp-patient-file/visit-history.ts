/**
 * The visits of a patient, newest first, as a table that scrolls sideways on a tablet: when and how, who, the
 * scales, the ESAS-r items that were scored, leading syndromes, needs noticed and the opened note (as text).
 */
import { staffName } from './reference-names.ts';
import { html } from 'lit';
import { ESAS_ITEMS } from '../../../common/records/types.ts';
import type { VisitView } from '../../records/records-api.ts';
import type { MessageKey, MessageParams } from '../../i18n/i18n.ts';
import { formatDate } from './care-dates.ts';

type Translate = (key: MessageKey, params?: MessageParams) => string;

const value = (n: number | undefined) => (n === undefined ? '—' : String(n));

export function renderVisits(
  visits: readonly VisitView[],
  t: Translate,
  locale: string,
  staff?: ReadonlyMap<string, string>,
) {
  const rows = [...visits].sort((a, b) =>
    a.visit.date === b.visit.date
      ? b.visit.createdAt.localeCompare(a.visit.createdAt)
      : b.visit.date.localeCompare(a.visit.date),
  );
  return html`<div class="table-wrap" tabindex="0">
    <table id="visits">
      <caption>
        ${rows.length === 0 ? t('care.visits.none') : t('care.visits.caption', { count: rows.length })}
      </caption>
      <thead>
        <tr>
          <th scope="col">${t('care.visit.date')}</th>
          <th scope="col">${t('care.visit.type')}</th>
          <th scope="col">${t('care.visits.performer')}</th>
          <th scope="col">ECOG</th>
          <th scope="col">${t('care.visits.karnofsky')}</th>
          <th scope="col">PPS</th>
          <th scope="col">${t('care.visits.pain')}</th>
          <th scope="col">ESAS-r</th>
          <th scope="col">${t('care.visit.syndromes')}</th>
          <th scope="col">${t('care.visit.needsNoticed')}</th>
          <th scope="col">${t('care.visit.note')}</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map(({ visit, note }) => {
          const esas = ESAS_ITEMS.filter((item) => visit.esas?.[item] !== undefined).map(
            (item) => `${t(`care.esas.${item}`)} ${String(visit.esas?.[item])}`,
          );
          return html`<tr>
            <th scope="row">${formatDate(visit.date, locale)}</th>
            <td>${t(`care.visitType.${visit.visitType}`)}</td>
            <td>${staffName(staff, visit.performer)} (${t(`care.performer.${visit.performerRole}`)})</td>
            <td>${value(visit.ecog)}</td>
            <td>${value(visit.karnofsky)}</td>
            <td>${value(visit.pps)}</td>
            <td>${value(visit.pain)}</td>
            <td>${esas.length === 0 ? '—' : esas.join('; ')}</td>
            <td>${visit.syndromes.map((s) => t(`care.syndrome.${s}`)).join(', ') || '—'}</td>
            <td>${visit.needsNoticed.map((n) => t(`care.need.${n}`)).join(', ') || '—'}</td>
            <td class="note">${note ?? '—'}</td>
          </tr>`;
        })}
      </tbody>
    </table>
  </div>`;
}
