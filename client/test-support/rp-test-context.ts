/**
 * `<rp-test-context .services=…>`: provides services to the elements slotted in it, the way rp-app does, so
 * a page can be tested on its own.
 */
import { LitElement, html } from 'lit';
import { ContextProvider } from '@lit/context';
import {
  facilitiesContext,
  i18nContext,
  lockContext,
  sessionContext,
  syncContext,
  updateContext,
  type Services,
} from '../app/contexts.ts';

export class RpTestContext extends LitElement {
  readonly #providers = {
    i18n: new ContextProvider(this, { context: i18nContext }),
    session: new ContextProvider(this, { context: sessionContext }),
    lock: new ContextProvider(this, { context: lockContext }),
    sync: new ContextProvider(this, { context: syncContext }),
    updates: new ContextProvider(this, { context: updateContext }),
    facilities: new ContextProvider(this, { context: facilitiesContext }),
  };

  set services(services: Services) {
    this.#providers.i18n.setValue(services.i18n);
    this.#providers.session.setValue(services.session);
    this.#providers.lock.setValue(services.lock);
    this.#providers.sync.setValue(services.sync);
    this.#providers.updates.setValue(services.updates);
    this.#providers.facilities.setValue(services.facilities);
  }

  override render() {
    return html`<slot></slot>`;
  }
}

customElements.define('rp-test-context', RpTestContext);

declare global {
  interface HTMLElementTagNameMap {
    'rp-test-context': RpTestContext;
  }
}
