/**
 * The form for a new patient and for changing one: the passport (sealed by the records layer before it is stored)
 * and the pseudonymous medical record. The values live in a draft (patient-draft.ts) checked with the shared
 * validators before anything is saved, so a birth date in the future, a bad SNILS, a code the ICD-10 book does not
 * hold or a missing main diagnosis is refused next to its field; a refusal from the records layer lands on the same
 * fields, and any other failure leaves everything typed in place with a general message.
 */
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { I18nController } from '../../app/service-controller.ts';
import type { MessageKey, MessageParams } from '../../i18n/i18n.ts';
import type { DraftStore } from '../../services/draft-store.ts';
import type { ReferenceStore } from '../../admin/reference-store.ts';
import {
  NoFacilityKeyError,
  RecordValidationError,
  type FacilityRecords,
  type PatientFile,
} from '../../records/records-api.ts';
import {
  CAREGIVER_AVAILABILITY,
  CARE_SETTINGS,
  DISEASE_GROUPS,
  ELIGIBILITY_BASES,
  IDENTITY_DOCUMENT_KINDS,
  SEXES,
} from '../../../common/records/index.ts';
import {
  EMPTY_REFERENCE,
  loadPatientReference,
  type PatientReference,
} from '../rp-patients-section/patient-reference.ts';
import { PATIENTS_PATH, navigate, patientPath } from '../rp-patients-section/patient-paths.ts';
import { localDate } from '../rp-patients-section/local-date.ts';
import { isStorageFull } from '../../sync/storage-full.ts';
import { ReferenceReader } from '../reference-reader.ts';
import {
  controlId,
  draftFromFile,
  emptyDraft,
  formErrors,
  inputFromDraft,
  problemsInDraftRows,
  validateDraft,
  type DraftErrors,
  type PatientDraft,
} from './patient-draft.ts';
import { focusFirstInvalid, inputControl, selectControl, type Choice, type ControlOptions } from './form-controls.ts';
import { renderContacts, renderDiagnoses, renderNeeds, type FormParts } from './patient-form-parts.ts';
import { patientFormStyles } from './rp-patient-form.styles.ts';

interface Alert {
  key: MessageKey;
  params?: MessageParams;
}

/**
 * @fires rp-patient-saved - the records layer stored the patient; detail: the PatientFile
 * @fires rp-navigate - after a save (to the patient's file) or on cancel
 */
export class RpPatientForm extends LitElement {
  static override styles = patientFormStyles;
  static override properties = {
    drafts: { attribute: false },
    restored: { state: true },
    records: { attribute: false },
    reference: { attribute: false },
    roles: { attribute: false },
    patientId: { attribute: false },
    today: { attribute: false },
    draft: { state: true },
    errors: { state: true },
    alert: { state: true },
    busy: { state: true },
    loaded: { state: true },
    lookup: { state: true },
    diagnosisQuery: { state: true },
  };

  declare records: FacilityRecords | null;
  declare reference: ReferenceStore | null;
  declare roles: readonly string[];
  /** The patient being changed; empty for a new one. */
  declare patientId: string;
  /** The device's date (`YYYY-MM-DD`). */
  declare today: string;
  declare draft: PatientDraft;
  declare errors: DraftErrors;
  declare alert: Alert | null;
  declare busy: boolean;
  /** The stored patient being changed, once opened. */
  declare loaded: PatientFile | null;
  declare lookup: PatientReference;
  declare diagnosisQuery: string;
  /** Sealed drafts of unsaved input (services/draft-store.ts); null: nothing is kept across a reload. */
  declare drafts: DraftStore | null;
  /** The form holds input restored from a draft (a notice offers to start over). */
  declare restored: boolean;
  #draftTimer: ReturnType<typeof setTimeout> | null = null;
  #draftChecked = false;
  readonly #i18n = new I18nController(this);

  constructor() {
    super();
    this.records = null;
    this.reference = null;
    this.roles = [];
    this.patientId = '';
    this.today = localDate();
    this.#defaultInclusionDate = this.today;
    this.draft = emptyDraft(this.today);
    this.errors = {};
    this.alert = null;
    this.busy = false;
    this.loaded = null;
    this.lookup = EMPTY_REFERENCE;
    this.diagnosisQuery = '';
    this.drafts = null;
    this.restored = false;
    // The districts and ICD-10 codes, read again as the member's replica receives them (a new device's first sync).
    new ReferenceReader(this, {
      store: () => this.reference,
      read: loadPatientReference,
      use: (lookup) => (this.lookup = lookup),
      // Without the reference books only the format of codes is checked; the form still works.
      failed: () => (this.lookup = EMPTY_REFERENCE),
    });
  }

  get #draftName(): string {
    return `patient-form:${this.patientId || 'new'}`;
  }

  /** Restores input kept from before a reload or a crash, once, after the stored patient (if any) was opened. */
  async #restoreDraft(): Promise<void> {
    const drafts = this.drafts;
    if (!drafts || this.#draftChecked || (this.patientId && !this.loaded)) return;
    this.#draftChecked = true;
    const kept = (await drafts.load(this.#draftName)) as PatientDraft | null;
    if (kept && typeof kept === 'object') {
      this.draft = { ...this.draft, ...kept };
      this.restored = true;
    }
  }

  /** Keeps what is typed, sealed, half a second after the last change. */
  #keepDraft(): void {
    const drafts = this.drafts;
    if (!drafts || !this.#draftChecked) return;
    if (this.#draftTimer) clearTimeout(this.#draftTimer);
    const name = this.#draftName;
    const draft = this.draft;
    this.#draftTimer = setTimeout(() => void drafts.save(name, draft).catch(() => undefined), 500);
  }

  #forgetDraft(): void {
    if (this.#draftTimer) clearTimeout(this.#draftTimer);
    this.#draftTimer = null;
    this.drafts?.discard(this.#draftName);
    this.restored = false;
  }

  #startOver(): void {
    this.#forgetDraft();
    this.draft = this.loaded ? draftFromFile(this.loaded, this.today) : emptyDraft(this.today);
    this.errors = {};
  }

  /** The date a new patient's inclusion date was filled with, so that a later `today` moves it along. */
  #defaultInclusionDate: string;

  protected override willUpdate(changed: PropertyValues<this>): void {
    // A new patient's inclusion date follows the page's `today` (set after the constructor read the clock) for as
    // long as it is still the date it was filled with; a date someone typed or a restored draft keeps its own.
    if (changed.has('today') && !this.patientId && this.draft.inclusionDate === this.#defaultInclusionDate) {
      this.draft = { ...this.draft, inclusionDate: this.today };
    }
    if (changed.has('today')) this.#defaultInclusionDate = this.today;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if ((changed.has('patientId') || changed.has('records')) && this.patientId && this.records) {
      void this.#open(this.records, this.patientId);
    }
    if (changed.has('drafts') || changed.has('loaded')) void this.#restoreDraft();
    else if (changed.has('draft') && !this.busy) this.#keepDraft();
  }

  async #open(records: FacilityRecords, patientId: string): Promise<void> {
    if (this.loaded?.patientId === patientId) return;
    try {
      const file = await records.openPatient(patientId);
      this.loaded = file;
      this.draft = draftFromFile(file, this.today);
    } catch {
      this.alert = { key: 'patients.error.load' };
    }
  }

  get #isEdit(): boolean {
    return this.patientId !== '';
  }

  /** Sets one field of the draft. */
  #set = <K extends keyof PatientDraft>(key: K, value: PatientDraft[K]): void => {
    this.draft = { ...this.draft, [key]: value };
  };

  #options = (path: string, extra: ControlOptions = {}): ControlOptions => ({
    ...extra,
    error: this.errors[path] ?? null,
    disabled: this.busy,
  });

  #choices(prefix: string, values: readonly string[], empty = true): Choice[] {
    const t = this.#i18n.t.bind(this.#i18n);
    return [
      ...(empty ? [{ value: '', label: t('patients.choose') }] : []),
      ...values.map((value) => ({ value, label: t(`${prefix}.${value}` as MessageKey) })),
    ];
  }

  #text(path: string, label: MessageKey, key: keyof PatientDraft, extra: ControlOptions = {}) {
    const value = this.draft[key];
    return inputControl(
      controlId(path),
      this.#i18n.t(label),
      typeof value === 'string' ? value : '',
      (typed) => this.#set(key, typed as never),
      this.#options(path, extra),
    );
  }

  #select(path: string, label: MessageKey, key: keyof PatientDraft, choices: Choice[]) {
    const value = this.draft[key];
    return selectControl(
      controlId(path),
      this.#i18n.t(label),
      typeof value === 'string' ? value : '',
      choices,
      (chosen) => this.#set(key, chosen as never),
      this.#options(path),
    );
  }

  #districtChoices(): Choice[] {
    const choices = [
      { value: '', label: this.#i18n.t('patients.choose') },
      ...this.lookup.districts.map((district) => ({ value: district._id, label: district.name })),
    ];
    const current = this.draft.districtId;
    if (current && !choices.some((choice) => choice.value === current)) {
      choices.push({ value: current, label: this.lookup.districtName(current) ?? current });
    }
    return choices;
  }

  override render() {
    const t = this.#i18n.t.bind(this.#i18n);
    const p = this.loaded?.passport;
    const heading = this.#isEdit
      ? t('patients.form.editHeading', { name: p ? `${p.surname} ${p.name}` : '' })
      : t('patients.form.newHeading');
    const pending = !this.#isEdit && !this.roles.includes('doctor');
    const parts: FormParts = {
      t,
      draft: this.draft,
      errors: this.errors,
      busy: this.busy,
      set: this.#set,
      lookup: this.lookup,
      diagnosisQuery: this.diagnosisQuery,
      setDiagnosisQuery: (query) => (this.diagnosisQuery = query),
    };
    if (this.#isEdit && !this.loaded) {
      // Fields appear only once the stored patient is open: input typed earlier would be overwritten by it.
      return html`<h2 id="patient-form-heading">${heading}</h2>
        ${
          this.alert
            ? html`<p class="alert" role="alert">${t(this.alert.key, this.alert.params)}</p>`
            : html`<p class="muted" role="status">${t('patients.loading')}</p>`
        }`;
    }
    return html`<form novalidate aria-labelledby="patient-form-heading" @submit=${this.#submit}>
      <h2 id="patient-form-heading">${heading}</h2>
      ${pending ? html`<p class="alert info" id="pending-notice">${t('patients.form.pendingNotice')}</p>` : nothing}
      <div role="alert">
        ${this.alert ? html`<p class="alert">${t(this.alert.key, this.alert.params)}</p>` : nothing}
      </div>
      ${
        this.restored
          ? html`<div class="alert info" role="status">
              <p>${t('patients.form.restored')}</p>
              <button class="button secondary" type="button" @click=${this.#startOver}>
                ${t('patients.form.startOver')}
              </button>
            </div>`
          : nothing
      }
      <section class="card" aria-labelledby="passport-heading">
        <h3 id="passport-heading">${t('patients.form.passport')}</h3>
        <p class="muted">${t('patients.form.passportNote')}</p>
        <div class="form-grid">
          ${this.#text('passport.surname', 'patients.form.surname', 'surname')}
          ${this.#text('passport.name', 'patients.form.name', 'name')}
          ${this.#text('passport.patronymic', 'patients.form.patronymic', 'patronymic')}
          ${this.#text('passport.birthDate', 'patients.form.birthDate', 'birthDate', { type: 'date', max: this.today })}
          ${this.#select('passport.sex', 'patients.form.sex', 'sex', this.#choices('patients.sex', SEXES))}
          ${this.#text('passport.snils', 'patients.form.snils', 'snils', {
            hint: t('patients.form.snilsHint'),
            inputmode: 'numeric',
          })}
          ${this.#text('passport.omsPolicy', 'patients.form.omsPolicy', 'omsPolicy', {
            hint: t('patients.form.omsHint'),
            inputmode: 'numeric',
          })}
        </div>
        ${this.#documentFields()}
        <div class="form-grid">
          ${this.#text('passport.address.text', 'patients.form.address', 'address')}
          ${this.#select('record.districtId', 'patients.form.district', 'districtId', this.#districtChoices())}
        </div>
        ${renderContacts(parts)}
      </section>
      <section class="card" aria-labelledby="record-heading">
        <h3 id="record-heading">${t('patients.form.record')}</h3>
        <div class="form-grid">
          ${this.#select('record.diseaseGroup', 'patients.form.diseaseGroup', 'diseaseGroup', this.#choices('patients.diseaseGroup', DISEASE_GROUPS))}
          ${this.#select('record.eligibility', 'patients.form.eligibility', 'eligibility', this.#choices('patients.eligibility', ELIGIBILITY_BASES))}
        </div>
        ${renderDiagnoses(parts)}
        <div class="form-grid">
          ${this.#text('record.inclusionDate', 'patients.form.inclusionDate', 'inclusionDate', {
            type: 'date',
            max: this.today,
          })}
          ${this.#select('record.careSetting', 'patients.form.careSetting', 'careSetting', this.#choices('patients.careSetting', CARE_SETTINGS))}
          ${this.#select('record.caregiver', 'patients.form.caregiverAvailability', 'caregiver', this.#choices('patients.caregiver', CAREGIVER_AVAILABILITY))}
        </div>
        ${renderNeeds(parts)}
      </section>
      <div class="form-actions">
        <button class="button" type="submit" ?disabled=${this.busy}>
          ${this.busy ? t('patients.form.saving') : this.#isEdit ? t('patients.form.save') : t('patients.form.create')}
        </button>
        <button class="button secondary" type="button" ?disabled=${this.busy} @click=${this.#cancel}>
          ${t('patients.cancel')}
        </button>
      </div>
    </form>`;
  }

  #documentFields() {
    const t = this.#i18n.t.bind(this.#i18n);
    const error = this.errors['passport.identityDocument'];
    return html`<fieldset
      id="passport-identityDocument"
      aria-invalid=${error ? 'true' : 'false'}
      aria-describedby=${error ? 'passport-identityDocument-error' : nothing}
    >
      <legend>${t('patients.form.document')}</legend>
      <div class="form-grid">
        ${this.#select('passport.identityDocument.kind', 'patients.form.documentKind', 'documentKind', this.#choices('patients.documentKind', IDENTITY_DOCUMENT_KINDS))}
        ${this.#text('passport.identityDocument.series', 'patients.form.documentSeries', 'documentSeries')}
        ${this.#text('passport.identityDocument.number', 'patients.form.documentNumber', 'documentNumber')}
        ${this.#text('passport.identityDocument.issuedBy', 'patients.form.documentIssuedBy', 'documentIssuedBy')}
        ${this.#text('passport.identityDocument.issuedOn', 'patients.form.documentIssuedOn', 'documentIssuedOn', {
          type: 'date',
          max: this.today,
        })}
      </div>
      ${error ? html`<p class="field-error" id="passport-identityDocument-error">${error}</p>` : nothing}
    </fieldset>`;
  }

  /** Shows problems next to their fields (and the rest in the general message), then focuses the first. */
  async #showProblems(problems: RecordValidationError['problems']): Promise<void> {
    const { byField, other } = formErrors(problems);
    this.errors = byField;
    this.alert =
      other.length > 0
        ? { key: 'patients.form.otherProblems', params: { problems: other.join(' ') } }
        : { key: 'patients.form.invalid' };
    await this.updateComplete;
    focusFirstInvalid(this.renderRoot);
  }

  async #submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const records = this.records;
    if (this.busy || !records) return;
    this.draft = {
      ...this.draft,
      diagnoses: this.draft.diagnoses.map((d) => ({ ...d, code: d.code.trim() && this.lookup.normaliseCode(d.code) })),
    };
    const problems = validateDraft(this.draft, this.today, this.lookup.lookups);
    if (problems.length > 0) {
      await this.#showProblems(problems);
      return;
    }
    this.errors = {};
    this.alert = null;
    this.busy = true;
    try {
      const input = inputFromDraft(this.draft);
      const file = this.#isEdit
        ? await records.updatePatient(this.patientId, input, this.today)
        : await records.createPatient(input);
      this.loaded = file;
      this.#forgetDraft();
      this.dispatchEvent(new CustomEvent('rp-patient-saved', { detail: file, bubbles: true, composed: true }));
      navigate(this, patientPath(file.patientId));
    } catch (error) {
      if (error instanceof RecordValidationError) {
        this.busy = false;
        await this.#showProblems(problemsInDraftRows(error.problems, this.draft));
      } else {
        this.alert = {
          key:
            error instanceof NoFacilityKeyError
              ? 'patients.error.noKey'
              : isStorageFull(error)
                ? 'patients.error.storageFull'
                : 'patients.error.save',
        };
      }
    } finally {
      this.busy = false;
    }
  }

  #cancel(): void {
    this.#forgetDraft();
    navigate(this, this.#isEdit ? patientPath(this.patientId) : PATIENTS_PATH);
  }
}

customElements.define('rp-patient-form', RpPatientForm);

declare global {
  interface HTMLElementTagNameMap {
    'rp-patient-form': RpPatientForm;
  }
  interface GlobalEventHandlersEventMap {
    'rp-patient-saved': CustomEvent<PatientFile>;
  }
}
