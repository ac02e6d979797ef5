/**
 * The editor of one district (municipal formation): name, kind, administrative centre, region. Validated with
 * common/reference before writing; messages next to the fields.
 */
import { html, nothing } from 'lit';
import { ReferenceEntryForm } from '../../admin/reference-entry-form.ts';
import { I18nController } from '../../app/service-controller.ts';
import { createEntry, editEntry, type EntryFields } from '../../../common/reference/edit.ts';
import { KARELIA_REGION } from '../../../common/reference/districts-karelia.ts';
import { DISTRICT_KINDS, type District } from '../../../common/reference/types.ts';
import { formReader, selectField, textField } from '../../admin/form-fields.ts';
import type { MessageKey } from '../../i18n/i18n.ts';
import { districtFormStyles } from './rp-admin-district-form.styles.ts';

/**
 * @fires rp-reference-saved - the document was written; detail: the stored document
 * @fires rp-cancel - the editor was closed without saving
 */
export class RpAdminDistrictForm extends ReferenceEntryForm {
  static override styles = districtFormStyles;
  static override properties = {
    ...ReferenceEntryForm.properties,
    district: { attribute: false },
  };

  declare district: District | null;
  readonly #i18n = new I18nController(this);

  constructor() {
    super();
    this.district = null;
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
        <button class="button secondary" type="button" ?disabled=${this.busy} @click=${this.cancel}>
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
    const authorship = this.authorship();
    const result = this.district
      ? editEntry<District>(this.district, fields, authorship)
      : createEntry<District>('district', read.text('key').toLowerCase(), fields, authorship);
    await this.save(result);
  }
}

customElements.define('rp-admin-district-form', RpAdminDistrictForm);

declare global {
  interface HTMLElementTagNameMap {
    'rp-admin-district-form': RpAdminDistrictForm;
  }
}
