/**
 * Builds one summary report at a time and holds what the page shows about it. The server can take tens of seconds
 * on a cold view, so the build counts elapsed seconds and can be cancelled (the request is aborted, and its late
 * answer, if any, is ignored); the finished file is kept as a `blob:` address the page offers as a link, because a
 * member who waited a minute may have turned away and must still find it — and a JSON report is also read for the
 * figures on the page. Errors become states the page can word: no network, session over, facilities not allowed,
 * or a 400 naming the field, shown next to that field.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import {
  isSummaryField,
  summaryFileName,
  summaryUrl,
  type FieldErrors,
  type SummaryChoice,
  type SummaryField,
} from './summary-choice.ts';
import { isSummaryReportData, type SummaryReportData } from './summary-report-data.ts';

export type BuildProblem = 'network' | 'session' | 'forbidden' | 'server' | 'unreadable';

export type BuildState =
  | { kind: 'idle' }
  | { kind: 'building'; elapsedSeconds: number }
  | { kind: 'cancelled' }
  /** The server refused a field (400); the message is in `serverErrors`. */
  | { kind: 'refused'; field: SummaryField }
  | { kind: 'failed'; problem: BuildProblem; status: number | null }
  | { kind: 'ready'; fileName: string; url: string; report: SummaryReportData | null };

const ACCEPT = { pdf: 'application/pdf', csv: 'text/csv', json: 'application/json' } as const;

function fieldOf(body: unknown): unknown {
  return typeof body === 'object' && body !== null ? (body as { field?: unknown }).field : undefined;
}

export class SummaryReportController implements ReactiveController {
  #state: BuildState = { kind: 'idle' };
  #serverErrors: FieldErrors = {};
  #abort: AbortController | null = null;
  #timer: ReturnType<typeof setInterval> | null = null;
  readonly #host: ReactiveControllerHost;

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
    host.addController(this);
  }

  get state(): BuildState {
    return this.#state;
  }

  /** Messages for the fields the server refused in the last answer. */
  get serverErrors(): FieldErrors {
    return this.#serverErrors;
  }

  get building(): boolean {
    return this.#state.kind === 'building';
  }

  hostConnected(): void {
    // Nothing to start: a build begins when the member asks.
  }

  hostDisconnected(): void {
    this.#abort?.abort();
    this.#abort = null;
    this.#stopTimer();
    this.#release();
    this.#state = { kind: 'idle' };
  }

  /** Forgets a server refusal of `field` once the member changes it. */
  clearServerError(field: SummaryField): void {
    if (!(field in this.#serverErrors)) return;
    this.#serverErrors = Object.fromEntries(Object.entries(this.#serverErrors).filter(([name]) => name !== field));
    this.#host.requestUpdate();
  }

  /** Asks the server for the report of a checked choice; resolves when it is ready, refused, failed or cancelled. */
  async build(choice: SummaryChoice, fetchImpl: typeof fetch): Promise<void> {
    if (this.building) return;
    this.#release();
    this.#serverErrors = {};
    const abort = new AbortController();
    this.#abort = abort;
    const started = Date.now();
    this.#set({ kind: 'building', elapsedSeconds: 0 });
    this.#timer = setInterval(() => {
      if (this.#state.kind === 'building')
        this.#set({ kind: 'building', elapsedSeconds: Math.floor((Date.now() - started) / 1000) });
    }, 1000);
    let outcome: BuildState;
    try {
      const response = await fetchImpl(summaryUrl(choice), {
        credentials: 'same-origin',
        headers: { accept: ACCEPT[choice.format] },
        signal: abort.signal,
      });
      outcome = await this.#read(response, choice);
    } catch {
      outcome = abort.signal.aborted ? { kind: 'cancelled' } : { kind: 'failed', problem: 'network', status: null };
    }
    // Cancelled (or left) while the answer was on its way: the page has moved on.
    if (this.#abort !== abort) {
      if (outcome.kind === 'ready') URL.revokeObjectURL(outcome.url);
      return;
    }
    this.#abort = null;
    this.#stopTimer();
    this.#set(outcome);
  }

  /** Stops the build under way; its answer, should one still come, is dropped. */
  cancel(): void {
    if (!this.#abort) return;
    this.#abort.abort();
    this.#abort = null;
    this.#stopTimer();
    this.#set({ kind: 'cancelled' });
  }

  async #read(response: Response, choice: SummaryChoice): Promise<BuildState> {
    if (!response.ok) {
      const body: unknown = await response.json().catch(() => null);
      const field = fieldOf(body);
      if (response.status === 400 && isSummaryField(field)) {
        this.#serverErrors = { [field]: `reports.summary.server.${field}` };
        return { kind: 'refused', field };
      }
      if (response.status === 401) return { kind: 'failed', problem: 'session', status: 401 };
      if (response.status === 403) return { kind: 'failed', problem: 'forbidden', status: 403 };
      return { kind: 'failed', problem: 'server', status: response.status };
    }
    const blob = await response.blob();
    let report: SummaryReportData | null = null;
    if (choice.format === 'json') {
      const parsed: unknown = await blob
        .text()
        .then((text) => JSON.parse(text) as unknown)
        .catch(() => null);
      if (!isSummaryReportData(parsed)) return { kind: 'failed', problem: 'unreadable', status: response.status };
      report = parsed;
    }
    const typed = new Blob([blob], { type: blob.type || ACCEPT[choice.format] });
    return { kind: 'ready', fileName: summaryFileName(choice), url: URL.createObjectURL(typed), report };
  }

  #set(state: BuildState): void {
    this.#state = state;
    this.#host.requestUpdate();
  }

  #stopTimer(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** Lets go of the previous file, so a long session does not pile up reports in memory. */
  #release(): void {
    if (this.#state.kind === 'ready') URL.revokeObjectURL(this.#state.url);
  }
}
