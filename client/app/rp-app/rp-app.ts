/**
 * The application shell. Provides the services to every element below it (@lit/context) and shows the screen
 * the session calls for: loading → login → (forced password change) → home and its sections; the lock screen
 * after idleness or when a remembered user comes back, online or not. Routes are plain paths handled with the
 * History API (the server and the service worker answer every path with the shell).
 */
import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { ContextProvider } from '@lit/context';
import {
  facilitiesContext,
  i18nContext,
  lockContext,
  sessionContext,
  syncContext,
  updateContext,
  type Services,
} from '../contexts.ts';
import type { ReferenceStore } from '../../admin/reference-store.ts';
import { LocalReferenceStore } from '../../records/local-reference-store.ts';
import type { DraftStore } from '../../services/draft-store.ts';
import { isFacilityDoc } from './facility-names.ts';
import { ReferenceReader } from '../../pages/reference-reader.ts';
import { routeFor } from '../navigation.ts';
import type { SessionState } from '../../services/session-service.ts';
import '../../components/rp-app-header/rp-app-header.ts';
import '../../components/rp-update-bar/rp-update-bar.ts';
import '../../pages/rp-login-page/rp-login-page.ts';
import '../../pages/rp-password-change-page/rp-password-change-page.ts';
import '../../pages/rp-lock-page/rp-lock-page.ts';
import '../../pages/rp-home-page/rp-home-page.ts';
import '../../pages/rp-section-page/rp-section-page.ts';
import { appStyles } from './rp-app.styles.ts';

/** The names of the facilities by id, as far as the replica holds them. */
async function readFacilityNames(store: ReferenceStore): Promise<Record<string, string>> {
  const names: Record<string, string> = {};
  for (const doc of (await store.list('facility:')).filter(isFacilityDoc)) names[doc.id] = doc.name;
  return names;
}

export class RpApp extends LitElement {
  static override styles = appStyles;
  static override properties = {
    services: { attribute: false },
    path: { state: true },
  };

  declare services: Services | null;
  declare path: string;
  readonly #providers = {
    i18n: new ContextProvider(this, { context: i18nContext }),
    session: new ContextProvider(this, { context: sessionContext }),
    lock: new ContextProvider(this, { context: lockContext }),
    sync: new ContextProvider(this, { context: syncContext }),
    updates: new ContextProvider(this, { context: updateContext }),
    facilities: new ContextProvider(this, { context: facilitiesContext }),
  };
  /**
   * The member's local replica of the reference books, for the patient pages (one per signed-in member), and the
   * names of the facilities read from it (a new object for each reading, so the pages given it render again).
   */
  #reference: { login: string; store: ReferenceStore; names: Readonly<Record<string, string>> } | null = null;
  /** Lazy chunks that failed to load (the loading state then says the network is needed). */
  readonly #failedChunks = new Set<'care' | 'reports'>();
  #screen = '';
  #adminLoadFailed = false;
  readonly #onChange = (): void => this.requestUpdate();
  readonly #onPopState = (): void => {
    this.path = location.pathname;
  };

  constructor() {
    super();
    this.services = null;
    this.path = location.pathname;
    // A new device receives the facilities with the rest of the books while the member already works: the names
    // are read when the replica is opened and again each time it changes (a failed reading leaves the ids shown).
    new ReferenceReader(this, {
      store: () => this.#reference?.store ?? null,
      read: async (store) => ({ store, names: await readFacilityNames(store) }),
      use: ({ store, names }) => {
        if (this.#reference?.store !== store) return;
        this.#reference = { ...this.#reference, names };
        this.requestUpdate();
      },
    });
    this.addEventListener('rp-navigate', (event) => {
      if (event.detail.path !== this.path) history.pushState(null, '', event.detail.path);
      this.path = event.detail.path;
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('popstate', this.#onPopState);
    this.#listen(true);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('popstate', this.#onPopState);
    this.#listen(false);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('services')) {
      const old = changed.get('services');
      if (old) this.#listen(false, old);
      const services = this.services;
      if (services) {
        this.#providers.i18n.setValue(services.i18n);
        this.#providers.session.setValue(services.session);
        this.#providers.lock.setValue(services.lock);
        this.#providers.sync.setValue(services.sync);
        this.#providers.updates.setValue(services.updates);
        this.#providers.facilities.setValue(services.facilities);
        this.#listen(true);
      }
    }
  }

  protected override updated(): void {
    const state = this.services?.session.state;
    if (!state) return;
    document.documentElement.lang = this.services?.i18n.locale ?? 'ru';
    document.title = this.services?.i18n.t('app.title') ?? document.title;
    // Move focus to the new screen so keyboard and screen-reader users start at its top.
    const screen = `${state.kind}:${this.path}`;
    if (this.#screen && screen !== this.#screen) this.renderRoot.querySelector<HTMLElement>('main')?.focus();
    this.#screen = screen;
  }

  override render() {
    const services = this.services;
    if (!services) return nothing;
    const state = services.session.state;
    const signedIn = state.kind === 'ready';
    return html`
      ${signedIn ? html`<a class="skip" href="#main" @click=${this.#skip}>${services.i18n.t('app.skipToContent')}</a>` : nothing}
      <rp-update-bar></rp-update-bar>
      <rp-app-header ?signed-in=${signedIn}></rp-app-header>
      <main id="main" tabindex="-1">${this.#screenFor(state)}</main>
    `;
  }

  #screenFor(state: SessionState) {
    switch (state.kind) {
      case 'loading':
        return html`<div class="loading" role="status">
          <span class="spinner" aria-hidden="true"></span>${this.services?.i18n.t('app.loading')}
        </div>`;
      case 'signed-out':
        return html`<rp-login-page></rp-login-page>`;
      case 'password-change':
        return html`<rp-password-change-page></rp-password-change-page>`;
      case 'locked':
        return html`<rp-lock-page></rp-lock-page>`;
      case 'ready': {
        const route = routeFor(this.path, state.user.roles);
        if (route.kind === 'home') return html`<rp-home-page .user=${state.user}></rp-home-page>`;
        if (route.kind === 'section' && route.section.id === 'administration') return this.#adminPage();
        if (route.kind === 'section' && route.section.id === 'patients') return this.#carePage('patients', state.user);
        if (route.kind === 'section' && route.section.id === 'prescriptions')
          return this.#carePage('prescriptions', state.user);
        if (route.kind === 'sync') return this.#carePage('sync', state.user);
        if (route.kind === 'section' && route.section.id === 'reports') return this.#reportsPage(state.user);
        return html`<rp-section-page .section=${route.kind === 'section' ? route.section : null}></rp-section-page>`;
      }
    }
  }

  /**
   * The administration section is a lazy chunk (its pages, and pdfmake behind them, are for administrators only).
   * Until the module has defined the element, its light-DOM child shows the loading state.
   */
  #adminPage() {
    if (!customElements.get('rp-admin-page')) {
      import('../../pages/rp-admin-page/rp-admin-page.ts').catch(() => {
        this.#adminLoadFailed = true;
        this.requestUpdate();
      });
    }
    const t = (key: 'app.loading' | 'error.network') => this.services?.i18n.t(key) ?? '';
    return html`<rp-admin-page>
      <p class="loading" role="status">${this.#adminLoadFailed ? t('error.network') : t('app.loading')}</p>
    </rp-admin-page>`;
  }

  /**
   * The summary-report page: a lazy chunk of its own (only analysts, administrators and doctors open it). It reads
   * the facilities from the member's reference replica; until the module has loaded, the loading state shows.
   */
  #reportsPage(user: { name: string; roles: string[] }) {
    if (!customElements.get('rp-reports-page')) {
      return this.#loading('reports', () => import('../../pages/rp-reports-page/rp-reports-page.ts'));
    }
    return html`<rp-reports-page
      .reference=${this.#referenceFor(user.name).store}
      .roles=${user.roles}
    ></rp-reports-page>`;
  }

  /** Starts loading a lazy chunk and shows the loading state (or the network error if the chunk did not load). */
  #loading(chunk: 'care' | 'reports', load: () => Promise<unknown>) {
    load().then(
      () => this.requestUpdate(),
      () => {
        this.#failedChunks.add(chunk);
        this.requestUpdate();
      },
    );
    const t = (key: 'app.loading' | 'error.network') => this.services?.i18n.t(key) ?? '';
    return html`<p class="loading" role="status">
      ${this.#failedChunks.has(chunk) ? t('error.network') : t('app.loading')}
    </p>`;
  }

  /** The member's reference replica and the names of their facilities as read so far (one replica per sign-in). */
  #referenceFor(login: string): { store: ReferenceStore; names: Readonly<Record<string, string>> } {
    if (this.#reference?.login !== login) this.#reference = { login, store: new LocalReferenceStore(login), names: {} };
    return this.#reference;
  }

  /**
   * The patients, prescriptions and synchronisation pages: a lazy chunk with the records layer behind it, so that
   * the login page stays small. Until it has loaded, the light-DOM child shows the loading state.
   */
  #carePage(page: 'patients' | 'prescriptions' | 'sync', user: { name: string; roles: string[] }) {
    if (!customElements.get('rp-patients-section')) {
      return this.#loading('care', () => import('../../pages/care-pages.ts'));
    }
    const facilities = this.services?.facilities;
    const { store, names } = this.#referenceFor(user.name);
    if (page === 'sync')
      return html`<rp-sync-panel
        .syncs=${facilities?.syncs ?? []}
        .names=${names}
        .reference=${store}
      ></rp-sync-panel>`;
    if (page === 'prescriptions')
      return html`<rp-prescriptions-page
        .records=${facilities?.records ?? null}
        .reference=${store}
        .roles=${user.roles}
        .path=${this.path}
      ></rp-prescriptions-page>`;
    return html`<rp-patients-section
      .records=${facilities?.records ?? null}
      .reference=${store}
      .roles=${user.roles}
      .path=${this.path}
      .facilities=${(facilities?.facilities ?? []).map((id) => ({ id, name: names[id] ?? id }))}
      .facilityId=${facilities?.active ?? ''}
      .drafts=${this.#drafts()}
      @rp-facility-change=${(event: CustomEvent<{ facilityId: string }>) =>
        void facilities?.select(event.detail.facilityId)}
    ></rp-patients-section>`;
  }

  /** One draft store per unlocked session (it holds a key derived from muk; gone when locked). */
  #draftStore: { session: object; store: DraftStore | null } | null = null;
  #drafts(): DraftStore | null {
    const session = this.services?.session;
    if (!session) return null;
    const state = session.state;
    if (this.#draftStore?.session !== state) this.#draftStore = { session: state, store: session.drafts() };
    return this.#draftStore.store;
  }

  #skip(event: Event): void {
    event.preventDefault();
    this.renderRoot.querySelector<HTMLElement>('main')?.focus();
  }

  #listen(on: boolean, services: Services | null = this.services): void {
    if (!services) return;
    for (const target of [services.session, services.i18n, services.facilities]) {
      target.removeEventListener('change', this.#onChange);
      if (on && this.isConnected) target.addEventListener('change', this.#onChange);
    }
  }
}

customElements.define('rp-app', RpApp);

declare global {
  interface HTMLElementTagNameMap {
    'rp-app': RpApp;
  }
}
