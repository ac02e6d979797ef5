/**
 * The register's core promise, in Chromium, in Russian: a nurse logs in online, loses the network, registers a
 * patient and records a visit, reloads the page still offline, finds the patient by a misspelt surname, comes back
 * online; a doctor in a second browser sees the patient after sync and writes a prescription that reaches the nurse.
 * Along the way the server is checked to hold no readable identity.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestRegister, stopTestRegister, type TestRegister } from '../helpers/start-register.ts';
import { launchChromium, waitForScreen } from './browser.ts';
import { screenshotsOnFailure } from './failure-screenshots.ts';
import { signInFirstTime, watchContext, type ContextWatch } from './admin-flows.ts';
import {
  careAdmin,
  confirmPending,
  createFacilityWithKeys,
  enrolMember,
  type CareAdmin,
  type Member,
  receiveKeys,
} from './care-team.ts';

const distDir = resolve('dist');
const FACILITY = { id: 'hospice-ptz', name: 'Хоспис Петрозаводска' };
const NURSE_PASSWORD = 'брусника морошка клюква черника 9';
const DOCTOR_PASSWORD = 'онежское озеро кижи паром 1714';
const PATIENT = { surname: 'Кузнецова', name: 'Мария', patronymic: 'Петровна', snils: '112-233-445 95' };
const VISIT_NOTE = 'Дочь Ольга просит звонить после 18:00';

describe('a nurse offline and a doctor online share one patient', () => {
  let register: TestRegister;
  let admin: CareAdmin;
  let browser: Browser;
  let nurseContext: BrowserContext;
  let doctorContext: BrowserContext;
  let nurse: Page;
  let doctor: Page;
  let nurseMember: Member;
  let doctorMember: Member;
  const watches: ContextWatch[] = [];

  beforeAll(async () => {
    if (!existsSync(resolve(distDir, 'index.html'))) throw new Error('dist/ is missing: run "npx vite build" first');
    register = await startTestRegister({ staticDir: distDir });
    admin = await careAdmin(register);
    await createFacilityWithKeys(admin, FACILITY.id, FACILITY.name);
    nurseMember = await enrolMember(register, admin, {
      login: 'kuzmina',
      displayName: 'Кузьмина Анна Сергеевна',
      role: 'nurse',
      facilities: [FACILITY.id],
    });
    doctorMember = await enrolMember(register, admin, {
      login: 'petrov',
      displayName: 'Петров Иван Ильич',
      role: 'doctor',
      facilities: [FACILITY.id],
    });
    browser = await launchChromium();
    nurseContext = await browser.newContext({ locale: 'ru-RU' });
    doctorContext = await browser.newContext({ locale: 'ru-RU' });
    watches.push(watchContext(nurseContext), watchContext(doctorContext));
    nurse = await nurseContext.newPage();
    doctor = await doctorContext.newPage();
  }, 120_000);

  screenshotsOnFailure(() => ({ 'nurse-offline-nurse': nurse, 'nurse-offline-doctor': doctor }));

  afterAll(async () => {
    await browser?.close();
    if (register) await stopTestRegister(register);
  });

  it('both sign in for the first time and receive the facility key once the administrator confirms it', async () => {
    await signInFirstTime(nurse, register.url, nurseMember.login, nurseMember.oneTimePassword, NURSE_PASSWORD);
    await signInFirstTime(doctor, register.url, doctorMember.login, doctorMember.oneTimePassword, DOCTOR_PASSWORD);
    expect((await confirmPending(admin)).sort()).toEqual(['kuzmina', 'petrov']);
    for (const page of [nurse, doctor]) {
      await receiveKeys(page);
    }
  });

  it('the nurse opens the patients, goes offline, and registers a patient', async () => {
    await nurse.getByRole('link', { name: /Пациенты/ }).click();
    await waitForScreen(nurse, ['rp-patients-section']);
    await nurse.getByLabel('ФИО, дата рождения, СНИЛС или полис ОМС').waitFor();
    await nurseContext.setOffline(true);

    await nurse.getByRole('link', { name: 'Новый пациент' }).click();
    await nurse.getByLabel('Фамилия', { exact: true }).fill(PATIENT.surname);
    await nurse.getByLabel('Имя', { exact: true }).fill(PATIENT.name);
    await nurse.getByLabel('Отчество', { exact: true }).fill(PATIENT.patronymic);
    await nurse.getByLabel('Дата рождения').fill('1948-03-14');
    await nurse.getByLabel('Пол', { exact: true }).selectOption({ label: 'женский' });
    await nurse.getByLabel('СНИЛС', { exact: true }).fill(PATIENT.snils);
    await nurse.getByLabel('Район', { exact: true }).selectOption({ index: 1 });
    await nurse.getByLabel('Группа заболеваний').selectOption({ label: 'онкологическое заболевание' });
    await nurse.getByLabel('Найти диагноз по коду или словам').fill('C34');
    await nurse.getByRole('button', { name: /^C34 / }).first().click();
    await nurse.getByLabel('Основание для паллиативной помощи').selectOption({ index: 1 });
    await nurse.getByLabel('Где оказывается помощь').selectOption({ label: 'на дому' });
    await nurse.getByLabel('Есть ли кому ухаживать').selectOption({ label: 'да' });
    await expect(
      nurse.getByText(/будет зарегистрирован со статусом «ожидает подтверждения врачом»/).count(),
    ).resolves.toBe(1);
    await nurse.getByRole('button', { name: 'Зарегистрировать' }).click();
    await nurse.getByRole('heading', { name: `${PATIENT.surname} ${PATIENT.name} ${PATIENT.patronymic}` }).waitFor();
  });

  it('the nurse records a visit with a note, still offline', async () => {
    await nurse.getByRole('button', { name: 'Новый визит' }).click();
    await nurse.getByLabel('Вид визита').selectOption({ label: 'на дому' });
    await nurse.getByLabel('ECOG (0–4)').fill('3');
    await nurse.getByLabel('PPS (0–100, шаг 10)').fill('40');
    await nurse.getByLabel('Боль по ЦРШ (0–10)').fill('6');
    await nurse.getByLabel('Заметка').fill(VISIT_NOTE);
    await nurse.getByRole('button', { name: 'Сохранить визит' }).click();
    await nurse.getByRole('button', { name: 'Сохранить визит' }).waitFor({ state: 'hidden' });
    await nurse.getByText(VISIT_NOTE).waitFor();
  });

  it('after a reload, still offline, she unlocks and finds the patient by a misspelt surname', async () => {
    await nurse.reload();
    await waitForScreen(nurse, ['rp-lock-page', 'rp-patients-section'], 60_000);
    if ((await waitForScreen(nurse, ['rp-lock-page', 'rp-patients-section'])) === 'rp-lock-page') {
      await nurse.getByLabel('Пароль').fill(NURSE_PASSWORD);
      await nurse.getByRole('button', { name: 'Разблокировать' }).click();
    }
    await waitForScreen(nurse, ['rp-patients-section', 'rp-home-page'], 60_000);
    await nurse.goto(`${register.url}/patients`).catch(() => undefined);
    await waitForScreen(nurse, ['rp-patients-section', 'rp-lock-page'], 60_000);
    if ((await waitForScreen(nurse, ['rp-lock-page', 'rp-patients-section'])) === 'rp-lock-page') {
      await nurse.getByLabel('Пароль').fill(NURSE_PASSWORD);
      await nurse.getByRole('button', { name: 'Разблокировать' }).click();
      await waitForScreen(nurse, ['rp-patients-section'], 60_000);
    }
    await nurse.getByLabel('ФИО, дата рождения, СНИЛС или полис ОМС').fill('Кузнецево');
    const row = nurse.getByRole('row').filter({ hasText: PATIENT.surname });
    await row.waitFor({ timeout: 30_000 });
    expect(await row.textContent()).toContain('ожидает подтверждения врачом');
  });

  it('back online, her changes reach the server, which holds no readable identity', async () => {
    await nurseContext.setOffline(false);
    await nurse.getByText('Данные актуальны').waitFor({ timeout: 60_000 });
    const facilityDb = `facility-${FACILITY.id}`;
    const waitForDocs = async () => {
      for (let attempt = 0; attempt < 100; attempt += 1) {
        const all = await register.store.expect<{ rows: { id: string }[] }>(
          'GET',
          `/${facilityDb}/_all_docs`,
          undefined,
        );
        if (all.body.rows.some((row) => row.id.startsWith('visit:'))) return;
        await new Promise((done) => setTimeout(done, 200));
      }
      throw new Error('the visit never reached the server');
    };
    await waitForDocs();
    const everything = await register.store.expect<{ rows: { doc: Record<string, unknown> }[] }>(
      'GET',
      `/${facilityDb}/_all_docs?include_docs=true&conflicts=true`,
      undefined,
    );
    const text = JSON.stringify(everything.body);
    for (const secret of [PATIENT.surname, PATIENT.name, PATIENT.patronymic, PATIENT.snils, '11223344595', VISIT_NOTE])
      expect(text).not.toContain(secret);
    const passports = everything.body.rows.map((row) => row.doc).filter((doc) => doc.type === 'passport');
    expect(passports).toHaveLength(1);
    expect(Object.keys(passports[0] ?? {}).sort()).toEqual(['_id', '_rev', 'ct', 'iv', 'kid', 'type', 'v']);
  });

  it('the doctor sees the patient, confirms her and writes a prescription', async () => {
    await doctor.getByRole('link', { name: /Пациенты/ }).click();
    await waitForScreen(doctor, ['rp-patients-section']);
    await doctor.getByLabel('ФИО, дата рождения, СНИЛС или полис ОМС').fill('Кузнецова Мария');
    const row = doctor.getByRole('row').filter({ hasText: PATIENT.surname });
    await row.waitFor({ timeout: 60_000 });
    await row.getByRole('link', { name: /Открыть/ }).click();
    await doctor.getByRole('heading', { name: `${PATIENT.surname} ${PATIENT.name} ${PATIENT.patronymic}` }).waitFor();
    await doctor.getByText(VISIT_NOTE).waitFor();

    await doctor.getByRole('button', { name: 'Изменить статус' }).click();
    await doctor.getByRole('radio', { name: 'Подтвердить включение в регистр' }).check();
    await doctor.getByRole('button', { name: 'Сохранить изменение' }).click();
    await doctor
      .getByText(/в регистре/)
      .first()
      .waitFor();

    await doctor.getByRole('button', { name: 'Новое назначение' }).click();
    await doctor.getByLabel('Поиск по МНН, торговому названию или коду АТХ').fill('морфин');
    await doctor.getByLabel('Препарат из справочника').selectOption({ index: 1 });
    await doctor.getByLabel('Разовая доза').fill('10');
    await doctor.getByLabel('Раз в сутки').fill('4');
    await doctor.getByLabel('Серия и номер рецепта').fill('107 № 000123');
    await doctor
      .getByText(/Морфиновый эквивалент/)
      .first()
      .waitFor();
    await doctor.getByRole('button', { name: 'Сохранить назначение' }).click();
    await doctor.getByRole('button', { name: 'Сохранить назначение' }).waitFor({ state: 'hidden' });
    // The row of the new prescription (not the header): its number is sealed on the server and opened here.
    await doctor.getByRole('row').filter({ hasText: '000123' }).waitFor();
  });

  it('the prescription reaches the nurse, whose page shows it after sync', async () => {
    const row = nurse.getByRole('row').filter({ hasText: PATIENT.surname });
    await row.getByRole('link', { name: /Открыть/ }).click();
    await nurse.getByRole('heading', { name: `${PATIENT.surname} ${PATIENT.name} ${PATIENT.patronymic}` }).waitFor();
    const prescription = nurse.getByRole('row').filter({ hasText: '000123' });
    await prescription.waitFor({ timeout: 60_000 });
    expect(await prescription.textContent()).toMatch(/[Мм]орфин/);
    // Colleagues are named from the staff directory, not by login.
    expect(await prescription.textContent()).toContain(doctorMember.displayName);
    expect(await nurse.getByRole('row').filter({ hasText: VISIT_NOTE }).textContent()).toContain(
      nurseMember.displayName,
    );
    await nurse
      .getByText(/в регистре/)
      .first()
      .waitFor();
    for (const watch of watches) expect(watch.problems).toEqual([]);
  });

  it('two offline edits of the record become a conflict; the version chosen wins, the other is kept in the audit', async () => {
    const edit = async (page: Page, context: BrowserContext, caregiver: string) => {
      await context.setOffline(true);
      await page.getByRole('link', { name: 'Изменить' }).first().click();
      await page.getByLabel('Есть ли кому ухаживать').selectOption({ label: caregiver });
      await page.getByRole('button', { name: 'Сохранить' }).click();
      await page.getByRole('heading', { name: `${PATIENT.surname} ${PATIENT.name} ${PATIENT.patronymic}` }).waitFor();
    };
    await edit(nurse, nurseContext, 'частично');
    await edit(doctor, doctorContext, 'нет');
    await doctorContext.setOffline(false);
    await doctor.getByText('Данные актуальны').waitFor({ timeout: 60_000 });
    await nurseContext.setOffline(false);

    await nurse.goto(`${register.url}/sync`);
    await waitForScreen(nurse, ['rp-sync-panel', 'rp-lock-page'], 60_000);
    if ((await waitForScreen(nurse, ['rp-sync-panel', 'rp-lock-page'])) === 'rp-lock-page') {
      await nurse.getByLabel('Пароль').fill(NURSE_PASSWORD);
      await nurse.getByRole('button', { name: 'Разблокировать' }).click();
      await waitForScreen(nurse, ['rp-sync-panel'], 60_000);
    }
    await nurse.getByRole('button', { name: 'Синхронизировать сейчас' }).click();
    const compare = nurse.getByRole('button', { name: /^Сравнить: patient:/ });
    await compare.waitFor({ timeout: 60_000 });
    await compare.click();
    // The field in the forms' words, each version's value as the form shows it.
    const caregiverRow = nurse.getByRole('row', { name: /^Есть ли кому ухаживать/ });
    await caregiverRow.waitFor();
    const cells = (await caregiverRow.locator('td .value').allTextContents()).map((text) => text.trim());
    expect([...cells].sort()).toEqual(['нет', 'частично']);
    const keep = cells.indexOf('частично') + 1;
    await nurse.getByRole('button', { name: `Оставить версию ${keep}` }).click();
    await compare.waitFor({ state: 'hidden', timeout: 30_000 });

    // On the server: one version of the record, the nurse's; the doctor's is in a conflict-resolved audit event.
    const facilityDb = `facility-${FACILITY.id}`;
    for (let attempt = 0; ; attempt += 1) {
      const all = await register.store.expect<{ rows: { doc: Record<string, unknown> }[] }>(
        'GET',
        `/${facilityDb}/_all_docs?include_docs=true&conflicts=true`,
        undefined,
      );
      const record = all.body.rows.map((row) => row.doc).find((doc) => doc.type === 'patient');
      const resolved = all.body.rows
        .map((row) => row.doc)
        .find((doc) => doc.type === 'audit' && doc.action === 'conflict-resolved' && doc.docId === record?._id);
      if (record && !record._conflicts && resolved) {
        expect(record.caregiver).toBe('partial');
        expect((resolved.losing as { caregiver?: string }).caregiver).toBe('none');
        break;
      }
      if (attempt > 100) throw new Error('the resolution never reached the server');
      await new Promise((done) => setTimeout(done, 200));
    }
  });
});
