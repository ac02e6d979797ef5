/**
 * A full tablet, in Chromium against a real register serving the built PWA: a nurse works offline, registers a
 * patient that is not sent yet, and then the device runs out of space while she records a visit and registers
 * another patient (and a doctor's, while he writes a prescription). Each form must say plainly that the device is
 * full (client/sync/storage-full.ts) and keep what was typed; nothing refused may be half-written; the patient
 * stored earlier must stay whole and readable after a reload; once space is freed and the network is back, it
 * reaches the server.
 *
 * How the device is made full, for real: Chromium's `Storage.overrideQuotaForOrigin` does limit IndexedDB — the
 * browser refuses the commit with a genuine `QuotaExceededError` — but only when the override is set before the
 * origin first opens its storage; set later it is accepted and ignored, and `navigator.storage.estimate()` never
 * shows it in either case (measured with Chromium 156). So the quota is set before the first page load, generous
 * enough for the app, its reference books and its offline copy, and later the page fills what is left with random
 * bytes in a database of its own, down to the last kilobyte. Freeing space is deleting that database.
 *
 * Each device is filled offline, once its first sync has brought the reference books (they come only over the
 * network) and it has sent what it had to send. Online, or while a sync is still under way, the sync's own small
 * writes (checkpoints, its bookkeeping) compete with the form's save for the last bytes; when one of them is
 * refused first, PouchDB closes the database for every instance in the page and the save then fails with a bare
 * `InvalidStateError` that says nothing of the quota (measured) — a shortcoming of its own, not what this file
 * checks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { startTestRegister, stopTestRegister, type TestRegister } from '../helpers/start-register.ts';
import { launchChromium, waitForScreen } from './browser.ts';
import { screenshotsOnFailure } from './failure-screenshots.ts';
import { signInFirstTime } from './admin-flows.ts';
import {
  careAdmin,
  confirmPending,
  createFacilityWithKeys,
  enrolMember,
  type CareAdmin,
  receiveKeys,
} from './care-team.ts';

const distDir = resolve(process.env.E2E_DIST ?? 'dist');
const FACILITY = 'faults-quota';
const NURSE = 'belova';
const NURSE_PASSWORD = 'сегежа беломорск кемь лоухи 2032';
const DOCTOR = 'zaitsev';
const DOCTOR_PASSWORD = 'костомукша калевала муезерский 2033';
const LOCAL_DB = `facility-${FACILITY}-${NURSE}`;
const SEARCH = 'ФИО, дата рождения, СНИЛС или полис ОМС';
/** The origin's whole quota: room for the app, the reference books and the facility's copy, then filled up. */
const QUOTA_BYTES = 64 * 1024 * 1024;
const FIRST = { surname: 'Ранняя', name: 'Вера', patronymic: 'Степановна' };
const SECOND = { surname: 'Поздняя', name: 'Нина', patronymic: 'Олеговна' };
const THIRD = { surname: 'Назначенная', name: 'Галина', patronymic: 'Юрьевна' };
const VISIT_NOTE = 'Жалобы на слабость, дочь рядом';
const DEVICE_FULL = /На устройстве закончилось место/;
/** Any message of a failed save: the full device's, or the generic "try again" it must not fall back to. */
const NOT_SAVED = /не сохранен|не сохранён|Не удалось сохранить/;

/** The slice of PouchDB and IndexedDB the checks use in the page. */
interface DevicePouch {
  allDocs(options: object): Promise<{ rows: { id: string }[] }>;
}
type DeviceGlobal = typeof globalThis & { quotaDb?: DevicePouch; quotaFiller?: IDBDatabase };

/** Opens the tablet's local database in the page through the app's own PouchDB module (the chunk it loaded). */
async function openOnDevice(page: Page): Promise<void> {
  // A string, not a function: vitest would rewrite a dynamic import() inside a function sent to the page.
  await page.evaluate(`(async () => {
    const module = await import('${pouchChunk()}');
    const Pouch = Object.values(module).find((c) => typeof c === 'function' && typeof c.plugin === 'function');
    globalThis.quotaDb = new Pouch(${JSON.stringify(LOCAL_DB)});
  })()`);
}

/** How many medical records, passports and visits the tablet holds. */
function devicePatients(page: Page): Promise<{ patients: number; passports: number; visits: number }> {
  return page.evaluate(async () => {
    const db = (globalThis as DeviceGlobal).quotaDb;
    if (!db) throw new Error('the local database is not open');
    const ids = (await db.allDocs({})).rows.map((row) => row.id);
    return {
      patients: ids.filter((id) => id.startsWith('patient:')).length,
      passports: ids.filter((id) => id.startsWith('passport:')).length,
      visits: ids.filter((id) => id.startsWith('visit:')).length,
    };
  });
}

/**
 * Fills the origin's storage from the page: random (incompressible) chunks into a database of its own, halving the
 * chunk each time the browser refuses one, until even half a kilobyte is refused with `QuotaExceededError`.
 * Resolves with the bytes written and the name of the error that stopped it.
 */
function fillStorage(page: Page): Promise<{ written: number; refusedWith: string }> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((done, fail) => {
      const request = indexedDB.open('quota-filler', 1);
      request.onupgradeneeded = () => request.result.createObjectStore('bytes');
      request.onsuccess = () => done(request.result);
      request.onerror = () => fail(request.error ?? new Error('quota-filler did not open'));
    });
    (globalThis as DeviceGlobal).quotaFiller = db;
    const randomBytes = (size: number): Uint8Array => {
      const bytes = new Uint8Array(size);
      for (let at = 0; at < size; at += 65_536) crypto.getRandomValues(bytes.subarray(at, Math.min(size, at + 65_536)));
      return bytes;
    };
    let chunk = 8 * 1024 * 1024;
    let written = 0;
    let refusedWith = '';
    for (let key = 0; chunk >= 512; key += 1) {
      const bytes = randomBytes(chunk);
      const refused = await new Promise<DOMException | null>((done) => {
        const transaction = db.transaction('bytes', 'readwrite');
        transaction.objectStore('bytes').put(bytes, key);
        transaction.oncomplete = () => done(null);
        transaction.onabort = () => done(transaction.error ?? new DOMException('aborted', 'AbortError'));
      });
      if (!refused) written += chunk;
      else {
        refusedWith = refused.name;
        if (refused.name !== 'QuotaExceededError') break;
        chunk /= 2;
      }
    }
    return { written, refusedWith };
  });
}

/** Frees the space taken by `fillStorage`. */
function freeStorage(page: Page): Promise<void> {
  return page.evaluate(async () => {
    (globalThis as DeviceGlobal).quotaFiller?.close();
    await new Promise<void>((done, fail) => {
      const request = indexedDB.deleteDatabase('quota-filler');
      request.onsuccess = () => done();
      request.onerror = () => fail(request.error ?? new Error('quota-filler was not deleted'));
    });
  });
}

/** Opens the patients (unlocking first when the app asks) and waits for the search field. */
async function openPatients(page: Page, url: string, password = NURSE_PASSWORD): Promise<void> {
  await page.goto(`${url}/patients`);
  if ((await waitForScreen(page, ['rp-lock-page', 'rp-patients-section'], 60_000)) === 'rp-lock-page') {
    await page.getByLabel('Пароль').fill(password);
    await page.getByRole('button', { name: 'Разблокировать' }).click();
    await waitForScreen(page, ['rp-patients-section'], 60_000);
  }
  await page.getByLabel(SEARCH).waitFor({ timeout: 60_000 });
}

/** Sets the origin's quota for the context's storage; before its first page load, or Chromium ignores it. */
async function limitQuota(context: BrowserContext, page: Page, url: string): Promise<CDPSession> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(url).origin, quotaSize: QUOTA_BYTES });
  return cdp;
}

/** The module of the app's PouchDB chunk, as the page loaded it (built file names carry a hash). */
function pouchChunk(): string {
  const chunk = readdirSync(join(distDir, 'assets')).find((file) => /^index\.es-.*\.js$/.test(file));
  if (!chunk) throw new Error(`no PouchDB chunk in ${distDir}/assets`);
  return `/assets/${chunk}`;
}

/**
 * Waits until the member's device holds every reference document the server has (design documents aside): the
 * books (districts, medicaments) reach a device only over the network, so a test that goes offline waits for its
 * first sync of them. Read from the device's replica itself, not from the sync indicator, which also speaks for
 * the facility's sync.
 */
async function referenceArrived(page: Page, register: TestRegister, login: string): Promise<void> {
  const server = await register.store.expect<{ rows: { id: string }[] }>('GET', '/reference/_all_docs', undefined);
  const expected = server.body.rows.map((row) => row.id).filter((id) => !id.startsWith('_design/'));
  // A string, not a function: vitest would rewrite a dynamic import() inside a function sent to the page.
  const missing = `(async () => {
    const module = await import(${JSON.stringify(pouchChunk())});
    const Pouch = Object.values(module).find((c) => typeof c === 'function' && typeof c.plugin === 'function');
    // Kept open: closing one instance would close the app's own connection to the replica too.
    globalThis.referenceReplica ??= new Pouch(${JSON.stringify(`reference-${login}`)});
    const replica = globalThis.referenceReplica;
    const held = new Set((await replica.allDocs({})).rows.map((row) => row.id));
    return ${JSON.stringify(expected)}.filter((id) => !held.has(id)).length;
  })()`;
  for (let attempt = 0; attempt < 240; attempt += 1) {
    if ((await page.evaluate(missing)) === 0) return;
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error(`the reference books did not reach ${login}'s device`);
}

/** Waits until the server holds the patient's medical record (the device's sync has sent it). */
async function patientOnServer(register: TestRegister, patientId: string): Promise<void> {
  for (let attempt = 0; attempt < 240; attempt += 1) {
    const stored = await register.store.expect<{ rows: { id: string }[] }>(
      'GET',
      `/facility-${FACILITY}/_all_docs`,
      undefined,
    );
    if (stored.body.rows.some((row) => row.id === `patient:${patientId}`)) return;
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error(`patient ${patientId} did not reach the server`);
}

/** Shows the patients without reloading the page, as the app's own links do. */
async function showPatients(page: Page): Promise<void> {
  await page.evaluate(() =>
    document
      .querySelector('rp-app')
      ?.dispatchEvent(new CustomEvent('rp-navigate', { detail: { path: '/patients' }, bubbles: true, composed: true })),
  );
  await page.getByLabel(SEARCH).waitFor({ timeout: 60_000 });
}

/** Fills the new-patient form as the nurse does. */
async function fillNewPatient(page: Page, person: typeof FIRST): Promise<void> {
  await page.getByRole('link', { name: 'Новый пациент' }).click();
  await page.getByLabel('Фамилия', { exact: true }).fill(person.surname);
  await page.getByLabel('Имя', { exact: true }).fill(person.name);
  await page.getByLabel('Отчество', { exact: true }).fill(person.patronymic);
  await page.getByLabel('Дата рождения').fill('1947-11-23');
  await page.getByLabel('Пол', { exact: true }).selectOption({ label: 'женский' });
  // The districts come from the member's reference replica, which a new member's device may still be receiving.
  await page.locator('#record-districtId option').nth(1).waitFor({ state: 'attached', timeout: 120_000 });
  await page.getByLabel('Район', { exact: true }).selectOption({ index: 1 });
  await page.getByLabel('Группа заболеваний').selectOption({ label: 'онкологическое заболевание' });
  await page.getByLabel('Найти диагноз по коду или словам').fill('C50');
  await page.getByRole('button', { name: /^C50/ }).first().click();
  await page.getByLabel('Основание для паллиативной помощи').selectOption({ index: 1 });
  await page.getByLabel('Где оказывается помощь').selectOption({ label: 'на дому' });
  await page.getByLabel('Есть ли кому ухаживать').selectOption({ label: 'да' });
}

describe('a full device', () => {
  let register: TestRegister;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let cdp: CDPSession;
  let admin: CareAdmin;

  beforeAll(async () => {
    if (!existsSync(join(distDir, 'index.html'))) throw new Error(`${distDir} has no build: run "npx vite build"`);
    register = await startTestRegister({ staticDir: distDir });
    admin = await careAdmin(register);
    await createFacilityWithKeys(admin, FACILITY, 'Хоспис Сегежи');
    const member = await enrolMember(register, admin, {
      login: NURSE,
      displayName: 'Белова Ольга Игоревна',
      role: 'nurse',
      facilities: [FACILITY],
    });
    browser = await launchChromium();
    context = await browser.newContext({ locale: 'ru-RU' });
    page = await context.newPage();
    // Before the origin's storage is first opened, or Chromium ignores the override (see the header).
    cdp = await limitQuota(context, page, register.url);
    await signInFirstTime(page, register.url, NURSE, member.oneTimePassword, NURSE_PASSWORD);
    await confirmPending(admin);
    await receiveKeys(page);
  }, 180_000);

  screenshotsOnFailure(() => ({ 'faults-quota': page }));

  afterAll(async () => {
    await cdp?.detach().catch(() => undefined);
    await browser?.close();
    if (register) await stopTestRegister(register);
  });

  it('the nurse registers a patient offline, not sent yet', async () => {
    await openPatients(page, register.url);
    await referenceArrived(page, register, NURSE);
    await context.setOffline(true);
    await fillNewPatient(page, FIRST);
    await page.getByRole('button', { name: 'Зарегистрировать' }).click();
    await page.getByRole('heading', { name: `${FIRST.surname} ${FIRST.name} ${FIRST.patronymic}` }).waitFor();
    const server = await register.store.expect<{ rows: { id: string }[] }>(
      'GET',
      `/facility-${FACILITY}/_all_docs`,
      undefined,
    );
    expect(server.body.rows.filter((row) => row.id.startsWith('patient:'))).toHaveLength(0);
  });

  it('the device fills up as she records a visit: the form says so and keeps what was typed', async () => {
    await page.getByRole('button', { name: 'Новый визит' }).click();
    await page.getByLabel('Вид визита').selectOption({ label: 'на дому' });
    await page.getByLabel('ECOG (0–4)').fill('3');
    await page.getByLabel('Боль по ЦРШ (0–10)').fill('5');
    await page.getByLabel('Заметка').fill(VISIT_NOTE);

    const filled = await fillStorage(page);
    expect(filled.refusedWith).toBe('QuotaExceededError');
    expect(filled.written).toBeGreaterThan(0);

    await page.getByRole('button', { name: 'Сохранить визит' }).click();
    const alert = page.getByRole('alert').filter({ hasText: NOT_SAVED });
    await alert.waitFor({ timeout: 30_000 });
    expect(await alert.textContent()).toMatch(DEVICE_FULL);
    expect(await alert.textContent()).toContain('запись не сохранена');
    expect(await page.getByLabel('Заметка').inputValue()).toBe(VISIT_NOTE);
    expect(await page.getByLabel('ECOG (0–4)').inputValue()).toBe('3');
    expect(await page.getByLabel('Боль по ЦРШ (0–10)').inputValue()).toBe('5');
  });

  it('registering another patient on the full device: the form says so and keeps its values', async () => {
    await showPatients(page);
    await fillNewPatient(page, SECOND);
    await page.getByRole('button', { name: 'Зарегистрировать' }).click();
    const alert = page.getByRole('alert').filter({ hasText: NOT_SAVED });
    await alert.waitFor({ timeout: 30_000 });
    expect(await alert.textContent()).toMatch(DEVICE_FULL);
    expect(await alert.textContent()).toContain('пациент не сохранён');
    expect(await page.getByLabel('Фамилия', { exact: true }).inputValue()).toBe(SECOND.surname);
    expect(await page.getByLabel('Имя', { exact: true }).inputValue()).toBe(SECOND.name);
    expect(await page.getByLabel('Дата рождения').inputValue()).toBe('1947-11-23');
  });

  it('reloaded while full and again once space is freed, the earlier patient is whole and readable', async () => {
    // On a full device PouchDB cannot even open a database (it writes its metadata on every open), so the app
    // shows no patients until there is room again; what matters is that nothing stored is harmed by the reload.
    await page.reload();
    await waitForScreen(page, ['rp-lock-page', 'rp-patients-section', 'rp-home-page'], 60_000);
    await freeStorage(page);
    await page.reload();
    await openPatients(page, register.url);
    await page.getByLabel(SEARCH).fill(FIRST.surname);
    const row = page.getByRole('row').filter({ hasText: `${FIRST.surname} ${FIRST.name}` });
    await row.waitFor({ timeout: 30_000 });
    expect(await row.textContent()).toContain('ожидает подтверждения врачом');
    await openOnDevice(page);
    // The refused writes left nothing half-written: the one patient, record and passport, and no visit.
    expect(await devicePatients(page)).toEqual({ patients: 1, passports: 1, visits: 0 });
  });

  it('back online, the patient reaches the server', async () => {
    await context.setOffline(false);
    const ids = async (): Promise<string[]> =>
      (
        await register.store.expect<{ rows: { id: string }[] }>('GET', `/facility-${FACILITY}/_all_docs`, undefined)
      ).body.rows.map((row) => row.id);
    let stored: string[] = [];
    for (let attempt = 0; attempt < 300; attempt += 1) {
      stored = await ids();
      if (stored.some((id) => id.startsWith('patient:')) && stored.some((id) => id.startsWith('passport:'))) break;
      await new Promise((done) => setTimeout(done, 200));
    }
    expect(stored.filter((id) => id.startsWith('patient:'))).toHaveLength(1);
    expect(stored.filter((id) => id.startsWith('passport:'))).toHaveLength(1);
    expect(stored.filter((id) => id.startsWith('visit:'))).toHaveLength(0);
    // With room again, the patient's file opens (it writes its `passport-opened` audit event).
    await page.getByRole('row').filter({ hasText: FIRST.surname }).getByRole('link').first().click();
    await page.getByRole('heading', { name: `${FIRST.surname} ${FIRST.name} ${FIRST.patronymic}` }).waitFor();
  });

  // The doctor's device is new: its first sync is still bringing the reference books while he opens the new-patient
  // form, whose district list must fill in as they arrive (pages/reference-reader.ts).
  it('a doctor’s full device: the prescription form says so and keeps what was typed', async () => {
    const member = await enrolMember(register, admin, {
      login: DOCTOR,
      displayName: 'Зайцев Игорь Петрович',
      role: 'doctor',
      facilities: [FACILITY],
    });
    const doctorContext = await browser.newContext({ locale: 'ru-RU' });
    const doctor = await doctorContext.newPage();
    const doctorCdp = await limitQuota(doctorContext, doctor, register.url);
    try {
      await signInFirstTime(doctor, register.url, DOCTOR, member.oneTimePassword, DOCTOR_PASSWORD);
      await confirmPending(admin);
      await receiveKeys(doctor);
      await openPatients(doctor, register.url, DOCTOR_PASSWORD);
      await fillNewPatient(doctor, THIRD);
      await doctor.getByRole('button', { name: 'Зарегистрировать' }).click();
      await doctor.getByRole('heading', { name: `${THIRD.surname} ${THIRD.name} ${THIRD.patronymic}` }).waitFor();
      // Offline, as the nurse's tablet above, once the device has nothing left to send (see the header): the save
      // must be the write the full device refuses, not a sync of the new patient still under way.
      await referenceArrived(doctor, register, DOCTOR);
      await patientOnServer(register, new URL(doctor.url()).pathname.split('/').pop() ?? '');
      await doctorContext.setOffline(true);

      await doctor.getByRole('button', { name: 'Новое назначение' }).click();
      await doctor.getByLabel('Поиск по МНН, торговому названию или коду АТХ').fill('морфин');
      await doctor.getByLabel('Препарат из справочника').selectOption({ index: 1 });
      await doctor.getByLabel('Разовая доза').fill('10');
      await doctor.getByLabel('Раз в сутки').fill('4');
      await doctor.getByLabel('Серия и номер рецепта').fill('107 № 000456');
      await doctor
        .getByText(/Морфиновый эквивалент/)
        .first()
        .waitFor();
      expect((await fillStorage(doctor)).refusedWith).toBe('QuotaExceededError');

      await doctor.getByRole('button', { name: 'Сохранить назначение' }).click();
      const alert = doctor.getByRole('alert').filter({ hasText: NOT_SAVED });
      await alert.waitFor({ timeout: 30_000 });
      expect(await alert.textContent()).toMatch(DEVICE_FULL);
      expect(await doctor.getByLabel('Разовая доза').inputValue()).toBe('10');
      expect(await doctor.getByLabel('Серия и номер рецепта').inputValue()).toBe('107 № 000456');
    } finally {
      await doctorCdp.detach().catch(() => undefined);
      await doctorContext.close();
    }
  });
});
