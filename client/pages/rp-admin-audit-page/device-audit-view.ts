/**
 * How the audit page shows the events devices wrote: the filter form and the table. Pure render functions over the
 * page's state, kept apart so the page stays one job (choosing the journal, loading, paging). Events are named in
 * the user's language; a document is named by its kind, its id is kept for whoever must trace it.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { MessageKey, MessageParams } from '../../i18n/i18n.ts';
import { AUDIT_ACTIONS } from '../../../common/records/types.ts';
import { DEVICE_AUDIT_PAGE, isAuditAction, type DeviceAuditEvent, type DeviceAuditFilter } from './device-audit-api.ts';

type Translate = (key: MessageKey, params?: MessageParams) => string;

const DOC_KINDS = ['passport', 'patient', 'visit', 'prescription'] as const;
type DocKind = (typeof DOC_KINDS)[number];

function isDocKind(value: string): value is DocKind {
  return (DOC_KINDS as readonly string[]).includes(value);
}

/** The device filter as the API takes it: dates as the start of `from` and the end of `to`, in local time. */
export function deviceAuditFilterFrom(values: {
  facility: string;
  action: string;
  login: string;
  from: string;
  to: string;
}): DeviceAuditFilter {
  const filter: DeviceAuditFilter = { limit: DEVICE_AUDIT_PAGE };
  if (values.facility) filter.facility = values.facility;
  if (isAuditAction(values.action)) filter.action = values.action;
  if (values.login) filter.login = values.login.toLowerCase();
  if (values.from) filter.from = new Date(`${values.from}T00:00:00`).toISOString();
  if (values.to) filter.to = new Date(`${values.to}T23:59:59.999`).toISOString();
  return filter;
}

/** The filter fields of the device journal (the page wraps them in its form). */
export function deviceFilterFields(t: Translate, facilities: readonly { id: string; name: string }[]): TemplateResult {
  return html`
    <div class="field">
      <label for="device-facility">${t('admin.audit.facility')}</label>
      <select id="device-facility" name="facility">
        <option value="">${t('admin.audit.anyFacility')}</option>
        ${facilities.map((facility) => html`<option value=${facility.id}>${facility.name}</option>`)}
      </select>
    </div>
    <div class="field">
      <label for="device-action">${t('admin.audit.event')}</label>
      <select id="device-action" name="action">
        <option value="">${t('admin.audit.anyEvent')}</option>
        ${AUDIT_ACTIONS.map((action) => html`<option value=${action}>${t(`audit.action.${action}`)}</option>`)}
      </select>
    </div>
  `;
}

function documentCell(t: Translate, event: DeviceAuditEvent): TemplateResult | typeof nothing {
  if (!event.docId) return nothing;
  const kind = event.docId.split(':')[0] ?? '';
  const label = isDocKind(kind) ? t(`admin.audit.doc.${kind}`) : kind;
  return html`${label}<br /><code class="doc-id">${event.docId}</code>`;
}

function detailsCell(t: Translate, event: DeviceAuditEvent): TemplateResult {
  const parts: string[] = [];
  if (event.device) parts.push(`${t('admin.audit.device')}: ${event.device}`);
  if (event.rev) parts.push(`${t('admin.audit.rev')}: ${event.rev}`);
  for (const [name, value] of Object.entries(event.details ?? {})) parts.push(`${name}: ${String(value)}`);
  const losing = event.losing;
  return html`${parts.join('; ')}
  ${
    losing
      ? html`<p class="losing">
          ${t('admin.audit.losing', { rev: losing.rev ?? '—', fields: losing.fields.join(', ') })}
        </p>`
      : nothing
  }
  ${event.tampered ? html`<p class="alert">${t('admin.audit.tampered')}</p>` : nothing}`;
}

/** The table of device events, or the loading / empty notice. */
export function deviceAuditTable(
  t: Translate,
  events: readonly DeviceAuditEvent[] | null,
  facilityName: (id: string) => string,
  format: (at: string) => string,
): TemplateResult {
  if (events === null) return html`<p class="muted" role="status">${t('app.loading')}</p>`;
  if (events.length === 0) return html`<p class="muted" role="status">${t('admin.audit.empty')}</p>`;
  return html`<div class="table-wrap">
    <table>
      <caption>
        ${t('admin.audit.deviceCaption', { count: events.length })}
      </caption>
      <thead>
        <tr>
          <th scope="col">${t('admin.audit.at')}</th>
          <th scope="col">${t('admin.audit.facility')}</th>
          <th scope="col">${t('admin.staff.login')}</th>
          <th scope="col">${t('admin.audit.event')}</th>
          <th scope="col">${t('admin.audit.document')}</th>
          <th scope="col">${t('admin.audit.details')}</th>
        </tr>
      </thead>
      <tbody>
        ${events.map(
          (event) =>
            html`<tr>
              <td>${format(event.at)}</td>
              <td>${facilityName(event.facilityId)}</td>
              <td>${event.login}</td>
              <td>${isAuditAction(event.action) ? t(`audit.action.${event.action}`) : event.action}</td>
              <td>${documentCell(t, event)}</td>
              <td>${detailsCell(t, event)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}
