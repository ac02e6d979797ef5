import { describe, expect, it } from 'vitest';
import { openSession, parseCookies, sealSession, serializeSessionCookie, storeCookieFrom } from './session-cookie.ts';

const secret = 'installation-secret-0123456789';
const session = { storeCookie: 'bmluYTo2NUE3QjQ1MDpkLxyz', issuedAt: 1_790_000_000_000 };

/** Replaces one character of `text` at `index` with a different one of the same alphabet. */
function flipCharacter(text: string, index: number): string {
  const character = text[index] === 'A' ? 'B' : 'A';
  return text.slice(0, index) + character + text.slice(index + 1);
}

describe('session cookie', () => {
  it('opens what it sealed, with the same store cookie and login time', () => {
    expect(openSession(sealSession(session, secret), secret)).toEqual(session);
  });

  it('keeps a store cookie with any characters intact', () => {
    const odd = { storeCookie: 'a.b=c;d é', issuedAt: 5 };
    expect(openSession(sealSession(odd, secret), secret)).toEqual(odd);
  });

  it.each([
    ['the store cookie', 0],
    ['the login time', 1],
    ['the signature', 2],
  ])('refuses a cookie whose %s was changed', (_part, partIndex) => {
    const parts = sealSession(session, secret).split('.');
    parts[partIndex] = flipCharacter(parts[partIndex] ?? '', 0);
    expect(openSession(parts.join('.'), secret)).toBeNull();
  });

  it('refuses a later login time re-signed without the secret', () => {
    const [cookie, , signature] = sealSession(session, secret).split('.');
    expect(openSession(`${cookie}.${Date.now()}.${signature}`, secret)).toBeNull();
  });

  it('refuses a cookie sealed with another installation’s secret', () => {
    expect(openSession(sealSession(session, 'another-secret'), secret)).toBeNull();
  });

  it.each(['', 'abc', 'a.b', 'a.b.c.d', 'x.notanumber.y'])('refuses the malformed value %j', (value) => {
    expect(openSession(value, secret)).toBeNull();
  });

  it('refuses a correctly signed login time that is not a safe whole number of milliseconds', () => {
    expect(openSession(sealSession({ storeCookie: 'c', issuedAt: 1e21 }, secret), secret)).toBeNull();
  });

  it('is written HttpOnly, SameSite=Strict, on the whole site, with its lifetime', () => {
    expect(serializeSessionCookie('v', { secure: false, maxAgeSeconds: 43_200 })).toBe(
      'rp_session=v; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200',
    );
  });

  it('is marked Secure behind TLS', () => {
    expect(serializeSessionCookie('v', { secure: true, maxAgeSeconds: 1 }).split('; ')).toContain('Secure');
  });

  it('is cleared with Max-Age=0, never a negative age', () => {
    expect(serializeSessionCookie('', { secure: false, maxAgeSeconds: -30 })).toContain('Max-Age=0');
  });

  it('reads cookies from a Cookie header, decoding values', () => {
    expect(parseCookies('a=1; rp_session=x%2Ey.z ; broken')).toEqual({ a: '1', rp_session: 'x.y.z' });
  });

  it('finds the store’s AuthSession among its Set-Cookie headers', () => {
    expect(storeCookieFrom(['other=1; Path=/', 'AuthSession=abc123; Version=1; Path=/; HttpOnly'])).toBe('abc123');
    expect(storeCookieFrom('AuthSession=; Path=/')).toBeNull();
    expect(storeCookieFrom(undefined)).toBeNull();
  });
});
