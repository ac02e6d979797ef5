/**
 * The server's audit log (logins, failed logins, account and key changes) with filters by login, event and period.
 * Details other than the four common fields are shown as `name: value` pairs, as the server wrote them.
 */
import { LitElement, html, nothing } from 'lit';
import { I18nController } from '../../app/service-controller.ts';
import type { AdminApi, AuditEvent, AuditFilter } from '../../admin/admin-types.ts';
import { adminMessageFor } from '../../admin/admin-errors.ts';
import type { UserMessage } from '../../services/user-messages.ts';
import { auditPageStyles } from './rp-admin-audit-page.styles.ts';

const LIMIT = 200;
/** The events the server writes (server/admin, server/gateway), in the order the filter lists them. */
const AUDIT_EVENTS = [
  'login',
  'login-failed',
  'login-otp-expired',
  'credentials-changed',
  'first-admin-created',
  'account-created',
  'account-updated',
  'account-disabled',
  'account-enabled',
  'account-reset',
  'facility-created',
  'facility-updated',
  'key-material-stored',
  'key-issued',
  'epoch-started',
  'recovery-used',
] as const;
type AuditEventName = (typeof AUDIT_EVENTS)[number];

function isKnownEvent(name: string): name is AuditEventName {
  return (AUDIT_EVENTS as readonly string[]).includes(name);
}

const COMMON = new Set(['_id', '_rev', 'event', 'login', 'at', 'type']);

/** The filter as the API takes it: dates as the start of `from` and the end of `to`, in local time. */
export function auditFilterFrom(values: { login: string; event: string; from: string; to: string }): AuditFilter {
  const filter: AuditFilter = { limit: LIMIT };
  if (values.login) filter.login = values.login.toLowerCase();
  if (values.event) filter.event = values.event;
  if (values.from) filter.from = new Date(`${values.from}T00:00:00`).toISOString();
  if (values.to) filter.to = new Date(`${values.to}T23:59:59.999`).toISOString();
  return filter;
}

export class RpAdminAuditPage extends LitElement {
  static override styles = auditPageStyles;
  static override properties = {
    api: { attribute: false },
    events: { state: true },
    error: { state: true },
  };

  declare api: AdminApi | null;
  declare events: AuditEvent[] | null;
  declare error: UserMessage | null;
  readonly #i18n = new I18nController(this);
  #filter: AuditFilter = { limit: LIMIT };

  constructor() {
    super();
    this.api = null;
    this.events = null;
    this.error = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.reload();
  }

  async reload(): Promise<void> {
    if (!this.api) return;
    this.error = null;
    try {
      this.events = await this.api.listAudit(this.#filter);
    } catch (error) {
      this.error = adminMessageFor(error);
      this.events = [];
    }
  }

  override render() {
    const t = this.#i18n.t.bind(this.#i18n);
    return html`
      <h2>${t('admin.tab.audit')}</h2>
      <form class="toolbar" role="search" aria-label=${t('admin.filter')} @submit=${this.#apply}>
        <div class="field">
          <label for="audit-login">${t('admin.staff.login')}</label>
          <input id="audit-login" name="login" autocomplete="off" autocapitalize="none" />
        </div>
        <div class="field">
          <label for="audit-event">${t('admin.audit.event')}</label>
          <select id="audit-event" name="event">
            <option value="">${t('admin.audit.anyEvent')}</option>
            ${AUDIT_EVENTS.map((name) => html`<option value=${name}>${t(`audit.event.${name}`)}</option>`)}
          </select>
        </div>
        <div class="field">
          <label for="audit-from">${t('admin.audit.from')}</label>
          <input id="audit-from" name="from" type="date" />
        </div>
        <div class="field">
          <label for="audit-to">${t('admin.audit.to')}</label>
          <input id="audit-to" name="to" type="date" />
        </div>
        <button class="button secondary" type="submit">${t('admin.find')}</button>
      </form>
      ${this.error ? html`<p class="alert" role="alert">${t(this.error.key, this.error.params)}</p>` : nothing}
      ${this.#table()}
    `;
  }

  #table() {
    const t = this.#i18n.t.bind(this.#i18n);
    if (this.events === null) return html`<p class="muted" role="status">${t('app.loading')}</p>`;
    if (this.events.length === 0) return html`<p class="muted" role="status">${t('admin.audit.empty')}</p>`;
    const format = new Intl.DateTimeFormat(this.#i18n.value?.locale ?? 'ru', {
      dateStyle: 'short',
      timeStyle: 'medium',
    });
    return html`<div class="table-wrap">
      <table>
        <caption>
          ${t('admin.audit.caption', { count: this.events.length })}
        </caption>
        <thead>
          <tr>
            <th scope="col">${t('admin.audit.at')}</th>
            <th scope="col">${t('admin.staff.login')}</th>
            <th scope="col">${t('admin.audit.event')}</th>
            <th scope="col">${t('admin.audit.details')}</th>
          </tr>
        </thead>
        <tbody>
          ${this.events.map(
            (event) =>
              html`<tr>
                <td>${Number.isNaN(Date.parse(event.at)) ? event.at : format.format(new Date(event.at))}</td>
                <td>${event.login}</td>
                <td>${isKnownEvent(event.event) ? t(`audit.event.${event.event}`) : event.event}</td>
                <td>
                  ${Object.entries(event)
                    .filter(([name]) => !COMMON.has(name))
                    .map(([name, value]) => `${name}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
                    .join('; ')}
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  async #apply(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const value = (name: string) => String(data.get(name) ?? '').trim();
    this.#filter = auditFilterFrom({
      login: value('login'),
      event: value('event'),
      from: value('from'),
      to: value('to'),
    });
    this.events = null;
    await this.reload();
  }
}

customElements.define('rp-admin-audit-page', RpAdminAuditPage);

declare global {
  interface HTMLElementTagNameMap {
    'rp-admin-audit-page': RpAdminAuditPage;
  }
}
