/**
 * Synchronisation, for the people who rely on it (ARCHITECTURE.md, "Sync that users can trust"): per facility the
 * state (up to date since, N changes waiting, offline since, the last error) and «Синхронизировать сейчас»; the
 * writes the server refused, each with its reason, kept on the device and resent after correction; and documents
 * edited on two devices at once, shown side by side so that a person picks the version to keep (the other is kept
 * in the audit trail).
 */
import { LitElement, html, nothing } from 'lit';
import { I18nController } from '../../app/service-controller.ts';
import type { FacilitySync, FacilitySyncState } from '../../sync/facility-sync.ts';
import type { ExistingDocument } from 'pouchdb-browser/lib/index.es.js';
import { sharedStyles } from '../../styles/shared.styles.ts';
import { adminStyles } from '../../admin/admin.styles.ts';
import { css } from 'lit';

/** Opens what a person can read of a version (passports are sealed: the records layer opens them). */
export type RevealVersion = (doc: ExistingDocument) => Promise<Record<string, unknown>>;

interface OpenConflict {
  facilityId: string;
  id: string;
  versions: { rev: string; fields: Record<string, unknown> }[];
}

const HIDDEN_FIELDS = new Set(['_id', '_rev', '_conflicts', '_revisions', 'type', 'v', 'kid', 'iv', 'ct']);

function display(value: unknown): string {
  if (value === undefined || value === null) return '—';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * @fires rp-navigate - «Открыть» on a refused write of a patient's document; detail `{path}`
 */
export class RpSyncPanel extends LitElement {
  static override styles = [
    sharedStyles,
    adminStyles,
    css`
      :host {
        display: block;
        padding: 1.5rem 1rem 3rem;
        max-width: 72rem;
        margin: 0 auto;
      }
      .differs {
        background: var(--rp-warning-light, #fff4ce);
      }
      .versions th[scope='col'] {
        min-width: 12rem;
      }
    `,
  ];
  static override properties = {
    syncs: { attribute: false },
    names: { attribute: false },
    reveal: { attribute: false },
    busy: { state: true },
    conflict: { state: true },
    error: { state: true },
    tick: { state: true },
  };

  declare syncs: readonly FacilitySync[];
  /** Facility names by id. */
  declare names: Readonly<Record<string, string>>;
  declare reveal: RevealVersion | null;
  declare busy: string | null;
  declare conflict: OpenConflict | null;
  declare error: string | null;
  /** Bumped when a sync's state changes, to render again. */
  declare tick: number;
  readonly #i18n = new I18nController(this);
  readonly #onChange = (): void => {
    this.tick += 1;
  };
  #watched: readonly FacilitySync[] = [];

  constructor() {
    super();
    this.syncs = [];
    this.names = {};
    this.reveal = null;
    this.busy = null;
    this.conflict = null;
    this.error = null;
    this.tick = 0;
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('syncs')) {
      for (const sync of this.#watched) sync.removeEventListener('change', this.#onChange);
      for (const sync of this.syncs) sync.addEventListener('change', this.#onChange);
      this.#watched = this.syncs;
    }
  }

  override disconnectedCallback(): void {
    for (const sync of this.#watched) sync.removeEventListener('change', this.#onChange);
    this.#watched = [];
    super.disconnectedCallback();
  }

  #time(at: number | string | null): string {
    if (at === null) return '—';
    return new Date(at).toLocaleString(this.#i18n.value?.locale ?? 'ru');
  }

  #stateText(state: FacilitySyncState): string {
    const t = this.#i18n.t.bind(this.#i18n);
    switch (state.kind) {
      case 'up-to-date':
        return t('sync.panel.upToDate', { time: this.#time(state.upToDateAt) });
      case 'pending':
        return t('sync.panel.pending', { count: state.pending });
      case 'offline':
        return t('sync.panel.offline', { time: this.#time(state.offlineSince) });
      case 'error':
        return t('sync.panel.error', { reason: state.lastError ?? '' });
      case 'connecting':
        return t('sync.panel.connecting');
      default:
        return t('sync.panel.stopped');
    }
  }

  override render() {
    const t = this.#i18n.t.bind(this.#i18n);
    return html`
      <h1>${t('sync.panel.heading')}</h1>
      ${this.error ? html`<p class="alert" role="alert">${this.error}</p>` : nothing}
      ${this.syncs.length === 0 ? html`<p class="muted">${t('sync.panel.none')}</p>` : nothing}
      ${this.syncs.map((sync) => this.#facility(sync))} ${this.#conflictView()}
    `;
  }

  #facility(sync: FacilitySync) {
    const t = this.#i18n.t.bind(this.#i18n);
    const state = sync.state;
    const name = this.names[sync.facilityId] ?? sync.facilityId;
    return html`<section class="card panel" aria-labelledby="sync-${sync.facilityId}">
      <h2 id="sync-${sync.facilityId}">${name}</h2>
      <p role="status">${this.#stateText(state)}</p>
      <div class="form-actions">
        <button
          class="button secondary"
          type="button"
          ?disabled=${this.busy !== null}
          @click=${() => this.#run(sync.facilityId, () => sync.syncNow())}
        >
          ${t('sync.panel.now')}
        </button>
      </div>
      ${
        state.refused.length > 0
          ? html`<h3>${t('sync.panel.refusedHeading', { count: state.refused.length })}</h3>
              <p class="muted">${t('sync.panel.refusedIntro')}</p>
              <div class="table-wrap" tabindex="0">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">${t('sync.panel.document')}</th>
                      <th scope="col">${t('sync.panel.reason')}</th>
                      <th scope="col">${t('sync.panel.when')}</th>
                      <th scope="col">${t('admin.actions')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${state.refused.map(
                      (entry) =>
                        html`<tr>
                          <td><code>${entry.id}</code></td>
                          <td>${entry.reason}</td>
                          <td>${this.#time(entry.at)}</td>
                          <td class="actions">
                            ${this.#openLink(entry.id)}
                            <button
                              class="button secondary small"
                              type="button"
                              aria-label="${t('sync.panel.resend')}: ${entry.id}"
                              ?disabled=${this.busy !== null}
                              @click=${() => this.#run(sync.facilityId, () => sync.resend(entry.id))}
                            >
                              ${t('sync.panel.resend')}
                            </button>
                          </td>
                        </tr>`,
                    )}
                  </tbody>
                </table>
              </div>`
          : nothing
      }
      ${
        state.conflicts.length > 0
          ? html`<h3>${t('sync.panel.conflictsHeading', { count: state.conflicts.length })}</h3>
              <ul>
                ${state.conflicts.map(
                  (id) =>
                    html`<li>
                      <code>${id}</code>
                      <button
                        class="button secondary small"
                        type="button"
                        aria-label="${t('sync.panel.compare')}: ${id}"
                        ?disabled=${this.busy !== null}
                        @click=${() => this.#openConflict(sync, id)}
                      >
                        ${t('sync.panel.compare')}
                      </button>
                    </li>`,
                )}
              </ul>`
          : nothing
      }
    </section>`;
  }

  /** A refused patient document can be opened to correct it (its page saves a new revision, then «resend»). */
  #openLink(id: string) {
    const patientId = /^(?:patient|visit|prescription):([0-9a-f-]{36})/.exec(id)?.[1];
    if (!patientId) return nothing;
    const path = `/patients/${patientId}`;
    return html`<a
      class="button secondary small"
      href=${path}
      @click=${(event: MouseEvent) => {
        event.preventDefault();
        this.dispatchEvent(new CustomEvent('rp-navigate', { detail: { path }, bubbles: true, composed: true }));
      }}
      >${this.#i18n.t('sync.panel.open')}</a
    >`;
  }

  #conflictView() {
    const conflict = this.conflict;
    if (!conflict) return nothing;
    const t = this.#i18n.t.bind(this.#i18n);
    const fields = [...new Set(conflict.versions.flatMap((version) => Object.keys(version.fields)))]
      .filter((field) => !HIDDEN_FIELDS.has(field))
      .sort();
    return html`<section class="card panel" aria-labelledby="conflict-heading">
      <h2 id="conflict-heading">${t('sync.panel.conflictHeading', { id: conflict.id })}</h2>
      <p class="muted">${t('sync.panel.conflictIntro')}</p>
      <div class="table-wrap" tabindex="0" role="region" aria-label=${t('sync.panel.versions')}>
        <table class="versions">
          <thead>
            <tr>
              <th scope="col">${t('sync.panel.field')}</th>
              ${conflict.versions.map(
                (_version, index) => html`<th scope="col">${t('sync.panel.version', { number: index + 1 })}</th>`,
              )}
            </tr>
          </thead>
          <tbody>
            ${fields.map((field) => {
              const values = conflict.versions.map((version) => display(version.fields[field]));
              const differs = new Set(values).size > 1;
              return html`<tr class=${differs ? 'differs' : ''}>
                <th scope="row">${field}</th>
                ${values.map((value) => html`<td>${value}</td>`)}
              </tr>`;
            })}
          </tbody>
        </table>
      </div>
      <div class="form-actions">
        ${conflict.versions.map(
          (version, index) =>
            html`<button
              class="button"
              type="button"
              ?disabled=${this.busy !== null}
              @click=${() => this.#keep(conflict, version.rev)}
            >
              ${t('sync.panel.keep', { number: index + 1 })}
            </button>`,
        )}
        <button class="button secondary" type="button" @click=${() => (this.conflict = null)}>
          ${t('admin.cancel')}
        </button>
      </div>
    </section>`;
  }

  async #openConflict(sync: FacilitySync, id: string): Promise<void> {
    await this.#run(sync.facilityId, async () => {
      const versions = await sync.conflictingVersions(id);
      const reveal = this.reveal;
      this.conflict = {
        facilityId: sync.facilityId,
        id,
        versions: await Promise.all(
          versions.map(async (doc) => ({ rev: doc._rev, fields: reveal ? await reveal(doc) : { ...doc } })),
        ),
      };
    });
  }

  async #keep(conflict: OpenConflict, rev: string): Promise<void> {
    const sync = this.syncs.find((candidate) => candidate.facilityId === conflict.facilityId);
    if (!sync) return;
    await this.#run(conflict.facilityId, async () => {
      await sync.resolveConflict(conflict.id, rev);
      this.conflict = null;
      await sync.syncNow();
    });
  }

  async #run(facilityId: string, action: () => Promise<unknown>): Promise<void> {
    if (this.busy) return;
    this.busy = facilityId;
    this.error = null;
    try {
      await action();
    } catch (error) {
      this.error = error instanceof Error ? error.message : String(error);
    } finally {
      this.busy = null;
    }
  }
}

customElements.define('rp-sync-panel', RpSyncPanel);

declare global {
  interface HTMLElementTagNameMap {
    'rp-sync-panel': RpSyncPanel;
  }
}
