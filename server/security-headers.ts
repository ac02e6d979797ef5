/**
 * Security headers on every answer, and the cross-site check on state-changing requests.
 * The CSP allows no inline script; 'wasm-unsafe-eval' is there only because Argon2id (hash-wasm) compiles
 * WebAssembly. Lit styles are constructable stylesheets, which style-src does not govern.
 */
import type { Request, Response, NextFunction } from 'express';
import { ForbiddenError } from './errors.ts';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function securityHeaders(req: Request, res: Response, next: NextFunction): void {
  res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('cross-origin-opener-policy', 'same-origin');
  res.setHeader('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()');
  if (req.secure) res.setHeader('strict-transport-security', 'max-age=31536000');
  next();
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses state-changing requests that a browser marks as coming from another site (Origin or
 * Sec-Fetch-Site), on top of SameSite=Strict cookies. Scripts without these headers are not affected.
 */
export function sameOriginWrites(req: Request, _res: Response, next: NextFunction): void {
  if (SAFE_METHODS.has(req.method)) {
    next();
    return;
  }
  const site = req.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') {
    next(new ForbiddenError('Requests from other sites are refused.'));
    return;
  }
  const origin = req.headers.origin;
  // Behind a trusted proxy the browser's origin is the proxy's public host, which the proxy forwards.
  const forwardedHost = req.app.get('trust proxy') ? req.get('x-forwarded-host')?.split(',')[0]?.trim() : undefined;
  const host = forwardedHost || req.headers.host || '';
  if (origin && origin !== 'null' && origin !== `${req.protocol}://${host}`) {
    next(new ForbiddenError('Requests from other sites are refused.'));
    return;
  }
  if (origin === 'null') {
    next(new ForbiddenError('Requests from other sites are refused.'));
    return;
  }
  next();
}
