/**
 * The patients section: its own sub-routes under `/patients` (patient-paths.ts) — the search, the form for a new
 * patient or a change, and a patient's file — over one facility's records. A member of several facilities chooses
 * the facility here; the app then hands over that facility's records. Without records (the facility's keys are not
 * confirmed on this device yet, or the app is locked) nothing of the patients can be shown, and the section says
 * why instead of showing an empty list.
 */
import { LitElement, html, nothing } from 'lit';
import { I18nController } from '../../app/service-controller.ts';
import { followLink } from '../../app/navigate.ts';
import type { ReferenceStore } from '../../admin/reference-store.ts';
import type { FacilityRecords } from '../../records/records-api.ts';
import { PATIENTS_PATH, patientsRouteOf } from './patient-paths.ts';
import '../rp-patient-search/rp-patient-search.ts';
import '../rp-patient-form/rp-patient-form.ts';
import type { DraftStore } from '../../services/draft-store.ts';
import '../rp-patient-file/rp-patient-file.ts';
import { patientsSectionStyles } from './rp-patients-section.styles.ts';

export interface SectionFacility {
  id: string;
  name: string;
}

export interface FacilityChangeDetail {
  facilityId: string;
}

/**
 * @fires rp-facility-change - the member chose another facility; detail: {facilityId}
 * @fires rp-navigate - a link inside the section was followed, or a patient was saved
 */
export class RpPatientsSection extends LitElement {
  static override styles = patientsSectionStyles;
  static override properties = {
    records: { attribute: false },
    reference: { attribute: false },
    roles: { attribute: false },
    path: { attribute: false },
    facilities: { attribute: false },
    facilityId: { attribute: false },
    drafts: { attribute: false },
  };

  /** The chosen facility's records, or null while its keys are not available on this device. */
  declare records: FacilityRecords | null;
  declare reference: ReferenceStore | null;
  declare roles: readonly string[];
  /** The current path, e.g. `/patients`, `/patients/new`, `/patients/<id>`, `/patients/<id>/edit`. */
  declare path: string;
  declare facilities: readonly SectionFacility[];
  declare facilityId: string;
  /** Sealed drafts of unsaved forms (null: none kept). */
  declare drafts: DraftStore | null;
  readonly #i18n = new I18nController(this);

  constructor() {
    super();
    this.records = null;
    this.reference = null;
    this.roles = [];
    this.path = PATIENTS_PATH;
    this.facilities = [];
    this.facilityId = '';
    this.drafts = null;
  }

  override render() {
    return html`${this.#facilityChoice()}${this.records ? this.#page(this.records) : this.#locked()}`;
  }

  #facilityChoice() {
    if (this.facilities.length < 2) return nothing;
    const t = this.#i18n.t.bind(this.#i18n);
    return html`<div class="field facility">
      <label for="facility">${t('patients.facility')}</label>
      <select id="facility" @change=${this.#chooseFacility}>
        ${this.facilities.map(
          (facility) =>
            html`<option value=${facility.id} ?selected=${facility.id === this.facilityId}>${facility.name}</option>`,
        )}
      </select>
    </div>`;
  }

  #locked() {
    return html`<h2>${this.#i18n.t('patients.heading')}</h2>
      <p class="alert" role="alert" id="locked">${this.#i18n.t('patients.locked')}</p>`;
  }

  #page(records: FacilityRecords) {
    const route = patientsRouteOf(this.path);
    switch (route.kind) {
      case 'search':
        return html`<rp-patient-search
          .records=${records}
          .reference=${this.reference}
          .roles=${this.roles}
        ></rp-patient-search>`;
      case 'new':
        return html`${this.#back()}
          <rp-patient-form
            .records=${records}
            .reference=${this.reference}
            .roles=${this.roles}
            .drafts=${this.drafts}
          ></rp-patient-form>`;
      case 'edit':
        return html`${this.#back()}
          <rp-patient-form
            .records=${records}
            .reference=${this.reference}
            .roles=${this.roles}
            .patientId=${route.patientId}
            .drafts=${this.drafts}
          ></rp-patient-form>`;
      case 'file':
        return html`${this.#back()}
          <rp-patient-file
            .records=${records}
            .reference=${this.reference}
            .roles=${this.roles}
            .patientId=${route.patientId}
            .facilities=${this.facilities}
            .facilityId=${this.facilityId}
            .drafts=${this.drafts}
          ></rp-patient-file>`;
    }
  }

  #back() {
    return html`<p>
      <a class="back" href=${PATIENTS_PATH} @click=${(event: MouseEvent) => followLink(event, PATIENTS_PATH)}
        >${this.#i18n.t('patients.backToList')}</a
      >
    </p>`;
  }

  #chooseFacility(event: Event): void {
    const facilityId = (event.currentTarget as HTMLSelectElement).value;
    if (facilityId === this.facilityId) return;
    this.dispatchEvent(
      new CustomEvent<FacilityChangeDetail>('rp-facility-change', {
        detail: { facilityId },
        bubbles: true,
        composed: true,
      }),
    );
  }
}

customElements.define('rp-patients-section', RpPatientsSection);

declare global {
  interface HTMLElementTagNameMap {
    'rp-patients-section': RpPatientsSection;
  }
  interface GlobalEventHandlersEventMap {
    'rp-facility-change': CustomEvent<FacilityChangeDetail>;
  }
}
