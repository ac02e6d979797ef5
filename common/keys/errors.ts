/**
 * The named errors of the key-management protocol. Each says what failed in words a developer can act on;
 * the UI maps the class (and `RecoveryCodeError.reason`) to a translated message, never showing a stack trace.
 * Decryption failures are deliberately not more specific than "does not open": a wrong key, a moved ciphertext
 * and a tampered one look the same to AES-GCM, and saying which would help nobody but an attacker.
 */

/** A sealed document (passport, note, …) could not be opened: wrong key, wrong document, tampered or malformed. */
export class DecryptionError extends Error {
  override name = 'DecryptionError';
}

/** A wrapped key could not be unwrapped: another recipient's copy, a wrong private key, tampered or malformed. */
export class UnwrapError extends Error {
  override name = 'UnwrapError';
}

/** Base class of the reasons a device refuses a key copy (see KeyRing.accept). */
export class KeyCopyError extends Error {
  override name = 'KeyCopyError';
}

/** The copy carries no facility signature at all. */
export class UnsignedKeyCopyError extends KeyCopyError {
  override name = 'UnsignedKeyCopyError';
}

/** The copy is malformed, its facility has no pinned signing key, or its signature does not verify with it. */
export class UnverifiableKeyCopyError extends KeyCopyError {
  override name = 'UnverifiableKeyCopyError';
}

/** The copy is signed, but for another login or another public key than this device's owner. */
export class WrongRecipientError extends KeyCopyError {
  override name = 'WrongRecipientError';
}

/** The copy is offered as the facility's current key, but the device has already seen a higher epoch. */
export class EpochRollbackError extends KeyCopyError {
  override name = 'EpochRollbackError';
}

/** A facility already has a different pinned signing key; pins are never replaced silently. */
export class PinnedKeyConflictError extends Error {
  override name = 'PinnedKeyConflictError';
}

/** Why a typed recovery code was not accepted, for a translated message. */
export type RecoveryCodeProblem = 'length' | 'character' | 'checksum';

/** A typed recovery code is not a valid code: wrong length, a character that is never used, or a typo. */
export class RecoveryCodeError extends Error {
  override name = 'RecoveryCodeError';
  readonly reason: RecoveryCodeProblem;

  constructor(reason: RecoveryCodeProblem, message: string) {
    super(message);
    this.reason = reason;
  }
}

/** A recovery kit does not open with the given (valid-looking) code, or is malformed. */
export class RecoveryKitError extends Error {
  override name = 'RecoveryKitError';
}

/** Member material or a key-ring state does not open with this muk and login, or is malformed. */
export class MemberMaterialError extends Error {
  override name = 'MemberMaterialError';
}
