/**
 * Unsaved input of a form whose controls hold their own values (the visit and prescription forms), kept on the
 * device so that it survives a reload or a crash — sealed by services/draft-store.ts under a key derived from
 * `muk`, never in plaintext (a visit note is free text, and people type names into it). The patient form keeps
 * its draft in state; these forms read their controls, so the draft is a snapshot of the controls themselves:
 * what was typed comes back exactly as it was, even a value the form would refuse.
 *
 * Lifecycle, as in the patient form: the kept draft is looked for once, before anything is kept (so a restore is
 * never overwritten by an empty form); then every change a person makes (an `input` or `change` event of the form)
 * is kept half a second after the last one; saving, cancelling or «Начать заново» discards it. Only events a person
 * causes count, so a form that recomputes or resets itself never writes a draft of its own.
 */
import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { DraftStore } from '../../services/draft-store.ts';

/** Control values by id (text, number, date, select, textarea) and by name (checked boxes; the checked radio). */
export interface FormSnapshot {
  values: Record<string, string>;
  checked: Record<string, string[]>;
}

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

function controlsOf(form: HTMLFormElement): Control[] {
  return [...form.querySelectorAll<Control>('input, select, textarea')];
}

function isChoice(control: Control): control is HTMLInputElement {
  return control instanceof HTMLInputElement && (control.type === 'checkbox' || control.type === 'radio');
}

/** What the controls of `form` hold now. */
export function snapshotOf(form: HTMLFormElement): FormSnapshot {
  const snapshot: FormSnapshot = { values: {}, checked: {} };
  for (const control of controlsOf(form)) {
    if (isChoice(control)) {
      if (!control.name) continue;
      const list = (snapshot.checked[control.name] ??= []);
      if (control.checked) list.push(control.value);
    } else if (control.id) {
      snapshot.values[control.id] = control.value;
    }
  }
  return snapshot;
}

/** Puts a snapshot back into the controls of `form` (controls it does not name are left as they are). */
export function applySnapshot(form: HTMLFormElement, snapshot: FormSnapshot): void {
  for (const control of controlsOf(form)) {
    if (isChoice(control)) {
      const list = snapshot.checked[control.name];
      if (list) control.checked = list.includes(control.value);
    } else if (control.id && control.id in snapshot.values) {
      control.value = snapshot.values[control.id] ?? '';
    }
  }
}

export function isFormSnapshot(value: unknown): value is FormSnapshot {
  if (typeof value !== 'object' || value === null) return false;
  const { values, checked } = value as Partial<FormSnapshot>;
  return (
    typeof values === 'object' &&
    values !== null &&
    Object.values(values).every((v) => typeof v === 'string') &&
    typeof checked === 'object' &&
    checked !== null &&
    Object.values(checked).every((list) => Array.isArray(list) && list.every((v) => typeof v === 'string'))
  );
}

interface DraftHost extends ReactiveControllerHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
}

export interface FormDraftOptions {
  /** The draft store (null: nothing is kept) and the draft's name (null: not known yet, e.g. no patient). */
  drafts(): DraftStore | null;
  name(): string | null;
  /** Called after the controls were filled from a kept draft, for state the host derives from them. */
  restored?(snapshot: FormSnapshot): void;
}

const KEEP_AFTER_MS = 500;

export class FormDraft implements ReactiveController {
  /** The form holds input restored from a kept draft. */
  restored = false;
  readonly #host: DraftHost;
  readonly #options: FormDraftOptions;
  #checkedName: string | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #listened: HTMLFormElement | null = null;
  readonly #onChange = (): void => this.#keep();

  constructor(host: DraftHost, options: FormDraftOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  hostUpdated(): void {
    const form = this.#form();
    if (form !== this.#listened) {
      this.#listened?.removeEventListener('input', this.#onChange);
      this.#listened?.removeEventListener('change', this.#onChange);
      form?.addEventListener('input', this.#onChange);
      form?.addEventListener('change', this.#onChange);
      this.#listened = form;
    }
    void this.#restore();
  }

  hostDisconnected(): void {
    // A change typed just before the form closed is still kept: the timer runs on with its own snapshot.
    this.#timer = null;
  }

  #form(): HTMLFormElement | null {
    return this.#host.renderRoot.querySelector('form');
  }

  /** Looks once per draft name for a kept draft and fills the controls from it. */
  async #restore(): Promise<void> {
    const drafts = this.#options.drafts();
    const name = this.#options.name();
    if (!drafts || !name || this.#checkedName === name || !this.#form()) return;
    this.#checkedName = name;
    const kept = await drafts.load(name);
    const form = this.#form();
    if (!form || !isFormSnapshot(kept)) return;
    applySnapshot(form, kept);
    this.restored = true;
    this.#options.restored?.(kept);
    this.#host.requestUpdate();
  }

  /** Keeps what the controls hold, sealed, half a second after the last change. */
  #keep(): void {
    const drafts = this.#options.drafts();
    const name = this.#options.name();
    const form = this.#form();
    if (!drafts || !name || this.#checkedName !== name || !form) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void drafts.save(name, snapshotOf(form)).catch(() => undefined);
    }, KEEP_AFTER_MS);
  }

  /** Drops the kept draft (saved, cancelled or started over). */
  forget(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const name = this.#options.name();
    if (name) this.#options.drafts()?.discard(name);
    this.restored = false;
    this.#host.requestUpdate();
  }

  /** «Начать заново»: the draft is dropped and the controls go back to what the form starts with. */
  startOver(): void {
    this.forget();
    this.#form()?.reset();
  }
}

/** The notice a form shows while it holds restored input, with «Начать заново». */
export function restoredNotice(
  draft: FormDraft,
  text: { restored: string; startOver: string },
): TemplateResult | typeof nothing {
  if (!draft.restored) return nothing;
  return html`<div class="alert info" role="status">
    <p>${text.restored}</p>
    <button class="button secondary" type="button" @click=${() => draft.startOver()}>${text.startOver}</button>
  </div>`;
}
