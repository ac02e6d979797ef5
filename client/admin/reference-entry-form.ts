/**
 * What the reference-book editors (medicament, district) share: the store and author they write with, the
 * validation messages by field, and the save step — refused input shows next to its field and takes the focus,
 * a refused write shows as an alert, a stored document is announced with `rp-reference-saved`.
 */
import { LitElement } from 'lit';
import type { EditResult } from '../../common/reference/edit.ts';
import type { ReferenceDoc } from '../../common/reference/types.ts';
import type { ReferenceStore } from './reference-store.ts';
import { adminMessageFor } from './admin-errors.ts';
import { errorsByField } from './form-fields.ts';
import type { UserMessage } from '../services/user-messages.ts';

export abstract class ReferenceEntryForm extends LitElement {
  static override properties = {
    reference: { attribute: false },
    actor: { attribute: false },
    errors: { state: true },
    error: { state: true },
    busy: { state: true },
  };

  declare reference: ReferenceStore | null;
  declare actor: string;
  /** Validation messages by field, in Russian as common/reference/validation.ts writes them. */
  declare errors: Record<string, string>;
  declare error: UserMessage | null;
  declare busy: boolean;

  constructor() {
    super();
    this.reference = null;
    this.actor = '';
    this.errors = {};
    this.error = null;
    this.busy = false;
  }

  protected authorship(): { by: string; at: string } {
    return { by: this.actor || 'admin', at: new Date().toISOString() };
  }

  /** Shows the validation errors of `result`, or writes its document and fires `rp-reference-saved`. */
  protected async save<T extends ReferenceDoc>(result: EditResult<T>): Promise<void> {
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

  protected cancel(): void {
    this.dispatchEvent(new Event('rp-cancel', { bubbles: true, composed: true }));
  }
}
