import { assert, expect, fixture, html } from '@open-wc/testing';
import './rp-app.ts';
import type { RpApp } from './rp-app.ts';
import type { RpAppHeader } from '../../components/rp-app-header/rp-app-header.ts';
import type { RpLockPage } from '../../pages/rp-lock-page/rp-lock-page.ts';
import type { RpHomePage } from '../../pages/rp-home-page/rp-home-page.ts';
import type { RpSectionPage } from '../../pages/rp-section-page/rp-section-page.ts';
import { createTestServices, type TestServices } from '../../test-support/test-services.ts';
import { until, $, find } from '../../test-support/render.ts';
import { createAccount, serverSessionUser } from '../../test-support/test-register.ts';

const ADMIN = { name: 'admin', password: 'Some-Strong-Pass-2026!', roles: ['admin'], displayName: 'Администратор' };

function screen(app: RpApp): string {
  return find(app, 'main')?.firstElementChild?.localName ?? '';
}

async function start(services: TestServices): Promise<RpApp> {
  const app = await fixture<RpApp>(html`<rp-app .services=${services}></rp-app>`);
  await services.session.start();
  await app.updateComplete;
  return app;
}

describe('rp-app', () => {
  afterEach(() => history.replaceState(null, '', '/'));

  it('goes from the login page to home, locks, unlocks and logs out', async () => {
    const admin = await createAccount(ADMIN);
    const services = createTestServices();
    const app = await start(services);
    assert.deepEqual(screen(app), 'rp-login-page');

    const login = $(app, 'rp-login-page');
    $<HTMLInputElement>(login, '#username').value = admin.name;
    $<HTMLInputElement>(login, '#password').value = ADMIN.password;
    $<HTMLButtonElement>(login, 'button[type=submit]').click();
    await until(() => screen(app) === 'rp-home-page');

    const header = $<RpAppHeader>(app, 'rp-app-header');
    await header.updateComplete;
    $<HTMLButtonElement>(header, '[data-action=lock]').click();
    await until(() => screen(app) === 'rp-lock-page');

    const lock = $<RpLockPage>(app, 'rp-lock-page');
    await lock.updateComplete;
    $<HTMLInputElement>(lock, '#password').value = ADMIN.password;
    $<HTMLButtonElement>(lock, 'button[type=submit]').click();
    await until(() => screen(app) === 'rp-home-page');

    await header.updateComplete;
    $<HTMLButtonElement>(header, '[data-action=logout]').click();
    await until(() => screen(app) === 'rp-login-page');
    await until(() => services.network.exchanges.some((e) => e.method === 'DELETE' && e.status === 200));
    assert.deepEqual(await serverSessionUser(), null);
  });

  it('opens a section from home and refuses one the roles do not allow', async () => {
    const analyst = await createAccount({ ...ADMIN, name: 'analyst', roles: ['analyst'], displayName: 'Аналитик' });
    const services = createTestServices();
    const app = await start(services);
    await services.session.login(analyst.name, analyst.password);
    await app.updateComplete;
    const home = $<RpHomePage>(app, 'rp-home-page');
    await home.updateComplete;
    $<HTMLAnchorElement>(home, 'a[data-section=reports]').click();
    await until(() => screen(app) === 'rp-reports-page');
    assert.deepEqual(location.pathname, '/reports');

    app.dispatchEvent(new CustomEvent('rp-navigate', { detail: { path: '/administration' } }));
    await until(() => screen(app) === 'rp-section-page');
    const section = $<RpSectionPage>(app, 'rp-section-page');
    await section.updateComplete;
    assert.deepEqual(find(section, 'h1')?.textContent, 'Этот раздел недоступен для ваших ролей.');
  });

  it('is accessible at home', async () => {
    const admin = await createAccount(ADMIN);
    const services = createTestServices();
    const app = await start(services);
    await services.session.login(admin.name, admin.password);
    await until(() => screen(app) === 'rp-home-page');
    await expect(app).to.be.accessible();
  });
});
