import { describe, expect, it } from 'vitest';
import { RecoveryCodeError, RecoveryKitError, UnwrapError } from './errors.ts';
import { unwrapSigningKey, verifyKeyCopy, wrapSigningKey, signKeyCopy } from './facility-signing.ts';
import { KeyRing } from './key-ring.ts';
import { unwrapEpochKey, wrapEpochKey } from './key-wrapping.ts';
import { RECOVERY_CODE_BYTES, formatRecoveryCode, generateRecoveryCode, parseRecoveryCode } from './recovery-code.ts';
import { createRecoveryKit, isRecoveryKit, openRecoveryKit, recoveryLogin, recoveryRecipient } from './recovery.ts';
import { flipCharacter, hex, makeFacility, makeMember, rejectionOf } from './test-fixtures.ts';

const BYTES = Uint8Array.from({ length: 16 }, (_, index) => index * 17);
/** Bytes whose code contains 0, 1, 3, A and C, the characters the look-alike cases retype. */
const LOOK_ALIKE_BYTES = Uint8Array.from({ length: 16 }, (_, index) => (index * 37 + 101) & 255);
const LOOK_ALIKE_CODE = 'CP5A-ZN7S-3S1P-H3DJ-TZY2-2HKB-J00B';

function parseFailure(text: string): RecoveryCodeError {
  try {
    parseRecoveryCode(text);
  } catch (error) {
    expect(error).toBeInstanceOf(RecoveryCodeError);
    return error as RecoveryCodeError;
  }
  throw new Error(`"${text}" was accepted.`);
}

describe('recovery codes', () => {
  it('formats 16 bytes as seven groups of four Crockford base32 characters', () => {
    const code = formatRecoveryCode(BYTES);
    expect(code).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){6}[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(code).toBe('008J-4CT4-ANK7-F24S-NAXW-SQFE-ZWCZ');
  });

  it('round-trips any bytes', () => {
    for (const bytes of [
      BYTES,
      new Uint8Array(16),
      new Uint8Array(16).fill(255),
      crypto.getRandomValues(new Uint8Array(16)),
    ]) {
      expect(hex(parseRecoveryCode(formatRecoveryCode(bytes)))).toBe(hex(bytes));
    }
  });

  it('generates a fresh code each time', () => {
    const code = generateRecoveryCode();
    expect(parseRecoveryCode(code)).toHaveLength(RECOVERY_CODE_BYTES);
    expect(generateRecoveryCode()).not.toBe(code);
  });

  it.each([
    ['lower case', (code: string) => code.toLowerCase()],
    ['spaces instead of dashes', (code: string) => code.replace(/-/g, ' ')],
    ['no separators', (code: string) => code.replace(/-/g, '')],
    ['surrounding whitespace and en dashes', (code: string) => `  ${code.replace(/-/g, ' – ')}\n`],
    ['O typed for 0', (code: string) => code.replace(/0/g, 'O')],
    ['lower-case o typed for 0', (code: string) => code.replace(/0/g, 'o')],
    ['I typed for 1', (code: string) => code.replace(/1/g, 'I')],
    ['lower-case L typed for 1', (code: string) => code.replace(/1/g, 'l')],
    [
      'Cyrillic look-alikes (a Russian keyboard layout)',
      (code: string) => code.replace(/A/g, 'А').replace(/C/g, 'с').replace(/3/g, 'З'),
    ],
    [
      'full-width characters',
      (code: string) => code.replace(/[0-9A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)),
    ],
  ])('reads a code typed with %s', (_what, retype) => {
    expect(formatRecoveryCode(LOOK_ALIKE_BYTES)).toBe(LOOK_ALIKE_CODE);
    const typed = retype(LOOK_ALIKE_CODE);
    expect(typed).not.toBe(LOOK_ALIKE_CODE);
    expect(hex(parseRecoveryCode(typed))).toBe(hex(LOOK_ALIKE_BYTES));
  });

  it('reports a single wrong character as a typo', () => {
    const code = formatRecoveryCode(BYTES);
    const wrong = `${code.slice(0, 5)}${code[5] === 'Z' ? 'Y' : 'Z'}${code.slice(6)}`;
    const error = parseFailure(wrong);
    expect(error.reason).toBe('checksum');
    expect(error.message).toBe(
      'The recovery code has a typo: its check characters do not match. Compare each group with the printed sheet.',
    );
  });

  it('catches every single-character substitution and every swap of two different data characters', () => {
    const compact = formatRecoveryCode(crypto.getRandomValues(new Uint8Array(16))).replace(/-/g, '');
    const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    for (let i = 0; i < compact.length; i += 1) {
      for (const replacement of alphabet) {
        if (replacement === compact[i]) continue;
        expect(() => parseRecoveryCode(compact.slice(0, i) + replacement + compact.slice(i + 1))).toThrow(
          RecoveryCodeError,
        );
      }
    }
    for (let i = 0; i < 26; i += 1) {
      for (let j = i + 1; j < 26; j += 1) {
        if (compact[i] === compact[j]) continue;
        const swapped = [...compact];
        [swapped[i], swapped[j]] = [swapped[j] as string, swapped[i] as string];
        expect(() => parseRecoveryCode(swapped.join(''))).toThrow(RecoveryCodeError);
      }
    }
  });

  it.each([
    ['a missing group', (code: string) => code.slice(0, -5), 'length', /has 28 characters .* this one has 24/],
    ['an extra character', (code: string) => `${code}7`, 'length', /this one has 29/],
    ['the letter U', (code: string) => `U${code.slice(1)}`, 'character', /"U" does not occur/],
    ['a symbol', (code: string) => `*${code.slice(1)}`, 'character', /"\*" does not occur/],
  ])('explains %s', (_what, change, reason, message) => {
    const error = parseFailure(change(formatRecoveryCode(BYTES)));
    expect(error.reason).toBe(reason);
    expect(error.message).toMatch(message);
  });
});

describe('recovery kit', () => {
  it('opens with its code into a non-extractable private key, and not with another code', async () => {
    const { code, kit } = await createRecoveryKit('hospice-1');
    expect(isRecoveryKit(JSON.parse(JSON.stringify(kit)))).toBe(true);
    expect(JSON.stringify(kit)).not.toContain(code.replace(/-/g, '').slice(0, 8));
    const key = await openRecoveryKit(code.toLowerCase().replace(/-/g, ' '), kit);
    expect(key.extractable).toBe(false);
    const error = await rejectionOf(openRecoveryKit(generateRecoveryCode(), kit));
    expect(error).toBeInstanceOf(RecoveryKitError);
    expect(error.message).toMatch(/does not open the recovery kit of "hospice-1"/);
  });

  it('reports a mistyped code as a typo, before trying it', async () => {
    const { code, kit } = await createRecoveryKit('hospice-1');
    const typo = `${code[0] === 'Z' ? 'Y' : 'Z'}${code.slice(1)}`;
    expect(await rejectionOf(openRecoveryKit(typo, kit))).toBeInstanceOf(RecoveryCodeError);
  });

  it.each([
    ['another facility', (kit: Record<string, unknown>) => ({ ...kit, facilityId: 'hospice-2' })],
    ['a swapped public key', (kit: Record<string, unknown>, other: unknown) => ({ ...kit, publicKeyJwk: other })],
    [
      'a changed ciphertext',
      (kit: Record<string, unknown>) => {
        const sealed = kit.encryptedPrivateKey as { iv: string; ct: string };
        return { ...kit, encryptedPrivateKey: { ...sealed, ct: flipCharacter(sealed.ct) } };
      },
    ],
    ['a malformed kit', () => ({ v: 1 })],
  ])('does not open a kit with %s', async (_what, damage) => {
    const [{ code, kit }, other] = await Promise.all([createRecoveryKit('hospice-1'), makeMember('x')]);
    const damaged = damage(kit as unknown as Record<string, unknown>, other.publicKeyJwk);
    expect(await rejectionOf(openRecoveryKit(code, damaged))).toBeInstanceOf(RecoveryKitError);
  });

  it('unwraps epochs 1..3 wrapped to it, and the signing key, with only the printed code', async () => {
    const facility = await makeFacility('hospice-1', 3);
    const { code, kit } = await createRecoveryKit('hospice-1');
    const recipient = recoveryRecipient(kit);
    expect(recipient.login).toBe('recovery:hospice-1');
    const copies = await Promise.all(
      [1, 2, 3].map(async (epoch) =>
        signKeyCopy(
          facility.signing.privateKey,
          await wrapEpochKey(facility.epochKeys.get(epoch) as Uint8Array, recipient, {
            facilityId: 'hospice-1',
            epoch,
          }),
        ),
      ),
    );
    const wrappedSigningKey = await wrapSigningKey(facility.signing.privateKeyPkcs8, recipient, {
      facilityId: 'hospice-1',
    });

    // Later, all members have lost their passwords: an administrator types the code from the safe.
    const recoveryKey = await openRecoveryKit(code, kit);
    for (const copy of copies) {
      expect(await verifyKeyCopy(facility.signing.publicKeyJwk, copy)).toBe(true);
      const epochKey = await unwrapEpochKey(copy, recoveryKey, kit.publicKeyJwk);
      expect(hex(epochKey)).toBe(hex(facility.epochKeys.get(copy.epoch) as Uint8Array));
    }
    const { privateKey: signingKey } = await unwrapSigningKey(
      wrappedSigningKey,
      recoveryKey,
      kit.publicKeyJwk,
      facility.signing.publicKeyJwk,
    );

    // …and re-wraps epoch 3 to a new member, signed so that the member's device accepts it.
    const member = await makeMember('nurse.new');
    const epochKey = await unwrapEpochKey(copies[2], recoveryKey, kit.publicKeyJwk);
    const copy = await signKeyCopy(
      signingKey,
      await wrapEpochKey(epochKey, member, { facilityId: 'hospice-1', epoch: 3 }),
    );
    const ring = await KeyRing.create(member, { 'hospice-1': facility.signing.publicKeyJwk });
    expect(await ring.accept(copy)).toBe('advanced');
  });

  it("does not let the recovery key's copies be opened by a member key", async () => {
    const [facility, member, { kit }] = await Promise.all([
      makeFacility('hospice-1', 1),
      makeMember('nurse'),
      createRecoveryKit('hospice-1'),
    ]);
    const copy = await wrapEpochKey(facility.epochKeys.get(1) as Uint8Array, recoveryRecipient(kit), {
      facilityId: 'hospice-1',
      epoch: 1,
    });
    expect(await rejectionOf(unwrapEpochKey(copy, member.privateKey, kit.publicKeyJwk))).toBeInstanceOf(UnwrapError);
  });

  it('names the recovery recipient with a login no CouchDB user can have', () => {
    expect(recoveryLogin('hospice-1')).toBe('recovery:hospice-1');
    expect(() => recoveryLogin('Not|Valid')).toThrow(TypeError);
  });
});
