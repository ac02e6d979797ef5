/**
 * A new prescription (doctors only): the medicament picked from the reference book by INN, trade name or ATC code,
 * dose and unit, route, times a day or an interval, regular or as needed (with the daily maximum), dates,
 * quantity, prescription form and number. As the doctor types, the form shows the daily dose and the oral morphine
 * equivalent ("no factor" when the reference book has none — never zero) and the warnings of the shared rules
 * (a dose far above the usual range, two long-acting strong opioids at once). Warnings never block a save; the
 * problems of the shared validator do, next to their fields, before and after the records layer is asked.
 * What is typed is kept sealed on the device until stored or cancelled (rp-visit-form/form-draft.ts).
 */
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { I18nController } from '../../app/service-controller.ts';
import { can } from '../../../common/roles.ts';
import { PRESCRIPTION_FORMS, type Prescription } from '../../../common/records/types.ts';
import { DOSE_UNITS, type DoseUnit } from '../../../common/reference/opioid-equivalence.ts';
import { ROUTES, type Medicament, type Route } from '../../../common/reference/types.ts';
import { type FacilityRecords, type PrescriptionInput, type PrescriptionView } from '../../records/records-api.ts';
import type { ReferenceStore } from '../../admin/reference-store.ts';
import { careStyles } from '../rp-patient-file/care.styles.ts';
import {
  dateField,
  describedBy,
  errorOf,
  invalid,
  numberField,
  selectField,
  textField,
} from '../rp-patient-file/form-controls.ts';
import { localToday } from '../rp-patient-file/care-dates.ts';
import {
  type PlacedProblems,
  careSaveFailedKey,
  numberFrom,
  submitCareForm,
} from '../rp-patient-file/field-problems.ts';
import { loadMedicaments, medicamentLabel, searchMedicaments, usualPrescriptionForm } from './medicaments.ts';
import { ReferenceReader } from '../reference-reader.ts';
import {
  PRESCRIPTION_FORM_FIELDS,
  prescriptionFormProblems,
  prescriptionPreview,
  type PrescriptionPreview,
} from './prescription-form-values.ts';
import { renderPreview } from './prescription-preview.ts';
import type { DraftStore } from '../../services/draft-store.ts';
import { FormDraft, restoredNotice, type FormSnapshot } from '../rp-visit-form/form-draft.ts';

const CONTROLS: readonly string[] = PRESCRIPTION_FORM_FIELDS;

/**
 * @fires rp-prescription-saved - the prescription was stored; detail: PrescriptionView
 * @fires rp-cancel - the form was closed without saving
 */
export class RpPrescriptionForm extends LitElement {
  static override styles = careStyles;
  static override properties = {
    records: { attribute: false },
    reference: { attribute: false },
    patientId: { attribute: false },
    roles: { attribute: false },
    today: { attribute: false },
    drafts: { attribute: false },
    medicaments: { state: true },
    existing: { state: true },
    query: { state: true },
    preview: { state: true },
    busy: { state: true },
    problems: { state: true },
  };

  declare records: FacilityRecords | null;
  declare reference: ReferenceStore | null;
  declare patientId: string;
  declare roles: readonly string[];
  /** `YYYY-MM-DD` (set by tests; the device's date otherwise). */
  declare today: string;
  /** Sealed drafts of unsaved input (services/draft-store.ts); null: nothing is kept across a reload. */
  declare drafts: DraftStore | null;
  /** The reference book, once loaded. */
  declare medicaments: Medicament[];
  /** The patient's stored prescriptions, for the warnings. */
  declare existing: Prescription[];
  declare query: string;
  declare preview: PrescriptionPreview;
  declare busy: boolean;
  declare problems: PlacedProblems;
  readonly #i18n = new I18nController(this);
  #loadFailed = false;
  /** The picked medicament: kept here because the options under the select change as the doctor searches. */
  #selectedId = '';
  readonly #draft = new FormDraft(this, {
    drafts: () => this.drafts,
    name: () =>
      this.patientId && can(this.roles, 'write-prescriptions') ? `prescription-form:${this.patientId}` : null,
    restored: (snapshot) => this.#restored(snapshot),
  });

  constructor() {
    super();
    this.records = null;
    this.reference = null;
    this.patientId = '';
    this.roles = [];
    this.today = localToday();
    this.drafts = null;
    this.medicaments = [];
    this.existing = [];
    this.query = '';
    this.preview = { daily: null, equivalent: null, warnings: [] };
    this.busy = false;
    this.problems = { byControl: {}, other: [] };
    // The medicament book, read again as a new device's first sync brings it.
    new ReferenceReader(this, {
      store: () => this.reference,
      read: loadMedicaments,
      use: (medicaments) => (this.medicaments = medicaments),
      failed: () => {
        this.#loadFailed = true;
        this.requestUpdate();
      },
    });
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // A medicament restored from a draft is found once the book is read: the preview follows it then.
    if (changed.has('medicaments') && this.#selectedId) void this.updateComplete.then(() => this.#recompute());
    if ((changed.has('records') || changed.has('patientId')) && this.records && this.patientId) {
      void this.#loadExisting(this.records, this.patientId);
    }
  }

  async #loadExisting(records: FacilityRecords, patientId: string): Promise<void> {
    try {
      const views = await records.listPrescriptions({ patientId });
      this.existing = views.map((view) => view.prescription);
      this.#recompute();
    } catch {
      this.#loadFailed = true;
      this.requestUpdate();
    }
  }

  #medicamentOf = (id: string): Medicament | null => this.medicaments.find((m) => m._id === id) ?? null;

  override render() {
    const t = this.#i18n.t.bind(this.#i18n);
    if (!can(this.roles, 'write-prescriptions')) {
      return html`<p class="alert info" role="status">${t('care.prescription.doctorsOnly')}</p>`;
    }
    const selectedId = this.#selectedId;
    const found = searchMedicaments(this.medicaments, this.query);
    const selected = this.#medicamentOf(selectedId);
    const options = selected && !found.includes(selected) ? [selected, ...found] : found;
    const regimen = this.renderRoot.querySelector<HTMLInputElement>('input[name=regimen]:checked')?.value;
    return html`
      <form
        novalidate
        @submit=${this.#submit}
        @input=${this.#recompute}
        @change=${this.#changed}
        @reset=${this.#reset}
        aria-labelledby="prescription-heading"
      >
        <h2 id="prescription-heading">${t('care.prescription.heading')}</h2>
        ${restoredNotice(this.#draft, { restored: t('care.draft.restored'), startOver: t('care.draft.startOver') })}
        ${this.#loadFailed ? html`<p class="alert" role="alert">${t('care.error.load')}</p>` : nothing}
        ${
          this.problems.other.length > 0
            ? html`<div class="alert" role="alert">${this.problems.other.map((m) => html`<p>${m}</p>`)}</div>`
            : nothing
        }
        <fieldset>
          <legend>${t('care.prescription.medicament')}</legend>
          <div class="field">
            <label for="medicament-query">${t('care.prescription.medicamentSearch')}</label>
            <input
              id="medicament-query"
              type="search"
              autocomplete="off"
              aria-describedby="medicament-query-hint"
              ?disabled=${this.busy}
              @input=${this.#search}
            />
            <p class="muted hint" id="medicament-query-hint">
              ${t('care.prescription.medicamentFound', { count: found.length })}
            </p>
          </div>
          <div class="field">
            <label for="medicamentId">${t('care.prescription.medicamentPick')}</label>
            <select
              id="medicamentId"
              name="medicamentId"
              ?disabled=${this.busy}
              aria-invalid=${invalid(this, 'medicamentId')}
              aria-describedby=${describedBy(this, 'medicamentId')}
            >
              <option value="">${t('care.prescription.medicamentNone')}</option>
              ${options.map(
                (m) =>
                  html`<option value=${m._id}>
                    ${medicamentLabel(m, t)}${m.tradeNames.length > 0 ? ` (${m.tradeNames.join(', ')})` : ''} —
                    ${m.atcCode}
                  </option>`,
              )}
            </select>
            ${errorOf(this, 'medicamentId')}
          </div>
        </fieldset>
        <div class="form-grid">
          ${numberField(this, 'dose', t('care.prescription.dose'))}
          ${selectField(
            this,
            'doseUnit',
            t('care.prescription.doseUnit'),
            DOSE_UNITS.map((unit) => ({ value: unit, text: t(`care.doseUnit.${unit}`) })),
          )}
          ${selectField(
            this,
            'route',
            t('care.prescription.route'),
            ROUTES.map((route) => ({ value: route, text: t(`ref.route.${route}`) })),
          )}
        </div>
        <fieldset>
          <legend>${t('care.prescription.frequency')}</legend>
          <p class="muted hint" id="frequency-hint">${t('care.prescription.frequencyHint')}</p>
          <div class="form-grid">
            ${numberField(this, 'timesPerDay', t('care.prescription.timesPerDay'))}
            ${numberField(this, 'intervalHours', t('care.prescription.intervalHours'))}
          </div>
        </fieldset>
        <fieldset
          id="regimen"
          aria-invalid=${invalid(this, 'regimen')}
          aria-describedby=${describedBy(this, 'regimen')}
        >
          <legend>${t('care.prescription.regimen')}</legend>
          ${(['regular', 'as-needed'] as const).map(
            (value) =>
              html`<label class="check">
                <input
                  type="radio"
                  name="regimen"
                  value=${value}
                  ?checked=${value === 'regular'}
                  ?disabled=${this.busy}
                />
                ${t(`care.regimen.${value}`)}
              </label>`,
          )}
          ${errorOf(this, 'regimen')}
          <div ?hidden=${regimen !== 'as-needed'}>
            ${numberField(this, 'maxDailyDose', t('care.prescription.maxDailyDose'), {
              hint: t('care.prescription.maxDailyDoseHint'),
            })}
          </div>
        </fieldset>
        <div class="form-grid">
          ${dateField(this, 'start', t('care.prescription.start'), this.today)}
          ${dateField(this, 'end', t('care.prescription.end'))}
          ${numberField(this, 'quantity', t('care.prescription.quantity'))}
          ${selectField(
            this,
            'prescriptionForm',
            t('care.prescription.form'),
            PRESCRIPTION_FORMS.map((form) => ({
              value: form,
              text: form === 'inpatient-sheet' ? t('care.prescriptionForm.inpatient-sheet') : form,
            })),
          )}
          ${textField(this, 'number', t('care.prescription.number'), t('care.prescription.numberHint'))}
        </div>
        ${renderPreview(this.preview, selected, t, this.#i18n.value?.locale ?? 'ru')}
        <div class="form-actions">
          <button class="button" type="submit" ?disabled=${this.busy}>${t('care.prescription.save')}</button>
          <button class="button secondary" type="button" ?disabled=${this.busy} @click=${this.#cancel}>
            ${t('care.cancel')}
          </button>
        </div>
      </form>
    `;
  }

  protected override updated(): void {
    const select = this.renderRoot.querySelector<HTMLSelectElement>('#medicamentId');
    if (select && select.value !== this.#selectedId) select.value = this.#selectedId;
  }

  #search(event: InputEvent): void {
    this.query = (event.target as HTMLInputElement).value;
  }

  /** The controls were filled from a kept draft: the search, the picked medicament and the preview follow them. */
  #restored(snapshot: FormSnapshot): void {
    this.query = snapshot.values['medicament-query'] ?? '';
    this.#selectedId = snapshot.values.medicamentId ?? '';
    void this.updateComplete.then(() => this.#recompute());
  }

  /** «Начать заново» resets the controls, the search and the picked medicament. */
  #reset(): void {
    this.query = '';
    this.#selectedId = '';
    queueMicrotask(() => this.#recompute());
  }

  /** A medicament picked: its route and usual prescription form become the defaults. */
  #changed(event: Event): void {
    const target = event.target as HTMLElement;
    if (target.id === 'medicamentId') {
      this.#selectedId = (target as HTMLSelectElement).value;
      const medicament = this.#medicamentOf(this.#selectedId);
      if (medicament) {
        this.#setSelect('route', medicament.route);
        this.#setSelect('prescriptionForm', usualPrescriptionForm(medicament));
        this.#setSelect('doseUnit', medicament.strengthUnit === 'ug_per_h' ? 'ug_per_h' : 'mg');
      }
    }
    this.#recompute();
  }

  #setSelect(id: string, value: string): void {
    const select = this.renderRoot.querySelector<HTMLSelectElement>(`#${id}`);
    if (select) select.value = value;
  }

  #recompute(): void {
    const values = this.values();
    this.preview = prescriptionPreview(
      values,
      this.#medicamentOf(values.medicamentId),
      this.existing,
      this.#medicamentOf,
      this.today,
    );
  }

  /** The prescription as it stands in the form. */
  values(): PrescriptionInput {
    const root = this.renderRoot;
    const input = (id: string) => root.querySelector<HTMLInputElement>(`#${id}`);
    const select = (id: string) => root.querySelector<HTMLSelectElement>(`#${id}`)?.value ?? '';
    const regimen = root.querySelector<HTMLInputElement>('input[name=regimen]:checked')?.value;
    const values: PrescriptionInput = {
      medicamentId: select('medicamentId'),
      dose: numberFrom(input('dose')) ?? Number.NaN,
      doseUnit: select('doseUnit') as DoseUnit,
      route: select('route') as Route,
      regimen: regimen === 'as-needed' ? 'as-needed' : 'regular',
      start: input('start')?.value ?? '',
      prescriptionForm: select('prescriptionForm') as PrescriptionInput['prescriptionForm'],
    };
    const optional = { timesPerDay: 'timesPerDay', intervalHours: 'intervalHours', quantity: 'quantity' } as const;
    for (const field of Object.values(optional)) {
      const value = numberFrom(input(field));
      if (value !== undefined) values[field] = value;
    }
    if (values.regimen === 'as-needed') {
      const max = numberFrom(input('maxDailyDose'));
      if (max !== undefined) values.maxDailyDose = max;
    }
    const end = input('end')?.value ?? '';
    if (end !== '') values.end = end;
    const number = input('number')?.value.trim() ?? '';
    if (number !== '') values.number = number;
    return values;
  }

  async #submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const records = this.records;
    if (this.busy || !records) return;
    const values = this.values();
    await submitCareForm(this, {
      problems: prescriptionFormProblems(values, this.today),
      controls: CONTROLS,
      save: async () => {
        const saved = await records.addPrescription(this.patientId, values);
        this.#draft.forget();
        return saved;
      },
      savedEvent: 'rp-prescription-saved',
      saveFailed: (error) => this.#i18n.t(careSaveFailedKey(error)),
    });
  }

  #cancel(): void {
    this.#draft.forget();
    this.dispatchEvent(new Event('rp-cancel', { bubbles: true, composed: true }));
  }
}

customElements.define('rp-prescription-form', RpPrescriptionForm);

declare global {
  interface HTMLElementTagNameMap {
    'rp-prescription-form': RpPrescriptionForm;
  }
  interface GlobalEventHandlersEventMap {
    'rp-prescription-saved': CustomEvent<PrescriptionView>;
  }
}
