/**
 * An administrator sets up a fresh install in the browser, in Russian, as the issue describes: first login with
 * the printed one-time password, two facilities (each recovery sheet handed over as a PDF), a doctor, a nurse and
 * an analyst (each enrolment slip as a PDF), the nurse's first login on her own device and the confirmation of her
 * key pair, the reference books, and bad input refused next to its field without losing what was typed. Only what
 * a person uses drives it: labels, roles and button names. Along the way both browsers are watched for CSP
 * violations, page errors and typed passwords in any request. The steps share one register and one browser, and
 * run in order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { startTestRegister, stopTestRegister, type TestRegister } from '../helpers/start-register.ts';
import { launchChromium, waitForScreen } from './browser.ts';
import {
  ONE_TIME_PASSWORD,
  RECOVERY_CODE,
  describedText,
  passwordLeaks,
  pdfOfferedBy,
  secretIn,
  signInFirstTime,
  watchContext,
  type ContextWatch,
} from './admin-flows.ts';

const ADMIN_PASSWORD = 'онежское озеро кижи паром 1714';
const NURSE_PASSWORD = 'брусника морошка клюква черника 9';
const distDir = resolve('dist');

interface NewFacility {
  id: string;
  name: string;
  shortName: string;
  district: string;
}

interface NewMember {
  login: string;
  displayName: string;
  role: string;
  facilities: string[];
}

const HOSPICE: NewFacility = {
  id: 'hospice-ptz',
  name: 'Республиканский хоспис',
  shortName: 'Хоспис',
  district: 'Петрозаводский городской округ',
};
const KONDOPOGA: NewFacility = {
  id: 'crb-kondopoga',
  name: 'Кондопожская центральная районная больница',
  shortName: 'Кондопожская ЦРБ',
  district: 'Кондопожский муниципальный район',
};
const DOCTOR: NewMember = {
  login: 'ivanova',
  displayName: 'Иванова Мария Петровна',
  role: 'Врач',
  facilities: [HOSPICE.name, KONDOPOGA.name],
};
const NURSE: NewMember = {
  login: 'petrova',
  displayName: 'Петрова Анна Сергеевна',
  role: 'Медсестра',
  facilities: [HOSPICE.name],
};
const ANALYST: NewMember = { login: 'smirnov', displayName: 'Смирнов Олег Игоревич', role: 'Аналитик', facilities: [] };

/** The app's session service, reached from outside as the shell holds it (the UI shows no key state yet). */
interface ShellWithSession {
  services?: { session: { epochKey(facilityId: string): Promise<{ epoch: number } | null> } };
}

/** The epoch of the facility key this browser's session holds, or null — see the note in the nurse's step. */
function heldEpoch(page: Page, facilityId: string): Promise<number | null> {
  return page.evaluate(async (id) => {
    const shell = document.querySelector('rp-app') as ShellWithSession | null;
    const key = await shell?.services?.session.epochKey(id);
    return key?.epoch ?? null;
  }, facilityId);
}

/** The table row that mentions `text`. */
function rowWith(page: Page, text: string): Locator {
  return page.getByRole('row').filter({ hasText: text });
}

describe('an administrator sets up a fresh install in Chromium, in Russian', () => {
  let register: TestRegister;
  let browser: Browser;
  let adminContext: BrowserContext;
  let nurseContext: BrowserContext | null = null;
  let nursePage: Page | null = null;
  let admin: Page;
  let firstAdminPassword: string;
  const watches: ContextWatch[] = [];
  /** Every password typed anywhere in this test, one-time ones included. */
  const typedPasswords: string[] = [ADMIN_PASSWORD, NURSE_PASSWORD];
  const oneTimePasswords = new Map<string, string>();

  beforeAll(async () => {
    if (!existsSync(resolve(distDir, 'index.html'))) throw new Error('dist/ is missing: run "npx vite build" first');
    register = await startTestRegister({ adminPassword: null, staticDir: distDir });
    firstAdminPassword = register.provisioned.oneTimePassword ?? '';
    typedPasswords.push(firstAdminPassword);
    browser = await launchChromium();
    adminContext = await browser.newContext({ locale: 'ru-RU' });
    watches.push(watchContext(adminContext));
    admin = await adminContext.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    if (register) await stopTestRegister(register);
  });

  /** Creates a staff member in the open staff tab; returns the one-time password shown and checks the slip. */
  async function createMember(member: NewMember): Promise<string> {
    await admin.getByRole('button', { name: 'Новый сотрудник' }).click();
    await admin.getByLabel('Имя пользователя', { exact: true }).fill(member.login);
    await admin.getByLabel('ФИО', { exact: true }).fill(member.displayName);
    await admin.getByRole('checkbox', { name: member.role, exact: true }).check();
    for (const facility of member.facilities)
      await admin.getByRole('checkbox', { name: facility, exact: true }).check();
    await admin.getByRole('button', { name: 'Создать и выдать пароль' }).click();

    // Deriving the one-time password's authKey is Argon2id in the browser (about a second).
    const issued = admin.getByRole('region', { name: `Одноразовый пароль для ${member.login}` });
    await issued.waitFor({ timeout: 60_000 });
    const oneTimePassword = await secretIn(issued, ONE_TIME_PASSWORD);
    const slip = await pdfOfferedBy(admin, issued.getByRole('button', { name: 'Распечатать памятку (PDF)' }));
    expect(slip.fileName).toBe(`vhod-${member.login}.pdf`);
    expect(slip.text).toContain('Памятка для первого входа');
    expect(slip.text).toContain(member.displayName);
    expect(slip.text).toContain(member.login);
    expect(slip.text).toContain(oneTimePassword);
    expect(slip.text).toContain('Действует до');
    for (const facility of member.facilities) expect(slip.text).toContain(facility);
    await issued.getByRole('button', { name: 'Готово' }).click();
    await issued.waitFor({ state: 'hidden' });

    const row = rowWith(admin, member.login);
    await row.getByText('ожидает смены пароля').waitFor();
    expect(await row.textContent()).toContain(member.displayName);
    oneTimePasswords.set(member.login, oneTimePassword);
    typedPasswords.push(oneTimePassword);
    return oneTimePassword;
  }

  it('signs in with the printed one-time password, must choose a strong password and reaches home', async () => {
    expect(firstAdminPassword).toMatch(ONE_TIME_PASSWORD);
    await signInFirstTime(admin, register.url, 'admin', firstAdminPassword, ADMIN_PASSWORD);
    await admin.getByRole('heading', { name: /Здравствуйте/ }).waitFor();
    await admin.getByRole('link', { name: /Администрирование/ }).waitFor();
    await admin.getByText('Данные актуальны').waitFor({ timeout: 30_000 });
  });

  it('creates two facilities and hands over each recovery sheet as a PDF with the code', async () => {
    await admin.getByRole('link', { name: /Администрирование/ }).click();
    await waitForScreen(admin, ['rp-admin-page']);
    await admin.getByRole('tab', { name: 'Учреждения' }).click();
    await admin.getByText('Учреждений пока нет.').waitFor();

    for (const facility of [HOSPICE, KONDOPOGA]) {
      await admin.getByRole('button', { name: 'Новое учреждение' }).click();
      await admin.getByLabel('Идентификатор').fill(facility.id);
      await admin.getByLabel('Полное название').fill(facility.name);
      await admin.getByLabel('Краткое название').fill(facility.shortName);
      await admin.getByLabel('Район').selectOption({ label: facility.district });
      await admin.getByRole('button', { name: 'Создать учреждение' }).click();

      const recovery = admin.getByRole('region', { name: `Код восстановления: ${facility.name}` });
      await recovery.waitFor({ timeout: 60_000 });
      const code = await secretIn(recovery, RECOVERY_CODE);
      const sheet = await pdfOfferedBy(
        admin,
        recovery.getByRole('button', { name: 'Распечатать лист восстановления (PDF)' }),
      );
      expect(sheet.fileName).toBe(`vosstanovlenie-${facility.id}.pdf`);
      expect(sheet.text).toContain('Код восстановления учреждения');
      expect(sheet.text).toContain(facility.name);
      expect(sheet.text).toContain('Храните лист в сейфе учреждения');
      // The code is printed with wide letter spacing, which pdftotext may read as spaces.
      expect(sheet.text.replace(/\s/g, '')).toContain(code);
      await recovery.getByRole('button', { name: 'Готово' }).click();
      await recovery.waitFor({ state: 'hidden' });

      const row = rowWith(admin, facility.id);
      await row.waitFor();
      const text = (await row.textContent()) ?? '';
      expect(text).toContain(facility.name);
      expect(text).toContain(facility.district);
      expect(text).toContain('Действует');
      expect(text).not.toContain('нет ключей');
    }
    await admin.getByText('Учреждения, всего: 2').waitFor();
  });

  it('creates a doctor of both facilities, a nurse of the first and an analyst, each with an enrolment slip', async () => {
    await admin.getByRole('tab', { name: 'Сотрудники' }).click();
    await rowWith(admin, 'admin').waitFor();
    for (const member of [DOCTOR, NURSE, ANALYST]) await createMember(member);
    await admin.getByText('Сотрудники, всего: 4').waitFor();
    const doctorRow = (await rowWith(admin, DOCTOR.login).textContent()) ?? '';
    for (const facility of [HOSPICE, KONDOPOGA]) expect(doctorRow).toContain(facility.shortName);
  });

  it('lets the nurse sign in on her own device, and gives her the facility key once the administrator confirms it', async () => {
    // The administrator's browser pinned the hospice's signing key for her, authenticated with her one-time password.
    const facilityKeys = await register.store.getDoc<{ signingPublicKey: { x: string } }>(
      'reference',
      `facility-keys:${HOSPICE.id}`,
    );
    const enrolled = await register.store.getDoc<{ enrolmentPins?: { keys: Record<string, { x: string }> } }>(
      '_users',
      `org.couchdb.user:${NURSE.login}`,
    );
    expect(Object.keys(enrolled?.enrolmentPins?.keys ?? {})).toEqual([HOSPICE.id]);
    expect(enrolled?.enrolmentPins?.keys[HOSPICE.id]?.x).toBe(facilityKeys?.signingPublicKey.x);
    nurseContext = await browser.newContext({ locale: 'ru-RU' });
    watches.push(watchContext(nurseContext));
    const nurse = await nurseContext.newPage();
    await signInFirstTime(nurse, register.url, NURSE.login, oneTimePasswords.get(NURSE.login) ?? '', NURSE_PASSWORD);
    await nurse.getByRole('heading', { name: `Здравствуйте, ${NURSE.displayName}!` }).waitFor();
    await nurse.getByText('Роли: медицинская сестра').waitFor();
    expect(await nurse.getByRole('link', { name: /Администрирование/ }).count()).toBe(0);
    // Her new key pair is not confirmed yet: the device holds no copy of the facility key, and home says so.
    const awaiting = nurse.getByText(/Ключи учреждений \(hospice-ptz\) ещё не подтверждены/);
    await awaiting.waitFor();
    expect(await heldEpoch(nurse, HOSPICE.id)).toBeNull();
    const afterFirstLogin = await register.store.getDoc<Record<string, unknown>>(
      '_users',
      `org.couchdb.user:${NURSE.login}`,
    );
    expect(afterFirstLogin).not.toHaveProperty('enrolmentPins');

    await admin.getByRole('button', { name: 'Обновить' }).click();
    const pending = admin.getByRole('region', { name: 'Ожидают подтверждения ключей' });
    await pending.waitFor();
    const listed = await pending.getByRole('listitem').allTextContents();
    expect(listed).toHaveLength(1);
    expect(listed[0]).toContain(`${NURSE.displayName} (${NURSE.login})`);
    expect(listed[0]).toContain(HOSPICE.shortName);
    expect(await rowWith(admin, NURSE.login).textContent()).not.toContain('ожидает смены пароля');
    await pending.getByRole('button', { name: `Подтвердить: ${NURSE.login}` }).click();
    await pending.waitFor({ state: 'hidden', timeout: 30_000 });
    await expect(admin.getByRole('alert').count()).resolves.toBe(0);

    // The nurse looks again from home; her device then holds epoch 1 of the hospice's key.
    await nurse.getByRole('button', { name: 'Проверить снова' }).click();
    await awaiting.waitFor({ state: 'hidden', timeout: 30_000 });
    nursePage = nurse;
    expect(await heldEpoch(nurse, HOSPICE.id)).toBe(1);
    expect(await heldEpoch(nurse, KONDOPOGA.id)).toBeNull();
  });

  it('fills the reference books: adds a medicament and a district, edits one, deactivates one, finds diagnoses', async () => {
    await admin.getByRole('tab', { name: 'Справочники' }).click();
    await admin.getByText(/Препараты, найдено: \d+/).waitFor();

    await admin.getByRole('button', { name: 'Новый препарат' }).click();
    await admin.getByLabel('МНН (по-русски)').fill('Габапентин');
    await admin.getByLabel('МНН (латиницей)').fill('Gabapentinum');
    await admin.getByLabel('Торговые наименования').fill('Нейронтин');
    await admin.getByLabel('Код АТХ').fill('N03AX12');
    await admin.getByLabel('Лекарственная форма').selectOption({ label: 'капсулы' });
    await admin.getByLabel('Дозировка', { exact: true }).fill('300');
    await admin.getByRole('button', { name: 'Сохранить' }).click();
    await admin.getByRole('heading', { name: 'Новый препарат' }).waitFor({ state: 'hidden' });
    await admin.getByLabel('Поиск по МНН, торговому названию или коду АТХ').fill('габапентин');
    await admin.getByText('Препараты, найдено: 1').waitFor();
    let row = rowWith(admin, 'Габапентин');
    expect(await row.textContent()).toMatch(/Нейронтин.*капсулы.*300 мг.*N03AX12.*Действует/s);

    await row.getByRole('button', { name: 'Изменить: Габапентин, капсулы, 300 мг' }).click();
    await admin.getByRole('heading', { name: 'Препарат: Габапентин' }).waitFor();
    await admin.getByLabel('Торговые наименования').fill('Нейронтин, Габагамма');
    await admin.getByRole('button', { name: 'Сохранить' }).click();
    await admin.getByRole('heading', { name: 'Препарат: Габапентин' }).waitFor({ state: 'hidden' });
    await rowWith(admin, 'Габапентин').getByText('Нейронтин, Габагамма').waitFor();

    await admin.getByRole('button', { name: 'Районы', exact: true }).click();
    await admin.getByText(/Районы, всего: \d+/).waitFor();
    await admin.getByRole('button', { name: 'Новый район' }).click();
    await admin.getByLabel('Ключ записи').fill('vepsskaya-volost');
    await admin.getByLabel('Название').fill('Вепсская волость');
    await admin.getByLabel('Вид').selectOption({ label: 'муниципальный округ' });
    await admin.getByLabel('Административный центр').fill('Шёлтозеро');
    expect(await admin.getByLabel('Субъект РФ').inputValue()).toBe('Республика Карелия');
    await admin.getByRole('button', { name: 'Сохранить' }).click();
    row = rowWith(admin, 'Вепсская волость');
    await row.getByText('Действует').waitFor();
    expect(await row.textContent()).toContain('Шёлтозеро');
    await row.getByRole('button', { name: 'Отключить: Вепсская волость' }).click();
    await row.getByText('отключено').waitFor();
    await row.getByRole('button', { name: 'Включить: Вепсская волость' }).waitFor();

    await admin.getByRole('button', { name: 'Диагнозы (МКБ-10)' }).click();
    await admin.getByText(/Версия .+, действующих кодов: \d+/).waitFor();
    const search = admin.getByRole('searchbox', { name: 'Поиск диагноза' });
    await search.fill('C34');
    await rowWith(admin, 'Злокачественное новообразование бронхов и легкого')
      .getByText('C34', { exact: true })
      .waitFor();
    await admin.getByText(/Найдено: \d+/).waitFor();
    await search.fill('рак лёгкого');
    await rowWith(admin, 'C34').getByText('Злокачественное новообразование бронхов и легкого').waitFor();
  });

  it('refuses bad input with a message next to the field and keeps everything typed', async () => {
    // Staff form: a login typed in Cyrillic, and a doctor without a facility.
    await admin.getByRole('tab', { name: 'Сотрудники' }).click();
    await admin.getByRole('button', { name: 'Новый сотрудник' }).click();
    const login = admin.getByLabel('Имя пользователя', { exact: true });
    const displayName = admin.getByLabel('ФИО', { exact: true });
    await login.fill('Сидоров');
    await displayName.fill('Сидоров Пётр Ильич');
    await admin.getByRole('checkbox', { name: 'Врач', exact: true }).check();
    await admin.getByRole('button', { name: 'Создать и выдать пароль' }).click();
    await admin.getByText('Только латинские строчные буквы, цифры').waitFor();
    expect(await login.getAttribute('aria-invalid')).toBe('true');
    expect(await describedText(login)).toMatch(/^Только латинские строчные буквы, цифры/);
    const facilities = admin.getByRole('group', { name: 'Учреждения' });
    expect(await describedText(facilities)).toBe('Врачу и медсестре нужно хотя бы одно учреждение.');
    expect(await login.inputValue()).toBe('Сидоров');
    expect(await displayName.inputValue()).toBe('Сидоров Пётр Ильич');
    expect(await admin.getByRole('checkbox', { name: 'Врач', exact: true }).isChecked()).toBe(true);
    // Corrected, the same form goes through with what was typed.
    await login.fill('sidorov');
    await facilities.getByRole('checkbox', { name: KONDOPOGA.name, exact: true }).check();
    await admin.getByRole('button', { name: 'Создать и выдать пароль' }).click();
    const issued = admin.getByRole('region', { name: 'Одноразовый пароль для sidorov' });
    await issued.waitFor({ timeout: 60_000 });
    typedPasswords.push(await secretIn(issued, ONE_TIME_PASSWORD));
    await issued.getByRole('button', { name: 'Готово' }).click();
    expect(await rowWith(admin, 'sidorov').textContent()).toContain('Сидоров Пётр Ильич');

    // Medicament form: a malformed ATC code and a zero strength.
    await admin.getByRole('tab', { name: 'Справочники' }).click();
    await admin.getByRole('button', { name: 'Новый препарат' }).click();
    await admin.getByLabel('МНН (по-русски)').fill('Метамизол натрия');
    await admin.getByLabel('МНН (латиницей)').fill('Metamizolum natrium');
    await admin.getByLabel('Торговые наименования').fill('Анальгин, Баралгин');
    const atcCode = admin.getByLabel('Код АТХ');
    const strength = admin.getByLabel('Дозировка', { exact: true });
    await atcCode.fill('N02-BB');
    await admin.getByLabel('Лекарственная форма').selectOption({ label: 'раствор для инъекций' });
    await strength.fill('0');
    await admin.getByLabel('Единица дозировки').selectOption({ label: 'мг/мл' });
    await admin.getByRole('button', { name: 'Сохранить' }).click();
    await admin.getByText('Код АТХ должен иметь вид N02AA01').waitFor();
    expect(await atcCode.getAttribute('aria-invalid')).toBe('true');
    expect(await describedText(atcCode)).toBe('Код АТХ должен иметь вид N02AA01 (или N01AH для группы).');
    expect(await describedText(strength)).toBe('Дозировка должна быть положительным числом.');
    expect(await admin.getByLabel('МНН (по-русски)').inputValue()).toBe('Метамизол натрия');
    expect(await admin.getByLabel('МНН (латиницей)').inputValue()).toBe('Metamizolum natrium');
    expect(await admin.getByLabel('Торговые наименования').inputValue()).toBe('Анальгин, Баралгин');
    expect(await atcCode.inputValue()).toBe('N02-BB');
    expect(await admin.getByLabel('Лекарственная форма').inputValue()).toBe('injection');
    expect(await admin.getByLabel('Единица дозировки').inputValue()).toBe('mg_per_ml');
    await atcCode.fill('N02BB02');
    await strength.fill('500');
    await admin.getByRole('button', { name: 'Сохранить' }).click();
    await admin.getByRole('heading', { name: 'Новый препарат' }).waitFor({ state: 'hidden' });
    await admin.getByLabel('Поиск по МНН, торговому названию или коду АТХ').fill('анальгин');
    const row = rowWith(admin, 'Метамизол натрия');
    await row.waitFor();
    expect(await row.textContent()).toMatch(/раствор для инъекций.*500 мг\/мл.*N02BB02/s);
  });

  it('revokes the nurse: her sessions end, a new key epoch starts, and her app offers to erase its copy', async () => {
    const nurse = nursePage;
    if (!nurse) throw new Error('the nurse step did not run');
    await admin.getByRole('tab', { name: 'Сотрудники' }).click();
    await rowWith(admin, NURSE.login)
      .getByRole('button', { name: `Отключить: ${NURSE.login}` })
      .click();
    await admin.getByRole('button', { name: 'Отключить', exact: true }).click();
    await admin
      .getByText(
        new RegExp(`Учётная запись ${NURSE.login} отключена\\. Начата новая эпоха ключей \\(${HOSPICE.name}: 2\\)`),
      )
      .waitFor({ timeout: 60_000 });
    await rowWith(admin, NURSE.login).getByText('Отключён').waitFor();

    // Her open sync feed ends at once: the app locks. Her password still opens the device, not the server.
    await waitForScreen(nurse, ['rp-lock-page'], 60_000);
    await nurse.getByLabel('Пароль').fill(NURSE_PASSWORD);
    await nurse.getByRole('button', { name: 'Разблокировать' }).click();
    await waitForScreen(nurse, ['rp-login-page'], 60_000);
    await nurse.getByText(/Сервер больше не принимает ваш вход/).waitFor();
    const databases = () => nurse.evaluate(async () => (await indexedDB.databases()).map((info) => info.name ?? ''));
    expect(await databases()).toContain(`_pouch_reference-${NURSE.login}`);
    await nurse.getByRole('button', { name: 'Стереть мои данные с этого устройства' }).click();
    await nurse.getByText(/Изменения, которые ещё не ушли на сервер, будут потеряны/).waitFor();
    await nurse.getByRole('alertdialog').getByRole('button', { name: 'Стереть мои данные с этого устройства' }).click();
    await nurse.getByText('Ваши данные стёрты с этого устройства.').waitFor();
    expect((await databases()).filter((name) => name.includes(NURSE.login))).toEqual([]);

    // The facility's keys panel shows the new epoch.
    await admin.getByRole('tab', { name: 'Учреждения' }).click();
    await admin.getByRole('button', { name: `Ключи: ${HOSPICE.name}` }).click();
    await admin.getByText('Текущая эпоха ключей: 2.').waitFor();
    await admin.getByRole('button', { name: 'Готово' }).click();
  });

  it('never sent a typed password and met no CSP violation or page error, in either browser', () => {
    expect(watches).toHaveLength(2);
    for (const watch of watches) {
      // The watch saw the logins it has to judge.
      expect(watch.requests.some((request) => request.startsWith('POST ') && request.includes('/db/_session'))).toBe(
        true,
      );
      expect(watch.problems).toEqual([]);
      expect(passwordLeaks(watch.requests, typedPasswords)).toEqual([]);
    }
    expect(typedPasswords).toHaveLength(7);
  });
});
