/**
 * Markup typed into the administrator's forms stays text. Each free-text field of the staff, reference-book
 * (medicament, district) and facility forms gets `<img src=x onerror=alert(1)>`; the form is saved to the REAL
 * register (admin API and `/db/reference` through the browser tests' proxy, logged in as an administrator), the
 * page lists what was saved, and then no element was made from the text anywhere in the page — neither an `<img>`
 * nor anything carrying an `onerror` attribute, in any shadow root — while the text itself is on the page.
 *
 * "Free-text" is found by trying: every text input of a form gets the markup, and a field the form's validation
 * refuses for its format (a login, an ATC code, an id) gets its ordinary value back before saving again.
 */
import { assert, html } from '@open-wc/testing';
import '../pages/rp-admin-staff-page/rp-admin-staff-page.ts';
import '../pages/rp-admin-reference-page/rp-admin-reference-page.ts';
import '../pages/rp-admin-facilities-page/rp-admin-facilities-page.ts';
import type { RpAdminStaffPage } from '../pages/rp-admin-staff-page/rp-admin-staff-page.ts';
import type { RpAdminReferencePage } from '../pages/rp-admin-reference-page/rp-admin-reference-page.ts';
import type { RpAdminFacilitiesPage } from '../pages/rp-admin-facilities-page/rp-admin-facilities-page.ts';
import { renderAdmin } from '../admin/testing/admin-test-context.ts';
import { HttpAdminApi } from '../admin/http-admin-api.ts';
import { HttpReferenceStore } from '../admin/reference-store.ts';
import { deriveAuthKey } from '../../common/auth-derivation.ts';
import { exportPublicJwk } from '../../common/keys/index.ts';
import type { OwnKeyPair } from '../crypto/user-key-pair.ts';
import { createAccount, uniqueName } from '../test-support/test-register.ts';
import { expectOnlyText, fillAndSave, textInputs, until } from './markup-check.ts';

let admin = '';

/**
 * The reference books are shared by every browser test of the run: an entry edited here is written back as it
 * was (under its new revision) once the test has looked at it.
 */
async function restoring(id: string, test: () => Promise<void>): Promise<void> {
  const path = `/db/reference/${encodeURIComponent(id)}`;
  const original = (await (await fetch(path)).json()) as Record<string, unknown>;
  const restore = async (): Promise<void> => {
    const current = (await (await fetch(path)).json()) as { _rev: string };
    const response = await fetch(path, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...original, _rev: current._rev }),
    });
    if (!response.ok) throw new Error(`${id} could not be restored: ${response.status}`);
  };
  await test().finally(restore);
}

function editedId(page: RpAdminReferencePage): string {
  const editing = page.editing;
  if (editing === null || editing === 'new') throw new Error('no entry is being edited');
  return editing._id;
}

before(async () => {
  const account = await createAccount({
    name: 'xss-admin',
    password: 'xss-admin-pass-2026',
    roles: ['admin'],
    displayName: 'Администратор',
  });
  admin = account.name;
  const { deploymentId } = (await (await fetch('/api/config')).json()) as { deploymentId: string };
  const response = await fetch('/db/_session', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: admin, password: await deriveAuthKey(deploymentId, admin, account.password) }),
  });
  if (!response.ok) throw new Error(`the administrator could not log in: ${response.status}`);
});

afterEach(() => {
  document.body.replaceChildren();
});

// Test files share the browser's cookies: leave no administrator's session behind.
after(async () => {
  await fetch('/db/_session', { method: 'DELETE' });
});

describe('markup typed into the administrator’s forms', () => {
  it('stays text in the staff form and the staff list', async () => {
    const page = await renderAdmin<RpAdminStaffPage>(
      html`<rp-admin-staff-page .api=${new HttpAdminApi()}></rp-admin-staff-page>`,
      'rp-admin-staff-page',
    );
    await until(() => page.staff !== null, 'the staff list');
    [...(page.shadowRoot?.querySelectorAll<HTMLButtonElement>('button') ?? [])]
      .find((button) => button.textContent?.trim() === 'Новый сотрудник')
      ?.click();
    await page.updateComplete;
    await page.form?.updateComplete;
    page.form?.shadowRoot?.querySelector<HTMLInputElement>('input[name=roles][value=analyst]')?.click();
    const login = uniqueName('xss').toLowerCase();
    const fields = await fillAndSave(
      () => page.form?.shadowRoot,
      { login },
      () => page.issued !== null,
    );
    assert.include(fields, 'displayName');
    await until(() => page.staff?.some((member) => member.login === login) === true, 'the new member in the list');
    await page.updateComplete;
    await expectOnlyText();
  });

  it('stays text in the medicament form and the medicament list', async () => {
    const reference = new HttpReferenceStore();
    const page = await renderAdmin<RpAdminReferencePage>(
      html`<rp-admin-reference-page .reference=${reference} .actor=${admin}></rp-admin-reference-page>`,
      'rp-admin-reference-page',
    );
    await until(() => page.medicaments !== null, 'the medicaments');
    page.shadowRoot?.querySelector<HTMLButtonElement>('button[aria-label^="Изменить"]')?.click();
    await page.updateComplete;
    await restoring(editedId(page), async () => {
      const form = () => page.shadowRoot?.querySelector('rp-admin-medicament-form')?.shadowRoot;
      await until(() => form() !== null && form() !== undefined, 'the medicament form');
      const ordinary = Object.fromEntries(textInputs(form() as ShadowRoot).map((input) => [input.id, input.value]));
      const fields = await fillAndSave(form, ordinary, () => page.editing === null);
      assert.includeMembers(fields, ['innRu', 'note']);
      await page.updateComplete;
      await expectOnlyText();
    });
  });

  it('stays text in the district form and the district list', async () => {
    const reference = new HttpReferenceStore();
    const page = await renderAdmin<RpAdminReferencePage>(
      html`<rp-admin-reference-page .reference=${reference} .actor=${admin}></rp-admin-reference-page>`,
      'rp-admin-reference-page',
    );
    await until(() => page.medicaments !== null, 'the reference books');
    [...(page.shadowRoot?.querySelectorAll<HTMLButtonElement>('.books button') ?? [])]
      .find((button) => /район/i.test(button.textContent ?? ''))
      ?.click();
    await page.updateComplete;
    await until(() => page.shadowRoot?.querySelector('button[aria-label^="Изменить"]') !== null, 'the districts');
    page.shadowRoot?.querySelector<HTMLButtonElement>('button[aria-label^="Изменить"]')?.click();
    await page.updateComplete;
    await restoring(editedId(page), async () => {
      const form = () => page.shadowRoot?.querySelector('rp-admin-district-form')?.shadowRoot;
      await until(() => form() !== null && form() !== undefined, 'the district form');
      const ordinary = Object.fromEntries(textInputs(form() as ShadowRoot).map((input) => [input.id, input.value]));
      const fields = await fillAndSave(form, ordinary, () => page.editing === null);
      assert.include(fields, 'name');
      await page.updateComplete;
      await expectOnlyText();
    });
  });

  it('stays text in the facility form and the facility list', async () => {
    const pair = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits']);
    const ownKeys: OwnKeyPair = {
      login: admin,
      publicKeyJwk: await exportPublicJwk(pair.publicKey),
      privateKey: pair.privateKey,
    };
    const page = await renderAdmin<RpAdminFacilitiesPage>(
      html`<rp-admin-facilities-page
        .api=${new HttpAdminApi()}
        .reference=${new HttpReferenceStore()}
        .actor=${admin}
        .ownKeys=${() => Promise.resolve(ownKeys)}
      ></rp-admin-facilities-page>`,
      'rp-admin-facilities-page',
    );
    await until(() => page.facilities !== null, 'the facilities');
    page.shadowRoot?.querySelector<HTMLButtonElement>('p > .button')?.click();
    await page.updateComplete;
    const id = uniqueName('xss').toLowerCase();
    const fields = await fillAndSave(
      () => (page.shadowRoot?.querySelector('#id') ? page.shadowRoot : null),
      { id },
      () => page.recovery !== null,
    );
    assert.includeMembers(fields, ['name', 'shortName']);
    await until(() => page.facilities?.some((facility) => facility.id === id) === true, 'the new facility in the list');
    await page.updateComplete;
    await expectOnlyText();
  });
});
