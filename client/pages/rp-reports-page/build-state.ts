/**
 * What the page shows about the build: while it runs, an indeterminate progress bar (the server cannot tell how far
 * it is), the seconds elapsed and «Отменить»; then the outcome — cancelled, a failure worded for the member, or the
 * file to download with, for JSON, the figures. One polite status line announces the changes; the elapsed seconds
 * stay out of it, so a screen reader is not interrupted every second.
 */
import { html, nothing } from 'lit';
import type { MessageKey, MessageParams } from '../../i18n/i18n.ts';
import type { BuildProblem, BuildState } from './summary-report-controller.ts';
import { renderFigures } from './report-figures.ts';

type Translate = (key: MessageKey, params?: MessageParams) => string;

const FAILURES: Record<BuildProblem, MessageKey> = {
  network: 'reports.summary.error.network',
  session: 'reports.summary.error.session',
  forbidden: 'reports.summary.error.forbidden',
  server: 'reports.summary.error.server',
  unreadable: 'reports.summary.error.unreadable',
};

const STATUS: Partial<Record<BuildState['kind'], MessageKey>> = {
  building: 'reports.summary.building',
  cancelled: 'reports.summary.cancelled',
  ready: 'reports.summary.ready',
};

export function renderBuildState(state: BuildState, t: Translate, locale: string, cancel: () => void) {
  const key = STATUS[state.kind];
  const status = key ? t(key) : '';
  let shown: unknown = nothing;
  if (state.kind === 'building') {
    shown = html`<div class="building">
      <p aria-hidden="true">${status}</p>
      <progress aria-label=${status}></progress>
      <div class="row">
        <span class="muted" data-elapsed>${t('reports.summary.elapsed', { seconds: state.elapsedSeconds })}</span>
        <button class="button secondary" type="button" data-action="cancel" @click=${cancel}>
          ${t('reports.summary.cancel')}
        </button>
      </div>
    </div>`;
  } else if (state.kind === 'cancelled') {
    shown = html`<p class="alert info" aria-hidden="true">${status}</p>`;
  } else if (state.kind === 'failed') {
    shown = html`<p class="alert" role="alert" data-problem=${state.problem}>
      ${t(FAILURES[state.problem], { status: state.status ?? 0 })}
    </p>`;
  } else if (state.kind === 'ready') {
    shown = html`<div class="result">
        <p aria-hidden="true">${status}</p>
        <a class="button" href=${state.url} download=${state.fileName} data-action="download">
          ${t('reports.summary.download', { file: state.fileName })}
        </a>
      </div>
      ${state.report ? renderFigures(state.report, t, locale) : nothing}`;
  }
  return html`<p class="visually-hidden" role="status">${status}</p>
    ${shown}`;
}
