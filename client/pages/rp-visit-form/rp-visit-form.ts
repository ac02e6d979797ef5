/**
 * A new visit: date, kind of contact, the scales (ECOG, Karnofsky, PPS, pain NRS, the nine ESAS-r items), leading
 * syndromes, needs noticed and a free-text note (sealed by the records layer, because people type names into
 * notes). Values are checked with the shared visit validator as the nurse submits, and problems the records layer
 * reports come back next to the same fields; the controls keep what was typed until the visit is stored. What is
 * typed is also kept sealed on the device (form-draft.ts) so that a reload or a crash loses nothing; it is offered
 * back with «Начать заново», and dropped once the visit is stored or the form is cancelled.
 */
import { LitElement, html, nothing } from 'lit';
import { I18nController } from '../../app/service-controller.ts';
import { ESAS_ITEMS, NEEDS, SYNDROMES, VISIT_TYPES, type EsasItem, type Need } from '../../../common/records/types.ts';
import { type FacilityRecords, type VisitInput, type VisitView } from '../../records/records-api.ts';
import type { MessageKey } from '../../i18n/i18n.ts';
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
import { visitFormProblems } from './visit-form-values.ts';
import type { DraftStore } from '../../services/draft-store.ts';
import { FormDraft, restoredNotice } from './form-draft.ts';

const SCALES = [
  { id: 'ecog', max: 4, step: 1 },
  { id: 'karnofsky', max: 100, step: 10 },
  { id: 'pps', max: 100, step: 10 },
  { id: 'pain', max: 10, step: 1 },
] as const;

const CONTROLS = [
  'date',
  'visitType',
  ...SCALES.map((scale) => scale.id),
  ...ESAS_ITEMS.map((item) => `esas-${item}`),
  'syndromes',
  'needsNoticed',
  'note',
];

/**
 * @fires rp-visit-saved - the visit was stored; detail: VisitView
 * @fires rp-cancel - the form was closed without saving
 */
export class RpVisitForm extends LitElement {
  static override styles = careStyles;
  static override properties = {
    records: { attribute: false },
    patientId: { attribute: false },
    roles: { attribute: false },
    today: { attribute: false },
    drafts: { attribute: false },
    busy: { state: true },
    problems: { state: true },
  };

  declare records: FacilityRecords | null;
  declare patientId: string;
  declare roles: readonly string[];
  /** `YYYY-MM-DD`: the latest date a visit may have (set by tests; the device's date otherwise). */
  declare today: string;
  /** Sealed drafts of unsaved input (services/draft-store.ts); null: nothing is kept across a reload. */
  declare drafts: DraftStore | null;
  declare busy: boolean;
  declare problems: PlacedProblems;
  readonly #i18n = new I18nController(this);
  readonly #draft = new FormDraft(this, {
    drafts: () => this.drafts,
    name: () => (this.patientId ? `visit-form:${this.patientId}` : null),
  });

  constructor() {
    super();
    this.records = null;
    this.patientId = '';
    this.roles = [];
    this.today = localToday();
    this.drafts = null;
    this.busy = false;
    this.problems = { byControl: {}, other: [] };
  }

  override render() {
    const t = this.#i18n.t.bind(this.#i18n);
    return html`
      <form novalidate @submit=${this.#submit} aria-labelledby="visit-heading">
        <h2 id="visit-heading">${t('care.visit.heading')}</h2>
        ${restoredNotice(this.#draft, { restored: t('care.draft.restored'), startOver: t('care.draft.startOver') })}
        ${
          this.problems.other.length > 0
            ? html`<div class="alert" role="alert">
                ${this.problems.other.map((message) => html`<p>${message}</p>`)}
              </div>`
            : nothing
        }
        <div class="form-grid">
          ${dateField(this, 'date', t('care.visit.date'), this.today, this.today)}
          ${selectField(
            this,
            'visitType',
            t('care.visit.type'),
            VISIT_TYPES.map((type) => ({ value: type, text: t(`care.visitType.${type}`) })),
          )}
        </div>
        <fieldset>
          <legend>${t('care.visit.scales')}</legend>
          <div class="scales">
            ${SCALES.map((scale) =>
              numberField(this, scale.id, t(`care.scale.${scale.id}`), { max: scale.max, step: scale.step }),
            )}
          </div>
          <p class="muted hint">${t('care.visit.scalesHint')}</p>
        </fieldset>
        <fieldset>
          <legend>${t('care.visit.esas')}</legend>
          <div class="scales">
            ${ESAS_ITEMS.map((item) => numberField(this, `esas-${item}`, t(`care.esas.${item}`), { max: 10, step: 1 }))}
          </div>
        </fieldset>
        ${this.#checks('syndromes', t('care.visit.syndromes'), SYNDROMES, 'care.syndrome')}
        ${this.#checks('needsNoticed', t('care.visit.needsNoticed'), NEEDS, 'care.need')}
        ${textField(this, 'note', t('care.visit.note'), t('care.visit.noteHint'), true)}
        <div class="form-actions">
          <button class="button" type="submit" ?disabled=${this.busy}>${t('care.visit.save')}</button>
          <button class="button secondary" type="button" ?disabled=${this.busy} @click=${this.#cancel}>
            ${t('care.cancel')}
          </button>
        </div>
      </form>
    `;
  }

  #checks(id: string, legend: string, values: readonly string[], prefix: string) {
    return html`<fieldset id=${id} aria-invalid=${invalid(this, id)} aria-describedby=${describedBy(this, id)}>
      <legend>${legend}</legend>
      <div class="checks">
        ${values.map(
          (value) =>
            html`<label class="check">
              <input type="checkbox" name=${id} value=${value} ?disabled=${this.busy} />
              ${this.#i18n.t(`${prefix}.${value}` as MessageKey)}
            </label>`,
        )}
      </div>
      ${errorOf(this, id)}
    </fieldset>`;
  }

  /** The visit as it stands in the form. */
  values(): VisitInput {
    const root = this.renderRoot;
    const input = (id: string) => root.querySelector<HTMLInputElement>(`#${id}`);
    const checked = (name: string) =>
      [...root.querySelectorAll<HTMLInputElement>(`input[name=${name}]:checked`)].map((box) => box.value);
    const values: VisitInput = {
      date: input('date')?.value ?? '',
      visitType: (root.querySelector<HTMLSelectElement>('#visitType')?.value ?? 'home') as VisitInput['visitType'],
      performerRole: this.roles.includes('doctor') ? 'doctor' : 'nurse',
      syndromes: checked('syndromes') as VisitInput['syndromes'],
      needsNoticed: checked('needsNoticed') as Need[],
    };
    for (const scale of SCALES) {
      const value = numberFrom(input(scale.id));
      if (value !== undefined) values[scale.id] = value;
    }
    const esas: Partial<Record<EsasItem, number>> = {};
    for (const item of ESAS_ITEMS) {
      const value = numberFrom(input(`esas-${item}`));
      if (value !== undefined) esas[item] = value;
    }
    if (Object.keys(esas).length > 0) values.esas = esas;
    const note = root.querySelector<HTMLTextAreaElement>('#note')?.value.trim() ?? '';
    if (note !== '') values.note = note;
    return values;
  }

  async #submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const records = this.records;
    if (this.busy || !records) return;
    const values = this.values();
    await submitCareForm(this, {
      problems: visitFormProblems(values, this.today),
      controls: CONTROLS,
      save: async () => {
        const saved = await records.addVisit(this.patientId, values);
        this.#draft.forget();
        return saved;
      },
      savedEvent: 'rp-visit-saved',
      saveFailed: (error) => this.#i18n.t(careSaveFailedKey(error)),
    });
  }

  #cancel(): void {
    this.#draft.forget();
    this.dispatchEvent(new Event('rp-cancel', { bubbles: true, composed: true }));
  }
}

customElements.define('rp-visit-form', RpVisitForm);

declare global {
  interface HTMLElementTagNameMap {
    'rp-visit-form': RpVisitForm;
  }
  interface GlobalEventHandlersEventMap {
    'rp-visit-saved': CustomEvent<VisitView>;
  }
}
