/**
 * Sealing a short secret to an EC P-256 public key (ECIES-style), shared by epoch-key and signing-key copies:
 *
 *   ephemeral  = a fresh ECDH P-256 key pair, used once
 *   shared     = ECDH(ephemeral private, recipient public): the 32-byte x coordinate
 *   info       = UTF-8 of "palliative-register/v1|wrap|<context fields…>|<recipientKeyHash>|<ephemeralKeyHash>|<login>"
 *   wrapKey    = HKDF-SHA256(ikm = shared, salt = empty, info, 256 bits) as AES-256-GCM
 *   ct         = AES-256-GCM(wrapKey, iv = 12 random bytes, secret, additionalData = info)
 *
 * Key hashes are `publicKeyHash` (base64url, no `|`), the context fields are constrained slugs and numbers, and
 * the login comes last, so the info string is unambiguous. Because the recipient's login and key hash are in the
 * derivation, a copy relabelled for someone else does not open, even for someone holding the right private key.
 * Internal module: the public formats are in key-wrapping.ts and facility-signing.ts.
 */
import {
  PROTOCOL_LABEL,
  type Bytes,
  decodeBase64Url,
  encodeBase64Url,
  equalStrings,
  randomBytes,
  utf8,
  wipe,
} from './encoding.ts';
import { UnwrapError } from './errors.ts';
import {
  ECDH_P256,
  type EcPublicKeyJwk,
  exportPublicJwk,
  importEcdhPublicKey,
  isEcPublicKeyJwk,
  publicKeyHash,
} from './jwk.ts';

/** The public part of a sealed secret. */
export interface EcdhEnvelope {
  recipientKeyHash: string;
  ephemeralPublicKey: EcPublicKeyJwk;
  iv: string;
  ct: string;
}

/** Who a secret is sealed to. */
export interface SealRecipient {
  login: string;
  publicKeyJwk: EcPublicKeyJwk;
}

const IV_LENGTH = 12;

function wrapInfo(
  contextFields: readonly string[],
  recipientKeyHash: string,
  ephemeralKeyHash: string,
  login: string,
): Bytes {
  return utf8([PROTOCOL_LABEL, 'wrap', ...contextFields, recipientKeyHash, ephemeralKeyHash, login].join('|'));
}

async function deriveWrapKey(privateKey: CryptoKey, publicKey: CryptoKey, info: Bytes): Promise<CryptoKey> {
  const shared = new Uint8Array(await crypto.subtle.deriveBits({ name: 'ECDH', public: publicKey }, privateKey, 256));
  try {
    const base = await crypto.subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
    return await crypto.subtle.deriveKey(
      { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info },
      base,
      { name: 'AES-GCM', length: 256 },
      false,
      ['encrypt', 'decrypt'],
    );
  } finally {
    wipe(shared);
  }
}

/** Seals `secret` to the recipient's public key; `contextFields` must not contain `|`. */
export async function sealToRecipient(
  secret: Uint8Array,
  recipient: SealRecipient,
  contextFields: readonly string[],
): Promise<EcdhEnvelope> {
  const recipientKeyHash = await publicKeyHash(recipient.publicKeyJwk);
  const recipientKey = await importEcdhPublicKey(recipient.publicKeyJwk);
  const ephemeral = await crypto.subtle.generateKey(ECDH_P256, false, ['deriveBits']);
  const ephemeralPublicKey = await exportPublicJwk(ephemeral.publicKey);
  const info = wrapInfo(contextFields, recipientKeyHash, await publicKeyHash(ephemeralPublicKey), recipient.login);
  const wrapKey = await deriveWrapKey(ephemeral.privateKey, recipientKey, info);
  const iv = randomBytes(IV_LENGTH);
  const plaintext = new Uint8Array(secret);
  try {
    const ct = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: info }, wrapKey, plaintext);
    return { recipientKeyHash, ephemeralPublicKey, iv: encodeBase64Url(iv), ct: encodeBase64Url(new Uint8Array(ct)) };
  } finally {
    wipe(plaintext);
  }
}

/**
 * Opens a sealed secret with the recipient's private key. The recipient's public key must hash to the envelope's
 * `recipientKeyHash`; `login` is the login the envelope names. Throws `UnwrapError` on any failure.
 */
export async function openAsRecipient(
  envelope: EcdhEnvelope,
  login: string,
  contextFields: readonly string[],
  recipientPrivateKey: CryptoKey,
  recipientPublicKeyJwk: EcPublicKeyJwk,
): Promise<Bytes> {
  if (!isEcPublicKeyJwk(recipientPublicKeyJwk)) throw new UnwrapError('The recipient public key is not a P-256 JWK.');
  if (!equalStrings(await publicKeyHash(recipientPublicKeyJwk), envelope.recipientKeyHash)) {
    throw new UnwrapError('This copy is wrapped to another public key.');
  }
  const iv = decodeBase64Url(envelope.iv);
  const ct = decodeBase64Url(envelope.ct);
  if (iv?.length !== IV_LENGTH || ct === null || !isEcPublicKeyJwk(envelope.ephemeralPublicKey)) {
    throw new UnwrapError('The wrapped copy is malformed.');
  }
  try {
    const ephemeralKey = await importEcdhPublicKey(envelope.ephemeralPublicKey);
    const info = wrapInfo(
      contextFields,
      envelope.recipientKeyHash,
      await publicKeyHash(envelope.ephemeralPublicKey),
      login,
    );
    const wrapKey = await deriveWrapKey(recipientPrivateKey, ephemeralKey, info);
    return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: info }, wrapKey, ct));
  } catch (error) {
    throw new UnwrapError('The wrapped copy does not open with this private key.', { cause: error });
  }
}
