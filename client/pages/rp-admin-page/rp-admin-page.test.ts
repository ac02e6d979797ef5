import { assert, expect, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import './rp-admin-page.ts';
import type { RpAdminPage } from './rp-admin-page.ts';
import { MemoryAdminApi, MemoryReferenceStore, renderAdmin } from '../../admin/testing/admin-test-context.ts';
import { starterReferenceDocs } from '../../../common/reference/starter-docs.ts';

const AUTHORSHIP = { by: 'admin', at: '2026-11-29T08:00:00.000Z' };

async function setup(): Promise<RpAdminPage> {
  const api = new MemoryAdminApi();
  const reference = new MemoryReferenceStore(starterReferenceDocs(AUTHORSHIP));
  return renderAdmin<RpAdminPage>(
    html`<rp-admin-page .api=${api} .reference=${reference} .actor=${'admin'}></rp-admin-page>`,
    'rp-admin-page',
  );
}

function tabs(page: RpAdminPage): HTMLButtonElement[] {
  return [...(page.shadowRoot?.querySelectorAll<HTMLButtonElement>('[role=tab]') ?? [])];
}

function selected(page: RpAdminPage): string {
  return tabs(page).find((tab) => tab.getAttribute('aria-selected') === 'true')?.id ?? '';
}

async function settle(page: RpAdminPage): Promise<void> {
  await page.updateComplete;
  await new Promise((resolve) => setTimeout(resolve, 50));
}

describe('rp-admin-page', () => {
  it('shows four tabs in Russian, staff first, with one tab stop', async () => {
    const page = await setup();
    assert.deepEqual(
      tabs(page).map((tab) => tab.textContent?.trim()),
      ['Сотрудники', 'Учреждения', 'Справочники', 'Журнал'],
    );
    assert.equal(selected(page), 'tab-staff');
    assert.deepEqual(
      tabs(page).map((tab) => tab.tabIndex),
      [0, -1, -1, -1],
    );
    const panel = page.shadowRoot?.querySelector('[role=tabpanel]');
    assert.equal(panel?.getAttribute('aria-labelledby'), 'tab-staff');
    assert.equal(tabs(page)[0]?.getAttribute('aria-controls'), panel?.id);
  });

  it('moves between tabs with the arrow keys, Home and End, and focus follows', async () => {
    const page = await setup();
    tabs(page)[0]?.focus();
    await sendKeys({ press: 'ArrowRight' });
    await page.updateComplete;
    assert.equal(selected(page), 'tab-facilities');
    assert.equal(page.shadowRoot?.activeElement?.id, 'tab-facilities');
    await sendKeys({ press: 'End' });
    await page.updateComplete;
    assert.equal(selected(page), 'tab-audit');
    await sendKeys({ press: 'ArrowRight' });
    await page.updateComplete;
    assert.equal(selected(page), 'tab-staff', 'wraps from the last tab to the first');
    await sendKeys({ press: 'ArrowLeft' });
    await page.updateComplete;
    assert.equal(selected(page), 'tab-audit', 'wraps from the first tab to the last');
    await sendKeys({ press: 'Home' });
    await page.updateComplete;
    assert.equal(selected(page), 'tab-staff');
    assert.equal(page.shadowRoot?.activeElement?.id, 'tab-staff');
  });

  for (const tab of ['staff', 'facilities', 'reference', 'audit'] as const) {
    it(`is accessible on the ${tab} tab`, async () => {
      const page = await setup();
      page.tab = tab;
      await settle(page);
      assert.exists(page.shadowRoot?.querySelector(`#panel-${tab}`));
      await expect(page).to.be.accessible();
    });
  }
});
