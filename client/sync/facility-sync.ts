/**
 * Replication of one facility database between this device and the server, that users can trust (ARCHITECTURE.md,
 * "Sync that users can trust"):
 *
 * - a visible state: connecting, up to date (since when), N local changes waiting, offline since, or the last error;
 * - **refused writes are never dropped.** Measured on the embedded store: a push reports a refused document once
 *   (`denied`) and then moves its checkpoint past it. So this module keeps its own list in `_local/refused-writes`
 *   (local documents never replicate), with the server's reason, and checks with `_revs_diff` that every leaf
 *   revision the device holds is really on the server; what is missing and not known as refused is pushed again by
 *   id. A refused document that was corrected leaves the list once the server holds its current revision;
 * - **conflicts** (two offline edits of one document) are listed; a person picks the version to keep, and each
 *   losing revision is copied into a `conflict-resolved` audit event before it is deleted — no revision is lost
 *   until then;
 * - design documents (local find indexes) never replicate, in either direction;
 * - **a restored server is noticed.** The device remembers in `_local/sync-generation` the server's store generation
 *   (server/store-generation.ts) its checkpoints belong to. PouchDB resumes a push from the device's own checkpoint
 *   whenever both sides carry the same replication session — after a restore the server's copy is older but has
 *   the same session, so what was written between the backup and the restore would never be uploaded again. When
 *   the published generation differs (checked at start, at every "sync now", whenever the server answers again
 *   after a failed request, and every few minutes by the facility service), the checkpoints are not trusted:
 *   `_revs_diff` over every leaf the device holds, and what the server lacks is pushed again by id without a
 *   checkpoint; only then is the new generation remembered.
 *
 * PouchDB is passed in (local and remote databases), so tests run it against the real register.
 */
import type { Database, ExistingDocument, ReplicationEmitter } from 'pouchdb-browser/lib/index.es.js';

export interface RefusedWrite {
  id: string;
  /** The revision the server refused. */
  rev: string;
  /** The server's reason, as it gave it (the design document's message). */
  reason: string;
  at: string;
}

export type FacilitySyncKind = 'stopped' | 'connecting' | 'up-to-date' | 'pending' | 'offline' | 'error';

export interface FacilitySyncState {
  facilityId: string;
  kind: FacilitySyncKind;
  /** Local changes not yet confirmed on the server. */
  pending: number;
  /** When it was last up to date. */
  upToDateAt: number | null;
  /** Since when the server cannot be reached. */
  offlineSince: number | null;
  lastError: string | null;
  refused: readonly RefusedWrite[];
  /** Documents with conflicting revisions, waiting for a person to choose. */
  conflicts: readonly string[];
}

export interface FacilitySyncOptions {
  facilityId: string;
  /** The signed-in member: the author of `conflict-resolved` audit events. */
  login: string;
  local: Database;
  remote: Database;
  now?: () => number;
  /** A random device label for audit events (never a name). */
  device?: string;
  /** The server's store generation (client/sync/store-generation.ts); null when it cannot be asked. */
  storeGeneration?: () => Promise<string | null>;
  /** The wait before live replication retries, given the last wait (default: 1 s doubling up to 30 s). */
  backOff?: (delay: number) => number;
}

const REFUSED_DOC = '_local/refused-writes';
const GENERATION_DOC = '_local/sync-generation';
const REVS_DIFF_BATCH = 500;
/**
 * Documents per pull batch (one `_changes` page, one `_bulk_get`, one local write, one checkpoint). A first sync
 * of 10,000 documents took 9.9 s in batches of 100 and 4.3 s in batches of 1,000 (`npm run bench -- --only sync`):
 * the cost is per batch more than per document. Pushes stay at 100: a device rarely has more waiting, and the
 * server validates every document of a batch before it answers.
 */
export const PULL_BATCH_SIZE = 1000;
const PUSH_BATCH_SIZE = 100;

function notDesign(doc: { _id: string }): boolean {
  return !doc._id.startsWith('_design/');
}

function statusOf(error: unknown): number | null {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status > 0 ? status : null;
}

function reasonOf(error: unknown): string {
  const fields = (error ?? {}) as { reason?: unknown; message?: unknown; name?: unknown };
  for (const value of [fields.reason, fields.message, fields.name])
    if (typeof value === 'string' && value) return value;
  return 'refused';
}

function idOf(error: unknown): string | null {
  const id = (error as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : null;
}

/**
 * @fires change - after the state changed
 */
export class FacilitySync extends EventTarget {
  readonly facilityId: string;
  readonly #login: string;
  readonly #local: Database;
  readonly #remote: Database;
  readonly #now: () => number;
  readonly #device: string | undefined;
  readonly #storeGeneration: (() => Promise<string | null>) | undefined;
  readonly #backOff: (delay: number) => number;
  #checkingGeneration: Promise<void> | null = null;
  /** Live replication is wanted (between start and stop); a first pull still running goes live only then. */
  #wantLive = false;
  #firstPull: Promise<void> | null = null;
  /** The live directions whose last request failed: the state reads up to date only when neither has. */
  readonly #failing = new Set<'push' | 'pull'>();
  /** The server failed to answer since the last successful round: check its generation when it answers again. */
  #unreachable = false;
  #push: ReplicationEmitter | null = null;
  #pull: ReplicationEmitter | null = null;
  #state: FacilitySyncState;
  /** The local sequence up to which the push has handed documents to the server. */
  #pushedSeq: number | string = 0;
  #verifying: Promise<void> | null = null;

  constructor(options: FacilitySyncOptions) {
    super();
    this.facilityId = options.facilityId;
    this.#login = options.login;
    this.#local = options.local;
    this.#remote = options.remote;
    this.#now = options.now ?? Date.now;
    this.#device = options.device;
    this.#storeGeneration = options.storeGeneration;
    this.#backOff = options.backOff ?? backOff;
    this.#state = {
      facilityId: options.facilityId,
      kind: 'stopped',
      pending: 0,
      upToDateAt: null,
      offlineSince: null,
      lastError: null,
      refused: [],
      conflicts: [],
    };
  }

  get state(): FacilitySyncState {
    return this.#state;
  }

  /**
   * Starts live replication in both directions (the facility in use). On this device's first sync of the facility
   * (an empty database) it first pulls once, as `syncNow` does, and only then goes live: started live at once,
   * the push would offer every document back to the server while the pull writes it.
   */
  async start(): Promise<void> {
    this.#wantLive = true;
    if (this.#push || this.#firstPull) return;
    this.#set({ kind: 'connecting', refused: await this.#readRefused() });
    const empty = (await this.#local.info()).update_seq === 0;
    if (this.#push || this.#firstPull || !this.#wantLive) return;
    if (empty) {
      this.#firstPull = this.syncNow()
        .finally(() => (this.#firstPull = null))
        .then(() => {
          if (this.#wantLive) this.#goLive();
        });
      return;
    }
    this.#goLive();
  }

  #goLive(): void {
    if (this.#push) return;
    this.#failing.clear();
    const options = { live: true, retry: true, filter: notDesign, back_off_function: this.#backOff };
    this.#push = this.#local.replicate.to(this.#remote, { ...options, batch_size: PUSH_BATCH_SIZE });
    this.#pull = this.#local.replicate.from(this.#remote, { ...options, batch_size: PULL_BATCH_SIZE });
    this.#watch(this.#push, 'push');
    this.#watch(this.#pull, 'pull');
    void this.checkGeneration().catch(() => undefined);
  }

  /** Restarts live replication now (when it runs), instead of after the back-off of its retries. */
  async reconnect(): Promise<void> {
    if (!this.#push) return;
    this.stop();
    await this.start();
  }

  stop(): void {
    this.#wantLive = false;
    this.#push?.cancel();
    this.#pull?.cancel();
    this.#push = null;
    this.#pull = null;
    this.#set({ kind: 'stopped' });
  }

  /**
   * One full round now: pull, push, then check with `_revs_diff` what the server really holds, push again by id
   * what it lacks, and refresh the refused and conflict lists. Used by "sync now" and for facilities that are not
   * in use (replicated in turns).
   */
  async syncNow(): Promise<FacilitySyncState> {
    try {
      const generation = await this.#changedGeneration();
      const before = (await this.#local.info()).update_seq;
      const pulled = await settle(
        this.#local.replicate.from(this.#remote, { batch_size: PULL_BATCH_SIZE, filter: notDesign }),
      );
      const after = (await this.#local.info()).update_seq;
      if (before === 0 && after === pulled.docs_written) {
        // A first sync into an empty database, with nothing written here meanwhile: every revision came from the
        // server, so there is nothing to push or to check — a push from the start would offer every pulled document
        // back with `_revs_diff` (a third of a first sync's time). The push checkpoint is written at the current
        // sequence instead (PouchDB's `since`, on both sides); the live push resumes from there.
        await settle(
          this.#local.replicate.to(this.#remote, { batch_size: PUSH_BATCH_SIZE, filter: notDesign, since: after }),
        );
        this.#pushedSeq = after;
        await this.#countPending();
        await this.#refreshConflicts();
      } else {
        await this.#pushOnce();
        await this.verify();
      }
      if (generation !== null) await this.#writeGeneration(generation);
      this.#set({ kind: this.#state.pending > 0 ? 'pending' : 'up-to-date', upToDateAt: this.#now(), lastError: null });
    } catch (error) {
      this.#failed(error);
    }
    return this.#state;
  }

  /** Checks every leaf revision on this device against the server; pushes again what is missing. */
  verify(): Promise<void> {
    this.#verifying ??= this.#verify().finally(() => (this.#verifying = null));
    return this.#verifying;
  }

  /**
   * Asks the server for its store generation; when it is not the one this device's checkpoints belong to, checks
   * every leaf revision with `_revs_diff`, pushes what the server lacks, and then remembers the new generation.
   * Rejects (and remembers nothing) when the server cannot be reached, so the next check does it again.
   */
  checkGeneration(): Promise<void> {
    this.#checkingGeneration ??= (async () => {
      const generation = await this.#changedGeneration();
      if (generation === null) return;
      await this.verify();
      await this.#writeGeneration(generation);
    })().finally(() => (this.#checkingGeneration = null));
    return this.#checkingGeneration;
  }

  /** The server's generation when it differs from the remembered one; null when unchanged or unknown. */
  async #changedGeneration(): Promise<string | null> {
    const current = (await this.#storeGeneration?.()) ?? null;
    if (current === null) return null;
    const known = await this.#local.get(GENERATION_DOC).then(
      (doc) => (typeof doc.generation === 'string' ? doc.generation : null),
      () => null,
    );
    return known === current ? null : current;
  }

  async #writeGeneration(generation: string): Promise<void> {
    const rev = await this.#local.get(GENERATION_DOC).then(
      (doc) => doc._rev,
      () => undefined,
    );
    await this.#local.put({ _id: GENERATION_DOC, ...(rev ? { _rev: rev } : {}), generation });
  }

  /** Pushes one refused document again (after it was corrected); resolves with whether the server took it. */
  async resend(id: string): Promise<boolean> {
    await this.#pushOnce([id]);
    await this.verify();
    return !this.#state.refused.some((entry) => entry.id === id);
  }

  /** The revisions of a document in conflict: the current winner first, then the others. */
  async conflictingVersions(id: string): Promise<ExistingDocument[]> {
    const current = await this.#local.get(id, { conflicts: true });
    const others = (current._conflicts as string[] | undefined) ?? [];
    const versions = [current];
    for (const rev of others) versions.push(await this.#local.get(id, { rev }));
    return versions;
  }

  /**
   * Keeps revision `keepRev` of a document in conflict (optionally replaced by `merged`, a person's merge of the
   * versions): each other leaf is first copied into a `conflict-resolved` audit event, then deleted.
   */
  async resolveConflict(id: string, keepRev: string, merged?: Record<string, unknown>): Promise<void> {
    const versions = await this.conflictingVersions(id);
    const keep = versions.find((version) => version._rev === keepRev);
    if (!keep) throw new Error(`"${id}" has no revision ${keepRev}.`);
    for (const losing of versions.filter((version) => version._rev !== keepRev)) {
      const at = new Date(this.#now()).toISOString();
      await this.#local.put({
        _id: `audit:${this.#login}:${at}:${crypto.randomUUID()}`,
        type: 'audit',
        action: 'conflict-resolved',
        docId: id,
        rev: losing._rev,
        at,
        ...(this.#device ? { device: this.#device } : {}),
        losing: withoutMeta(losing),
        createdBy: this.#login,
        createdAt: at,
      });
      await this.#local.remove(id, losing._rev);
    }
    if (merged) {
      const current = await this.#local.get(id);
      await this.#local.put({ ...merged, _id: id, _rev: current._rev });
    }
    await this.#refreshConflicts();
  }

  #watch(replication: ReplicationEmitter, direction: 'push' | 'pull'): void {
    const current = (listener: (arg?: unknown) => void) => (arg?: unknown) => {
      if (this.#push === replication || this.#pull === replication) listener(arg);
    };
    replication.on(
      'change',
      current((info) => {
        const lastSeq = (info as { last_seq?: number | string } | null)?.last_seq;
        if (direction === 'push' && lastSeq !== undefined) this.#pushedSeq = lastSeq;
        void this.#countPending();
        if (direction === 'pull') void this.#refreshConflicts();
      }),
    );
    replication.on(
      'paused',
      current((error) => {
        if (error) {
          this.#failing.add(direction);
          this.#failed(error);
          return;
        }
        this.#failing.delete(direction);
        // The server is back after being unreachable: it may have been restored from a backup meanwhile. (The state
        // may already read "connecting" — replication reports itself active before it pauses — so a flag is kept.)
        if (this.#unreachable) {
          this.#unreachable = false;
          void this.checkGeneration().catch(() => (this.#unreachable = true));
        }
        void this.#countPending().then(() => {
          // The other direction still cannot reach the server (or failed meanwhile): not up to date.
          if (this.#failing.size > 0) return;
          this.#set({
            kind: this.#state.pending > 0 ? 'pending' : 'up-to-date',
            upToDateAt: this.#state.pending > 0 ? this.#state.upToDateAt : this.#now(),
            offlineSince: null,
            lastError: null,
          });
        });
      }),
    );
    // Every failed request, also while the replication is already waiting to retry: PouchDB reports `paused` with
    // the error only for the first failure after it was running, so a second outage that began before this
    // replication recovered from the first (the other direction may have cleared the flag meanwhile) is seen only
    // here — and a store restored during it must still be checked.
    replication.on(
      'requestError',
      current((error) => {
        this.#failing.add(direction);
        if (isUnreachable(error)) this.#unreachable = true;
      }),
    );
    replication.on(
      'active',
      current(() => {
        const otherFails = this.#failing.has(direction === 'push' ? 'pull' : 'push');
        if (otherFails) return;
        if (this.#state.kind === 'offline' || this.#state.kind === 'stopped') this.#set({ kind: 'connecting' });
      }),
    );
    replication.on(
      'denied',
      current((error) => void this.#recordRefusal(error)),
    );
    replication.on(
      'error',
      current((error) => {
        this.#failing.add(direction);
        this.#failed(error);
      }),
    );
  }

  async #pushOnce(docIds?: string[]): Promise<void> {
    const denied: unknown[] = [];
    const push = this.#local.replicate.to(this.#remote, {
      batch_size: PUSH_BATCH_SIZE,
      filter: notDesign,
      ...(docIds ? { doc_ids: docIds, checkpoint: false } : {}),
    });
    push.on('denied', (error) => denied.push(error));
    const info = await settle(push);
    if (!docIds && info.last_seq !== undefined) this.#pushedSeq = info.last_seq;
    for (const error of denied) await this.#recordRefusal(error);
  }

  async #recordRefusal(error: unknown): Promise<void> {
    const id = idOf(error);
    if (!id) return;
    const rev = await this.#local.get(id).then(
      (doc) => doc._rev,
      () => null,
    );
    // The document is gone locally: nothing to keep.
    if (rev === null) return;
    const entry: RefusedWrite = { id, rev, reason: reasonOf(error), at: new Date(this.#now()).toISOString() };
    const refused = [...this.#state.refused.filter((known) => known.id !== id), entry];
    await this.#writeRefused(refused);
    this.#set({ refused });
  }

  async #verify(): Promise<void> {
    const leaves = await this.#local.changes({ since: 0, style: 'all_docs' });
    const rows = leaves.results.filter((row) => !row.id.startsWith('_design/'));
    const missing = new Map<string, string[]>();
    for (let start = 0; start < rows.length; start += REVS_DIFF_BATCH) {
      const diff: Record<string, string[]> = {};
      for (const row of rows.slice(start, start + REVS_DIFF_BATCH)) diff[row.id] = row.changes.map((c) => c.rev);
      const answer = await this.#remote.revsDiff(diff);
      for (const [id, { missing: revs }] of Object.entries(answer)) if (revs.length > 0) missing.set(id, revs);
    }
    // Refused entries the server now holds (corrected and resent, or accepted after all) leave the list.
    let refused = this.#state.refused.filter((entry) => missing.has(entry.id));
    const known = new Set(refused.map((entry) => entry.id));
    const unexplained = [...missing.keys()].filter((id) => !known.has(id));
    if (unexplained.length > 0) {
      // The checkpoint cannot be trusted for these (a push that moved past them, or a server restored from an
      // older backup): push them again by id; what the server refuses now is recorded as refused.
      await this.#pushOnce(unexplained);
      refused = this.#state.refused.filter((entry) => missing.has(entry.id));
    }
    await this.#writeRefused(refused);
    this.#set({ refused });
    await this.#countPending();
    await this.#refreshConflicts();
  }

  async #countPending(): Promise<void> {
    const changes = await this.#local.changes({ since: this.#pushedSeq, limit: 10_000 });
    const refusedIds = new Set(this.#state.refused.map((entry) => entry.id));
    const pending = changes.results.filter((row) => !row.id.startsWith('_design/') && !refusedIds.has(row.id));
    if (pending.length !== this.#state.pending) this.#set({ pending: pending.length });
  }

  async #refreshConflicts(): Promise<void> {
    const all = await this.#local.allDocs({ include_docs: true, conflicts: true });
    const conflicts = all.rows
      .filter((row) => Array.isArray(row.doc?._conflicts) && (row.doc._conflicts as unknown[]).length > 0)
      .map((row) => row.id);
    if (conflicts.join('\n') !== this.#state.conflicts.join('\n')) this.#set({ conflicts });
  }

  async #readRefused(): Promise<RefusedWrite[]> {
    try {
      const doc = await this.#local.get(REFUSED_DOC);
      return Array.isArray(doc.refused) ? (doc.refused as RefusedWrite[]) : [];
    } catch {
      return [];
    }
  }

  async #writeRefused(refused: readonly RefusedWrite[]): Promise<void> {
    const rev = await this.#local.get(REFUSED_DOC).then(
      (doc) => doc._rev,
      () => undefined,
    );
    await this.#local.put({ _id: REFUSED_DOC, ...(rev ? { _rev: rev } : {}), refused: [...refused] });
  }

  #failed(error: unknown): void {
    if (isUnreachable(error)) {
      this.#unreachable = true;
      if (this.#state.kind !== 'offline') this.#set({ kind: 'offline', offlineSince: this.#now() });
      return;
    }
    this.#set({ kind: 'error', lastError: reasonOf(error) });
  }

  #set(change: Partial<FacilitySyncState>): void {
    this.#state = { ...this.#state, ...change };
    this.dispatchEvent(new Event('change'));
  }
}

/** A failure that says nothing about the request itself: no answer at all, or the server failing. */
function isUnreachable(error: unknown): boolean {
  const status = statusOf(error);
  return status === null || status >= 500;
}

/** Reconnect quickly at first, then at most every 30 seconds. */
function backOff(delay: number): number {
  return delay === 0 ? 1000 : Math.min(delay * 2, 30_000);
}

/** Waits for a one-shot replication to finish; rejects with its error. */
function settle(replication: ReplicationEmitter): Promise<{ last_seq?: number | string; docs_written?: number }> {
  return new Promise((resolve, reject) => {
    replication.on('complete', (info) =>
      resolve((info ?? {}) as { last_seq?: number | string; docs_written?: number }),
    );
    replication.on('error', (error) => reject(error instanceof Error ? error : new Error(reasonOf(error))));
  });
}

/** A losing revision as kept in the audit event: the document without its revision bookkeeping. */
function withoutMeta(doc: ExistingDocument): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(doc)) {
    if (key === '_rev' || key === '_conflicts' || key === '_revisions') continue;
    copy[key] = value;
  }
  return copy;
}
