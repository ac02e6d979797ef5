/**
 * The administration section: four tabs (ARIA tablist with roving focus — arrows, Home and End move between tabs
 * and open them) for staff, facilities, reference books and the audit log. The page is loaded lazily by rp-app;
 * the server API and the reference store are properties so that tests hand in their own.
 */
import { LitElement, html, type TemplateResult } from 'lit';
import { I18nController, ServiceController } from '../../app/service-controller.ts';
import { sessionContext } from '../../app/contexts.ts';
import type { MessageKey } from '../../i18n/i18n.ts';
import type { AdminApi } from '../../admin/admin-types.ts';
import { HttpAdminApi } from '../../admin/http-admin-api.ts';
import { HttpReferenceStore, type ReferenceStore } from '../../admin/reference-store.ts';
import '../rp-admin-staff-page/rp-admin-staff-page.ts';
import '../rp-admin-facilities-page/rp-admin-facilities-page.ts';
import '../rp-admin-reference-page/rp-admin-reference-page.ts';
import '../rp-admin-audit-page/rp-admin-audit-page.ts';
import { adminPageStyles } from './rp-admin-page.styles.ts';

export const ADMIN_TABS = ['staff', 'facilities', 'reference', 'audit'] as const;
export type AdminTab = (typeof ADMIN_TABS)[number];

const TAB_TITLES: Readonly<Record<AdminTab, MessageKey>> = {
  staff: 'admin.tab.staff',
  facilities: 'admin.tab.facilities',
  reference: 'admin.tab.reference',
  audit: 'admin.tab.audit',
};

/**
 * @summary The administrator's pages.
 */
export class RpAdminPage extends LitElement {
  static override styles = adminPageStyles;
  static override properties = {
    api: { attribute: false },
    reference: { attribute: false },
    actor: { attribute: false },
    tab: { type: String, reflect: true },
  };

  declare api: AdminApi;
  declare reference: ReferenceStore;
  /** The administrator's login, stamped on reference edits; defaults to the signed-in user. */
  declare actor: string;
  declare tab: AdminTab;
  readonly #i18n = new I18nController(this);
  readonly #session = new ServiceController(this, sessionContext);

  constructor() {
    super();
    this.api = new HttpAdminApi();
    this.reference = new HttpReferenceStore();
    this.actor = '';
    this.tab = 'staff';
  }

  #actor(): string {
    const state = this.#session.value?.state;
    return this.actor || (state?.kind === 'ready' ? state.user.name : '');
  }

  override render() {
    const t = this.#i18n.t.bind(this.#i18n);
    return html`
      <h1 id="admin-heading">${t('nav.administration')}</h1>
      <div role="tablist" aria-labelledby="admin-heading" @keydown=${this.#onKeydown}>
        ${ADMIN_TABS.map(
          (tab) =>
            html`<button
              role="tab"
              type="button"
              id="tab-${tab}"
              aria-selected=${tab === this.tab ? 'true' : 'false'}
              aria-controls="panel-${tab}"
              tabindex=${tab === this.tab ? 0 : -1}
              @click=${() => this.#select(tab)}
            >
              ${t(TAB_TITLES[tab])}
            </button>`,
        )}
      </div>
      <div role="tabpanel" id="panel-${this.tab}" aria-labelledby="tab-${this.tab}" tabindex="0">${this.#panel()}</div>
    `;
  }

  #panel(): TemplateResult {
    switch (this.tab) {
      case 'staff':
        return html`<rp-admin-staff-page .api=${this.api}></rp-admin-staff-page>`;
      case 'facilities':
        return html`<rp-admin-facilities-page
          .api=${this.api}
          .reference=${this.reference}
          .actor=${this.#actor()}
        ></rp-admin-facilities-page>`;
      case 'reference':
        return html`<rp-admin-reference-page
          .reference=${this.reference}
          .actor=${this.#actor()}
        ></rp-admin-reference-page>`;
      case 'audit':
        return html`<rp-admin-audit-page .api=${this.api}></rp-admin-audit-page>`;
    }
  }

  #select(tab: AdminTab): void {
    this.tab = tab;
  }

  async #onKeydown(event: KeyboardEvent): Promise<void> {
    const index = ADMIN_TABS.indexOf(this.tab);
    const last = ADMIN_TABS.length - 1;
    const next: Partial<Record<string, number>> = {
      ArrowRight: index === last ? 0 : index + 1,
      ArrowLeft: index === 0 ? last : index - 1,
      Home: 0,
      End: last,
    };
    const target = next[event.key];
    if (target === undefined) return;
    event.preventDefault();
    this.#select(ADMIN_TABS[target] ?? 'staff');
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`#tab-${this.tab}`)?.focus();
  }
}

customElements.define('rp-admin-page', RpAdminPage);

declare global {
  interface HTMLElementTagNameMap {
    'rp-admin-page': RpAdminPage;
  }
}
