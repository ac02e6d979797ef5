/**
 * The editor of one medicament (fields of common/reference/types.ts `Medicament`). The document is built and
 * validated with common/reference (createEntry / editEntry); each message is shown next to its field, and only a
 * valid document is written.
 */
import { html, nothing } from 'lit';
import { ReferenceEntryForm } from '../../admin/reference-entry-form.ts';
import { I18nController } from '../../app/service-controller.ts';
import { createEntry, editEntry, type EntryFields } from '../../../common/reference/edit.ts';
import {
  CONTROL_LISTS,
  DOSAGE_FORMS,
  FACTOR_BASES,
  OPIOID_CLASSES,
  ROUTES,
  STRENGTH_UNITS,
  type Medicament,
} from '../../../common/reference/types.ts';
import { checkField, formReader, selectField, slugOf, textField } from '../../admin/form-fields.ts';
import type { MessageKey } from '../../i18n/i18n.ts';
import { medicamentFormStyles } from './rp-admin-medicament-form.styles.ts';

/**
 * @fires rp-reference-saved - the document was written; detail: the stored document
 * @fires rp-cancel - the editor was closed without saving
 */
export class RpAdminMedicamentForm extends ReferenceEntryForm {
  static override styles = medicamentFormStyles;
  static override properties = {
    ...ReferenceEntryForm.properties,
    medicament: { attribute: false },
  };

  declare medicament: Medicament | null;
  readonly #i18n = new I18nController(this);

  constructor() {
    super();
    this.medicament = null;
  }

  #choices(prefix: string, values: readonly string[], empty?: MessageKey) {
    const t = this.#i18n.t.bind(this.#i18n);
    return [
      ...(empty ? [{ value: '', label: t(empty) }] : []),
      ...values.map((value) => ({ value, label: t(`${prefix}.${value}` as MessageKey) })),
    ];
  }

  override render() {
    const t = this.#i18n.t.bind(this.#i18n);
    const m = this.medicament;
    const e = (field: string) => ({ error: this.errors[field] ?? null, disabled: this.busy });
    return html`<form novalidate aria-labelledby="medicament-heading" @submit=${this.#submit}>
      <h3 id="medicament-heading">
        ${m ? t('ref.medicament.editHeading', { name: m.innRu }) : t('ref.medicament.newHeading')}
      </h3>
      ${this.error ? html`<p class="alert" role="alert">${t(this.error.key, this.error.params)}</p>` : nothing}
      <div class="form-grid">
        ${m ? nothing : textField('key', t('ref.key'), '', { ...e('_id'), hint: t('ref.keyHint') })}
        ${textField('innRu', t('ref.medicament.innRu'), m?.innRu ?? '', e('innRu'))}
        ${textField('innLatin', t('ref.medicament.innLatin'), m?.innLatin ?? '', e('innLatin'))}
        ${textField('tradeNames', t('ref.medicament.tradeNames'), m?.tradeNames.join(', ') ?? '', {
          ...e('tradeNames'),
          hint: t('ref.medicament.tradeNamesHint'),
        })}
        ${textField('atcCode', t('ref.medicament.atcCode'), m?.atcCode ?? '', e('atcCode'))}
        ${selectField('form', t('ref.medicament.form'), m?.form ?? 'tablet', this.#choices('ref.form', DOSAGE_FORMS), e('form'))}
        ${textField('strength', t('ref.medicament.strength'), m ? String(m.strength) : '', {
          ...e('strength'),
          type: 'number',
          step: 'any',
        })}
        ${selectField('strengthUnit', t('ref.medicament.strengthUnit'), m?.strengthUnit ?? 'mg', this.#choices('ref.unit', STRENGTH_UNITS), e('strengthUnit'))}
        ${textField('strengthNote', t('ref.medicament.strengthNote'), m?.strengthNote ?? '', e('strengthNote'))}
        ${selectField('route', t('ref.medicament.route'), m?.route ?? 'oral', this.#choices('ref.route', ROUTES), e('route'))}
        ${selectField('opioidClass', t('ref.medicament.opioidClass'), m?.opioidClass ?? 'none', this.#choices('ref.opioid', OPIOID_CLASSES), e('opioidClass'))}
        ${selectField('controlList', t('ref.medicament.controlList'), m?.controlList ?? '', this.#choices('ref.list', CONTROL_LISTS, 'ref.none'), e('controlList'))}
        ${textField(
          'morphineFactor',
          t('ref.medicament.morphineFactor'),
          m?.morphineFactor === null || !m ? '' : String(m.morphineFactor),
          {
            ...e('morphineFactor'),
            type: 'number',
            step: 'any',
            hint: t('ref.medicament.morphineFactorHint'),
          },
        )}
        ${selectField(
          'factorBasis',
          t('ref.medicament.factorBasis'),
          m?.factorBasis ?? '',
          this.#choices('ref.unit', FACTOR_BASES, 'ref.none'),
          {
            ...e('factorBasis'),
          },
        )}
        ${textField('factorSource', t('ref.medicament.factorSource'), m?.factorSource ?? '', e('factorSource'))}
        ${textField('note', t('ref.medicament.note'), m?.note ?? '', e('note'))}
      </div>
      ${checkField('narcotic', t('ref.medicament.narcotic'), m?.narcotic ?? false, e('narcotic'))}
      ${checkField('psychotropic', t('ref.medicament.psychotropic'), m?.psychotropic ?? false, e('psychotropic'))}
      ${checkField('potent', t('ref.medicament.potent'), m?.potent ?? false, e('potent'))}
      <div class="form-actions">
        <button class="button" type="submit" ?disabled=${this.busy}>${t('admin.save')}</button>
        <button class="button secondary" type="button" ?disabled=${this.busy} @click=${this.cancel}>
          ${t('admin.cancel')}
        </button>
      </div>
    </form>`;
  }

  /** The fields as they stand in the form, typed as a Medicament's (the validation judges them). */
  fields(): EntryFields<Medicament> {
    const read = formReader(this.renderRoot);
    const number = (id: string) => (read.text(id) === '' ? Number.NaN : Number(read.text(id).replace(',', '.')));
    const factor = read.text('morphineFactor');
    const fields: EntryFields<Medicament> = {
      innRu: read.text('innRu'),
      innLatin: read.text('innLatin'),
      tradeNames: read
        .text('tradeNames')
        .split(',')
        .map((name) => name.trim())
        .filter((name) => name !== ''),
      atcCode: read.text('atcCode').toUpperCase(),
      form: read.text('form') as Medicament['form'],
      strength: number('strength'),
      strengthUnit: read.text('strengthUnit') as Medicament['strengthUnit'],
      route: read.text('route') as Medicament['route'],
      narcotic: read.checked('narcotic'),
      psychotropic: read.checked('psychotropic'),
      controlList: (read.text('controlList') || null) as Medicament['controlList'],
      potent: read.checked('potent'),
      opioidClass: read.text('opioidClass') as Medicament['opioidClass'],
      morphineFactor: factor === '' ? null : number('morphineFactor'),
      factorBasis: (read.text('factorBasis') || null) as Medicament['factorBasis'],
      factorSource: read.text('factorSource') || null,
    };
    if (read.text('strengthNote')) fields.strengthNote = read.text('strengthNote');
    if (read.text('note')) fields.note = read.text('note');
    return fields;
  }

  async #submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.busy) return;
    const fields = this.fields();
    const authorship = this.authorship();
    const current = this.medicament;
    const key =
      formReader(this.renderRoot).text('key') ||
      slugOf(`${fields.innLatin} ${fields.form} ${fields.strength} ${fields.strengthUnit}`);
    const result = current
      ? editEntry<Medicament>(current, fields, authorship)
      : createEntry<Medicament>('medicament', key, fields, authorship);
    await this.save(result);
  }
}

customElements.define('rp-admin-medicament-form', RpAdminMedicamentForm);

declare global {
  interface HTMLElementTagNameMap {
    'rp-admin-medicament-form': RpAdminMedicamentForm;
  }
  interface GlobalEventHandlersEventMap {
    'rp-reference-saved': CustomEvent<unknown>;
  }
}
