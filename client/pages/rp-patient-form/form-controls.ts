/**
 * Labelled controls bound to an element's state for the patient pages: every control has a `<label>`, a hint and
 * a message are tied to it with aria-describedby, a problem marks it aria-invalid, and each keystroke goes to the
 * state through `onInput` — the state, not the DOM, is what is saved, so a re-render or a failed save loses
 * nothing. Dates are `<input type="date">`; free text is bound as a value, never as markup.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';

export interface ControlOptions {
  error?: string | null | undefined;
  hint?: string;
  type?: 'text' | 'date' | 'tel' | 'search' | 'number';
  disabled?: boolean;
  autocomplete?: string;
  inputmode?: 'numeric' | 'tel' | 'text' | 'decimal';
  min?: string;
  max?: string;
  step?: string;
}

export interface Choice {
  value: string;
  label: string;
}

function describedBy(id: string, options: ControlOptions) {
  const ids = [options.hint ? `${id}-hint` : '', options.error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return ids || nothing;
}

/** The hint and the message under a control. */
export function notes(id: string, options: ControlOptions): TemplateResult {
  return html`${options.hint ? html`<p class="muted hint" id="${id}-hint">${options.hint}</p>` : nothing}
  ${options.error ? html`<p class="field-error" id="${id}-error">${options.error}</p>` : nothing}`;
}

export function inputControl(
  id: string,
  label: string,
  value: string,
  onInput: (value: string) => void,
  options: ControlOptions = {},
): TemplateResult {
  return html`<div class="field">
    <label for=${id}>${label}</label>
    <input
      id=${id}
      name=${id}
      type=${options.type ?? 'text'}
      autocomplete=${options.autocomplete ?? 'off'}
      inputmode=${options.inputmode ?? nothing}
      min=${options.min ?? nothing}
      max=${options.max ?? nothing}
      step=${options.step ?? nothing}
      .value=${live(value)}
      ?disabled=${options.disabled === true}
      aria-invalid=${options.error ? 'true' : 'false'}
      aria-describedby=${describedBy(id, options)}
      @input=${(event: Event) => onInput((event.currentTarget as HTMLInputElement).value)}
    />
    ${notes(id, options)}
  </div>`;
}

export function selectControl(
  id: string,
  label: string,
  value: string,
  choices: readonly Choice[],
  onChange: (value: string) => void,
  options: ControlOptions = {},
): TemplateResult {
  return html`<div class="field">
    <label for=${id}>${label}</label>
    <select
      id=${id}
      name=${id}
      ?disabled=${options.disabled === true}
      aria-invalid=${options.error ? 'true' : 'false'}
      aria-describedby=${describedBy(id, options)}
      @change=${(event: Event) => onChange((event.currentTarget as HTMLSelectElement).value)}
    >
      ${choices.map((choice) => html`<option value=${choice.value} ?selected=${choice.value === value}>${choice.label}</option>`)}
    </select>
    ${notes(id, options)}
  </div>`;
}

export function textareaControl(
  id: string,
  label: string,
  value: string,
  onInput: (value: string) => void,
  options: ControlOptions = {},
): TemplateResult {
  return html`<div class="field">
    <label for=${id}>${label}</label>
    <textarea
      id=${id}
      name=${id}
      .value=${live(value)}
      ?disabled=${options.disabled === true}
      aria-invalid=${options.error ? 'true' : 'false'}
      aria-describedby=${describedBy(id, options)}
      @input=${(event: Event) => onInput((event.currentTarget as HTMLTextAreaElement).value)}
    ></textarea>
    ${notes(id, options)}
  </div>`;
}

/** Moves focus to the first control marked invalid (a group's first control), after the element has rendered. */
export function focusFirstInvalid(root: ParentNode): boolean {
  const marked = root.querySelector<HTMLElement>('[aria-invalid="true"]');
  if (!marked) return false;
  const target =
    marked.localName === 'fieldset' ? (marked.querySelector<HTMLElement>('input, select, button') ?? marked) : marked;
  target.focus();
  return true;
}
