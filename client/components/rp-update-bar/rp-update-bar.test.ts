import { assert, expect, html } from '@open-wc/testing';
import './rp-update-bar.ts';
import type { RpUpdateBar } from './rp-update-bar.ts';
import { createTestServices } from '../../test-support/test-services.ts';
import { renderWith, shadowText, $ } from '../../test-support/render.ts';

describe('rp-update-bar', () => {
  it('appears when a new version waits and applies it on request', async () => {
    const services = createTestServices();
    const bar = await renderWith<RpUpdateBar>(services, html`<rp-update-bar></rp-update-bar>`, 'rp-update-bar');
    assert.deepEqual(shadowText(bar), '');
    let applied = 0;
    services.updates.offerUpdate(async () => {
      applied += 1;
    });
    await bar.updateComplete;
    expect(shadowText(bar)).to.contain('Доступна новая версия');
    $<HTMLButtonElement>(bar, '[data-action=update]').click();
    assert.deepEqual(applied, 1);
    await expect(bar).to.be.accessible();
  });

  it('can be put off', async () => {
    const services = createTestServices();
    const bar = await renderWith<RpUpdateBar>(services, html`<rp-update-bar></rp-update-bar>`, 'rp-update-bar');
    services.updates.offerUpdate(async () => undefined);
    await bar.updateComplete;
    $<HTMLButtonElement>(bar, '[data-action=dismiss]').click();
    await bar.updateComplete;
    assert.deepEqual(shadowText(bar), '');
  });
});
