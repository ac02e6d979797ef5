/**
 * What a browser gives the app's HTTP clients, in Node: a `fetch` on the register's origin that sends the session
 * cookie the gateway set (`rp_session`, HttpOnly in a browser) and keeps the new one when a login answers with it.
 * With it the demo runs the app's own clients (`ApiClient`, `HttpAdminApi`) unchanged, one "browser" per member.
 */
import { ApiClient } from '../../client/http/api-client.ts';
import { HttpAdminApi } from '../../client/admin/http-admin-api.ts';

const SESSION_COOKIE = 'rp_session';

export class BrowserSession {
  readonly baseUrl: string;
  #cookie: string | null = null;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  /** `rp_session=…` as the browser would send it, or null before a login. */
  get cookie(): string | null {
    return this.#cookie;
  }

  readonly fetch: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers);
    if (this.#cookie) headers.set('cookie', this.#cookie);
    const response = await fetch(`${this.baseUrl}${String(input)}`, { ...init, headers });
    for (const header of response.headers.getSetCookie()) {
      if (header.startsWith(`${SESSION_COOKIE}=`)) {
        const pair = header.split(';')[0] ?? '';
        this.#cookie = pair === `${SESSION_COOKIE}=` ? null : pair;
      }
    }
    return response;
  };

  /** The session calls of the app (config, login, own user document, own credentials). */
  api(): ApiClient {
    return new ApiClient(this.fetch);
  }

  /** The administrator's calls of the app. */
  adminApi(): HttpAdminApi {
    return new HttpAdminApi(this.fetch);
  }
}
