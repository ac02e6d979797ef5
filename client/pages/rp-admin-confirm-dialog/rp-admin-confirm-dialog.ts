/**
 * A modal confirmation for actions that cannot be taken back at once (disabling an account, deactivating a
 * facility). A native `<dialog>`: it traps focus, closes with Escape (= cancel) and returns focus where it was.
 */
import { LitElement, html } from 'lit';
import { I18nController } from '../../app/service-controller.ts';
import { confirmDialogStyles } from './rp-admin-confirm-dialog.styles.ts';

export class RpAdminConfirmDialog extends LitElement {
  static override styles = confirmDialogStyles;
  static override properties = {
    message: { state: true },
    confirmLabel: { state: true },
  };

  declare message: string;
  declare confirmLabel: string;
  readonly #i18n = new I18nController(this);
  #resolve: ((confirmed: boolean) => void) | null = null;

  constructor() {
    super();
    this.message = '';
    this.confirmLabel = '';
  }

  /** Shows the question; resolves true for the confirming button, false for cancel or Escape. */
  async ask(message: string, confirmLabel: string): Promise<boolean> {
    this.#resolve?.(false);
    this.message = message;
    this.confirmLabel = confirmLabel;
    await this.updateComplete;
    const dialog = this.renderRoot.querySelector('dialog');
    if (!dialog) return false;
    dialog.showModal();
    this.renderRoot.querySelector<HTMLButtonElement>('.cancel')?.focus();
    return new Promise((resolve) => (this.#resolve = resolve));
  }

  override render() {
    return html`<dialog aria-labelledby="confirm-message" @close=${this.#closed}>
      <p id="confirm-message">${this.message}</p>
      <div class="form-actions">
        <button class="button danger" type="button" @click=${() => this.#close(true)}>${this.confirmLabel}</button>
        <button class="button secondary cancel" type="button" @click=${() => this.#close(false)}>
          ${this.#i18n.t('admin.cancel')}
        </button>
      </div>
    </dialog>`;
  }

  #close(confirmed: boolean): void {
    const resolve = this.#resolve;
    this.#resolve = null;
    this.renderRoot.querySelector('dialog')?.close();
    resolve?.(confirmed);
  }

  #closed(): void {
    this.#close(false);
  }
}

customElements.define('rp-admin-confirm-dialog', RpAdminConfirmDialog);

declare global {
  interface HTMLElementTagNameMap {
    'rp-admin-confirm-dialog': RpAdminConfirmDialog;
  }
}
