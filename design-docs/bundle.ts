/**
 * Turns a TypeScript module into the source of a `validate_doc_update` function. CouchDB and the embedded store
 * take one function expression and nothing else, so the module and everything it imports (the shared structural
 * validation of common/) are bundled by esbuild into an IIFE that sits inside the function, and the function calls
 * the module's `validateDocUpdate` with constants the generator writes in (a design document cannot look anything
 * up). Target ES2017 fits the JavaScript engines of CouchDB 3.x builds with SpiderMonkey 60 or later and Node; the
 * output is not minified, so an error in the store's log points at readable code.
 *
 * Paths in the bundle are relative to the repository root, so the text — and with it the content hash that
 * decides whether provisioning pushes the design document — does not depend on the working directory.
 */
import { buildSync } from 'esbuild';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const GLOBAL_NAME = 'registerValidation';
const bundles = new Map<string, string>();

/** The bundled module as `var registerValidation = (() => { … })();`, built once per process. */
function bundled(entry: string): string {
  const cached = bundles.get(entry);
  if (cached !== undefined) return cached;
  const result = buildSync({
    entryPoints: [fileURLToPath(new URL(entry, import.meta.url))],
    absWorkingDir: ROOT,
    bundle: true,
    format: 'iife',
    globalName: GLOBAL_NAME,
    platform: 'neutral',
    target: 'es2017',
    minify: false,
    legalComments: 'none',
    charset: 'utf8',
    write: false,
    logLevel: 'silent',
  });
  const text = result.outputFiles[0]?.text;
  if (text === undefined) throw new Error(`esbuild produced nothing for ${entry}`);
  // esbuild opens with "use strict" (tsconfig's strict); inside the function, after the constants, it would be a
  // statement without effect, so it goes.
  const body = text.replace(/^"use strict";\n/, '').trim();
  bundles.set(entry, body);
  return body;
}

/**
 * `function (newDoc, oldDoc, userCtx, secObj) { var NAME = value; …bundle…; return registerValidation
 * .validateDocUpdate(newDoc, oldDoc, userCtx, …constants); }`. `entry` is relative to design-docs/, e.g.
 * `./facility/validate.ts`; the constants are passed in order after the three arguments CouchDB gives.
 */
export function bundledValidateDocUpdate(entry: string, constants: Record<string, string | number> = {}): string {
  const names = Object.keys(constants);
  const declarations = names.map((name) => `  var ${name} = ${JSON.stringify(constants[name])};\n`).join('');
  const call = ['newDoc', 'oldDoc', 'userCtx', ...names].join(', ');
  return (
    'function (newDoc, oldDoc, userCtx, secObj) {\n' +
    declarations +
    bundled(entry) +
    '\n  return ' +
    GLOBAL_NAME +
    '.validateDocUpdate(' +
    call +
    ');\n}'
  );
}
