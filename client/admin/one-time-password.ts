/**
 * One-time passwords for enrolment slips: the same shape as couch/provision.ts `generateOneTimePassword` — four
 * groups of five characters from an alphabet without look-alikes (no 0/o, 1/l/i) — made in the administrator's
 * browser, so the server only ever receives the authKey derived from it.
 */
import { deriveSecrets } from '../../common/auth-derivation.ts';
import { makeEnrolmentPins, wipe, type EcPublicKeyJwk, type EnrolmentPins } from '../../common/keys/index.ts';

export const ONE_TIME_PASSWORD_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const GROUPS = 4;
const GROUP_LENGTH = 5;
/** How long a one-time password stays valid: days, not forever (ARCHITECTURE.md, "Enrolment"). */
export const ONE_TIME_PASSWORD_DAYS = 7;

/**
 * A strong one-time password, e.g. `k7m2p-xq9rt-4hfwa-n3cde` (20 × log2(31) ≈ 99 bits). Rejection sampling keeps
 * every character equally likely (a plain `byte % 31` would favour the first eight).
 */
export function generateOneTimePassword(
  random: (bytes: Uint8Array) => void = (b) => crypto.getRandomValues(b),
): string {
  const size = ONE_TIME_PASSWORD_ALPHABET.length;
  const limit = 256 - (256 % size);
  const chars: string[] = [];
  const buffer = new Uint8Array(32);
  while (chars.length < GROUPS * GROUP_LENGTH) {
    random(buffer);
    for (const byte of buffer) {
      if (byte < limit && chars.length < GROUPS * GROUP_LENGTH)
        chars.push(ONE_TIME_PASSWORD_ALPHABET.charAt(byte % size));
    }
  }
  buffer.fill(0);
  const groups: string[] = [];
  for (let start = 0; start < chars.length; start += GROUP_LENGTH)
    groups.push(chars.slice(start, start + GROUP_LENGTH).join(''));
  return groups.join('-');
}

/** True for the format `generateOneTimePassword` produces. */
export function isOneTimePasswordFormat(value: string): boolean {
  return /^[abcdefghjkmnpqrstuvwxyz23456789]{5}(-[abcdefghjkmnpqrstuvwxyz23456789]{5}){3}$/.test(value);
}

/** The moment a one-time password made at `now` stops working. */
export function oneTimePasswordExpiry(now: Date = new Date(), days = ONE_TIME_PASSWORD_DAYS): Date {
  return new Date(now.getTime() + days * 24 * 60 * 60 * 1000);
}

/**
 * A fresh one-time password and what the server is sent for it: the authKey derived for `login` (Argon2id, ~1 s),
 * and, when `signingKeys` are given, the member's facilities' signing keys authenticated with the `muk` derived from
 * the same password (common/keys/enrolment-pins.ts) — the member's device pins them at first login.
 */
export async function issueOneTimePassword(
  deploymentId: string,
  login: string,
  signingKeys: Record<string, EcPublicKeyJwk> = {},
): Promise<{ oneTimePassword: string; authKey: string; expiresAt: Date; enrolmentPins?: EnrolmentPins }> {
  const oneTimePassword = generateOneTimePassword();
  const { authKey, muk } = await deriveSecrets(deploymentId, login, oneTimePassword);
  try {
    const enrolmentPins =
      Object.keys(signingKeys).length > 0 ? await makeEnrolmentPins(muk, login, signingKeys) : undefined;
    return {
      oneTimePassword,
      authKey,
      expiresAt: oneTimePasswordExpiry(),
      ...(enrolmentPins ? { enrolmentPins } : {}),
    };
  } finally {
    wipe(muk);
  }
}
