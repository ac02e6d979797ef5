import { assert, expect, html } from '@open-wc/testing';
import './rp-admin-reference-page.ts';
import type { RpAdminReferencePage } from './rp-admin-reference-page.ts';
import type { RpAdminMedicamentForm } from '../rp-admin-medicament-form/rp-admin-medicament-form.ts';
import { MemoryReferenceStore, renderAdmin } from '../../admin/testing/admin-test-context.ts';
import { starterReferenceDocs } from '../../../common/reference/starter-docs.ts';
import { isMedicament } from '../../../common/reference/types.ts';

async function setup(
  reference = new MemoryReferenceStore(starterReferenceDocs({ by: 'admin', at: '2026-11-29T08:00:00.000Z' })),
) {
  const page = await renderAdmin<RpAdminReferencePage>(
    html`<rp-admin-reference-page .reference=${reference} .actor=${'admin'}></rp-admin-reference-page>`,
    'rp-admin-reference-page',
  );
  await until(() => page.medicaments !== null);
  return { page, reference };
}

async function until(check: () => boolean): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > 10_000) throw new Error('the condition did not become true in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function openNewMedicament(page: RpAdminReferencePage): Promise<RpAdminMedicamentForm> {
  page.shadowRoot?.querySelector<HTMLButtonElement>('p > .button')?.click();
  await page.updateComplete;
  const form = page.shadowRoot?.querySelector('rp-admin-medicament-form');
  if (!form) throw new Error('the medicament form did not open');
  await form.updateComplete;
  return form;
}

function messageFor(form: RpAdminMedicamentForm, id: string): string {
  const ids = (form.shadowRoot?.querySelector(`#${id}`)?.getAttribute('aria-describedby') ?? '').split(' ');
  return ids
    .filter((described) => described.endsWith('-error'))
    .map((described) => form.shadowRoot?.getElementById(described)?.textContent?.trim() ?? '')
    .join(' ');
}

describe('rp-admin-reference-page', () => {
  it('finds medicaments by INN in any case', async () => {
    const { page } = await setup();
    const search = page.shadowRoot?.querySelector<HTMLInputElement>('#medicament-query');
    if (!search) throw new Error('no search field');
    search.value = 'МОРФИН';
    search.dispatchEvent(new InputEvent('input'));
    await page.updateComplete;
    const rows = [...(page.shadowRoot?.querySelectorAll('tbody tr') ?? [])];
    assert.isAbove(rows.length, 0);
    assert.isTrue(rows.every((row) => row.textContent?.includes('Морфин')));
  });

  it('shows the shared validation messages next to the medicament fields', async () => {
    const { page } = await setup();
    const form = await openNewMedicament(page);
    form.shadowRoot?.querySelector<HTMLButtonElement>('button[type=submit]')?.click();
    await until(() => Object.keys(form.errors).length > 0);
    await form.updateComplete;
    assert.equal(messageFor(form, 'innRu'), 'Укажите МНН на русском языке.');
    assert.include(messageFor(form, 'atcCode'), 'Код АТХ');
    assert.include(messageFor(form, 'strength'), 'Дозировка');
    await expect(form).to.be.accessible();
  });

  it('writes a valid medicament and lists it', async () => {
    const { page, reference } = await setup();
    const form = await openNewMedicament(page);
    const set = (id: string, value: string) => {
      const input = form.shadowRoot?.querySelector<HTMLInputElement | HTMLSelectElement>(`#${id}`);
      if (input) input.value = value;
    };
    set('innRu', 'Тапентадол');
    set('innLatin', 'Tapentadolum');
    set('atcCode', 'n02ax06');
    set('strength', '50');
    set('opioidClass', 'strong');
    form.shadowRoot?.querySelector<HTMLButtonElement>('button[type=submit]')?.click();
    await until(() => reference.docs.has('medicament:tapentadolum-tablet-50-mg'));
    const saved = reference.docs.get('medicament:tapentadolum-tablet-50-mg');
    assert.isTrue(isMedicament(saved));
    await until(() => page.shadowRoot?.textContent?.includes('Тапентадол') === true);
  });

  it('deactivates a district instead of deleting it', async () => {
    const { page, reference } = await setup();
    page.shadowRoot?.querySelectorAll<HTMLButtonElement>('.books .button')[1]?.click();
    await page.updateComplete;
    const first = page.districts?.[0];
    if (!first) throw new Error('no districts');
    page.shadowRoot?.querySelector<HTMLButtonElement>(`button[aria-label="Отключить: ${first.name}"]`)?.click();
    await until(() => reference.docs.get(first._id)?.active === false);
    assert.isTrue(reference.docs.has(first._id));
  });
});
