/**
 * The member's device and its facility keys, against the real register: a confirmed (signed) copy in the member's
 * `_users` document gives an epoch key that seals and opens a passport, also offline at the next unlock; a copy
 * written straight into `_users` with a key the writer knows is refused and reported.
 */
import { assert, html } from '@open-wc/testing';
import { renderWith, shadowText } from '../test-support/render.ts';
import type { RpHomePage } from '../pages/rp-home-page/rp-home-page.ts';
import '../pages/rp-home-page/rp-home-page.ts';
import {
  createFacilitySigningKey,
  decryptDocument,
  deriveContentKey,
  encryptDocument,
  generateEpochKey,
  makeEnrolmentPins,
  signKeyCopy,
  wrapEpochKey,
  type EcPublicKeyJwk,
  type FacilitySigningKey,
} from '../../common/keys/index.ts';
import { deriveSecrets } from '../../common/auth-derivation.ts';
import { createTestServices, type TestServices } from '../test-support/test-services.ts';
import {
  createAccount,
  readUserDocument,
  uniqueName,
  writeReferenceDocument,
  writeUserFields,
  type TestAccount,
} from '../test-support/test-register.ts';

const NEW_PASSWORD = 'a brand new and long passphrase';

interface Facility {
  facilityId: string;
  signing: FacilitySigningKey;
  epochKey: Uint8Array;
}

/** A facility as the administrator's browser publishes it in `facility-keys:<id>`. */
async function publishFacility(): Promise<Facility> {
  const facilityId = uniqueName('kf');
  const signing = await createFacilitySigningKey();
  const now = new Date().toISOString();
  await writeReferenceDocument({
    _id: `facility-keys:${facilityId}`,
    type: 'facility-keys',
    facilityId,
    epoch: 1,
    signingPublicKey: signing.publicKeyJwk,
    active: true,
    createdBy: 'admin',
    createdAt: now,
    updatedBy: 'admin',
    updatedAt: now,
  });
  return { facilityId, signing, epochKey: generateEpochKey() };
}

/** A member of the facility who chose their own password: their device made a key pair and sent it. */
async function enrolledMember(facility: Facility): Promise<{ services: TestServices; member: TestAccount }> {
  const member = await createAccount({
    name: 'member',
    password: 'one-time-password-2026',
    roles: ['nurse', `facility:${facility.facilityId}`],
    displayName: 'Мария Сергеевна',
    mustChangePassword: true,
  });
  const services = createTestServices();
  await services.session.start();
  await services.session.login(member.name, member.password);
  await services.session.changePassword(NEW_PASSWORD);
  assert.equal(services.session.state.kind, 'ready');
  return { services, member };
}

async function copyFor(facility: Facility, login: string, signingKey: CryptoKey): Promise<unknown> {
  const doc = await readUserDocument(login);
  const publicKeyJwk = doc.publicKey as EcPublicKeyJwk;
  const wrapped = await wrapEpochKey(
    facility.epochKey,
    { login, publicKeyJwk },
    {
      facilityId: facility.facilityId,
      epoch: 1,
    },
  );
  return signKeyCopy(signingKey, wrapped);
}

async function relock(services: TestServices): Promise<void> {
  services.session.lock();
  await services.session.unlock(NEW_PASSWORD);
  assert.equal(services.session.state.kind, 'ready');
}

describe('member keys on the device', () => {
  it('accepts a confirmed copy: its epoch key seals and opens a passport, offline too after the next unlock', async () => {
    const facility = await publishFacility();
    const { services, member } = await enrolledMember(facility);
    assert.isNull(await services.session.epochKey(facility.facilityId), 'no key before confirmation');

    await writeUserFields(member.name, {
      keyCopies: [await copyFor(facility, member.name, facility.signing.privateKey)],
    });
    await relock(services);
    assert.deepEqual(services.session.refusedKeyCopies, []);
    const held = await services.session.epochKey(facility.facilityId);
    if (!held) throw new Error('the device holds no epoch key');
    assert.equal(held.epoch, 1);

    const context = { facilityId: facility.facilityId, docId: 'passport:1b2c', epoch: 1 };
    const passport = { surname: 'Иванова', name: 'Анна', birthDate: '1948-03-02', snils: '112-233-445 95' };
    const purpose = { purpose: 'passport' as const, facilityId: facility.facilityId, epoch: 1 };
    const sealed = await encryptDocument(await deriveContentKey(held.key, purpose), context, passport);
    assert.notInclude(JSON.stringify(sealed), 'Иванова');
    assert.deepEqual(await decryptDocument(await deriveContentKey(held.key, purpose), context, sealed), passport);
    // It is the facility's key: another member's device (here, the raw key) opens what this device sealed.
    assert.deepEqual(
      await decryptDocument(await deriveContentKey(facility.epochKey, purpose), context, sealed),
      passport,
    );

    // The next unlock is offline: the key ring sealed under muk on the device still gives the key.
    services.session.lock();
    services.network.goOffline();
    await services.session.unlock(NEW_PASSWORD);
    const offline = await services.session.epochKey(facility.facilityId);
    if (!offline) throw new Error('no epoch key offline');
    assert.deepEqual(await decryptDocument(await deriveContentKey(offline.key, purpose), context, sealed), passport);
  });

  it('refuses and reports a copy written into _users with a key the writer knows, and an unsigned one', async () => {
    const facility = await publishFacility();
    const { services, member } = await enrolledMember(facility);
    const attacker = await createFacilitySigningKey();
    const forged = await copyFor(facility, member.name, attacker.privateKey);
    const { sig, ...unsigned } = forged as { sig: string };
    assert.isString(sig);
    await writeUserFields(member.name, { keyCopies: [forged, unsigned] });

    await relock(services);
    assert.isNull(await services.session.epochKey(facility.facilityId));
    const refused = services.session.refusedKeyCopies;
    assert.sameMembers(
      refused.map((copy) => copy.reason),
      ['UnverifiableKeyCopyError', 'UnsignedKeyCopyError'],
    );
    assert.isTrue(refused.every((copy) => copy.facilityId === facility.facilityId && copy.epoch === 1));
    const state = services.session.state;
    assert.lengthOf(state.kind === 'ready' ? (state.refusedKeyCopies ?? []) : [], 2);

    // Home tells the member, and that the facility's key still waits for a valid copy.
    const home = await renderWith<RpHomePage>(
      services,
      html`<rp-home-page .user=${state.kind === 'ready' ? state.user : null}></rp-home-page>`,
      'rp-home-page',
    );
    const text = shadowText(home);
    assert.include(text, `Устройство отклонило копии ключей (2; учреждения: ${facility.facilityId})`);
    assert.include(text, `Ключи учреждений (${facility.facilityId}) ещё не подтверждены`);
  });
});

describe('signing keys pinned at enrolment', () => {
  const ONE_TIME = 'one-time-password-2026';

  /** A member whose account carries enrolment pins made with `pinsPassword` for `signingKey`, before first login. */
  async function pinnedMember(facility: Facility, pinsPassword: string, signingKey: EcPublicKeyJwk) {
    const member = await createAccount({
      name: 'pinned',
      password: ONE_TIME,
      roles: ['nurse', `facility:${facility.facilityId}`],
      displayName: 'Пётр Ильич',
      mustChangePassword: true,
    });
    const { deploymentId } = (await (await fetch('/api/config')).json()) as { deploymentId: string };
    const { muk } = await deriveSecrets(deploymentId, member.name, pinsPassword);
    await writeUserFields(member.name, {
      enrolmentPins: await makeEnrolmentPins(muk, member.name, { [facility.facilityId]: signingKey }),
    });
    return member;
  }

  async function firstLogin(member: TestAccount): Promise<TestServices> {
    const services = createTestServices();
    await services.session.start();
    await services.session.login(member.name, member.password);
    await services.session.changePassword(NEW_PASSWORD);
    assert.equal(services.session.state.kind, 'ready');
    return services;
  }

  it('trusts the key pinned with the one-time password, not the one found in the store at first login', async () => {
    const facility = await publishFacility();
    const member = await pinnedMember(facility, ONE_TIME, facility.signing.publicKeyJwk);
    // Whoever can write the store swaps the published signing key before the member's first login.
    const substitute = await createFacilitySigningKey();
    const now = new Date().toISOString();
    await writeReferenceDocument({
      _id: `facility-keys:${facility.facilityId}`,
      type: 'facility-keys',
      facilityId: facility.facilityId,
      epoch: 1,
      signingPublicKey: substitute.publicKeyJwk,
      active: true,
      createdBy: 'admin',
      createdAt: now,
      updatedBy: 'admin',
      updatedAt: now,
    });
    const services = await firstLogin(member);
    assert.notProperty(await readUserDocument(member.name), 'enrolmentPins', 'dropped with the one-time password');

    await writeUserFields(member.name, {
      keyCopies: [await copyFor(facility, member.name, substitute.privateKey)],
    });
    await relock(services);
    assert.isNull(await services.session.epochKey(facility.facilityId));
    assert.deepEqual(
      services.session.refusedKeyCopies.map((copy) => copy.reason),
      ['UnverifiableKeyCopyError'],
    );

    await writeUserFields(member.name, {
      keyCopies: [await copyFor(facility, member.name, facility.signing.privateKey)],
    });
    await relock(services);
    assert.equal((await services.session.epochKey(facility.facilityId))?.epoch, 1);
  });

  it('trusts nothing when the pins do not verify with the one-time password', async () => {
    const facility = await publishFacility();
    const member = await pinnedMember(facility, 'a password the slip never carried', facility.signing.publicKeyJwk);
    const services = await firstLogin(member);
    assert.deepEqual(
      services.session.refusedKeyCopies.map((copy) => copy.reason),
      ['EnrolmentPinsError'],
    );
    await writeUserFields(member.name, {
      keyCopies: [await copyFor(facility, member.name, facility.signing.privateKey)],
    });
    await relock(services);
    assert.isNull(await services.session.epochKey(facility.facilityId));
    assert.deepEqual(services.session.facilitiesAwaitingKeys, [facility.facilityId]);
  });
});

describe('the session opens the member’s own key pair', () => {
  it('gives the key pair the device made at the password change, and null before there is one', async () => {
    const facility = await publishFacility();
    const { services, member } = await enrolledMember(facility);
    const own = await services.session.ownKeyPair();
    if (!own) throw new Error('no key pair');
    assert.equal(own.login, member.name);
    const doc = await readUserDocument(member.name);
    assert.deepInclude(doc.publicKey as object, { x: own.publicKeyJwk.x, y: own.publicKeyJwk.y });
    assert.isFalse(own.privateKey.extractable);
    // A copy wrapped to that public key opens with the private key: they belong together.
    await writeUserFields(member.name, {
      keyCopies: [await copyFor(facility, member.name, facility.signing.privateKey)],
    });
    await relock(services);
    assert.isNotNull(await services.session.epochKey(facility.facilityId));

    const plain = await createAccount({
      name: 'plain',
      password: 'plain-pass-2026',
      roles: ['nurse'],
      displayName: 'П',
    });
    const other = createTestServices();
    await other.session.start();
    await other.session.login(plain.name, plain.password);
    assert.isNull(await other.session.ownKeyPair());
  });
});
