/**
 * Runs design-document functions the way CouchDB does — as source text, in a context of their own that has only
 * `emit` and `log` — so a function that reaches for `require`, `process` or anything else of Node fails here as it
 * would in the store (after cht-core's `webapp/tests/mocha/unit/views/utils.js`).
 */
import vm from 'node:vm';
import { expect } from 'vitest';

export interface UserCtx {
  name: string | null;
  roles: string[];
  db?: string;
}

export type Doc = Record<string, unknown> & { _id: string };

export type ValidateDocUpdate = (newDoc: Doc, oldDoc: Doc | null, userCtx: UserCtx, secObj?: unknown) => void;

/** Compiles a `validate_doc_update` source in a fresh context holding only `emit` and `log`. */
export function loadValidator(source: string): ValidateDocUpdate {
  const context = vm.createContext({
    emit: () => {
      throw new Error('validate_doc_update must not emit');
    },
    log: () => undefined,
  });
  return vm.runInContext(`(${source})`, context) as ValidateDocUpdate;
}

/** What the function threw: the `forbidden`/`unauthorized` message, or a description of anything else. */
function outcomeOf(validate: ValidateDocUpdate, newDoc: Doc, oldDoc: Doc | null, userCtx: UserCtx): string {
  // Documents cross into the sandbox as JSON, as they do in CouchDB, so the function cannot keep references.
  const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
  try {
    validate(copy(newDoc), copy(oldDoc), copy(userCtx));
    return 'allowed';
  } catch (error) {
    const thrown = error as { forbidden?: unknown; unauthorized?: unknown; message?: unknown };
    if (typeof thrown.forbidden === 'string') return `forbidden: ${thrown.forbidden}`;
    if (typeof thrown.unauthorized === 'string') return `unauthorized: ${thrown.unauthorized}`;
    return `threw something else: ${String(thrown.message ?? error)}`;
  }
}

export function allowed(validate: ValidateDocUpdate, newDoc: Doc, oldDoc: Doc | null, userCtx: UserCtx): void {
  expect(outcomeOf(validate, newDoc, oldDoc, userCtx)).toBe('allowed');
}

export function forbidden(
  validate: ValidateDocUpdate,
  newDoc: Doc,
  oldDoc: Doc | null,
  userCtx: UserCtx,
  exactMessage: string,
): void {
  expect(outcomeOf(validate, newDoc, oldDoc, userCtx)).toBe(`forbidden: ${exactMessage}`);
}
