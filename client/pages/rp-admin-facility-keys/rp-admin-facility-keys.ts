/**
 * One facility's keys, for an administrator (ARCHITECTURE.md, "Revocation" and "Recovery"): the current epoch,
 * starting a new epoch (with the grace period during which the previous key is still accepted), recovering access
 * with the printed code, and re-encrypting older records under the current epoch with a progress bar. Every key
 * operation runs in this browser (client/admin/facility-custody.ts, re-encrypt.ts); the server receives only
 * signed, wrapped copies and the re-encrypted documents.
 */
import { LitElement, html, nothing } from 'lit';
import { I18nController, ServiceController } from '../../app/service-controller.ts';
import { sessionContext } from '../../app/contexts.ts';
import type { OwnKeyPair } from '../../crypto/user-key-pair.ts';
import type { AdminApi, Facility } from '../../admin/admin-types.ts';
import { adminMessageFor } from '../../admin/admin-errors.ts';
import {
  NoCustodyError,
  RecoveryFailedError,
  openCustody,
  recoverCustody,
  startNewEpoch,
} from '../../admin/facility-custody.ts';
import {
  HttpFacilityDocs,
  reencryptFacility,
  type FacilityDocs,
  type ReencryptProgress,
} from '../../admin/re-encrypt.ts';
import type { MessageKey } from '../../i18n/messages-ru.ts';
import { facilityRole } from '../../../common/roles.ts';
import type { UserMessage } from '../../services/user-messages.ts';
import { sharedStyles } from '../../styles/shared.styles.ts';
import { adminStyles } from '../../admin/admin.styles.ts';

const MAX_GRACE_HOURS = 720;
const DEFAULT_GRACE_HOURS = 24;

type Task = 'epoch' | 'recover' | 'reencrypt';

export class RpAdminFacilityKeys extends LitElement {
  static override styles = [sharedStyles, adminStyles];
  static override properties = {
    api: { attribute: false },
    facility: { attribute: false },
    ownKeys: { attribute: false },
    docsFor: { attribute: false },
    epoch: { state: true },
    busy: { state: true },
    message: { state: true },
    error: { state: true },
    fieldErrors: { state: true },
    progress: { state: true },
  };

  declare api: AdminApi | null;
  declare facility: Facility | null;
  /** Opens the administrator's own key pair; defaults to the session's. */
  declare ownKeys: (() => Promise<OwnKeyPair | null>) | null;
  /** The facility database as the re-encryption sees it; the gateway by default, a store of its own in tests. */
  declare docsFor: (facilityId: string) => FacilityDocs;
  declare epoch: number | null;
  declare busy: Task | null;
  declare message: UserMessage | null;
  declare error: UserMessage | null;
  declare fieldErrors: Partial<Record<'grace' | 'code', MessageKey>>;
  declare progress: ReencryptProgress | null;
  readonly #i18n = new I18nController(this);
  readonly #session = new ServiceController(this, sessionContext);

  constructor() {
    super();
    this.api = null;
    this.facility = null;
    this.ownKeys = null;
    this.docsFor = (facilityId) => new HttpFacilityDocs(facilityId);
    this.epoch = null;
    this.busy = null;
    this.message = null;
    this.error = null;
    this.fieldErrors = {};
    this.progress = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#loadEpoch();
  }

  async #loadEpoch(): Promise<void> {
    if (!this.api || !this.facility) return;
    try {
      this.epoch = (await this.api.facilityKeys(this.facility.id))?.epoch ?? null;
    } catch (error) {
      this.error = adminMessageFor(error);
    }
  }

  #own(): Promise<OwnKeyPair | null> {
    const session = this.#session.value;
    return this.ownKeys ? this.ownKeys() : session ? session.ownKeyPair() : Promise.resolve(null);
  }

  #date(iso: string): string {
    return new Date(iso).toLocaleString(this.#i18n.value?.locale ?? 'ru');
  }

  override render() {
    const facility = this.facility;
    if (!facility) return nothing;
    const t = this.#i18n.t.bind(this.#i18n);
    const disabled = this.busy !== null;
    const fieldError = (field: 'grace' | 'code') => {
      const key = this.fieldErrors[field];
      return key ? html`<p class="field-error" id="${field}-error">${t(key)}</p>` : nothing;
    };
    return html`<section class="card panel" aria-labelledby="keys-heading">
      <h2 id="keys-heading">${t('admin.keys.heading', { name: facility.name })}</h2>
      <p>${this.epoch === null ? t('app.loading') : t('admin.keys.epoch', { epoch: this.epoch })}</p>
      ${this.error ? html`<p class="alert" role="alert">${t(this.error.key, this.error.params)}</p>` : nothing}
      <div role="status" aria-live="polite">
        ${this.message ? html`<p class="alert info">${t(this.message.key, this.message.params)}</p>` : nothing}
      </div>

      <form novalidate aria-labelledby="epoch-heading" @submit=${this.#startEpoch}>
        <h3 id="epoch-heading">${t('admin.keys.newEpochHeading')}</h3>
        <p class="muted">${t('admin.keys.newEpochIntro')}</p>
        <div class="field">
          <label for="grace">${t('admin.keys.grace')}</label>
          <input
            id="grace"
            name="grace"
            type="number"
            inputmode="numeric"
            min="0"
            max=${MAX_GRACE_HOURS}
            step="1"
            .value=${String(DEFAULT_GRACE_HOURS)}
            ?disabled=${disabled}
            aria-invalid=${this.fieldErrors.grace ? 'true' : 'false'}
            aria-describedby="grace-hint${this.fieldErrors.grace ? ' grace-error' : ''}"
          />
          <p class="muted" id="grace-hint">${t('admin.keys.graceHint')}</p>
          ${fieldError('grace')}
        </div>
        <div class="form-actions">
          <button class="button" type="submit" ?disabled=${disabled}>${t('admin.keys.newEpoch')}</button>
        </div>
      </form>

      <form novalidate aria-labelledby="recover-heading" @submit=${this.#recover}>
        <h3 id="recover-heading">${t('admin.keys.recoverHeading')}</h3>
        <p class="muted">${t('admin.keys.recoverIntro')}</p>
        <div class="field">
          <label for="code">${t('admin.keys.code')}</label>
          <input
            id="code"
            name="code"
            autocomplete="off"
            autocapitalize="characters"
            spellcheck="false"
            ?disabled=${disabled}
            aria-invalid=${this.fieldErrors.code ? 'true' : 'false'}
            aria-describedby=${this.fieldErrors.code ? 'code-error' : nothing}
          />
          ${fieldError('code')}
        </div>
        <div class="form-actions">
          <button class="button secondary" type="submit" ?disabled=${disabled}>${t('admin.keys.recover')}</button>
        </div>
      </form>

      <section aria-labelledby="reencrypt-heading">
        <h3 id="reencrypt-heading">${t('admin.keys.reencryptHeading')}</h3>
        <p class="muted">${t('admin.keys.reencryptIntro')}</p>
        ${this.#progress()}
        <div class="form-actions">
          <button class="button secondary" type="button" id="reencrypt" ?disabled=${disabled} @click=${this.#reencrypt}>
            ${t('admin.keys.reencrypt')}
          </button>
          <button class="button secondary" type="button" ?disabled=${disabled} @click=${this.#close}>
            ${t('admin.done')}
          </button>
        </div>
      </section>
    </section>`;
  }

  #progress() {
    const progress = this.progress;
    if (!progress) return nothing;
    const t = this.#i18n.t.bind(this.#i18n);
    const { seen, total, changed } = progress;
    const text = t('admin.keys.progress', { seen, total, changed });
    return html`<progress
        max=${Math.max(progress.total, 1)}
        .value=${Math.min(progress.seen, Math.max(progress.total, 1))}
        aria-label=${text}
      ></progress>
      <p class="muted">${text}</p>
      ${
        progress.failed.length > 0
          ? html`<p>${t('admin.keys.failures')}</p>
              <ul>
                ${progress.failed.map((failure) => html`<li><code>${failure.id}</code>: ${failure.reason}</li>`)}
              </ul>`
          : nothing
      }`;
  }

  #close(): void {
    this.dispatchEvent(new CustomEvent('rp-close', { bubbles: true, composed: true }));
  }

  #failed(error: unknown): void {
    this.error =
      error instanceof NoCustodyError
        ? { key: 'admin.keys.error.noCustody' }
        : error instanceof RecoveryFailedError
          ? { key: 'admin.keys.error.code' }
          : adminMessageFor(error);
  }

  async #startEpoch(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const api = this.api;
    const facility = this.facility;
    if (!api || !facility || this.busy) return;
    const text = this.renderRoot.querySelector<HTMLInputElement>('#grace')?.value.trim() ?? '';
    const graceHours = Number(text);
    if (!/^\d+$/.test(text) || graceHours > MAX_GRACE_HOURS) {
      this.fieldErrors = { grace: 'admin.keys.error.grace' };
      this.renderRoot.querySelector<HTMLInputElement>('#grace')?.focus();
      return;
    }
    await this.#run('epoch', async (own) => {
      const started = await startNewEpoch(api, facility.id, own, { graceHours, reason: 'scheduled' });
      this.epoch = started.epoch;
      this.message = {
        key: 'admin.keys.epochStarted',
        params: { epoch: started.epoch, members: started.members, date: this.#date(started.retireAt) },
      };
    });
  }

  async #recover(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const api = this.api;
    const facility = this.facility;
    if (!api || !facility || this.busy) return;
    const input = this.renderRoot.querySelector<HTMLInputElement>('#code');
    const code = input?.value.trim() ?? '';
    if (code === '') {
      this.fieldErrors = { code: 'admin.keys.error.codeRequired' };
      input?.focus();
      return;
    }
    await this.#run('recover', async (own) => {
      try {
        const { epochs } = await recoverCustody(api, facility.id, code, own);
        if (input) input.value = '';
        this.message = { key: 'admin.keys.recovered', params: { epochs: epochs.join(', ') } };
      } catch (error) {
        if (!(error instanceof RecoveryFailedError)) throw error;
        // The code stays in the field, so a typo can be corrected.
        this.fieldErrors = { code: 'admin.keys.error.code' };
      }
    });
  }

  async #reencrypt(): Promise<void> {
    const api = this.api;
    const facility = this.facility;
    if (!api || !facility || this.busy) return;
    const state = this.#session.value?.state;
    if (state?.kind === 'ready' && !state.user.roles.includes(facilityRole(facility.id))) {
      // The facility's design document accepts writes from its members only (the permission table: "own facilities").
      this.error = { key: 'admin.keys.error.notMember' };
      return;
    }
    await this.#run('reencrypt', async (own) => {
      const keys = await api.facilityKeys(facility.id);
      if (!keys) throw new NoCustodyError(facility.id);
      const custody = await openCustody(keys, own);
      try {
        this.progress = { seen: 0, total: 0, changed: 0, failed: [] };
        const result = await reencryptFacility(this.docsFor(facility.id), facility.id, custody, own.login, (p) => {
          this.progress = { ...p, failed: [...p.failed] };
        });
        this.progress = result;
        this.message = {
          key: 'admin.keys.reencrypted',
          params: { changed: result.changed, failed: result.failed.length },
        };
      } finally {
        custody.close();
      }
    });
  }

  async #run(task: Task, action: (own: OwnKeyPair) => Promise<void>): Promise<void> {
    this.busy = task;
    this.error = null;
    this.message = null;
    this.fieldErrors = {};
    try {
      const own = await this.#own();
      if (own === null) {
        this.error = { key: 'admin.staff.keys.error.noOwnKeys' };
        return;
      }
      await action(own);
    } catch (error) {
      this.#failed(error);
    } finally {
      this.busy = null;
    }
  }
}

customElements.define('rp-admin-facility-keys', RpAdminFacilityKeys);

declare global {
  interface HTMLElementTagNameMap {
    'rp-admin-facility-keys': RpAdminFacilityKeys;
  }
}
