/**
 * Faults on the tablet itself, in Chromium against a real register serving the built PWA: the page's renderer
 * crashes (`Page.crash`) while a new patient is typed, and in the middle of saving one. After reopening, the form
 * offers back what was typed (kept sealed, never readable in storage), and the local database holds the whole
 * patient (record and passport) or none of it — never a record without its passport.
 *
 * A full device is tested in faults-quota.e2e.test.ts (the quota must be set before the origin first opens its
 * storage, or Chromium ignores it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestRegister, stopTestRegister, type TestRegister } from '../helpers/start-register.ts';
import { launchChromium, waitForScreen } from './browser.ts';
import { screenshotsOnFailure } from './failure-screenshots.ts';
import { signInFirstTime } from './admin-flows.ts';
import { careAdmin, confirmPending, createFacilityWithKeys, enrolMember, receiveKeys } from './care-team.ts';

const distDir = resolve(process.env.E2E_DIST ?? 'dist');
const FACILITY = 'faults-device';
const NURSE = 'orlova';
const NURSE_PASSWORD = 'кондопога медвежьегорск пудож 2031';
const LOCAL_DB = `facility-${FACILITY}-${NURSE}`;
const SEARCH = 'ФИО, дата рождения, СНИЛС или полис ОМС';

interface Counts {
  patients: number;
  passports: number;
  visits: string[];
}

/** The slice of PouchDB the checks use in the page. */
interface DevicePouch {
  put(doc: unknown): Promise<unknown>;
  allDocs(options: object): Promise<{ rows: { id: string }[] }>;
}
type DeviceGlobal = typeof globalThis & { faultsDb?: DevicePouch };

/** Opens the tablet's local database in the page through the app's own PouchDB module (the chunk it loaded). */
async function openOnDevice(page: Page): Promise<void> {
  const chunk = readdirSync(join(distDir, 'assets')).find((file) => /^index\.es-.*\.js$/.test(file));
  if (!chunk) throw new Error(`no PouchDB chunk in ${distDir}/assets`);
  // A string, not a function: vitest would rewrite a dynamic import() inside a function sent to the page.
  await page.evaluate(`(async () => {
    const module = await import('/assets/${chunk}');
    const Pouch = Object.values(module).find((c) => typeof c === 'function' && typeof c.plugin === 'function');
    globalThis.faultsDb = new Pouch(${JSON.stringify(LOCAL_DB)});
  })()`);
}

function deviceCounts(page: Page): Promise<Counts> {
  return page.evaluate(async () => {
    const db = (globalThis as DeviceGlobal).faultsDb;
    if (!db) throw new Error('the local database is not open');
    const ids = (await db.allDocs({})).rows.map((row) => row.id);
    return {
      patients: ids.filter((id) => id.startsWith('patient:')).length,
      passports: ids.filter((id) => id.startsWith('passport:')).length,
      visits: ids.filter((id) => id.startsWith('visit:')),
    };
  });
}

function pause(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

/** Opens the patients (unlocking first when the app asks) and waits for the search field. */
async function openPatients(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/patients`);
  if ((await waitForScreen(page, ['rp-lock-page', 'rp-patients-section'], 60_000)) === 'rp-lock-page') {
    await page.getByLabel('Пароль').fill(NURSE_PASSWORD);
    await page.getByRole('button', { name: 'Разблокировать' }).click();
    await waitForScreen(page, ['rp-patients-section'], 60_000);
  }
  await page.getByLabel(SEARCH).waitFor({ timeout: 60_000 });
}

/** Fills the new-patient form as the nurse does. */
async function fillNewPatient(page: Page, surname: string): Promise<void> {
  await page.getByRole('link', { name: 'Новый пациент' }).click();
  await page.getByLabel('Фамилия', { exact: true }).fill(surname);
  await page.getByLabel('Имя', { exact: true }).fill('Анна');
  await page.getByLabel('Отчество', { exact: true }).fill('Ивановна');
  await page.getByLabel('Дата рождения').fill('1951-07-02');
  await page.getByLabel('Пол', { exact: true }).selectOption({ label: 'женский' });
  await page.getByLabel('Район', { exact: true }).selectOption({ index: 1 });
  await page.getByLabel('Группа заболеваний').selectOption({ label: 'онкологическое заболевание' });
  await page.getByLabel('Найти диагноз по коду или словам').fill('C50');
  await page.getByRole('button', { name: /^C50/ }).first().click();
  await page.getByLabel('Основание для паллиативной помощи').selectOption({ index: 1 });
  await page.getByLabel('Где оказывается помощь').selectOption({ label: 'на дому' });
  await page.getByLabel('Есть ли кому ухаживать').selectOption({ label: 'да' });
  // The form keeps a sealed draft half a second after the last change.
  await pause(1_500);
}

describe('the tablet survives a renderer crash', () => {
  let register: TestRegister;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    if (!existsSync(join(distDir, 'index.html'))) throw new Error(`${distDir} has no build: run "npx vite build"`);
    register = await startTestRegister({ staticDir: distDir });
    const admin = await careAdmin(register);
    await createFacilityWithKeys(admin, FACILITY, 'Хоспис Кондопоги');
    const member = await enrolMember(register, admin, {
      login: NURSE,
      displayName: 'Орлова Татьяна Павловна',
      role: 'nurse',
      facilities: [FACILITY],
    });
    browser = await launchChromium();
    context = await browser.newContext({ locale: 'ru-RU' });
    page = await context.newPage();
    await signInFirstTime(page, register.url, NURSE, member.oneTimePassword, NURSE_PASSWORD);
    await confirmPending(admin);
    await receiveKeys(page);
  }, 180_000);

  screenshotsOnFailure(() => ({ 'faults-device': page }));

  afterAll(async () => {
    await browser?.close();
    if (register) await stopTestRegister(register);
  });

  /** Crashes the page's renderer through the DevTools protocol and opens the register again in a new page. */
  async function crashAndReopen(beforeCrash: () => Promise<void>): Promise<void> {
    const cdp = await context.newCDPSession(page);
    await beforeCrash();
    const crashed = page.waitForEvent('crash');
    // The renderer dies without answering.
    void cdp.send('Page.crash').catch(() => undefined);
    await crashed;
    await page.close().catch(() => undefined);
    page = await context.newPage();
    await openPatients(page, register.url);
    await openOnDevice(page);
  }

  it('offers back what was typed, kept sealed, after the renderer crashes while the form is filled', async () => {
    await openPatients(page, register.url);
    await fillNewPatient(page, 'Набросова');
    await crashAndReopen(async () => undefined);
    const stored = await page.evaluate(() => Object.values(localStorage).join('\n'));
    expect(stored).not.toContain('Набросова');
    await page.getByRole('link', { name: 'Новый пациент' }).click();
    await page.getByText(/Восстановлено то, что было введено и не сохранено/).waitFor({ timeout: 30_000 });
    expect(await page.getByLabel('Фамилия', { exact: true }).inputValue()).toBe('Набросова');
    await page.getByRole('button', { name: 'Начать заново' }).click();
    await page.getByRole('button', { name: 'Отмена' }).click();
  });

  it('holds the whole patient or none of it after the renderer crashes during the save', async () => {
    await openPatients(page, register.url);
    await openOnDevice(page);
    const before = await deviceCounts(page);
    await fillNewPatient(page, 'Обрывова');
    await crashAndReopen(async () => {
      // The crash is timed, not hoped for: the moment the device commits the new patient's medical record, the page
      // asks for the crash and holds its main thread until the renderer is gone (Page.crash acts on its IO thread),
      // so nothing written after that first commit can land — the worst moment for a save in several writes.
      let ask: () => void = () => undefined;
      const asked = new Promise<void>((resolveAsk) => (ask = resolveAsk));
      await page.exposeBinding('faultsCrashNow', () => ask());
      await page.evaluate(() => {
        const put = IDBObjectStore.prototype.put;
        IDBObjectStore.prototype.put = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
          const id = (value as { id?: unknown } | null)?.id;
          if (this.name === 'document-store' && typeof id === 'string' && id.startsWith('patient:')) {
            this.transaction.addEventListener('complete', () => {
              void (globalThis as typeof globalThis & { faultsCrashNow: () => Promise<void> }).faultsCrashNow();
              for (const end = Date.now() + 20_000; Date.now() < end;);
            });
          }
          return put.call(this, value, key);
        };
      });
      // The click may never be acknowledged: the page freezes, then dies.
      void page
        .getByRole('button', { name: 'Зарегистрировать' })
        .click()
        .catch(() => undefined);
      await asked;
    });
    const after = await deviceCounts(page);
    // Never a medical record without its passport (or the reverse).
    expect(after.patients - before.patients).toBe(after.passports - before.passports);
    if (after.patients === before.patients) {
      // Nothing was stored: the form brings back what was typed, from its sealed draft.
      await page.getByRole('link', { name: 'Новый пациент' }).click();
      await page.getByText(/Восстановлено то, что было введено и не сохранено/).waitFor({ timeout: 30_000 });
      expect(await page.getByLabel('Фамилия', { exact: true }).inputValue()).toBe('Обрывова');
    } else {
      // The save finished before the crash: the patient is found whole, passport opened.
      await page.getByLabel(SEARCH).fill('Обрывова');
      await page.getByRole('row').filter({ hasText: 'Обрывова' }).waitFor({ timeout: 30_000 });
    }
  });
});
