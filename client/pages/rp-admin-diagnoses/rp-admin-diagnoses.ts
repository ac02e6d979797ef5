/**
 * ICD-10 in the reference book: the edition in use, an offline search over the stored chunks (common/reference
 * icd10 search), and the import of an NSI CSV export with a progress bar.
 */
import { LitElement, html, nothing } from 'lit';
import { I18nController } from '../../app/service-controller.ts';
import { DIAGNOSIS_META_ID, Icd10CsvError, searchDiagnoses } from '../../../common/reference/icd10.ts';
import {
  isDiagnosisChunk,
  isDiagnosisMeta,
  type DiagnosisChunk,
  type DiagnosisEntry,
  type DiagnosisMeta,
} from '../../../common/reference/types.ts';
import type { ReferenceStore } from '../../admin/reference-store.ts';
import { adminMessageFor } from '../../admin/admin-errors.ts';
import { importIcd10, type ImportProgress, type ImportResult } from '../../admin/icd10-import.ts';
import type { UserMessage } from '../../services/user-messages.ts';
import { diagnosesStyles } from './rp-admin-diagnoses.styles.ts';

export class RpAdminDiagnoses extends LitElement {
  static override styles = diagnosesStyles;
  static override properties = {
    reference: { attribute: false },
    actor: { attribute: false },
    chunks: { state: true },
    meta: { state: true },
    results: { state: true },
    progress: { state: true },
    imported: { state: true },
    error: { state: true },
  };

  declare reference: ReferenceStore | null;
  declare actor: string;
  declare chunks: DiagnosisChunk[] | null;
  declare meta: DiagnosisMeta | null;
  declare results: DiagnosisEntry[] | null;
  declare progress: ImportProgress | null;
  declare imported: ImportResult | null;
  declare error: UserMessage | null;
  readonly #i18n = new I18nController(this);

  constructor() {
    super();
    this.reference = null;
    this.actor = '';
    this.chunks = null;
    this.meta = null;
    this.results = null;
    this.progress = null;
    this.imported = null;
    this.error = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.reload();
  }

  async reload(): Promise<void> {
    if (!this.reference) return;
    try {
      const [chunks, meta] = await Promise.all([
        this.reference.list('diagnosis-chunk:'),
        this.reference.list(DIAGNOSIS_META_ID),
      ]);
      this.chunks = chunks.filter(isDiagnosisChunk);
      this.meta = meta.find(isDiagnosisMeta) ?? null;
      // A query typed while the codes were loading is answered now.
      this.#runSearch();
    } catch (error) {
      this.error = adminMessageFor(error);
    }
  }

  override render() {
    const t = this.#i18n.t.bind(this.#i18n);
    const meta = this.meta;
    return html`
      <h3>${t('ref.diagnoses')}</h3>
      <p class="muted">
        ${meta ? t('ref.diagnoses.edition', { version: meta.version, count: meta.count, source: meta.source }) : t('ref.diagnoses.noEdition')}
      </p>
      ${this.error ? html`<p class="alert" role="alert">${t(this.error.key, this.error.params)}</p>` : nothing}
      <form class="toolbar" role="search" aria-label=${t('ref.diagnoses.searchForm')} @submit=${this.#search}>
        <div class="field">
          <label for="diagnosis-query">${t('ref.diagnoses.search')}</label>
          <input
            id="diagnosis-query"
            name="q"
            type="search"
            autocomplete="off"
            aria-describedby="diagnosis-hint"
            @input=${this.#search}
          />
          <p class="muted" id="diagnosis-hint">${t('ref.diagnoses.searchHint')}</p>
        </div>
        <label class="check"
          ><input
            type="checkbox"
            id="include-inactive"
            @change=${this.#search}
          />${t('ref.diagnoses.includeInactive')}</label
        >
      </form>
      ${this.#results()}
      <section class="panel" aria-labelledby="import-heading">
        <h3 id="import-heading">${t('ref.diagnoses.import')}</h3>
        <div class="field">
          <label for="icd10-file">${t('ref.diagnoses.importFile')}</label>
          <input
            id="icd10-file"
            type="file"
            accept=".csv,text/csv"
            aria-describedby="icd10-file-hint"
            ?disabled=${this.progress !== null}
            @change=${this.#import}
          />
          <p class="muted" id="icd10-file-hint">${t('ref.diagnoses.importHint')}</p>
        </div>
        <div role="status" aria-live="polite">
          ${
            this.progress
              ? html`<label for="import-progress"
                    >${t('ref.diagnoses.importing', { written: this.progress.written, total: this.progress.total })}</label
                  >
                  <progress id="import-progress" max=${this.progress.total} .value=${this.progress.written}></progress>`
              : nothing
          }
          ${
            this.imported
              ? html`<p class="alert info">${t('ref.diagnoses.imported', { ...this.imported })}</p>`
              : nothing
          }
        </div>
      </section>
    `;
  }

  #results() {
    const t = this.#i18n.t.bind(this.#i18n);
    if (this.results === null) return nothing;
    if (this.results.length === 0) return html`<p class="muted" role="status">${t('ref.diagnoses.nothingFound')}</p>`;
    return html`<div class="table-wrap">
      <table>
        <caption>
          ${t('ref.diagnoses.found', { count: this.results.length })}
        </caption>
        <thead>
          <tr>
            <th scope="col">${t('ref.diagnoses.code')}</th>
            <th scope="col">${t('ref.diagnoses.name')}</th>
            <th scope="col">${t('admin.staff.status')}</th>
          </tr>
        </thead>
        <tbody>
          ${this.results.map(
            (entry) =>
              html`<tr>
                <td>${entry.code}</td>
                <td>${entry.name}</td>
                <td>
                  ${entry.actual ? t('ref.diagnoses.actual') : html`<span class="badge off">${t('ref.diagnoses.retired')}</span>`}
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  #search(event: Event): void {
    event.preventDefault();
    this.#runSearch();
  }

  #runSearch(): void {
    const query = this.renderRoot.querySelector<HTMLInputElement>('#diagnosis-query')?.value ?? '';
    const includeInactive = this.renderRoot.querySelector<HTMLInputElement>('#include-inactive')?.checked ?? false;
    this.results = query.trim() === '' ? null : searchDiagnoses(this.chunks ?? [], query, 50, { includeInactive });
  }

  async #import(event: Event): Promise<void> {
    const input = event.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    if (!file || !this.reference || this.progress) return;
    this.error = null;
    this.imported = null;
    this.progress = { written: 0, total: 1 };
    try {
      const text = await file.text();
      this.imported = await importIcd10(
        this.reference,
        { name: file.name, text },
        this.actor || 'admin',
        (progress) => {
          this.progress = progress;
        },
      );
      await this.reload();
    } catch (error) {
      this.error =
        error instanceof Icd10CsvError
          ? { key: 'ref.diagnoses.badFile', params: { reason: error.message } }
          : adminMessageFor(error);
    } finally {
      this.progress = null;
      input.value = '';
    }
  }
}

customElements.define('rp-admin-diagnoses', RpAdminDiagnoses);

declare global {
  interface HTMLElementTagNameMap {
    'rp-admin-diagnoses': RpAdminDiagnoses;
  }
}
