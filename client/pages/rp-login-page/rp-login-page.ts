/**
 * The login page: username and password, a progress state while Argon2id runs (about a second), and clear
 * messages for a wrong password, throttling, no connection and a required password change.
 */
import { LitElement, html, nothing } from 'lit';
import { I18nController, ServiceController } from '../../app/service-controller.ts';
import { sessionContext } from '../../app/contexts.ts';
import { messageFor, type UserMessage } from '../../services/user-messages.ts';
import { loginPageStyles } from './rp-login-page.styles.ts';

type FieldErrors = { username?: UserMessage; password?: UserMessage };

/**
 * @summary Sign-in form of the register.
 */
export class RpLoginPage extends LitElement {
  static override styles = loginPageStyles;
  static override properties = {
    busy: { state: true },
    error: { state: true },
    fieldErrors: { state: true },
    confirmingErase: { state: true },
  };

  declare busy: boolean;
  /** The member asked to erase their local data: the warning and the final button are shown. */
  declare confirmingErase: boolean;
  declare error: UserMessage | null;
  declare fieldErrors: FieldErrors;
  readonly #i18n = new I18nController(this);
  readonly #session = new ServiceController(this, sessionContext);

  constructor() {
    super();
    this.busy = false;
    this.error = null;
    this.fieldErrors = {};
    this.confirmingErase = false;
  }

  override render() {
    const t = this.#i18n.t.bind(this.#i18n);
    const state = this.#session.value?.state;
    const notice = state?.kind === 'signed-out' ? state.notice : null;
    const username = state?.kind === 'signed-out' ? state.username : '';
    const shown = this.error ?? notice;
    return html`
      <section class="card" aria-labelledby="login-heading">
        <h1 id="login-heading">${t('login.heading')}</h1>
        <p class="intro muted">${t('login.intro')}</p>
        ${shown ? html`<p class="alert" role="alert" id="login-error">${t(shown.key, shown.params)}</p>` : nothing}
        ${state?.kind === 'signed-out' && state.erasable ? this.#erase() : nothing}
        <form novalidate @submit=${this.#submit}>
          <div class="field">
            <label for="username">${t('login.username')}</label>
            <input
              id="username"
              name="username"
              autocomplete="username"
              autocapitalize="none"
              spellcheck="false"
              .value=${username}
              ?disabled=${this.busy}
              aria-invalid=${this.fieldErrors.username ? 'true' : 'false'}
              aria-describedby=${this.fieldErrors.username ? 'username-error' : nothing}
            />
            ${
              this.fieldErrors.username
                ? html`<p class="field-error" id="username-error">${t(this.fieldErrors.username.key)}</p>`
                : nothing
            }
          </div>
          <div class="field">
            <label for="password">${t('login.password')}</label>
            <input
              id="password"
              name="password"
              type="password"
              autocomplete="current-password"
              ?disabled=${this.busy}
              aria-invalid=${this.fieldErrors.password ? 'true' : 'false'}
              aria-describedby=${this.fieldErrors.password ? 'password-error' : nothing}
            />
            ${
              this.fieldErrors.password
                ? html`<p class="field-error" id="password-error">${t(this.fieldErrors.password.key)}</p>`
                : nothing
            }
          </div>
          <button class="button" type="submit" ?disabled=${this.busy}>${t('login.submit')}</button>
          <div class="progress" role="status" aria-live="polite">
            ${this.busy ? html`<span class="spinner" aria-hidden="true"></span><span>${t('login.working')}</span>` : nothing}
          </div>
        </form>
      </section>
    `;
  }

  #erase() {
    const t = this.#i18n.t.bind(this.#i18n);
    if (!this.confirmingErase)
      return html`<p>
        <button
          class="button secondary"
          type="button"
          ?disabled=${this.busy}
          @click=${() => (this.confirmingErase = true)}
        >
          ${t('login.erase')}
        </button>
      </p>`;
    return html`<div class="alert" role="alertdialog" aria-labelledby="erase-question">
      <p id="erase-question">${t('login.eraseQuestion')}</p>
      <p>
        <button class="button danger" type="button" ?disabled=${this.busy} @click=${this.#confirmErase}>
          ${t('login.erase')}
        </button>
        <button
          class="button secondary"
          type="button"
          ?disabled=${this.busy}
          @click=${() => (this.confirmingErase = false)}
        >
          ${t('admin.cancel')}
        </button>
      </p>
    </div>`;
  }

  async #confirmErase(): Promise<void> {
    const session = this.#session.value;
    if (!session || this.busy) return;
    this.busy = true;
    try {
      await session.eraseLocalData();
      this.confirmingErase = false;
    } catch (error) {
      this.error = messageFor(error);
    } finally {
      this.busy = false;
    }
  }

  async #submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const username = (form.elements.namedItem('username') as HTMLInputElement).value.trim();
    const passwordInput = form.elements.namedItem('password') as HTMLInputElement;
    const errors: FieldErrors = {};
    if (!username) errors.username = { key: 'login.usernameRequired' };
    if (!passwordInput.value) errors.password = { key: 'login.passwordRequired' };
    this.fieldErrors = errors;
    this.error = null;
    if (errors.username || errors.password) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLInputElement>(errors.username ? '#username' : '#password')?.focus();
      return;
    }
    const session = this.#session.value;
    if (!session || this.busy) return;
    this.busy = true;
    try {
      await session.login(username, passwordInput.value);
    } catch (error) {
      this.error = messageFor(error);
      passwordInput.value = '';
    } finally {
      this.busy = false;
    }
    if (this.error) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLInputElement>('#password')?.focus();
    }
  }
}

customElements.define('rp-login-page', RpLoginPage);

declare global {
  interface HTMLElementTagNameMap {
    'rp-login-page': RpLoginPage;
  }
}
