/**
 * Problems found by the shared validators (common/records) or refused by the records layer
 * (`RecordValidationError`) come with field paths such as `esas.pain`, `syndromes[2]` or `end`. The care forms name
 * their controls after those paths, so each problem lands next to the control it is about; a problem no control
 * owns is shown in the form's general alert, never dropped.
 */
import { RecordValidationError, type ValidationError } from '../../records/records-api.ts';
import { isStorageFull } from '../../sync/storage-full.ts';

export interface PlacedProblems {
  /** Message per control id (the first problem of each control). */
  byControl: Record<string, string>;
  /** Problems no control of the form owns. */
  other: string[];
}

/** The control id for a field path: `esas.pain` → `esas-pain`, `syndromes[2]` → `syndromes`. */
export function controlIdFor(field: string): string {
  return field.replace(/\[\d+\].*$/, '').replace(/\./g, '-');
}

/** Sorts problems onto the controls in `controls`; the rest go to `other`. */
export function placeProblems(problems: readonly ValidationError[], controls: readonly string[]): PlacedProblems {
  const placed: PlacedProblems = { byControl: {}, other: [] };
  for (const problem of problems) {
    const id = controlIdFor(problem.field);
    if (controls.includes(id)) placed.byControl[id] ??= problem.message;
    else placed.other.push(problem.field ? `${problem.field}: ${problem.message}` : problem.message);
  }
  return placed;
}

/** Keeps only the problems about `fields` (validators also check ids and bookkeeping the form does not edit). */
export function problemsAbout(problems: readonly ValidationError[], fields: readonly string[]): ValidationError[] {
  return problems.filter((problem) => fields.includes(controlIdFor(problem.field).split('-')[0] ?? ''));
}

/** Moves focus to the first invalid control (inside a fieldset: its first input), in document order. */
export function focusFirstInvalid(root: ParentNode): void {
  const invalid = root.querySelector<HTMLElement>('[aria-invalid="true"]');
  if (!invalid) return;
  const target = invalid instanceof HTMLFieldSetElement ? invalid.querySelector<HTMLElement>('input, select') : invalid;
  target?.focus();
}

/** A number typed into `<input type=number>`: undefined when empty, NaN when it is not a number. */
export function numberFrom(input: HTMLInputElement | null): number | undefined {
  if (!input) return undefined;
  if (input.validity.badInput) return Number.NaN;
  const text = input.value.trim();
  return text === '' ? undefined : Number(text.replace(',', '.'));
}

/** A care form (visit, prescription) as `submitCareForm` drives it. */
export interface CareFormHost extends EventTarget {
  busy: boolean;
  problems: PlacedProblems;
  readonly updateComplete: Promise<boolean>;
  readonly renderRoot: ParentNode;
}

/**
 * The save of a care form: the form's own checks first (problems placed next to their controls, focus on the first),
 * then the records layer; a refusal lands next to the controls too, any other failure in a general message, and the
 * form keeps everything typed. On success, `savedEvent` is fired with what was stored.
 */
export async function submitCareForm<T>(
  host: CareFormHost,
  options: {
    problems: readonly ValidationError[];
    controls: readonly string[];
    save: () => Promise<T>;
    savedEvent: string;
    /** The general message for a failure that is not a refusal of the values. */
    saveFailed: (error: unknown) => string;
  },
): Promise<void> {
  host.problems = placeProblems(options.problems, options.controls);
  if (options.problems.length > 0) {
    await host.updateComplete;
    focusFirstInvalid(host.renderRoot);
    return;
  }
  host.busy = true;
  try {
    const saved = await options.save();
    host.dispatchEvent(new CustomEvent<T>(options.savedEvent, { detail: saved, bubbles: true, composed: true }));
  } catch (error) {
    host.problems =
      error instanceof RecordValidationError
        ? placeProblems(error.problems, options.controls)
        : { byControl: {}, other: [options.saveFailed(error)] };
  } finally {
    host.busy = false;
  }
  await host.updateComplete;
  focusFirstInvalid(host.renderRoot);
}

/** The care forms' general message for a failed save: a full device is named as such instead of "try again". */
export function careSaveFailedKey(error: unknown): 'care.error.storageFull' | 'care.error.save' {
  return isStorageFull(error) ? 'care.error.storageFull' : 'care.error.save';
}
