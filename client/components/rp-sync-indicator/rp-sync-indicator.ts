/**
 * The replication state in a few words: up to date, N changes waiting, offline since HH:MM, writes the server
 * refused, or an error — the reference books and every facility of the member together, the worst first. A polite
 * live region, so a screen reader hears when the connection drops or returns; a link to the synchronisation page
 * (per facility, "sync now", refused writes, conflicts) once the member has facilities.
 */
import { LitElement, html } from 'lit';
import { I18nController, ServiceController } from '../../app/service-controller.ts';
import { facilitiesContext, syncContext } from '../../app/contexts.ts';
import { followLink } from '../../app/navigate.ts';
import type { FacilitySyncState } from '../../sync/facility-sync.ts';
import type { SyncState } from '../../services/sync-service.ts';
import { syncIndicatorStyles } from './rp-sync-indicator.styles.ts';

export class RpSyncIndicator extends LitElement {
  static override styles = syncIndicatorStyles;
  readonly #i18n = new I18nController(this);
  readonly #sync = new ServiceController(this, syncContext);
  readonly #facilities = new ServiceController(this, facilitiesContext);

  override render() {
    const facilities = (this.#facilities.value?.syncs ?? []).map((sync) => sync.state);
    const state = combined(this.#sync.value?.state ?? { kind: 'stopped' }, facilities);
    const refused = facilities.reduce((sum, facility) => sum + facility.refused.length, 0);
    const conflicts = facilities.reduce((sum, facility) => sum + facility.conflicts.length, 0);
    const text =
      refused > 0
        ? this.#i18n.t('sync.refused', { count: refused })
        : conflicts > 0
          ? this.#i18n.t('sync.conflicts', { count: conflicts })
          : this.#describe(state);
    const kind = refused > 0 || conflicts > 0 ? 'error' : state.kind;
    const content = html`<span class="dot" aria-hidden="true"></span><span class="text">${text}</span>`;
    return html`<p class="state" role="status" aria-live="polite" data-kind=${kind}>
      ${
        facilities.length > 0
          ? html`<a href="/sync" @click=${(event: MouseEvent) => followLink(event, '/sync')}>${content}</a>`
          : content
      }
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

/** One state for the reference books and the facilities: an error, then offline, then waiting changes. */
function combined(reference: SyncState, facilities: readonly FacilitySyncState[]): SyncState {
  const error = facilities.find((facility) => facility.kind === 'error');
  if (reference.kind === 'error') return reference;
  if (error) return { kind: 'error', reason: 'unknown' };
  const offline = facilities.find((facility) => facility.kind === 'offline');
  if (reference.kind === 'offline') return reference;
  if (offline) return { kind: 'offline', since: offline.offlineSince ?? Date.now() };
  const pending = facilities.reduce((sum, facility) => sum + facility.pending, 0);
  if (pending > 0) return { kind: 'pending', count: pending + (reference.kind === 'pending' ? reference.count : 0) };
  if (reference.kind === 'pending' || reference.kind === 'connecting' || reference.kind === 'stopped') return reference;
  if (facilities.some((facility) => facility.kind === 'connecting')) return { kind: 'connecting' };
  return reference;
}

customElements.define('rp-sync-indicator', RpSyncIndicator);

declare global {
  interface HTMLElementTagNameMap {
    'rp-sync-indicator': RpSyncIndicator;
  }
}
