/**
 * The gateway's own session cookie. It carries the store's session cookie together with the time the session
 * was opened, signed with the installation's session secret, so that every gateway instance can enforce an
 * absolute lifetime (a working day) on top of the store's sliding timeout without shared memory.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE = 'rp_session';

export interface SealedSession {
  /** The value of the store's `AuthSession` cookie. */
  storeCookie: string;
  /** Milliseconds since the epoch when the user logged in. */
  issuedAt: number;
}

function sign(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

export function sealSession(session: SealedSession, secret: string): string {
  const payload = `${Buffer.from(session.storeCookie, 'utf8').toString('base64url')}.${session.issuedAt}`;
  return `${payload}.${sign(payload, secret)}`;
}

/** The session inside a cookie value, or null when it is malformed or its signature is wrong. */
export function openSession(value: string, secret: string): SealedSession | null {
  const parts = value.split('.');
  if (parts.length !== 3) return null;
  const [cookie, issued, signature] = parts as [string, string, string];
  const expected = Buffer.from(sign(`${cookie}.${issued}`, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  const issuedAt = Number(issued);
  if (!Number.isSafeInteger(issuedAt)) return null;
  return { storeCookie: Buffer.from(cookie, 'base64url').toString('utf8'), issuedAt };
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index < 1) continue;
    const name = part.slice(0, index).trim();
    const value = part.slice(index + 1).trim();
    try {
      cookies[name] = decodeURIComponent(value);
    } catch {
      cookies[name] = value;
    }
  }
  return cookies;
}

export interface CookieOptions {
  secure: boolean;
  /** 0 clears the cookie. */
  maxAgeSeconds: number;
}

/** `HttpOnly; SameSite=Strict; Path=/`, plus `Secure` behind TLS. */
export function serializeSessionCookie(value: string, options: CookieOptions): string {
  const attributes = [
    `${SESSION_COOKIE}=${encodeURIComponent(value)}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`,
  ];
  if (options.secure) attributes.push('Secure');
  return attributes.join('; ');
}

/** The value of the store's AuthSession cookie in its Set-Cookie headers, if any. */
export function storeCookieFrom(setCookie: string[] | string | undefined): string | null {
  const headers = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  for (const header of headers) {
    const match = /^AuthSession=([^;]*)/.exec(header);
    if (match?.[1]) return match[1];
  }
  return null;
}
