/**
 * TEST-ONLY: the check that typed markup stays text, shared by the browser tests of the administrator's forms and
 * of the care forms. A value is typed into every free-text control of a form, the form is saved, and the page that
 * shows what was saved is searched — through every shadow root — for an element made from the text (an `<img>`
 * with `src=x`, anything carrying `onerror`) while the text itself must be on the page. Lit binds values as text,
 * so this holds by construction until a template reaches for `unsafeHTML` or `innerHTML`: the check is what would
 * notice.
 */
import { assert } from '@open-wc/testing';

export const MARKUP = '<img src=x onerror=alert(1)>';

/** Waits until `check` holds; the limit only bounds a hung test, nothing asserts how long the wait took. */
export async function until(check: () => boolean, what: string): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > 20_000) throw new Error(`${what} did not happen in time`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Every element of `root` and of every shadow root below it. */
export function deepElements(root: ParentNode): Element[] {
  const found: Element[] = [];
  for (const element of root.querySelectorAll('*')) {
    found.push(element);
    if (element.shadowRoot) found.push(...deepElements(element.shadowRoot));
  }
  return found;
}

/** The text nodes of the page, shadow roots included — what is shown, not what sits in a form control. */
export function shownText(root: ParentNode): string {
  return deepElements(root)
    .map((element) =>
      [...element.childNodes]
        .filter((node) => node.nodeType === Node.TEXT_NODE)
        .map((node) => node.textContent)
        .join(''),
    )
    .join('\n');
}

/** Every text of the page, shadow roots included, and the values of form controls. */
export function deepText(root: ParentNode): string {
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

/** The elements below `root` that were made from typed markup. */
export function elementsFromMarkup(root: ParentNode): Element[] {
  return deepElements(root).filter(
    (element) =>
      (element.localName === 'img' && element.getAttribute('src') === 'x') || element.hasAttribute('onerror'),
  );
}

export interface OnlyTextOptions {
  /** Where to look (the whole page unless given). */
  root?: ParentNode;
  /** Texts that must be shown as text nodes (not only as the value of a control) once the page settled. */
  shown?: readonly string[];
}

/** The proof: the markup is shown as text, and no element was made from it. */
export async function expectOnlyText(options: OnlyTextOptions = {}): Promise<void> {
  const root = options.root ?? document.body;
  const shown = options.shown ?? [];
  // Settled once everything is shown, or as soon as an element was made from it: the assertion then says which.
  await until(
    () =>
      elementsFromMarkup(root).length > 0 ||
      (deepText(root).includes(MARKUP) && shown.every((text) => shownText(root).includes(text))),
    'the saved text on the page',
  );
  assert.deepEqual(
    elementsFromMarkup(root).map((element) => element.outerHTML),
    [],
    'an element was made from typed text',
  );
  assert.include(deepText(root), MARKUP, 'the typed text is not shown as text');
  const text = shownText(root);
  for (const expected of shown) assert.include(text, expected, 'a typed value is not shown as text');
}

/** A control a person types free text into. */
export type TextControl = HTMLInputElement | HTMLTextAreaElement;

/** Text inputs (not numbers, not search boxes) of a form. */
export function textInputs(form: ParentNode): HTMLInputElement[] {
  return [...form.querySelectorAll<HTMLInputElement>('input')].filter(
    (input) => (input.type === 'text' || input.type === '') && !input.disabled,
  );
}

export interface FillOptions {
  /** The controls that get the markup (default: `textInputs`). */
  controls?: (form: ParentNode) => TextControl[];
  /** The value each control gets (default: `MARKUP`). */
  markup?: (control: TextControl) => string;
  /**
   * Puts a value into a control (default: assigns `value`, for forms that read their controls on submit); a form
   * that keeps what is typed in its state is given the time to render before the next control is typed.
   */
  type?: (control: TextControl, value: string) => void | Promise<void>;
  /** Awaited after each submit, before looking for the outcome (the form's `updateComplete`). */
  settled?: () => Promise<unknown>;
}

/**
 * Puts the markup into every text field of `form`, submits, and gives back its ordinary value to each field the
 * form refuses, until it saves; returns the ids of the fields that were saved with the markup.
 */
export async function fillAndSave(
  form: () => ParentNode | null | undefined,
  ordinary: Record<string, string>,
  saved: () => boolean,
  options: FillOptions = {},
): Promise<string[]> {
  const controls = options.controls ?? textInputs;
  const markup = options.markup ?? (() => MARKUP);
  const type =
    options.type ??
    ((control: TextControl, value: string) => {
      control.value = value;
    });
  const root = form();
  if (!root) throw new Error('the form is not open');
  const withMarkup = new Set(controls(root).map((control) => control.id));
  for (let attempt = 0; attempt < 6; attempt++) {
    const current = form();
    if (!current) break;
    for (const control of controls(current))
      await type(control, withMarkup.has(control.id) ? markup(control) : (ordinary[control.id] ?? control.value));
    current.querySelector<HTMLButtonElement>('button[type=submit]')?.click();
    await options.settled?.();
    const refusedBefore = (): string[] =>
      [...(form()?.querySelectorAll('.field-error') ?? [])].map((error) => error.id.replace(/-error$/, ''));
    await until(() => saved() || refusedBefore().length > 0 || !form(), 'saving or a refusal');
    // A form that closed has saved: what it saved may still be on its way to the page.
    if (!form()) await until(saved, 'the saved values');
    if (saved()) return [...withMarkup];
    const refused = refusedBefore();
    for (const field of refused) {
      const control = controls(form() as ParentNode).find(
        (candidate) => candidate.id === field || candidate.name === field,
      );
      if (control) withMarkup.delete(control.id);
      else withMarkup.clear();
    }
  }
  throw new Error(`the form never saved: ${deepText(document.body).replace(/\s+/g, ' ').slice(0, 2000)}`);
}
