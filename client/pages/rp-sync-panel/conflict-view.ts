/**
 * The versions of one record side by side, as the synchronisation panel shows them: a row per field under its
 * form label, values worded for people (conflict-fields.ts), the rows that differ marked, and — where the record
 * can be merged — a choice of version in each differing row, its problem shown in that row when the merge would
 * be refused. A render function over the panel's state; the panel owns loading and writing.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { MessageKey, MessageParams } from '../../i18n/i18n.ts';
import { fieldLabel, shownValue, type ConflictWording, type Shown } from './conflict-fields.ts';
import { differingFields, shownFields, type VersionDoc } from './conflict-merge.ts';

type Translate = (key: MessageKey, params?: MessageParams) => string;

export interface OpenConflict {
  facilityId: string;
  id: string;
  type: string;
  /** The winner first. `raw` is the stored revision; `shown` what a person may read of it (opened by `reveal`). */
  versions: { raw: VersionDoc; shown: Record<string, unknown> }[];
  mergeable: boolean;
  /** Per differing field, the index of the version to take (missing: the first). */
  choices: Record<string, number>;
  /** Why the merged version would be refused, by field ('' for the document as a whole). */
  problems: Record<string, string[]>;
}

export interface ConflictViewActions {
  busy: boolean;
  choose(field: string, index: number): void;
  keep(rev: string): void;
  saveMerged(): void;
  close(): void;
}

function controlId(field: string): string {
  return `merge-${field.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

function valueCell(shown: Shown): TemplateResult {
  if (Array.isArray(shown)) {
    return shown.length === 0
      ? html`—`
      : html`<ul class="lines">
          ${shown.map((line) => html`<li>${line}</li>`)}
        </ul>`;
  }
  return html`${shown}`;
}

export function conflictView(
  t: Translate,
  conflict: OpenConflict,
  wording: ConflictWording,
  actions: ConflictViewActions,
): TemplateResult {
  const raws = conflict.versions.map((version) => version.raw);
  const differing = new Set(differingFields(raws));
  const fields = shownFields(raws);
  const general = Object.entries(conflict.problems)
    .filter(([field]) => !fields.includes(field))
    .flatMap(([field, messages]) => messages.map((message) => (field ? `${field}: ${message}` : message)));
  return html`<section class="card panel" aria-labelledby="conflict-heading">
    <h2 id="conflict-heading">${t('sync.panel.conflictHeading', { id: conflict.id })}</h2>
    <p class="muted">${t(conflict.mergeable ? 'sync.merge.intro' : 'sync.panel.conflictIntro')}</p>
    ${fields.length === 0 ? html`<p class="alert info">${t('sync.merge.sealedWhole')}</p>` : nothing}
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
            const label = fieldLabel(conflict.type, field, t);
            const differs = differing.has(field);
            const problems = conflict.problems[field] ?? [];
            const id = controlId(field);
            const choosing = conflict.mergeable && differs;
            return html`<tr class=${differs ? 'differs' : ''} data-field=${field}>
              <th scope="row">
                ${label}
                ${
                  problems.length > 0
                    ? html`<p class="field-error" id="${id}-error">${problems.join(' ')}</p>`
                    : nothing
                }
              </th>
              ${conflict.versions.map(
                (version, index) =>
                  html`<td>
                    <div class="value">
                      ${valueCell(shownValue(conflict.type, field, version.shown[field], wording))}
                    </div>
                    ${
                      choosing
                        ? html`<label class="take">
                            <input
                              type="radio"
                              name=${id}
                              .checked=${(conflict.choices[field] ?? 0) === index}
                              ?disabled=${actions.busy}
                              aria-describedby=${problems.length > 0 ? `${id}-error` : nothing}
                              @change=${() => actions.choose(field, index)}
                            />
                            ${t('sync.merge.take', { number: index + 1, field: label })}
                          </label>`
                        : nothing
                    }
                  </td>`,
              )}
            </tr>`;
          })}
        </tbody>
      </table>
    </div>
    ${
      general.length > 0
        ? html`<div class="alert" role="alert">
            <p>${t('sync.merge.refused')}</p>
            <ul>
              ${general.map((message) => html`<li>${message}</li>`)}
            </ul>
          </div>`
        : Object.keys(conflict.problems).length > 0
          ? html`<p class="alert" role="alert">${t('sync.merge.refused')}</p>`
          : nothing
    }
    <div class="form-actions">
      ${conflict.versions.map(
        (version, index) =>
          html`<button
            class="button"
            type="button"
            ?disabled=${actions.busy}
            @click=${() => actions.keep(version.raw._rev)}
          >
            ${t('sync.panel.keep', { number: index + 1 })}
          </button>`,
      )}
      ${
        conflict.mergeable && differing.size > 0
          ? html`<button class="button" type="button" ?disabled=${actions.busy} @click=${() => actions.saveMerged()}>
              ${t('sync.merge.save')}
            </button>`
          : nothing
      }
      <button class="button secondary" type="button" @click=${() => actions.close()}>${t('admin.cancel')}</button>
    </div>
  </section>`;
}
