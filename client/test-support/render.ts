/** Renders an element inside rp-test-context (within a `<main>` landmark, as rp-app places pages) and waits for it. */
import { fixture } from '@open-wc/testing';
import { html, type TemplateResult } from 'lit';
import type { Services } from '../app/contexts.ts';
import './rp-test-context.ts';

export async function renderWith<T extends HTMLElement>(
  services: Services,
  content: TemplateResult,
  selector: string,
): Promise<T> {
  const root = await fixture<HTMLElement>(
    html`<main><rp-test-context .services=${services}>${content}</rp-test-context></main>`,
  );
  const element = root.querySelector<T>(selector);
  if (!element) throw new Error(`${selector} was not rendered`);
  await (element as unknown as { updateComplete?: Promise<unknown> }).updateComplete;
  return element;
}

/**
 * Waits until `check` holds (the UI settles after async service work: Argon2id, the register, IndexedDB),
 * failing after `timeoutMs`. The limit only bounds a hung test; nothing asserts how long the wait took.
 */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error('the condition did not become true in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Text of the element's shadow root, whitespace collapsed. */
export function shadowText(element: Element): string {
  return (element.shadowRoot?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** The element matching `selector` in the host's shadow root; fails the test when it is missing. */
export function $<T extends Element = HTMLElement>(host: Element, selector: string): T {
  const found = host.shadowRoot?.querySelector<T>(selector);
  if (!found) throw new Error(`${host.localName} has no ${selector}`);
  return found;
}

/** The element matching `selector` in the host's shadow root, or null. */
export function find<T extends Element = HTMLElement>(host: Element, selector: string): T | null {
  return host.shadowRoot?.querySelector<T>(selector) ?? null;
}
