/**
 * Switches the interface between Russian and English; the choice is kept on the device by the I18n service.
 */
import { LitElement, html } from 'lit';
import { I18nController } from '../../app/service-controller.ts';
import { LOCALES, type Locale } from '../../i18n/i18n.ts';
import { languageSwitchStyles } from './rp-language-switch.styles.ts';

const LABELS: Readonly<Record<Locale, string>> = { ru: 'RU', en: 'EN' };

export class RpLanguageSwitch extends LitElement {
  static override styles = languageSwitchStyles;
  readonly #i18n = new I18nController(this);

  override render() {
    const current = this.#i18n.value?.locale ?? 'ru';
    return html`<div class="group" role="group" aria-label=${this.#i18n.t('header.language')}>
      ${LOCALES.map(
        (locale) =>
          html`<button
            type="button"
            lang=${locale}
            data-locale=${locale}
            aria-pressed=${locale === current ? 'true' : 'false'}
            @click=${() => this.#i18n.value?.setLocale(locale)}
          >
            ${LABELS[locale]}
          </button>`,
      )}
    </div>`;
  }
}

customElements.define('rp-language-switch', RpLanguageSwitch);

declare global {
  interface HTMLElementTagNameMap {
    'rp-language-switch': RpLanguageSwitch;
  }
}
