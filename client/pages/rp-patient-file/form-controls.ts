/**
 * The labelled controls of the care forms, each with its error message tied to it through `aria-describedby` and
 * `aria-invalid`, so a screen reader reads the problem with the field. Controls are uncontrolled: Lit never writes
 * their values back, so a re-render after a refused save leaves everything the nurse or doctor typed in place.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { PlacedProblems } from './field-problems.ts';

/** What every control needs to know about the form it sits in. */
export interface FormState {
  problems: PlacedProblems;
  busy: boolean;
}

export function invalid(form: FormState, id: string): 'true' | 'false' {
  return form.problems.byControl[id] ? 'true' : 'false';
}

/** The hint and the error of a control, as ids for `aria-describedby`. */
export function describedBy(form: FormState, id: string, hint?: string): string | typeof nothing {
  const ids = [hint, form.problems.byControl[id] ? `${id}-error` : undefined].filter(Boolean);
  return ids.length > 0 ? ids.join(' ') : nothing;
}

export function errorOf(form: FormState, id: string): TemplateResult | typeof nothing {
  const message = form.problems.byControl[id];
  return message ? html`<p class="field-error" id="${id}-error">${message}</p>` : nothing;
}

export interface NumberOptions {
  hint?: string;
  max?: number;
  /** `any` for doses; whole steps for scales. */
  step?: number | 'any';
}

export function numberField(form: FormState, id: string, label: string, options: NumberOptions = {}): TemplateResult {
  const step = options.step ?? 'any';
  return html`<div class="field">
    <label for=${id}>${label}</label>
    <input
      id=${id}
      name=${id}
      type="number"
      inputmode=${step === 'any' ? 'decimal' : 'numeric'}
      min="0"
      max=${options.max ?? nothing}
      step=${step}
      ?disabled=${form.busy}
      aria-invalid=${invalid(form, id)}
      aria-describedby=${describedBy(form, id, options.hint ? `${id}-hint` : undefined)}
    />
    ${options.hint ? html`<p class="muted hint" id="${id}-hint">${options.hint}</p>` : nothing} ${errorOf(form, id)}
  </div>`;
}

export function selectField(
  form: FormState,
  id: string,
  label: string,
  options: readonly { value: string; text: string }[],
): TemplateResult {
  return html`<div class="field">
    <label for=${id}>${label}</label>
    <select
      id=${id}
      name=${id}
      ?disabled=${form.busy}
      aria-invalid=${invalid(form, id)}
      aria-describedby=${describedBy(form, id)}
    >
      ${options.map((option) => html`<option value=${option.value}>${option.text}</option>`)}
    </select>
    ${errorOf(form, id)}
  </div>`;
}

/** A date picker; `value` is the starting value only, `max` the latest date allowed. */
export function dateField(form: FormState, id: string, label: string, value = '', max?: string): TemplateResult {
  return html`<div class="field">
    <label for=${id}>${label}</label>
    <input
      id=${id}
      name=${id}
      type="date"
      value=${value}
      max=${max ?? nothing}
      ?disabled=${form.busy}
      aria-invalid=${invalid(form, id)}
      aria-describedby=${describedBy(form, id)}
    />
    ${errorOf(form, id)}
  </div>`;
}

/** Another free-text control (the note, a prescription number) with its hint. */
export function textField(form: FormState, id: string, label: string, hint: string, multiline = false): TemplateResult {
  const control = multiline
    ? html`<textarea
        id=${id}
        name=${id}
        ?disabled=${form.busy}
        aria-invalid=${invalid(form, id)}
        aria-describedby=${describedBy(form, id, `${id}-hint`)}
      ></textarea>`
    : html`<input
        id=${id}
        name=${id}
        autocomplete="off"
        ?disabled=${form.busy}
        aria-invalid=${invalid(form, id)}
        aria-describedby=${describedBy(form, id, `${id}-hint`)}
      />`;
  return html`<div class="field">
    <label for=${id}>${label}</label>
    ${control}
    <p class="muted hint" id="${id}-hint">${hint}</p>
    ${errorOf(form, id)}
  </div>`;
}
