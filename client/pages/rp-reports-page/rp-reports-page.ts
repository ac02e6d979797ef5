/**
 * `/reports`: the summary report for analysts, administrators and doctors. The member chooses the period (the
 * previous month by default, or a preset), the facilities (from their reference replica, see
 * report-facilities.ts), the days of the "next period" for the medicines needed, and the format; the page checks
 * what it can before asking the server, builds the report with a visible, cancellable progress, offers the file,
 * and for JSON shows the figures. It is its own lazy chunk (rp-app imports it on the first visit). What was
 * chosen outlives a failed request, a lost network and leaving the page, for as long as the app is open.
 */
import { LitElement, html, type PropertyValues } from 'lit';
import { I18nController, ServiceController } from '../../app/service-controller.ts';
import { syncContext } from '../../app/contexts.ts';
import type { ReferenceStore } from '../../admin/reference-store.ts';
import type { MessageKey } from '../../i18n/i18n.ts';
import {
  MAX_NEXT_DAYS,
  PERIOD_PRESETS,
  SUMMARY_FORMATS,
  SUMMARY_FIELDS,
  checkChoice,
  defaultChoice,
  localDate,
  presetOf,
  presetPeriod,
  type FieldErrors,
  type PeriodPreset,
  type SummaryChoice,
  type SummaryField,
} from './summary-choice.ts';
import { SummaryReportController, type BuildState } from './summary-report-controller.ts';
import { reportFacilities, type ReportFacility } from './report-facilities.ts';
import { renderBuildState } from './build-state.ts';
import { reportsPageStyles } from './rp-reports-page.styles.ts';

interface Remembered {
  choice: SummaryChoice;
  picked: boolean;
  period: boolean;
}

/**
 * The last choice made on this page, per member, while the app is open: rp-app gives each signed-in member their
 * own reference store, so another member on the same device starts afresh.
 */
const remembered = new WeakMap<ReferenceStore, Remembered>();

export class RpReportsPage extends LitElement {
  static override styles = reportsPageStyles;
  static override properties = {
    reference: { attribute: false },
    roles: { attribute: false },
    fetchImpl: { attribute: false },
    today: { attribute: false },
    facilities: { state: true },
    choice: { state: true },
    errors: { state: true },
  };

  /** The member's reference books (their local replica in the app). */
  declare reference: ReferenceStore | null;
  declare roles: readonly string[];
  /** How the report is fetched (the page's `fetch` unless a test routes it through a simulated network). */
  declare fetchImpl: typeof fetch;
  /** `YYYY-MM-DD` on the device; the presets count back from it. */
  declare today: string;
  /** Null while the list is read. */
  declare facilities: ReportFacility[] | null;
  declare choice: SummaryChoice;
  /** The page's own findings, shown after «Сформировать» was pressed. */
  declare errors: FieldErrors;
  readonly #i18n = new I18nController(this);
  readonly #sync = new ServiceController(this, syncContext);
  readonly #report = new SummaryReportController(this);
  #syncKind = '';
  /** Whether the member has picked facilities; until then the list follows "all of them". */
  #picked = false;
  /** Whether the member has set the period; until then it is the month before `today`. */
  #period = false;

  constructor() {
    super();
    this.reference = null;
    this.roles = [];
    this.fetchImpl = (input, init) => globalThis.fetch(input, init);
    this.today = localDate(new Date());
    this.facilities = null;
    this.choice = defaultChoice(this.today);
    this.errors = {};
  }

  /** What the build is doing (for tests and the shell). */
  get buildState(): BuildState {
    return this.#report.state;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('reference')) this.#restore();
    if (changed.has('today') && !this.#period) this.choice = { ...this.choice, ...presetPeriod('month', this.today) };
    if ((changed.has('reference') || changed.has('roles')) && this.reference) void this.#loadFacilities();
    // The reference replica may still be arriving on a first sign-in: read the list again once it is complete.
    const kind = this.#sync.value?.state.kind ?? '';
    if (kind !== this.#syncKind) {
      this.#syncKind = kind;
      if (kind === 'up-to-date' && this.reference) void this.#loadFacilities();
    }
  }

  /** Takes up what this member chose the last time the page was open. */
  #restore(): void {
    const earlier = this.reference ? remembered.get(this.reference) : undefined;
    this.#picked = earlier?.picked ?? false;
    this.#period = earlier?.period ?? false;
    this.choice = earlier?.choice ?? defaultChoice(this.today, this.choice.facilities);
  }

  async #loadFacilities(): Promise<void> {
    const reference = this.reference;
    if (!reference) return;
    const docs = await reference.list('facility:').catch(() => []);
    if (reference !== this.reference) return;
    const list = reportFacilities(docs, this.roles);
    this.facilities = list;
    const ids = list.map((facility) => facility.id);
    const facilities = this.#picked ? this.choice.facilities.filter((id) => ids.includes(id)) : ids;
    this.choice = { ...this.choice, facilities };
    this.#remember();
  }

  #remember(): void {
    if (this.reference)
      remembered.set(this.reference, { choice: this.choice, picked: this.#picked, period: this.#period });
  }

  override render() {
    const t = this.#i18n.t.bind(this.#i18n);
    const building = this.#report.building;
    return html`
      <h1>${t('reports.summary.heading')}</h1>
      <p class="muted">${t('reports.summary.intro')}</p>
      <form novalidate @submit=${this.#submit} aria-labelledby="form-heading">
        <h2 id="form-heading" class="visually-hidden">${t('reports.summary.parameters')}</h2>
        ${this.#periodFields()} ${this.#facilityFields()}
        <div class="form-grid">
          <div class="field days">
            <label for="next-days">${t('reports.summary.nextDays')}</label>
            <input
              id="next-days"
              type="number"
              inputmode="numeric"
              min="1"
              max=${MAX_NEXT_DAYS}
              step="1"
              .value=${this.choice.nextDays}
              aria-invalid=${this.#error('nextDays') ? 'true' : 'false'}
              aria-describedby="next-days-hint next-days-error"
              @input=${(event: Event) => this.#change({ nextDays: (event.target as HTMLInputElement).value })}
            />
            <p class="muted hint" id="next-days-hint">${t('reports.summary.nextDaysHint', { max: MAX_NEXT_DAYS })}</p>
            ${this.#errorText('nextDays', 'next-days-error')}
          </div>
        </div>
        <fieldset aria-describedby="format-error">
          <legend>${t('reports.summary.format')}</legend>
          <div class="formats">
            ${SUMMARY_FORMATS.map(
              (format) =>
                html`<label class="check">
                  <input
                    type="radio"
                    name="format"
                    value=${format}
                    .checked=${this.choice.format === format}
                    @change=${() => this.#change({ format })}
                  />${t(`reports.summary.format.${format}`)}
                </label>`,
            )}
          </div>
          ${this.#errorText('format', 'format-error')}
        </fieldset>
        <button class="button" type="submit" ?disabled=${building} data-action="build">
          ${t('reports.summary.build')}
        </button>
      </form>
      ${this.#progress()}
    `;
  }

  #periodFields() {
    const t = this.#i18n.t.bind(this.#i18n);
    const pressed = presetOf(this.choice, this.today);
    return html`<fieldset>
      <legend>${t('reports.summary.period')}</legend>
      <div class="presets" role="group" aria-label=${t('reports.summary.presets')}>
        ${PERIOD_PRESETS.map(
          (preset) =>
            html`<button
              class="button secondary small"
              type="button"
              data-preset=${preset}
              aria-pressed=${pressed === preset ? 'true' : 'false'}
              @click=${() => this.#preset(preset)}
            >
              ${t(`reports.summary.preset.${preset}`)}
            </button>`,
        )}
      </div>
      <div class="form-grid">
        ${(['from', 'to'] as const).map(
          (field) =>
            html`<div class="field">
              <label for="period-${field}">${t(`reports.summary.${field}`)}</label>
              <input
                id="period-${field}"
                type="date"
                required
                .value=${this.choice[field]}
                aria-invalid=${this.#error(field) ? 'true' : 'false'}
                aria-describedby="${field}-error"
                @input=${(event: Event) => this.#change({ [field]: (event.target as HTMLInputElement).value })}
              />
              ${this.#errorText(field, `${field}-error`)}
            </div>`,
        )}
      </div>
    </fieldset>`;
  }

  #facilityFields() {
    const t = this.#i18n.t.bind(this.#i18n);
    const list = this.facilities;
    const invalid = this.#error('facilities') !== undefined;
    return html`<fieldset aria-describedby="facilities-error" aria-invalid=${invalid ? 'true' : 'false'}>
      <legend>${t('reports.summary.facilities')}</legend>
      ${
        list === null
          ? html`<p class="muted" role="status">${t('reports.summary.facilitiesLoading')}</p>`
          : list.length === 0
            ? html`<p class="muted">${t('reports.summary.facilitiesEmpty')}</p>`
            : html`<div class="toggles">
                  <button
                    class="button secondary small"
                    type="button"
                    data-action="all"
                    @click=${() => this.#all(true)}
                  >
                    ${t('reports.summary.allFacilities')}
                  </button>
                  <button
                    class="button secondary small"
                    type="button"
                    data-action="none"
                    @click=${() => this.#all(false)}
                  >
                    ${t('reports.summary.noFacilities')}
                  </button>
                </div>
                <div class="checks">
                  ${list.map(
                    (facility) =>
                      html`<label class="check">
                        <input
                          type="checkbox"
                          name="facility"
                          value=${facility.id}
                          .checked=${this.choice.facilities.includes(facility.id)}
                          @change=${(event: Event) => this.#toggle(facility.id, (event.target as HTMLInputElement).checked)}
                        />${facility.name}
                      </label>`,
                  )}
                </div>`
      }
      ${this.#errorText('facilities', 'facilities-error')}
    </fieldset>`;
  }

  #progress() {
    const locale = this.#i18n.value?.locale ?? 'ru';
    return renderBuildState(this.#report.state, this.#i18n.t.bind(this.#i18n), locale, () => this.#cancel());
  }

  /** The message for a field: the page's own finding first, then the server's refusal. */
  #error(field: SummaryField): MessageKey | undefined {
    return this.errors[field] ?? this.#report.serverErrors[field];
  }

  #errorText(field: SummaryField, id: string) {
    const key = this.#error(field);
    return html`<p class="field-error" id=${id} ?hidden=${key === undefined}>${key ? this.#i18n.t(key) : ''}</p>`;
  }

  #change(part: Partial<SummaryChoice>): void {
    this.choice = { ...this.choice, ...part };
    if (part.from !== undefined || part.to !== undefined) this.#period = true;
    this.#remember();
    const touched = (Object.keys(part) as SummaryField[]).filter((field) => SUMMARY_FIELDS.includes(field));
    if (part.from !== undefined || part.to !== undefined) touched.push('from', 'to');
    if (touched.some((field) => field in this.errors)) {
      this.errors = Object.fromEntries(
        Object.entries(this.errors).filter(([field]) => !touched.includes(field as SummaryField)),
      );
    }
    for (const field of touched) this.#report.clearServerError(field);
  }

  #preset(preset: PeriodPreset): void {
    this.#change(presetPeriod(preset, this.today));
  }

  #toggle(id: string, on: boolean): void {
    this.#picked = true;
    const rest = this.choice.facilities.filter((other) => other !== id);
    this.#change({ facilities: on ? [...rest, id] : rest });
  }

  #all(on: boolean): void {
    this.#picked = true;
    this.#change({ facilities: on ? (this.facilities ?? []).map((facility) => facility.id) : [] });
  }

  async #submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.#report.building) return;
    // Facilities in the order the page lists them, so the report's columns read like the checkboxes.
    const order = (this.facilities ?? []).map((facility) => facility.id);
    const facilities = order.filter((id) => this.choice.facilities.includes(id));
    const choice = { ...this.choice, facilities };
    this.errors = checkChoice(choice);
    const first = SUMMARY_FIELDS.find((field) => field in this.errors);
    if (first !== undefined) {
      await this.updateComplete;
      this.#focus(first);
      return;
    }
    await this.#report.build(choice, this.fetchImpl);
    await this.updateComplete;
    const state = this.#report.state;
    if (state.kind === 'ready') this.renderRoot.querySelector<HTMLElement>('[data-action=download]')?.focus();
    if (state.kind === 'refused') this.#focus(state.field);
  }

  #cancel(): void {
    this.#report.cancel();
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[data-action=build]')?.focus());
  }

  #focus(field: SummaryField): void {
    const selector = {
      from: '#period-from',
      to: '#period-to',
      facilities: 'input[name=facility], [data-action=all]',
      nextDays: '#next-days',
      format: 'input[name=format]',
    }[field];
    this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }
}

customElements.define('rp-reports-page', RpReportsPage);

declare global {
  interface HTMLElementTagNameMap {
    'rp-reports-page': RpReportsPage;
  }
}
