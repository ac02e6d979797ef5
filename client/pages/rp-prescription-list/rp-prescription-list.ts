/**
 * One patient's prescription history, newest first, filtered by status, period and medicament. Doctors cancel a
 * prescription here with a reason (sealed by the records layer: reasons can name people); rows are picked with
 * checkboxes for the prescription report, which the page that holds the list builds. The list follows `change`
 * events of the records layer, so a prescription that arrives by sync shows up without a reload.
 */
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { I18nController } from '../../app/service-controller.ts';
import { can } from '../../../common/roles.ts';
import { DISPLAY_STATUSES, type DisplayStatus } from '../../../common/records/types.ts';
import type { Medicament } from '../../../common/reference/types.ts';
import {
  RecordValidationError,
  type FacilityRecords,
  type PrescriptionFilter,
  type PrescriptionView,
} from '../../records/records-api.ts';
import type { ReferenceStore } from '../../admin/reference-store.ts';
import { careStyles } from '../rp-patient-file/care.styles.ts';
import { medicamentLabel } from '../rp-prescription-form/medicaments.ts';
import { readPrescriptionBooks } from './prescription-books.ts';
import { renderPrescriptionTable } from './prescription-table.ts';

export interface PrescriptionReportDetail {
  prescriptionIds: string[];
}

/**
 * @fires rp-prescription-report - the member asked for the report of the selected prescriptions
 * @fires rp-prescription-cancelled - a prescription was cancelled; detail: PrescriptionView
 */
export class RpPrescriptionList extends LitElement {
  static override styles = careStyles;
  static override properties = {
    records: { attribute: false },
    reference: { attribute: false },
    patientId: { attribute: false },
    roles: { attribute: false },
    views: { state: true },
    medicaments: { state: true },
    staffNames: { state: true },
    selected: { state: true },
    cancelling: { state: true },
    cancelError: { state: true },
    loadError: { state: true },
    busy: { state: true },
  };

  declare records: FacilityRecords | null;
  declare reference: ReferenceStore | null;
  declare patientId: string;
  declare roles: readonly string[];
  declare views: PrescriptionView[] | null;
  declare medicaments: Medicament[];
  /** Prescribers' names by login. */
  declare staffNames: ReadonlyMap<string, string>;
  declare selected: Set<string>;
  /** The prescription whose cancellation is being asked for. */
  declare cancelling: PrescriptionView | null;
  declare cancelError: string;
  declare loadError: boolean;
  declare busy: boolean;
  readonly #i18n = new I18nController(this);
  #listening: FacilityRecords | null = null;
  readonly #onChange = (): void => void this.reload();

  constructor() {
    super();
    this.records = null;
    this.reference = null;
    this.patientId = '';
    this.roles = [];
    this.views = null;
    this.medicaments = [];
    this.staffNames = new Map();
    this.selected = new Set();
    this.cancelling = null;
    this.cancelError = '';
    this.loadError = false;
    readPrescriptionBooks(this);
    this.busy = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#listen();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#listening?.removeEventListener('change', this.#onChange);
    this.#listening = null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('records') || changed.has('patientId')) {
      this.#listen();
      void this.reload();
    }
  }

  #listen(): void {
    if (this.#listening === this.records && this.isConnected) return;
    this.#listening?.removeEventListener('change', this.#onChange);
    this.#listening = this.isConnected ? this.records : null;
    this.#listening?.addEventListener('change', this.#onChange);
  }

  /** The filter as it stands in the filter fields. */
  filter(): PrescriptionFilter {
    const root = this.renderRoot;
    const value = (id: string) =>
      root.querySelector<HTMLInputElement | HTMLSelectElement>(`#${id}`)?.value.trim() ?? '';
    const filter: PrescriptionFilter = { patientId: this.patientId };
    const status = value('filter-status');
    if (status !== '') filter.status = [status as DisplayStatus];
    if (value('filter-from') !== '') filter.from = value('filter-from');
    if (value('filter-to') !== '') filter.to = value('filter-to');
    if (value('filter-medicament') !== '') filter.medicament = value('filter-medicament');
    return filter;
  }

  /** Reads the patient's prescriptions again with the current filter. */
  async reload(): Promise<void> {
    const records = this.records;
    if (!records || !this.patientId) return;
    try {
      const views = await records.listPrescriptions(this.filter());
      this.views = [...views].sort((a, b) =>
        a.prescription.start === b.prescription.start
          ? b.prescription.createdAt.localeCompare(a.prescription.createdAt)
          : b.prescription.start.localeCompare(a.prescription.start),
      );
      this.loadError = false;
    } catch {
      this.loadError = true;
    }
  }

  override render() {
    const t = this.#i18n.t.bind(this.#i18n);
    const locale = this.#i18n.value?.locale ?? 'ru';
    const views = this.views ?? [];
    const mayCancel = can(this.roles, 'write-prescriptions');
    return html`
      <form class="toolbar" role="search" aria-label=${t('care.list.filters')} @submit=${this.#filter}>
        <div class="field">
          <label for="filter-status">${t('care.list.status')}</label>
          <select id="filter-status" @change=${this.#filter}>
            <option value="">${t('care.list.anyStatus')}</option>
            ${DISPLAY_STATUSES.map((status) => html`<option value=${status}>${t(`care.status.${status}`)}</option>`)}
          </select>
        </div>
        <div class="field">
          <label for="filter-from">${t('care.list.from')}</label>
          <input id="filter-from" type="date" @change=${this.#filter} />
        </div>
        <div class="field">
          <label for="filter-to">${t('care.list.to')}</label>
          <input id="filter-to" type="date" @change=${this.#filter} />
        </div>
        <div class="field">
          <label for="filter-medicament">${t('care.list.medicament')}</label>
          <input id="filter-medicament" type="search" autocomplete="off" />
        </div>
        <button class="button secondary" type="submit">${t('care.list.apply')}</button>
      </form>
      ${this.loadError ? html`<p class="alert" role="alert">${t('care.error.load')}</p>` : nothing}
      ${
        this.views === null
          ? html`<p class="muted" role="status">${t('care.loading')}</p>`
          : renderPrescriptionTable({
              views,
              medicaments: this.medicaments,
              staffNames: this.staffNames,
              selected: this.selected,
              onToggle: (id, on) => this.#toggle(id, on),
              onToggleAll: (on) => (this.selected = new Set(on ? views.map((v) => v.prescription._id) : [])),
              onCancel: mayCancel ? (view) => void this.#askCancel(view) : undefined,
              caption: views.length === 0 ? t('care.list.none') : t('care.list.caption', { count: views.length }),
              t,
              locale,
            })
      }
      <div class="form-actions">
        <button class="button secondary" type="button" ?disabled=${this.selected.size === 0} @click=${this.#report}>
          ${t('care.list.report', { count: this.selected.size })}
        </button>
      </div>
      ${this.cancelling ? this.#cancelPanel(this.cancelling) : nothing}
    `;
  }

  #cancelPanel(view: PrescriptionView) {
    const t = this.#i18n.t.bind(this.#i18n);
    const medicament = this.medicaments.find((m) => m._id === view.prescription.medicamentId);
    const name = medicament ? medicamentLabel(medicament, t) : view.prescription.medicamentId;
    return html`<section class="card panel" aria-labelledby="cancel-heading">
      <form novalidate @submit=${this.#confirmCancel}>
        <h3 id="cancel-heading">${t('care.cancelPrescription.heading', { name })}</h3>
        <div class="field">
          <label for="cancel-reason">${t('care.cancelPrescription.reason')}</label>
          <textarea
            id="cancel-reason"
            ?disabled=${this.busy}
            aria-invalid=${this.cancelError ? 'true' : 'false'}
            aria-describedby=${this.cancelError ? 'cancel-reason-hint cancel-reason-error' : 'cancel-reason-hint'}
          ></textarea>
          <p class="muted hint" id="cancel-reason-hint">${t('care.cancelPrescription.hint')}</p>
          ${this.cancelError ? html`<p class="field-error" id="cancel-reason-error">${this.cancelError}</p>` : nothing}
        </div>
        <div class="form-actions">
          <button class="button danger" type="submit" ?disabled=${this.busy}>
            ${t('care.cancelPrescription.confirm')}
          </button>
          <button class="button secondary" type="button" ?disabled=${this.busy} @click=${this.#closeCancel}>
            ${t('care.cancelPrescription.keep')}
          </button>
        </div>
      </form>
    </section>`;
  }

  #toggle(id: string, on: boolean): void {
    const next = new Set(this.selected);
    if (on) next.add(id);
    else next.delete(id);
    this.selected = next;
  }

  #filter(event: Event): void {
    event.preventDefault();
    void this.reload();
  }

  async #askCancel(view: PrescriptionView): Promise<void> {
    this.cancelling = view;
    this.cancelError = '';
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLTextAreaElement>('#cancel-reason')?.focus();
  }

  #closeCancel(): void {
    this.cancelling = null;
    this.cancelError = '';
  }

  async #confirmCancel(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const view = this.cancelling;
    const records = this.records;
    const field = this.renderRoot.querySelector<HTMLTextAreaElement>('#cancel-reason');
    const reason = field?.value.trim() ?? '';
    if (!view || !records || this.busy) return;
    if (reason === '') {
      this.cancelError = this.#i18n.t('care.cancelPrescription.reasonRequired');
      field?.focus();
      return;
    }
    this.busy = true;
    try {
      const cancelled = await records.cancelPrescription(view.prescription._id, reason);
      this.cancelling = null;
      this.cancelError = '';
      this.dispatchEvent(
        new CustomEvent<PrescriptionView>('rp-prescription-cancelled', {
          detail: cancelled,
          bubbles: true,
          composed: true,
        }),
      );
      await this.reload();
    } catch (error) {
      this.cancelError =
        error instanceof RecordValidationError
          ? error.problems.map((problem) => problem.message).join(' ')
          : this.#i18n.t('care.error.save');
      await this.updateComplete;
      field?.focus();
    } finally {
      this.busy = false;
    }
  }

  #report(): void {
    const prescriptionIds = [...this.selected];
    this.dispatchEvent(
      new CustomEvent<PrescriptionReportDetail>('rp-prescription-report', {
        detail: { prescriptionIds },
        bubbles: true,
        composed: true,
      }),
    );
  }
}

customElements.define('rp-prescription-list', RpPrescriptionList);

declare global {
  interface HTMLElementTagNameMap {
    'rp-prescription-list': RpPrescriptionList;
  }
  interface GlobalEventHandlersEventMap {
    'rp-prescription-report': CustomEvent<PrescriptionReportDetail>;
    'rp-prescription-cancelled': CustomEvent<PrescriptionView>;
  }
}
