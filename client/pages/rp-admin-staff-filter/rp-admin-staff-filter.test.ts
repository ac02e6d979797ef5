import { assert, expect, html, oneEvent } from '@open-wc/testing';
import './rp-admin-staff-filter.ts';
import type { RpAdminStaffFilter } from './rp-admin-staff-filter.ts';
import { FACILITIES, renderAdmin } from '../../admin/testing/admin-test-context.ts';
import type { StaffFilter } from '../../admin/admin-types.ts';

describe('rp-admin-staff-filter', () => {
  it('hands the chosen text, role, facility and state to the page', async () => {
    const filter = await renderAdmin<RpAdminStaffFilter>(
      html`<rp-admin-staff-filter .facilities=${FACILITIES}></rp-admin-staff-filter>`,
      'rp-admin-staff-filter',
    );
    const root = filter.shadowRoot;
    const set = (selector: string, value: string) => {
      const control = root?.querySelector<HTMLInputElement | HTMLSelectElement>(selector);
      if (control) control.value = value;
    };
    set('#filter-q', ' иван ');
    set('#filter-role', 'nurse');
    set('#filter-facility', 'hospice-ptz');
    set('#filter-status', 'active');
    const chosen = oneEvent(filter, 'rp-staff-filter') as Promise<CustomEvent<StaffFilter>>;
    root?.querySelector<HTMLButtonElement>('button[type=submit]')?.click();
    assert.deepEqual((await chosen).detail, { q: 'иван', role: 'nurse', facility: 'hospice-ptz', status: 'active' });
    await expect(filter).to.be.accessible();
  });
});
