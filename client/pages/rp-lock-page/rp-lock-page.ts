/**
 * The lock screen: the remembered user types their password again. It works offline (the session service checks
 * the lock verifier on the device); after repeated wrong passwords it counts down before the next attempt.
 */
import { LitElement, html, nothing, svg } from 'lit';
import { I18nController, ServiceController } from '../../app/service-controller.ts';
import { lockContext, sessionContext } from '../../app/contexts.ts';
import { messageFor, type UserMessage } from '../../services/user-messages.ts';
import { lockPageStyles } from './rp-lock-page.styles.ts';

const lockIcon = svg`<path fill="currentColor" d="M12 2a5 5 0 0 0-5 5v3H6a2 2 0 0 0-2 2v8a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-8a2 2 0 0 0-2-2h-1V7a5 5 0 0 0-5-5Zm-3 5a3 3 0 0 1 6 0v3H9V7Zm3 7a2 2 0 0 1 1 3.73V19h-2v-1.27A2 2 0 0 1 12 14Z"/>`;

export class RpLockPage extends LitElement {
  static override styles = lockPageStyles;
  static override properties = {
    busy: { state: true },
    error: { state: true },
    waitSeconds: { state: true },
  };

  declare busy: boolean;
  declare error: UserMessage | null;
  declare waitSeconds: number;
  readonly #i18n = new I18nController(this);
  readonly #session = new ServiceController(this, sessionContext);
  readonly #lock = new ServiceController(this, lockContext);
  #ticker: ReturnType<typeof setInterval> | undefined;

  constructor() {
    super();
    this.busy = false;
    this.error = null;
    this.waitSeconds = 0;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#ticker = setInterval(() => this.#tick(), 1000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.#ticker);
  }

  override firstUpdated(): void {
    this.#tick();
    this.renderRoot.querySelector<HTMLInputElement>('#password')?.focus();
  }

  override render() {
    const t = this.#i18n.t.bind(this.#i18n);
    const state = this.#session.value?.state;
    const name = state?.kind === 'locked' ? state.displayName : '';
    const username = state?.kind === 'locked' ? state.username : '';
    const notice = state?.kind === 'locked' ? state.notice : null;
    const shown = this.error ?? notice;
    const blocked = this.waitSeconds > 0;
    return html`
      <section class="card" aria-labelledby="lock-heading">
        <svg class="lock-icon" viewBox="0 0 24 24" aria-hidden="true">${lockIcon}</svg>
        <h1 id="lock-heading">${t('lock.heading')}</h1>
        <p>${t('lock.intro', { name })}</p>
        ${navigator.onLine ? nothing : html`<p class="alert info">${t('lock.offline')}</p>`}
        ${shown ? html`<p class="alert" role="alert">${t(shown.key, shown.params)}</p>` : nothing}
        <form novalidate @submit=${this.#submit}>
          <input type="text" name="username" autocomplete="username" .value=${username} hidden />
          <div class="field">
            <label for="password">${t('login.password')}</label>
            <input
              id="password"
              name="password"
              type="password"
              autocomplete="current-password"
              ?disabled=${this.busy}
              aria-describedby=${blocked ? 'wait' : nothing}
            />
          </div>
          ${blocked ? html`<p class="muted" id="wait">${t('lock.wait', { seconds: this.waitSeconds })}</p>` : nothing}
          <button class="button" type="submit" ?disabled=${this.busy || blocked}>${t('lock.submit')}</button>
          <div class="progress" role="status" aria-live="polite">
            ${this.busy ? html`<span class="spinner" aria-hidden="true"></span><span>${t('lock.working')}</span>` : nothing}
          </div>
        </form>
        <div class="actions">
          <button
            class="button secondary"
            type="button"
            ?disabled=${this.busy}
            @click=${() => void this.#session.value?.logout()}
          >
            ${t('lock.switchUser')}
          </button>
        </div>
      </section>
    `;
  }

  #tick(): void {
    this.waitSeconds = this.#lock.value?.secondsUntilNextAttempt() ?? 0;
  }

  async #submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const input = (event.currentTarget as HTMLFormElement).elements.namedItem('password') as HTMLInputElement;
    const session = this.#session.value;
    if (!session || this.busy || this.waitSeconds > 0) return;
    if (!input.value) {
      this.error = { key: 'login.passwordRequired' };
      return;
    }
    this.busy = true;
    this.error = null;
    try {
      await session.unlock(input.value);
    } catch (error) {
      this.error = messageFor(error);
    } finally {
      this.busy = false;
      input.value = '';
      this.#tick();
    }
    if (this.error) {
      await this.updateComplete;
      input.focus();
    }
  }
}

customElements.define('rp-lock-page', RpLockPage);

declare global {
  interface HTMLElementTagNameMap {
    'rp-lock-page': RpLockPage;
  }
}
