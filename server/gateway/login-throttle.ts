/**
 * Slows password guessing at `POST /db/_session` per (client address, username): the first few failures are
 * free, then each further attempt must wait twice as long (up to 15 minutes). Keyed by the pair, so someone
 * guessing from one address cannot lock a nurse out on her own tablet. A per-address cap stops one address from
 * spraying many usernames. In memory: each gateway instance counts its own attempts.
 */
const WINDOW_MS = 15 * 60_000;
const FREE_FAILURES_PER_PAIR = 5;
const FREE_FAILURES_PER_ADDRESS = 30;
const MAX_WAIT_SECONDS = 15 * 60;

interface Failures {
  times: number[];
}

export class LoginThrottle {
  private readonly pairs = new Map<string, Failures>();
  private readonly addresses = new Map<string, Failures>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Seconds the caller must wait before trying again, or 0. */
  retryAfter(address: string, username: string): number {
    return Math.max(
      this.wait(this.pairs.get(`${address}|${username}`), FREE_FAILURES_PER_PAIR),
      this.wait(this.addresses.get(address), FREE_FAILURES_PER_ADDRESS),
    );
  }

  recordFailure(address: string, username: string): void {
    this.push(this.pairs, `${address}|${username}`);
    this.push(this.addresses, address);
    if (this.pairs.size > 100_000) this.prune();
  }

  recordSuccess(address: string, username: string): void {
    this.pairs.delete(`${address}|${username}`);
  }

  private wait(failures: Failures | undefined, free: number): number {
    if (!failures) return 0;
    const now = this.now();
    const recent = failures.times.filter((time) => now - time < WINDOW_MS);
    failures.times = recent;
    if (recent.length < free) return 0;
    const waitSeconds = Math.min(MAX_WAIT_SECONDS, 2 ** (recent.length - free + 1));
    const last = recent[recent.length - 1] ?? now;
    return Math.max(0, Math.ceil((last + waitSeconds * 1000 - now) / 1000));
  }

  private push(map: Map<string, Failures>, key: string): void {
    const entry = map.get(key) ?? { times: [] };
    entry.times.push(this.now());
    map.set(key, entry);
  }

  private prune(): void {
    const now = this.now();
    for (const map of [this.pairs, this.addresses]) {
      for (const [key, entry] of map) if (entry.times.every((time) => now - time >= WINDOW_MS)) map.delete(key);
    }
  }
}
