/**
 * Home: a greeting with the user's name and roles, the sections their roles allow (common/roles.ts `can`), and
 * the idle-lock setting.
 */
import { LitElement, html, nothing } from 'lit';
import { I18nController, ServiceController } from '../../app/service-controller.ts';
import { lockContext, sessionContext } from '../../app/contexts.ts';
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
    checking: { state: true },
  };

  declare user: SessionUser | null;
  declare checking: boolean;
  readonly #i18n = new I18nController(this);
  readonly #lock = new ServiceController(this, lockContext);
  readonly #session = new ServiceController(this, sessionContext);

  constructor() {
    super();
    this.user = null;
    this.checking = false;
  }

  /** Facilities whose key waits for an administrator's confirmation, with a way to look again. */
  #awaitingKeys() {
    const session = this.#session.value;
    const awaiting = session?.facilitiesAwaitingKeys ?? [];
    if (!session || awaiting.length === 0) return nothing;
    const t = this.#i18n.t.bind(this.#i18n);
    return html`<div class="alert info" role="status">
      <p>${t('home.keysAwaiting', { facilities: awaiting.join(', ') })}</p>
      <button class="button secondary" type="button" ?disabled=${this.checking} @click=${this.#checkKeys}>
        ${t('home.keysCheck')}
      </button>
    </div>`;
  }

  /** Key copies this device refused (unsigned, signed with another key, or not for this key pair). */
  #refusedKeys() {
    const refused = this.#session.value?.refusedKeyCopies ?? [];
    if (refused.length === 0) return nothing;
    const t = this.#i18n.t.bind(this.#i18n);
    const facilities = [...new Set(refused.map((copy) => copy.facilityId ?? '—'))].join(', ');
    return html`<p class="alert" role="alert">${t('home.keysRefused', { count: refused.length, facilities })}</p>`;
  }

  async #checkKeys(): Promise<void> {
    const session = this.#session.value;
    if (!session || this.checking) return;
    this.checking = true;
    try {
      await session.refreshKeys();
    } catch (error) {
      console.warn('The key copies could not be read again:', error);
    } finally {
      this.checking = false;
    }
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
      ${this.#refusedKeys()} ${this.#awaitingKeys()}
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
