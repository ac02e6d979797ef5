/**
 * The network between the test page and the register — the one thing a browser test cannot cut for itself
 * (the page, the test runner's proxy and the register all run on this machine). Its `fetch` is the page's real
 * `fetch` to its own origin, except while offline, when requests fail with `TypeError('Failed to fetch')` as in
 * a browser without a connection; `goOffline`/`goOnline` also send the `offline`/`online` events a window would.
 * It records what the client sent and what came back, and can hold a request until the test releases it.
 * The server itself is always real.
 */

export interface RecordedExchange {
  method: string;
  path: string;
  /** Null until an answer came, and when none came (offline). */
  status: number | null;
  headers: Headers | null;
}

interface Hold {
  method: string;
  path: string;
  arrived: () => void;
  released: Promise<void>;
}

export class SimulatedNetwork {
  readonly exchanges: RecordedExchange[] = [];
  /** Window-like target of `online`/`offline` events, for services that follow connectivity. */
  readonly connectivity = new EventTarget();
  #online = true;
  #draining = false;
  #underWay = 0;
  #whenIdle: Array<() => void> = [];
  #holds: Hold[] = [];

  get online(): boolean {
    return this.#online;
  }

  goOffline(): void {
    this.#online = false;
    this.connectivity.dispatchEvent(new Event('offline'));
  }

  goOnline(): void {
    this.#online = true;
    this.connectivity.dispatchEvent(new Event('online'));
  }

  /**
   * Holds the next `method path` request before it leaves the page: `arrived` resolves when the client sends
   * it, and it goes on to the server only after `release()`.
   */
  holdNext(method: string, path: string): { arrived: Promise<void>; release: () => void } {
    let arrived = (): void => undefined;
    let release = (): void => undefined;
    const arrival = new Promise<void>((resolve) => (arrived = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    this.#holds.push({ method, path, arrived, released });
    return { arrived: arrival, release };
  }

  /** The requests sent so far, as `METHOD /path`. */
  sent(): string[] {
    return this.exchanges.map((exchange) => `${exchange.method} ${exchange.path}`);
  }

  /** Lets no new request out, and resolves once every request under way has its answer (or has failed). */
  drain(): Promise<void> {
    this.#draining = true;
    if (this.#underWay === 0) return Promise.resolve();
    return new Promise((resolve) => this.#whenIdle.push(resolve));
  }

  readonly fetch: typeof fetch = async (input, init = {}) => {
    const request = new Request(input, init);
    const exchange: RecordedExchange = {
      method: request.method,
      path: new URL(request.url).pathname,
      status: null,
      headers: null,
    };
    this.exchanges.push(exchange);
    if (this.#draining) throw new TypeError('Failed to fetch');
    this.#underWay += 1;
    try {
      await this.#waitIfHeld(exchange);
      if (!this.#online) throw new TypeError('Failed to fetch');
      const response = await fetch(request);
      exchange.status = response.status;
      exchange.headers = response.headers;
      return response;
    } finally {
      this.#underWay -= 1;
      if (this.#underWay === 0) for (const resolve of this.#whenIdle.splice(0)) resolve();
    }
  };

  async #waitIfHeld(exchange: RecordedExchange): Promise<void> {
    const hold = this.#holds.find(
      (candidate) => candidate.method === exchange.method && candidate.path === exchange.path,
    );
    if (!hold) return;
    this.#holds = this.#holds.filter((candidate) => candidate !== hold);
    hold.arrived();
    await hold.released;
  }
}
