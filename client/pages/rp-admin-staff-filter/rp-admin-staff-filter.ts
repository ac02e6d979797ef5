/**
 * The filters of the staff list: text (login or name), role, facility and state. Submitting fires the filter;
 * the staff page asks the server with it.
 */
import { LitElement, html } from 'lit';
import { I18nController } from '../../app/service-controller.ts';
import { STAFF_ROLES } from '../../../common/roles.ts';
import type { Facility, StaffFilter } from '../../admin/admin-types.ts';
import { ROLE_TITLES } from '../rp-admin-staff-form/rp-admin-staff-form.ts';
import { staffFilterStyles } from './rp-admin-staff-filter.styles.ts';

/**
 * @fires rp-staff-filter - the filter was submitted; detail: StaffFilter (empty strings mean "any")
 */
export class RpAdminStaffFilter extends LitElement {
  static override styles = staffFilterStyles;
  static override properties = {
    facilities: { attribute: false },
  };

  declare facilities: Facility[];
  readonly #i18n = new I18nController(this);

  constructor() {
    super();
    this.facilities = [];
  }

  override render() {
    const t = this.#i18n.t.bind(this.#i18n);
    return html`<form class="toolbar" role="search" aria-label=${t('admin.filter')} @submit=${this.#submit}>
      <div class="field">
        <label for="filter-q">${t('admin.staff.search')}</label>
        <input id="filter-q" name="q" type="search" autocomplete="off" />
      </div>
      <div class="field">
        <label for="filter-role">${t('admin.staff.role')}</label>
        <select id="filter-role" name="role">
          <option value="">${t('admin.any')}</option>
          ${STAFF_ROLES.map((role) => html`<option value=${role}>${t(ROLE_TITLES[role] ?? 'admin.role.admin')}</option>`)}
        </select>
      </div>
      <div class="field">
        <label for="filter-facility">${t('admin.staff.facility')}</label>
        <select id="filter-facility" name="facility">
          <option value="">${t('admin.any')}</option>
          ${this.facilities.map((facility) => html`<option value=${facility.id}>${facility.name}</option>`)}
        </select>
      </div>
      <div class="field">
        <label for="filter-status">${t('admin.staff.status')}</label>
        <select id="filter-status" name="status">
          <option value="">${t('admin.any')}</option>
          <option value="active">${t('admin.staff.status.active')}</option>
          <option value="disabled">${t('admin.staff.status.disabled')}</option>
        </select>
      </div>
      <button class="button secondary" type="submit">${t('admin.find')}</button>
    </form>`;
  }

  #submit(event: SubmitEvent): void {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const value = (name: string) => String(data.get(name) ?? '').trim();
    const detail: StaffFilter = {
      q: value('q'),
      role: value('role'),
      facility: value('facility'),
      status: value('status'),
    };
    this.dispatchEvent(new CustomEvent<StaffFilter>('rp-staff-filter', { detail, bubbles: true, composed: true }));
  }
}

customElements.define('rp-admin-staff-filter', RpAdminStaffFilter);

declare global {
  interface HTMLElementTagNameMap {
    'rp-admin-staff-filter': RpAdminStaffFilter;
  }
  interface GlobalEventHandlersEventMap {
    'rp-staff-filter': CustomEvent<StaffFilter>;
  }
}
