/**
 * Synchronisation, for the people who rely on it (ARCHITECTURE.md, "Sync that users can trust"): per facility the
 * state (up to date since, N changes waiting, offline since, the last error) and «Синхронизировать сейчас»; the
 * writes the server refused, each with its reason, kept on the device and resent after correction; and documents
 * edited on two devices at once, shown side by side under the forms' labels so that a person keeps one version or
 * merges them field by field (conflict-view.ts, conflict-merge.ts); every other version is kept in the audit trail.
 */
import { LitElement, html, nothing } from 'lit';
import { ContextConsumer } from '@lit/context';
import { I18nController } from '../../app/service-controller.ts';
import { sessionContext } from '../../app/contexts.ts';
import type { FacilitySync, FacilitySyncState } from '../../sync/facility-sync.ts';
import type { ExistingDocument } from 'pouchdb-browser/lib/index.es.js';
import type { ReferenceStore } from '../../admin/reference-store.ts';
import { sharedStyles } from '../../styles/shared.styles.ts';
import { adminStyles } from '../../admin/admin.styles.ts';
import { css } from 'lit';
import { storeToday } from '../../../design-docs/facility/validate.ts';
import { loadPatientReference, type PatientReference } from '../rp-patients-section/patient-reference.ts';
import { loadMedicaments, medicamentLabel } from '../rp-prescription-form/medicaments.ts';
import type { Medicament } from '../../../common/reference/types.ts';
import { ReferenceReader } from '../reference-reader.ts';
import type { ConflictWording } from './conflict-fields.ts';
import { canMerge, mergeProblems, mergedVersion, type VersionDoc } from './conflict-merge.ts';
import { conflictView, type OpenConflict } from './conflict-view.ts';

/** Opens what a person can read of a version (passports are sealed: the records layer opens them). */
export type RevealVersion = (doc: ExistingDocument) => Promise<Record<string, unknown>>;

/** What the reference replica names in the versions compared; a book that cannot be read is left out. */
export interface CodeNames {
  reference: PatientReference | null;
  medicaments: ReadonlyMap<string, Medicament>;
}

async function readCodeNames(store: ReferenceStore): Promise<CodeNames> {
  const [reference, medicaments] = await Promise.all([
    loadPatientReference(store).catch(() => null),
    loadMedicaments(store).catch(() => []),
  ]);
  return { reference, medicaments: new Map(medicaments.map((m) => [m._id, m])) };
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
      .versions ul.lines {
        margin: 0;
        padding-left: 1.1rem;
      }
      .versions .take {
        display: flex;
        align-items: center;
        gap: 0.4rem;
        min-height: 44px;
        font-size: 0.95rem;
      }
      .versions .field-error {
        color: var(--rp-error, #b3261e);
        font-weight: 400;
        margin: 0.25rem 0 0;
      }
    `,
  ];
  static override properties = {
    syncs: { attribute: false },
    names: { attribute: false },
    reveal: { attribute: false },
    reference: { attribute: false },
    login: { attribute: false },
    busy: { state: true },
    conflict: { state: true },
    error: { state: true },
    tick: { state: true },
    codeNames: { state: true },
  };

  declare syncs: readonly FacilitySync[];
  /** Facility names by id. */
  declare names: Readonly<Record<string, string>>;
  declare reveal: RevealVersion | null;
  /** The member's reference replica: names diagnoses, districts and medicaments in the versions compared. */
  declare reference: ReferenceStore | null;
  /** Who writes a merged version; the signed-in member (from the session) when not given. */
  declare login: string | null;
  declare busy: string | null;
  declare conflict: OpenConflict | null;
  declare error: string | null;
  /** Bumped when a sync's state changes, to render again. */
  declare tick: number;
  /** Names of codes from the reference replica (null until it was first read). */
  declare codeNames: CodeNames | null;
  readonly #i18n = new I18nController(this);
  readonly #session = new ContextConsumer(this, { context: sessionContext, subscribe: true });
  /** The reading of the names under way, which a conflict waits for before it is shown. */
  #namesRead: Promise<unknown> = Promise.resolve();
  readonly #onChange = (): void => {
    this.tick += 1;
  };
  #watched: readonly FacilitySync[] = [];

  constructor() {
    super();
    this.syncs = [];
    this.names = {};
    this.reveal = null;
    this.reference = null;
    this.login = null;
    this.busy = null;
    this.conflict = null;
    this.error = null;
    this.tick = 0;
    this.codeNames = null;
    // Read when the panel gets the replica and again as a new device's first sync brings the books, so a conflict
    // compared meanwhile names its codes once they are there.
    new ReferenceReader(this, {
      store: () => this.reference,
      read: (store) => {
        const reading = readCodeNames(store);
        this.#namesRead = reading;
        return reading;
      },
      use: (names) => (this.codeNames = names),
    });
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
    const names = this.codeNames;
    const wording: ConflictWording = {
      t,
      locale: this.#i18n.value?.locale ?? 'ru',
      reference: names?.reference ?? null,
      medicamentName: names
        ? (id) => {
            const found = names.medicaments.get(id);
            return found ? medicamentLabel(found, t) : null;
          }
        : null,
      facilityName: (id) => this.names[id] ?? null,
    };
    return conflictView(t, conflict, wording, {
      busy: this.busy !== null,
      choose: (field, index) => {
        this.conflict = { ...conflict, choices: { ...conflict.choices, [field]: index }, problems: {} };
      },
      keep: (rev) => void this.#keep(conflict, rev),
      saveMerged: () => void this.#saveMerged(conflict),
      close: () => (this.conflict = null),
    });
  }

  async #openConflict(sync: FacilitySync, id: string): Promise<void> {
    await this.#run(sync.facilityId, async () => {
      await this.#namesRead;
      const versions = await sync.conflictingVersions(id);
      const reveal = this.reveal;
      this.conflict = {
        facilityId: sync.facilityId,
        id,
        type: id.split(':')[0] ?? '',
        versions: await Promise.all(
          versions.map(async (doc) => ({
            raw: doc as unknown as VersionDoc,
            shown: reveal ? await reveal(doc) : { ...doc },
          })),
        ),
        mergeable: canMerge(id),
        choices: {},
        problems: {},
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

  #writer(): string | null {
    if (this.login) return this.login;
    const state = this.#session.value?.state;
    return state?.kind === 'ready' ? state.user.name : null;
  }

  /**
   * Writes the merged version when the shared validation finds nothing wrong with it; otherwise shows each problem
   * in its row and writes nothing (every version stays, nothing typed is lost).
   */
  async #saveMerged(conflict: OpenConflict): Promise<void> {
    const sync = this.syncs.find((candidate) => candidate.facilityId === conflict.facilityId);
    const login = this.#writer();
    if (!sync) return;
    if (!login) {
      this.error = this.#i18n.t('sync.merge.noLogin');
      return;
    }
    const raws = conflict.versions.map((version) => version.raw);
    const merged = mergedVersion(raws, conflict.choices, { login, at: new Date().toISOString() });
    const problems = mergeProblems(merged, storeToday(Date.now()));
    if (Object.keys(problems).length > 0) {
      this.conflict = { ...conflict, problems };
      return;
    }
    const keepRev = raws[0]?._rev;
    if (!keepRev) return;
    await this.#run(conflict.facilityId, async () => {
      await sync.resolveConflict(conflict.id, keepRev, merged);
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
