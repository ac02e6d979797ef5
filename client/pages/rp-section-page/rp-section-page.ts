/**
 * A section of the register that is built in a later step: its title and a clear "coming soon"; or, when the
 * user's roles do not allow the section, a short refusal. Both lead back home.
 */
import { LitElement, html } from 'lit';
import { I18nController } from '../../app/service-controller.ts';
import { followLink } from '../../app/navigate.ts';
import type { Section } from '../../app/navigation.ts';
import { sectionPageStyles } from './rp-section-page.styles.ts';

/**
 * @fires rp-navigate - when the link back home is followed; detail `{path: '/'}`
 */
export class RpSectionPage extends LitElement {
  static override styles = sectionPageStyles;
  static override properties = {
    section: { attribute: false },
  };

  /** The section to show; null: the user may not open the section they asked for. */
  declare section: Section | null;
  readonly #i18n = new I18nController(this);

  constructor() {
    super();
    this.section = null;
  }

  override render() {
    const t = this.#i18n.t.bind(this.#i18n);
    return html`
      <div class="card">
        <h1>${this.section ? t(this.section.title) : t('app.noAccess')}</h1>
        <p>${this.section ? t('placeholder.comingSoon') : ''}</p>
        <a class="button secondary" href="/" @click=${(event: MouseEvent) => followLink(event, '/')}
          >${t('placeholder.back')}</a
        >
      </div>
    `;
  }
}

customElements.define('rp-section-page', RpSectionPage);

declare global {
  interface HTMLElementTagNameMap {
    'rp-section-page': RpSectionPage;
  }
}
