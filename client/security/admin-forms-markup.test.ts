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

const MARKUP = '<img src=x onerror=alert(1)>';

async function until(check: () => boolean, what: string): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > 20_000) throw new Error(`${what} did not happen in time`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Every element of `root` and of every shadow root below it. */
function deepElements(root: ParentNode): Element[] {
  const found: Element[] = [];
  for (const element of root.querySelectorAll('*')) {
    found.push(element);
    if (element.shadowRoot) found.push(...deepElements(element.shadowRoot));
  }
  return found;
}

/** Every text of the page, shadow roots included, and the values of form controls. */
function deepText(root: ParentNode): string {
  return deepElements(root)
    .map((element) =>
      element instanceof HTMLInputElement
        ? element.value
        : [...element.childNodes]
            .filter((node) => node.nodeType === Node.TEXT_NODE)
            .map((node) => node.textContent)
            .join(''),
    )
    .join('\n');
}

/** The proof: the markup is shown as text, and no element was made from it. */
async function expectOnlyText(): Promise<void> {
  await until(() => deepText(document.body).includes(MARKUP), 'the saved text on the page');
  const elements = deepElements(document.body);
  const made = elements.filter(
    (element) =>
      (element.localName === 'img' && element.getAttribute('src') === 'x') || element.hasAttribute('onerror'),
  );
  assert.deepEqual(
    made.map((element) => element.outerHTML),
    [],
    'an element was made from typed text',
  );
  assert.include(deepText(document.body), MARKUP, 'the typed text is not shown as text');
}

/** Text inputs (not numbers, not search boxes) of a form. */
function textInputs(form: ShadowRoot): HTMLInputElement[] {
  return [...form.querySelectorAll<HTMLInputElement>('input')].filter(
    (input) => (input.type === 'text' || input.type === '') && !input.disabled,
  );
}

/**
 * Puts the markup into every text field of `form`, submits, and gives back its ordinary value to each field the
 * form refuses, until it saves; returns the ids of the fields that were saved with the markup.
 */
async function fillAndSave(
  form: () => ShadowRoot | null | undefined,
  ordinary: Record<string, string>,
  saved: () => boolean,
): Promise<string[]> {
  const root = form();
  if (!root) throw new Error('the form is not open');
  const withMarkup = new Set(textInputs(root).map((input) => input.id));
  for (let attempt = 0; attempt < 6; attempt++) {
    const current = form();
    if (!current) break;
    for (const input of textInputs(current))
      input.value = withMarkup.has(input.id) ? MARKUP : (ordinary[input.id] ?? input.value);
    current.querySelector<HTMLButtonElement>('button[type=submit]')?.click();
    const refusedBefore = (): string[] =>
      [...(form()?.querySelectorAll('.field-error') ?? [])].map((error) => error.id.replace(/-error$/, ''));
    await until(() => saved() || refusedBefore().length > 0 || form() === null, 'saving or a refusal');
    if (saved()) return [...withMarkup];
    const refused = refusedBefore();
    for (const field of refused) {
      const input = textInputs(form() as ShadowRoot).find(
        (candidate) => candidate.id === field || candidate.name === field,
      );
      if (input) withMarkup.delete(input.id);
      else withMarkup.clear();
    }
  }
  throw new Error(`the form never saved: ${deepText(document.body).replace(/\s+/g, ' ').slice(0, 2000)}`);
}

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
