/**
 * The audit journals, one at a time: the server's (logins, failed logins, account and key changes) and the events
 * devices wrote into the facility databases (passports opened, printing, records created and changed, conflicts
 * resolved), each with its own filters. Two lists rather than one merged list, because they answer different
 * questions (who administered what / who looked at which patient's data) and page differently: the server's is
 * cut at a count, the devices' is read page by page across every facility.
 * Server details other than the four common fields are shown as `name: value` pairs, as the server wrote them.
 */
import { LitElement, html, nothing } from 'lit';
import { I18nController } from '../../app/service-controller.ts';
import type { AdminApi, AuditEvent, AuditFilter, Facility } from '../../admin/admin-types.ts';
import { adminMessageFor } from '../../admin/admin-errors.ts';
import type { UserMessage } from '../../services/user-messages.ts';
import { auditPageStyles } from './rp-admin-audit-page.styles.ts';
import {
  DEVICE_AUDIT_PAGE,
  HttpDeviceAuditApi,
  type DeviceAuditApi,
  type DeviceAuditEvent,
  type DeviceAuditFilter,
} from './device-audit-api.ts';
import { deviceAuditFilterFrom, deviceAuditTable, deviceFilterFields } from './device-audit-view.ts';

export type AuditSource = 'server' | 'devices';

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

/** The administrator's «Журнал»: the server's audit trail or the devices' audit events. */
export class RpAdminAuditPage extends LitElement {
  static override styles = auditPageStyles;
  static override properties = {
    api: { attribute: false },
    deviceApi: { attribute: false },
    source: { state: true },
    events: { state: true },
    deviceEvents: { state: true },
    nextOffset: { state: true },
    facilities: { state: true },
    error: { state: true },
  };

  declare api: AdminApi | null;
  /** The device journal's reader: the administration API over HTTP unless a test gives another. */
  declare deviceApi: DeviceAuditApi;
  declare source: AuditSource;
  declare events: AuditEvent[] | null;
  declare deviceEvents: DeviceAuditEvent[] | null;
  /** Where the next page of device events starts, or null when the list is complete. */
  declare nextOffset: number | null;
  declare facilities: Facility[];
  declare error: UserMessage | null;
  readonly #i18n = new I18nController(this);
  #filter: AuditFilter = { limit: LIMIT };
  #deviceFilter: DeviceAuditFilter = { limit: DEVICE_AUDIT_PAGE };

  constructor() {
    super();
    this.api = null;
    this.deviceApi = new HttpDeviceAuditApi();
    this.source = 'server';
    this.events = null;
    this.deviceEvents = null;
    this.nextOffset = null;
    this.facilities = [];
    this.error = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.reload();
  }

  async reload(): Promise<void> {
    if (this.source === 'devices') return this.#loadDevices(false);
    if (!this.api) return;
    this.error = null;
    try {
      this.events = await this.api.listAudit(this.#filter);
    } catch (error) {
      this.error = adminMessageFor(error);
      this.events = [];
    }
  }

  /** Shows the other journal (and loads it). */
  async showSource(source: AuditSource): Promise<void> {
    if (source === this.source) return;
    this.source = source;
    this.error = null;
    if (source === 'devices' && this.facilities.length === 0 && this.api) {
      this.facilities = await this.api.listFacilities().catch(() => []);
    }
    await this.reload();
  }

  async #loadDevices(more: boolean): Promise<void> {
    this.error = null;
    const offset = more ? (this.nextOffset ?? 0) : 0;
    if (!more) this.deviceEvents = null;
    try {
      const page = await this.deviceApi.listDeviceAudit({ ...this.#deviceFilter, offset });
      this.deviceEvents = more ? [...(this.deviceEvents ?? []), ...page.events] : page.events;
      this.nextOffset = page.nextOffset;
    } catch (error) {
      this.error = adminMessageFor(error);
      this.deviceEvents ??= [];
      this.nextOffset = null;
    }
  }

  override render() {
    const t = this.#i18n.t.bind(this.#i18n);
    return html`
      <h2>${t('admin.tab.audit')}</h2>
      <fieldset class="source">
        <legend>${t('admin.audit.source')}</legend>
        ${(['server', 'devices'] as const).map(
          (source) =>
            html`<label class="check">
              <input
                type="radio"
                name="audit-source"
                value=${source}
                .checked=${this.source === source}
                @change=${() => void this.showSource(source)}
              />
              ${t(`admin.audit.source.${source}`)}
            </label>`,
        )}
      </fieldset>
      ${this.source === 'server' ? this.#serverJournal() : this.#deviceJournal()}
    `;
  }

  #deviceJournal() {
    const t = this.#i18n.t.bind(this.#i18n);
    const names = new Map(this.facilities.map((facility) => [facility.id, facility.name]));
    return html`
      <form class="toolbar" role="search" aria-label=${t('admin.filter')} @submit=${this.#applyDevices}>
        ${deviceFilterFields(t, this.facilities)}
        <div class="field">
          <label for="device-login">${t('admin.staff.login')}</label>
          <input id="device-login" name="login" autocomplete="off" autocapitalize="none" />
        </div>
        <div class="field">
          <label for="device-from">${t('admin.audit.from')}</label>
          <input id="device-from" name="from" type="date" />
        </div>
        <div class="field">
          <label for="device-to">${t('admin.audit.to')}</label>
          <input id="device-to" name="to" type="date" />
        </div>
        <button class="button secondary" type="submit">${t('admin.find')}</button>
      </form>
      ${this.error ? html`<p class="alert" role="alert">${t(this.error.key, this.error.params)}</p>` : nothing}
      ${deviceAuditTable(
        t,
        this.deviceEvents,
        (id) => names.get(id) ?? id,
        (at) => this.#formatTime(at),
      )}
      ${
        this.nextOffset !== null && this.deviceEvents !== null
          ? html`<button class="button secondary more" type="button" @click=${() => void this.#loadDevices(true)}>
              ${t('admin.audit.more')}
            </button>`
          : nothing
      }
    `;
  }

  #formatTime(at: string): string {
    const format = new Intl.DateTimeFormat(this.#i18n.value?.locale ?? 'ru', {
      dateStyle: 'short',
      timeStyle: 'medium',
    });
    return Number.isNaN(Date.parse(at)) ? at : format.format(new Date(at));
  }

  async #applyDevices(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const value = (name: string) => String(data.get(name) ?? '').trim();
    this.#deviceFilter = deviceAuditFilterFrom({
      facility: value('facility'),
      action: value('action'),
      login: value('login'),
      from: value('from'),
      to: value('to'),
    });
    await this.#loadDevices(false);
  }

  #serverJournal() {
    const t = this.#i18n.t.bind(this.#i18n);
    return html`
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
                <td>${this.#formatTime(event.at)}</td>
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
