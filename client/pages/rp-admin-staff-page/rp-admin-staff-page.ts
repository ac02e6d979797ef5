/**
 * Staff: the list with filters, the form for a new member or a change, disabling (after a confirmation), enabling
 * and resetting. New, enabled and reset accounts get a one-time password made in this browser; only the authKey
 * derived from it is sent, and the password itself goes on the enrolment slip (PDF, printed on request).
 */
import { LitElement, html, nothing } from 'lit';
import { I18nController, ServiceController } from '../../app/service-controller.ts';
import { sessionContext } from '../../app/contexts.ts';
import type { OwnKeyPair } from '../../crypto/user-key-pair.ts';
import { NoCustodyError, makeKeyCopies } from '../../admin/key-confirmation.ts';
import { startNewEpoch } from '../../admin/facility-custody.ts';
import { isEcPublicKeyJwk, type EcPublicKeyJwk } from '../../../common/keys/index.ts';
import { normalizeUsername } from '../../../common/auth-derivation.ts';
import type { AdminApi, Facility, PendingKeyConfirmation, StaffFilter, StaffMember } from '../../admin/admin-types.ts';
import { FieldError } from '../../admin/http-admin-api.ts';
import { adminMessageFor } from '../../admin/admin-errors.ts';
import { issueOneTimePassword } from '../../admin/one-time-password.ts';
import { printEnrolmentSlip } from '../../admin/print.ts';
import { oneTimePasswordExpired, type StaffField, type StaffFormValues } from '../../admin/staff-form.ts';
import type { UserMessage } from '../../services/user-messages.ts';
import { ROLE_TITLES, type RpAdminStaffForm } from '../rp-admin-staff-form/rp-admin-staff-form.ts';
import '../rp-admin-staff-form/rp-admin-staff-form.ts';
import '../rp-admin-staff-filter/rp-admin-staff-filter.ts';
import '../rp-admin-confirm-dialog/rp-admin-confirm-dialog.ts';
import type { RpAdminConfirmDialog } from '../rp-admin-confirm-dialog/rp-admin-confirm-dialog.ts';
import { staffPageStyles } from './rp-admin-staff-page.styles.ts';

/** A one-time password just issued, kept only until the administrator closes the panel. */
export interface IssuedPassword {
  login: string;
  displayName: string;
  oneTimePassword: string;
  facilities: string[];
  expiresAt: Date;
}

const STAFF_FIELDS: readonly string[] = ['login', 'displayName', 'roles', 'facilities'];

/** Hours during which writes under the revoked epoch are still accepted (devices that were offline). */
const DEFAULT_GRACE_HOURS = 24;

export class RpAdminStaffPage extends LitElement {
  static override styles = staffPageStyles;
  static override properties = {
    api: { attribute: false },
    ownKeys: { attribute: false },
    staff: { state: true },
    pending: { state: true },
    facilities: { state: true },
    editing: { state: true },
    busy: { state: true },
    error: { state: true },
    notices: { state: true },
    issued: { state: true },
    serverErrors: { state: true },
  };

  declare api: AdminApi | null;
  /** Opens the administrator's own key pair (to confirm members' keys); defaults to the session's. */
  declare ownKeys: (() => Promise<OwnKeyPair | null>) | null;
  declare staff: StaffMember[] | null;
  /** Members whose key pairs wait for confirmation. */
  declare pending: PendingKeyConfirmation[];
  declare facilities: Facility[];
  /** The member in the form: 'new', an existing one, or null when the form is closed. */
  declare editing: StaffMember | 'new' | null;
  declare busy: boolean;
  declare error: UserMessage | null;
  /** What the last revocation did (new key epochs started, or why one could not be). */
  declare notices: UserMessage[];
  declare issued: IssuedPassword | null;
  declare serverErrors: Partial<Record<StaffField, string>>;
  readonly #i18n = new I18nController(this);
  readonly #session = new ServiceController(this, sessionContext);
  #filter: StaffFilter = {};

  constructor() {
    super();
    this.api = null;
    this.ownKeys = null;
    this.staff = null;
    this.pending = [];
    this.facilities = [];
    this.editing = null;
    this.busy = false;
    this.error = null;
    this.notices = [];
    this.issued = null;
    this.serverErrors = {};
  }

  /** Members confirm their keys from other devices: the list is read again when the administrator comes back. */
  readonly #onVisible = (): void => {
    if (document.visibilityState === 'visible' && !this.busy) void this.reload();
  };

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('visibilitychange', this.#onVisible);
    void this.reload();
  }

  override disconnectedCallback(): void {
    document.removeEventListener('visibilitychange', this.#onVisible);
    super.disconnectedCallback();
  }

  /** Reads the facilities and the staff list (with the current filter) again. */
  async reload(): Promise<void> {
    const api = this.api;
    if (!api) return;
    try {
      const [facilities, staff, pending] = await Promise.all([
        api.listFacilities(),
        api.listStaff(this.#filter),
        api.listKeyConfirmations(),
      ]);
      this.facilities = facilities;
      this.staff = staff;
      this.pending = pending;
    } catch (error) {
      this.error = adminMessageFor(error);
    }
  }

  override render() {
    const t = this.#i18n.t.bind(this.#i18n);
    return html`
      <div class="toolbar">
        <h2>${t('admin.tab.staff')}</h2>
        <button class="button secondary small" type="button" ?disabled=${this.busy} @click=${() => this.reload()}>
          ${t('admin.refresh')}
        </button>
      </div>
      ${this.error ? html`<p class="alert" role="alert">${t(this.error.key, this.error.params)}</p>` : nothing}
      <div role="status" aria-live="polite">
        ${this.notices.map((notice) => html`<p class="alert info">${t(notice.key, notice.params)}</p>`)}
      </div>
      ${this.#issuedPanel()} ${this.#pendingSection()}
      ${
        this.editing
          ? html`<section class="card panel">
              <rp-admin-staff-form
                .member=${this.editing === 'new' ? null : this.editing}
                .facilities=${this.facilities}
                .serverErrors=${this.serverErrors}
                ?busy=${this.busy}
                @rp-staff-save=${this.#save}
                @rp-cancel=${() => (this.editing = null)}
              ></rp-admin-staff-form>
            </section>`
          : html`<p><button class="button" type="button" @click=${this.#openNew}>${t('admin.staff.new')}</button></p>`
      }
      <rp-admin-staff-filter
        .facilities=${this.facilities}
        @rp-staff-filter=${this.#applyFilter}
      ></rp-admin-staff-filter>
      ${this.#table()}
      <div role="status" aria-live="polite" class="muted">${this.busy ? t('admin.working') : ''}</div>
      <rp-admin-confirm-dialog></rp-admin-confirm-dialog>
    `;
  }

  #table() {
    const t = this.#i18n.t.bind(this.#i18n);
    if (this.staff === null) return html`<p class="muted">${t('app.loading')}</p>`;
    if (this.staff.length === 0) return html`<p class="muted">${t('admin.staff.empty')}</p>`;
    const names = new Map(this.facilities.map((facility) => [facility.id, facility.shortName ?? facility.name]));
    return html`<div class="table-wrap">
      <table>
        <caption>
          ${t('admin.staff.caption', { count: this.staff.length })}
        </caption>
        <thead>
          <tr>
            <th scope="col">${t('admin.staff.login')}</th>
            <th scope="col">${t('admin.staff.displayName')}</th>
            <th scope="col">${t('admin.staff.roles')}</th>
            <th scope="col">${t('admin.staff.facilities')}</th>
            <th scope="col">${t('admin.staff.status')}</th>
            <th scope="col">${t('admin.actions')}</th>
          </tr>
        </thead>
        <tbody>
          ${this.staff.map(
            (member) =>
              html`<tr>
                <td>${member.login}</td>
                <td>${member.displayName}</td>
                <td>${member.roles.map((role) => t(ROLE_TITLES[role] ?? 'admin.role.admin')).join(', ')}</td>
                <td>${member.facilities.map((id) => names.get(id) ?? id).join(', ')}</td>
                <td>${this.#statusBadges(member)}</td>
                <td class="actions">${this.#actions(member)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  #pendingSection() {
    if (this.pending.length === 0) return nothing;
    const t = this.#i18n.t.bind(this.#i18n);
    const names = new Map(this.facilities.map((facility) => [facility.id, facility.shortName ?? facility.name]));
    return html`<section class="card panel" aria-labelledby="pending-keys-heading" id="pending-keys">
      <h2 id="pending-keys-heading">${t('admin.staff.keys.pendingHeading')}</h2>
      <p class="muted">${t('admin.staff.keys.pendingIntro')}</p>
      <ul>
        ${this.pending.map(
          (member) =>
            html`<li>
              <span>${member.displayName} (${member.login})</span>
              <span class="muted">
                ${member.facilities.map(({ facilityId }) => names.get(facilityId) ?? facilityId).join(', ')}
              </span>
              <button
                class="button small"
                type="button"
                aria-label=${`${t('admin.staff.keys.confirm')}: ${member.login}`}
                ?disabled=${this.busy}
                @click=${() => this.#confirmKeys(member)}
              >
                ${t('admin.staff.keys.confirm')}
              </button>
            </li>`,
        )}
      </ul>
    </section>`;
  }

  async #confirmKeys(member: PendingKeyConfirmation): Promise<void> {
    const api = this.api;
    if (!api || this.busy) return;
    this.busy = true;
    this.error = null;
    try {
      const session = this.#session.value;
      const own = await (this.ownKeys ? this.ownKeys() : session ? session.ownKeyPair() : Promise.resolve(null));
      if (own === null) {
        this.error = { key: 'admin.staff.keys.error.noOwnKeys' };
        return;
      }
      const copies = await makeKeyCopies(member, (facilityId) => api.facilityKeys(facilityId), own);
      await api.issueKeyCopies(member.login, copies);
      await this.reload();
    } catch (error) {
      this.error =
        error instanceof NoCustodyError
          ? { key: 'admin.staff.keys.error.noCustody', params: { facility: error.facilityId } }
          : adminMessageFor(error);
    } finally {
      this.busy = false;
    }
  }

  #statusBadges(member: StaffMember) {
    const t = this.#i18n.t.bind(this.#i18n);
    if (member.status === 'disabled') return html`<span class="badge off">${t('admin.staff.status.disabled')}</span>`;
    return html`<span class="badge">${t('admin.staff.status.active')}</span> ${
        member.mustChangePassword
          ? html`<span class="badge warn">${t('admin.staff.awaitingPasswordChange')}</span>`
          : nothing
      }
      ${
        member.mustChangePassword && oneTimePasswordExpired(member.oneTimePasswordExpiresAt)
          ? html`<span class="badge warn">${t('admin.staff.oneTimePasswordExpired')}</span>`
          : nothing
      }`;
  }

  #actions(member: StaffMember) {
    const t = this.#i18n.t.bind(this.#i18n);
    const label = (key: 'admin.edit' | 'admin.staff.disable' | 'admin.staff.enable' | 'admin.staff.reset') =>
      `${t(key)}: ${member.login}`;
    return html`
      <button
        class="button secondary small"
        type="button"
        aria-label=${label('admin.edit')}
        ?disabled=${this.busy}
        @click=${() => this.#openEdit(member)}
      >
        ${t('admin.edit')}
      </button>
      ${
        member.status === 'active'
          ? html`<button
                class="button secondary small"
                type="button"
                aria-label=${label('admin.staff.reset')}
                ?disabled=${this.busy}
                @click=${() => this.#issue(member, 'reset')}
              >
                ${t('admin.staff.reset')}
              </button>
              <button
                class="button secondary small"
                type="button"
                aria-label=${label('admin.staff.disable')}
                ?disabled=${this.busy}
                @click=${() => this.#disable(member)}
              >
                ${t('admin.staff.disable')}
              </button>`
          : html`<button
              class="button secondary small"
              type="button"
              aria-label=${label('admin.staff.enable')}
              ?disabled=${this.busy}
              @click=${() => this.#issue(member, 'enable')}
            >
              ${t('admin.staff.enable')}
            </button>`
      }
    `;
  }

  #issuedPanel() {
    const issued = this.issued;
    if (!issued) return nothing;
    const t = this.#i18n.t.bind(this.#i18n);
    return html`<section class="card panel" aria-labelledby="issued-heading">
      <h2 id="issued-heading">${t('admin.staff.issuedHeading', { login: issued.login })}</h2>
      <p>${t('admin.staff.issuedIntro')}</p>
      <p>
        <span class="muted">${t('admin.staff.oneTimePassword')}:</span>
        <span class="secret">${issued.oneTimePassword}</span>
      </p>
      <p class="muted">
        ${t('admin.staff.validUntil', { date: issued.expiresAt.toLocaleDateString(this.#i18n.value?.locale ?? 'ru') })}
      </p>
      <div class="form-actions">
        <button class="button" type="button" id="print-slip" @click=${this.#printSlip}>
          ${t('admin.staff.printSlip')}
        </button>
        <button class="button secondary" type="button" @click=${() => (this.issued = null)}>${t('admin.done')}</button>
      </div>
    </section>`;
  }

  #openNew(): void {
    this.serverErrors = {};
    this.editing = 'new';
  }

  #openEdit(member: StaffMember): void {
    this.serverErrors = {};
    this.editing = member;
  }

  async #applyFilter(event: CustomEvent<StaffFilter>): Promise<void> {
    this.#filter = event.detail;
    this.staff = null;
    await this.reload();
  }

  async #save(event: CustomEvent<StaffFormValues>): Promise<void> {
    const api = this.api;
    const editing = this.editing;
    if (!api || !editing || this.busy) return;
    const values = event.detail;
    this.busy = true;
    this.error = null;
    this.serverErrors = {};
    try {
      if (editing === 'new') {
        const login = normalizeUsername(values.login);
        const credentials = await issueOneTimePassword(
          await api.deploymentId(),
          login,
          this.#signingKeys(values.facilities),
        );
        await api.createStaff({
          login,
          displayName: values.displayName,
          roles: values.roles,
          facilities: values.facilities,
          authKey: credentials.authKey,
          oneTimePasswordExpiresAt: credentials.expiresAt.toISOString(),
          ...(credentials.enrolmentPins ? { enrolmentPins: credentials.enrolmentPins } : {}),
        });
        this.issued = this.#issuedFor({ ...values, login }, credentials);
      } else {
        await api.updateStaff(editing.login, {
          displayName: values.displayName,
          roles: values.roles,
          facilities: values.facilities,
        });
      }
      this.editing = null;
      await this.reload();
    } catch (error) {
      this.#showError(error);
    } finally {
      this.busy = false;
    }
  }

  #showError(error: unknown): void {
    const message = adminMessageFor(error);
    if (error instanceof FieldError && STAFF_FIELDS.includes(error.field)) {
      this.serverErrors = { [error.field]: this.#i18n.t(message.key, message.params) };
    } else if (this.editing === 'new' && message.key === 'admin.error.conflict') {
      this.serverErrors = { login: this.#i18n.t('admin.staff.error.loginTaken') };
    } else {
      this.error = message;
    }
  }

  /** The signing public keys of these facilities (those with keys), for the new member's device to pin. */
  #signingKeys(facilityIds: readonly string[]): Record<string, EcPublicKeyJwk> {
    const keys: Record<string, EcPublicKeyJwk> = {};
    for (const facility of this.facilities) {
      const jwk = facility.keys?.signingPublicKey;
      if (facilityIds.includes(facility.id) && isEcPublicKeyJwk(jwk)) keys[facility.id] = jwk;
    }
    return keys;
  }

  #issuedFor(
    member: Pick<StaffMember, 'login' | 'displayName' | 'facilities'>,
    credentials: { oneTimePassword: string; expiresAt: Date },
  ): IssuedPassword {
    const names = new Map(this.facilities.map((facility) => [facility.id, facility.name]));
    return {
      login: member.login,
      displayName: member.displayName,
      oneTimePassword: credentials.oneTimePassword,
      facilities: member.facilities.map((id) => names.get(id) ?? id),
      expiresAt: credentials.expiresAt,
    };
  }

  async #issue(member: StaffMember, how: 'reset' | 'enable'): Promise<void> {
    const api = this.api;
    if (!api || this.busy) return;
    this.busy = true;
    this.error = null;
    try {
      const credentials = await issueOneTimePassword(
        await api.deploymentId(),
        member.login,
        this.#signingKeys(member.facilities),
      );
      const body = {
        authKey: credentials.authKey,
        oneTimePasswordExpiresAt: credentials.expiresAt.toISOString(),
        ...(credentials.enrolmentPins ? { enrolmentPins: credentials.enrolmentPins } : {}),
      };
      if (how === 'reset') await api.resetStaff(member.login, body);
      else await api.enableStaff(member.login, body);
      this.issued = this.#issuedFor(member, credentials);
      await this.reload();
    } catch (error) {
      this.error = adminMessageFor(error);
    } finally {
      this.busy = false;
    }
  }

  async #disable(member: StaffMember): Promise<void> {
    const api = this.api;
    const dialog = this.renderRoot.querySelector<RpAdminConfirmDialog>('rp-admin-confirm-dialog');
    if (!api || !dialog || this.busy) return;
    const t = this.#i18n.t.bind(this.#i18n);
    const confirmed = await dialog.ask(
      t('admin.staff.disableQuestion', { name: member.displayName, login: member.login }),
      t('admin.staff.disable'),
    );
    if (!confirmed) return;
    this.busy = true;
    this.error = null;
    this.notices = [];
    try {
      await api.disableStaff(member.login);
      this.notices = await this.#revoke(member);
      await this.reload();
    } catch (error) {
      this.error = adminMessageFor(error);
    } finally {
      this.busy = false;
    }
  }

  /**
   * Revocation (ARCHITECTURE.md, "Revocation"): a new key epoch for each of the member's facilities that has keys,
   * wrapped to the remaining members, so that what is written from now on is sealed under a key the disabled member
   * never held. A facility whose keys this administrator does not hold is reported, not skipped silently.
   */
  async #revoke(member: StaffMember): Promise<UserMessage[]> {
    const api = this.api;
    if (!api) return [];
    const withKeys = this.facilities.filter((facility) => facility.keys && member.facilities.includes(facility.id));
    if (withKeys.length === 0) return [];
    const session = this.#session.value;
    const own = await (this.ownKeys ? this.ownKeys() : session ? session.ownKeyPair() : Promise.resolve(null));
    const locale = this.#i18n.value?.locale ?? 'ru';
    const started: string[] = [];
    const notices: UserMessage[] = [];
    let retireAt = '';
    for (const facility of withKeys) {
      try {
        if (own === null) throw new NoCustodyError(facility.id);
        const epoch = await startNewEpoch(api, facility.id, own, {
          graceHours: DEFAULT_GRACE_HOURS,
          reason: 'member-disabled',
        });
        started.push(`${facility.name}: ${epoch.epoch}`);
        retireAt = epoch.retireAt;
      } catch (error) {
        const reason =
          error instanceof NoCustodyError
            ? this.#i18n.t('admin.keys.error.noCustody')
            : this.#i18n.t(adminMessageFor(error).key, adminMessageFor(error).params);
        notices.push({
          key: 'admin.staff.revokeFailed',
          params: { login: member.login, facility: facility.name, reason },
        });
      }
    }
    if (started.length > 0)
      notices.unshift({
        key: 'admin.staff.revoked',
        params: {
          login: member.login,
          facilities: started.join(', '),
          date: new Date(retireAt).toLocaleString(locale),
        },
      });
    return notices;
  }

  async #printSlip(): Promise<void> {
    const issued = this.issued;
    if (!issued) return;
    await printEnrolmentSlip({ ...issued, issuedAt: new Date(), address: location.origin }).catch((error: unknown) => {
      this.error = adminMessageFor(error);
    });
  }

  /** The form element while it is open (for tests and focus). */
  get form(): RpAdminStaffForm | null {
    return this.renderRoot.querySelector('rp-admin-staff-form');
  }
}

customElements.define('rp-admin-staff-page', RpAdminStaffPage);

declare global {
  interface HTMLElementTagNameMap {
    'rp-admin-staff-page': RpAdminStaffPage;
  }
}
