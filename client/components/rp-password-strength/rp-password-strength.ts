/**
 * Shows a password's strength score (0–4) as a bar and in words; `score` null means no password yet,
 * `checking` that the estimator is loading or working.
 */
import { LitElement, html } from 'lit';
import { I18nController } from '../../app/service-controller.ts';
import type { MessageKey } from '../../i18n/i18n.ts';
import type { StrengthScore } from '../../services/password-strength.ts';
import { passwordStrengthStyles } from './rp-password-strength.styles.ts';

export class RpPasswordStrength extends LitElement {
  static override styles = passwordStrengthStyles;
  static override properties = {
    score: { type: Number },
    checking: { type: Boolean },
  };

  declare score: StrengthScore | null;
  declare checking: boolean;
  readonly #i18n = new I18nController(this);

  constructor() {
    super();
    this.score = null;
    this.checking = false;
  }

  override render() {
    const t = this.#i18n.t.bind(this.#i18n);
    const words = this.checking
      ? t('strength.checking')
      : this.score === null
        ? t('strength.empty')
        : t(`strength.${this.score}` as MessageKey);
    return html`
      <div class="bar" data-score=${this.checking || this.score === null ? 0 : this.score} aria-hidden="true">
        <span></span><span></span><span></span><span></span>
      </div>
      <p class="text" aria-live="polite">${t('strength.label')}: <strong>${words}</strong></p>
    `;
  }
}

customElements.define('rp-password-strength', RpPasswordStrength);

declare global {
  interface HTMLElementTagNameMap {
    'rp-password-strength': RpPasswordStrength;
  }
}
