/**
 * Home: a greeting with the user's name and roles, the sections their roles allow (common/roles.ts `can`), and
 * the idle-lock setting.
 */
import { LitElement, html, nothing } from 'lit';
import { I18nController, ServiceController } from '../../app/service-controller.ts';
import { lockContext } from '../../app/contexts.ts';
import { sectionsFor } from '../../app/navigation.ts';
import { followLink } from '../../app/navigate.ts';
import { isStaffRole } from '../../../common/roles.ts';
import { IDLE_MINUTE_CHOICES } from '../../services/lock-service.ts';
import type { SessionUser } from '../../services/session-service.ts';
import { homePageStyles } from './rp-home-page.styles.ts';

/**
 * @fires rp-navigate - when a section link is followed; detail `{path}`
 */
export class RpHomePage extends LitElement {
  static override styles = homePageStyles;
  static override properties = {
    user: { attribute: false },
  };

  declare user: SessionUser | null;
  readonly #i18n = new I18nController(this);
  readonly #lock = new ServiceController(this, lockContext);

  constructor() {
    super();
    this.user = null;
  }

  override render() {
    if (!this.user) return nothing;
    const t = this.#i18n.t.bind(this.#i18n);
    const roles = this.user.roles.filter(isStaffRole).map((role) => t(`role.${role}`));
    const sections = sectionsFor(this.user.roles);
    const lock = this.#lock.value;
    return html`
      <h1>${t('home.greeting', { name: this.user.displayName })}</h1>
      <p class="roles muted">${t('home.roles', { roles: roles.join(', ') || '—' })}</p>
      ${
        sections.length === 0
          ? html`<p>${t('home.noSections')}</p>`
          : html`<nav aria-label=${t('nav.label')}>
              <ul>
                ${sections.map(
                  (section) =>
                    html`<li>
                      <a
                        href=${section.path}
                        data-section=${section.id}
                        @click=${(event: MouseEvent) => followLink(event, section.path)}
                      >
                        <span class="title">${t(section.title)}</span>
                        <span class="muted">${t(section.description)}</span>
                        ${section.built ? nothing : html`<br /><span class="soon">${t('placeholder.comingSoon')}</span>`}
                      </a>
                    </li>`,
                )}
              </ul>
            </nav>`
      }
      ${
        lock
          ? html`<section class="settings card" aria-labelledby="settings-heading">
              <h2 id="settings-heading">${t('home.settings')}</h2>
              <label for="idle-minutes">${t('home.idleLock')}</label>
              <select
                id="idle-minutes"
                @change=${(event: Event) => lock.setIdleMinutes(Number((event.target as HTMLSelectElement).value))}
              >
                ${IDLE_MINUTE_CHOICES.map(
                  (minutes) =>
                    html`<option value=${minutes} ?selected=${minutes === lock.idleMinutes}>
                      ${t('home.minutes', { count: minutes })}
                    </option>`,
                )}
              </select>
            </section>`
          : nothing
      }
    `;
  }
}

customElements.define('rp-home-page', RpHomePage);

declare global {
  interface HTMLElementTagNameMap {
    'rp-home-page': RpHomePage;
  }
}
