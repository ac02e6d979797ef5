/**
 * The prescription report, in Chromium, in Russian: a doctor registers a patient with a Cyrillic name, writes two
 * prescriptions (morphine, and trimeperidine, which has no oral-morphine factor), picks both in the patient's
 * prescription history and prints. The PDF is built in the browser; pdftotext must read the Russian text back
 * intact, and the facility database on the server must hold the `printed` audit event afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestRegister, stopTestRegister, type TestRegister } from '../helpers/start-register.ts';
import { launchChromium, waitForScreen } from './browser.ts';
import { screenshotsOnFailure } from './failure-screenshots.ts';
import { pdfOfferedBy, signInFirstTime, watchContext, type ContextWatch } from './admin-flows.ts';
import {
  careAdmin,
  confirmPending,
  createFacilityWithKeys,
  enrolMember,
  type Member,
  receiveKeys,
} from './care-team.ts';

const distDir = resolve('dist');
const FACILITY = { id: 'hospice-sortavala', name: 'Хоспис Сортавалы' };
const DOCTOR = { login: 'semenova', displayName: 'Семёнова Ольга Игоревна' };
const DOCTOR_PASSWORD = 'ладожские шхеры валаам рускеала 1632';
const PATIENT = { surname: 'Ёлкина', name: 'Зинаида', patronymic: 'Фёдоровна', birthDate: '1951-07-09' };
const FULL_NAME = `${PATIENT.surname} ${PATIENT.name} ${PATIENT.patronymic}`;

/** The device's date as the report writes it (the prescriptions start today). */
function todayRu(): string {
  const now = new Date();
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${pad(now.getDate())}.${pad(now.getMonth() + 1)}.${now.getFullYear()}`;
}

describe('the prescription report', () => {
  let register: TestRegister;
  let browser: Browser;
  let context: BrowserContext;
  let doctor: Page;
  let member: Member;
  let watch: ContextWatch;

  beforeAll(async () => {
    if (!existsSync(resolve(distDir, 'index.html'))) throw new Error('dist/ is missing: run "npx vite build" first');
    register = await startTestRegister({ staticDir: distDir });
    const admin = await careAdmin(register);
    await createFacilityWithKeys(admin, FACILITY.id, FACILITY.name);
    member = await enrolMember(register, admin, { ...DOCTOR, role: 'doctor', facilities: [FACILITY.id] });
    browser = await launchChromium();
    context = await browser.newContext({ locale: 'ru-RU', acceptDownloads: true });
    watch = watchContext(context);
    doctor = await context.newPage();
    await signInFirstTime(doctor, register.url, member.login, member.oneTimePassword, DOCTOR_PASSWORD);
    expect(await confirmPending(admin)).toEqual([DOCTOR.login]);
    await receiveKeys(doctor);
  }, 180_000);

  screenshotsOnFailure(() => ({ 'prescription-report': doctor }));

  afterAll(async () => {
    await browser?.close();
    if (register) await stopTestRegister(register);
  });

  it('the doctor registers a patient and writes two prescriptions', async () => {
    await doctor.getByRole('link', { name: /Пациенты/ }).click();
    await waitForScreen(doctor, ['rp-patients-section']);
    await doctor.getByRole('link', { name: 'Новый пациент' }).click();
    await doctor.getByLabel('Фамилия', { exact: true }).fill(PATIENT.surname);
    await doctor.getByLabel('Имя', { exact: true }).fill(PATIENT.name);
    await doctor.getByLabel('Отчество', { exact: true }).fill(PATIENT.patronymic);
    await doctor.getByLabel('Дата рождения').fill(PATIENT.birthDate);
    await doctor.getByLabel('Пол', { exact: true }).selectOption({ label: 'женский' });
    await doctor.getByLabel('Район', { exact: true }).selectOption({ index: 1 });
    await doctor.getByLabel('Группа заболеваний').selectOption({ label: 'онкологическое заболевание' });
    await doctor.getByLabel('Найти диагноз по коду или словам').fill('C34');
    await doctor.getByRole('button', { name: /^C34 / }).first().click();
    await doctor.getByLabel('Основание для паллиативной помощи').selectOption({ index: 1 });
    await doctor.getByLabel('Где оказывается помощь').selectOption({ label: 'на дому' });
    await doctor.getByLabel('Есть ли кому ухаживать').selectOption({ label: 'да' });
    await doctor.getByRole('button', { name: 'Зарегистрировать' }).click();
    await doctor.getByRole('heading', { name: FULL_NAME }).waitFor();

    const prescribe = async (search: string, dose: string, number: string) => {
      await doctor.getByRole('button', { name: 'Новое назначение' }).click();
      await doctor.getByLabel('Поиск по МНН, торговому названию или коду АТХ').fill(search);
      await doctor.getByLabel('Препарат из справочника').selectOption({ index: 1 });
      await doctor.getByLabel('Разовая доза').fill(dose);
      await doctor.getByLabel('Раз в сутки').fill('4');
      await doctor.getByLabel('Серия и номер рецепта').fill(number);
      await doctor.getByRole('button', { name: 'Сохранить назначение' }).click();
      await doctor.getByRole('button', { name: 'Сохранить назначение' }).waitFor({ state: 'hidden' });
    };
    // Morphine 5 mg tablets, 10 mg four times a day: 40 mg of oral morphine a day.
    await prescribe('морфин', '10', '107 № 000321');
    await doctor
      .getByRole('row')
      .filter({ hasText: /Морфин/ })
      .first()
      .waitFor();
    // Trimeperidine has no factor in the reference book: "нет коэффициента", never zero.
    await prescribe('тримеперидин', '20', '107 № 000322');
    await doctor
      .getByRole('row')
      .filter({ hasText: /Тримеперидин/ })
      .first()
      .waitFor();
  });

  it('picks both prescriptions and prints a PDF whose Russian text pdftotext reads back', async () => {
    await doctor.getByRole('checkbox', { name: 'Выбрать все' }).check();
    const pdf = await pdfOfferedBy(doctor, doctor.getByRole('button', { name: 'Отчёт по выбранным (2)' }));
    expect(pdf.fileName).toMatch(/^naznacheniya-\d{4}-\d{2}-\d{2}\.pdf$/);
    const text = pdf.text;
    for (const expected of [
      FACILITY.name,
      'Отчёт о назначениях',
      FULL_NAME,
      '09.07.1951',
      'C34',
      'Морфин',
      'Тримеперидин',
      '107/у-НП',
      '№ 107 № 000321',
      'нет коэффициента',
      'Морфиновый эквивалент (внутрь) в сутки за период',
      'нет коэффициента: 1',
      `Период: ${todayRu()} – ${todayRu()}`,
      `Напечатал: ${DOCTOR.displayName} (${DOCTOR.login})`,
      'Страница 1 из 1',
    ])
      expect(text).toContain(expected);
    // Once for the morphine prescription, once for the day's total; "no factor" in the trimeperidine row and in
    // the total (a word split inside a narrow cell would not be found).
    expect(text.match(/40 мг/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
    expect(text.match(/нет коэффициента/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
    expect(text).toContain('парентерально');
    await doctor.getByText(/Отчёт готов/).waitFor();
  });

  it('the printing reaches the server as a `printed` audit event naming both prescriptions', async () => {
    const facilityDb = `facility-${FACILITY.id}`;
    for (let attempt = 0; ; attempt += 1) {
      const all = await register.store.expect<{ rows: { doc: Record<string, unknown> }[] }>(
        'GET',
        `/${facilityDb}/_all_docs?include_docs=true`,
        undefined,
      );
      const docs = all.body.rows.map((row) => row.doc);
      const prescriptions = docs.filter((doc) => doc.type === 'prescription').map((doc) => doc._id);
      const printed = docs.filter((doc) => doc.type === 'audit' && doc.action === 'printed');
      if (prescriptions.length === 2 && printed.length === 2) {
        expect(printed.map((doc) => doc.docId).sort()).toEqual([...prescriptions].sort());
        expect(printed.every((doc) => doc.createdBy === DOCTOR.login)).toBe(true);
        expect(JSON.stringify(docs)).not.toContain(PATIENT.surname);
        break;
      }
      if (attempt > 150) throw new Error('the printed audit event never reached the server');
      await new Promise((done) => setTimeout(done, 200));
    }
    expect(watch.problems).toEqual([]);
  });
});
