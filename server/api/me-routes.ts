/**
 * `POST /api/me/credentials`: the only way a user changes their own password (authKey) and key material.
 * `_users` is read-only from the browser, so this route writes exactly these fields and nothing else — no roles,
 * no status — after checking the current authKey once more.
 */
import express, { type Router } from 'express';
import type { StoreClient } from '../store-client.ts';
import type { SessionResolver } from '../gateway/session-resolver.ts';
import { isAuthKey } from '../../common/auth-derivation.ts';
import { BadRequestError, TooManyRequestsError, UnauthorizedError } from '../errors.ts';
import type { LoginThrottle } from '../gateway/login-throttle.ts';
import { userDocId, writeAuditEvent, type UserDoc } from '../../couch/provision.ts';
import { writeStaffEntry } from '../admin/staff-actions.ts';
import type { SessionLocals } from '../gateway/gateway.ts';
import type { RequestHandler } from 'express';

export interface KeyMaterial {
  /** ECDH P-256 public key as a JWK (no private part). */
  publicKey: { kty: 'EC'; crv: 'P-256'; x: string; y: string };
  /** The private key encrypted under muk: AES-GCM, base64url iv and ciphertext. */
  encryptedPrivateKey: { iv: string; ct: string };
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** Validates key material field by field; throws BadRequestError naming the field. */
export function parseKeyMaterial(value: unknown): KeyMaterial {
  const material = value as Partial<KeyMaterial> | null;
  const jwk = material?.publicKey as Record<string, unknown> | undefined;
  if (!jwk || typeof jwk !== 'object')
    throw new BadRequestError('"keys.publicKey" must be an EC P-256 public key (JWK).');
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256')
    throw new BadRequestError('"keys.publicKey" must be an EC P-256 public key (JWK).');
  if (typeof jwk.x !== 'string' || typeof jwk.y !== 'string' || !BASE64URL.test(jwk.x) || !BASE64URL.test(jwk.y)) {
    throw new BadRequestError('"keys.publicKey.x" and "keys.publicKey.y" must be base64url.');
  }
  if ('d' in jwk) throw new BadRequestError('"keys.publicKey" must not contain the private part "d".');
  const sealed = material?.encryptedPrivateKey as Record<string, unknown> | undefined;
  if (
    !sealed ||
    typeof sealed.iv !== 'string' ||
    typeof sealed.ct !== 'string' ||
    !BASE64URL.test(sealed.iv) ||
    !BASE64URL.test(sealed.ct)
  ) {
    throw new BadRequestError('"keys.encryptedPrivateKey" must be {iv, ct} in base64url.');
  }
  if (sealed.ct.length > 4096) throw new BadRequestError('"keys.encryptedPrivateKey.ct" is too long.');
  return {
    publicKey: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y },
    encryptedPrivateKey: { iv: sealed.iv, ct: sealed.ct },
  };
}

/**
 * Wrong current passwords are counted by the same throttle as logins, so this route cannot be used to guess the
 * password of a session left open on a device.
 */
export function createMeRoutes(
  store: StoreClient,
  resolver: SessionResolver,
  session: RequestHandler,
  throttle: LoginThrottle,
): Router {
  const router = express.Router();

  router.post('/credentials', session, express.json({ limit: '32kb' }), async (req, res, next) => {
    try {
      const { user } = res.locals.session as SessionLocals;
      const body = (req.body ?? {}) as { currentAuthKey?: unknown; newAuthKey?: unknown; keys?: unknown };
      if (!isAuthKey(body.currentAuthKey))
        throw new BadRequestError('"currentAuthKey" must be the authKey of the current password.');
      if (!isAuthKey(body.newAuthKey))
        throw new BadRequestError('"newAuthKey" must be an authKey (43 base64url characters).');
      if (body.newAuthKey === body.currentAuthKey)
        throw new BadRequestError('"newAuthKey": the new password must differ from the current one.');
      const keys = body.keys === undefined ? null : parseKeyMaterial(body.keys);
      const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
      const wait = throttle.retryAfter(address, user.name);
      if (wait > 0) throw new TooManyRequestsError(`Too many failed attempts; try again in ${wait} s.`, wait);
      const check = await fetch(`${store.baseUrl}/_session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: user.name, password: body.currentAuthKey }),
      });
      if (check.status !== 200) {
        throttle.recordFailure(address, user.name);
        throw new UnauthorizedError('The current password is not correct.');
      }
      throttle.recordSuccess(address, user.name);
      const newAuthKey = body.newAuthKey;
      const at = new Date().toISOString();
      const written: { doc?: UserDoc; pins?: unknown } = {};
      await store.upsert<UserDoc>('_users', userDocId(user.name), (current) => {
        if (!current) throw new UnauthorizedError('The account no longer exists.');
        // The enrolment pins are for the first login only (common/keys/enrolment-pins.ts): dropped here and handed
        // to the device in the answer, which checks them with the one-time password it just replaced.
        const { enrolmentPins, ...rest } = current;
        written.pins = enrolmentPins;
        written.doc = {
          ...rest,
          password: newAuthKey,
          mustChangePassword: false,
          passwordChangedAt: at,
          ...(keys ? { publicKey: keys.publicKey, encryptedPrivateKey: keys.encryptedPrivateKey } : {}),
        };
        return written.doc;
      });
      resolver.invalidateUser(user.name);
      // Colleagues (and the administrator who confirms key pairs) find the new public key in the staff directory.
      if (keys && written.doc) await writeStaffEntry({ store, resolver, by: user.name }, written.doc, at);
      await writeAuditEvent(store, user.name, 'credentials-changed', { keys: keys !== null });
      res.json({ ok: true, ...(written.pins === undefined ? {} : { enrolmentPins: written.pins }) });
    } catch (error) {
      next(error);
    }
  });
  return router;
}
