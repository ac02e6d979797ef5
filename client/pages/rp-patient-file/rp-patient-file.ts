/**
 * One patient's file (`/patients/<id>`): the passport summary, the medical record with its dated histories, the
 * visits with ECOG, PPS and pain over time, and the prescriptions. Opening the file goes through `openPatient`,
 * which writes the `passport-opened` audit event, so every look at a name is accounted for. `?visit=new` and
 * `?prescription=new` in the address open the matching form at once (the patient search links there).
 */
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { I18nController } from '../../app/service-controller.ts';
import { followLink } from '../../app/navigate.ts';
import { can } from '../../../common/roles.ts';
import type { FacilityRecords, PatientFile, VisitView } from '../../records/records-api.ts';
import type { ReferenceStore } from '../../admin/reference-store.ts';
import { careStyles } from './care.styles.ts';
import { localToday } from './care-dates.ts';
import { loadReferenceNames, type ReferenceNames } from './reference-names.ts';
import { renderPassport, renderRecord } from './patient-summary.ts';
import { renderVisits } from './visit-history.ts';
import { ReferenceReader } from '../reference-reader.ts';
import '../rp-visit-form/rp-visit-form.ts';
import '../rp-scales-chart/rp-scales-chart.ts';
import '../rp-prescription-form/rp-prescription-form.ts';
import '../rp-prescription-list/rp-prescription-list.ts';
import '../rp-status-change/rp-status-change.ts';
import type { FacilityChoice } from '../rp-status-change/rp-status-change.ts';
import type { PrescriptionReportDetail } from '../rp-prescription-list/rp-prescription-list.ts';
import { PrescriptionReportController } from '../../reports/prescription-report-controller.ts';
import type { DraftStore } from '../../services/draft-store.ts';

type OpenForm = 'visit' | 'prescription' | 'status' | null;

/** The form the address asks for (`?visit=new`, `?prescription=new`). */
export function formFromQuery(search: string): OpenForm {
  const query = new URLSearchParams(search);
  if (query.get('visit') === 'new') return 'visit';
  if (query.get('prescription') === 'new') return 'prescription';
  return null;
}

/** @fires rp-navigate - «Изменить» was pressed: `/patients/<id>/edit` */
export class RpPatientFile extends LitElement {
  static override styles = careStyles;
  static override properties = {
    records: { attribute: false },
    reference: { attribute: false },
    patientId: { attribute: false },
    roles: { attribute: false },
    today: { attribute: false },
    facilities: { attribute: false },
    facilityId: { attribute: false },
    drafts: { attribute: false },
    file: { state: true },
    visits: { state: true },
    names: { state: true },
    form: { state: true },
    failed: { state: true },
  };

  declare records: FacilityRecords | null;
  declare reference: ReferenceStore | null;
  declare patientId: string;
  /** The signed-in member's roles (doctors write prescriptions). */
  declare roles: readonly string[];
  /** `YYYY-MM-DD` (set by tests; the device's date otherwise). */
  declare today: string;
  /** The member's facilities (a transfer names its target) and the one in use. */
  declare facilities: readonly FacilityChoice[];
  declare facilityId: string;
  /** Sealed drafts of the visit and prescription forms (services/draft-store.ts); null: none kept. */
  declare drafts: DraftStore | null;
  declare file: PatientFile | null;
  declare visits: VisitView[];
  declare names: ReferenceNames;
  declare form: OpenForm;
  declare failed: boolean;
  readonly #i18n = new I18nController(this);
  readonly #report = new PrescriptionReportController(this, () => ({
    records: this.records,
    reference: this.reference,
  }));

  constructor() {
    super();
    this.records = null;
    this.reference = null;
    this.patientId = '';
    this.roles = [];
    this.today = localToday();
    this.facilities = [];
    this.facilityId = '';
    this.drafts = null;
    this.file = null;
    this.visits = [];
    this.names = { diagnoses: new Map(), districts: new Map(), staff: new Map() };
    this.form = null;
    this.failed = false;
    // Names of diagnoses, districts and colleagues, read again as a new device's first sync brings the books; a
    // failed reading leaves the codes shown as they are.
    new ReferenceReader(this, {
      store: () => this.reference,
      read: loadReferenceNames,
      use: (names) => (this.names = names),
    });
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('records') || changed.has('patientId')) && this.records && this.patientId) {
      const wanted = formFromQuery(location.search);
      this.form = wanted === 'prescription' && !can(this.roles, 'write-prescriptions') ? null : wanted;
      void this.#load(this.records, this.patientId);
    }
  }

  async #load(records: FacilityRecords, patientId: string): Promise<void> {
    this.file = null;
    this.failed = false;
    try {
      this.file = await records.openPatient(patientId);
      await this.#loadVisits();
      if (this.form) await this.#focusForm(this.form);
    } catch {
      this.failed = true;
    }
  }

  async #loadVisits(): Promise<void> {
    if (!this.records) return;
    this.visits = await this.records.listVisits(this.patientId);
  }

  override render() {
    const t = this.#i18n.t.bind(this.#i18n);
    const locale = this.#i18n.value?.locale ?? 'ru';
    if (!this.records) return html`<p class="alert info" role="status">${t('care.file.noRecords')}</p>`;
    if (this.failed) return html`<p class="alert" role="alert">${t('care.file.openFailed')}</p>`;
    const file = this.file;
    if (!file) return html`<p class="muted" role="status">${t('care.loading')}</p>`;
    const doctor = can(this.roles, 'write-prescriptions');
    const passport = file.passport;
    const fullName = [passport.surname, passport.name, passport.patronymic].filter(Boolean).join(' ');
    return html`
      <h1>${fullName}</h1>
      <div class="form-actions">
        <a class="button secondary" href="/patients/${this.patientId}/edit" @click=${this.#edit}
          >${t('care.file.edit')}</a
        >
        <button class="button" type="button" id="new-visit" @click=${() => this.#open('visit')}>
          ${t('care.file.newVisit')}
        </button>
        <button class="button secondary" type="button" id="change-status" @click=${() => this.#open('status')}>
          ${t('care.file.changeStatus')}
        </button>
        ${
          doctor
            ? html`<button
                class="button"
                type="button"
                id="new-prescription"
                @click=${() => this.#open('prescription')}
              >
                ${t('care.file.newPrescription')}
              </button>`
            : nothing
        }
      </div>
      ${this.#form()}
      <section aria-labelledby="passport-heading">
        <h2 id="passport-heading">${t('care.file.passport')}</h2>
        ${renderPassport(passport, this.today, t, locale)}
      </section>
      <section aria-labelledby="record-heading">
        <h2 id="record-heading">${t('care.file.record')}</h2>
        ${renderRecord(file, this.names, t, locale)}
      </section>
      <section aria-labelledby="visits-heading">
        <h2 id="visits-heading">${t('care.file.visits')}</h2>
        <rp-scales-chart .visits=${this.visits.map((view) => view.visit)}></rp-scales-chart>
        ${renderVisits(this.visits, t, locale, this.names.staff)}
      </section>
      <section aria-labelledby="prescriptions-heading">
        <h2 id="prescriptions-heading">${t('care.file.prescriptions')}</h2>
        <rp-prescription-list
          .records=${this.records}
          .reference=${this.reference}
          .patientId=${this.patientId}
          .roles=${this.roles}
          @rp-prescription-report=${(event: CustomEvent<PrescriptionReportDetail>) =>
            void this.#report.print(event.detail.prescriptionIds)}
        ></rp-prescription-list>
        ${this.#report.render()}
      </section>
    `;
  }

  #form() {
    if (this.form === 'visit') {
      return html`<section class="card panel">
        <rp-visit-form
          .records=${this.records}
          .patientId=${this.patientId}
          .roles=${this.roles}
          .today=${this.today}
          .drafts=${this.drafts}
          @rp-visit-saved=${this.#visitSaved}
          @rp-cancel=${this.#close}
        ></rp-visit-form>
      </section>`;
    }
    if (this.form === 'prescription') {
      return html`<section class="card panel">
        <rp-prescription-form
          .records=${this.records}
          .reference=${this.reference}
          .patientId=${this.patientId}
          .roles=${this.roles}
          .today=${this.today}
          .drafts=${this.drafts}
          @rp-prescription-saved=${this.#close}
          @rp-cancel=${this.#close}
        ></rp-prescription-form>
      </section>`;
    }
    if (this.form === 'status') {
      return html`<section class="card panel">
        <rp-status-change
          .records=${this.records}
          .reference=${this.reference}
          .roles=${this.roles}
          .file=${this.file}
          .facilities=${this.facilities}
          .facilityId=${this.facilityId}
          .today=${this.today}
          @rp-status-changed=${this.#statusChanged}
          @rp-cancel=${this.#close}
        ></rp-status-change>
      </section>`;
    }
    return nothing;
  }

  #statusChanged(event: CustomEvent<PatientFile>): void {
    this.file = event.detail;
    this.#close();
  }

  async #open(form: Exclude<OpenForm, null>): Promise<void> {
    this.form = form;
    await this.#focusForm(form);
  }

  /** Puts the keyboard on the form's first field, so a nurse can start typing at once. */
  async #focusForm(form: Exclude<OpenForm, null>): Promise<void> {
    await this.updateComplete;
    const tag = form === 'visit' ? 'rp-visit-form' : form === 'status' ? 'rp-status-change' : 'rp-prescription-form';
    const element = this.renderRoot.querySelector(tag);
    await element?.updateComplete;
    element?.renderRoot.querySelector<HTMLElement>('input, select')?.focus();
  }

  async #visitSaved(): Promise<void> {
    this.#close();
    await this.#loadVisits();
  }

  /** Closes the form and drops `?visit=new` from the address, so going back does not open it again. */
  #close(): void {
    this.form = null;
    if (formFromQuery(location.search)) history.replaceState(history.state, '', location.pathname);
    this.renderRoot.querySelector<HTMLElement>('#new-visit')?.focus();
  }

  #edit(event: MouseEvent): void {
    followLink(event, `/patients/${this.patientId}/edit`);
  }
}

customElements.define('rp-patient-file', RpPatientFile);

declare global {
  interface HTMLElementTagNameMap {
    'rp-patient-file': RpPatientFile;
  }
}
