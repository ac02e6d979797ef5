/**
 * Changing a patient's status: exclusion from the register (a reason and an optional note), death (date, cause as
 * an ICD-10 code, place), transfer to another facility, and a doctor's confirmation of a patient a nurse
 * registered. Only the changes the current status allows are offered (death is final; only a doctor confirms).
 * The new entry is checked with the shared record validator before `changeStatus` is called, and whatever the
 * records layer refuses is shown next to its control; the choices stay as they were until the change is saved.
 * The note is free text, so the records layer seals it; the panel says so.
 *
 * A transfer is more than a status: the patient's passport, record, visits and prescriptions are sealed again for
 * the target facility and copied there (records/transfer.ts), so it goes to the facility service, which holds every
 * facility's database — taken from the context the app provides, or given as `transfers`.
 */
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { ContextConsumer } from '@lit/context';
import { I18nController } from '../../app/service-controller.ts';
import { facilitiesContext } from '../../app/contexts.ts';
import type { TransferRequest, TransferResult } from '../../records/transfer.ts';
import type { MessageKey } from '../../i18n/i18n.ts';
import type { ReferenceStore } from '../../admin/reference-store.ts';
import {
  NoFacilityKeyError,
  RecordValidationError,
  type FacilityRecords,
  type PatientFile,
} from '../../records/records-api.ts';
import { DEATH_PLACES, EXCLUSION_REASONS, currentStatus } from '../../../common/records/index.ts';
import {
  EMPTY_REFERENCE,
  loadPatientReference,
  type PatientReference,
} from '../rp-patients-section/patient-reference.ts';
import { localDate } from '../rp-patients-section/local-date.ts';
import { ReferenceReader } from '../reference-reader.ts';
import {
  focusFirstInvalid,
  inputControl,
  selectControl,
  textareaControl,
  type Choice,
} from '../rp-patient-form/form-controls.ts';
import {
  changeOf,
  emptyStatusDraft,
  kindsFor,
  statusFieldOf,
  statusProblems,
  type ChangeKind,
  type StatusDraft,
  type StatusField,
} from './status-change-draft.ts';
import { statusChangeStyles } from './rp-status-change.styles.ts';

export interface FacilityChoice {
  id: string;
  name: string;
}

/** Who carries out a transfer (the facility service in the app). */
export interface PatientTransfers {
  transfer(request: TransferRequest): Promise<TransferResult>;
}

const KIND_LABELS: Readonly<Record<ChangeKind, MessageKey>> = {
  confirm: 'patients.statusChange.kind.confirm',
  exclude: 'patients.statusChange.kind.exclude',
  death: 'patients.statusChange.kind.death',
  transfer: 'patients.statusChange.kind.transfer',
};

/**
 * @fires rp-status-changed - the records layer stored the change; detail: the patient's file as it is now
 * @fires rp-cancel - the panel was closed without a change
 */
export class RpStatusChange extends LitElement {
  static override styles = statusChangeStyles;
  static override properties = {
    records: { attribute: false },
    reference: { attribute: false },
    roles: { attribute: false },
    file: { attribute: false },
    facilities: { attribute: false },
    facilityId: { attribute: false },
    transfers: { attribute: false },
    today: { attribute: false },
    draft: { state: true },
    errors: { state: true },
    alert: { state: true },
    saved: { state: true },
    busy: { state: true },
    lookup: { state: true },
  };

  declare records: FacilityRecords | null;
  declare reference: ReferenceStore | null;
  declare roles: readonly string[];
  /** The patient as opened (its record's status history decides what may follow). */
  declare file: PatientFile | null;
  /** The member's facilities: transfer targets are the others. */
  declare facilities: readonly FacilityChoice[];
  declare facilityId: string;
  /** Carries out transfers; the facility service from the context when not given. */
  declare transfers: PatientTransfers | null;
  declare today: string;
  declare draft: StatusDraft;
  declare errors: Partial<Record<StatusField, string>>;
  declare alert: string | null;
  /** The status just saved, for the confirmation line. */
  declare saved: string | null;
  declare busy: boolean;
  declare lookup: PatientReference;
  readonly #i18n = new I18nController(this);
  readonly #facilityService = new ContextConsumer(this, { context: facilitiesContext, subscribe: true });

  constructor() {
    super();
    this.records = null;
    this.reference = null;
    this.roles = [];
    this.file = null;
    this.facilities = [];
    this.facilityId = '';
    this.transfers = null;
    this.today = localDate();
    this.draft = emptyStatusDraft(this.today);
    this.errors = {};
    this.alert = null;
    this.saved = null;
    this.busy = false;
    this.lookup = EMPTY_REFERENCE;
    // The ICD-10 book (a cause of death is checked against it), read again as a new device's first sync brings it.
    new ReferenceReader(this, {
      store: () => this.reference,
      read: loadPatientReference,
      use: (lookup) => (this.lookup = lookup),
      // Without the book only the format of the code is checked; the panel still works.
      failed: () => (this.lookup = EMPTY_REFERENCE),
    });
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('today') && this.draft.kind === '') this.draft = emptyStatusDraft(this.today);
  }

  #set<K extends keyof StatusDraft>(key: K, value: StatusDraft[K]): void {
    this.draft = { ...this.draft, [key]: value };
    this.saved = null;
  }

  #field(field: StatusField) {
    return { error: this.errors[field] ?? null, disabled: this.busy };
  }

  #choices(prefix: string, values: readonly string[]): Choice[] {
    const t = this.#i18n.t.bind(this.#i18n);
    return [
      { value: '', label: t('patients.choose') },
      ...values.map((value) => ({ value, label: t(`${prefix}.${value}` as MessageKey) })),
    ];
  }

  override render() {
    const t = this.#i18n.t.bind(this.#i18n);
    const record = this.file?.record;
    const status = record ? currentStatus(record, this.today) : null;
    const kinds = kindsFor(status, this.roles.includes('doctor'));
    const kindError = this.errors.kind;
    return html`<section class="card" aria-labelledby="status-heading">
      <h3 id="status-heading">${t('patients.statusChange.heading')}</h3>
      ${status ? html`<p>${t('patients.statusChange.current', { status: t(`patients.status.${status}`) })}</p>` : nothing}
      <div role="status">
        ${this.saved ? html`<p class="alert info">${t('patients.statusChange.saved', { status: this.saved })}</p>` : nothing}
      </div>
      <div role="alert">${this.alert ? html`<p class="alert">${this.alert}</p>` : nothing}</div>
      ${
        kinds.length === 0
          ? html`<p class="muted">${t('patients.statusChange.final')}</p>`
          : html`<form novalidate aria-labelledby="status-heading" @submit=${this.#submit}>
              <fieldset
                id="kind"
                aria-invalid=${kindError ? 'true' : 'false'}
                aria-describedby=${kindError ? 'kind-error' : nothing}
              >
                <legend>${t('patients.statusChange.kind')}</legend>
                ${kinds.map(
                  (kind) =>
                    html`<label class="check">
                      <input
                        type="radio"
                        name="kind"
                        value=${kind}
                        .checked=${this.draft.kind === kind}
                        ?disabled=${this.busy}
                        @change=${() => this.#set('kind', kind)}
                      />
                      ${t(KIND_LABELS[kind])}
                    </label>`,
                )}
                ${kindError ? html`<p class="field-error" id="kind-error">${kindError}</p>` : nothing}
              </fieldset>
              ${this.#kindFields()}
              <div class="form-actions">
                <button class="button" type="submit" ?disabled=${this.busy}>
                  ${t('patients.statusChange.submit')}
                </button>
                <button class="button secondary" type="button" ?disabled=${this.busy} @click=${this.#cancel}>
                  ${t('patients.cancel')}
                </button>
              </div>
            </form>`
      }
    </section>`;
  }

  #kindFields() {
    const t = this.#i18n.t.bind(this.#i18n);
    const d = this.draft;
    const from = inputControl('status-from', t('patients.statusChange.from'), d.from, (v) => this.#set('from', v), {
      ...this.#field('from'),
      type: 'date',
      max: this.today,
    });
    const note = textareaControl('status-note', t('patients.statusChange.note'), d.note, (v) => this.#set('note', v), {
      ...this.#field('note'),
      hint: t('patients.statusChange.noteHint'),
    });
    switch (d.kind) {
      case 'confirm':
        return html`<p>${t('patients.statusChange.confirmText')}</p>
          ${from}`;
      case 'exclude':
        return html`${from}
        ${selectControl('status-reason', t('patients.statusChange.reason'), d.reason, this.#choices('patients.exclusionReason', EXCLUSION_REASONS), (v) => this.#set('reason', v as StatusDraft['reason']), this.#field('reason'))}
        ${note}`;
      case 'death':
        return html`${inputControl(
          'status-deathDate',
          t('patients.statusChange.deathDate'),
          d.deathDate,
          (v) => this.#set('deathDate', v),
          {
            ...this.#field('deathDate'),
            type: 'date',
            max: this.today,
          },
        )}
        ${inputControl('status-causeCode', t('patients.statusChange.causeCode'), d.causeCode, (v) => this.#set('causeCode', v), this.#field('causeCode'))}
        ${selectControl('status-place', t('patients.statusChange.place'), d.place, this.#choices('patients.deathPlace', DEATH_PLACES), (v) => this.#set('place', v as StatusDraft['place']), this.#field('place'))}`;
      case 'transfer': {
        const targets = this.facilities.filter((facility) => facility.id !== this.facilityId);
        return html`${from}
        ${
          targets.length === 0
            ? html`<p class="muted">${t('patients.statusChange.noTargets')}</p>`
            : selectControl(
                'status-target',
                t('patients.statusChange.target'),
                d.target,
                [
                  { value: '', label: t('patients.choose') },
                  ...targets.map((facility) => ({ value: facility.id, label: facility.name })),
                ],
                (v) => this.#set('target', v),
                this.#field('target'),
              )
        }
        ${note}`;
      }
      default:
        return nothing;
    }
  }

  /** Problems of the draft, by control, before anything is saved. */
  #problems(): Partial<Record<StatusField, string>> {
    const t = this.#i18n.t.bind(this.#i18n);
    const draft = {
      ...this.draft,
      causeCode: this.draft.causeCode.trim() && this.lookup.normaliseCode(this.draft.causeCode),
    };
    this.draft = draft;
    if (draft.kind === '' || !this.file) return { kind: t('patients.statusChange.chooseKind') };
    const errors: Partial<Record<StatusField, string>> = {};
    for (const problem of statusProblems(this.file.record, draft, this.today, this.lookup.lookups)) {
      const field = statusFieldOf(problem.field, draft.kind);
      if (field) errors[field] ??= problem.message;
    }
    if (draft.kind === 'transfer') {
      if (draft.target === '') errors.target = t('patients.statusChange.chooseTarget');
      else if (draft.target === this.facilityId) errors.target = t('patients.statusChange.sameFacility');
    }
    const exists = this.lookup.lookups.diagnosisExists;
    if (draft.kind === 'death' && !errors.causeCode && draft.causeCode !== '' && exists && !exists(draft.causeCode)) {
      errors.causeCode = t('patients.statusChange.unknownCause', { code: draft.causeCode });
    }
    return errors;
  }

  async #showErrors(errors: Partial<Record<StatusField, string>>): Promise<void> {
    this.errors = errors;
    await this.updateComplete;
    focusFirstInvalid(this.renderRoot);
  }

  async #submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const { records, file } = this;
    if (this.busy || !records || !file) return;
    this.alert = null;
    this.saved = null;
    const errors = this.#problems();
    const change = changeOf(this.draft);
    if (Object.keys(errors).length > 0 || !change) {
      await this.#showErrors(errors);
      return;
    }
    this.errors = {};
    this.busy = true;
    try {
      const updated =
        change.status === 'transferred'
          ? await this.#transfer({
              patientId: file.patientId,
              to: change.transferredTo,
              from: change.from,
              ...(change.note === undefined ? {} : { note: change.note }),
            })
          : await records.changeStatus(file.patientId, change);
      this.file = updated;
      this.saved = this.#i18n.t(`patients.status.${change.status}`);
      this.draft = emptyStatusDraft(this.today);
      this.dispatchEvent(new CustomEvent('rp-status-changed', { detail: updated, bubbles: true, composed: true }));
    } catch (error) {
      if (error instanceof RecordValidationError) {
        const byField: Partial<Record<StatusField, string>> = {};
        const other: string[] = [];
        for (const problem of error.problems) {
          const field = statusFieldOf(problem.field, this.draft.kind);
          if (field) byField[field] ??= problem.message;
          else other.push(problem.message);
        }
        this.alert =
          other.length > 0 ? this.#i18n.t('patients.form.otherProblems', { problems: other.join(' ') }) : null;
        this.busy = false;
        await this.#showErrors(byField);
      } else {
        this.alert = this.#i18n.t(error instanceof NoFacilityKeyError ? 'patients.error.noKey' : 'patients.error.save');
      }
    } finally {
      this.busy = false;
    }
  }

  async #transfer(request: TransferRequest): Promise<PatientFile> {
    const transfers = this.transfers ?? this.#facilityService.value ?? null;
    if (!transfers) throw new Error('No facility service to carry out the transfer.');
    return (await transfers.transfer(request)).source;
  }

  #cancel(): void {
    this.draft = emptyStatusDraft(this.today);
    this.errors = {};
    this.dispatchEvent(new Event('rp-cancel', { bubbles: true, composed: true }));
  }
}

customElements.define('rp-status-change', RpStatusChange);

declare global {
  interface HTMLElementTagNameMap {
    'rp-status-change': RpStatusChange;
  }
  interface GlobalEventHandlersEventMap {
    'rp-status-changed': CustomEvent<PatientFile>;
  }
}
