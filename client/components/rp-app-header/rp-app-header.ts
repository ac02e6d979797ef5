/**
 * The bar at the top: the register's name (a link home), and for a signed-in user the sync state, the language
 * switch, "lock" and "sign out". Before sign-in it shows only the name and the language switch.
 */
import { LitElement, html, nothing } from 'lit';
import { I18nController, ServiceController } from '../../app/service-controller.ts';
import { sessionContext } from '../../app/contexts.ts';
import { followLink } from '../../app/navigate.ts';
import '../rp-sync-indicator/rp-sync-indicator.ts';
import '../rp-language-switch/rp-language-switch.ts';
import { appHeaderStyles } from './rp-app-header.styles.ts';

/**
 * @fires rp-navigate - when the register's name is followed home; detail `{path: '/'}`
 */
export class RpAppHeader extends LitElement {
  static override styles = appHeaderStyles;
  static override properties = {
    signedIn: { type: Boolean, attribute: 'signed-in' },
  };

  declare signedIn: boolean;
  readonly #i18n = new I18nController(this);
  readonly #session = new ServiceController(this, sessionContext);

  constructor() {
    super();
    this.signedIn = false;
  }

  override render() {
    const t = this.#i18n.t.bind(this.#i18n);
    const session = this.#session.value;
    return html`<header>
      <a class="brand" href="/" @click=${(event: MouseEvent) => followLink(event, '/')}>
        <img src="/icons/icon.svg" alt="" width="32" height="32" />
        <span>${t('app.title')}</span>
      </a>
      <div class="tools">
        ${this.signedIn ? html`<rp-sync-indicator></rp-sync-indicator>` : nothing}
        <rp-language-switch></rp-language-switch>
        ${
          this.signedIn && session
            ? html`<button class="button on-primary" type="button" data-action="lock" @click=${() => session.lock()}>
                  ${t('header.lock')}
                </button>
                <button
                  class="button on-primary"
                  type="button"
                  data-action="logout"
                  @click=${() => void session.logout()}
                >
                  ${t('header.logout')}
                </button>`
            : nothing
        }
      </div>
    </header>`;
  }
}

customElements.define('rp-app-header', RpAppHeader);

declare global {
  interface HTMLElementTagNameMap {
    'rp-app-header': RpAppHeader;
  }
}
