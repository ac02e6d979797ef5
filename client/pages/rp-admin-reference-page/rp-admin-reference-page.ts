/**
 * Reference books: medicaments (search, edit, deactivate), districts (edit, deactivate) and ICD-10 diagnoses
 * (search and import). Entries are never deleted: records refer to them, so they are deactivated.
 */
import { LitElement, html, nothing } from 'lit';
import { I18nController } from '../../app/service-controller.ts';
import { setEntryActive } from '../../../common/reference/edit.ts';
import { foldText } from '../../../common/reference/icd10.ts';
import { isDistrict, isMedicament, type District, type Medicament } from '../../../common/reference/types.ts';
import type { ReferenceStore } from '../../admin/reference-store.ts';
import { adminMessageFor } from '../../admin/admin-errors.ts';
import type { MessageKey } from '../../i18n/i18n.ts';
import type { UserMessage } from '../../services/user-messages.ts';
import '../rp-admin-medicament-form/rp-admin-medicament-form.ts';
import '../rp-admin-district-form/rp-admin-district-form.ts';
import '../rp-admin-diagnoses/rp-admin-diagnoses.ts';
import { referencePageStyles } from './rp-admin-reference-page.styles.ts';

export type ReferenceBook = 'medicaments' | 'districts' | 'diagnoses';
const BOOKS: readonly ReferenceBook[] = ['medicaments', 'districts', 'diagnoses'];
const BOOK_TITLES: Readonly<Record<ReferenceBook, MessageKey>> = {
  medicaments: 'ref.medicaments',
  districts: 'ref.districts',
  diagnoses: 'ref.diagnoses',
};

/** Medicaments whose names, trade names or ATC code contain every word of `query` (case and ё folded). */
export function filterMedicaments(medicaments: readonly Medicament[], query: string): Medicament[] {
  const words = foldText(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...medicaments];
  return medicaments.filter((m) => {
    const text = foldText([m.innRu, m.innLatin, m.atcCode, ...m.tradeNames].join(' '));
    return words.every((word) => text.includes(word));
  });
}

export class RpAdminReferencePage extends LitElement {
  static override styles = referencePageStyles;
  static override properties = {
    reference: { attribute: false },
    actor: { attribute: false },
    book: { state: true },
    medicaments: { state: true },
    districts: { state: true },
    query: { state: true },
    editing: { state: true },
    error: { state: true },
  };

  declare reference: ReferenceStore | null;
  declare actor: string;
  declare book: ReferenceBook;
  declare medicaments: Medicament[] | null;
  declare districts: District[] | null;
  declare query: string;
  /** The entry in the editor: 'new', an existing entry, or null. */
  declare editing: Medicament | District | 'new' | null;
  declare error: UserMessage | null;
  readonly #i18n = new I18nController(this);

  constructor() {
    super();
    this.reference = null;
    this.actor = '';
    this.book = 'medicaments';
    this.medicaments = null;
    this.districts = null;
    this.query = '';
    this.editing = null;
    this.error = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.reload();
  }

  async reload(): Promise<void> {
    if (!this.reference) return;
    try {
      const [medicaments, districts] = await Promise.all([
        this.reference.list('medicament:'),
        this.reference.list('district:'),
      ]);
      this.medicaments = medicaments.filter(isMedicament);
      this.districts = districts.filter(isDistrict);
    } catch (error) {
      this.error = adminMessageFor(error);
    }
  }

  override render() {
    const t = this.#i18n.t.bind(this.#i18n);
    return html`
      <h2>${t('admin.tab.reference')}</h2>
      <div class="books" role="group" aria-label=${t('ref.books')}>
        ${BOOKS.map(
          (book) =>
            html`<button
              class="button"
              type="button"
              aria-pressed=${book === this.book ? 'true' : 'false'}
              @click=${() => this.#show(book)}
            >
              ${t(BOOK_TITLES[book])}
            </button>`,
        )}
      </div>
      ${this.error ? html`<p class="alert" role="alert">${t(this.error.key, this.error.params)}</p>` : nothing}
      ${this.book === 'medicaments' ? this.#medicaments() : nothing}
      ${this.book === 'districts' ? this.#districts() : nothing}
      ${
        this.book === 'diagnoses'
          ? html`<rp-admin-diagnoses .reference=${this.reference} .actor=${this.actor}></rp-admin-diagnoses>`
          : nothing
      }
    `;
  }

  #show(book: ReferenceBook): void {
    this.book = book;
    this.editing = null;
  }

  #editor() {
    const editing = this.editing;
    if (!editing) return nothing;
    const common = { reference: this.reference, actor: this.actor };
    return html`<section
      class="card panel"
      @rp-reference-saved=${this.#saved}
      @rp-cancel=${() => (this.editing = null)}
    >
      ${
        this.book === 'medicaments'
          ? html`<rp-admin-medicament-form
              .medicament=${editing === 'new' ? null : (editing as Medicament)}
              .reference=${common.reference}
              .actor=${common.actor}
            ></rp-admin-medicament-form>`
          : html`<rp-admin-district-form
              .district=${editing === 'new' ? null : (editing as District)}
              .reference=${common.reference}
              .actor=${common.actor}
            ></rp-admin-district-form>`
      }
    </section>`;
  }

  #medicaments() {
    const t = this.#i18n.t.bind(this.#i18n);
    const list = this.medicaments === null ? null : filterMedicaments(this.medicaments, this.query);
    return html`
      ${this.editing ? this.#editor() : html`<p><button class="button" type="button" @click=${() => (this.editing = 'new')}>${t('ref.medicament.new')}</button></p>`}
      <div class="toolbar" role="search">
        <div class="field">
          <label for="medicament-query">${t('ref.medicament.search')}</label>
          <input
            id="medicament-query"
            type="search"
            autocomplete="off"
            .value=${this.query}
            @input=${(event: InputEvent) => (this.query = (event.currentTarget as HTMLInputElement).value)}
          />
        </div>
      </div>
      ${
        list === null
          ? html`<p class="muted">${t('app.loading')}</p>`
          : html`<div class="table-wrap">
              <table>
                <caption>
                  ${t('ref.medicament.caption', { count: list.length })}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">${t('ref.medicament.innRu')}</th>
                    <th scope="col">${t('ref.medicament.form')}</th>
                    <th scope="col">${t('ref.medicament.strength')}</th>
                    <th scope="col">${t('ref.medicament.atcCode')}</th>
                    <th scope="col">${t('admin.staff.status')}</th>
                    <th scope="col">${t('admin.actions')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${list.map(
                    (m) =>
                      html`<tr>
                        <td>
                          ${m.innRu}${m.tradeNames.length ? html`<br /><span class="muted">${m.tradeNames.join(', ')}</span>` : nothing}
                        </td>
                        <td>${t(`ref.form.${m.form}` as MessageKey)}</td>
                        <td>${m.strength} ${t(`ref.unit.${m.strengthUnit}` as MessageKey)}</td>
                        <td>${m.atcCode}</td>
                        <td>${this.#state(m.active)}</td>
                        <td class="actions">
                          ${this.#actions(
                            m,
                            `${m.innRu}, ${t(`ref.form.${m.form}` as MessageKey)}, ${m.strength} ${t(`ref.unit.${m.strengthUnit}` as MessageKey)}`,
                          )}
                        </td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
      }
    `;
  }

  #districts() {
    const t = this.#i18n.t.bind(this.#i18n);
    const list = this.districts;
    return html`
      ${this.editing ? this.#editor() : html`<p><button class="button" type="button" @click=${() => (this.editing = 'new')}>${t('ref.district.new')}</button></p>`}
      ${
        list === null
          ? html`<p class="muted">${t('app.loading')}</p>`
          : html`<div class="table-wrap">
              <table>
                <caption>
                  ${t('ref.district.caption', { count: list.length })}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">${t('ref.district.name')}</th>
                    <th scope="col">${t('ref.district.kind')}</th>
                    <th scope="col">${t('ref.district.centre')}</th>
                    <th scope="col">${t('admin.staff.status')}</th>
                    <th scope="col">${t('admin.actions')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${list.map(
                    (d) =>
                      html`<tr>
                        <td>${d.name}</td>
                        <td>${t(`ref.districtKind.${d.kind}` as MessageKey)}</td>
                        <td>${d.centre}</td>
                        <td>${this.#state(d.active)}</td>
                        <td class="actions">${this.#actions(d, d.name)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
      }
    `;
  }

  #state(active: boolean) {
    const t = this.#i18n.t.bind(this.#i18n);
    return active
      ? html`<span class="badge">${t('admin.facilities.active')}</span>`
      : html`<span class="badge off">${t('admin.facilities.inactive')}</span>`;
  }

  #actions(entry: Medicament | District, name: string) {
    const t = this.#i18n.t.bind(this.#i18n);
    const toggle = entry.active ? t('admin.deactivate') : t('admin.activate');
    return html`<button
        class="button secondary small"
        type="button"
        aria-label="${t('admin.edit')}: ${name}"
        @click=${() => (this.editing = entry)}
      >
        ${t('admin.edit')}
      </button>
      <button
        class="button secondary small"
        type="button"
        aria-label="${toggle}: ${name}"
        @click=${() => this.#toggle(entry)}
      >
        ${toggle}
      </button>`;
  }

  async #toggle(entry: Medicament | District): Promise<void> {
    if (!this.reference) return;
    this.error = null;
    const result = setEntryActive(entry, !entry.active, { by: this.actor || 'admin', at: new Date().toISOString() });
    if (!result.ok) {
      this.error = { key: 'admin.error.invalid' };
      return;
    }
    try {
      await this.reference.put(result.doc);
      await this.reload();
    } catch (error) {
      this.error = adminMessageFor(error);
    }
  }

  async #saved(): Promise<void> {
    this.editing = null;
    await this.reload();
  }
}

customElements.define('rp-admin-reference-page', RpAdminReferencePage);

declare global {
  interface HTMLElementTagNameMap {
    'rp-admin-reference-page': RpAdminReferencePage;
  }
}
