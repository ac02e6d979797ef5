/**
 * Resolves a store session cookie to the caller (name, roles, state of the account) once, and caches it briefly.
 * An account change seen in `_users` (disabled, roles changed, password changed) drops the cached context and
 * closes that user's open feeds at once (see UserWatcher).
 */
import type { StoreClient } from '../store-client.ts';
import type { UserDoc } from '../../couch/provision.ts';
import { userDocId } from '../../couch/provision.ts';
import { StoreUnavailableError } from '../errors.ts';
import { createHash } from 'node:crypto';

import { SETTINGS_DB } from '../../couch/databases.ts';

/** Where ended logins are remembered, so every gateway instance refuses a copied cookie after logout. */
const REVOKED_DB = SETTINGS_DB;

export interface ResolvedUser {
  name: string;
  roles: string[];
  mustChangePassword: boolean;
  displayName: string;
}

const CACHE_MS = 15_000;

export class SessionResolver {
  private readonly cache = new Map<string, { user: ResolvedUser | null; until: number }>();
  private readonly feeds = new Map<string, Set<() => void>>();
  /** Counts account changes, so a lookup that overlapped one does not cache a stale answer. */
  private invalidations = 0;
  private readonly revocations = new Map<string, { revoked: boolean; until: number }>();

  constructor(
    private readonly store: StoreClient,
    private readonly now: () => number = Date.now,
  ) {}

  /** The user behind a store session cookie, or null when the session is not valid or the account is disabled. */
  async resolve(storeCookie: string): Promise<ResolvedUser | null> {
    const cached = this.cache.get(storeCookie);
    if (cached && cached.until > this.now()) return cached.user;
    const generation = this.invalidations;
    const user = await this.lookup(storeCookie);
    // An account changed while this lookup was under way: its answer may predate the change, so it is not kept.
    if (generation !== this.invalidations) return user;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(storeCookie, { user, until: this.now() + CACHE_MS });
    return user;
  }

  /** The user of one login (a store cookie and its login time), or null when it ended, was revoked or is disabled. */
  async resolveLogin(storeCookie: string, issuedAt: number): Promise<ResolvedUser | null> {
    const user = await this.resolve(storeCookie);
    if (!user || (await this.isRevoked(user.name, issuedAt))) return null;
    return user;
  }

  /**
   * An unreachable or failing store is not an ended session: it throws StoreUnavailableError (503, nothing cached),
   * so a store restart neither clears the browser's cookie nor locks the user out until the cache expires.
   */
  private async lookup(storeCookie: string): Promise<ResolvedUser | null> {
    let response: Response;
    try {
      response = await fetch(`${this.store.baseUrl}/_session`, {
        headers: { cookie: `AuthSession=${storeCookie}`, accept: 'application/json' },
      });
    } catch {
      throw new StoreUnavailableError();
    }
    if (response.status >= 500) throw new StoreUnavailableError();
    if (response.status !== 200) return null;
    const session = (await response.json()) as { userCtx?: { name?: unknown } };
    const name = session.userCtx?.name;
    if (typeof name !== 'string') return null;
    return this.userByName(name);
  }

  /** The account as stored in `_users`, or null when it is missing or disabled. */
  async userByName(name: string): Promise<ResolvedUser | null> {
    const doc = await this.store.getDoc<UserDoc>('_users', userDocId(name));
    if (!doc || doc.status === 'disabled') return null;
    return {
      name: doc.name,
      roles: Array.isArray(doc.roles) ? doc.roles.filter((role): role is string => typeof role === 'string') : [],
      mustChangePassword: doc.mustChangePassword === true,
      displayName: typeof doc.displayName === 'string' ? doc.displayName : doc.name,
    };
  }

  /**
   * Ends one login for good: the store's sessions are signed, not stored, so without this a copy of the cookie
   * would keep working after logout until the store's timeout. A login is named by user and login time, which
   * stay the same when the store refreshes its cookie.
   */
  async revoke(name: string, issuedAt: number, untilMs: number): Promise<void> {
    const id = revocationId(name, issuedAt);
    this.revocations.set(id, { revoked: true, until: untilMs });
    await this.store.request('PUT', `/${REVOKED_DB}/${id}`, {
      type: 'revoked-session',
      until: new Date(untilMs).toISOString(),
    });
  }

  /** Whether this login was ended by a logout (checked in the store at most every 15 s per login). */
  async isRevoked(name: string, issuedAt: number): Promise<boolean> {
    const id = revocationId(name, issuedAt);
    const known = this.revocations.get(id);
    if (known && (known.revoked || known.until > this.now())) return known.revoked;
    const result = await this.store.request('GET', `/${REVOKED_DB}/${id}`);
    if (result.status >= 500) throw new StoreUnavailableError();
    const revoked = result.status === 200;
    if (this.revocations.size > 10_000) this.revocations.clear();
    this.revocations.set(id, { revoked, until: revoked ? Number.MAX_SAFE_INTEGER : this.now() + CACHE_MS });
    return revoked;
  }

  /** Keeps a way to end an open feed of this user; returns a function that forgets it. */
  trackFeed(name: string, close: () => void): () => void {
    const set = this.feeds.get(name) ?? new Set();
    set.add(close);
    this.feeds.set(name, set);
    return () => {
      set.delete(close);
      if (set.size === 0) this.feeds.delete(name);
    };
  }

  /** Forgets every cached session of this user and closes the user's open feeds. */
  invalidateUser(name: string): void {
    this.invalidations += 1;
    for (const [cookie, entry] of this.cache)
      if (entry.user?.name === name || entry.user === null) this.cache.delete(cookie);
    const feeds = this.feeds.get(name);
    if (feeds) for (const close of [...feeds]) close();
  }

  openFeeds(): number {
    let count = 0;
    for (const set of this.feeds.values()) count += set.size;
    return count;
  }
}

/**
 * Follows `_users/_changes` as the server admin and invalidates a user's sessions as soon as the account
 * document changes — whichever gateway instance or tool changed it.
 */
export class UserWatcher {
  private readonly abort = new AbortController();
  private since = 'now';

  constructor(
    private readonly store: StoreClient,
    private readonly resolver: SessionResolver,
    private readonly log: (line: string) => void,
  ) {}

  start(): void {
    void this.loop();
  }

  stop(): void {
    this.abort.abort();
  }

  private async loop(): Promise<void> {
    while (!this.abort.signal.aborted) {
      try {
        const result = await this.store.request<{ results?: { id: string }[]; last_seq?: unknown }>(
          'GET',
          `/_users/_changes?feed=longpoll&timeout=30000&since=${encodeURIComponent(this.since)}`,
          undefined,
          this.abort.signal,
        );
        if (result.status !== 200) throw new Error(`status ${result.status}`);
        for (const change of result.body.results ?? []) {
          if (change.id.startsWith('org.couchdb.user:'))
            this.resolver.invalidateUser(change.id.slice('org.couchdb.user:'.length));
        }
        if (result.body.last_seq !== undefined) this.since = String(result.body.last_seq);
      } catch (error) {
        if (this.abort.signal.aborted) return;
        this.log(`watching _users failed (${error instanceof Error ? error.message : String(error)}); retrying`);
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
  }
}

function revocationId(name: string, issuedAt: number): string {
  return `revoked-session:${createHash('sha256').update(`${name}|${issuedAt}`).digest('hex')}`;
}
