/**
 * Finding patients: one box for a name (prefix and typo tolerant), a birth date, a SNILS or an OMS policy — the
 * in-memory search of common/search behind `listPatients` — and filters on the medical record (status, disease
 * group, diagnosis code or range, district, care setting, a need, the latest ECOG, PPS and pain). The list follows
 * the typing (debounced, so a fast typist does not queue a search per letter) and refreshes whenever the facility's
 * data change, also when a change arrives by sync. Each row links to the patient's file, the edit form, a new
 * visit, a new prescription (doctors) and the prescription history.
 */
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { I18nController } from '../../app/service-controller.ts';
import { followLink } from '../../app/navigate.ts';
import type { MessageKey } from '../../i18n/i18n.ts';
import type { ReferenceStore } from '../../admin/reference-store.ts';
import type { FacilityRecords, PatientSummary } from '../../records/records-api.ts';
import { CARE_SETTINGS, DISEASE_GROUPS, NEEDS, PATIENT_STATUSES } from '../../../common/records/index.ts';
import {
  EMPTY_REFERENCE,
  loadPatientReference,
  type PatientReference,
} from '../rp-patients-section/patient-reference.ts';
import {
  NEW_PATIENT_PATH,
  editPatientPath,
  newPrescriptionPath,
  newVisitPath,
  patientPath,
  prescriptionHistoryPath,
} from '../rp-patients-section/patient-paths.ts';
import { inputControl, selectControl, type Choice } from '../rp-patient-form/form-controls.ts';
import { ReferenceReader } from '../reference-reader.ts';
import { NO_CHOICES, displayDate, filterOf, hasRecordFilters, type SearchChoices } from './search-filters.ts';
import { patientSearchStyles } from './rp-patient-search.styles.ts';

/** Typing pauses this long before the list follows (ms). */
export const TYPING_PAUSE_MS = 250;

const range = (from: number, to: number, step = 1): string[] =>
  Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => String(from + i * step));

export class RpPatientSearch extends LitElement {
  static override styles = patientSearchStyles;
  static override properties = {
    records: { attribute: false },
    reference: { attribute: false },
    roles: { attribute: false },
    choices: { state: true },
    results: { state: true },
    failed: { state: true },
    lookup: { state: true },
  };

  declare records: FacilityRecords | null;
  declare reference: ReferenceStore | null;
  declare roles: readonly string[];
  declare choices: SearchChoices;
  /** The rows found, or null before the first answer. */
  declare results: PatientSummary[] | null;
  declare failed: boolean;
  declare lookup: PatientReference;
  readonly #i18n = new I18nController(this);
  #timer: ReturnType<typeof setTimeout> | undefined;
  #searchNumber = 0;
  #listening: FacilityRecords | null = null;
  readonly #onChange = (): void => void this.search();

  constructor() {
    super();
    this.records = null;
    this.reference = null;
    this.roles = [];
    this.choices = NO_CHOICES;
    this.results = null;
    this.failed = false;
    this.lookup = EMPTY_REFERENCE;
    // District names and codes for the filters, read again as a new device's first sync brings the books.
    new ReferenceReader(this, {
      store: () => this.reference,
      read: loadPatientReference,
      use: (lookup) => (this.lookup = lookup),
      failed: () => (this.lookup = EMPTY_REFERENCE),
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#listen();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#timer);
    this.#listening?.removeEventListener('change', this.#onChange);
    this.#listening = null;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('records')) {
      this.#listen();
      void this.search();
    }
  }

  #listen(): void {
    if (this.#listening === this.records || !this.isConnected) return;
    this.#listening?.removeEventListener('change', this.#onChange);
    this.#listening = this.records;
    this.records?.addEventListener('change', this.#onChange);
  }

  /** Runs the search now with the current choices; an older answer arriving late is dropped. */
  async search(): Promise<void> {
    clearTimeout(this.#timer);
    const records = this.records;
    if (!records) return;
    const number = ++this.#searchNumber;
    try {
      const rows = await records.listPatients(filterOf(this.choices, this.lookup.normaliseCode));
      if (number !== this.#searchNumber) return;
      this.results = rows;
      this.failed = false;
    } catch {
      if (number === this.#searchNumber) this.failed = true;
    }
  }

  #choose(key: keyof SearchChoices, value: string, pause = false): void {
    this.choices = { ...this.choices, [key]: value };
    clearTimeout(this.#timer);
    if (pause) this.#timer = setTimeout(() => void this.search(), TYPING_PAUSE_MS);
    else void this.search();
  }

  #options(prefix: string, values: readonly string[]): Choice[] {
    const t = this.#i18n.t.bind(this.#i18n);
    return [
      { value: '', label: t('patients.any') },
      ...values.map((value) => ({ value, label: t(`${prefix}.${value}` as MessageKey) })),
    ];
  }

  #plain(values: readonly string[]): Choice[] {
    return [{ value: '', label: this.#i18n.t('patients.any') }, ...values.map((value) => ({ value, label: value }))];
  }

  override render() {
    const t = this.#i18n.t.bind(this.#i18n);
    const c = this.choices;
    const select = (key: keyof SearchChoices, label: MessageKey, choices: Choice[]) =>
      selectControl(`filter-${key}`, t(label), c[key], choices, (value) => this.#choose(key, value));
    const districts = [
      { value: '', label: t('patients.any') },
      ...this.lookup.districts.map((d) => ({ value: d._id, label: d.name })),
    ];
    return html`<div class="toolbar">
        <h2>${t('patients.heading')}</h2>
        <a class="button" href=${NEW_PATIENT_PATH} @click=${(e: MouseEvent) => followLink(e, NEW_PATIENT_PATH)}>
          ${t('patients.new')}
        </a>
      </div>
      <form role="search" aria-label=${t('patients.search.form')} @submit=${this.#submit}>
        ${inputControl(
          'patient-query',
          t('patients.search.label'),
          c.text,
          (value) => this.#choose('text', value, true),
          {
            type: 'search',
            hint: t('patients.search.hint'),
          },
        )}
        <details ?open=${hasRecordFilters(c)}>
          <summary>${t('patients.filters')}</summary>
          <div class="form-grid">
            ${select('status', 'patients.filter.status', this.#options('patients.status', PATIENT_STATUSES))}
            ${select('diseaseGroup', 'patients.filter.diseaseGroup', this.#options('patients.diseaseGroup', DISEASE_GROUPS))}
            ${inputControl(
              'filter-diagnosis',
              t('patients.filter.diagnosis'),
              c.diagnosis,
              (v) => this.#choose('diagnosis', v, true),
              {
                hint: t('patients.filter.diagnosisHint'),
              },
            )}
            ${select('districtId', 'patients.filter.district', districts)}
            ${select('careSetting', 'patients.filter.careSetting', this.#options('patients.careSetting', CARE_SETTINGS))}
            ${select('need', 'patients.filter.need', this.#options('patients.need', NEEDS))}
            ${select('ecogAtLeast', 'patients.filter.ecog', this.#plain(range(0, 4)))}
            ${select('ppsAtMost', 'patients.filter.pps', this.#plain(range(0, 100, 10)))}
            ${select('painAtLeast', 'patients.filter.pain', this.#plain(range(0, 10)))}
          </div>
          <button class="button secondary" type="button" @click=${this.#reset}>${t('patients.filter.reset')}</button>
        </details>
      </form>
      ${this.#results()}`;
  }

  #results() {
    const t = this.#i18n.t.bind(this.#i18n);
    if (this.failed) return html`<p class="alert" role="alert">${t('patients.error.load')}</p>`;
    const rows = this.results;
    if (rows === null) return html`<p class="muted" role="status">${t('patients.loading')}</p>`;
    if (rows.length === 0) return html`<p class="muted" role="status">${t('patients.results.none')}</p>`;
    const locale = this.#i18n.value?.locale ?? 'ru';
    const doctor = this.roles.includes('doctor');
    const link = (path: string, label: MessageKey, name: string) =>
      html`<a class="button secondary small" href=${path} @click=${(e: MouseEvent) => followLink(e, path)}
        >${t(label)}<span class="visually-hidden"> — ${name}</span></a
      >`;
    const count = this.#i18n.plural('patients.results', rows.length);
    return html`<p class="visually-hidden" role="status">${count}</p>
      <div class="table-wrap" tabindex="0">
        <table>
          <caption>
            ${count}
          </caption>
          <thead>
            <tr>
              <th scope="col">${t('patients.col.name')}</th>
              <th scope="col">${t('patients.col.age')}</th>
              <th scope="col">${t('patients.col.diagnosis')}</th>
              <th scope="col">${t('patients.col.status')}</th>
              <th scope="col">${t('patients.col.lastVisit')}</th>
              <th scope="col">${t('patients.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            ${rows.map((row) => {
              const name = [row.surname, row.name, row.patronymic].filter(Boolean).join(' ');
              const diagnosis = row.mainDiagnosis;
              return html`<tr>
                <th scope="row">
                  <a
                    href=${patientPath(row.patientId)}
                    @click=${(e: MouseEvent) => followLink(e, patientPath(row.patientId))}
                    >${name}</a
                  >
                  <div class="muted">${displayDate(row.birthDate, locale)}</div>
                </th>
                <td>${row.age}</td>
                <td>
                  ${
                    diagnosis
                      ? html`<strong>${diagnosis}</strong> ${this.lookup.diagnosisName(diagnosis) ?? ''}`
                      : t('patients.notSet')
                  }
                </td>
                <td><span class="badge status-${row.status}">${t(`patients.status.${row.status}`)}</span></td>
                <td>${row.lastVisit ? displayDate(row.lastVisit, locale) : t('patients.noVisit')}</td>
                <td class="actions">
                  ${link(patientPath(row.patientId), 'patients.action.open', name)}
                  ${link(editPatientPath(row.patientId), 'patients.action.edit', name)}
                  ${link(newVisitPath(row.patientId), 'patients.action.visit', name)}
                  ${doctor ? link(newPrescriptionPath(row.patientId), 'patients.action.prescription', name) : nothing}
                  ${link(prescriptionHistoryPath(row.patientId), 'patients.action.history', name)}
                </td>
              </tr>`;
            })}
          </tbody>
        </table>
      </div>`;
  }

  #submit(event: SubmitEvent): void {
    event.preventDefault();
    void this.search();
  }

  #reset(): void {
    this.choices = { ...NO_CHOICES, text: this.choices.text };
    void this.search();
  }
}

customElements.define('rp-patient-search', RpPatientSearch);

declare global {
  interface HTMLElementTagNameMap {
    'rp-patient-search': RpPatientSearch;
  }
}
