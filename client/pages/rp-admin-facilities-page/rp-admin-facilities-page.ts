/**
 * Facilities: the list, a new facility (with its keys made in this browser and the recovery sheet offered for
 * printing), renaming and (de)activation. Districts come from the reference book.
 */
import { LitElement, html, nothing } from 'lit';
import { I18nController, ServiceController } from '../../app/service-controller.ts';
import { sessionContext } from '../../app/contexts.ts';
import type { OwnKeyPair } from '../../crypto/user-key-pair.ts';
import { isDistrict, type District } from '../../../common/reference/types.ts';
import type { AdminApi, Facility } from '../../admin/admin-types.ts';
import { FieldError } from '../../admin/http-admin-api.ts';
import type { ReferenceStore } from '../../admin/reference-store.ts';
import { adminMessageFor } from '../../admin/admin-errors.ts';
import { createFacilityKeys } from '../../admin/facility-keys.ts';
import { printRecoverySheet } from '../../admin/print.ts';
import {
  validateFacilityForm,
  type FacilityField,
  type FacilityFormErrors,
  type FacilityFormValues,
} from '../../admin/facility-form.ts';
import type { UserMessage } from '../../services/user-messages.ts';
import '../rp-admin-confirm-dialog/rp-admin-confirm-dialog.ts';
import '../rp-admin-facility-keys/rp-admin-facility-keys.ts';
import type { RpAdminConfirmDialog } from '../rp-admin-confirm-dialog/rp-admin-confirm-dialog.ts';
import { facilitiesPageStyles } from './rp-admin-facilities-page.styles.ts';

interface IssuedRecovery {
  facilityId: string;
  facilityName: string;
  recoveryCode: string;
  createdAt: Date;
}

/** Facilities name their district by its slug (`petrozavodsk`), the reference id without `district:`. */
function districtSlug(district: District): string {
  return district._id.slice('district:'.length);
}

const FIELDS: readonly FacilityField[] = ['id', 'name', 'shortName', 'districtId'];

export class RpAdminFacilitiesPage extends LitElement {
  static override styles = facilitiesPageStyles;
  static override properties = {
    api: { attribute: false },
    reference: { attribute: false },
    actor: { attribute: false },
    ownKeys: { attribute: false },
    facilities: { state: true },
    districts: { state: true },
    editing: { state: true },
    errors: { state: true },
    serverErrors: { state: true },
    busy: { state: true },
    error: { state: true },
    recovery: { state: true },
    keysOf: { state: true },
  };

  declare api: AdminApi | null;
  declare reference: ReferenceStore | null;
  declare actor: string;
  /**
   * Opens the administrator's own key pair (the facility's signing key and epoch 1 are wrapped to it). Defaults to
   * the session's; tests hand in their own.
   */
  declare ownKeys: (() => Promise<OwnKeyPair | null>) | null;
  declare facilities: Facility[] | null;
  declare districts: District[];
  declare editing: Facility | 'new' | null;
  declare errors: FacilityFormErrors;
  declare serverErrors: Partial<Record<FacilityField, string>>;
  declare busy: string | null;
  declare error: UserMessage | null;
  declare recovery: IssuedRecovery | null;
  /** The facility whose keys panel is open. */
  declare keysOf: Facility | null;
  readonly #i18n = new I18nController(this);
  readonly #session = new ServiceController(this, sessionContext);

  constructor() {
    super();
    this.api = null;
    this.reference = null;
    this.actor = '';
    this.ownKeys = null;
    this.facilities = null;
    this.districts = [];
    this.editing = null;
    this.errors = {};
    this.serverErrors = {};
    this.busy = null;
    this.error = null;
    this.recovery = null;
    this.keysOf = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.reload();
  }

  async reload(): Promise<void> {
    if (!this.api) return;
    try {
      const [facilities, districts] = await Promise.all([
        this.api.listFacilities(),
        this.reference ? this.reference.list('district:') : Promise.resolve([]),
      ]);
      this.facilities = facilities;
      this.districts = districts.filter(isDistrict).filter((district) => district.active);
    } catch (error) {
      this.error = adminMessageFor(error);
    }
  }

  override render() {
    const t = this.#i18n.t.bind(this.#i18n);
    return html`
      <h2>${t('admin.tab.facilities')}</h2>
      ${this.error ? html`<p class="alert" role="alert">${t(this.error.key, this.error.params)}</p>` : nothing}
      ${this.#recoveryPanel()}
      ${
        this.keysOf
          ? html`<rp-admin-facility-keys
              .api=${this.api}
              .facility=${this.keysOf}
              .ownKeys=${this.ownKeys}
              @rp-close=${() => (this.keysOf = null)}
            ></rp-admin-facility-keys>`
          : nothing
      }
      ${
        this.editing
          ? this.#form(this.editing === 'new' ? null : this.editing)
          : html`<p>
              <button class="button" type="button" @click=${() => this.#open('new')}>
                ${t('admin.facilities.new')}
              </button>
            </p>`
      }
      ${this.#table()}
      <div role="status" aria-live="polite" class="muted">
        ${this.busy ? t(this.busy === 'keys' ? 'admin.facilities.makingKeys' : 'admin.working') : ''}
      </div>
      <rp-admin-confirm-dialog></rp-admin-confirm-dialog>
    `;
  }

  #message(field: FacilityField): string | null {
    const key = this.errors[field];
    return key ? this.#i18n.t(key) : (this.serverErrors[field] ?? null);
  }

  #field(field: FacilityField, label: string, value: string, options: { disabled?: boolean; hint?: string } = {}) {
    const message = this.#message(field);
    const described = [options.hint ? `${field}-hint` : '', message ? `${field}-error` : ''].filter(Boolean).join(' ');
    return html`<div class="field">
      <label for=${field}>${label}</label>
      <input
        id=${field}
        name=${field}
        autocomplete="off"
        .value=${value}
        ?disabled=${this.busy !== null || options.disabled === true}
        aria-invalid=${message ? 'true' : 'false'}
        aria-describedby=${described || nothing}
      />
      ${options.hint ? html`<p class="muted" id="${field}-hint">${options.hint}</p>` : nothing}
      ${message ? html`<p class="field-error" id="${field}-error">${message}</p>` : nothing}
    </div>`;
  }

  #form(facility: Facility | null) {
    const t = this.#i18n.t.bind(this.#i18n);
    const districtMessage = this.#message('districtId');
    return html`<section class="card panel">
      <form novalidate aria-labelledby="facility-form-heading" @submit=${this.#submit}>
        <h2 id="facility-form-heading">
          ${facility ? t('admin.facilities.editHeading', { id: facility.id }) : t('admin.facilities.newHeading')}
        </h2>
        <div class="form-grid">
          ${this.#field('id', t('admin.facilities.id'), facility?.id ?? '', {
            disabled: facility !== null,
            hint: t('admin.facilities.idHint'),
          })}
          ${this.#field('name', t('admin.facilities.name'), facility?.name ?? '')}
          ${this.#field('shortName', t('admin.facilities.shortName'), facility?.shortName ?? '')}
          <div class="field">
            <label for="districtId">${t('admin.facilities.district')}</label>
            <select
              id="districtId"
              name="districtId"
              ?disabled=${this.busy !== null}
              aria-invalid=${districtMessage ? 'true' : 'false'}
              aria-describedby=${districtMessage ? 'districtId-error' : nothing}
            >
              <option value="">${t('admin.facilities.noDistrict')}</option>
              ${this.districts.map(
                (district) =>
                  html`<option
                    value=${districtSlug(district)}
                    ?selected=${districtSlug(district) === facility?.districtId}
                  >
                    ${district.name}
                  </option>`,
              )}
            </select>
            ${districtMessage ? html`<p class="field-error" id="districtId-error">${districtMessage}</p>` : nothing}
          </div>
        </div>
        ${facility ? nothing : html`<p class="muted">${t('admin.facilities.keysNote')}</p>`}
        <div class="form-actions">
          <button class="button" type="submit" ?disabled=${this.busy !== null}>
            ${facility ? t('admin.save') : t('admin.facilities.create')}
          </button>
          <button
            class="button secondary"
            type="button"
            ?disabled=${this.busy !== null}
            @click=${() => (this.editing = null)}
          >
            ${t('admin.cancel')}
          </button>
        </div>
      </form>
    </section>`;
  }

  #table() {
    const t = this.#i18n.t.bind(this.#i18n);
    if (this.facilities === null) return html`<p class="muted">${t('app.loading')}</p>`;
    if (this.facilities.length === 0) return html`<p class="muted">${t('admin.facilities.none')}</p>`;
    const districtNames = new Map(this.districts.map((district) => [districtSlug(district), district.name]));
    return html`<div class="table-wrap">
      <table>
        <caption>
          ${t('admin.facilities.caption', { count: this.facilities.length })}
        </caption>
        <thead>
          <tr>
            <th scope="col">${t('admin.facilities.id')}</th>
            <th scope="col">${t('admin.facilities.name')}</th>
            <th scope="col">${t('admin.facilities.district')}</th>
            <th scope="col">${t('admin.staff.status')}</th>
            <th scope="col">${t('admin.actions')}</th>
          </tr>
        </thead>
        <tbody>
          ${this.facilities.map(
            (facility) =>
              html`<tr>
                <td>${facility.id}</td>
                <td>
                  ${facility.name}${facility.shortName ? html`<br /><span class="muted">${facility.shortName}</span>` : nothing}
                </td>
                <td>${facility.districtId ? (districtNames.get(facility.districtId) ?? facility.districtId) : '—'}</td>
                <td>
                  ${
                    facility.active
                      ? html`<span class="badge">${t('admin.facilities.active')}</span>`
                      : html`<span class="badge off">${t('admin.facilities.inactive')}</span>`
                  }
                  ${facility.keys ? nothing : html`<span class="badge warn">${t('admin.facilities.noKeys')}</span>`}
                </td>
                <td class="actions">
                  <button
                    class="button secondary small"
                    type="button"
                    aria-label="${t('admin.edit')}: ${facility.name}"
                    ?disabled=${this.busy !== null}
                    @click=${() => this.#open(facility)}
                  >
                    ${t('admin.edit')}
                  </button>
                  <button
                    class="button secondary small"
                    type="button"
                    aria-label="${t(facility.active ? 'admin.deactivate' : 'admin.activate')}: ${facility.name}"
                    ?disabled=${this.busy !== null}
                    @click=${() => this.#setActive(facility, !facility.active)}
                  >
                    ${t(facility.active ? 'admin.deactivate' : 'admin.activate')}
                  </button>
                  ${
                    facility.keys
                      ? html`<button
                          class="button secondary small"
                          type="button"
                          aria-label="${t('admin.keys.button')}: ${facility.name}"
                          ?disabled=${this.busy !== null}
                          @click=${() => (this.keysOf = facility)}
                        >
                          ${t('admin.keys.button')}
                        </button>`
                      : nothing
                  }
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  #recoveryPanel() {
    const recovery = this.recovery;
    if (!recovery) return nothing;
    const t = this.#i18n.t.bind(this.#i18n);
    return html`<section class="card panel" aria-labelledby="recovery-heading">
      <h2 id="recovery-heading">${t('admin.facilities.recoveryHeading', { name: recovery.facilityName })}</h2>
      <p class="alert info">${t('admin.facilities.recoveryIntro')}</p>
      <p>
        <span class="muted">${t('admin.facilities.recoveryCode')}:</span>
        <span class="secret">${recovery.recoveryCode}</span>
      </p>
      <div class="form-actions">
        <button class="button" type="button" id="print-recovery" @click=${this.#printRecovery}>
          ${t('admin.facilities.printRecovery')}
        </button>
        <button class="button secondary" type="button" @click=${() => (this.recovery = null)}>
          ${t('admin.done')}
        </button>
      </div>
    </section>`;
  }

  #open(facility: Facility | 'new'): void {
    this.errors = {};
    this.serverErrors = {};
    this.editing = facility;
  }

  /** The values as they stand in the open form. */
  values(): FacilityFormValues {
    const value = (id: string) =>
      this.renderRoot.querySelector<HTMLInputElement | HTMLSelectElement>(`#${id}`)?.value.trim() ?? '';
    return {
      id: value('id').toLowerCase(),
      name: value('name'),
      shortName: value('shortName'),
      districtId: value('districtId'),
    };
  }

  async #submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const api = this.api;
    const editing = this.editing;
    if (!api || !editing || this.busy !== null) return;
    const values = this.values();
    const existing = editing === 'new' ? (this.facilities ?? []).map((facility) => facility.id) : [];
    this.serverErrors = {};
    this.errors = validateFacilityForm(values, existing);
    const first = FIELDS.find((field) => this.errors[field]);
    if (first) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>(`#${first}`)?.focus();
      return;
    }
    this.error = null;
    try {
      const optional = {
        ...(values.shortName ? { shortName: values.shortName } : {}),
        ...(values.districtId ? { districtId: values.districtId } : {}),
      };
      if (editing === 'new') {
        this.busy = 'keys';
        const session = this.#session.value;
        const own = await (this.ownKeys ? this.ownKeys() : session ? session.ownKeyPair() : Promise.resolve(null));
        if (own === null) {
          // Without their own key pair the administrator could not hold the facility's keys: refuse.
          this.error = { key: 'admin.facilities.error.noOwnKeys' };
          return;
        }
        const { keys, recoveryCode } = await createFacilityKeys(values.id, own);
        this.busy = 'save';
        await api.createFacility({ id: values.id, name: values.name, ...optional, keys });
        this.recovery = { facilityId: values.id, facilityName: values.name, recoveryCode, createdAt: new Date() };
      } else {
        this.busy = 'save';
        // Only what is filled in is sent: the API refuses empty texts (a short name cannot be cleared here).
        await api.updateFacility(editing.id, { name: values.name, ...optional });
      }
      this.editing = null;
      await this.reload();
    } catch (error) {
      const message = adminMessageFor(error);
      if (error instanceof FieldError && (FIELDS as readonly string[]).includes(error.field)) {
        this.serverErrors = { [error.field]: this.#i18n.t(message.key, message.params) };
      } else if (editing === 'new' && message.key === 'admin.error.conflict') {
        this.errors = { id: 'admin.facilities.error.idTaken' };
      } else {
        this.error = message;
      }
    } finally {
      this.busy = null;
    }
  }

  async #setActive(facility: Facility, active: boolean): Promise<void> {
    const api = this.api;
    if (!api || this.busy !== null) return;
    const t = this.#i18n.t.bind(this.#i18n);
    if (!active) {
      const dialog = this.renderRoot.querySelector<RpAdminConfirmDialog>('rp-admin-confirm-dialog');
      if (
        !dialog ||
        !(await dialog.ask(t('admin.facilities.deactivateQuestion', { name: facility.name }), t('admin.deactivate')))
      )
        return;
    }
    this.busy = 'save';
    this.error = null;
    try {
      await api.updateFacility(facility.id, { active });
      await this.reload();
    } catch (error) {
      this.error = adminMessageFor(error);
    } finally {
      this.busy = null;
    }
  }

  async #printRecovery(): Promise<void> {
    const recovery = this.recovery;
    if (!recovery) return;
    await printRecoverySheet({ ...recovery, createdBy: this.actor || '—' }).catch((error: unknown) => {
      this.error = adminMessageFor(error);
    });
  }
}

customElements.define('rp-admin-facilities-page', RpAdminFacilitiesPage);

declare global {
  interface HTMLElementTagNameMap {
    'rp-admin-facilities-page': RpAdminFacilitiesPage;
  }
}
