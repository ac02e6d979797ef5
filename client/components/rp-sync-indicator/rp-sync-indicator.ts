/**
 * The replication state in a few words: up to date, N changes waiting, offline since HH:MM, or an error.
 * A polite live region, so a screen reader hears when the connection drops or returns.
 */
import { LitElement, html } from 'lit';
import { I18nController, ServiceController } from '../../app/service-controller.ts';
import { syncContext } from '../../app/contexts.ts';
import type { SyncState } from '../../services/sync-service.ts';
import { syncIndicatorStyles } from './rp-sync-indicator.styles.ts';

export class RpSyncIndicator extends LitElement {
  static override styles = syncIndicatorStyles;
  readonly #i18n = new I18nController(this);
  readonly #sync = new ServiceController(this, syncContext);

  override render() {
    const state: SyncState = this.#sync.value?.state ?? { kind: 'stopped' };
    return html`<p class="state" role="status" aria-live="polite" data-kind=${state.kind}>
      <span class="dot" aria-hidden="true"></span><span class="text">${this.#describe(state)}</span>
    </p>`;
  }

  #describe(state: SyncState): string {
    const i18n = this.#i18n;
    switch (state.kind) {
      case 'stopped':
        return i18n.t('sync.stopped');
      case 'connecting':
        return i18n.t('sync.connecting');
      case 'up-to-date':
        return i18n.t('sync.upToDate');
      case 'pending':
        return i18n.plural('sync.pending', state.count);
      case 'offline':
        return i18n.t('sync.offline', { time: i18n.value?.time(state.since) ?? '' });
      case 'error':
        return i18n.t(state.reason === 'session' ? 'sync.error.session' : 'sync.error');
    }
  }
}

customElements.define('rp-sync-indicator', RpSyncIndicator);

declare global {
  interface HTMLElementTagNameMap {
    'rp-sync-indicator': RpSyncIndicator;
  }
}
