import { assert, expect, fixture, html } from '@open-wc/testing';
import './rp-reports-page.ts';
import '../../app/rp-app/rp-app.ts';
import type { RpApp } from '../../app/rp-app/rp-app.ts';
import type { RpReportsPage } from './rp-reports-page.ts';
import { checkChoice, defaultChoice, presetPeriod, summaryFileName } from './summary-choice.ts';
import { reportFacilities } from './report-facilities.ts';
import { HttpReferenceStore } from '../../admin/reference-store.ts';
import { createTestServices, type TestServices } from '../../test-support/test-services.ts';
import { $, find, renderWith, shadowText, until } from '../../test-support/render.ts';
import {
  createAccount,
  createTestFacility,
  endServerSession,
  writeReferenceDocument,
  type TestAccount,
} from '../../test-support/test-register.ts';

const PASSWORD = 'Ладога-Онего-Сегозеро-2026!';
const TODAY = '2026-11-15';
/** Inside the previous year of TODAY, so the "previous year" preset reports on it. */
const INCLUDED = '2025-03-10';

function facilityDoc(id: string, name: string, active = true) {
  const now = new Date().toISOString();
  return {
    _id: `facility:${id}`,
    type: 'facility',
    id,
    name,
    active,
    createdBy: 'admin',
    createdAt: now,
    updatedBy: 'admin',
    updatedAt: now,
  };
}

/** A pseudonymous medical record as a doctor of the facility writes it (no passport: the report never reads one). */
function patientRecord(login: string) {
  return {
    _id: `patient:${crypto.randomUUID()}`,
    type: 'patient',
    sex: 'female',
    birthYear: 1950,
    districtId: 'district:petrozavodsk',
    diseaseGroup: 'cancer',
    diagnoses: [{ code: 'C34.1', role: 'main' }],
    eligibility: 'incurable-cancer',
    inclusionDate: INCLUDED,
    statusHistory: [{ from: INCLUDED, status: 'active' }],
    careSettingHistory: [{ from: INCLUDED, setting: 'home' }],
    needsHistory: [{ from: INCLUDED, needs: {} }],
    caregiver: 'available',
    createdBy: login,
    createdAt: `${INCLUDED}T09:00:00.000Z`,
  };
}

async function signedIn(account: TestAccount): Promise<TestServices> {
  const services = createTestServices({ replication: 'scripted' });
  await services.session.start();
  await services.session.login(account.name, account.password);
  return services;
}

async function renderPage(services: TestServices, roles: string[]): Promise<RpReportsPage> {
  const page = await renderWith<RpReportsPage>(
    services,
    html`<rp-reports-page
      .reference=${new HttpReferenceStore()}
      .roles=${roles}
      .today=${TODAY}
      .fetchImpl=${services.network.fetch}
    ></rp-reports-page>`,
    'rp-reports-page',
  );
  await until(() => page.facilities !== null);
  await page.updateComplete;
  return page;
}

function click(page: RpReportsPage, selector: string): void {
  $<HTMLElement>(page, selector).click();
}

/** Leaves only `facilityId` checked, as a member does with «Снять все» and one checkbox. */
async function chooseOnly(page: RpReportsPage, facilityId: string): Promise<void> {
  click(page, '[data-action=none]');
  await page.updateComplete;
  click(page, `input[name=facility][value="${facilityId}"]`);
  await page.updateComplete;
}

function reportRequests(services: TestServices): string[] {
  return services.network.sent().filter((request) => request.includes('/api/reports/'));
}

describe('summary choice', () => {
  it('defaults to the previous calendar month and counts presets back from today', () => {
    assert.deepInclude(defaultChoice(TODAY), { from: '2026-10-01', to: '2026-10-31', nextDays: '30', format: 'pdf' });
    assert.deepEqual(presetPeriod('month', '2026-01-20'), { from: '2025-12-01', to: '2025-12-31' });
    assert.deepEqual(presetPeriod('quarter', TODAY), { from: '2026-07-01', to: '2026-09-30' });
    assert.deepEqual(presetPeriod('quarter', '2026-02-03'), { from: '2025-10-01', to: '2025-12-31' });
    assert.deepEqual(presetPeriod('year', TODAY), { from: '2025-01-01', to: '2025-12-31' });
  });

  it('finds what the page can tell without the server', () => {
    const fine = { ...defaultChoice(TODAY), facilities: ['a'] };
    assert.deepEqual(checkChoice(fine), {});
    assert.deepEqual(checkChoice({ ...fine, from: '2026-11-01', to: '2026-10-01', facilities: [], nextDays: '0' }), {
      from: 'reports.summary.invalid.order',
      facilities: 'reports.summary.invalid.facilities',
      nextDays: 'reports.summary.invalid.nextDays',
    });
    assert.deepEqual(checkChoice({ ...fine, from: '2026-02-30', to: '', nextDays: '1.5' }), {
      from: 'reports.summary.invalid.from',
      to: 'reports.summary.invalid.to',
      nextDays: 'reports.summary.invalid.nextDays',
    });
    assert.deepEqual(checkChoice({ ...fine, nextDays: '367' }), { nextDays: 'reports.summary.invalid.nextDays' });
  });

  it('names the file in ASCII after the period', () => {
    assert.equal(
      summaryFileName({ from: '2026-10-01', to: '2026-10-31', format: 'pdf' }),
      'svodnyj-otchet_2026-10-01_2026-10-31.pdf',
    );
  });

  it('offers analysts every active facility and a doctor only their own', () => {
    const docs = [facilityDoc('kem', 'Кемь'), facilityDoc('old', 'Закрытая', false), facilityDoc('belo', 'Беломорск')];
    assert.deepEqual(
      reportFacilities(docs, ['analyst']).map((facility) => facility.id),
      ['belo', 'kem'],
    );
    assert.deepEqual(reportFacilities(docs, ['doctor', 'facility:kem', 'facility:new']), [
      { id: 'kem', name: 'Кемь' },
      { id: 'new', name: 'new' },
    ]);
  });
});

describe('rp-reports-page', () => {
  let facilityId = '';
  let facilityName = '';
  let closedId = '';
  let analyst: TestAccount;
  let doctor: TestAccount;

  before(async () => {
    facilityId = await createTestFacility('rep');
    facilityName = `Хоспис ${facilityId}`;
    closedId = await createTestFacility('closed');
    await writeReferenceDocument(facilityDoc(facilityId, facilityName));
    await writeReferenceDocument(facilityDoc(closedId, `Закрытая ${closedId}`, false));
    analyst = await createAccount({ name: 'analyst', password: PASSWORD, roles: ['analyst'], displayName: 'Аналитик' });
    doctor = await createAccount({
      name: 'doctor',
      password: PASSWORD,
      roles: ['doctor', `facility:${facilityId}`],
      displayName: 'Врач',
    });
    // The doctor records one patient in the facility, through the gateway, as their device would.
    const services = await signedIn(doctor);
    const record = patientRecord(doctor.name);
    const response = await fetch(`/db/facility-${facilityId}/${encodeURIComponent(record._id)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(record),
    });
    assert.equal(response.status, 201, await response.clone().text());
    await services.dispose();
  });

  it("is what rp-app shows at /reports, with the facilities of the member's reference replica", async () => {
    const services = createTestServices();
    const app = await fixture<RpApp>(html`<rp-app .services=${services}></rp-app>`);
    try {
      await services.session.start();
      await services.session.login(analyst.name, analyst.password);
      app.dispatchEvent(new CustomEvent('rp-navigate', { detail: { path: '/reports' } }));
      await until(() => find(app, 'main')?.firstElementChild?.localName === 'rp-reports-page');
      const page = $<RpReportsPage>(app, 'rp-reports-page');
      // The replica is filled by the real replication; the page reads the list again once it is up to date.
      await until(() => page.facilities?.some((facility) => facility.id === facilityId) ?? false, 20_000);
      await page.updateComplete;
      expect(shadowText(page)).to.contain(facilityName);
      assert.isTrue($<HTMLInputElement>(page, `input[name=facility][value="${facilityId}"]`).checked);
    } finally {
      history.replaceState(null, '', '/');
    }
  });

  it('starts with the previous month, all of the facilities chosen, and moves the period with the presets', async () => {
    const services = await signedIn(analyst);
    const page = await renderPage(services, analyst.roles);
    assert.equal($<HTMLInputElement>(page, '#period-from').value, '2026-10-01');
    assert.equal($<HTMLInputElement>(page, '#period-to').value, '2026-10-31');
    assert.equal($(page, '[data-preset=month]').getAttribute('aria-pressed'), 'true');
    assert.equal($<HTMLInputElement>(page, '#next-days').value, '30');
    assert.isTrue($<HTMLInputElement>(page, 'input[name=format][value=pdf]').checked);
    assert.isTrue($<HTMLInputElement>(page, `input[name=facility][value="${facilityId}"]`).checked);
    assert.isNull(find(page, `input[name=facility][value="${closedId}"]`), 'an inactive facility is not offered');

    click(page, '[data-preset=quarter]');
    await page.updateComplete;
    assert.equal($<HTMLInputElement>(page, '#period-from').value, '2026-07-01');
    assert.equal($<HTMLInputElement>(page, '#period-to').value, '2026-09-30');
    assert.equal($(page, '[data-preset=quarter]').getAttribute('aria-pressed'), 'true');
    click(page, '[data-preset=year]');
    await page.updateComplete;
    assert.equal($<HTMLInputElement>(page, '#period-from').value, '2025-01-01');

    click(page, '[data-action=none]');
    await page.updateComplete;
    assert.isEmpty(page.choice.facilities);
    click(page, '[data-action=all]');
    await page.updateComplete;
    assert.include(page.choice.facilities, facilityId);
    await expect(page).to.be.accessible();
  });

  it('offers a doctor only their own facilities', async () => {
    const services = await signedIn(doctor);
    const page = await renderPage(services, doctor.roles);
    const offered = [...(page.shadowRoot?.querySelectorAll<HTMLInputElement>('input[name=facility]') ?? [])];
    assert.deepEqual(
      offered.map((box) => box.value),
      [facilityId],
    );
    expect(shadowText(page)).to.contain(facilityName);
  });

  it('shows what is wrong next to each field and sends nothing', async () => {
    const services = await signedIn(analyst);
    const page = await renderPage(services, analyst.roles);
    const from = $<HTMLInputElement>(page, '#period-from');
    from.value = '2026-12-01';
    from.dispatchEvent(new Event('input'));
    click(page, '[data-action=none]');
    const days = $<HTMLInputElement>(page, '#next-days');
    days.value = '0';
    days.dispatchEvent(new Event('input'));
    await page.updateComplete;
    click(page, '[data-action=build]');
    await until(() => !$(page, '#from-error').hidden);
    await page.updateComplete;
    assert.equal($(page, '#from-error').textContent?.trim(), 'Начало периода позже его конца.');
    assert.equal($(page, '#facilities-error').textContent?.trim(), 'Выберите хотя бы одну организацию.');
    assert.equal($(page, '#next-days-error').textContent?.trim(), 'Укажите целое число дней от 1 до 366.');
    assert.equal(from.getAttribute('aria-invalid'), 'true');
    assert.equal(days.getAttribute('aria-invalid'), 'true');
    assert.equal(page.shadowRoot?.activeElement, from, 'focus goes to the first field to correct');
    assert.isEmpty(reportRequests(services));

    // Correcting a field takes its message away.
    days.value = '60';
    days.dispatchEvent(new Event('input'));
    await page.updateComplete;
    assert.isTrue($(page, '#next-days-error').hidden);
    await expect(page).to.be.accessible();
  });

  it('builds the JSON report for an analyst and shows the figures, small cells hidden', async () => {
    const services = await signedIn(analyst);
    const page = await renderPage(services, analyst.roles);
    await chooseOnly(page, facilityId);
    click(page, '[data-preset=year]');
    click(page, 'input[name=format][value=json]');
    await page.updateComplete;
    click(page, '[data-action=build]');
    await until(() => page.buildState.kind !== 'idle' && page.buildState.kind !== 'building', 60_000);
    await page.updateComplete;
    assert.equal(page.buildState.kind, 'ready', shadowText(page));

    const link = $<HTMLAnchorElement>(page, '[data-action=download]');
    assert.equal(link.getAttribute('download'), 'svodnyj-otchet_2025-01-01_2025-12-31.json');
    assert.match(link.href, /^blob:/);
    assert.equal(page.shadowRoot?.activeElement, link, 'focus goes to the finished file');
    const columns = [...(page.shadowRoot?.querySelectorAll('table.figures[data-section=register] thead th') ?? [])];
    assert.deepEqual(
      columns.map((cell) => cell.textContent?.trim()),
      ['Показатель', facilityName, 'Всего'],
    );
    const registered = $(page, 'table.figures tr[data-line=registered]');
    expect(registered.textContent).to.contain('Состоят в регистре на конец периода');
    const cells = [...registered.querySelectorAll('td')];
    assert.deepEqual(
      cells.map((cell) => cell.dataset.hidden),
      ['small', 'small'],
    );
    expect(cells[0]?.textContent).to.contain('<5').and.to.contain('скрыто: от 1 до 4');
    expect(shadowText(page)).to.contain('Малые значения скрыты');
    await expect(page).to.be.accessible();
  });

  it('shows a doctor the exact figures of their own facility', async () => {
    const services = await signedIn(doctor);
    const page = await renderPage(services, doctor.roles);
    click(page, '[data-preset=year]');
    click(page, 'input[name=format][value=json]');
    await page.updateComplete;
    click(page, '[data-action=build]');
    await until(() => page.buildState.kind === 'ready' || page.buildState.kind === 'failed', 60_000);
    await page.updateComplete;
    const cells = [...(page.shadowRoot?.querySelectorAll('tr[data-line=registered] td') ?? [])];
    assert.deepEqual(
      cells.map((cell) => cell.textContent?.trim()),
      ['1', '1'],
    );
  });

  it("shows the server's refusal next to the field it names", async () => {
    const services = await signedIn(analyst);
    const page = await renderPage(services, analyst.roles);
    await chooseOnly(page, facilityId);
    // Six years: only the server knows the longest period it builds.
    const from = $<HTMLInputElement>(page, '#period-from');
    from.value = '2019-01-01';
    from.dispatchEvent(new Event('input'));
    await page.updateComplete;
    click(page, '[data-action=build]');
    await until(() => page.buildState.kind === 'refused' || page.buildState.kind === 'failed', 30_000);
    await page.updateComplete;
    assert.deepEqual(page.buildState, { kind: 'refused', field: 'to' });
    expect($(page, '#to-error').textContent).to.contain('не может быть длиннее 5 лет');
    assert.equal($(page, '#period-to').getAttribute('aria-invalid'), 'true');
    assert.deepEqual(
      services.network.exchanges.filter((e) => e.path === '/api/reports/summary').map((e) => e.status),
      [400],
    );
  });

  it('shows the progress while the report builds and cancels it', async () => {
    const services = await signedIn(analyst);
    const page = await renderPage(services, analyst.roles);
    await chooseOnly(page, facilityId);
    const held = services.network.holdNext('GET', '/api/reports/summary');
    click(page, '[data-action=build]');
    await held.arrived;
    await page.updateComplete;
    assert.equal(page.buildState.kind, 'building');
    const progress = $<HTMLProgressElement>(page, 'progress');
    assert.isFalse(progress.hasAttribute('value'), 'the progress is indeterminate');
    expect($(page, '[data-elapsed]').textContent).to.match(/Прошло: \d+ с/);
    assert.isTrue($<HTMLButtonElement>(page, '[data-action=build]').disabled);
    await expect(page).to.be.accessible();

    click(page, '[data-action=cancel]');
    await page.updateComplete;
    assert.equal(page.buildState.kind, 'cancelled');
    assert.isNull(find(page, 'progress'));
    expect(shadowText(page)).to.contain('Формирование отчёта отменено.');
    // The held request goes on now, aborted; whatever becomes of it, the page stays cancelled.
    held.release();
    await services.network.drain();
    await page.updateComplete;
    assert.equal(page.buildState.kind, 'cancelled');
    assert.isFalse($<HTMLButtonElement>(page, '[data-action=build]').disabled);
  });

  it('says a network is needed when there is none, and keeps what was chosen', async () => {
    const services = await signedIn(analyst);
    const page = await renderPage(services, analyst.roles);
    await chooseOnly(page, facilityId);
    click(page, '[data-preset=quarter]');
    click(page, 'input[name=format][value=csv]');
    await page.updateComplete;
    services.network.goOffline();
    click(page, '[data-action=build]');
    await until(() => page.buildState.kind === 'failed');
    await page.updateComplete;
    expect($(page, '[role=alert]').textContent).to.contain('Нужна сеть');
    assert.equal($<HTMLInputElement>(page, '#period-from').value, '2026-07-01');
    assert.isTrue($<HTMLInputElement>(page, 'input[name=format][value=csv]').checked);
    assert.isTrue($<HTMLInputElement>(page, `input[name=facility][value="${facilityId}"]`).checked);

    services.network.goOnline();
    click(page, '[data-action=build]');
    await until(() => page.buildState.kind === 'ready' || page.buildState.kind === 'failed', 60_000);
    assert.equal(page.buildState.kind, 'ready');
    assert.equal(
      $<HTMLAnchorElement>(page, '[data-action=download]').getAttribute('download'),
      'svodnyj-otchet_2026-07-01_2026-09-30.csv',
    );
  });

  it('speaks English when the member chose it', async () => {
    const services = createTestServices({ locale: 'en', replication: 'scripted' });
    const page = await renderPage(services, ['analyst']);
    assert.equal(find(page, 'h1')?.textContent, 'Summary report');
    expect(shadowText(page)).to.contain('Previous quarter').and.to.contain('Medicines needed for the next days');
    await expect(page).to.be.accessible();
  });

  it('says so when the session on the server is over', async () => {
    const services = await signedIn(analyst);
    const page = await renderPage(services, analyst.roles);
    await endServerSession();
    click(page, '[data-action=build]');
    await until(() => page.buildState.kind === 'failed', 30_000);
    await page.updateComplete;
    expect($(page, '[role=alert]').textContent).to.contain('Сеанс на сервере закончился');
  });
});
