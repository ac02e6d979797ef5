/**
 * validation.ts is bundled into the `reference` design document (design-docs/reference/validate.ts): it must
 * compile without a single import and run where there is nothing of Node or the browser, as `validate_doc_update`
 * does.
 */
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { starterReferenceDocs } from './starter-docs.ts';

describe('validation.ts as design-document code', () => {
  it('compiles to ES2020 without a single import and validates in a context that has nothing of Node', () => {
    const source = readFileSync(new URL('./validation.ts', import.meta.url), 'utf8');
    expect(source).not.toMatch(/^\s*import\s/m);
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS },
    });
    expect(outputText).not.toMatch(/\brequire\(/);
    const exports: Record<string, unknown> = {};
    vm.runInContext(outputText, vm.createContext({ exports, log: () => undefined }));
    const validate = exports.validateReferenceDoc as (doc: unknown) => { field: string }[];
    // Documents cross into the sandbox as JSON, as they do in CouchDB.
    const docs = JSON.parse(JSON.stringify(starterReferenceDocs({ by: 'system', at: '2026-01-10T09:00:00.000Z' })));
    expect((docs as unknown[]).flatMap((doc) => validate(doc))).toHaveLength(0);
    expect(validate({ ...docs[0], innRu: '' }).map((error) => error.field)).toEqual(['innRu']);
  });
});
