/**
 * The audit page: the server's journal over an admin API stand-in, and the devices' journal against the real
 * register — a nurse's device writes audit events into her facility's database, an administrator who is not a
 * member reads them by name, with a resolved conflict's losing version shown as field names only.
 */
import { assert, expect, html } from '@open-wc/testing';
import './rp-admin-audit-page.ts';
import { auditFilterFrom, type RpAdminAuditPage } from './rp-admin-audit-page.ts';
import { deviceAuditFilterFrom } from './device-audit-view.ts';
import { MemoryAdminApi, renderAdmin } from '../../admin/testing/admin-test-context.ts';
import { HttpAdminApi } from '../../admin/http-admin-api.ts';
import { auditEvent, passportDoc } from '../../../common/records/test-fixtures.ts';
import { createTestServices } from '../../test-support/test-services.ts';
import { createAccount, createTestFacility } from '../../test-support/test-register.ts';
import { until } from '../../test-support/render.ts';

const LOSING_CT = 'U2VjcmV0LXN1cm5hbWUtY2lwaGVydGV4dA';

function text(page: RpAdminAuditPage): string {
  return page.shadowRoot?.textContent?.replace(/\s+/g, ' ') ?? '';
}

/** Writes audit events as the nurse's device replicates them: through the gateway, under her own session. */
async function nurseWritesEvents(): Promise<{ facilityId: string; nurse: string }> {
  const facilityId = await createTestFacility('journal');
  const nurse = await createAccount({
    name: 'nina',
    password: 'correct horse battery',
    roles: ['nurse', `facility:${facilityId}`],
    displayName: 'Нина',
  });
  const services = createTestServices();
  await services.session.start();
  await services.session.login(nurse.name, nurse.password);
  const passport = passportDoc();
  const event = (at: string, change: Record<string, unknown>) => ({
    ...auditEvent(nurse.name),
    _id: `audit:${nurse.name}:${at}:${crypto.randomUUID()}`,
    at,
    createdAt: at,
    ...change,
  });
  const events = [
    event('2026-11-20T08:00:00.000Z', { action: 'passport-opened', docId: passport._id }),
    event('2026-11-21T08:00:00.000Z', {
      action: 'conflict-resolved',
      docId: passport._id,
      rev: '3-abc',
      losing: { ...passport, _rev: '3-def', kid: `${facilityId}:1`, ct: LOSING_CT },
    }),
  ];
  for (const doc of events) {
    const answer = await fetch(`/db/facility-${facilityId}/${encodeURIComponent(doc._id)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(doc),
    });
    assert.equal(answer.status, 201, await answer.text());
  }
  await services.session.logout();
  return { facilityId, nurse: nurse.name };
}

describe('rp-admin-audit-page', () => {
  it('turns the period into the whole of both days', () => {
    const filter = auditFilterFrom({ login: 'Ivanova', event: 'login', from: '2026-11-01', to: '2026-11-30' });
    assert.equal(filter.login, 'ivanova');
    assert.equal(filter.event, 'login');
    assert.equal(filter.from, new Date(2026, 10, 1).toISOString());
    assert.equal(filter.to, new Date(2026, 10, 30, 23, 59, 59, 999).toISOString());
    const devices = deviceAuditFilterFrom({ facility: 'a', action: 'printed', login: 'Nina', from: '', to: '' });
    assert.deepEqual(devices, { limit: 100, facility: 'a', action: 'printed', login: 'nina' });
    assert.notProperty(
      deviceAuditFilterFrom({ facility: '', action: 'dropped', login: '', from: '', to: '' }),
      'action',
    );
  });

  it('lists events with their details and is accessible', async () => {
    const page = await renderAdmin<RpAdminAuditPage>(
      html`<rp-admin-audit-page .api=${new MemoryAdminApi()}></rp-admin-audit-page>`,
      'rp-admin-audit-page',
    );
    await until(() => page.events !== null);
    await page.updateComplete;
    const body = page.shadowRoot?.querySelector('tbody')?.textContent ?? '';
    assert.include(body, 'ip: 10.0.0.1');
    // Events are named in Russian, and the filter offers the known ones by name.
    assert.include(body, 'Вход');
    const options = [...(page.shadowRoot?.querySelectorAll('#audit-event option') ?? [])].map((o) => o.textContent);
    assert.includeMembers(options, ['Все события', 'Начата новая эпоха ключей', 'Использован код восстановления']);
    await expect(page).to.be.accessible();
  });

  it("shows the devices' events from the real register by name, never a losing version's content", async () => {
    const { facilityId, nurse } = await nurseWritesEvents();
    const admin = await createAccount({
      name: 'admin',
      password: 'correct horse battery',
      roles: ['admin'],
      displayName: 'Администратор',
    });
    const services = createTestServices();
    await services.session.start();
    await services.session.login(admin.name, admin.password);

    const page = await renderAdmin<RpAdminAuditPage>(
      html`<rp-admin-audit-page .api=${new HttpAdminApi()}></rp-admin-audit-page>`,
      'rp-admin-audit-page',
    );
    const devices = page.shadowRoot?.querySelector<HTMLInputElement>('input[name="audit-source"][value="devices"]');
    assert.exists(devices);
    devices?.click();
    await until(() => page.deviceEvents !== null);
    await page.updateComplete;
    const options = [...(page.shadowRoot?.querySelectorAll('#device-action option') ?? [])].map((o) => o.textContent);
    assert.includeMembers(options, ['Все события', 'Открыт паспорт пациента', 'Разрешён конфликт версий']);

    // Only this nurse's events: other tests write into the same register.
    const login = page.shadowRoot?.querySelector<HTMLInputElement>('#device-login');
    if (!login) throw new Error('no login filter');
    login.value = nurse;
    page.shadowRoot?.querySelector<HTMLButtonElement>('form button[type="submit"]')?.click();
    await until(() => (page.deviceEvents ?? []).length === 2);
    await page.updateComplete;
    const rows = [...(page.shadowRoot?.querySelectorAll('tbody tr') ?? [])].map(
      (row) => row.textContent?.replace(/\s+/g, ' ') ?? '',
    );
    assert.equal(rows.length, 2);
    assert.include(rows[0], 'Разрешён конфликт версий');
    assert.include(rows[0], facilityId);
    assert.include(rows[0], 'Паспорт пациента');
    assert.include(rows[0], 'Проигравшая версия 3-def сохранена в событии; её поля: ct, iv, kid, type, v');
    assert.include(rows[1], 'Открыт паспорт пациента');
    assert.include(rows[1], nurse);
    assert.notInclude(text(page), LOSING_CT);
    assert.notInclude(text(page), 'Показать ещё', 'two events fit on one page');
    await expect(page).to.be.accessible();
  });
});
