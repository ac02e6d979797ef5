import { assert, expect, html } from '@open-wc/testing';
import './rp-home-page.ts';
import type { RpHomePage } from './rp-home-page.ts';
import { createTestServices } from '../../test-support/test-services.ts';
import { renderWith, shadowText, $, find } from '../../test-support/render.ts';
import type { SessionUser } from '../../services/session-service.ts';

async function renderFor(user: SessionUser): Promise<RpHomePage> {
  return renderWith<RpHomePage>(
    createTestServices(),
    html`<rp-home-page .user=${user}></rp-home-page>`,
    'rp-home-page',
  );
}

function sectionIds(page: RpHomePage): string[] {
  return [...(page.shadowRoot?.querySelectorAll<HTMLAnchorElement>('nav a') ?? [])].map(
    (link) => link.dataset.section ?? '',
  );
}

describe('rp-home-page', () => {
  const expected: Array<[string, string[], string[]]> = [
    ['admin', ['admin'], ['patients', 'prescriptions', 'reports', 'administration']],
    ['doctor', ['doctor', 'facility:kem'], ['patients', 'prescriptions', 'reports']],
    ['nurse', ['nurse', 'facility:kem'], ['patients', 'prescriptions']],
    ['analyst', ['analyst'], ['reports']],
    ['a user with no staff role', ['facility:kem'], []],
  ];
  for (const [who, roles, sections] of expected) {
    it(`shows ${who} only the sections their roles allow`, async () => {
      const page = await renderFor({ name: 'u', displayName: 'U', roles });
      assert.deepEqual(sectionIds(page), sections);
    });
  }

  it('greets the user by name and lists their roles in words', async () => {
    const page = await renderFor({
      name: 'anna',
      displayName: 'Анна Иванова',
      roles: ['nurse', 'doctor', 'facility:kem'],
    });
    const text = shadowText(page);
    expect(text).to.contain('Здравствуйте, Анна Иванова!');
    expect(text).to.contain('Роли: медицинская сестра, врач');
    expect(text).to.not.contain('facility:kem');
  });

  it('offers every section the roles allow, none marked as in development', async () => {
    const page = await renderFor({ name: 'a', displayName: 'A', roles: ['analyst'] });
    expect(find(page, 'a[data-section=reports]')?.textContent).to.not.contain('Раздел в разработке');
  });

  it('asks the shell to navigate when a section is chosen', async () => {
    const page = await renderFor({ name: 'a', displayName: 'A', roles: ['admin'] });
    let path = '';
    page.addEventListener('rp-navigate', (event) => (path = event.detail.path));
    $<HTMLAnchorElement>(page, 'a[data-section=administration]').click();
    assert.deepEqual(path, '/administration');
  });

  it('changes the idle-lock time', async () => {
    const services = createTestServices();
    const page = await renderWith<RpHomePage>(
      services,
      html`<rp-home-page .user=${{ name: 'a', displayName: 'A', roles: ['nurse'] }}></rp-home-page>`,
      'rp-home-page',
    );
    const select = $<HTMLSelectElement>(page, '#idle-minutes');
    assert.deepEqual(select.value, '10');
    select.value = '30';
    select.dispatchEvent(new Event('change'));
    assert.deepEqual(services.lock.idleMinutes, 30);
  });

  it('is accessible', async () => {
    const page = await renderFor({ name: 'a', displayName: 'A', roles: ['admin'] });
    await expect(page).to.be.accessible();
  });
});
