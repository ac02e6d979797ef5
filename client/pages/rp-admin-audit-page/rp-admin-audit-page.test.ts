import { assert, expect, html } from '@open-wc/testing';
import './rp-admin-audit-page.ts';
import { auditFilterFrom, type RpAdminAuditPage } from './rp-admin-audit-page.ts';
import { MemoryAdminApi, renderAdmin } from '../../admin/testing/admin-test-context.ts';

describe('rp-admin-audit-page', () => {
  it('turns the period into the whole of both days', () => {
    const filter = auditFilterFrom({ login: 'Ivanova', event: 'login', from: '2026-11-01', to: '2026-11-30' });
    assert.equal(filter.login, 'ivanova');
    assert.equal(filter.event, 'login');
    assert.equal(filter.from, new Date(2026, 10, 1).toISOString());
    assert.equal(filter.to, new Date(2026, 10, 30, 23, 59, 59, 999).toISOString());
  });

  it('lists events with their details and is accessible', async () => {
    const page = await renderAdmin<RpAdminAuditPage>(
      html`<rp-admin-audit-page .api=${new MemoryAdminApi()}></rp-admin-audit-page>`,
      'rp-admin-audit-page',
    );
    const started = Date.now();
    while (page.events === null && Date.now() - started < 5000) await new Promise((resolve) => setTimeout(resolve, 20));
    await page.updateComplete;
    const body = page.shadowRoot?.querySelector('tbody')?.textContent ?? '';
    assert.include(body, 'ip: 10.0.0.1');
    // Events are named in Russian, and the filter offers the known ones by name.
    assert.include(body, 'Вход');
    const options = [...(page.shadowRoot?.querySelectorAll('#audit-event option') ?? [])].map((o) => o.textContent);
    assert.includeMembers(options, ['Все события', 'Начата новая эпоха ключей', 'Использован код восстановления']);
    await expect(page).to.be.accessible();
  });
});
