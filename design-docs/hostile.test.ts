/**
 * Every `validate_doc_update` against hostile input, as the store runs it (bundled, in a `vm` sandbox): random
 * documents, and valid documents with random parts changed, removed or added, written by realistic and random
 * callers. Two promises hold for every input: the function throws nothing but `{forbidden}` or `{unauthorized}`
 * (anything else is a 500 in the store, and tells the writer nothing), and it never accepts a document that the
 * structural validator of its type refuses — the client runs that validator before every write, so the store must
 * not hold anything the client would call invalid.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditDesignDoc, facilityDesignDoc, referenceDesignDoc } from './index.ts';
import { storeToday } from './facility/validate.ts';
import { loadValidator, type Doc, type UserCtx, type ValidateDocUpdate } from '../test/helpers/ddoc-sandbox.ts';
import { META_FIELDS, validateFacilityDoc } from '../common/records/index.ts';
import { auditEvent, passportDoc, patientRecord, prescription, visit } from '../common/records/test-fixtures.ts';
import { REFERENCE_TYPES, validateReferenceDoc } from '../common/reference/validation.ts';
import { starterReferenceDocs } from '../common/reference/starter-docs.ts';

/** Runs per property; `HOSTILE_RUNS=20000` searches harder (the seed printed on failure replays a find). */
const RUNS = Number(process.env.HOSTILE_RUNS ?? 300);
/** A hang guard that grows with the runs. */
const TIMEOUT = { timeout: Math.max(10_000, RUNS * 3) };
const facilityA = loadValidator(facilityDesignDoc('a').validate_doc_update);
const facilityARetired = loadValidator(facilityDesignDoc('a', { minWriteEpoch: 2 }).validate_doc_update);
const reference = loadValidator(referenceDesignDoc().validate_doc_update);
const audit = loadValidator(auditDesignDoc().validate_doc_update);

type Outcome = { kind: 'allowed' } | { kind: 'refused' } | { kind: 'threw'; what: string };

/** Runs the function as the store does: JSON copies in, and only `{forbidden}`/`{unauthorized}` count as a refusal. */
function run(validate: ValidateDocUpdate, newDoc: Doc, oldDoc: Doc | null, userCtx: UserCtx): Outcome {
  const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
  try {
    validate(copy(newDoc), copy(oldDoc), copy(userCtx));
    return { kind: 'allowed' };
  } catch (error) {
    const thrown = error as { forbidden?: unknown; unauthorized?: unknown } | null;
    if (thrown && (typeof thrown.forbidden === 'string' || typeof thrown.unauthorized === 'string'))
      return { kind: 'refused' };
    return { kind: 'threw', what: String((error as { stack?: unknown } | null)?.stack ?? error) };
  }
}

/** Like `run`, for documents too deep to copy through JSON: they go into the sandbox as they are. */
function runDeep(validate: ValidateDocUpdate, newDoc: Doc, userCtx: UserCtx): Outcome {
  try {
    validate(newDoc, null, { ...userCtx, roles: [...userCtx.roles] });
    return { kind: 'allowed' };
  } catch (error) {
    const thrown = error as { forbidden?: unknown } | null;
    if (thrown && typeof thrown.forbidden === 'string') return { kind: 'refused' };
    return { kind: 'threw', what: String(error) };
  }
}

// --- callers -------------------------------------------------------------------------------------------------

const ROLE_POOL = ['_admin', 'admin', 'doctor', 'nurse', 'analyst', 'facility:a', 'facility:b', 'facility:', 'x'];
const LOGINS = ['nina', 'olga', 'admin', 'boris', 'register-store-admin'];
const realisticCallers: UserCtx[] = [
  { name: 'register-store-admin', roles: ['_admin'] },
  { name: 'nina', roles: ['nurse', 'facility:a'] },
  { name: 'olga', roles: ['doctor', 'facility:a'] },
  { name: 'admin', roles: ['admin', 'facility:a'] },
  { name: 'admin', roles: ['admin'] },
  { name: 'ana', roles: ['analyst', 'facility:a'] },
  { name: 'boris', roles: ['doctor', 'facility:b'] },
  { name: null, roles: [] },
];
/** What the store can hand over: a name or null, and a list of role strings. */
const anyCaller: fc.Arbitrary<UserCtx> = fc.oneof(
  fc.constantFrom(...realisticCallers),
  fc.record({
    name: fc.oneof(fc.constant(null), fc.constantFrom(...LOGINS), fc.string({ maxLength: 12 })),
    roles: fc.array(fc.oneof(fc.constantFrom(...ROLE_POOL), fc.string({ maxLength: 12 })), { maxLength: 4 }),
  }),
);

// --- documents -----------------------------------------------------------------------------------------------

const FIELD_POOL = [
  'type',
  '_deleted',
  '_rev',
  '_attachments',
  'kid',
  'v',
  'iv',
  'ct',
  'createdBy',
  'createdAt',
  'updatedBy',
  'updatedAt',
  'statusHistory',
  'status',
  'prescriber',
  'cancellation',
  'losing',
  'note',
  'active',
  'event',
  'at',
  'login',
  '__proto__',
  'constructor',
  'toString',
];
const anyJson = fc.jsonValue({ maxDepth: 3 });
const anyKey = fc.oneof(fc.constantFrom(...FIELD_POOL), fc.string({ maxLength: 10 }));

function idArbitrary(types: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.tuple(fc.constantFrom(...types), fc.string({ maxLength: 40 })).map(([type, rest]) => `${type}:${rest}`),
    fc.constantFrom('_design/register', '_design/x', 'audit:nina:2026-11-29T09:00:00.000Z:x', 'plain'),
    fc.string({ maxLength: 40 }),
  );
}

/** A random document; the store always gives `_id` as a string. */
function randomDoc(types: readonly string[]): fc.Arbitrary<Doc> {
  return fc
    .tuple(
      idArbitrary(types),
      fc.dictionary(anyKey, anyJson, { maxKeys: 8 }),
      fc.option(fc.constantFrom(...types), { nil: undefined }),
    )
    .map(([id, fields, type]) => ({ ...fields, ...(type === undefined ? {} : { type }), _id: id }));
}

type Path = (string | number)[];

/** Every place in a document a mutation can touch: the paths of all values inside it. */
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  const own: Path[] = prefix.length > 0 ? [prefix] : [];
  if (Array.isArray(value)) return own.concat(...value.map((item, index) => pathsOf(item, [...prefix, index])));
  if (typeof value === 'object' && value !== null)
    return own.concat(...Object.entries(value).map(([key, item]) => pathsOf(item, [...prefix, key])));
  return own;
}

interface Mutation {
  kind: 'set' | 'delete' | 'add';
  pick: number;
  key: string;
  value: unknown;
}

const mutationArbitrary: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('set', 'delete', 'add'),
  pick: fc.nat(),
  key: anyKey,
  value: anyJson,
});

/** Applies changes to a deep copy; `_id` stays a string, as the store guarantees. */
function mutated(doc: Doc, mutations: Mutation[]): Doc {
  const copy = JSON.parse(JSON.stringify(doc)) as Doc;
  for (const { kind, pick, key, value: generated } of mutations) {
    // fast-check hands out frozen values: each mutation works on its own copy.
    const value = JSON.parse(JSON.stringify(generated ?? null)) as unknown;
    const paths = pathsOf(copy);
    const path = paths[pick % paths.length] ?? [];
    const parent = path.slice(0, -1).reduce<unknown>((at, key) => (at as Record<string, unknown>)[key], copy);
    const last = path[path.length - 1];
    if (typeof parent !== 'object' || parent === null || last === undefined) continue;
    const container = parent as Record<string | number, unknown>;
    if (kind === 'set') container[last] = value;
    else if (kind === 'delete') {
      if (Array.isArray(container)) container.splice(Number(last), 1);
      else Reflect.deleteProperty(container, last);
    } else {
      const target = container[last];
      if (typeof target === 'object' && target !== null && !Array.isArray(target))
        Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
      else Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
    }
  }
  // JSON first: a generated object may carry a "toString" or "valueOf" key that is not a function.
  if (typeof copy._id !== 'string') copy._id = JSON.stringify(copy._id) ?? String(copy._id as unknown);
  return copy;
}

function mutationsOf(docs: Doc[]): fc.Arbitrary<Doc> {
  return fc
    .tuple(fc.constantFrom(...docs), fc.array(mutationArbitrary, { minLength: 1, maxLength: 3 }))
    .map(([doc, mutations]) => mutated(doc, mutations));
}

const asDoc = (value: object): Doc => JSON.parse(JSON.stringify(value)) as Doc;

// --- facility ------------------------------------------------------------------------------------------------

const FACILITY_TYPES = ['passport', 'patient', 'visit', 'prescription', 'audit', 'note'];
const PASSPORT_FIELDS = ['_id', '_rev', '_revisions', '_deleted', 'type', 'v', 'kid', 'iv', 'ct'];
const validFacilityDocs = [passportDoc(), patientRecord(), visit(), prescription(), auditEvent('nina')].map(asDoc);
const withUpdate = (doc: Doc): Doc => ({ ...doc, _rev: '1-a' });

/** The promises of the facility function for one write it accepted. */
function checkFacilityAcceptance(newDoc: Doc, oldDoc: Doc | null, caller: UserCtx): void {
  const serverAdmin = caller.roles.includes('_admin');
  if (newDoc._id.startsWith('_design/')) {
    expect(serverAdmin, 'only the server writes design documents').toBe(true);
    return;
  }
  expect(serverAdmin || caller.roles.includes('facility:a'), 'only members write').toBe(true);
  expect(oldDoc?.type === 'audit', 'audit events are never changed').toBe(false);
  if (newDoc._id.split(':')[0] === 'passport' && newDoc._deleted !== true)
    expect(Object.keys(newDoc).filter((key) => !PASSPORT_FIELDS.includes(key))).toEqual([]);
  if (serverAdmin) return;
  const bareDeletion =
    newDoc._deleted === true && Object.keys(newDoc).every((key) => (META_FIELDS as readonly string[]).includes(key));
  if (!bareDeletion) expect(validateFacilityDoc(newDoc, storeToday(Date.now()))).toEqual([]);
}

function facilityProperty(validate: ValidateDocUpdate, docs: fc.Arbitrary<Doc>): fc.IPropertyWithHooks<unknown[]> {
  const oldDocs = fc.oneof(
    fc.constant(null),
    fc.constantFrom(...validFacilityDocs.map(withUpdate)),
    randomDoc(FACILITY_TYPES),
  );
  return fc.property(docs, oldDocs, anyCaller, (newDoc, oldDoc, caller) => {
    const outcome = run(validate, newDoc, oldDoc, caller);
    expect(outcome.kind === 'threw' ? outcome.what : 'no other throw').toBe('no other throw');
    if (outcome.kind === 'allowed') checkFacilityAcceptance(newDoc, oldDoc, caller);
  }) as fc.IPropertyWithHooks<unknown[]>;
}

describe('facility validate_doc_update under hostile input', TIMEOUT, () => {
  it.each([
    ['random documents', facilityA, randomDoc(FACILITY_TYPES)],
    ['valid documents with random changes', facilityA, mutationsOf(validFacilityDocs)],
    ['valid documents with random changes, epoch 1 retired', facilityARetired, mutationsOf(validFacilityDocs)],
  ])('throws only refusals and accepts nothing invalid: %s', (_what, validate, docs) => {
    fc.assert(facilityProperty(validate, docs), { numRuns: RUNS });
  });

  it.each([50, 10_000])('refuses a document nested %i levels deep instead of overflowing its stack', (depth) => {
    const nurse = realisticCallers[1] as UserCtx;
    let deep: unknown = 1;
    for (let level = 0; level < depth; level++) deep = { a: deep };
    const doc = { ...asDoc(visit()), note: deep } as Doc;
    const outcome = runDeep(facilityA, doc, nurse);
    expect(outcome).toEqual({ kind: 'refused' });
  });

  it('accepts the valid documents it is given, so the properties above are not vacuous', () => {
    const nurse = realisticCallers[1] as UserCtx;
    const doctor = realisticCallers[2] as UserCtx;
    expect(run(facilityA, asDoc(visit()), null, nurse)).toEqual({ kind: 'allowed' });
    expect(run(facilityA, asDoc(prescription()), null, doctor)).toEqual({ kind: 'allowed' });
  });
});

// --- reference -----------------------------------------------------------------------------------------------

const SERVER_KEPT_TYPES = ['facility', 'facility-keys', 'staff'];
const validReferenceDocs = (
  JSON.parse(JSON.stringify(starterReferenceDocs({ by: 'admin', at: '2026-11-29T09:00:00.000Z' }))) as Doc[]
).filter((doc, index, all) => all.findIndex((other) => other.type === doc.type) === index);

function referenceProperty(docs: fc.Arbitrary<Doc>): fc.IPropertyWithHooks<unknown[]> {
  const oldDocs = fc.oneof(fc.constant(null), fc.constantFrom(...validReferenceDocs));
  return fc.property(docs, oldDocs, anyCaller, (newDoc, oldDoc, caller) => {
    const outcome = run(reference, newDoc, oldDoc, caller);
    expect(outcome.kind === 'threw' ? outcome.what : 'no other throw').toBe('no other throw');
    if (outcome.kind !== 'allowed' || caller.roles.includes('_admin')) return;
    // An administrator's browser writes reference books only, each as the administrator's page validates it.
    expect(caller.roles).toContain('admin');
    expect(newDoc._deleted).not.toBe(true);
    expect(REFERENCE_TYPES as readonly string[]).toContain(newDoc.type);
    expect(validateReferenceDoc(newDoc)).toEqual([]);
  }) as fc.IPropertyWithHooks<unknown[]>;
}

describe('reference validate_doc_update under hostile input', TIMEOUT, () => {
  it.each([
    ['random documents', randomDoc([...REFERENCE_TYPES, ...SERVER_KEPT_TYPES, 'other'])],
    ['valid documents with random changes', mutationsOf(validReferenceDocs)],
  ])('throws only refusals and accepts nothing invalid from a browser: %s', (_what, docs) => {
    fc.assert(referenceProperty(docs), { numRuns: RUNS });
  });

  it.each(SERVER_KEPT_TYPES)('refuses an administrator’s browser a "%s" document, which the server keeps', (type) => {
    const doc = { _id: `${type}:nina`, type, anything: '<script>' };
    expect(run(reference, doc, null, { name: 'admin', roles: ['admin'] })).toEqual({ kind: 'refused' });
    expect(run(reference, doc, null, { name: 'register-store-admin', roles: ['_admin'] })).toEqual({
      kind: 'allowed',
    });
  });
});

// --- audit ---------------------------------------------------------------------------------------------------

const validAuditEvent: Doc = {
  _id: 'audit:admin:2026-11-29T09:00:00.000Z:0b1c',
  type: 'audit',
  event: 'login',
  login: 'admin',
  at: '2026-11-29T09:00:00.000Z',
};

describe('audit validate_doc_update under hostile input', TIMEOUT, () => {
  it.each([
    ['random documents', randomDoc(['audit', 'other'])],
    ['a valid event with random changes', mutationsOf([validAuditEvent])],
  ])('throws only refusals, and accepts only new events from the server: %s', (_what, docs) => {
    const oldDocs = fc.oneof(fc.constant(null), fc.constant({ ...validAuditEvent, _rev: '1-a' }));
    fc.assert(
      fc.property(docs, oldDocs, anyCaller, (newDoc, oldDoc, caller) => {
        const outcome = run(audit, newDoc, oldDoc, caller);
        expect(outcome.kind === 'threw' ? outcome.what : 'no other throw').toBe('no other throw');
        if (outcome.kind !== 'allowed') return;
        expect(caller.roles).toContain('_admin');
        if (newDoc._id.startsWith('_design/')) return;
        expect([oldDoc, Boolean(newDoc._deleted), newDoc.type, newDoc._id.startsWith('audit:')]).toEqual([
          null,
          false,
          'audit',
          true,
        ]);
      }),
      { numRuns: RUNS },
    );
  });
});
