/**
 * One device syncing a facility through the gateway, speaking the CouchDB replication protocol the way PouchDB's
 * replicator does, so that each kind of request gets its own latency figure: a pull loop (`_changes` in batches of
 * 100, `_bulk_get` of what changed, a `_local` checkpoint, then long-polls once caught up) and a push loop that
 * records a home visit every second or so (`_revs_diff`, then `_bulk_docs` with `new_edits: false`, as a push
 * replication sends it). The visits are valid documents written under the member's own name, so the facility's
 * design document accepts them; every one pushed is remembered, so a test can check it reached the store.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { facilityDatabase } from '../../common/roles.ts';
import { logInAt, type BenchAccount } from './setup.ts';
import { problemOf, type LoadRecorder } from './recorder.ts';

export interface PushedDoc {
  db: string;
  id: string;
  rev: string;
}

export interface SyncClientOptions {
  baseUrl: string;
  /** A nurse (or doctor) who is a member of `facilityId`. */
  account: BenchAccount;
  facilityId: string;
  recorder: LoadRecorder;
  /** The loops end at their next turn once this is aborted. */
  signal: AbortSignal;
  /** Pause between two pushed visits, in ms (jittered ±50 %). */
  pushEveryMs?: number;
  /** How long a caught-up long-poll waits for a change, in ms. */
  longpollMs?: number;
  pulledBatch?: number;
  /** Where pushed documents are listed. */
  pushed: PushedDoc[];
}

interface ChangesAnswer {
  results: { id: string; changes: { rev: string }[]; deleted?: boolean }[];
  last_seq: unknown;
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });

/** A visit as the records layer writes it (common/records/visit.ts), by the member, today. */
function visitDoc(account: BenchAccount, patientId: string): Record<string, unknown> {
  const login = account.login;
  const at = new Date().toISOString();
  return {
    _id: `visit:${patientId}:${randomUUID()}`,
    _rev: `1-${randomBytes(16).toString('hex')}`,
    type: 'visit',
    date: at.slice(0, 10),
    visitType: 'home',
    performer: login,
    performerRole: account.roles.includes('doctor') ? 'doctor' : 'nurse',
    pain: 3,
    syndromes: ['pain'],
    needsNoticed: [],
    createdBy: login,
    createdAt: at,
  };
}

export class SyncClient {
  readonly #options: SyncClientOptions;
  readonly #db: string;
  #cookie = '';
  #since: unknown = 0;
  #checkpointRev: string | null = null;
  /** Patients seen in the pulled changes, so that visits go to patients that exist. */
  readonly #patients: string[] = [];

  constructor(options: SyncClientOptions) {
    this.#options = options;
    this.#db = `/db/${facilityDatabase(options.facilityId)}`;
  }

  #request(path: string, init: { method?: string; body?: unknown } = {}): Promise<Response> {
    return fetch(this.#options.baseUrl + path, {
      method: init.method ?? 'GET',
      headers: {
        cookie: this.#cookie,
        accept: 'application/json',
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: init.body === undefined ? null : JSON.stringify(init.body),
    });
  }

  /** Logs in as the member (`POST /db/_session`); false when that failed (counted as an error). */
  logIn(): Promise<boolean> {
    return this.#options.recorder.time('login', async () => {
      this.#cookie = await logInAt(this.#options.baseUrl, this.#options.account);
      return null;
    });
  }

  /** Runs the pull and push loops until the signal ends them. */
  async sync(): Promise<void> {
    await Promise.all([this.#pullLoop(), this.#pushLoop()]);
  }

  async #pullLoop(): Promise<void> {
    const { recorder, signal } = this.#options;
    let caughtUp = false;
    while (!signal.aborted) {
      let changes: ChangesAnswer | null = null;
      const kind = caughtUp ? 'changes-longpoll' : 'changes';
      const query = caughtUp
        ? `feed=longpoll&timeout=${this.#options.longpollMs ?? 2_000}&style=all_docs`
        : `style=all_docs&limit=${this.#options.pulledBatch ?? 100}`;
      const ok = await recorder.time(kind, async () => {
        const response = await this.#request(
          `${this.#db}/_changes?${query}&since=${encodeURIComponent(String(this.#since))}`,
        );
        if (!response.ok) return problemOf(response);
        changes = (await response.json()) as ChangesAnswer;
        return null;
      });
      if (!ok || changes === null) {
        await sleep(500, signal);
        continue;
      }
      const answer: ChangesAnswer = changes;
      if (answer.results.length > 0) {
        await this.#fetchChanged(answer);
        await this.#checkpoint(answer.last_seq);
      }
      this.#since = answer.last_seq;
      caughtUp = answer.results.length < (this.#options.pulledBatch ?? 100);
    }
  }

  async #fetchChanged(answer: ChangesAnswer): Promise<void> {
    const docs = answer.results.flatMap((result) => result.changes.map(({ rev }) => ({ id: result.id, rev })));
    for (const { id } of docs) {
      if (id.startsWith('patient:') && this.#patients.length < 500) this.#patients.push(id.slice('patient:'.length));
    }
    await this.#options.recorder.time('bulk-get', async () => {
      const response = await this.#request(`${this.#db}/_bulk_get?revs=true&latest=true`, {
        method: 'POST',
        body: { docs },
      });
      if (!response.ok) return problemOf(response);
      const body = (await response.json()) as { results?: { docs: { ok?: unknown; error?: unknown }[] }[] };
      const failed = (body.results ?? []).flatMap((result) => result.docs).find((doc) => doc.error !== undefined);
      return failed ? `a document could not be read: ${JSON.stringify(failed.error)}` : null;
    });
  }

  async #checkpoint(lastSeq: unknown): Promise<void> {
    const id = `_local/bench-${this.#options.account.login}`;
    await this.#options.recorder.time('checkpoint', async () => {
      const response = await this.#request(`${this.#db}/${id}`, {
        method: 'PUT',
        body: { _id: id, ...(this.#checkpointRev ? { _rev: this.#checkpointRev } : {}), last_seq: lastSeq },
      });
      if (!response.ok) return problemOf(response);
      this.#checkpointRev = ((await response.json()) as { rev: string }).rev;
      return null;
    });
  }

  async #pushLoop(): Promise<void> {
    const { recorder, signal, account, pushed } = this.#options;
    const every = this.#options.pushEveryMs ?? 1_000;
    while (!signal.aborted) {
      await sleep(every * (0.5 + Math.random()), signal);
      if (signal.aborted) break;
      const patientId = this.#patients[Math.floor(Math.random() * this.#patients.length)] ?? randomUUID();
      const doc = visitDoc(account, patientId);
      const id = doc._id as string;
      const rev = doc._rev as string;
      let missing = true;
      await recorder.time('revs-diff', async () => {
        const response = await this.#request(`${this.#db}/_revs_diff`, { method: 'POST', body: { [id]: [rev] } });
        if (!response.ok) return problemOf(response);
        missing = id in ((await response.json()) as Record<string, unknown>);
        return null;
      });
      if (!missing) continue;
      await recorder.time('bulk-docs', async () => {
        const response = await this.#request(`${this.#db}/_bulk_docs`, {
          method: 'POST',
          body: { docs: [doc], new_edits: false },
        });
        if (!response.ok) return problemOf(response);
        const refused = ((await response.json()) as { error?: string; reason?: string }[]).find((row) => row.error);
        if (refused) return `refused: ${refused.error ?? ''} ${refused.reason ?? ''}`;
        pushed.push({ db: facilityDatabase(this.#options.facilityId), id, rev });
        return null;
      });
    }
  }
}
