/**
 * The editor of one district (municipal formation): name, kind, administrative centre, region. Validated with
 * common/reference before writing; messages next to the fields.
 */
import { LitElement, html, nothing } from 'lit';
import { I18nController } from '../../app/service-controller.ts';
import { createEntry, editEntry, type EntryFields } from '../../../common/reference/edit.ts';
import { KARELIA_REGION } from '../../../common/reference/districts-karelia.ts';
import { DISTRICT_KINDS, type District } from '../../../common/reference/types.ts';
import type { ReferenceStore } from '../../admin/reference-store.ts';
import { adminMessageFor } from '../../admin/admin-errors.ts';
import { errorsByField, formReader, selectField, textField } from '../../admin/form-fields.ts';
import type { MessageKey } from '../../i18n/i18n.ts';
import type { UserMessage } from '../../services/user-messages.ts';
import { districtFormStyles } from './rp-admin-district-form.styles.ts';

/**
 * @fires rp-reference-saved - the document was written; detail: the stored document
 * @fires rp-cancel - the editor was closed without saving
 */
export class RpAdminDistrictForm extends LitElement {
  static override styles = districtFormStyles;
  static override properties = {
    district: { attribute: false },
    reference: { attribute: false },
    actor: { attribute: false },
    errors: { state: true },
    error: { state: true },
    busy: { state: true },
  };

  declare district: District | null;
  declare reference: ReferenceStore | null;
  declare actor: string;
  declare errors: Record<string, string>;
  declare error: UserMessage | null;
  declare busy: boolean;
  readonly #i18n = new I18nController(this);

  constructor() {
    super();
    this.district = null;
    this.reference = null;
    this.actor = '';
    this.errors = {};
    this.error = null;
    this.busy = false;
  }

  override render() {
    const t = this.#i18n.t.bind(this.#i18n);
    const d = this.district;
    const e = (field: string) => ({ error: this.errors[field] ?? null, disabled: this.busy });
    const kinds = DISTRICT_KINDS.map((kind) => ({ value: kind, label: t(`ref.districtKind.${kind}` as MessageKey) }));
    return html`<form novalidate aria-labelledby="district-heading" @submit=${this.#submit}>
      <h3 id="district-heading">
        ${d ? t('ref.district.editHeading', { name: d.name }) : t('ref.district.newHeading')}
      </h3>
      ${this.error ? html`<p class="alert" role="alert">${t(this.error.key, this.error.params)}</p>` : nothing}
      <div class="form-grid">
        ${d ? nothing : textField('key', t('ref.key'), '', { ...e('_id'), hint: t('ref.keyHint') })}
        ${textField('name', t('ref.district.name'), d?.name ?? '', e('name'))}
        ${selectField('kind', t('ref.district.kind'), d?.kind ?? 'municipal-district', kinds, e('kind'))}
        ${textField('centre', t('ref.district.centre'), d?.centre ?? '', e('centre'))}
        ${textField('region', t('ref.district.region'), d?.region ?? KARELIA_REGION, e('region'))}
      </div>
      <div class="form-actions">
        <button class="button" type="submit" ?disabled=${this.busy}>${t('admin.save')}</button>
        <button class="button secondary" type="button" ?disabled=${this.busy} @click=${this.#cancel}>
          ${t('admin.cancel')}
        </button>
      </div>
    </form>`;
  }

  async #submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.busy) return;
    const read = formReader(this.renderRoot);
    const fields: EntryFields<District> = {
      name: read.text('name'),
      kind: read.text('kind') as District['kind'],
      centre: read.text('centre'),
      region: read.text('region'),
    };
    const authorship = { by: this.actor || 'admin', at: new Date().toISOString() };
    const result = this.district
      ? editEntry<District>(this.district, fields, authorship)
      : createEntry<District>('district', read.text('key').toLowerCase(), fields, authorship);
    this.error = null;
    if (!result.ok) {
      this.errors = errorsByField(result.errors);
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    this.errors = {};
    if (!this.reference) return;
    this.busy = true;
    try {
      const saved = await this.reference.put(result.doc);
      this.dispatchEvent(new CustomEvent('rp-reference-saved', { detail: saved, bubbles: true, composed: true }));
    } catch (error) {
      this.error = adminMessageFor(error);
    } finally {
      this.busy = false;
    }
  }

  #cancel(): void {
    this.dispatchEvent(new Event('rp-cancel', { bubbles: true, composed: true }));
  }
}

customElements.define('rp-admin-district-form', RpAdminDistrictForm);

declare global {
  interface HTMLElementTagNameMap {
    'rp-admin-district-form': RpAdminDistrictForm;
  }
}
