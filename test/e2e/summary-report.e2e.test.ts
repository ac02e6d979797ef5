/**
 * The summary report, in Chromium, in Russian: two facilities made by the administrator with real keys, a year of
 * generated patients, visits and prescriptions written into them as the server's administrator (the care pages
 * have their own tests; here only the report's input matters). An analyst, enrolled like any member, opens
 * «Отчёты», looks at the figures of one facility on the page, then builds the PDF of the same choice, downloads it
 * and pdftotext must read the Russian text and the same figures back. A doctor of one facility is offered only
 * that facility.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { deriveAuthKey } from '../../common/auth-derivation.ts';
import { generateRegister } from '../../server/reports/testing/generated-register.ts';
import { startTestRegister, stopTestRegister, type TestRegister } from '../helpers/start-register.ts';
import { launchChromium, waitForScreen } from './browser.ts';
import { screenshotsOnFailure } from './failure-screenshots.ts';
import { pdfOfferedBy, signInFirstTime, watchContext, type ContextWatch } from './admin-flows.ts';
import { careAdmin, createFacilityWithKeys, enrolMember, type CareAdmin } from './care-team.ts';

const distDir = resolve(process.env.E2E_DIST ?? 'dist');
const FACILITIES = [
  { id: 'hospice-kem', name: 'Кемская больница' },
  { id: 'hospice-segezha', name: 'Сегежская ЦРБ' },
];
const [KEM, SEGEZHA] = FACILITIES as [(typeof FACILITIES)[number], (typeof FACILITIES)[number]];
const ANALYST = { login: 'minzdrav', displayName: 'Аналитик Минздрава' };
const ANALYST_ONE_TIME = 'analyst-kq7wd-m3fzp-8hrtx';
const DOCTOR = { login: 'kuzmina', displayName: 'Кузьмина Анна Петровна' };
const NEW_PASSWORD = 'онежское озеро кижи заонежье 1714';
const PERIOD = { from: '2025-01-01', to: '2025-12-31' };

describe('the summary report', () => {
  let register: TestRegister;
  let browser: Browser;
  let context: BrowserContext;
  let analyst: Page;
  let watch: ContextWatch;
  let admin: CareAdmin;
  /** The figures as the page showed them, by line key: the facility's cell and the total, as printed. */
  const shown = new Map<string, string>();

  beforeAll(async () => {
    if (!existsSync(resolve(distDir, 'index.html')))
      throw new Error(`${distDir} has no build: run "npx vite build" (or set E2E_DIST) first`);
    register = await startTestRegister({ staticDir: distDir });
    admin = await careAdmin(register);
    for (const facility of FACILITIES) await createFacilityWithKeys(admin, facility.id, facility.name);
    const generated = generateRegister({
      seed: 1714,
      facilities: FACILITIES.map((facility) => facility.id),
      patientsPerFacility: 40,
      firstDay: '2024-06-01',
      lastDay: '2025-12-31',
    });
    for (const facility of FACILITIES) {
      const written = await register.store.expect<{ error?: string }[]>('POST', `/facility-${facility.id}/_bulk_docs`, {
        docs: generated.byFacility.get(facility.id),
      });
      expect(written.body.filter((row) => row.error)).toEqual([]);
    }
    await admin.api.createStaff({
      login: ANALYST.login,
      displayName: ANALYST.displayName,
      roles: ['analyst'],
      facilities: [],
      authKey: await deriveAuthKey(register.deploymentId, ANALYST.login, ANALYST_ONE_TIME),
    });
    browser = await launchChromium();
    context = await browser.newContext({ locale: 'ru-RU', acceptDownloads: true });
    watch = watchContext(context);
    analyst = await context.newPage();
    await signInFirstTime(analyst, register.url, ANALYST.login, ANALYST_ONE_TIME, NEW_PASSWORD);
  }, 180_000);

  screenshotsOnFailure(() => ({ 'summary-report': analyst }));

  afterAll(async () => {
    await browser?.close();
    if (register) await stopTestRegister(register);
  });

  /** Opens «Отчёты» from home and chooses the period, the one facility and the format. */
  async function choose(page: Page, format: RegExp): Promise<void> {
    await page.getByLabel('Начало периода').fill(PERIOD.from);
    await page.getByLabel('Конец периода').fill(PERIOD.to);
    await page.getByRole('button', { name: 'Снять все' }).click();
    await page.getByRole('checkbox', { name: KEM.name }).check();
    await page.getByRole('radio', { name: format }).check();
  }

  it('the analyst opens «Отчёты» and sees every facility offered', async () => {
    await analyst.getByRole('link', { name: /Отчёты/ }).click();
    await waitForScreen(analyst, ['rp-reports-page']);
    await analyst.getByRole('heading', { name: 'Сводный отчёт', level: 1 }).waitFor();
    // The facilities come from the reference replica, which may still be arriving just after the first sign-in.
    for (const facility of FACILITIES) await analyst.getByRole('checkbox', { name: facility.name }).waitFor();
    expect(new URL(analyst.url()).pathname).toBe('/reports');
  });

  it('shows the figures of one facility on the page (JSON)', async () => {
    await choose(analyst, /JSON/);
    await analyst.getByRole('button', { name: 'Сформировать' }).click();
    await analyst.getByRole('link', { name: /Скачать svodnyj-otchet_2025-01-01_2025-12-31\.json/ }).waitFor({
      timeout: 90_000,
    });
    const table = analyst.getByRole('table', { name: 'Пациенты в регистре на конец периода' });
    await expect(table.getByRole('columnheader').allTextContents()).resolves.toEqual(['Показатель', KEM.name, 'Всего']);
    for (const key of ['registered', 'included']) {
      const cells = (await analyst.locator(`tr[data-line="${key}"] td`).allTextContents()).map((cell) => cell.trim());
      expect(cells).toHaveLength(2);
      expect(cells[0]).toMatch(/^\d+$/);
      shown.set(key, cells.join(' '));
    }
    // Forty patients, most of them on the register: big enough not to be hidden from an analyst.
    expect(Number(shown.get('registered')?.split(' ')[0])).toBeGreaterThanOrEqual(5);
  });

  it('builds the PDF of the same choice, and pdftotext reads the Russian text and the figures back', async () => {
    await analyst.getByRole('radio', { name: /PDF/ }).check();
    await analyst.getByRole('button', { name: 'Сформировать' }).click();
    const link = analyst.getByRole('link', { name: /Скачать svodnyj-otchet_2025-01-01_2025-12-31\.pdf/ });
    await link.waitFor({ timeout: 90_000 });
    const pdf = await pdfOfferedBy(analyst, link);
    expect(pdf.fileName).toBe('svodnyj-otchet_2025-01-01_2025-12-31.pdf');
    for (const expected of [
      'Сводный отчёт регистра паллиативных пациентов',
      KEM.name,
      'Всего',
      'Пациенты в регистре на конец периода',
    ])
      expect(pdf.text).toContain(expected);
    expect(pdf.text).not.toContain(SEGEZHA.name);
    expect(pdf.text).toContain('Период: 01.01.2025 — 31.12.2025');
    // Each line prints its label, its unit, then the facility's figure and the total — the ones the page showed.
    expect(pdf.text).toContain(`Состоят в регистре на конец периода, всего чел. ${shown.get('registered')} `);
    expect(pdf.text).toContain(`Включены в регистр за период чел. ${shown.get('included')} `);
    expect(watch.problems).toEqual([]);
  });

  it('offers a doctor only the facilities they belong to', async () => {
    const member = await enrolMember(register, admin, { ...DOCTOR, role: 'doctor', facilities: [SEGEZHA.id] });
    const doctorContext = await browser.newContext({ locale: 'ru-RU' });
    try {
      const doctor = await doctorContext.newPage();
      await signInFirstTime(doctor, register.url, member.login, member.oneTimePassword, NEW_PASSWORD);
      await doctor.getByRole('link', { name: /Отчёты/ }).click();
      await waitForScreen(doctor, ['rp-reports-page']);
      await doctor.getByRole('checkbox', { name: SEGEZHA.name }).waitFor();
      expect(await doctor.getByRole('checkbox').count()).toBe(1);
      await expect(doctor.getByRole('checkbox', { name: SEGEZHA.name }).isChecked()).resolves.toBe(true);
    } finally {
      await doctorContext.close();
    }
  });
});
