import { assert, expect, html } from '@open-wc/testing';
import './rp-admin-diagnoses.ts';
import type { RpAdminDiagnoses } from './rp-admin-diagnoses.ts';
import { MemoryReferenceStore, renderAdmin } from '../../admin/testing/admin-test-context.ts';
import { starterReferenceDocs } from '../../../common/reference/starter-docs.ts';

describe('rp-admin-diagnoses', () => {
  it('searches the stored ICD-10 chunks offline, by words and by code typed in Cyrillic', async () => {
    const reference = new MemoryReferenceStore(starterReferenceDocs({ by: 'admin', at: '2026-11-29T08:00:00.000Z' }));
    const element = await renderAdmin<RpAdminDiagnoses>(
      html`<rp-admin-diagnoses .reference=${reference} .actor=${'admin'}></rp-admin-diagnoses>`,
      'rp-admin-diagnoses',
    );
    const started = Date.now();
    while (element.chunks === null && Date.now() - started < 5000) await new Promise((r) => setTimeout(r, 20));
    const query = element.shadowRoot?.querySelector<HTMLInputElement>('#diagnosis-query');
    if (!query) throw new Error('no search field');
    query.value = 'рак легкого';
    query.dispatchEvent(new InputEvent('input'));
    await element.updateComplete;
    assert.include(element.shadowRoot?.querySelector('tbody')?.textContent ?? '', 'C34');
    query.value = 'С34'; // a Cyrillic "С"
    query.dispatchEvent(new InputEvent('input'));
    await element.updateComplete;
    assert.equal(element.results?.[0]?.code, 'C34');
    await expect(element).to.be.accessible();
  });
});
