/**
 * The form for a new staff member or for changing one: login (new members only), full name, roles and facilities
 * as checkboxes. Checks the values (client/admin/staff-form.ts) and shows each problem next to its field; the
 * page that holds it talks to the server and may hand back a field the server refused (`serverErrors`).
 */
import { LitElement, html, nothing } from 'lit';
import { I18nController } from '../../app/service-controller.ts';
import { STAFF_ROLES } from '../../../common/roles.ts';
import type { Facility, StaffMember } from '../../admin/admin-types.ts';
import {
  validateStaffForm,
  type StaffField,
  type StaffFormErrors,
  type StaffFormValues,
} from '../../admin/staff-form.ts';
import type { MessageKey } from '../../i18n/i18n.ts';
import { staffFormStyles } from './rp-admin-staff-form.styles.ts';

export const ROLE_TITLES: Readonly<Record<string, MessageKey>> = {
  admin: 'admin.role.admin',
  doctor: 'admin.role.doctor',
  nurse: 'admin.role.nurse',
  analyst: 'admin.role.analyst',
};

/**
 * @fires rp-staff-save - valid values submitted; detail: StaffFormValues
 * @fires rp-cancel - the administrator closed the form
 */
export class RpAdminStaffForm extends LitElement {
  static override styles = staffFormStyles;
  static override properties = {
    member: { attribute: false },
    facilities: { attribute: false },
    busy: { type: Boolean },
    serverErrors: { attribute: false },
    errors: { state: true },
  };

  /** The member being changed, or null for a new one. */
  declare member: StaffMember | null;
  declare facilities: Facility[];
  declare busy: boolean;
  /** Messages for fields the server refused, already translated. */
  declare serverErrors: Partial<Record<StaffField, string>>;
  declare errors: StaffFormErrors;
  readonly #i18n = new I18nController(this);

  constructor() {
    super();
    this.member = null;
    this.facilities = [];
    this.busy = false;
    this.serverErrors = {};
    this.errors = {};
  }

  #message(field: StaffField): string | null {
    const key = this.errors[field];
    if (key) return this.#i18n.t(key);
    return this.serverErrors[field] ?? null;
  }

  #describedBy(field: StaffField) {
    return this.#message(field) ? `${field}-error` : nothing;
  }

  #error(field: StaffField) {
    const message = this.#message(field);
    return message ? html`<p class="field-error" id="${field}-error">${message}</p>` : nothing;
  }

  override render() {
    const t = this.#i18n.t.bind(this.#i18n);
    const member = this.member;
    const heading = member ? t('admin.staff.editHeading', { login: member.login }) : t('admin.staff.newHeading');
    return html`
      <form novalidate @submit=${this.#submit} aria-labelledby="staff-form-heading">
        <h2 id="staff-form-heading">${heading}</h2>
        <div class="form-grid">
          ${
            member
              ? nothing
              : html`<div class="field">
                  <label for="login">${t('admin.staff.login')}</label>
                  <input
                    id="login"
                    name="login"
                    autocomplete="off"
                    autocapitalize="none"
                    spellcheck="false"
                    ?disabled=${this.busy}
                    aria-invalid=${this.#message('login') ? 'true' : 'false'}
                    aria-describedby=${this.#message('login') ? 'login-error' : 'login-hint'}
                  />
                  <p class="muted" id="login-hint">${t('admin.staff.loginHint')}</p>
                  ${this.#error('login')}
                </div>`
          }
          <div class="field">
            <label for="displayName">${t('admin.staff.displayName')}</label>
            <input
              id="displayName"
              name="displayName"
              autocomplete="off"
              .value=${member?.displayName ?? ''}
              ?disabled=${this.busy}
              aria-invalid=${this.#message('displayName') ? 'true' : 'false'}
              aria-describedby=${this.#describedBy('displayName')}
            />
            ${this.#error('displayName')}
          </div>
        </div>
        <fieldset
          id="roles"
          aria-invalid=${this.#message('roles') ? 'true' : 'false'}
          aria-describedby=${this.#describedBy('roles')}
        >
          <legend>${t('admin.staff.roles')}</legend>
          ${STAFF_ROLES.map(
            (role) =>
              html`<label class="check">
                <input
                  type="checkbox"
                  name="roles"
                  value=${role}
                  .checked=${member?.roles.includes(role) ?? false}
                  ?disabled=${this.busy}
                />
                ${t(ROLE_TITLES[role] ?? 'admin.role.admin')}
              </label>`,
          )}
          ${this.#error('roles')}
        </fieldset>
        <fieldset
          id="facilities"
          aria-invalid=${this.#message('facilities') ? 'true' : 'false'}
          aria-describedby=${this.#describedBy('facilities')}
        >
          <legend>${t('admin.staff.facilities')}</legend>
          ${this.facilities.length === 0 ? html`<p class="muted">${t('admin.facilities.none')}</p>` : nothing}
          ${this.facilities.map(
            (facility) =>
              html`<label class="check">
                <input
                  type="checkbox"
                  name="facilities"
                  value=${facility.id}
                  .checked=${member?.facilities.includes(facility.id) ?? false}
                  ?disabled=${this.busy || (!facility.active && !member?.facilities.includes(facility.id))}
                />
                ${facility.name}${facility.active ? '' : ` (${t('admin.facilities.inactive')})`}
              </label>`,
          )}
          ${this.#error('facilities')}
        </fieldset>
        <div class="form-actions">
          <button class="button" type="submit" ?disabled=${this.busy}>
            ${member ? t('admin.save') : t('admin.staff.create')}
          </button>
          <button class="button secondary" type="button" ?disabled=${this.busy} @click=${this.#cancel}>
            ${t('admin.cancel')}
          </button>
        </div>
      </form>
    `;
  }

  /** The values as they stand in the form. */
  values(): StaffFormValues {
    const root = this.renderRoot;
    const checked = (name: string) =>
      [...root.querySelectorAll<HTMLInputElement>(`input[name=${name}]:checked`)].map((input) => input.value);
    return {
      login: this.member?.login ?? root.querySelector<HTMLInputElement>('#login')?.value.trim().toLowerCase() ?? '',
      displayName: root.querySelector<HTMLInputElement>('#displayName')?.value.trim() ?? '',
      roles: checked('roles'),
      facilities: checked('facilities'),
    };
  }

  async #submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const values = this.values();
    this.serverErrors = {};
    this.errors = validateStaffForm(values);
    const first = (['login', 'displayName', 'roles', 'facilities'] as const).find((field) => this.errors[field]);
    if (first) {
      await this.updateComplete;
      const target = first === 'roles' || first === 'facilities' ? `#${first} input` : `#${first}`;
      this.renderRoot.querySelector<HTMLElement>(target)?.focus();
      return;
    }
    this.dispatchEvent(
      new CustomEvent<StaffFormValues>('rp-staff-save', { detail: values, bubbles: true, composed: true }),
    );
  }

  #cancel(): void {
    this.dispatchEvent(new Event('rp-cancel', { bubbles: true, composed: true }));
  }
}

customElements.define('rp-admin-staff-form', RpAdminStaffForm);

declare global {
  interface HTMLElementTagNameMap {
    'rp-admin-staff-form': RpAdminStaffForm;
  }
  interface GlobalEventHandlersEventMap {
    'rp-staff-save': CustomEvent<StaffFormValues>;
    'rp-cancel': Event;
  }
}
