/**
 * Pinning the facility signing keys at enrolment (ARCHITECTURE.md, "Nothing unsigned is trusted": the signing key's
 * public key "is pinned inside each member's muk-encrypted material at enrolment").
 *
 * The one-time password printed on the enrolment slip is the only secret the administrator and the new member share
 * that the store never sees: the server receives the `authKey` derived from it, never the `muk` derived from it.
 * So the administrator's browser authenticates the signing public keys of the member's facilities with an HMAC under
 * a key derived from the one-time password's `muk`:
 *
 *   key  = HKDF-SHA256(muk(one-time password), empty salt, info "palliative-register/v1|enrolment-pins", 32 bytes)
 *   data = length-prefixed UTF-8 fields: "enrolment-pins", login, then for each facility in sorted order its id,
 *          and the x and y of its signing public key
 *   mac  = base64url(HMAC-SHA256(key, data))
 *
 * and stores `{v: 1, login, keys, mac}` in the member's `_users` document. At first login the member's device, which
 * derives the same `muk` from the typed one-time password, checks the MAC and pins exactly those keys into its key
 * ring (sealed under the member's own `muk` afterwards). Whoever can write `_users` cannot forge pins without the
 * slip, so a key copy signed with a substituted signing key is refused from the first login on. Nothing derived from
 * the one-time password stays useful: the server drops the pins when the member chooses their own password.
 */
import { PROTOCOL_LABEL, type Bytes, decodeBase64Url, encodeBase64Url, lengthPrefixed } from './encoding.ts';
import { canonicalJwk, isEcPublicKeyJwk, type EcPublicKeyJwk } from './jwk.ts';
import { isFacilityId } from '../roles.ts';

export interface EnrolmentPins {
  v: 1;
  login: string;
  /** Facility id → the facility's signing public key. */
  keys: Record<string, EcPublicKeyJwk>;
  mac: string;
}

/** The pins are missing their MAC, do not verify, or name another login. */
export class EnrolmentPinsError extends Error {
  override name = 'EnrolmentPinsError';
}

const MAC_LENGTH = 32;

export function isEnrolmentPins(value: unknown): value is EnrolmentPins {
  if (typeof value !== 'object' || value === null) return false;
  const pins = value as Partial<EnrolmentPins>;
  return (
    pins.v === 1 &&
    typeof pins.login === 'string' &&
    typeof pins.mac === 'string' &&
    typeof pins.keys === 'object' &&
    pins.keys !== null &&
    !Array.isArray(pins.keys) &&
    Object.entries(pins.keys).every(([id, jwk]) => isFacilityId(id) && isEcPublicKeyJwk(jwk))
  );
}

async function macKey(oneTimeMuk: Uint8Array): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey('raw', new Uint8Array(oneTimeMuk), 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    {
      name: 'HKDF',
      hash: 'SHA-256',
      salt: new Uint8Array(0),
      info: new TextEncoder().encode(`${PROTOCOL_LABEL}|enrolment-pins`),
    },
    base,
    { name: 'HMAC', hash: 'SHA-256', length: 256 },
    false,
    ['sign', 'verify'],
  );
}

function macData(login: string, keys: Record<string, EcPublicKeyJwk>): Bytes {
  const fields = ['enrolment-pins', login];
  for (const id of Object.keys(keys).sort()) {
    const jwk = canonicalJwk(keys[id]);
    fields.push(id, jwk.x, jwk.y);
  }
  return lengthPrefixed(fields);
}

/** The administrator's side: pins for `login`, authenticated with the one-time password's `muk`. */
export async function makeEnrolmentPins(
  oneTimeMuk: Uint8Array,
  login: string,
  keys: Record<string, EcPublicKeyJwk>,
): Promise<EnrolmentPins> {
  const canonical: Record<string, EcPublicKeyJwk> = {};
  for (const [id, jwk] of Object.entries(keys)) {
    if (!isFacilityId(id)) throw new TypeError(`not a facility id: ${id}`);
    canonical[id] = canonicalJwk(jwk);
  }
  const mac = await crypto.subtle.sign('HMAC', await macKey(oneTimeMuk), macData(login, canonical));
  return { v: 1, login, keys: canonical, mac: encodeBase64Url(new Uint8Array(mac)) };
}

/**
 * The member's side, at first login: the signing keys to pin, if the pins verify with the one-time password's
 * `muk` and name this login. Throws EnrolmentPinsError otherwise (never returns keys that did not verify).
 */
export async function openEnrolmentPins(
  oneTimeMuk: Uint8Array,
  login: string,
  pins: unknown,
): Promise<Record<string, EcPublicKeyJwk>> {
  if (!isEnrolmentPins(pins)) throw new EnrolmentPinsError('The enrolment pins are malformed.');
  if (pins.login !== login) throw new EnrolmentPinsError('The enrolment pins are for another login.');
  const mac = decodeBase64Url(pins.mac);
  if (mac?.length !== MAC_LENGTH) throw new EnrolmentPinsError('The enrolment pins carry no valid MAC.');
  const keys: Record<string, EcPublicKeyJwk> = {};
  for (const [id, jwk] of Object.entries(pins.keys)) keys[id] = canonicalJwk(jwk);
  const valid = await crypto.subtle.verify('HMAC', await macKey(oneTimeMuk), mac, macData(login, keys));
  if (!valid) throw new EnrolmentPinsError('The enrolment pins do not verify with this one-time password.');
  return keys;
}
