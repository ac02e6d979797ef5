/**
 * Labelled form controls for the reference editors: every control has a `<label>`, and a message shown next to it
 * is tied to it with aria-describedby and aria-invalid.
 */
import { html, nothing, type TemplateResult } from 'lit';

export interface FieldOptions {
  error?: string | null;
  hint?: string;
  disabled?: boolean;
  type?: 'text' | 'number' | 'search';
  step?: string;
}

function describedBy(id: string, options: FieldOptions) {
  const ids = [options.hint ? `${id}-hint` : '', options.error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return ids || nothing;
}

function after(id: string, options: FieldOptions): TemplateResult {
  return html`${options.hint ? html`<p class="muted" id="${id}-hint">${options.hint}</p>` : nothing}
  ${options.error ? html`<p class="field-error" id="${id}-error">${options.error}</p>` : nothing}`;
}

export function textField(id: string, label: string, value: string, options: FieldOptions = {}): TemplateResult {
  return html`<div class="field">
    <label for=${id}>${label}</label>
    <input
      id=${id}
      name=${id}
      type=${options.type ?? 'text'}
      step=${options.step ?? nothing}
      inputmode=${options.type === 'number' ? 'decimal' : nothing}
      autocomplete="off"
      .value=${value}
      ?disabled=${options.disabled === true}
      aria-invalid=${options.error ? 'true' : 'false'}
      aria-describedby=${describedBy(id, options)}
    />
    ${after(id, options)}
  </div>`;
}

export function selectField(
  id: string,
  label: string,
  value: string,
  choices: readonly { value: string; label: string }[],
  options: FieldOptions = {},
): TemplateResult {
  return html`<div class="field">
    <label for=${id}>${label}</label>
    <select
      id=${id}
      name=${id}
      ?disabled=${options.disabled === true}
      aria-invalid=${options.error ? 'true' : 'false'}
      aria-describedby=${describedBy(id, options)}
    >
      ${choices.map((choice) => html`<option value=${choice.value} ?selected=${choice.value === value}>${choice.label}</option>`)}
    </select>
    ${after(id, options)}
  </div>`;
}

export function checkField(id: string, label: string, checked: boolean, options: FieldOptions = {}): TemplateResult {
  return html`<div class="field">
    <label class="check">
      <input
        type="checkbox"
        id=${id}
        name=${id}
        .checked=${checked}
        ?disabled=${options.disabled === true}
        aria-invalid=${options.error ? 'true' : 'false'}
        aria-describedby=${describedBy(id, options)}
      />
      ${label}
    </label>
    ${after(id, options)}
  </div>`;
}

/** Reads the controls of a form by id. */
export function formReader(root: ParentNode) {
  return {
    text: (id: string) => root.querySelector<HTMLInputElement | HTMLSelectElement>(`#${id}`)?.value.trim() ?? '',
    checked: (id: string) => root.querySelector<HTMLInputElement>(`#${id}`)?.checked ?? false,
  };
}

/** The first validation message per field (`field` as common/reference/validation.ts names it). */
export function errorsByField(errors: readonly { field: string; message: string }[]): Record<string, string> {
  const byField: Record<string, string> = {};
  for (const error of errors) byField[error.field] ??= error.message;
  return byField;
}

/** A reference key from free text: `Morphinum tablet 10 mg` → `morphinum-tablet-10-mg`. */
export function slugOf(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
