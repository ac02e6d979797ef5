/**
 * `/prescriptions` (optionally `?patient=<id>`): prescriptions of the facility searched by medicament (id, INN
 * words or an ATC prefix), opioid strength, a period that overlaps their active interval, prescriber, status and
 * patient, through `listPrescriptions`. The results can be picked as a group for the prescription report, which is
 * built elsewhere from the `rp-prescription-report` event. Patients are named from the decrypted passports the
 * records layer holds in memory; nothing identifying leaves the device.
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { I18nController } from '../../app/service-controller.ts';
import { followLink } from '../../app/navigate.ts';
import { DISPLAY_STATUSES, type DisplayStatus } from '../../../common/records/types.ts';
import type { Medicament } from '../../../common/reference/types.ts';
import type {
  FacilityRecords,
  PatientSummary,
  PrescriptionFilter,
  PrescriptionView,
} from '../../records/records-api.ts';
import type { ReferenceStore } from '../../admin/reference-store.ts';
import { careStyles } from '../rp-patient-file/care.styles.ts';
import { readPrescriptionBooks } from '../rp-prescription-list/prescription-books.ts';
import { renderPrescriptionTable } from '../rp-prescription-list/prescription-table.ts';
import type { PrescriptionReportDetail } from '../rp-prescription-list/rp-prescription-list.ts';
import { PrescriptionReportController } from '../../reports/prescription-report-controller.ts';

/** "Иванова М. П." — enough to tell patients apart in a list without spelling out every name. */
export function shortName(patient: Pick<PatientSummary, 'surname' | 'name' | 'patronymic'>): string {
  const initial = (word?: string) => (word ? ` ${word.charAt(0)}.` : '');
  return `${patient.surname}${initial(patient.name)}${initial(patient.patronymic)}`;
}

/**
 * @fires rp-prescription-report - the member asked for the report of the selected prescriptions
 * @fires rp-navigate - a patient's name was followed
 */
export class RpPrescriptionsPage extends LitElement {
  static override styles = [
    careStyles,
    css`
      :host {
        display: block;
        padding: 1.5rem 1rem 3rem;
        max-width: 72rem;
        margin: 0 auto;
      }
    `,
  ];
  static override properties = {
    records: { attribute: false },
    reference: { attribute: false },
    roles: { attribute: false },
    path: { attribute: false },
    patients: { state: true },
    medicaments: { state: true },
    staffNames: { state: true },
    results: { state: true },
    selected: { state: true },
    loadError: { state: true },
    searching: { state: true },
  };

  declare records: FacilityRecords | null;
  declare reference: ReferenceStore | null;
  declare roles: readonly string[];
  /** The route as rp-app shows it; the query (`?patient=`) is read from the address. */
  declare path: string;
  declare patients: PatientSummary[];
  declare medicaments: Medicament[];
  /** Prescribers' names by login. */
  declare staffNames: ReadonlyMap<string, string>;
  declare results: PrescriptionView[] | null;
  declare selected: Set<string>;
  declare loadError: boolean;
  declare searching: boolean;
  readonly #i18n = new I18nController(this);
  readonly #printer = new PrescriptionReportController(this, () => ({
    records: this.records,
    reference: this.reference,
  }));
  #patientFromAddress = '';

  constructor() {
    super();
    this.addEventListener('rp-prescription-report', (event) => void this.#printer.print(event.detail.prescriptionIds));
    this.records = null;
    this.reference = null;
    this.roles = [];
    this.path = '/prescriptions';
    this.patients = [];
    this.medicaments = [];
    this.staffNames = new Map();
    this.results = null;
    this.selected = new Set();
    this.loadError = false;
    readPrescriptionBooks(this);
    this.searching = false;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('path')) this.#patientFromAddress = new URLSearchParams(location.search).get('patient') ?? '';
    if (changed.has('records') && this.records) {
      this.records.listPatients().then(
        (patients) => (this.patients = [...patients].sort((a, b) => shortName(a).localeCompare(shortName(b), 'ru'))),
        () => (this.loadError = true),
      );
    }
  }

  /** The first search runs once the form is rendered, since the filter is read from it. */
  protected override updated(changed: PropertyValues<this>): void {
    if ((changed.has('records') || changed.has('path')) && this.records) {
      void this.updateComplete.then(() => this.search());
    }
  }

  /** The filter as it stands in the search form. */
  filter(): PrescriptionFilter {
    const root = this.renderRoot;
    const value = (id: string) =>
      root.querySelector<HTMLInputElement | HTMLSelectElement>(`#${id}`)?.value.trim() ?? '';
    const filter: PrescriptionFilter = {};
    const patientId = value('patient') || this.#patientFromAddress;
    if (patientId !== '') filter.patientId = patientId;
    if (value('medicament') !== '') filter.medicament = value('medicament');
    const opioid = value('opioid');
    if (opioid === 'strong' || opioid === 'weak') filter.opioid = opioid;
    if (value('from') !== '') filter.from = value('from');
    if (value('to') !== '') filter.to = value('to');
    if (value('prescriber') !== '') filter.prescriber = value('prescriber').toLowerCase();
    const statuses = [...root.querySelectorAll<HTMLInputElement>('input[name=status]:checked')].map(
      (box) => box.value as DisplayStatus,
    );
    if (statuses.length > 0) filter.status = statuses;
    return filter;
  }

  /** Runs the search with the form's filter. */
  async search(): Promise<void> {
    const records = this.records;
    if (!records) return;
    this.searching = true;
    try {
      this.results = await records.listPrescriptions(this.filter());
      this.selected = new Set([...this.selected].filter((id) => this.results?.some((v) => v.prescription._id === id)));
      this.loadError = false;
    } catch {
      this.loadError = true;
    } finally {
      this.searching = false;
    }
  }

  override render() {
    const t = this.#i18n.t.bind(this.#i18n);
    const locale = this.#i18n.value?.locale ?? 'ru';
    const results = this.results ?? [];
    const names = new Map(this.patients.map((patient) => [patient.patientId, shortName(patient)]));
    return html`
      <h1>${t('care.search.heading')}</h1>
      <form role="search" aria-labelledby="search-legend" @submit=${this.#submit}>
        <h2 id="search-legend" class="visually-hidden">${t('care.search.parameters')}</h2>
        <div class="form-grid">
          <div class="field">
            <label for="medicament">${t('care.search.medicament')}</label>
            <input id="medicament" type="search" autocomplete="off" aria-describedby="medicament-hint" />
            <p class="muted hint" id="medicament-hint">${t('care.search.medicamentHint')}</p>
          </div>
          <div class="field">
            <label for="opioid">${t('care.search.opioid')}</label>
            <select id="opioid">
              <option value="">${t('care.search.anyOpioid')}</option>
              <option value="strong">${t('ref.opioid.strong')}</option>
              <option value="weak">${t('ref.opioid.weak')}</option>
            </select>
          </div>
          <div class="field">
            <label for="from">${t('care.list.from')}</label>
            <input id="from" type="date" />
          </div>
          <div class="field">
            <label for="to">${t('care.list.to')}</label>
            <input id="to" type="date" />
          </div>
          <div class="field">
            <label for="prescriber">${t('care.search.prescriber')}</label>
            <input id="prescriber" autocomplete="off" autocapitalize="none" spellcheck="false" />
          </div>
          <div class="field">
            <label for="patient">${t('care.list.patient')}</label>
            <select id="patient" @change=${this.#patientPicked}>
              <option value="">${t('care.search.anyPatient')}</option>
              ${this.patients.map(
                (patient) =>
                  html`<option value=${patient.patientId} ?selected=${patient.patientId === this.#patientFromAddress}>
                    ${shortName(patient)}, ${patient.birthDate.slice(0, 4)}
                  </option>`,
              )}
            </select>
          </div>
        </div>
        <fieldset>
          <legend>${t('care.list.status')}</legend>
          <div class="checks">
            ${DISPLAY_STATUSES.map(
              (status) =>
                html`<label class="check">
                  <input type="checkbox" name="status" value=${status} />${t(`care.status.${status}`)}
                </label>`,
            )}
          </div>
        </fieldset>
        <div class="form-actions">
          <button class="button" type="submit" ?disabled=${this.searching}>${t('care.search.submit')}</button>
        </div>
      </form>
      ${this.loadError ? html`<p class="alert" role="alert">${t('care.error.load')}</p>` : nothing}
      <section aria-labelledby="results-heading">
        <h2 id="results-heading">${t('care.search.results')}</h2>
        ${
          this.results === null
            ? html`<p class="muted" role="status">${t('care.loading')}</p>`
            : renderPrescriptionTable({
                views: results,
                medicaments: this.medicaments,
                staffNames: this.staffNames,
                selected: this.selected,
                onToggle: (id, on) => this.#toggle(id, on),
                onToggleAll: (on) => (this.selected = new Set(on ? results.map((v) => v.prescription._id) : [])),
                patientNames: names,
                onOpenPatient: (event, patientId) => followLink(event, `/patients/${patientId}`),
                caption:
                  results.length === 0 ? t('care.search.none') : t('care.list.caption', { count: results.length }),
                t,
                locale,
              })
        }
        <div class="form-actions">
          <button
            class="button"
            type="button"
            ?disabled=${this.selected.size === 0 || this.#printer.printing}
            @click=${this.#report}
          >
            ${t('care.list.report', { count: this.selected.size })}
          </button>
        </div>
        ${this.#printer.render()}
      </section>
    `;
  }

  #toggle(id: string, on: boolean): void {
    const next = new Set(this.selected);
    if (on) next.add(id);
    else next.delete(id);
    this.selected = next;
  }

  /** A patient picked by hand replaces the one the address named. */
  #patientPicked(): void {
    this.#patientFromAddress = '';
  }

  #submit(event: SubmitEvent): void {
    event.preventDefault();
    void this.search();
  }

  #report(): void {
    this.dispatchEvent(
      new CustomEvent<PrescriptionReportDetail>('rp-prescription-report', {
        detail: { prescriptionIds: [...this.selected] },
        bubbles: true,
        composed: true,
      }),
    );
  }
}

customElements.define('rp-prescriptions-page', RpPrescriptionsPage);

declare global {
  interface HTMLElementTagNameMap {
    'rp-prescriptions-page': RpPrescriptionsPage;
  }
}
