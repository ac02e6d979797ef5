import { assert, expect, html } from '@open-wc/testing';
import './rp-language-switch.ts';
import '../../pages/rp-login-page/rp-login-page.ts';
import { createTestServices } from '../../test-support/test-services.ts';
import { renderWith, $, find } from '../../test-support/render.ts';
import { LOCALE_STORAGE_KEY } from '../../i18n/i18n.ts';
import type { RpLanguageSwitch } from './rp-language-switch.ts';

describe('rp-language-switch', () => {
  it('switches the text of other elements to English and back, and keeps the choice', async () => {
    const services = createTestServices();
    await services.session.start();
    const languageSwitch = await renderWith<RpLanguageSwitch>(
      services,
      html`<rp-language-switch></rp-language-switch><rp-login-page></rp-login-page>`,
      'rp-language-switch',
    );
    const login = languageSwitch.parentElement?.querySelector('rp-login-page');
    if (!login) throw new Error('rp-login-page was not rendered');
    const heading = () => find(login, 'h1')?.textContent;
    const button = (locale: string) => $<HTMLButtonElement>(languageSwitch, `button[data-locale=${locale}]`);
    assert.deepEqual(heading(), 'Вход');
    assert.deepEqual(button('ru').getAttribute('aria-pressed'), 'true');

    button('en').click();
    await login.updateComplete;
    await languageSwitch.updateComplete;
    assert.deepEqual(heading(), 'Sign in');
    assert.deepEqual(button('en').getAttribute('aria-pressed'), 'true');
    assert.deepEqual(button('ru').getAttribute('aria-pressed'), 'false');
    assert.deepEqual(services.storage.getItem(LOCALE_STORAGE_KEY), 'en');

    button('ru').click();
    await login.updateComplete;
    assert.deepEqual(heading(), 'Вход');
  });

  it('is accessible', async () => {
    const element = await renderWith<RpLanguageSwitch>(
      createTestServices(),
      html`<rp-language-switch></rp-language-switch>`,
      'rp-language-switch',
    );
    await expect(element).to.be.accessible();
  });
});
