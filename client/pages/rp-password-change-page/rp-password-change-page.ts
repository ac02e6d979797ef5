/**
 * The forced password change at first login: the new password twice, a zxcvbn strength meter (score 3 or more
 * required), then the session service sets the password and creates the user's key pair.
 */
import { LitElement, html, nothing } from 'lit';
import { I18nController, ServiceController } from '../../app/service-controller.ts';
import { sessionContext } from '../../app/contexts.ts';
import { messageFor, type UserMessage } from '../../services/user-messages.ts';
import { MIN_PASSWORD_SCORE, passwordScore, type StrengthScore } from '../../services/password-strength.ts';
import '../../components/rp-password-strength/rp-password-strength.ts';
import { passwordChangePageStyles } from './rp-password-change-page.styles.ts';

type FieldErrors = { password?: UserMessage; repeat?: UserMessage };

export class RpPasswordChangePage extends LitElement {
  static override styles = passwordChangePageStyles;
  static override properties = {
    busy: { state: true },
    error: { state: true },
    fieldErrors: { state: true },
    score: { state: true },
    checking: { state: true },
  };

  declare busy: boolean;
  declare error: UserMessage | null;
  declare fieldErrors: FieldErrors;
  declare score: StrengthScore | null;
  declare checking: boolean;
  readonly #i18n = new I18nController(this);
  readonly #session = new ServiceController(this, sessionContext);
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Only the latest estimate is shown when a slower earlier one finishes after it. */
  #run = 0;

  constructor() {
    super();
    this.busy = false;
    this.error = null;
    this.fieldErrors = {};
    this.score = null;
    this.checking = false;
  }

  override render() {
    const t = this.#i18n.t.bind(this.#i18n);
    const errors = this.fieldErrors;
    return html`
      <section class="card" aria-labelledby="change-heading">
        <h1 id="change-heading">${t('passwordChange.heading')}</h1>
        <p class="muted">${t('passwordChange.intro')}</p>
        ${this.error ? html`<p class="alert" role="alert">${t(this.error.key, this.error.params)}</p>` : nothing}
        <form novalidate @submit=${this.#submit}>
          <input type="text" name="username" autocomplete="username" .value=${this.#username()} hidden />
          <div class="field">
            <label for="new-password">${t('passwordChange.new')}</label>
            <input
              id="new-password"
              name="password"
              type="password"
              autocomplete="new-password"
              ?disabled=${this.busy}
              aria-invalid=${errors.password ? 'true' : 'false'}
              aria-describedby=${errors.password ? 'new-password-error' : nothing}
              @input=${this.#onPasswordInput}
            />
            ${errors.password ? html`<p class="field-error" id="new-password-error">${t(errors.password.key)}</p>` : nothing}
          </div>
          <rp-password-strength .score=${this.score} ?checking=${this.checking}></rp-password-strength>
          <div class="field">
            <label for="repeat-password">${t('passwordChange.repeat')}</label>
            <input
              id="repeat-password"
              name="repeat"
              type="password"
              autocomplete="new-password"
              ?disabled=${this.busy}
              aria-invalid=${errors.repeat ? 'true' : 'false'}
              aria-describedby=${errors.repeat ? 'repeat-password-error' : nothing}
              @input=${() => errors.repeat && (this.fieldErrors = { ...this.fieldErrors, repeat: undefined })}
            />
            ${errors.repeat ? html`<p class="field-error" id="repeat-password-error">${t(errors.repeat.key)}</p>` : nothing}
          </div>
          <button class="button" type="submit" ?disabled=${this.busy}>${t('passwordChange.submit')}</button>
          <div class="progress" role="status" aria-live="polite">
            ${this.busy ? html`<span class="spinner" aria-hidden="true"></span><span>${t('passwordChange.working')}</span>` : nothing}
          </div>
        </form>
        <div class="actions">
          <button
            class="button secondary"
            type="button"
            ?disabled=${this.busy}
            @click=${() => void this.#session.value?.logout()}
          >
            ${t('passwordChange.cancel')}
          </button>
        </div>
      </section>
    `;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#timer);
  }

  #username(): string {
    const state = this.#session.value?.state;
    return state?.kind === 'password-change' ? state.user.name : '';
  }

  #userInputs(): string[] {
    const state = this.#session.value?.state;
    return state?.kind === 'password-change' ? [state.user.name, ...state.user.displayName.split(/\s+/)] : [];
  }

  #onPasswordInput(event: InputEvent): void {
    const password = (event.target as HTMLInputElement).value;
    clearTimeout(this.#timer);
    if (this.fieldErrors.password) this.fieldErrors = { ...this.fieldErrors, password: undefined };
    if (!password) {
      this.score = null;
      this.checking = false;
      return;
    }
    this.checking = true;
    this.#timer = setTimeout(() => void this.#score(password), 200);
  }

  /** Scores a password and shows it; null when the estimator could not be loaded (no connection). */
  async #score(password: string): Promise<StrengthScore | null> {
    const run = ++this.#run;
    this.checking = true;
    const score = await passwordScore(password, this.#userInputs()).catch(() => null);
    if (run === this.#run) {
      this.score = score;
      this.checking = false;
    }
    return score;
  }

  async #submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.busy) return;
    const form = event.currentTarget as HTMLFormElement;
    const password = (form.elements.namedItem('password') as HTMLInputElement).value;
    const repeat = (form.elements.namedItem('repeat') as HTMLInputElement).value;
    this.error = null;
    clearTimeout(this.#timer);
    const errors: FieldErrors = {};
    if (!password) {
      errors.password = { key: 'passwordChange.required' };
    } else {
      const score = await this.#score(password);
      if (score === null) this.error = { key: 'error.network' };
      else if (score < MIN_PASSWORD_SCORE) errors.password = { key: 'passwordChange.tooWeak' };
    }
    if (!errors.password && password !== repeat) errors.repeat = { key: 'passwordChange.mismatch' };
    this.fieldErrors = errors;
    if (errors.password || errors.repeat || this.error) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLInputElement>(errors.repeat ? '#repeat-password' : '#new-password')?.focus();
      return;
    }
    const session = this.#session.value;
    if (!session) return;
    this.busy = true;
    try {
      await session.changePassword(password);
    } catch (error) {
      this.error = messageFor(error);
    } finally {
      this.busy = false;
    }
  }
}

customElements.define('rp-password-change-page', RpPasswordChangePage);

declare global {
  interface HTMLElementTagNameMap {
    'rp-password-change-page': RpPasswordChangePage;
  }
}
