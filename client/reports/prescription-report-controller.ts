/**
 * The prescription report as the pages that offer it see it: one controller holding the printing state
 * (idle, «Печать…», done, failed with a message), shared by the patient file and the prescription search. The
 * print module — and through it the report builder and pdfmake — is loaded by dynamic import on the first print,
 * so the pages' own chunk stays small. The member who prints is named from the session.
 */
import { html, nothing, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { sessionContext } from '../app/contexts.ts';
import { I18nController, ServiceController } from '../app/service-controller.ts';
import type { MessageKey } from '../i18n/i18n.ts';
import type { FacilityRecords } from '../records/records-api.ts';
import type { ReferenceStore } from '../admin/reference-store.ts';
import type { SessionService } from '../services/session-service.ts';
import { localToday } from '../pages/rp-patient-file/care-dates.ts';

export type PrintState =
  | { kind: 'idle' }
  | { kind: 'printing' }
  | { kind: 'done'; fileName: string }
  | { kind: 'failed'; message: MessageKey };

type Host = ReactiveControllerHost & HTMLElement;

/** What the page holds when a report is asked for. */
export interface PrintSources {
  records: FacilityRecords | null;
  reference: ReferenceStore | null;
}

function failureMessage(error: unknown): MessageKey {
  const name = error instanceof Error ? error.name : '';
  if (name === 'PrescriptionsNotFoundError') return 'reports.print.notFound';
  if (name === 'PrintNotAuditedError') return 'reports.print.noAudit';
  return 'reports.print.failed';
}

/**
 * Printing begins only when asked, so nothing happens as the host connects: the language and the session come
 * through the two controllers it adds to the host, and every change of state asks the host to render again.
 */
export class PrescriptionReportController {
  #state: PrintState = { kind: 'idle' };
  readonly #host: Host;
  readonly #sources: () => PrintSources;
  readonly #i18n: I18nController;
  readonly #session: ServiceController<SessionService>;

  constructor(host: Host, sources: () => PrintSources) {
    this.#host = host;
    this.#sources = sources;
    this.#i18n = new I18nController(host);
    this.#session = new ServiceController(host, sessionContext);
  }

  get state(): PrintState {
    return this.#state;
  }

  get printing(): boolean {
    return this.#state.kind === 'printing';
  }

  /** The member as the report names them: "Петров Иван Ильич (petrov)". */
  #printedBy(): string {
    const state = this.#session.value?.state;
    const user = state?.kind === 'ready' ? state.user : undefined;
    return user ? `${user.displayName} (${user.name})` : '—';
  }

  #set(state: PrintState): void {
    this.#state = state;
    this.#host.requestUpdate();
  }

  /** Prints the report of `prescriptionIds`; a second request while one runs is ignored. */
  async print(prescriptionIds: readonly string[]): Promise<void> {
    const { records, reference } = this.#sources();
    if (!records || prescriptionIds.length === 0 || this.printing) return;
    this.#set({ kind: 'printing' });
    try {
      const { printPrescriptionReport } = await import('./print-prescription-report.ts');
      const fileName = await printPrescriptionReport({
        records,
        reference,
        prescriptionIds,
        printedBy: this.#printedBy(),
        t: (key, params) => this.#i18n.t(key, params),
        locale: this.#i18n.value?.locale ?? 'ru',
        today: localToday(),
      });
      this.#set({ kind: 'done', fileName });
    } catch (error) {
      this.#set({ kind: 'failed', message: failureMessage(error) });
    }
  }

  /** The state where the page shows it: a live status while printing, an alert when it failed. */
  render(): TemplateResult | typeof nothing {
    const state = this.#state;
    const t = this.#i18n;
    if (state.kind === 'printing') return html`<p class="muted" role="status">${t.t('reports.print.printing')}</p>`;
    if (state.kind === 'done')
      return html`<p class="muted" role="status">${t.t('reports.print.done', { file: state.fileName })}</p>`;
    if (state.kind === 'failed') return html`<p class="alert" role="alert">${t.t(state.message)}</p>`;
    return nothing;
  }
}
