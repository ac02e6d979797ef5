/**
 * The register's Content-Security-Policy stops injected script. The test runner's own page does not carry the
 * register's headers, so the policy is read from the real register (every answer carries the same header as
 * `index.html`, through the `/api` proxy of the browser tests) and put in front of a fresh document in a frame,
 * where an inline script and an inline event handler are injected the way an XSS would inject them. Chromium must
 * refuse both and say so with a `securitypolicyviolation` event; the same injection without the policy runs, so
 * the test would notice if it stopped observing anything.
 */
import { assert } from '@open-wc/testing';

/** Directives that only work as a header (a `<meta>` policy ignores them and warns). */
const HEADER_ONLY = ['frame-ancestors', 'report-uri', 'report-to', 'sandbox'];

async function registerPolicy(): Promise<string> {
  const response = await fetch('/api/config');
  const policy = response.headers.get('content-security-policy');
  if (!policy) throw new Error('the register sent no Content-Security-Policy');
  return policy;
}

function forMeta(policy: string): string {
  return policy
    .split(';')
    .map((directive) => directive.trim())
    .filter((directive) => directive && !HEADER_ONLY.includes(directive.split(/\s+/)[0] ?? ''))
    .join('; ');
}

/** A frame holding an empty document, under `policy` when one is given. */
async function frameWith(policy: string | null): Promise<HTMLIFrameElement> {
  const frame = document.createElement('iframe');
  const meta = policy === null ? '' : `<meta http-equiv="Content-Security-Policy" content="${policy}">`;
  frame.srcdoc = `<!doctype html><html><head>${meta}</head><body></body></html>`;
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  document.body.append(frame);
  await loaded;
  return frame;
}

declare global {
  interface Window {
    injectedRan?: string[];
  }
}

interface Injection {
  ran: boolean;
  violations: SecurityPolicyViolationEvent[];
}

/**
 * Injects an inline script element, or markup with inline event handlers, into the frame, and waits until it ran
 * or a violation was reported; a hang guard ends the wait, which counts as "nothing happened".
 */
async function inject(frame: HTMLIFrameElement, what: 'script' | 'handler'): Promise<Injection> {
  const doc = frame.contentDocument;
  if (!doc) throw new Error('the frame has no document');
  const marker = `${what}-${Math.random().toString(36).slice(2)}`;
  const violations: SecurityPolicyViolationEvent[] = [];
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  doc.addEventListener('securitypolicyviolation', (event) => {
    violations.push(event);
    finish();
  });
  const poll = setInterval(() => {
    if (window.injectedRan?.includes(marker)) finish();
  }, 10);
  const guard = setTimeout(finish, 3000);
  const record = `(window.parent.injectedRan = window.parent.injectedRan || []).push('${marker}')`;
  if (what === 'script') {
    const script = doc.createElement('script');
    script.textContent = record;
    doc.body.append(script);
  } else {
    const holder = doc.createElement('div');
    holder.innerHTML = `<img src="data:," onerror="${record}">`;
    doc.body.append(holder);
  }
  await done;
  clearInterval(poll);
  clearTimeout(guard);
  return { ran: window.injectedRan?.includes(marker) ?? false, violations };
}

describe('the register’s Content-Security-Policy', () => {
  afterEach(() => {
    for (const frame of document.querySelectorAll('iframe')) frame.remove();
  });

  it('allows no inline script and no eval, and frames nothing', async () => {
    const policy = await registerPolicy();
    const scriptSrc = policy.split(';').find((directive) => directive.trim().startsWith('script-src')) ?? '';
    assert.notInclude(scriptSrc, "'unsafe-inline'");
    assert.notInclude(scriptSrc, "'unsafe-eval'");
    assert.include(policy, "object-src 'none'");
    assert.include(policy, "frame-ancestors 'none'");
  });

  it('blocks an injected inline script and reports the violation', async () => {
    const frame = await frameWith(forMeta(await registerPolicy()));
    const result = await inject(frame, 'script');
    assert.isFalse(result.ran, 'the injected script ran');
    assert.isAbove(result.violations.length, 0, 'no securitypolicyviolation event was seen');
    assert.equal(result.violations[0]?.effectiveDirective, 'script-src-elem');
    assert.equal(result.violations[0]?.blockedURI, 'inline');
  });

  it('blocks an injected inline event handler and reports the violation', async () => {
    const frame = await frameWith(forMeta(await registerPolicy()));
    const result = await inject(frame, 'handler');
    assert.isFalse(result.ran, 'the injected handler ran');
    assert.isAbove(result.violations.length, 0, 'no securitypolicyviolation event was seen');
    assert.equal(result.violations[0]?.effectiveDirective, 'script-src-attr');
  });

  it('runs the same injection in a frame without the policy, so the tests above observe something real', async () => {
    const frame = await frameWith(null);
    assert.isTrue((await inject(frame, 'script')).ran);
    assert.isTrue((await inject(frame, 'handler')).ran);
  });
});
