/**
 * "A new version is available — Update": shown when the service worker has a new version waiting.
 * Updating activates it and reloads the page; "later" hides the bar until the next start.
 */
import { LitElement, html, nothing } from 'lit';
import { I18nController, ServiceController } from '../../app/service-controller.ts';
import { updateContext } from '../../app/contexts.ts';
import { updateBarStyles } from './rp-update-bar.styles.ts';

export class RpUpdateBar extends LitElement {
  static override styles = updateBarStyles;
  readonly #i18n = new I18nController(this);
  readonly #updates = new ServiceController(this, updateContext);

  override render() {
    const updates = this.#updates.value;
    if (!updates?.needRefresh) return nothing;
    const t = this.#i18n.t.bind(this.#i18n);
    return html`<div class="bar" role="region" aria-label=${t('update.available')}>
      <p>${t('update.available')}</p>
      <button class="button" type="button" data-action="update" @click=${() => void updates.applyUpdate()}>
        ${t('update.reload')}
      </button>
      <button class="button secondary" type="button" data-action="dismiss" @click=${() => updates.dismiss()}>
        ${t('update.dismiss')}
      </button>
    </div>`;
  }
}

customElements.define('rp-update-bar', RpUpdateBar);

declare global {
  interface HTMLElementTagNameMap {
    'rp-update-bar': RpUpdateBar;
  }
}
